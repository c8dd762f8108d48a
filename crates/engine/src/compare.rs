//! Comparing policies: what changes for a resident ([`compare`]) and what changed in the
//! file ([`diff_params`]). Pure functions, no I/O: `yibao diff` and the web app's
//! comparison view call the same code.
//!
//! ```text
//! let cmp = compare(Side::new(&old), Side::new(&new), &scenario)?;
//! for l in &cmp.layers { println!("{} {} → {} ({})", l.name, l.before, l.after, l.difference); }
//! println!("个人自付 {} → {}", cmp.out_of_pocket.before, cmp.out_of_pocket.after);
//! ```

use crate::calc::calculate;
use crate::ids::{Identity, Layer, VisitKind};
#[cfg(test)]
use crate::ids::HospitalLevel;
use crate::money;
use crate::policy::Policy;
use crate::result::{CalcResult, Coverage, ParamUse, PolicyRef, TierRef, Totals};
use crate::scenario::{Scenario, ScenarioError};
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

// ---------------------------------------------------------------- compare: effect on a resident

/// One side of a comparison: a policy and the contribution tier to use.
#[derive(Clone, Copy, Debug)]
pub struct Side<'a> {
    pub policy: &'a Policy,
    /// A tier id of this policy; `None` means the policy's default tier. The scenario's own
    /// `contribution_tier` is ignored, since two policies rarely share tier ids.
    pub tier: Option<&'a str>,
}

impl<'a> Side<'a> {
    /// The policy with its default tier.
    pub fn new(policy: &'a Policy) -> Self {
        Side { policy, tier: None }
    }

    pub fn with_tier(policy: &'a Policy, tier: &'a str) -> Self {
        Side { policy, tier: Some(tier) }
    }
}

/// Before and after of one amount. Serialized as two-decimal strings, like every amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    #[serde(serialize_with = "money::serialize")]
    pub before: Decimal,
    #[serde(serialize_with = "money::serialize")]
    pub after: Decimal,
    /// `after − before`: positive when the amount grows.
    #[serde(serialize_with = "money::serialize")]
    pub difference: Decimal,
}

impl Change {
    pub fn new(before: Decimal, after: Decimal) -> Self {
        Change { before, after, difference: after - before }
    }

    pub fn is_zero(&self) -> bool {
        self.difference.is_zero()
    }
}

/// One layer before and after, with whether the documents cover it on each side
/// (a layer not covered shows 0.00 only to keep sums whole: display “未规定”, never 0).
#[derive(Clone, Debug, Serialize)]
pub struct LayerChange {
    pub layer: Layer,
    pub name: &'static str,
    #[serde(flatten)]
    pub change: Change,
    pub before_coverage: Coverage,
    pub after_coverage: Coverage,
}

/// What one side gave: the policy, tier and identity applied, its totals.
#[derive(Clone, Debug, Serialize)]
pub struct SideOutcome {
    pub policy: PolicyRef,
    pub tier: TierRef,
    /// The identity applied on this side (就高不就低 may choose differently on each side).
    pub identity: Option<Identity>,
    pub identity_name: Option<&'static str>,
    pub totals: Totals,
    /// Paths of the assumed (参考值) parameters this side's result relied on.
    pub assumptions: Vec<String>,
}

/// The effect of moving a resident from one policy to another.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub before: SideOutcome,
    pub after: SideOutcome,
    /// The four layers in paying order.
    pub layers: Vec<LayerChange>,
    /// 预计可报销 (all layers together).
    pub reimbursed: Change,
    /// 个人自付 (in scope and out of scope).
    pub out_of_pocket: Change,
    /// The in-scope part of 个人自付.
    pub out_of_pocket_in_scope: Change,
}

impl Comparison {
    pub fn layer(&self, layer: Layer) -> &LayerChange {
        self.layers.iter().find(|l| l.layer == layer).expect("every layer is listed")
    }

    /// Whether nothing changed for this resident (amounts and coverage).
    pub fn unchanged(&self) -> bool {
        self.out_of_pocket.is_zero()
            && self.layers.iter().all(|l| l.change.is_zero() && l.before_coverage == l.after_coverage)
    }
}

/// Which side a scenario error belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    Before,
    After,
}

/// The scenario does not fit one of the two policies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CompareError {
    pub side: Which,
    pub error: ScenarioError,
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = match self.side {
            Which::Before => "原政策 (before)",
            Which::After => "新政策 (after)",
        };
        write!(f, "{side}: {}", self.error)
    }
}

impl std::error::Error for CompareError {}

