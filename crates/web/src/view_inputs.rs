//! The form: 地区, 缴费档次, 参保身份, the policy's documents, and the visits.

use std::rc::Rc;

use yew::prelude::*;
use yibao_engine::ids::Place;
use yibao_engine::policy::Dimension;
use yibao_engine::{Policy, VisitKind};

use crate::app::{AppState, Computed};
use crate::field::{Act, Field, VisitField};
use crate::load::IndexEntry;
use crate::state::{self, FieldError, Inputs, VisitInput, ESTIMATE_PERCENT, MAX_VISITS};
use crate::view_result::yuan;


fn region_select(index: &Rc<Vec<IndexEntry>>, inputs: &Inputs) -> Html {
    let names: Vec<String> = index.iter().map(|e| format!("{} · {} 年", e.region, e.year)).collect();
    // Before a region is chosen, a prompt in its place (choosing it changes nothing).
    let mut options = if inputs.policy.is_none() { vec![("", "请选择地区")] } else { vec![] };
    options.extend(index.iter().zip(&names).map(|(e, n)| (e.id.as_str(), n.as_str())));
    select(Field::Region, "地区", options, inputs.policy.as_deref().unwrap_or_default(), "", None)
}

/// Only the region choice (while a policy cannot be loaded, the resident may pick another).
pub fn region_only(index: &Rc<Vec<IndexEntry>>, inputs: &Inputs) -> Html {
    html! {
        <section class="card choose" aria-labelledby="choose-h">
            <h2 id="choose-h">{ "您的情况" }</h2>
            if inputs.policy.is_none() {
                <p class="prompt" id="region-prompt">{ "第一步：请选择您参保的地区和年度。选好后填写就诊费用，就能看到各项保障报销多少。" }</p>
            }
            { region_select(index, inputs) }
        </section>
    }
}

pub fn choose(index: &Rc<Vec<IndexEntry>>, policy: &Policy, inputs: &Inputs, errors: &[FieldError]) -> Html {
    let tier = state::tier_for(policy, inputs.tier.as_deref());
    let tier_field = if policy.tiers.len() > 1 {
        select(Field::Tier, "缴费档次", policy.tiers.iter().map(|t| (t.id.as_str(), t.name.as_str())).collect(), tier, "参保时选择的缴费档次，不同档次报销比例不同。", None)
    } else {
        html! {}
    };
    let population_field = if !policy.populations.is_empty() && policy.uses(Dimension::Population) {
        let population = policy.population(inputs.population.as_deref());
        let options = policy.populations.iter().map(|t| (t.id.as_str(), t.name.as_str())).collect();
        select(Field::Population, "人群", options, population, "", field_error(errors, Field::Population))
    } else {
        html! {}
    };
    let identities = if policy.identities.is_empty() {
        html! { <p class="hint">{ "本政策没有按参保身份区分的待遇。" }</p> }
    } else {
        html! {
            <fieldset class="identities" aria-describedby="id-hint">
                <legend>{ "参保身份" }</legend>
                <p class="hint" id="id-hint">{ "可多选；都不勾选即为普通参保人。有多个身份时按“就高不就低”取最有利的一种。" }</p>
                { for policy.identities.iter().map(|&id| {
                    let checked = inputs.identities.contains(&id);
                    let input_id = Field::Identity(id).id();
                    html! {
                        <div class="check">
                            <input type="checkbox" id={input_id.clone()} {checked} />
                            <label for={input_id}>{ id.name_zh() }</label>
                        </div>
                    }
                }) }
            </fieldset>
        }
    };
    html! {
        <section class="card choose" aria-labelledby="choose-h">
            <h2 id="choose-h">{ "您的情况" }</h2>
            { region_select(index, inputs) }
            { tier_field }
            { population_field }
            { identities }
            { documents(policy) }
            { data_date_note(policy, inputs) }
        </section>
    }
}

