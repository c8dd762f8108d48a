//! The form: 地区, 缴费档次, 参保身份, the policy's documents, and the visits.

use std::rc::Rc;

use yew::prelude::*;
use yibao_engine::{HospitalLevel, Policy, VisitKind};

use crate::app::{AppState, Computed};
use crate::load::IndexEntry;
use crate::state::{self, FieldError, Inputs, VisitInput, ESTIMATE_PERCENT, MAX_VISITS};
use crate::view_result::yuan;


fn region_select(index: &Rc<Vec<IndexEntry>>, inputs: &Inputs) -> Html {
    html! {
        <div class="field">
            <label for="region">{ "地区" }</label>
            <select id="region">
                if inputs.policy.is_none() {
                    <option value="" selected=true disabled=true>{ "请选择地区" }</option>
                }
                { for index.iter().map(|e| html! {
                    <option value={e.id.clone()} selected={inputs.policy.as_deref() == Some(e.id.as_str())}>
                        { format!("{} · {} 年", e.region, e.year) }
                    </option>
                }) }
            </select>
        </div>
    }
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

pub fn choose(index: &Rc<Vec<IndexEntry>>, policy: &Policy, inputs: &Inputs) -> Html {
    let tier = state::tier_for(policy, inputs.tier.as_deref());
    let tier_field = if policy.tiers.len() > 1 {
        html! {
            <div class="field">
                <label for="tier">{ "缴费档次" }</label>
                <select id="tier" aria-describedby="tier-hint">
                    { for policy.tiers.iter().map(|t| html! {
                        <option value={t.id.clone()} selected={t.id == tier}>{ t.name.clone() }</option>
                    }) }
                </select>
                <p class="hint" id="tier-hint">{ "参保时选择的缴费档次，不同档次报销比例不同。" }</p>
            </div>
        }
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
                    let input_id = format!("id-{}", id.id());
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

fn field_error<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a FieldError> {
    errors.iter().find(|e| e.field == field)
}

pub fn visits(policy: &Policy, state: &AppState, computed: &Computed) -> Html {
    let inputs = &state.inputs;
    let (errors, waiting): (&[FieldError], &[usize]) = match &computed.outcome {
        Err(e) => (e, &[]),
        Ok(done) => (&done.ready.missing, &done.ready.waiting),
    };
    // 规范转诊 matters only where the policy's 倾斜救助 requires it, for the kinds it covers.
    let referral_kinds: Vec<VisitKind> = match &policy.tilted_assistance {
        Some(t) if t.requires_referral.value => t.kinds.value.clone(),
        _ => vec![],
    };
    let general = errors.iter().find(|e| !e.field.starts_with("visits["));
    html! {
        <section class="card visits" aria-labelledby="visits-h">
            <h2 id="visits-h">{ "就诊和费用" }</h2>
            <p class="hint">{ "按时间顺序填写今年的每次住院或门诊。起付线和封顶线按年度累计。" }</p>
            { for inputs.visits.iter().enumerate().map(|(i, v)| visit(i, v, inputs.visits.len(), errors, waiting.contains(&i), &referral_kinds)) }
            if let Some(e) = general {
                <p class="error" role="alert">{ e.message.clone() }</p>
            }
            if let Some((i, _)) = &state.removed {
                <p class="undo-note" role="status">
                    { format!("已删除第 {} 次就诊。", i + 1) }
                    <button type="button" id="undo" class="secondary" data-act="undo">{ "撤销删除" }</button>
                </p>
            }
            if inputs.visits.len() < MAX_VISITS {
                <button type="button" id="add-visit" class="secondary" data-act="add" aria-describedby="max-visits">{ "添加一次就诊" }</button>
            }
            <p class="hint" id="max-visits">{ format!("最多可填写 {MAX_VISITS} 次就诊，已填写 {} 次。", inputs.visits.len()) }</p>
        </section>
    }
}

fn visit(i: usize, v: &VisitInput, count: usize, errors: &[FieldError], waiting: bool, referral_kinds: &[VisitKind]) -> Html {
    let p = format!("v{i}");
    let total_err = field_error(errors, &format!("visits[{i}].total"));
    let scope_err = field_error(errors, &format!("visits[{i}].in_scope"));
    let total_value = state::parse_amount(&v.total).ok();
    let estimate_value = total_value.map(state::estimate_in_scope);
    let scope_value = if v.estimate {
        estimate_value.map(|d| d.to_string()).unwrap_or_default()
    } else {
        v.in_scope.clone()
    };
    let describe = |err: Option<&FieldError>, hint: &str| -> String {
        match err {
            Some(_) => format!("{p}-{hint}-err {p}-{hint}-hint"),
            None => format!("{p}-{hint}-hint"),
        }
    };
    let show_referral = referral_kinds.contains(&v.kind);
    let total_hint = match total_value {
        _ if waiting => "填写后计入结果；可以写 20000、2万 或 1.5万。".to_string(),
        Some(d) if !d.is_sign_negative() => format!("即 {} 元。这次就诊的全部费用，见发票或费用清单。", yuan(d)),
        _ => "这次就诊的全部费用（元），见发票或费用清单；可以写 20000、2万 或 1.5万。".to_string(),
    };

    html! {
        <fieldset class="visit" key={i}>
            <legend>{ format!("第 {} 次就诊", i + 1) }</legend>
            <div class="row">
                <div class="field">
                    <label for={format!("{p}-kind")}>{ "就诊类型" }</label>
                    <select id={format!("{p}-kind")}>
                        { for VisitKind::ALL.iter().map(|k| html! {
                            <option value={k.id()} selected={*k == v.kind}>{ k.name_zh() }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for={format!("{p}-level")}>{ "医院等级" }</label>
                    <select id={format!("{p}-level")}>
                        { for HospitalLevel::ALL.iter().map(|l| html! {
                            <option value={l.id()} selected={*l == v.level}>{ l.name_zh() }</option>
                        }) }
                    </select>
                </div>
            </div>
            <div class="field">
                <label for={format!("{p}-total")}>{ "医疗总费用" }</label>
                <div class="money">
                    <input id={format!("{p}-total")} type="text" inputmode="decimal" autocomplete="off"
                        value={v.total.clone()}
                        aria-invalid={if total_err.is_some() { "true" } else { "false" }}
                        aria-describedby={describe(total_err, "total")} />
                    <span class="unit" aria-hidden="true">{ "元" }</span>
                </div>
                <p class="hint" id={format!("{p}-total-hint")}>{ total_hint }</p>
                if let Some(e) = total_err {
                    <p class="error" id={format!("{p}-total-err")}>{ e.message.clone() }</p>
                }
            </div>
            <div class="field">
                <label for={format!("{p}-scope")}>{ "政策范围内费用" }</label>
                <div class="money">
                    <input id={format!("{p}-scope")} type="text" inputmode="decimal" autocomplete="off"
                        value={scope_value}
                        class={classes!(v.estimate.then_some("estimated"))}
                        aria-invalid={if scope_err.is_some() { "true" } else { "false" }}
                        aria-describedby={describe(scope_err, "scope")} />
                    <span class="unit" aria-hidden="true">{ "元" }</span>
                </div>
                <div class="check">
                    <input type="checkbox" id={format!("{p}-est")} checked={v.estimate} />
                    <label for={format!("{p}-est")}>{ format!("不清楚，按总费用的{ESTIMATE_PERCENT}%估算") }</label>
                </div>
                if v.estimate {
                    <p class="hint estimate-note" id={format!("{p}-scope-hint")}>
                        <span class="badge badge-est">{ "估算" }</span>
                        { match estimate_value {
                            Some(d) => format!("按总费用的{ESTIMATE_PERCENT}%估算为 {} 元。知道实际金额（见结算单上的合规费用）可直接改写，改写后不再估算。", yuan(d)),
                            None => format!("填写总费用后按{ESTIMATE_PERCENT}%估算；也可直接填写。"),
                        } }
                    </p>
                } else {
                    <p class="hint" id={format!("{p}-scope-hint")}>{ "医保目录内的费用（也叫合规费用），见结算单；不会大于总费用。" }</p>
                }
                if let Some(e) = scope_err {
                    <p class="error" id={format!("{p}-scope-err")}>{ e.message.clone() }</p>
                }
            </div>
            if show_referral {
                <div class="check">
                    <input type="checkbox" id={format!("{p}-ref")} checked={v.referred} aria-describedby={format!("{p}-ref-hint")} />
                    <label for={format!("{p}-ref")}>{ "规范转诊" }</label>
                    <p class="hint" id={format!("{p}-ref-hint")}>{ "按规定办理了转诊手续，并在本地区范围内就医。倾斜救助只计算规范转诊的住院。" }</p>
                </div>
            }
            if count > 1 {
                <button type="button" class="remove" data-act={format!("remove-{i}")}>
                    { format!("删除第 {} 次就诊", i + 1) }
                </button>
            }
        </fieldset>
    }
}