/// The same scenario under two (policy, tier) pairs: per layer before, after and difference,
/// and the out-of-pocket difference. Each side applies 就高不就低 on its own.
pub fn compare(before: Side, after: Side, scenario: &Scenario) -> Result<Comparison, CompareError> {
    let from = before.policy.facilities();
    let b = run_side(before, scenario, &from).map_err(|error| CompareError { side: Which::Before, error })?;
    let a = run_side(after, scenario, &from).map_err(|error| CompareError { side: Which::After, error })?;
    let layers = Layer::ALL
        .iter()
        .map(|&layer| {
            let lb = b.layers.iter().find(|l| l.layer == layer).expect("layer");
            let la = a.layers.iter().find(|l| l.layer == layer).expect("layer");
            LayerChange {
                layer,
                name: layer.name_zh(),
                change: Change::new(lb.amount, la.amount),
                before_coverage: lb.coverage,
                after_coverage: la.coverage,
            }
        })
        .collect();
    Ok(Comparison {
        reimbursed: Change::new(b.totals.reimbursed, a.totals.reimbursed),
        out_of_pocket: Change::new(b.totals.out_of_pocket, a.totals.out_of_pocket),
        out_of_pocket_in_scope: Change::new(b.totals.out_of_pocket_in_scope, a.totals.out_of_pocket_in_scope),
        layers,
        before: outcome(b),
        after: outcome(a),
    })
}

/// The same visits under another policy: one with other facility classes takes each visit at
/// the class in the same place of its list (lowest to lowest, highest to highest), reading the
/// visit's class in the four 医院等级 when it is one of them, else in `from` (the first side's
/// classes); a population group the policy does not have becomes its default.
pub fn scenario_for(policy: &Policy, scenario: &Scenario, from: &[(&str, &str)]) -> Scenario {
    let mut s = scenario.clone();
    if s.population.as_ref().is_some_and(|p| !policy.populations.iter().any(|g| g.id == *p)) {
        s.population = None;
    }
    let to = policy.facilities();
    for v in &mut s.visits {
        if to.iter().any(|(id, _)| *id == v.level) {
            continue;
        }
        let (pos, len) = match crate::ids::HospitalLevel::from_id(&v.level) {
            Some(l) => (l as usize, 4),
            None => (from.iter().position(|(id, _)| *id == v.level).unwrap_or(0), from.len()),
        };
        // Rounded to the nearest place of the other list.
        let at = if len > 1 { (pos * (to.len() - 1) * 2 + len - 1) / ((len - 1) * 2) } else { 0 };
        if let Some((id, _)) = to.get(at) {
            v.level = id.to_string();
        }
    }
    s
}

fn run_side(side: Side, scenario: &Scenario, from: &[(&str, &str)]) -> Result<CalcResult, ScenarioError> {
    let mut s = scenario_for(side.policy, scenario, from);
    s.contribution_tier = side.tier.map(str::to_string);
    calculate(side.policy, &s)
}

fn outcome(r: CalcResult) -> SideOutcome {
    SideOutcome {
        policy: r.policy,
        tier: r.tier,
        identity: r.identity,
        identity_name: r.identity_name,
        totals: r.totals,
        assumptions: r.assumptions.into_iter().map(|p| p.path).collect(),
    }
}

// ---------------------------------------------------------------- diff_params: what changed in the file

/// How a parameter or rule differs between two policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only the new policy has it.
    Added,
    /// Only the old policy has it.
    Removed,
    /// The value differs.
    Changed,
    /// Same value, but the status or the source (document or clause) differs.
    Restated,
}

impl ChangeKind {
    pub fn name_zh(self) -> &'static str {
        match self {
            ChangeKind::Added => "新增",
            ChangeKind::Removed => "删除",
            ChangeKind::Changed => "调整",
            ChangeKind::Restated => "依据变化",
        }
    }
}

/// A parameter or rule as shown: path, label, value as shown, status, source and note
/// (the same [`ParamUse`] the explanation shows residents), and the number itself.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParamView {
    /// The number (after derivation) as an exact decimal string; null for a rule choice.
    #[serde(serialize_with = "serialize_opt_decimal")]
    pub value: Option<Decimal>,
    #[serde(flatten)]
    pub shown: ParamUse,
}

