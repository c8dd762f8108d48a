//! The page: state, loading, events, and the layout of its sections.
//!
//! One function component. Events are delegated: three listeners on `<main>` (input,
//! change, click) read the target's `id` or `data-act`, which keeps the wasm small
//! (every distinct callback type costs code; see the first-load budget).

use std::rc::Rc;

use yew::prelude::*;
use yibao_engine::{CalcResult, Comparison, HospitalLevel, Identity, Policy, Scenario, VisitKind};

use crate::compute;
use crate::load::{IndexEntry, LoadError};
use crate::state::{self, FieldError, Inputs, MAX_VISITS};
use crate::{view_inputs, view_result};

#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Loading,
    Ready(T),
    Failed(LoadError),
}

/// What the 复制链接 button did.
#[derive(Clone, Debug, PartialEq)]
pub enum Copied {
    No,
    Yes,
    /// The clipboard is not available: the link is shown selected, to copy by hand.
    Manual(String),
}

#[derive(Clone, PartialEq)]
pub struct AppState {
    /// `None` until the first fetch starts (and again after 重试).
    pub index: Option<Load<Rc<Vec<IndexEntry>>>>,
    /// Loaded policies by id (a short list: a Vec costs less wasm than a map).
    pub policies: Vec<(String, Load<Rc<PolicyBox>>)>,
    pub inputs: Inputs,
    pub elder: bool,
    pub embed: bool,
    /// The headline as last announced to screen readers (after typing pauses).
    pub announced: String,
    pub copied: Copied,
}

impl AppState {
    pub fn policy(&self, id: &str) -> Option<&Load<Rc<PolicyBox>>> {
        self.policies.iter().find(|(k, _)| k == id).map(|(_, l)| l)
    }

    fn current(&self) -> Option<&Load<Rc<PolicyBox>>> {
        self.inputs.policy.as_deref().and_then(|id| self.policy(id))
    }
}

/// A loaded policy; compared by address (policies are immutable once loaded).
pub struct PolicyBox(pub Policy);

impl PartialEq for PolicyBox {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

pub enum Action {
    IndexStarted,
    IndexDone(Result<Vec<IndexEntry>, LoadError>),
    PolicyStarted(String),
    PolicyDone(String, Result<Policy, LoadError>),
    Retry,
    /// A change of a field, by the element's id and its value (or checked state).
    Field(String, String, bool),
    AddVisit,
    RemoveVisit(usize),
    ToggleElder,
    Announce(String),
    Copied(Copied),
}

/// `v3-total` → (3, "total").
fn visit_field(id: &str) -> Option<(usize, &str)> {
    let (i, field) = id.strip_prefix('v')?.split_once('-')?;
    Some((i.parse().ok()?, field))
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let inputs = &mut s.inputs;
        match action {
            Action::IndexStarted => s.index = Some(Load::Loading),
            Action::IndexDone(Ok(entries)) => {
                let known = |id: &str| entries.iter().any(|e| e.id == id);
                if !inputs.policy.as_deref().is_some_and(known) {
                    inputs.policy = Some(entries[0].id.clone());
                }
                if inputs.compare.as_ref().is_some_and(|c| !known(&c.policy)) {
                    inputs.compare = None;
                }
                s.index = Some(Load::Ready(Rc::new(entries)));
            }
            Action::IndexDone(Err(e)) => s.index = Some(Load::Failed(e)),
            Action::PolicyStarted(id) => {
                s.policies.retain(|(k, _)| *k != id);
                s.policies.push((id, Load::Loading));
            }
            Action::PolicyDone(id, result) => {
                s.policies.retain(|(k, _)| *k != id);
                s.policies.push((id, result.map(|p| Rc::new(PolicyBox(p))).map_or_else(Load::Failed, Load::Ready)));
            }
            Action::Retry => {
                if matches!(s.index, Some(Load::Failed(_))) {
                    s.index = None;
                }
                s.policies.retain(|(_, l)| !matches!(l, Load::Failed(_)));
            }
            Action::Field(id, value, checked) => {
                match id.as_str() {
                    "region" => {
                        if inputs.policy.as_deref() != Some(value.as_str()) {
                            inputs.policy = Some(value);
                            inputs.tier = None;
                            inputs.compare = None;
                            inputs.data_date = None;
                        }
                    }
                    "tier" => inputs.tier = Some(value),
                    "compare" => inputs.compare = view_result::target_from(&value),
                    _ => {
                        if let Some(identity) = id.strip_prefix("id-").and_then(Identity::from_id) {
                            inputs.identities.retain(|i| *i != identity);
                            if checked {
                                inputs.identities.push(identity);
                            }
                        } else if let Some((i, field)) = visit_field(&id) {
                            if let Some(v) = inputs.visits.get_mut(i) {
                                match field {
                                    "kind" => v.kind = VisitKind::from_id(&value).unwrap_or(v.kind),
                                    "level" => v.level = HospitalLevel::from_id(&value).unwrap_or(v.level),
                                    "total" => v.total = value,
                                    "scope" => v.in_scope = value,
                                    "ref" => v.referred = checked,
                                    "est" => {
                                        if !checked && v.in_scope.is_empty() {
                                            // Start from the estimate, for the resident to correct.
                                            if let Ok(t) = state::parse_amount(&v.total) {
                                                v.in_scope = state::estimate_in_scope(t).to_string();
                                            }
                                        }
                                        v.estimate = checked;
                                    }
                                    _ => {}
                                }
                            }
                        }
                    }
                }
                s.copied = Copied::No;
            }
            Action::AddVisit => {
                if inputs.visits.len() < MAX_VISITS {
                    let mut v = inputs.visits.last().cloned().unwrap_or_default();
                    v.total = String::new();
                    v.in_scope = String::new();
                    v.estimate = true;
                    inputs.visits.push(v);
                }
            }
            Action::RemoveVisit(i) => {
                if inputs.visits.len() > 1 && i < inputs.visits.len() {
                    inputs.visits.remove(i);
                }
            }
            Action::ToggleElder => s.elder = !s.elder,
            Action::Announce(text) => s.announced = text,
            Action::Copied(c) => s.copied = c,
        }
        Rc::new(s)
    }
}

