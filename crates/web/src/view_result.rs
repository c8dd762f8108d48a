//! The result: headline, stacked bar, one card per layer with its formula and sources,
//! identity, alerts, contribution; then the chart, the comparison, and sharing.

use rust_decimal::{Decimal, RoundingStrategy};
use yew::prelude::*;
use yibao_engine::money;
use yibao_engine::policy::Status;
use yibao_engine::result::{AlertKind, Coverage, LayerSummary, ParamUse, Step};
use yibao_engine::compare::SideOutcome;
use yibao_engine::{CalcResult, Comparison, Layer, Policy};

use crate::app::{AppState, Computed, Copied, Load};
use crate::compute::{Curve, Done};
use crate::field::{Act, Field};
use crate::state;
use crate::load::IndexEntry;
use crate::state::{CompareTarget, Inputs};
use crate::view_inputs::external_link;

/// `24,488.00`.
pub fn yuan(d: Decimal) -> String {
    money::format_yuan(d)
}

fn percent_of(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    Some((part * Decimal::ONE_HUNDRED / whole).round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero).normalize())
}

fn layer_class(layer: Layer) -> &'static str {
    match layer {
        Layer::Basic => "c-basic",
        Layer::CriticalIllness => "c-ci",
        Layer::Assistance => "c-as",
        Layer::TiltedAssistance => "c-ta",
    }
}

/// How far a result can be taken as the documents' word: the tag shown next to the figures.
#[derive(Clone, Copy, PartialEq)]
pub enum Confidence {
    /// Every figure used is from the documents.
    Sure,
    /// Some figure used is a 参考值 (assumed).
    Assumed,
    /// The documents leave a layer or a visit undefined.
    Undefined,
}

pub fn confidence(r: &CalcResult) -> Confidence {
    if r.layers.iter().any(|l| matches!(l.coverage, Coverage::NotCovered | Coverage::PartlyCovered)) || r.visits.iter().any(|v| !v.not_covered.is_empty()) {
        Confidence::Undefined
    } else if !r.assumptions.is_empty() {
        Confidence::Assumed
    } else {
        Confidence::Sure
    }
}

fn tag(c: Confidence) -> Html {
    let (class, text) = match c {
        Confidence::Sure => ("tag tag-sure", "全部按文件规定"),
        Confidence::Assumed => ("tag tag-ref", "含参考值"),
        Confidence::Undefined => ("tag tag-undef", "部分未规定"),
    };
    html! { <span class={class}>{ text }</span> }
}

fn ref_badge() -> Html {
    html! { <span class="badge badge-ref">{ "参考值" }</span> }
}

/// The total of the visits whose basic insurance the documents leave undefined (nothing of
/// them can be computed), and their positions in the form.
fn uncomputable(r: &CalcResult, included: &[usize]) -> (Decimal, Vec<usize>) {
    let mut sum = Decimal::ZERO;
    let mut which = vec![];
    for v in r.visits.iter().filter(|v| v.not_covered.contains(&Layer::Basic)) {
        sum = sum + v.total;
        which.push(included.get(v.index).copied().unwrap_or(v.index));
    }
    (sum, which)
}

/// Whether a layer's figures were computed with an assumed (参考值) parameter.
fn layer_assumed(r: &CalcResult, layer: Layer) -> bool {
    r.steps.iter().filter(|s| s.layer == Some(layer)).flat_map(|s| &s.params).any(|p| p.status == Status::Assumed)
}

/// `第 1、3 次`.
fn visit_numbers(which: &[usize]) -> String {
    which.iter().map(|i| (i + 1).to_string()).collect::<Vec<_>>().join("、")
}

/// The compact answer that stays in view while the resident edits (fixed to the bottom of
/// the screen; in an embed, placed in the host's visible window by `embed.js`).
pub fn answer_bar(computed: &Computed) -> Html {
    let body = match &computed.outcome {
        Err(errors) => html! { <span class="ab-msg">{ format!("有 {} 处填写需要改正，改正后显示结果", errors.len()) }</span> },
        Ok(Done { result: None, .. }) => html! { <span class="ab-msg">{ "填写医疗总费用后，这里显示您要自付多少" }</span> },
        Ok(Done { result: Some(r), ready }) => {
            let (unknown, _) = uncomputable(r, &ready.included);
            html! {
                <>
                    <span class="ab-item"><span class="ab-k">{ "个人自付" }</span><strong id="bar-oop">{ yuan(r.totals.out_of_pocket) }</strong><span class="ab-u">{ "元" }</span></span>
                    <span class="ab-item"><span class="ab-k">{ "可报销" }</span><strong id="bar-reimbursed">{ yuan(r.totals.reimbursed) }</strong><span class="ab-u">{ "元" }</span></span>
                    { tag(confidence(r)) }
                    if !unknown.is_zero() {
                        <span class="ab-note">{ format!("其中 {} 元无法测算", yuan(unknown)) }</span>
                    }
                    if !ready.waiting.is_empty() || !ready.missing.is_empty() {
                        <span class="ab-note">{ "未填费用的就诊暂不计入" }</span>
                    }
                </>
            }
        }
    };
    html! {
        <aside class="answer-bar" id="answer-bar" aria-label="结果摘要">
            <a class="ab-link" href="#result">{ body }<span class="ab-more">{ "看明细" }</span></a>
        </aside>
    }
}