/// One changed parameter or rule. Entries are matched by JSON path, except that items of
/// lists keyed by what they are about (tilts, assistance categories and rules, benefits,
/// subsidised enrolment, fiscal splits, monitoring lines) match by identities, visit kinds
/// or name rather than by position, so that reordering a list is no change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParamChange {
    /// JSON path in the new policy (in the old one for a removed entry),
    /// e.g. `critical_illness.segments[0].ratio`.
    pub path: String,
    /// The path in the old policy, when it differs (the item moved in its list).
    pub before_path: Option<String>,
    /// What it is, in Chinese, e.g. `大病保险第1段支付比例`.
    pub label: String,
    pub change: ChangeKind,
    pub before: Option<ParamView>,
    pub after: Option<ParamView>,
    /// For an added or removed entry: what its absence means (e.g. `不设上限`).
    pub absent_means: Option<&'static str>,
}

/// A change of what the documents cover: a layer or visit kind newly (not) covered,
/// an identity or tier added or removed. `None` on a side means absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoverageChange {
    pub path: String,
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Everything that differs between two policy files, parameter by parameter.
#[derive(Clone, Debug, Serialize)]
pub struct PolicyDiff {
    pub before: PolicyRef,
    pub after: PolicyRef,
    /// Parameters (numbers) and rule choices, in the order of the new file, removed ones last.
    pub changes: Vec<ParamChange>,
    pub coverage: Vec<CoverageChange>,
}

/// The parameter-by-parameter difference of two validated policies (by JSON path).
/// Notes alone do not make a change; a value, a status or a source does.
pub fn diff_params(before: &Policy, after: &Policy) -> PolicyDiff {
    let listed = |p: &'_ Policy| -> Vec<(String, &'static str, ParamView)> {
        p.provenance().iter().map(|e| (e.decl.key.clone(), e.decl.absent_means, ParamView { value: e.value, shown: e.shown.clone() })).collect()
    };
    let (old, new) = (listed(before), listed(after));
    let mut changes = Vec::new();
    for (key, absent, n) in &new {
        match old.iter().find(|(k, _, _)| k == key).map(|(_, _, o)| o) {
            None => changes.push(ParamChange {
                path: n.shown.path.clone(),
                before_path: None,
                label: n.shown.label.clone(),
                change: ChangeKind::Added,
                before: None,
                after: Some(n.clone()),
                absent_means: Some(*absent),
            }),
            Some(o) => {
                let kind = if o.value != n.value || (o.value.is_none() && o.shown.display != n.shown.display) {
                    Some(ChangeKind::Changed)
                } else if o.shown.status != n.shown.status || source_key(&o.shown) != source_key(&n.shown) {
                    Some(ChangeKind::Restated)
                } else {
                    None
                };
                if let Some(change) = kind {
                    changes.push(ParamChange {
                        path: n.shown.path.clone(),
                        before_path: (o.shown.path != n.shown.path).then(|| o.shown.path.clone()),
                        label: n.shown.label.clone(),
                        change,
                        before: Some(o.clone()),
                        after: Some(n.clone()),
                        absent_means: None,
                    });
                }
            }
        }
    }
    for (key, absent, o) in &old {
        if !new.iter().any(|(k, _, _)| k == key) {
            changes.push(ParamChange {
                path: o.shown.path.clone(),
                before_path: None,
                label: o.shown.label.clone(),
                change: ChangeKind::Removed,
                before: Some(o.clone()),
                after: None,
                absent_means: Some(*absent),
            });
        }
    }
    PolicyDiff { before: PolicyRef::of(before), after: PolicyRef::of(after), changes, coverage: coverage(before, after) }
}

fn source_key(p: &ParamUse) -> Option<(String, String)> {
    p.source.as_ref().map(|s| (s.title.clone(), s.clause.clone()))
}

/// Every parameter (number) and every rule choice of a validated policy, with its path,
/// Chinese label, value as shown, status and source: for listings, lint and diffs. Read from
/// the policy's provenance table.
pub fn parameters(p: &Policy) -> Vec<ParamView> {
    p.provenance().iter().map(|e| ParamView { value: e.value, shown: e.shown.clone() }).collect()
}