/// A link from policy data: only http(s), opened in a new tab, sending no referrer.
pub fn external_link(url: &str, text: String) -> Html {
    if url.starts_with("https://") || url.starts_with("http://") {
        html! { <a href={url.to_string()} target="_blank" rel="noopener noreferrer">{ text }</a> }
    } else {
        html! { <span>{ text }</span> }
    }
}

fn documents(policy: &Policy) -> Html {
    html! {
        <details class="documents">
            <summary>{ format!("政策依据 · 数据核对于 {}", policy.checked_on) }</summary>
            if let Some(summary) = &policy.summary {
                <p>{ summary.clone() }</p>
            }
            <ul>
                { for policy.documents.iter().map(|d| html! {
                    <li>
                        <span class="doc-title">{ format!("《{}》", d.title) }</span>
                        <span class="doc-meta">
                            { format!("{} · {}", d.issuer, d.date) }
                            { d.number.as_ref().map(|n| format!(" · {n}")).unwrap_or_default() }
                            { d.grade.as_ref().map(|g| format!(" · 资料等级 {g}")).unwrap_or_default() }
                        </span>
                        if let Some(url) = &d.url {
                            <span class="doc-link">{ external_link(url, "查看原文".into()) }</span>
                        }
                    </li>
                }) }
            </ul>
            <p>{ format!("这些数字最后一次与文件核对的日期：{}。", policy.checked_on) }</p>
        </details>
    }
}

fn data_date_note(policy: &Policy, inputs: &Inputs) -> Html {
    match &inputs.data_date {
        Some(d) if *d != policy.checked_on => html! {
            <p class="notice">{ format!("这个链接生成时，政策数据核对于 {d}；现在的数据核对于 {}，结果可能与当时不同。", policy.checked_on) }</p>
        },
        _ => html! {},
    }
}

fn field_error(errors: &[FieldError], field: Field) -> Option<&FieldError> {
    errors.iter().find(|e| e.field == field)
}

/// The engine's message for a field (shown under it) and what `aria-describedby` names.
#[inline(never)]
fn described(id: &str, hint: bool, err: Option<&FieldError>) -> (Option<String>, Html) {
    let hint = hint.then(|| format!("{id}-hint"));
    match err {
        Some(e) => (Some(format!("{} {id}-err", hint.unwrap_or_default())), html! { <p class="error" id={format!("{id}-err")}>{ e.message.clone() }</p> }),
        None => (hint, html! {}),
    }
}

/// A labelled select of (id, name) options with an optional hint and the engine's message.
#[inline(never)]
fn select(field: Field, label: &'static str, options: Vec<(&str, &str)>, selected: &str, hint: &'static str, err: Option<&FieldError>) -> Html {
    let id = field.id();
    let (describe, error) = described(&id, !hint.is_empty(), err);
    html! {
        <div class="field">
            <label for={id.clone()}>{ label }</label>
            <select id={id.clone()} aria-invalid={err.is_some().then_some("true")} aria-describedby={describe}>
                { for options.into_iter().map(|(v, name)| html! { <option value={v.to_string()} selected={v == selected}>{ name.to_string() }</option> }) }
            </select>
            if !hint.is_empty() {
                <p class="hint" id={format!("{id}-hint")}>{ hint }</p>
            }
            { error }
        </div>
    }
}

/// A labelled amount in 元: `extra` (a checkbox) goes between the input and the hint.
#[inline(never)]
fn money(field: Field, label: &'static str, value: String, estimated: bool, extra: Html, hint: Html, err: Option<&FieldError>) -> Html {
    let id = field.id();
    let (describe, error) = described(&id, true, err);
    html! {
        <div class="field">
            <label for={id.clone()}>{ label }</label>
            <div class="money">
                <input id={id.clone()} type="text" inputmode="decimal" autocomplete="off" {value}
                    class={classes!(estimated.then_some("estimated"))}
                    aria-invalid={if err.is_some() { "true" } else { "false" }}
                    aria-describedby={describe} />
                <span class="unit" aria-hidden="true">{ "元" }</span>
            </div>
            { extra }
            <p class="hint" id={format!("{id}-hint")}>{ hint }</p>
            { error }
        </div>
    }
}