/// The result sections: 计算结果, 看懂结果 (chart, comparison), 分享和保存.
pub fn results(state: &AppState, policy: &Policy, index: &[IndexEntry], computed: &Computed) -> Html {
    let body = match &computed.outcome {
        Err(errors) => html! {
            <p class="error-summary">{ format!("上面有 {} 处填写需要改正（已在对应的输入框下说明），改正后这里会自动显示结果。", errors.len()) }</p>
        },
        Ok(Done { result: None, .. }) => html! {
            <p class="prompt" id="result-prompt">{ "请在“就诊和费用”中填写医疗总费用（例如 20000 或 2万），这里会显示各项保障报销多少、您自己要付多少。" }</p>
        },
        Ok(Done { result: Some(r), ready }) => html! {
            <>
                { headline(r, ready) }
                { next_steps(r) }
                { stacked_bar(r) }
                { for r.layers.iter().map(|l| layer_card(l, r)) }
                { identity(r, &state.inputs) }
                { alerts(r) }
                { per_visit(r, ready) }
                { contribution(r) }
                { assumptions(r) }
            </>
        },
    };
    let result = match &computed.outcome {
        Ok(Done { result: Some(r), ready }) => Some((r, ready)),
        _ => None,
    };
    html! {
        <div class="results">
            <section id="result" class="card result" aria-labelledby="result-h" tabindex="-1" data-calc-ms={fixed(computed.millis, 3)}>
                <h2 id="result-h">{ "计算结果" }</h2>
                { body }
            </section>
            if let Some((r, ready)) = result {
                <section class="card understand" aria-labelledby="understand-h">
                    <h2 id="understand-h">{ "看懂结果" }</h2>
                    { chart(computed.curve.as_ref(), r, ready) }
                    { compare(state, policy, index, r, computed) }
                </section>
                { print_summary(state, policy, r, ready) }
            }
            { share(state, policy) }
        </div>
    }
}

fn headline(r: &CalcResult, ready: &state::Ready) -> Html {
    let t = &r.totals;
    let share = percent_of(t.reimbursed, t.total);
    let (unknown, which) = uncomputable(r, &ready.included);
    let assumed: Vec<&LayerSummary> = r.layers.iter().filter(|l| !l.amount.is_zero() && layer_assumed(r, l.layer)).collect();
    let undefined: Vec<&str> = r.layers.iter().filter(|l| l.coverage == Coverage::NotCovered).map(|l| l.name).collect();
    let badge = if assumed.is_empty() { html! {} } else { ref_badge() };
    html! {
        <div class="headline">
            <p class="big">
                <span class="k">{ "预计可报销" }</span>
                <span class="v"><strong id="reimbursed">{ yuan(t.reimbursed) }</strong>{ " 元" }{ badge.clone() }</span>
            </p>
            <p class="big oop">
                <span class="k">{ "个人自付" }</span>
                <span class="v"><strong id="out-of-pocket">{ yuan(t.out_of_pocket) }</strong>{ " 元" }{ badge }</span>
            </p>
            <p class="conf">{ tag(confidence(r)) }</p>
            if !unknown.is_zero() {
                <p class="unknown" id="uncomputable">
                    { format!("其中 {} 元无法测算：第 {} 次就诊的基本医保待遇公开文件未规定，各项保障都无法计算，暂全部计入个人自付，实际自付可能更少。", yuan(unknown), visit_numbers(&which)) }
                </p>
            }
            if !undefined.is_empty() {
                <p class="unknown" id="undefined-layers">{ format!("{}：公开文件未规定，结果未包括，不等于 0。", undefined.join("、")) }</p>
            }
            if !assumed.is_empty() {
                <p class="assumed-note" id="assumed-share">
                    { ref_badge() }
                    { format!("{} 的计算用到参考值（未经核实的数字），实际金额可能不同。", assumed.iter().map(|l| format!("{} {} 元", l.name, yuan(l.amount))).collect::<Vec<_>>().join("、")) }
                </p>
            }
            if !ready.waiting.is_empty() || !ready.missing.is_empty() {
                <p class="hint" id="waiting-note">{ format!("第 {} 次就诊还没填写医疗总费用，结果暂不包括。", visit_numbers(&ready.waiting.iter().copied().chain(ready.missing.iter().filter_map(|e| match e.field { Field::Visit(i, _) => Some(i), _ => None })).collect::<Vec<usize>>())) }</p>
            }
            <p class="ratio" id="ratio">
                { match share {
                    Some(s) => format!("报销比例 {s}%：医疗总费用 {} 元中，各项保障共支付 {} 元。", yuan(t.total), yuan(t.reimbursed)),
                    None => "医疗总费用为 0 元。".to_string(),
                } }
            </p>
        </div>
    }
}

/// How the money is actually paid, or where to apply: one line each, from the policy.
fn next_steps(r: &CalcResult) -> Html {
    if r.next_steps.is_empty() {
        return html! {};
    }
    html! {
        <div class="next-steps" id="next-steps">
            <h3>{ "接下来怎么办" }</h3>
            { for r.next_steps.iter().map(|p| html! {
                <div class="next">
                    <p>{ p.display.clone() }</p>
                    <details class="src-fold"><summary>{ "依据" }</summary>{ source_line(p) }</details>
                </div>
            }) }
        </div>
    }
}

/// A layer's amount as a resident may read it: 未规定 / 不适用 in place of a 0.00 that only
/// keeps the sums whole.
fn layer_figure(l: &LayerSummary) -> String {
    match l.coverage {
        Coverage::NotCovered => "未规定".into(),
        Coverage::NotApplicable => "不适用".into(),
        Coverage::PartlyCovered => format!("{} 元（部分未规定）", yuan(l.amount)),
        Coverage::Covered => format!("{} 元", yuan(l.amount)),
    }
}

/// One segment of the stacked bar and its legend line.
struct Segment {
    class: &'static str,
    name: &'static str,
    amount: Decimal,
    /// The legend's text when not a plain amount (未规定, 不适用, partly).
    status: Option<String>,
    assumed: bool,
}

