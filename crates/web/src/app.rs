//! The page: state, loading, events, and the layout of its sections.
//!
//! One function component. Events are delegated: three listeners on `<main>` (input,
//! change, click) read the target's `id` or `data-act`, which keeps the wasm small
//! (every distinct callback type costs code; see the first-load budget).

use std::rc::Rc;

use yew::prelude::*;
use yibao_engine::ids::Place;
use yibao_engine::{Comparison, Identity, Policy, VisitKind};

use crate::compute;
use crate::field::{Act, Field, VisitField};
use crate::load::{IndexEntry, LoadError};
use crate::state::{self, FieldError, Inputs, LinkNotice, VisitInput, MAX_VISITS};
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
    /// What the link (or a change of region) asked for that could not be honoured.
    pub notices: Vec<LinkNotice>,
    /// Visits whose 医疗总费用 the resident left empty (only these are marked as missing).
    pub left: Vec<usize>,
    /// The visit last removed and where it was, for 撤销.
    pub removed: Option<(usize, VisitInput)>,
}

impl AppState {
    pub fn policy(&self, id: &str) -> Option<&Load<Rc<PolicyBox>>> {
        self.policies.iter().find(|(k, _)| k == id).map(|(_, l)| l)
    }

    fn current(&self) -> Option<&Load<Rc<PolicyBox>>> {
        self.inputs.policy.as_deref().and_then(|id| self.policy(id))
    }

    pub fn new(inputs: Inputs, notices: Vec<LinkNotice>, embed: bool, elder: bool) -> Self {
        AppState { index: None, policies: vec![], inputs, elder, embed, announced: String::new(), copied: Copied::No, notices, left: vec![], removed: None }
    }