/// A checkbox with its label and an optional hint.
#[inline(never)]
fn check(field: Field, label: &'static str, checked: bool, hint: &'static str) -> Html {
    let id = field.id();
    html! {
        <div class="check">
            <input type="checkbox" id={id.clone()} {checked} aria-describedby={(!hint.is_empty()).then(|| format!("{id}-hint"))} />
            <label for={id.clone()}>{ label }</label>
            if !hint.is_empty() {
                <p class="hint" id={format!("{id}-hint")}>{ hint }</p>
            }
        </div>
    }
}

pub fn visits(policy: &Policy, state: &AppState, computed: &Computed) -> Html {
    let inputs = &state.inputs;
    let (errors, waiting) = errors(computed);
    // 规范转诊 matters where a figure differs by it, and where the policy's 倾斜救助 requires
    // it, for the kinds it covers.
    let referral_kinds: Vec<VisitKind> = match &policy.tilted_assistance {
        _ if policy.uses(Dimension::Referral) => VisitKind::ALL.to_vec(),
        Some(t) if t.requires_referral.value => t.kinds.value.clone(),
        _ => vec![],
    };
    let asks = Asks { classes: policy.facilities(), place: policy.uses(Dimension::Place), no_basic: policy.basic.is_none(), referral_kinds };
    let general = errors.iter().find(|e| !matches!(e.field, Field::Visit(..) | Field::Population));
    html! {
        <section class="card visits" aria-labelledby="visits-h">
            <h2 id="visits-h">{ "就诊和费用" }</h2>
            <p class="hint">{ "按时间顺序填写今年的每次住院或门诊。起付线和封顶线按年度累计。" }</p>
            { for inputs.visits.iter().enumerate().map(|(i, v)| visit(i, v, inputs.visits.len(), errors, waiting.contains(&i), &asks)) }
            if let Some(e) = general {
                <p class="error" role="alert">{ e.message.clone() }</p>
            }
            if let Some((i, _)) = &state.removed {
                <p class="undo-note" role="status">
                    { format!("已删除第 {} 次就诊。", i + 1) }
                    <button type="button" id="undo" class="secondary" data-act={Act::Undo.attr()}>{ "撤销删除" }</button>
                </p>
            }
            if inputs.visits.len() < MAX_VISITS {
                <button type="button" id="add-visit" class="secondary" data-act={Act::AddVisit.attr()} aria-describedby="max-visits">{ "添加一次就诊" }</button>
            }
            <p class="hint" id="max-visits">{ format!("最多可填写 {MAX_VISITS} 次就诊，已填写 {} 次。", inputs.visits.len()) }</p>
        </section>
    }
}

/// The field messages and the visits still waiting for their total.
pub fn errors(computed: &Computed) -> (&[FieldError], &[usize]) {
    match &computed.outcome {
        Err(e) => (e, &[]),
        Ok(done) => (&done.ready.missing, &done.ready.waiting),
    }
}

/// What the policy asks of each visit.
struct Asks<'p> {
    classes: Vec<(&'p str, &'p str)>,
    place: bool,
    /// No basic insurance in the policy: its payout comes from the slip.
    no_basic: bool,
    referral_kinds: Vec<VisitKind>,
}