fn coverage(before: &Policy, after: &Policy) -> Vec<CoverageChange> {
    let mut out = Vec::new();
    let mut push = |path: String, label: String, b: Option<String>, a: Option<String>| {
        if b != a {
            out.push(CoverageChange { path, label, before: b, after: a });
        }
    };
    let layer_state = |p: &Policy, layer: Layer| -> String {
        match p.not_covered.get(&layer) {
            Some(reason) => format!("未规定：{reason}"),
            None => "已规定".into(),
        }
    };
    for &layer in Layer::ALL {
        push(format!("not_covered.{layer}"), layer.name_zh().into(), Some(layer_state(before, layer)), Some(layer_state(after, layer)));
    }
    let kind_state = |p: &Policy, kind: VisitKind| -> Option<String> {
        let b = p.basic.as_ref()?;
        Some(match b.not_covered.get(&kind) {
            Some(reason) => format!("未规定：{reason}"),
            None => "已规定".into(),
        })
    };
    for &kind in VisitKind::ALL {
        push(format!("basic.not_covered.{kind}"), format!("基本医保·{}", kind.name_zh()), kind_state(before, kind), kind_state(after, kind));
    }
    for &id in Identity::ALL {
        let has = |p: &Policy| p.identities.contains(&id).then(|| "有单独待遇".to_string());
        push(format!("identities.{id}"), format!("身份：{}", id.name_zh()), has(before), has(after));
    }
    let mut tiers: Vec<&str> = Vec::new();
    for t in before.tiers.iter().chain(&after.tiers) {
        if !tiers.contains(&t.id.as_str()) {
            tiers.push(&t.id);
        }
    }
    for id in tiers {
        let name = |p: &Policy| p.tier(id).map(|t| t.name.clone());
        push(format!("tiers.{id}"), format!("缴费档次 {id}"), name(before), name(after));
    }
    out
}