    /// Fits the inputs to the loaded policies, with a notice for what had to go: a tier the
    /// policy lacks, identities it does not offer, a comparison tier that does not exist.
    fn fit(&mut self) {
        if let Some(Load::Ready(p)) = self.current() {
            let p = p.clone();
            if self.inputs.tier.as_deref().is_some_and(|t| p.0.tier(t).is_none()) {
                self.inputs.tier = None;
                self.notices.push(LinkNotice::UnknownTier);
            }
            if self.inputs.population.as_deref().is_some_and(|g| !p.0.populations.iter().any(|t| t.id == g)) {
                self.inputs.population = None;
                self.notices.push(LinkNotice::UnknownPopulation);
            }
            // A class the policy lacks: its first class; said when the visit has been filled in.
            let classes = p.0.facilities();
            let mut changed = false;
            for v in &mut self.inputs.visits {
                if !classes.iter().any(|(id, _)| *id == v.level) {
                    changed |= !v.total.trim().is_empty();
                    v.level = classes[0].0.to_string();
                }
            }
            if changed {
                self.notices.push(LinkNotice::UnknownLevel(classes[0].1.to_string()));
            }
            let dropped: Vec<Identity> = self.inputs.identities.iter().copied().filter(|i| !p.0.identities.contains(i)).collect();
            if !dropped.is_empty() {
                self.inputs.identities.retain(|i| !dropped.contains(i));
                self.notices.push(LinkNotice::IdentityNotOffered(dropped));
            }
        }
        let bad_compare = match &self.inputs.compare {
            Some(c) => match self.policy(&c.policy) {
                Some(Load::Ready(p)) => c.tier.as_deref().is_some_and(|t| p.0.tier(t).is_none()),
                _ => false,
            },
            None => false,
        };
        if bad_compare {
            self.inputs.compare = None;
            self.notices.push(LinkNotice::UnknownCompare);
        }
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
    /// A change of a field: its value (or checked state).
    Field(Field, String, bool),
    AddVisit,
    RemoveVisit(usize),
    /// 撤销 the last removal.
    Undo,
    /// The resident left a visit's 医疗总费用 empty.
    LeftEmpty(usize),
    /// 知道了 on the notices.
    DismissNotices,
    ToggleElder,
    Announce(String),
    Copied(Copied),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let inputs = &mut s.inputs;
        match action {
            Action::IndexStarted => s.index = Some(Load::Loading),
            Action::IndexDone(Ok(entries)) => {
                // Never another region in place of one the link names: the resident chooses.
                let known = |id: &str| entries.iter().any(|e| e.id == id);
                if inputs.policy.as_deref().is_some_and(|p| !known(p)) {
                    inputs.policy = None;
                    s.notices.push(LinkNotice::UnknownRegion);
                }
                if inputs.compare.as_ref().is_some_and(|c| !known(&c.policy)) {
                    inputs.compare = None;
                    s.notices.push(LinkNotice::UnknownCompare);
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
            Action::Field(field, value, checked) => {
                match field {
                    Field::Region => {
                        if !value.is_empty() && inputs.policy.as_deref() != Some(value.as_str()) {
                            inputs.policy = Some(value);
                            inputs.tier = None;
                            inputs.population = None;
                            inputs.compare = None;
                            inputs.data_date = None;
                            s.notices.retain(|n| *n != LinkNotice::UnknownRegion);
                        }
                    }
                    Field::Tier => inputs.tier = Some(value),
                    Field::Population => inputs.population = Some(value),
                    Field::Compare => inputs.compare = view_result::target_from(&value),
                    Field::Identity(identity) => {
                        inputs.identities.retain(|i| *i != identity);
                        if checked {
                            inputs.identities.push(identity);
                        }
                    }
                    Field::Visit(i, field) => {
                        if let Some(v) = inputs.visits.get_mut(i) {
                            match field {
                                VisitField::Kind => v.kind = VisitKind::from_id(&value).unwrap_or(v.kind),
                                VisitField::Level => v.level = value,
                                VisitField::Place => v.place = Place::from_id(&value).unwrap_or(v.place),
                                // Typing what the slip says means the resident has one.
                                VisitField::PartialSelfPay | VisitField::BasicPaid | VisitField::CriticalIllnessPaid => {
                                    let amount = match field {
                                        VisitField::PartialSelfPay => &mut v.partial,
                                        VisitField::BasicPaid => &mut v.paid,
                                        _ => &mut v.ci_paid,
                                    };
                                    (*amount, v.slip) = (value, true);
                                }
                                VisitField::Slip => v.slip = checked,
                                VisitField::Total => v.total = value,
                                VisitField::InScope => {
                                    // Typing a figure means the resident knows it: no estimate.
                                    v.in_scope = value;
                                    v.estimate = false;
                                }
                                VisitField::Referred => v.referred = checked,
                                VisitField::Estimate => {
                                    if !checked && v.in_scope.is_empty() {
                                        // Start from the estimate, for the resident to correct.
                                        if let Ok(t) = state::parse_amount(&v.total) {
                                            v.in_scope = state::estimate_in_scope(t).to_string();
                                        }
                                    }
                                    v.estimate = checked;
                                }
                            }
                        }
                    }
                    Field::Whole => {}
                }
                s.copied = Copied::No;
            }
            Action::AddVisit => {
                if inputs.visits.len() < MAX_VISITS {
                    let last = inputs.visits.last().cloned().unwrap_or_default();
                    inputs.visits.push(VisitInput { kind: last.kind, level: last.level, ..VisitInput::default() });
                }
                s.removed = None;
            }
            Action::RemoveVisit(i) => {
                if inputs.visits.len() > 1 && i < inputs.visits.len() {
                    s.removed = Some((i, inputs.visits.remove(i)));
                    s.left = s.left.iter().filter(|&&k| k != i).map(|&k| if k > i { k - 1 } else { k }).collect();
                }
            }
            Action::Undo => {
                if let Some((i, v)) = s.removed.take() {
                    if inputs.visits.len() < MAX_VISITS {
                        let i = i.min(inputs.visits.len());
                        inputs.visits.insert(i, v);
                        s.left = s.left.iter().map(|&k| if k >= i { k + 1 } else { k }).collect();
                    }
                }
            }
            Action::LeftEmpty(i) => {
                if inputs.visits.get(i).is_some_and(|v| v.total.trim().is_empty()) && !s.left.contains(&i) {
                    s.left.push(i);
                }
            }
            Action::DismissNotices => s.notices.clear(),
            Action::ToggleElder => s.elder = !s.elder,
            Action::Announce(text) => s.announced = text,
            Action::Copied(c) => s.copied = c,
        }
        s.fit();
        Rc::new(s)
    }
}

/// Everything computed from the inputs, memoised on them.
pub struct Computed {
    pub outcome: Result<compute::Done, Vec<FieldError>>,
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
    pub notices: Vec<LinkNotice>,
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
        let Some(field) = Field::from_id(&el.id()) else { return };
        if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            dispatch.dispatch(Action::Field(field, input.value(), input.checked()));
        } else if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            dispatch.dispatch(Action::Field(field, select.value(), false));
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (e, dispatch);
}

/// Leaving a visit's 医疗总费用 empty (focus moves on): only then is it marked as missing.
fn left_event(dispatch: &Dispatch, e: &FocusEvent) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let Some(input) = target(e).and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        if let Some(Field::Visit(i, VisitField::Total)) = Field::from_id(&input.id()) {
            if input.value().trim().is_empty() {
                dispatch.dispatch(Action::LeftEmpty(i));
            }
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
            let Some(act) = button.get_attribute("data-act").and_then(|a| Act::from_attr(&a)) else { return };
            match act {
                Act::Retry => dispatch.dispatch(Action::Retry),
                Act::Elder => dispatch.dispatch(Action::ToggleElder),
                Act::Print => crate::browser::print(),
                Act::AddVisit => {
                    dispatch.dispatch(Action::AddVisit);
                    crate::app_focus_last_visit();
                }
                Act::Undo => {
                    dispatch.dispatch(Action::Undo);
                    crate::app_focus("add-visit");
                }
                Act::Dismiss => dispatch.dispatch(Action::DismissNotices),
                Act::Copy => {
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
                Act::RemoveVisit(i) => {
                    dispatch.dispatch(Action::RemoveVisit(i));
                    crate::app_focus("undo");
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
        let (inputs, notices, embed, elder) = (props.inputs.clone(), props.notices.clone(), props.embed, props.elder);
        use_reducer(move || AppState::new(inputs, notices, embed, elder))
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
        let memo = use_memo((state.inputs.clone(), state.left.clone(), policy.clone(), compare_policy.clone()), |(inputs, left, policy, compare_policy)| {
            let policy = &policy.as_ref()?.0;
            let started = now();
            let outcome = compute::result(policy, inputs, left);
            let done = outcome.as_ref().ok().and_then(|d| Some((&d.ready.scenario, d.result.as_ref()?)));
            let curve = done.and_then(|(s, r)| compute::curve(policy, s, &r.totals));
            let compare = match (&inputs.compare, compare_policy, done) {
                (Some(target), Some(other), Some((s, _))) => Some(compute::compare(policy, s, &other.0, target.tier.as_deref())),
                _ => None,
            };
            Some(Rc::new(Computed { outcome, curve, compare, millis: now() - started }))
        });
        (*memo).clone()
    };

    // The headline, announced politely once typing pauses (not on every keystroke).
    let headline = match computed.as_deref().map(|c| &c.outcome) {
        Some(Ok(compute::Done { result: Some(r), .. })) => format!("预计可报销 {} 元，个人自付 {} 元", view_result::yuan(r.totals.reimbursed), view_result::yuan(r.totals.out_of_pocket)),
        Some(Err(errors)) => format!("有 {} 处填写需要改正", errors.len()),
        _ => String::new(),
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
        (_, Some(index), ..) if state.inputs.policy.is_none() => view_inputs::region_only(index, &state.inputs),
        (_, Some(index), Some(Load::Failed(e)), ..) => html! {
            <>
                { view_inputs::region_only(index, &state.inputs) }
                { failure(e) }
            </>
        },
        (_, Some(index), _, Some(p), Some(computed)) => html! {
            <div class="layout">
                <div class="inputs">
                    { view_inputs::choose(index, &p.0, &state.inputs, view_inputs::errors(computed).0) }
                    { view_inputs::visits(&p.0, &state, computed) }
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
    let onfocusout = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: FocusEvent| left_event(&dispatch, &e))
    };
    let onchange = Callback::from(move |e: Event| field_event(&dispatch, &e));
    let ready = policy.as_ref().zip(computed.as_ref());
    html! {
        <div class="app" {oninput} {onchange} {onclick} {onfocusout}>
            <header class="top">
                // To the result where there is one; before a region is chosen, to the form.
                if ready.is_some() && state.inputs.policy.is_some() {
                    <a class="skip" href="#result">{ "跳到计算结果" }</a>
                } else {
                    <a class="skip" href="#main">{ "跳到正文" }</a>
                }
                <div class="title-row">
                    <h1>{ crate::TITLE }</h1>
                    <button type="button" class="elder-toggle" data-act={Act::Elder.attr()} aria-pressed={if state.elder { "true" } else { "false" }}>
                        { if state.elder { "长辈版：已开启" } else { "长辈版" } }
                    </button>
                </div>
                // The introduction is in index.html (#intro), painted before the app starts.
            </header>
            <main id="main">
                <p class="sr-only" aria-live="polite" aria-atomic="true" id="announce">{ state.announced.clone() }</p>
                { notices(&state.notices) }
                { body }
            </main>
            if let Some(c) = ready.filter(|_| state.inputs.policy.is_some()).map(|(_, c)| c) {
                { view_result::answer_bar(c) }
            }
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

/// What the link asked for that could not be honoured: in the page, not a pop-up.
fn notices(notices: &[LinkNotice]) -> Html {
    if notices.is_empty() {
        return html! {};
    }
    html! {
        <div class="notice link-notices" id="link-notices" role="status">
            <p class="notice-h">{ "链接有部分内容无法使用" }</p>
            <ul>{ for notices.iter().map(|n| html! { <li>{ n.text() }</li> }) }</ul>
            <button type="button" class="secondary" data-act={Act::Dismiss.attr()}>{ "知道了" }</button>
        </div>
    }
}

fn failure(e: &LoadError) -> Html {
    html! {
        <div class="failure" role="alert">
            <p>{ e.message.clone() }</p>
            if e.retry {
                <button type="button" class="primary" data-act={Act::Retry.attr()}>{ "重试" }</button>
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
    fn fields_change_the_inputs() {
        let s = Rc::new(AppState::new(Inputs::default(), vec![], false, false));
        let s = s.reduce(Action::Field(Field::Visit(0, VisitField::Total), "5000".into(), false));
        let s = s.reduce(Action::Field(Field::Visit(0, VisitField::Kind), "outpatient".into(), false));
        let s = s.reduce(Action::Field(Field::Identity(Identity::SubsistenceAllowance), "on".into(), true));
        let s = s.reduce(Action::AddVisit);
        let s = s.reduce(Action::Field(Field::Visit(1, VisitField::Estimate), "on".into(), false));
        assert_eq!(s.inputs.visits[0].total, "5000");
        assert_eq!(s.inputs.visits[0].kind, VisitKind::Outpatient);
        assert_eq!(s.inputs.identities, vec![Identity::SubsistenceAllowance]);
        assert_eq!(s.inputs.visits.len(), 2);
        assert!(!s.inputs.visits[1].estimate);
        let s = s.reduce(Action::Field(Field::Visit(1, VisitField::InScope), "7000".into(), false));
        assert!(!s.inputs.visits[1].estimate);
        let s = s.reduce(Action::RemoveVisit(0));
        assert_eq!(s.inputs.visits.len(), 1);
        let s = s.reduce(Action::Undo);
        assert_eq!(s.inputs.visits.len(), 2);
        assert_eq!(s.inputs.visits[0].total, "5000");
    }

    #[test]
    fn typing_in_scope_switches_the_estimate_off() {
        let s = Rc::new(AppState::new(Inputs::default(), vec![], false, false));
        assert!(s.inputs.visits[0].estimate);
        let s = s.reduce(Action::Field(Field::Visit(0, VisitField::InScope), "800".into(), false));
        assert!(!s.inputs.visits[0].estimate);
        assert_eq!(s.inputs.visits[0].in_scope, "800");
    }

    #[test]
    fn an_unknown_region_is_not_replaced_by_another() {
        let inputs = Inputs { policy: Some("no-such-region".into()), ..Inputs::default() };
        let s = Rc::new(AppState::new(inputs, vec![], false, false));
        let entry = IndexEntry { id: "tianjin-2023".into(), path: "tianjin-2023.json".into(), region: "天津市".into(), year: 2023, title: "t".into(), stamp: None };
        let s = s.reduce(Action::IndexDone(Ok(vec![entry])));
        assert_eq!(s.inputs.policy, None);
        assert_eq!(s.notices, vec![LinkNotice::UnknownRegion]);
        let s = s.reduce(Action::Field(Field::Region, "tianjin-2023".into(), false));
        assert_eq!(s.notices, vec![]);
    }

    fn loaded(inputs: Inputs, id: &str) -> Rc<AppState> {
        let path = format!("{}/../../policies/{id}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let p = yibao_engine::policy::load(&mut serde_json::Deserializer::from_str(&text)).unwrap();
        Rc::new(AppState::new(Inputs { policy: Some(id.into()), ..inputs }, vec![], false, false)).reduce(Action::PolicyDone(id.into(), Ok(p)))
    }

    #[test]
    fn a_class_or_population_the_policy_lacks_falls_back_with_a_notice() {
        let filled = VisitInput { level: "level3".into(), total: "1000".into(), ..VisitInput::default() };
        let s = loaded(Inputs { population: Some("nobody".into()), visits: vec![filled], ..Inputs::default() }, "yueyang-2019");
        assert_eq!(s.inputs.visits[0].level, "township");
        assert_eq!(s.inputs.population, None);
        assert_eq!(s.notices, vec![LinkNotice::UnknownPopulation, LinkNotice::UnknownLevel("乡镇卫生院".into())]);
        // A visit not filled in yet takes the first class without a word.
        let s = loaded(Inputs::default(), "yueyang-2019");
        assert_eq!((s.inputs.visits[0].level.as_str(), s.notices.len()), ("township", 0));
        let s = loaded(Inputs { population: Some("college".into()), ..Inputs::default() }, "nanjing-2021");
        assert_eq!((s.inputs.population.as_deref(), s.notices.len()), (Some("college"), 0));
    }

    #[test]
    fn a_new_visit_waits_until_left_empty() {
        let s = Rc::new(AppState::new(Inputs::default(), vec![], false, false));
        let s = s.reduce(Action::AddVisit);
        assert!(s.left.is_empty());
        let s = s.reduce(Action::LeftEmpty(1));
        assert_eq!(s.left, vec![1]);
        let s = s.reduce(Action::RemoveVisit(0));
        assert_eq!(s.left, vec![0]);
    }
}