fn visit(i: usize, v: &VisitInput, count: usize, errors: &[FieldError], waiting: bool, asks: &Asks) -> Html {
    let at = |f| Field::Visit(i, f);
    let err = |f| field_error(errors, at(f));
    let total_value = state::parse_amount(&v.total).ok();
    let estimate_value = total_value.map(state::estimate_in_scope);
    let scope_value = if v.estimate {
        estimate_value.map(|d| d.to_string()).unwrap_or_default()
    } else {
        v.in_scope.clone()
    };
    let total_hint = match total_value {
        _ if waiting => "填写后计入结果；可以写 20000、2万 或 1.5万。".to_string(),
        Some(d) if !d.is_sign_negative() => format!("即 {} 元。这次就诊的全部费用，见发票或费用清单。", yuan(d)),
        _ => "这次就诊的全部费用（元），见发票或费用清单；可以写 20000、2万 或 1.5万。".to_string(),
    };
    let scope_hint = if v.estimate {
        html! {
            <>
                <span class="badge badge-est">{ "估算" }</span>
                { match estimate_value {
                    Some(d) => format!("按总费用的{ESTIMATE_PERCENT}%估算为 {} 元。知道实际金额（见结算单上的合规费用）可直接改写，改写后不再估算。", yuan(d)),
                    None => format!("填写总费用后按{ESTIMATE_PERCENT}%估算；也可直接填写。"),
                } }
            </>
        }
    } else {
        html! { "医保目录内的费用（也叫合规费用），见结算单；不会大于总费用。" }
    };
    let estimate = check(at(VisitField::Estimate), "不清楚，按总费用的90%估算", v.estimate, "");
    let slip = v.slip || asks.no_basic;

    html! {
        <fieldset class="visit" key={i}>
            <legend>{ format!("第 {} 次就诊", i + 1) }</legend>
            <div class="row">
                { select(at(VisitField::Kind), "就诊类型", VisitKind::ALL.iter().map(|k| (k.id(), k.name_zh())).collect(), v.kind.id(), "", None) }
                { select(at(VisitField::Level), "医院等级", asks.classes.clone(), &v.level, "", err(VisitField::Level)) }
            </div>
            if asks.place {
                { select(at(VisitField::Place), "就医地", Place::ALL.iter().map(|k| (k.id(), k.name_zh())).collect(), v.place.id(), "在参保地以外看病，办了备案的选“已备案”。", None) }
            }
            { money(at(VisitField::Total), "医疗总费用", v.total.clone(), false, html! {}, html! { total_hint }, err(VisitField::Total)) }
            { money(at(VisitField::InScope), "政策范围内费用", scope_value, v.estimate, estimate, scope_hint, err(VisitField::InScope)) }
            if asks.referral_kinds.contains(&v.kind) {
                { check(at(VisitField::Referred), "规范转诊", v.referred, "按规定办理了转诊手续，并在本地区范围内就医。") }
            }
            if asks.no_basic {
                <p class="hint">{ "本地区的政策文件没有规定基本医保：基本医保报销了多少，须按结算单填写“统筹基金支付”，不填无法计算。" }</p>
            } else {
                { check(at(VisitField::Slip), "我有结算单", v.slip, "医院给的费用结算单。勾选后按单上填写，不填的按政策计算。") }
            }
            if slip {
                { money(at(VisitField::PartialSelfPay), "乙类先行自付", v.partial.clone(), false, html! {}, html! { "结算单上“乙类先行自付”或“先行自付”一栏，没有可不填。" }, err(VisitField::PartialSelfPay)) }
                { money(at(VisitField::BasicPaid), "统筹基金支付", v.paid.clone(), false, html! {}, html! { "结算单上“统筹基金支付”一栏，即基本医保已报销的钱。" }, err(VisitField::BasicPaid)) }
                { money(at(VisitField::CriticalIllnessPaid), "大病保险支付", v.ci_paid.clone(), false, html! {}, html! { "结算单上“大病保险支付”一栏，没有可不填。" }, err(VisitField::CriticalIllnessPaid)) }
            }
            if count > 1 {
                <button type="button" class="remove" data-act={Act::RemoveVisit(i).attr()}>
                    { format!("删除第 {} 次就诊", i + 1) }
                </button>
            }
        </fieldset>
    }
}