fn stacked_bar(r: &CalcResult) -> Html {
    let t = &r.totals;
    let mut segments: Vec<Segment> = r
        .layers
        .iter()
        .map(|l| Segment {
            class: layer_class(l.layer),
            name: l.name,
            amount: l.amount,
            status: (l.coverage != Coverage::Covered).then(|| layer_figure(l)),
            assumed: layer_assumed(r, l.layer),
        })
        .collect();
    segments.push(Segment { class: "c-oop-in", name: "个人自付（政策范围内）", amount: t.out_of_pocket_in_scope, status: None, assumed: false });
    segments.push(Segment { class: "c-oop-out", name: "个人自付（政策范围外）", amount: t.out_of_scope, status: None, assumed: false });
    let total = t.total;
    let mut x = 0.0f64;
    let rects: Vec<Html> = segments
        .iter()
        .filter(|s| !s.amount.is_zero() && !total.is_zero())
        .map(|s| {
            let w = to_f64(s.amount / total * Decimal::ONE_HUNDRED);
            let rect = html! { <rect class={s.class} x={format!("{}%", fixed(x, 3))} y="0" width={format!("{}%", fixed(w, 3))} height="100%" /> };
            x += w;
            rect
        })
        .collect();
    html! {
        <figure class="bar">
            <svg class="stack" width="100%" height="28" aria-hidden="true" focusable="false">{ for rects }</svg>
            <figcaption class="sr-only">{ "医疗总费用的构成，见下面的图例。" }</figcaption>
            <ul class="legend">
                { for segments.iter().map(|s| html! {
                    <li>
                        <span class={classes!("swatch", s.class)} aria-hidden="true"></span>
                        <span class="name">{ s.name }</span>
                        <span class="amt">
                            { match (&s.status, percent_of(s.amount, total)) {
                                (Some(text), _) => text.clone(),
                                (None, Some(p)) => format!("{} 元 · {p}%", yuan(s.amount)),
                                (None, None) => format!("{} 元", yuan(s.amount)),
                            } }
                            if s.assumed && !s.amount.is_zero() { { ref_badge() } }
                        </span>
                    </li>
                }) }
            </ul>
        </figure>
    }
}