/// Everything computed from the inputs, memoised on them.
pub struct Computed {
    pub outcome: Result<(Scenario, CalcResult), Vec<FieldError>>,
    pub curve: Option<compute::Curve>,
    pub compare: Option<Result<Comparison, String>>,
    /// Milliseconds the calculation took (engine, curve and comparison).
    pub millis: f64,
}

impl PartialEq for Computed {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub inputs: Inputs,
    pub embed: bool,
    pub elder: bool,
}

type Dispatch = UseReducerDispatcher<AppState>;

#[cfg(target_arch = "wasm32")]
fn target(e: &Event) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    e.target()?.dyn_into::<web_sys::Element>().ok()
}

/// Input and change events of every field, by the field's id.
fn field_event(dispatch: &Dispatch, e: &Event) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let Some(el) = target(e) else { return };
        let id = el.id();
        if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            dispatch.dispatch(Action::Field(id, input.value(), input.checked()));
        } else if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            dispatch.dispatch(Action::Field(id, select.value(), false));
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (e, dispatch);
}

/// Clicks on buttons, by their `data-act`.
fn on_click(dispatch: Dispatch) -> Callback<MouseEvent> {
    Callback::from(move |e: MouseEvent| {
        #[cfg(target_arch = "wasm32")]
        {
            let Some(button) = target(&e).and_then(|t| t.closest("button").ok().flatten()) else { return };
            let act = button.get_attribute("data-act").unwrap_or_default();
            match act.as_str() {
                "retry" => dispatch.dispatch(Action::Retry),
                "elder" => dispatch.dispatch(Action::ToggleElder),
                "print" => crate::browser::print(),
                "add" => {
                    dispatch.dispatch(Action::AddVisit);
                    crate::app_focus_last_visit();
                }
                "copy" => {
                    let url = crate::browser::share_url();
                    let dispatch = dispatch.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        match crate::browser::copy(&url).await {
                            Ok(()) => dispatch.dispatch(Action::Copied(Copied::Yes)),
                            Err(()) => {
                                dispatch.dispatch(Action::Copied(Copied::Manual(url)));
                                crate::app_focus_select("share-url");
                            }
                        }
                    });
                }
                other => {
                    if let Some(i) = other.strip_prefix("remove-").and_then(|i| i.parse().ok()) {
                        dispatch.dispatch(Action::RemoveVisit(i));
                        crate::app_focus("add-visit");
                    }
                }
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = (e, &dispatch);
    })
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let state = {
        let (inputs, embed, elder) = (props.inputs.clone(), props.embed, props.elder);
        use_reducer(move || AppState { index: None, policies: vec![], inputs, elder, embed, announced: String::new(), copied: Copied::No })
    };
    let dispatch = state.dispatcher();

    // What must be fetched: the index (again after 重试), then the chosen policy and the one
    // compared with. Runs after every render; starting a fetch marks it Loading first.
    {
        let dispatch = dispatch.clone();
        let index_missing = state.index.is_none();
        let mut missing: Vec<IndexEntry> = vec![];
        if let Some(Load::Ready(entries)) = &state.index {
            let compare = state.inputs.compare.as_ref().map(|c| c.policy.as_str());
            for e in entries.iter() {
                if (state.inputs.policy.as_deref() == Some(&e.id) || compare == Some(&e.id)) && state.policy(&e.id).is_none() {
                    missing.push(e.clone());
                }
            }
        }
        use_effect_with((index_missing, missing), move |(index_missing, missing)| {
            if *index_missing {
                dispatch.dispatch(Action::IndexStarted);
                #[cfg(target_arch = "wasm32")]
                {
                    let dispatch = dispatch.clone();
                    wasm_bindgen_futures::spawn_local(async move { dispatch.dispatch(Action::IndexDone(crate::load::index().await)) });
                }
            }
            for entry in missing.iter().cloned() {
                dispatch.dispatch(Action::PolicyStarted(entry.id.clone()));
                #[cfg(target_arch = "wasm32")]
                {
                    let dispatch = dispatch.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let r = crate::load::policy(&entry).await;
                        dispatch.dispatch(Action::PolicyDone(entry.id.clone(), r));
                    });
                }
            }
        });
    }

    let policy: Option<Rc<PolicyBox>> = match state.current() {
        Some(Load::Ready(p)) => Some(p.clone()),
        _ => None,
    };
    let compare_policy: Option<Rc<PolicyBox>> = state.inputs.compare.as_ref().and_then(|c| match state.policy(&c.policy) {
        Some(Load::Ready(p)) => Some(p.clone()),
        _ => None,
    });

    let computed: Option<Rc<Computed>> = {
        let memo = use_memo((state.inputs.clone(), policy.clone(), compare_policy.clone()), |(inputs, policy, compare_policy)| {
            let policy = &policy.as_ref()?.0;
            let started = now();
            let mut inputs = inputs.clone();
            inputs.identities.retain(|id| policy.identities.contains(id));
            let outcome = compute::result(policy, &inputs);
            let curve = outcome.as_ref().ok().and_then(|(s, r)| compute::curve(policy, s, &r.totals));
            let compare = match (&inputs.compare, compare_policy, &outcome) {
                (Some(target), Some(other), Ok(_)) => Some(compute::compare(policy, &inputs, &other.0, target.tier.as_deref())),
                _ => None,
            };
            Some(Rc::new(Computed { outcome, curve, compare, millis: now() - started }))
        });
        (*memo).clone()
    };

    // The headline, announced politely once typing pauses (not on every keystroke).
    let headline = match computed.as_deref().map(|c| &c.outcome) {
        Some(Ok((_, r))) => format!("预计可报销 {} 元，个人自付 {} 元", view_result::yuan(r.totals.reimbursed), view_result::yuan(r.totals.out_of_pocket)),
        Some(Err(errors)) => format!("有 {} 处填写需要改正", errors.len()),
        None => String::new(),
    };

    // Side effects of the state: the link, 长辈版, the announcement.
    {
        let link = {
            let mut inputs = state.inputs.clone();
            if let Some(p) = &policy {
                inputs.data_date = Some(p.0.checked_on.clone());
            }
            inputs
        };
        let deps = (link, state.elder, headline, state.embed);
        let dispatch = dispatch.clone();
        use_effect_with(deps, move |(link, elder, headline, embed)| {
            #[cfg(target_arch = "wasm32")]
            {
                crate::browser::write_link(link, *embed);
                crate::browser::set_elder(*elder, true);
                let headline = headline.clone();
                let timer = gloo_timers::callback::Timeout::new(800, move || dispatch.dispatch(Action::Announce(headline)));
                move || drop(timer)
            }
            #[cfg(not(target_arch = "wasm32"))]
            {
                let _ = (link, elder, embed);
                dispatch.dispatch(Action::Announce(headline.clone()));
                || ()
            }
        });
    }

    let index = match &state.index {
        Some(Load::Ready(entries)) => Some(entries.clone()),
        _ => None,
    };
    let body = match (&state.index, index.as_ref(), state.current(), policy.as_ref(), computed.as_ref()) {
        (Some(Load::Failed(e)), ..) => failure(e),
        (_, Some(index), Some(Load::Failed(e)), ..) => html! {
            <>
                { view_inputs::region_only(index, &state.inputs) }
                { failure(e) }
            </>
        },
        (_, Some(index), _, Some(p), Some(computed)) => html! {
            <div class="layout">
                <div class="inputs">
                    { view_inputs::choose(index, &p.0, &state.inputs) }
                    { view_inputs::visits(&p.0, &state.inputs, computed) }
                </div>
                { view_result::results(&state, &p.0, index, computed) }
            </div>
        },
        _ => html! { <p class="loading" role="status">{ "正在加载政策数据…" }</p> },
    };

    let onclick = on_click(dispatch.clone());
    // Selects and checkboxes fire `input` too in current browsers; `change` covers old WebViews.
    let oninput = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| field_event(&dispatch, &e))
    };
    let onchange = Callback::from(move |e: Event| field_event(&dispatch, &e));
    html! {
        <div class="app" {oninput} {onchange} {onclick}>
            <header class="top">
                <a class="skip" href="#result">{ "跳到计算结果" }</a>
                <div class="title-row">
                    <h1>{ crate::TITLE }</h1>
                    <button type="button" class="elder-toggle" data-act="elder" aria-pressed={if state.elder { "true" } else { "false" }}>
                        { if state.elder { "长辈版：已开启" } else { "长辈版" } }
                    </button>
                </div>
                // The introduction is in index.html (#intro), painted before the app starts.
            </header>
            <main id="main">
                <p class="sr-only" aria-live="polite" aria-atomic="true" id="announce">{ state.announced.clone() }</p>
                { body }
            </main>
            // Only once the page is complete: a footer under the loading line would jump down.
            if !state.embed && computed.is_some() {
                <footer class="foot">
                    <p>{ "测算结果仅供参考，实际报销以医保经办机构结算为准。" }</p>
                    <p>{ "隐私：本页不使用 Cookie，不做访问统计；您填写的内容只在本机计算，不会发送到任何地方。" }</p>
                    <p class="version">{ "计算引擎 " }{ yibao_engine::ENGINE_VERSION }</p>
                </footer>
            }
        </div>
    }
}

