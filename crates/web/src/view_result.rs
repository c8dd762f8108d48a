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
use crate::compute::Curve;
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

/// The result sections: 计算结果, 看懂结果 (chart, comparison), 分享和保存.
pub fn results(state: &AppState, policy: &Policy, index: &[IndexEntry], computed: &Computed) -> Html {
    let body = match &computed.outcome {
        Err(errors) => html! {
            <p class="error-summary">{ format!("上面有 {} 处填写需要改正（已在对应的输入框下说明），改正后这里会自动显示结果。", errors.len()) }</p>
        },
        Ok((_, r)) => html! {
            <>
                { headline(r) }
                { stacked_bar(r) }
                { identity(r, &state.inputs) }
                { alerts(r) }
                { for r.layers.iter().map(|l| layer_card(l, r)) }
                { per_visit(r) }
                { contribution(r) }
                { assumptions(r) }
            </>
        },
    };
    html! {
        <div class="results">
            <section id="result" class="card result" aria-labelledby="result-h" tabindex="-1" data-calc-ms={fixed(computed.millis, 3)}>
                <h2 id="result-h">{ "计算结果" }</h2>
                { body }
            </section>
            if let Ok((_, r)) = &computed.outcome {
                <section class="card understand" aria-labelledby="understand-h">
                    <h2 id="understand-h">{ "看懂结果" }</h2>
                    { chart(computed.curve.as_ref(), r) }
                    { compare(state, policy, index, r, computed) }
                </section>
            }
            { share(state, policy) }
        </div>
    }
}

fn headline(r: &CalcResult) -> Html {
    let t = &r.totals;
    let share = percent_of(t.reimbursed, t.total);
    html! {
        <div class="headline">
            <p class="big">
                <span class="k">{ "预计可报销" }</span>
                <span class="v"><strong id="reimbursed">{ yuan(t.reimbursed) }</strong>{ " 元" }</span>
            </p>
            <p class="big oop">
                <span class="k">{ "个人自付" }</span>
                <span class="v"><strong id="out-of-pocket">{ yuan(t.out_of_pocket) }</strong>{ " 元" }</span>
            </p>
            <p class="ratio" id="ratio">
                { match share {
                    Some(s) => format!("报销比例 {s}%：医疗总费用 {} 元中，各项保障共支付 {} 元。", yuan(t.total), yuan(t.reimbursed)),
                    None => "医疗总费用为 0 元。".to_string(),
                } }
            </p>
        </div>
    }
}