fn identity(r: &CalcResult, inputs: &Inputs) -> Html {
    let applied = match (r.identity, r.identity_name) {
        (Some(_), Some(name)) => format!("按“{name}”的待遇计算。"),
        _ if inputs.identities.is_empty() => "普通参保人（没有勾选参保身份）：医疗救助和倾斜救助只对救助对象，普通参保人只计算基本医保和大病保险。".to_string(),
        _ => format!("您勾选的“{}”在本政策中没有不同的待遇，按普通参保人计算。", yibao_engine::ids::identities_zh(&inputs.identities)),
    };
    html! {
        <section class="sub identity" aria-labelledby="identity-h">
            <h3 id="identity-h">{ "适用身份" }</h3>
            <p id="identity-applied">{ applied }</p>
            if r.identities_considered.len() > 1 {
                <p>{ "您有多个身份。按“就高不就低”原则，取个人自付最少的一种，不重复救助：" }</p>
                <ul class="considered">
                    { for r.identities_considered.iter().map(|c| html! {
                        <li class={classes!((Some(c.identity) == r.identity).then_some("applied"))}>
                            { format!("按{}计算：个人自付 {} 元", c.name, yuan(c.out_of_pocket)) }
                            if Some(c.identity) == r.identity {
                                <strong>{ "（采用）" }</strong>
                            }
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

fn alerts(r: &CalcResult) -> Html {
    // 未规定 and 参考值 are said next to the figures (headline, legend, cards).
    let shown: Vec<&yibao_engine::result::Alert> = r.alerts.iter().filter(|a| !matches!(a.kind, AlertKind::NotCovered | AlertKind::AssumedParameters)).collect();
    if shown.is_empty() {
        return html! {};
    }
    html! {
        <section class="sub alerts" aria-labelledby="alerts-h">
            <h3 id="alerts-h">{ "请留意" }</h3>
            <ul>
                { for shown.iter().map(|a| {
                    let class = match a.kind {
                        AlertKind::Monitoring => "alert warn",
                        AlertKind::CapReached | AlertKind::ReferralRequired => "alert attention",
                        _ => "alert info",
                    };
                    html! {
                        <li class={class}>
                            <strong>{ a.title.clone() }</strong>
                            <span>{ a.message.clone() }</span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

fn source_line(p: &ParamUse) -> Html {
    match &p.source {
        Some(s) => {
            let title = format!("《{}》", s.title);
            html! {
                <span class="src">
                    { "依据：" }
                    { match &s.url { Some(url) => external_link(url, title), None => html! { <span>{ title }</span> } } }
                    { format!(" {}", s.clause) }
                    <span class="doc-meta">{ format!("（{}，{}）", s.issuer, s.date) }</span>
                </span>
            }
        }
        None => html! { <span class="src">{ "没有找到公开文件依据" }</span> },
    }
}

fn param_item(p: &ParamUse) -> Html {
    let assumed = p.status == Status::Assumed;
    html! {
        <li class={classes!("param", assumed.then_some("assumed"))}>
            <span class="plabel">{ format!("{}：", p.label) }</span>
            <span class="pval">{ p.display.clone() }</span>
            if assumed {
                <span class="badge badge-ref">{ "参考值" }</span>
            } else {
                <span class="pstatus">{ p.status_name }</span>
            }
            { source_line(p) }
            if let Some(note) = &p.note {
                <span class="note">{ if assumed { format!("为什么是参考值：{note}") } else { note.clone() } }</span>
            }
        </li>
    }
}

fn step_view(s: &Step) -> Html {
    html! {
        <div class="step">
            <h4>
                { s.title.clone() }
                if let Some(a) = s.amount {
                    <span class="step-amount">{ format!("{} 元", yuan(a)) }</span>
                }
            </h4>
            <ul class="lines">
                { for s.lines.iter().map(|l| html! { <li>{ l.clone() }</li> }) }
            </ul>
            if !s.params.is_empty() {
                <ul class="params">{ for s.params.iter().map(param_item) }</ul>
            }
        </div>
    }
}

fn layer_card(l: &LayerSummary, r: &CalcResult) -> Html {
    let steps: Vec<&Step> = r.steps.iter().filter(|s| s.layer == Some(l.layer)).collect();
    let assumed = steps.iter().flat_map(|s| &s.params).filter(|p| p.status == Status::Assumed).count();
    let id = format!("layer-{}", l.layer.id());
    let muted = matches!(l.coverage, Coverage::NotCovered | Coverage::NotApplicable);
    html! {
        <section class={classes!("layer", layer_class(l.layer))} id={id.clone()} aria-labelledby={format!("{id}-h")}>
            <div class="layer-head">
                <h3 id={format!("{id}-h")}>
                    <span class={classes!("swatch", layer_class(l.layer))} aria-hidden="true"></span>
                    { l.name }
                    if l.title != l.name {
                        <span class="layer-title">{ format!("（{}）", l.title) }</span>
                    }
                </h3>
                <p class={classes!("amount", muted.then_some("muted"))}>
                    { match l.coverage { Coverage::NotCovered => "公开文件未规定".to_string(), _ => layer_figure(l) } }
                    if assumed > 0 && !muted { { ref_badge() } }
                </p>
            </div>
            if let Some(reason) = &l.reason {
                <p class="reason">{ reason.clone() }</p>
            }
            if assumed > 0 {
                <p class="ref-note">{ format!("这一项用到 {assumed} 个未经核实的参考值，金额仅供参考。") }</p>
            }
            if !steps.is_empty() {
                // Folded: one tap opens the formulas and the documents they come from.
                <details class="steps">
                    <summary>{ format!("计算过程和依据（{} 步）", steps.len()) }</summary>
                    { for steps.iter().map(|s| step_view(s)) }
                </details>
            }
        </section>
    }
}

/// What a visit's line says beyond its kind and class: where, when not at home, and that basic
/// insurance's amount is the 结算单's.
fn visit_extra(v: Option<&yibao_engine::Visit>) -> String {
    let mut s = String::new();
    if let Some(v) = v {
        if !v.place.is_local() {
            s.push_str(" · ");
            s.push_str(v.place.name_zh());
        }
        if v.basic_paid.is_some() {
            s.push_str(" · 按结算单");
        }
    }
    s
}

fn per_visit(r: &CalcResult, ready: &state::Ready) -> Html {
    if r.visits.len() + ready.waiting.len() + ready.missing.len() < 2 {
        return html! {};
    }
    let shown: Vec<&LayerSummary> = r.layers.iter().filter(|l| l.coverage != Coverage::NotApplicable).collect();
    html! {
        <section class="sub per-visit" aria-labelledby="per-visit-h">
            <h3 id="per-visit-h">{ "每次就诊" }</h3>
            <ul class="visit-results">
                { for r.visits.iter().map(|v| {
                    let n = ready.included.get(v.index).copied().unwrap_or(v.index) + 1;
                    let paid = v.basic + v.critical_illness + v.assistance + v.tilted_assistance;
                    let unknown = v.not_covered.contains(&Layer::Basic);
                    let parts: Vec<String> = shown.iter().map(|l| {
                        let text = if unknown {
                            "无法测算".to_string()
                        } else if v.not_covered.contains(&l.layer) || l.coverage == Coverage::NotCovered {
                            "未规定".to_string()
                        } else {
                            yuan(match l.layer { Layer::Basic => v.basic, Layer::CriticalIllness => v.critical_illness, Layer::Assistance => v.assistance, Layer::TiltedAssistance => v.tilted_assistance })
                        };
                        format!("{} {text}", l.name)
                    }).collect();
                    html! {
                        <li class={classes!(unknown.then_some("uncomputable"))}>
                            <strong>{ format!("第 {n} 次 · {} · {}{}", v.kind.name_zh(), v.level_name, visit_extra(ready.scenario.visits.get(v.index))) }</strong>
                            <span>{ if unknown {
                                format!("总费用 {} 元：公开文件未规定这类就诊的基本医保待遇，无法测算，暂全部计入自付", yuan(v.total))
                            } else {
                                format!("总费用 {} 元，报销 {} 元，自付 {} 元", yuan(v.total), yuan(paid), yuan(v.out_of_pocket))
                            } }</span>
                            <span class="detail">{ parts.join(" · ") }</span>
                        </li>
                    }
                }) }
                { for ready.waiting.iter().map(|i| html! {
                    <li class="waiting"><strong>{ format!("第 {} 次", i + 1) }</strong><span>{ "还没填写医疗总费用，暂不计入" }</span></li>
                }) }
            </ul>
        </section>
    }
}

fn contribution(r: &CalcResult) -> Html {
    let Some(c) = &r.contribution else {
        return html! {};
    };
    let opt = |d: Option<Decimal>, unit: &str| d.map(|d| format!("{} {unit}", yuan(d))).unwrap_or_else(|| "公开文件未规定".into());
    html! {
        <section class="sub contribution" aria-labelledby="contrib-h">
            <h3 id="contrib-h">{ "每年缴费" }</h3>
            <dl class="kv">
                <dt>{ "个人缴费" }</dt>
                <dd>{ opt(c.individual, "元/年") }</dd>
                <dt>{ "财政补助" }</dt>
                <dd>{ opt(c.government_subsidy, "元/人/年") }</dd>
                if let Some(sub) = c.enrolment_subsidy {
                    <dt>{ "资助参保" }</dt>
                    <dd>{ format!("{}由医疗救助资助{} {} 元", c.enrolment_identity.map(|i| i.name_zh()).unwrap_or(""), if c.enrolment_at_least { "不少于" } else { "" }, yuan(sub)) }</dd>
                }
                if let Some(pays) = c.resident_pays {
                    <dt>{ "您每年实际缴纳" }</dt>
                    <dd><strong>{ if c.enrolment_at_least && c.enrolment_subsidy.is_some() { format!("最多 {} 元", yuan(pays)) } else { format!("{} 元", yuan(pays)) } }</strong></dd>
                }
            </dl>
            if !c.fiscal_split.is_empty() {
                <details>
                    <summary>{ "财政补助由谁出" }</summary>
                    { for c.fiscal_split.iter().map(|f| html! {
                        <div class="split">
                            <h4>{ f.name.clone() }</h4>
                            <ul>{ for f.parts.iter().map(|p| html! { <li>{ format!("{}：{} 元（{}）", p.payer, yuan(p.amount), p.formula) }</li> }) }</ul>
                        </div>
                    }) }
                </details>
            }
            if !c.params.is_empty() {
                <details>
                    <summary>{ "缴费标准的依据" }</summary>
                    <ul class="params">{ for c.params.iter().map(param_item) }</ul>
                </details>
            }
        </section>
    }
}

fn assumptions(r: &CalcResult) -> Html {
    if r.assumptions.is_empty() {
        return html! {};
    }
    html! {
        <section class="sub assumptions" aria-labelledby="assume-h">
            <h3 id="assume-h">{ format!("本结果用到的参考值（{} 项）", r.assumptions.len()) }</h3>
            <p>{ "参考值是公开文件中没有找到、暂按相近标准填写的数字，标有" }<span class="badge badge-ref">{ "参考值" }</span>{ "。实际以当地医保部门的规定为准。" }</p>
            <details>
                <summary>{ "查看全部参考值" }</summary>
                <ul class="params">{ for r.assumptions.iter().map(param_item) }</ul>
            </details>
        </section>
    }
}

// ------------------------------------------------------------------ chart

/// A decimal as f64, for drawing only (never for money shown as text). By hand: rust_decimal's
/// conversion is 1 KB of wasm, and a drawing does not need its last bit.
fn to_f64(d: Decimal) -> f64 {
    // Divided by 10 per decimal place: f64::powi and log10 would bring their own code.
    (0..d.scale()).fold(d.mantissa() as f64, |v, _| v / 10.0)
}

/// `v` with `decimals` (0 to 3) digits after the point, without the float formatting code
/// of core (which costs several KB of wasm).
pub fn fixed(v: f64, decimals: u32) -> String {
    let scale = 10i64.pow(decimals);
    let n = (v * scale as f64).round() as i64;
    let sign = if n < 0 { "-" } else { "" };
    let n = n.abs();
    if decimals == 0 {
        format!("{sign}{n}")
    } else {
        format!("{sign}{}.{:0width$}", n / scale, n % scale, width = decimals as usize)
    }
}

/// A rounded step for about four ticks up to `max`.
fn nice_step(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / 4.0;
    let mut mag = 1.0;
    while mag * 10.0 <= raw {
        mag *= 10.0;
    }
    while mag > raw {
        mag /= 10.0;
    }
    let norm = raw / mag;
    let nice = if norm <= 1.0 { 1.0 } else if norm <= 2.0 { 2.0 } else if norm <= 2.5 { 2.5 } else if norm <= 5.0 { 5.0 } else { 10.0 };
    nice * mag
}

/// `3万`, `2.5万`, `800`.
fn short_yuan(v: f64) -> String {
    if v >= 10_000.0 {
        let w = v / 10_000.0;
        if (w - w.round()).abs() < 0.05 { format!("{}万", w.round() as i64) } else { format!("{}万", fixed(w, 1)) }
    } else {
        format!("{}", v.round() as i64)
    }
}

fn chart(curve: Option<&Curve>, r: &CalcResult, ready: &state::Ready) -> Html {
    let (unknown, _) = uncomputable(r, &ready.included);
    // The curve counts what cannot be computed as paid by the resident: say so beside it.
    let caveat = if unknown.is_zero() { String::new() } else { format!("曲线把无法测算的就诊费用全部计入自付（现为 {} 元），实际可能更少。", yuan(unknown)) };
    let Some(c) = curve else {
        return html! {
            <div class="chart-block">
                <h3>{ "费用变化时自付多少" }</h3>
                <p class="hint">{ if r.totals.total.is_zero() { "填写大于 0 的医疗总费用后，这里显示费用从 0 到 2 倍时个人自付的变化。" } else { "单次费用超过 5,000 万元时不画曲线（曲线要把费用放大到 2 倍）。" } }</p>
            </div>
        };
    };
    let f = to_f64;
    let (w, h) = (340.0f64, 210.0f64);
    let (ml, mr, mt, mb) = (46.0, 14.0, 14.0, 40.0);
    let xmax = c.points.last().map(|p| f(p.total)).unwrap_or(1.0).max(1.0);
    let ymax_raw = c.points.iter().map(|p| f(p.out_of_pocket)).fold(0.0, f64::max).max(1.0);
    let ystep = nice_step(ymax_raw);
    let ymax = (ymax_raw / ystep).ceil() * ystep;
    let xstep = nice_step(xmax);
    let x = |v: f64| ml + v / xmax * (w - ml - mr);
    let y = |v: f64| h - mb - v / ymax * (h - mt - mb);
    let mut path = String::new();
    for (i, p) in c.points.iter().enumerate() {
        path.push_str(&format!("{}{},{}", if i == 0 { "M" } else { "L" }, fixed(x(f(p.total)), 1), fixed(y(f(p.out_of_pocket)), 1)));
    }
    let cx = x(f(c.current.total));
    let cy = y(f(c.current.out_of_pocket));
    let mut yticks = vec![];
    let mut v = 0.0;
    while v <= ymax + ystep * 0.01 {
        yticks.push(v);
        v += ystep;
    }
    let mut xticks = vec![];
    let mut v = 0.0;
    while v <= xmax + xstep * 0.01 {
        xticks.push(v);
        v += xstep;
    }
    let at = |k: usize| &c.points[k.min(c.points.len() - 1)];
    let n = c.points.len() - 1;
    let rows = [n / 4, n / 2, 3 * n / 4, n];
    let desc = format!(
        "横轴是医疗总费用，从 0 到 {} 元；纵轴是个人自付。您填写的费用 {} 元时，个人自付 {} 元；费用翻倍到 {} 元时，个人自付 {} 元。{caveat}",
        yuan(at(n).total),
        yuan(r.totals.total),
        yuan(r.totals.out_of_pocket),
        yuan(at(n).total),
        yuan(at(n).out_of_pocket)
    );
    let label_x = if cx > w - 90.0 { cx - 6.0 } else { cx + 6.0 };
    let anchor = if cx > w - 90.0 { "end" } else { "start" };
    html! {
        <details class="chart-block">
            <summary id="chart-h">{ "费用变化时自付多少（曲线）" }</summary>
            <figure class="chart">
                <svg viewBox={format!("0 0 {} {}", fixed(w, 0), fixed(h, 0))} role="img" aria-labelledby="chart-title" aria-describedby="chart-desc" focusable="false">
                    <title id="chart-title">{ "自付金额变化曲线" }</title>
                    <desc id="chart-desc">{ desc.clone() }</desc>
                    { for yticks.iter().map(|&t| html! {
                        <g class="tick">
                            <line x1={fixed(ml, 1)} x2={fixed(w - mr, 1)} y1={fixed(y(t), 1)} y2={fixed(y(t), 1)} class="grid" />
                            <text x={fixed(ml - 4.0, 1)} y={fixed(y(t) + 4.0, 1)} text-anchor="end">{ short_yuan(t) }</text>
                        </g>
                    }) }
                    { for xticks.iter().map(|&t| html! {
                        <text class="tick" x={fixed(x(t), 1)} y={fixed(h - mb + 16.0, 1)} text-anchor="middle">{ short_yuan(t) }</text>
                    }) }
                    <line class="axis" x1={fixed(ml, 1)} x2={fixed(w - mr, 1)} y1={fixed(h - mb, 1)} y2={fixed(h - mb, 1)} />
                    <text class="axis-label" x={fixed((ml + w - mr) / 2.0, 1)} y={fixed(h - 6.0, 1)} text-anchor="middle">{ "医疗总费用（元）" }</text>
                    <line class="current" x1={fixed(cx, 1)} x2={fixed(cx, 1)} y1={fixed(mt, 1)} y2={fixed(h - mb, 1)} />
                    <path class="curve" d={path} />
                    <circle class="point" cx={fixed(cx, 1)} cy={fixed(cy, 1)} r="5" />
                    <text class="current-label" x={fixed(label_x, 1)} y={fixed(mt + 10.0, 1)} text-anchor={anchor}>{ "您的费用" }</text>
                </svg>
                <figcaption>{ format!("纵轴：个人自付（元）。竖线是您填写的费用：总费用 {} 元，个人自付 {} 元。{caveat}", yuan(r.totals.total), yuan(r.totals.out_of_pocket)) }</figcaption>
            </figure>
            <details>
                <summary>{ "查看曲线上的几个点" }</summary>
                <table class="points">
                    <caption class="sr-only">{ "医疗总费用与个人自付" }</caption>
                    <thead><tr><th scope="col">{ "医疗总费用（元）" }</th><th scope="col">{ "个人自付（元）" }</th></tr></thead>
                    <tbody>
                        { for rows.iter().map(|&k| html! {
                            <tr><td>{ yuan(at(k).total) }</td><td>{ yuan(at(k).out_of_pocket) }</td></tr>
                        }) }
                    </tbody>
                </table>
            </details>
        </details>
    }
}

// ------------------------------------------------------------------ comparison

fn target_value(t: &CompareTarget) -> String {
    match &t.tier {
        Some(tier) => format!("{}#{}", t.policy, tier),
        None => t.policy.clone(),
    }
}

pub fn target_from(value: &str) -> Option<CompareTarget> {
    if value.is_empty() {
        return None;
    }
    Some(match value.split_once('#') {
        Some((p, t)) => CompareTarget { policy: p.into(), tier: Some(t.into()) },
        None => CompareTarget { policy: value.into(), tier: None },
    })
}

fn compare(state: &AppState, policy: &Policy, index: &[IndexEntry], current: &CalcResult, computed: &Computed) -> Html {
    let current_entry = index.iter().find(|e| e.id == policy.id);
    let mut options: Vec<(CompareTarget, String)> = vec![];
    for t in policy.tiers.iter().filter(|t| t.id != current.tier.id) {
        options.push((CompareTarget { policy: policy.id.clone(), tier: Some(t.id.clone()) }, format!("{} · {} 年 · {}", policy.region, policy.year, t.name)));
    }
    // The same region first, then the others, each newest first. Picked by hand rather than
    // sorted: the index lists a handful of policies, and a sort costs about 3 KB of wasm.
    let mut others: Vec<&IndexEntry> = index.iter().filter(|e| e.id != policy.id).collect();
    let order = |e: &IndexEntry| (current_entry.is_none_or(|c| c.region != e.region), std::cmp::Reverse(e.year));
    while let Some(next) = (0..others.len()).min_by_key(|&i| order(others[i])) {
        let e = others.remove(next);
        options.push((CompareTarget { policy: e.id.clone(), tier: None }, format!("{} · {} 年", e.region, e.year)));
    }
    let selected = state.inputs.compare.as_ref().map(target_value).unwrap_or_default();
    let load = state.inputs.compare.as_ref().map(|c| state.policy(&c.policy));
    let table = match (&computed.compare, load) {
        (_, Some(Some(Load::Failed(e)))) => html! {
            <div class="failure" role="alert">
                <p>{ e.message.clone() }</p>
                if e.retry {
                    <button type="button" class="primary" data-act={Act::Retry.attr()}>{ "重试" }</button>
                }
            </div>
        },
        (_, Some(None | Some(Load::Loading))) => html! { <p role="status">{ "正在加载对比的政策…" }</p> },
        (Some(Ok(cmp)), _) => {
            let other = state.inputs.compare.as_ref().and_then(|c| match state.policy(&c.policy) {
                Some(Load::Ready(p)) => Some(p.clone()),
                _ => None,
            });
            let yearly = |p: &Policy, tier: &str| p.contribution.as_ref().and_then(|c| c.individual.get(tier)).map(|p| p.get());
            let contributions = (yearly(policy, &cmp.before.tier.id), other.and_then(|o| yearly(&o.0, &cmp.after.tier.id)));
            compare_table(cmp, contributions)
        }
        (Some(Err(msg)), _) => html! { <p class="error">{ format!("无法计算对比方案：{msg}") }</p> },
        _ => html! {},
    };
    html! {
        <div class="compare-block">
            <h3>{ "换个政策或档次对比" }</h3>
            <div class="field">
                <label for={Field::Compare.id()}>{ "对比方案" }</label>
                <select id={Field::Compare.id()}>
                    <option value="" selected={selected.is_empty()}>{ "不对比" }</option>
                    { for options.iter().map(|(t, name)| {
                        let v = target_value(t);
                        html! { <option value={v.clone()} selected={v == selected}>{ name.clone() }</option> }
                    }) }
                </select>
            </div>
            { table }
        </div>
    }
}

fn cell(coverage: Coverage, amount: Decimal) -> (String, Option<Decimal>) {
    match coverage {
        Coverage::NotCovered => ("未规定".into(), None),
        Coverage::NotApplicable => ("不适用".into(), Some(amount)),
        _ => (yuan(amount), Some(amount)),
    }
}

fn signed(d: Decimal) -> String {
    if d.is_zero() {
        "0.00".into()
    } else if d.is_sign_negative() {
        format!("−{}", yuan(-d))
    } else {
        format!("+{}", yuan(d))
    }
}

fn side_name(s: &SideOutcome) -> String {
    format!("{} {} 年 · {}", s.policy.region, s.policy.year, s.tier.name)
}

fn compare_table(cmp: &Comparison, contributions: (Option<Decimal>, Option<Decimal>)) -> Html {
    let (a_name, b_name) = (side_name(&cmp.before), side_name(&cmp.after));
    let mut rows: Vec<(String, (String, Option<Decimal>), (String, Option<Decimal>))> = cmp
        .layers
        .iter()
        .map(|l| (l.name.to_string(), cell(l.before_coverage, l.change.before), cell(l.after_coverage, l.change.after)))
        .collect();
    let both = |c: &yibao_engine::compare::Change| ((yuan(c.before), Some(c.before)), (yuan(c.after), Some(c.after)));
    let (ra, rb) = both(&cmp.reimbursed);
    rows.push(("可报销".into(), ra, rb));
    let (oa, ob) = both(&cmp.out_of_pocket);
    rows.push(("个人自付".into(), oa, ob));
    if let (Some(a), Some(b)) = contributions {
        rows.push(("每年个人缴费".into(), (yuan(a), Some(a)), (yuan(b), Some(b))));
    }
    let diff = cmp.out_of_pocket.difference;
    let mut summary = if diff.is_zero() {
        format!("按“{b_name}”计算，个人自付相同")
    } else if diff.is_sign_negative() {
        format!("按“{b_name}”计算，个人自付少 {} 元", yuan(-diff))
    } else {
        format!("按“{b_name}”计算，个人自付多 {} 元", yuan(diff))
    };
    // A tier (or another year) also costs a different yearly contribution: the resident
    // weighs both, so the summary says both.
    if let (Some(a), Some(b)) = contributions {
        let c = b - a;
        if !c.is_zero() {
            let net = diff + c;
            summary.push_str(&format!(
                "；每年个人缴费{} {} 元（{} 元对 {} 元），算上缴费共{} {} 元",
                if c.is_sign_negative() { "少" } else { "多" },
                yuan(c.abs()),
                yuan(b),
                yuan(a),
                if net.is_sign_negative() { "少付" } else { "多付" },
                yuan(net.abs())
            ));
        }
    }
    summary.push('。');
    // Layers one side's documents leave undefined are not in the difference.
    let undefined: Vec<String> = cmp
        .layers
        .iter()
        .filter_map(|l| {
            let side = |c: Coverage| matches!(c, Coverage::NotCovered | Coverage::PartlyCovered);
            match (side(l.before_coverage), side(l.after_coverage)) {
                (true, true) => Some(format!("{}（两边都未规定）", l.name)),
                (true, false) => Some(format!("{}（“{a_name}”未规定）", l.name)),
                (false, true) => Some(format!("{}（“{b_name}”未规定）", l.name)),
                _ => None,
            }
        })
        .collect();
    let undefined_note = (!undefined.is_empty()).then(|| format!("注意：{}。未规定的部分没有计入，差额只比较了可以测算的部分，实际差额可能不同。", undefined.join("、")));
    let identity_note = match (cmp.before.identity_name, cmp.after.identity_name) {
        (Some(a), Some(b)) if a != b => Some(format!("两边按“就高不就低”适用的身份不同：当前按{a}，对比方案按{b}。")),
        (Some(a), None) => Some(format!("对比方案对“{a}”没有不同待遇，按普通参保人计算。")),
        _ => None,
    };
    html! {
        <>
            <p class="compare-summary" id="compare-summary">{ summary }</p>
            if let Some(note) = undefined_note {
                <p class="unknown" id="compare-undefined">{ note }</p>
            }
            <p class="hint">{ format!("当前：{a_name}；对比：{b_name}。") }</p>
            if let Some(note) = identity_note {
                <p class="hint">{ note }</p>
            }
            <div class="table-wrap" role="region" aria-label="对比表" tabindex="0">
                <table class="compare" id="compare-table">
                    <caption class="sr-only">{ format!("{a_name} 与 {b_name} 各项报销对比（元）") }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "项目" }</th>
                            <th scope="col">{ "当前" }</th>
                            <th scope="col">{ "对比" }</th>
                            <th scope="col">{ "差额" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.into_iter().map(|(name, (ta, da), (tb, db))| html! {
                            <tr>
                                <th scope="row">{ name }</th>
                                <td>{ ta }</td>
                                <td>{ tb }</td>
                                <td>{ match (da, db) { (Some(x), Some(y)) => signed(y - x), _ => "—".into() } }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <p class="hint">{ "差额 = 对比方案 − 当前方案。“未规定”表示公开文件没有这一项的标准，不等于 0。" }</p>
        </>
    }
}

// ------------------------------------------------------------------ share

/// The link to this scenario (never with `embed=1`).
fn scenario_url(state: &AppState, policy: &Policy) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let mut inputs = state.inputs.clone();
        inputs.data_date = Some(policy.checked_on.clone());
        format!("{}{}", crate::browser::page_path(), crate::browser::query_string(&inputs, false))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = state;
        policy.checked_on.clone()
    }
}

/// Today as `YYYY-MM-DD`, from the device's clock (for the printed page).
fn today() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let d = js_sys::Date::new_0();
        format!("{}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
    }
    #[cfg(not(target_arch = "wasm32"))]
    String::new()
}

/// What a printed page needs beyond the result itself: where and when, the inputs as
/// text (not form controls), the assumed figures, and the link. Only in print.
fn print_summary(state: &AppState, policy: &Policy, r: &CalcResult, ready: &state::Ready) -> Html {
    let identities = if state.inputs.identities.is_empty() { "普通参保人".to_string() } else { yibao_engine::ids::identities_zh(&state.inputs.identities) };
    html! {
        <section class="print-only print-summary" aria-labelledby="print-h">
            <h2 id="print-h">{ format!("{} {} 年 · 测算结果", policy.region, policy.year) }</h2>
            <p>{ format!("地区：{}（{} 年政策）· 缴费档次：{} · 参保身份：{identities}", policy.region, policy.year, r.tier.name) }</p>
            <p>{ format!("政策数据核对于 {} · 打印于 {}", policy.checked_on, today()) }</p>
            <ol class="print-visits">
                { for ready.scenario.visits.iter().zip(&ready.included).map(|(v, &i)| {
                    let estimated = state.inputs.visits.get(i).is_some_and(|x| x.estimate);
                    html! { <li>{ format!("第 {} 次：{} · {}{} · 医疗总费用 {} 元 · 政策范围内费用 {} 元{}", i + 1, v.kind.name_zh(), policy.facility_name(&v.level), visit_extra(Some(v)), yuan(v.total.get()), yuan(v.in_scope.get()), if estimated { "（按总费用 90% 估算）" } else { "" }) }</li> }
                }) }
            </ol>
            if !r.assumptions.is_empty() {
                <p>{ format!("参考值（未经核实）：{}", r.assumptions.iter().map(|p| format!("{} {}", p.label, p.display)).collect::<Vec<_>>().join("；")) }</p>
            }
            <p class="print-link">{ format!("本测算的链接：{}", scenario_url(state, policy)) }</p>
        </section>
    }
}

fn share(state: &AppState, policy: &Policy) -> Html {
    let full_url = scenario_url(state, policy);
    html! {
        <section class="card share" aria-labelledby="share-h">
            <h2 id="share-h">{ "分享和保存" }</h2>
            <p class="hint">{ "链接里保存了您选择的地区、身份和填写的费用，打开链接就能看到同样的结果。链接只包含这些数字，不包含姓名等个人信息。" }</p>
            <div class="buttons">
                <button type="button" class="primary" id="copy-link" data-act={Act::Copy.attr()}>{ "复制链接" }</button>
                if state.embed {
                    <a class="button-link" href={full_url} target="_blank" rel="noopener">{ "在新窗口打开完整计算器" }</a>
                } else {
                    <button type="button" class="secondary" data-act={Act::Print.attr()}>{ "打印或存为 PDF" }</button>
                }
            </div>
            <p role="status" class="copy-status">
                { match &state.copied { Copied::Yes => "链接已复制，可以粘贴到微信发给家人。", Copied::Manual(_) => "无法自动复制，请长按或按 Ctrl+C 复制下面的链接。", Copied::No => "" } }
            </p>
            if let Copied::Manual(url) = &state.copied {
                <div class="field">
                    <label for="share-url">{ "本页链接" }</label>
                    <input id="share-url" type="text" readonly=true value={url.clone()} />
                </div>
            }
        </section>
    }
}