fn serialize_opt_decimal<S: serde::Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(d) => s.serialize_str(&d.normalize().to_string()),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn policy(id: &str) -> Policy {
        let path = format!("{}/../../policies/{id}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap();
        crate::policy::load(&mut serde_json::Deserializer::from_str(&text)).unwrap()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn admission(level: HospitalLevel, total: &str, in_scope: &str) -> Scenario {
        let mut visit = crate::Visit::new(VisitKind::Inpatient, level.id(), d(total), d(in_scope));
        visit.referred = true;
        Scenario { scheme: crate::ids::Scheme::Resident, contribution_tier: None, identities: vec![], population: None, visits: vec![visit] }
    }

    #[test]
    fn jiamusi_segmented_critical_illness_pays_more_on_a_large_bill() {
        let (old, new) = (policy("jiamusi-2021"), policy("jiamusi-2022"));
        let cmp = compare(Side::new(&old), Side::new(&new), &admission(HospitalLevel::Level3, "150000", "120000")).unwrap();
        // Basic, both years (2018 tariff, assumed): (120000 − 700) × 65% = 77545.00, under the 80000 cap.
        assert_eq!(cmp.layer(Layer::Basic).change, Change::new(d("77545.00"), d("77545.00")));
        // Burden after basic 42455. 2021: (42455 − 12000) × 60% = 18273.00.
        // 2022: (20000 − 12000) × 65% + (42455 − 20000) × 70% = 5200 + 15718.50 = 20918.50.
        let ci = cmp.layer(Layer::CriticalIllness).change;
        assert_eq!((ci.before, ci.after, ci.difference), (d("18273.00"), d("20918.50"), d("2645.50")));
        assert_eq!(cmp.out_of_pocket.difference, d("-2645.50"));
        assert_eq!(cmp.layer(Layer::Assistance).after_coverage, Coverage::NotCovered);
        assert!(!cmp.unchanged());
    }

    #[test]
    fn a_policy_compared_with_itself_changes_nothing() {
        let p = policy("tianjin-2023");
        let mut s = admission(HospitalLevel::Level2, "60000", "50000");
        s.identities = vec![Identity::SubsistenceAllowance];
        let cmp = compare(Side::new(&p), Side::with_tier(&p, "high"), &s).unwrap();
        assert!(cmp.unchanged());
        assert_eq!(cmp.before.identity, Some(Identity::SubsistenceAllowance));
        let diff = diff_params(&p, &p);
        assert!(diff.changes.is_empty() && diff.coverage.is_empty());
    }

    #[test]
    fn each_side_uses_its_own_tier() {
        let p = policy("tianjin-2023");
        let cmp = compare(Side::with_tier(&p, "high"), Side::with_tier(&p, "low"), &admission(HospitalLevel::Level3, "10500", "10500")).unwrap();
        // (10500 − 500) × 75% = 7500 → × 65% = 6500.
        assert_eq!(cmp.layer(Layer::Basic).change, Change::new(d("7500.00"), d("6500.00")));
        assert_eq!((cmp.before.tier.id.as_str(), cmp.after.tier.id.as_str()), ("high", "low"));
        let err = compare(Side::new(&p), Side::with_tier(&p, "gold"), &admission(HospitalLevel::Level3, "1", "1")).unwrap_err();
        assert_eq!((err.side, err.error.field.as_str()), (Which::After, "contribution_tier"));
    }

    #[test]
    fn jiamusi_file_diff_lists_the_segments_with_sources() {
        let diff = diff_params(&policy("jiamusi-2021"), &policy("jiamusi-2022"));
        let get = |path: &str| diff.changes.iter().find(|c| c.path == path).unwrap_or_else(|| panic!("{path} not in diff"));
        let r0 = get("critical_illness.segments[0].ratio");
        assert_eq!(r0.change, ChangeKind::Changed);
        assert_eq!(r0.label, "大病保险第1段支付比例");
        assert_eq!(r0.before.as_ref().unwrap().shown.display, "60%");
        assert_eq!(r0.after.as_ref().unwrap().shown.display, "65%");
        assert!(r0.after.as_ref().unwrap().shown.source.as_ref().unwrap().clause.contains("2万元以下部分"));
        assert_eq!(get("critical_illness.segments[0].up_to").change, ChangeKind::Added);
        assert_eq!(get("critical_illness.segments[2].ratio").after.as_ref().unwrap().value, Some(d("0.75")));
        let cap = get("critical_illness.cap");
        // 2021's cap of 500,000 became the stated absence of one (取消年度最高支付限额).
        assert_eq!(cap.change, ChangeKind::Changed);
        assert_eq!(cap.after.as_ref().unwrap().shown.display, "不设封顶");
        let threshold = get("critical_illness.threshold");
        assert_eq!(threshold.change, ChangeKind::Restated);
        assert_eq!(threshold.after.as_ref().unwrap().shown.status, crate::policy::Status::Assumed);
        assert_eq!(get("contribution.individual.standard").change, ChangeKind::Changed);
        // 2021 has one open segment (no basis needed); 2022 segments and says how.
        assert_eq!(get("critical_illness.segment_basis").change, ChangeKind::Added);
        // The 2021 file lists the 脱贫人口 tilt first; 2022 drops it, so the tilt of 特困/低保/返贫致贫
        // moves from tilts[1] to tilts[0]: matched by its identities, not by position. Its
        // figures and sources are the same in both years, so nothing about it is listed.
        let moved: Vec<&ParamChange> = diff.changes.iter().filter(|c| c.label.contains("特困人员") && c.label.contains("倾斜")).collect();
        assert!(moved.is_empty(), "{moved:?}");
        let dropped: Vec<&ParamChange> = diff.changes.iter().filter(|c| c.label.contains("脱贫人口")).collect();
        assert_eq!(dropped.len(), 3, "threshold, ratio_points, cap_removed");
        assert!(dropped.iter().all(|c| c.change == ChangeKind::Removed && c.path.starts_with("critical_illness.tilts[0].")));
        // Notes alone are no change: the 2018 tariff's note names the year but the value is the same.
        assert!(diff.changes.iter().all(|c| c.path != "basic.benefits[0].ratio.standard.level3"));
        assert!(diff.coverage.is_empty());
    }

    #[test]
    fn match_keys_name_list_items_by_what_they_are_about() {
        let p = policy("hohhot-2024");
        let key = |path: &str| p.provenance().iter().find(|e| e.decl.path == path).map(|e| e.decl.key.clone()).unwrap_or_else(|| panic!("{path}"));
        assert_eq!(key("assistance.categories[1].rules[0].ratio"), "assistance.categories{subsistence_allowance}.rules{inpatient}.ratio");
        assert_eq!(key("critical_illness.segments[0].ratio"), "critical_illness.segments[0].ratio");
        assert_eq!(key("contribution.fiscal_split[0].parts[1].share_of_rest"), "contribution.fiscal_split{一类地区}.parts{自治区财政}.share_of_rest");
        assert_eq!(key("basic.benefits[0].ratio.standard.level2"), "basic.benefits{inpatient}.ratio.standard.level2");
    }

    #[test]
    fn every_figure_has_a_label_and_a_unique_path() {
        for id in ["tianjin-2023", "hohhot-2023", "hohhot-2024", "jiamusi-2021", "jiamusi-2022"] {
            let p = policy(id);
            for (i, e) in p.provenance().iter().enumerate() {
                assert!(!e.decl.label.is_empty() && !e.decl.label.contains('.'), "{id}: {}", e.decl.path);
                assert!(p.provenance()[..i].iter().all(|x| x.decl.path != e.decl.path && x.decl.key != e.decl.key), "{id}: {} twice", e.decl.path);
            }
        }
    }
}