/// One segment of the stacked bar and its legend line.
struct Segment {
    class: &'static str,
    name: &'static str,
    amount: Decimal,
    status: Option<&'static str>,
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
            status: match l.coverage {
                Coverage::NotCovered => Some("公开文件未规定"),
                Coverage::NotApplicable => Some("不适用"),
                _ => None,
            },
        })
        .collect();
    segments.push(Segment { class: "c-oop-in", name: "个人自付（政策范围内）", amount: t.out_of_pocket_in_scope, status: None });
    segments.push(Segment { class: "c-oop-out", name: "个人自付（政策范围外）", amount: t.out_of_scope, status: None });
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
                            { match s.status {
                                Some(text) => text.to_string(),
                                None => match percent_of(s.amount, total) {
                                    Some(p) => format!("{} 元 · {p}%", yuan(s.amount)),
                                    None => format!("{} 元", yuan(s.amount)),
                                },
                            } }
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
        _ => "您勾选的身份在本政策中没有不同的待遇，按普通参保人计算。".to_string(),
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
    if r.alerts.is_empty() {
        return html! {};
    }
    html! {
        <section class="sub alerts" aria-labelledby="alerts-h">
            <h3 id="alerts-h">{ "请留意" }</h3>
            <ul>
                { for r.alerts.iter().map(|a| {
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
    let amount = match l.coverage {
        Coverage::Covered | Coverage::PartlyCovered => html! { <p class="amount">{ format!("{} 元", yuan(l.amount)) }</p> },
        Coverage::NotCovered => html! { <p class="amount muted">{ "公开文件未规定" }</p> },
        Coverage::NotApplicable => html! { <p class="amount muted">{ "不适用" }</p> },
    };
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
                { amount }
            </div>
            if let Some(reason) = &l.reason {
                <p class="reason">{ reason.clone() }</p>
            }
            if matches!(l.coverage, Coverage::PartlyCovered) && l.reason.is_none() {
                <p class="reason">{ "部分就诊公开文件未规定。" }</p>
            }
            if assumed > 0 {
                <p class="ref-note"><span class="badge badge-ref">{ "参考值" }</span>{ format!(" 这一项用到 {assumed} 个未经核实的参考值，结果仅供参考。") }</p>
            }
            if !steps.is_empty() {
                <details class="steps" open=true>
                    <summary>{ "计算过程和依据" }</summary>
                    { for steps.iter().map(|s| step_view(s)) }
                </details>
            }
        </section>
    }
}

fn per_visit(r: &CalcResult) -> Html {
    if r.visits.len() < 2 {
        return html! {};
    }
    html! {
        <section class="sub per-visit" aria-labelledby="per-visit-h">
            <h3 id="per-visit-h">{ "每次就诊" }</h3>
            <ol class="visit-results">
                { for r.visits.iter().map(|v| {
                    let paid = v.basic + v.critical_illness + v.assistance + v.tilted_assistance;
                    html! {
                        <li>
                            <strong>{ format!("第 {} 次 · {} · {}", v.index + 1, v.kind.name_zh(), v.level.name_zh()) }</strong>
                            <span>{ format!("总费用 {} 元，报销 {} 元，自付 {} 元", yuan(v.total), yuan(paid), yuan(v.out_of_pocket)) }</span>
                            <span class="detail">{ format!("基本医保 {} · 大病保险 {} · 医疗救助 {} · 倾斜救助 {}", yuan(v.basic), yuan(v.critical_illness), yuan(v.assistance), yuan(v.tilted_assistance)) }</span>
                        </li>
                    }
                }) }
            </ol>
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
    d.mantissa() as f64 / 10f64.powi(d.scale() as i32)
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
    let mag = 10f64.powi(raw.log10().floor() as i32);
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

fn chart(curve: Option<&Curve>, r: &CalcResult) -> Html {
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
        "横轴是医疗总费用，从 0 到 {} 元；纵轴是个人自付。您填写的费用 {} 元时，个人自付 {} 元；费用翻倍到 {} 元时，个人自付 {} 元。",
        yuan(at(n).total),
        yuan(r.totals.total),
        yuan(r.totals.out_of_pocket),
        yuan(at(n).total),
        yuan(at(n).out_of_pocket)
    );
    let label_x = if cx > w - 90.0 { cx - 6.0 } else { cx + 6.0 };
    let anchor = if cx > w - 90.0 { "end" } else { "start" };
    html! {
        <div class="chart-block">
            <h3 id="chart-h">{ "费用变化时自付多少" }</h3>
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
                <figcaption>{ format!("纵轴：个人自付（元）。竖线是您填写的费用：总费用 {} 元，个人自付 {} 元。", yuan(r.totals.total), yuan(r.totals.out_of_pocket)) }</figcaption>
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
        </div>
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
                    <button type="button" class="primary" data-act="retry">{ "重试" }</button>
                }
            </div>
        },
        (_, Some(None | Some(Load::Loading))) => html! { <p role="status">{ "正在加载对比的政策…" }</p> },
        (Some(Ok(cmp)), _) => compare_table(cmp),
        (Some(Err(msg)), _) => html! { <p class="error">{ format!("无法计算对比方案：{msg}") }</p> },
        _ => html! {},
    };
    html! {
        <div class="compare-block">
            <h3>{ "换个政策或档次对比" }</h3>
            <div class="field">
                <label for="compare">{ "对比方案" }</label>
                <select id="compare">
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

fn compare_table(cmp: &Comparison) -> Html {
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
    let diff = cmp.out_of_pocket.difference;
    let summary = if diff.is_zero() {
        format!("按“{b_name}”计算，个人自付相同。")
    } else if diff.is_sign_negative() {
        format!("按“{b_name}”计算，个人自付少 {} 元。", yuan(-diff))
    } else {
        format!("按“{b_name}”计算，个人自付多 {} 元。", yuan(diff))
    };
    let identity_note = match (cmp.before.identity_name, cmp.after.identity_name) {
        (Some(a), Some(b)) if a != b => Some(format!("两边按“就高不就低”适用的身份不同：当前按{a}，对比方案按{b}。")),
        (Some(a), None) => Some(format!("对比方案对“{a}”没有不同待遇，按普通参保人计算。")),
        _ => None,
    };
    html! {
        <>
            <p class="compare-summary" id="compare-summary">{ summary }</p>
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

fn share(state: &AppState, policy: &Policy) -> Html {
    #[cfg(target_arch = "wasm32")]
    let full_url = {
        let mut inputs = state.inputs.clone();
        inputs.data_date = Some(policy.checked_on.clone());
        format!("{}{}", crate::browser::page_path(), crate::browser::query_string(&inputs, false))
    };
    #[cfg(not(target_arch = "wasm32"))]
    let full_url = policy.checked_on.clone();
    html! {
        <section class="card share" aria-labelledby="share-h">
            <h2 id="share-h">{ "分享和保存" }</h2>
            <p class="hint">{ "链接里保存了您选择的地区、身份和填写的费用，打开链接就能看到同样的结果。链接只包含这些数字，不包含姓名等个人信息。" }</p>
            <div class="buttons">
                <button type="button" class="primary" id="copy-link" data-act="copy">{ "复制链接" }</button>
                if state.embed {
                    <a class="button-link" href={full_url} target="_blank" rel="noopener">{ "在新窗口打开完整计算器" }</a>
                } else {
                    <button type="button" class="secondary" data-act="print">{ "打印或存为 PDF" }</button>
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