fn failure(e: &LoadError) -> Html {
    html! {
        <div class="failure" role="alert">
            <p>{ e.message.clone() }</p>
            if e.retry {
                <button type="button" class="primary" data-act="retry">{ "重试" }</button>
            }
            <details>
                <summary>{ "技术细节" }</summary>
                <p class="detail">{ e.detail.clone() }</p>
            </details>
        </div>
    }
}

fn now() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        crate::browser::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_ids_name_the_visit_and_field() {
        assert_eq!(visit_field("v3-total"), Some((3, "total")));
        assert_eq!(visit_field("v0-est"), Some((0, "est")));
        assert_eq!(visit_field("region"), None);
    }

    #[test]
    fn fields_change_the_inputs() {
        let s = Rc::new(AppState { index: None, policies: vec![], inputs: Inputs::default(), elder: false, embed: false, announced: String::new(), copied: Copied::No });
        let s = s.reduce(Action::Field("v0-total".into(), "5000".into(), false));
        let s = s.reduce(Action::Field("v0-kind".into(), "outpatient".into(), false));
        let s = s.reduce(Action::Field("id-subsistence_allowance".into(), "on".into(), true));
        let s = s.reduce(Action::AddVisit);
        let s = s.reduce(Action::Field("v1-est".into(), "on".into(), false));
        assert_eq!(s.inputs.visits[0].total, "5000");
        assert_eq!(s.inputs.visits[0].kind, VisitKind::Outpatient);
        assert_eq!(s.inputs.identities, vec![Identity::SubsistenceAllowance]);
        assert_eq!(s.inputs.visits.len(), 2);
        assert!(!s.inputs.visits[1].estimate);
        let s = s.reduce(Action::RemoveVisit(0));
        assert_eq!(s.inputs.visits.len(), 1);
    }
}
