//! Comparing policies: what changes for a resident ([`compare`]) and what changed in the
//! file ([`diff_params`]). Pure functions, no I/O: `yibao diff` and the web app's
//! comparison view call the same code.
//!
//! ```text
//! let cmp = compare(Side::new(&old), Side::new(&new), &scenario)?;
//! for l in &cmp.layers { println!("{} {} → {} ({})", l.name, l.before, l.after, l.difference); }
//! println!("个人自付 {} → {}", cmp.out_of_pocket.before, cmp.out_of_pocket.after);
//! ```

use crate::calc::{calculate, param_use, rule_use};
use crate::ids::{identities_zh, kinds_zh, HospitalLevel, Identity, Layer, VisitKind};
use crate::money;
use crate::policy::{Policy, Sourced};
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
    let b = run_side(before, scenario).map_err(|error| CompareError { side: Which::Before, error })?;
    let a = run_side(after, scenario).map_err(|error| CompareError { side: Which::After, error })?;
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

fn run_side(side: Side, scenario: &Scenario) -> Result<CalcResult, ScenarioError> {
    let mut s = scenario.clone();
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
    let old: Vec<(String, ParamView)> = parameters(before).into_iter().map(|v| (match_key(before, &v.shown.path), v)).collect();
    let new: Vec<(String, ParamView)> = parameters(after).into_iter().map(|v| (match_key(after, &v.shown.path), v)).collect();
    let mut changes = Vec::new();
    for (key, n) in &new {
        match old.iter().find(|(k, _)| k == key).map(|(_, o)| o) {
            None => changes.push(ParamChange {
                path: n.shown.path.clone(),
                before_path: None,
                label: n.shown.label.clone(),
                change: ChangeKind::Added,
                before: None,
                after: Some(n.clone()),
                absent_means: Some(absent_means(&n.shown.path)),
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
    for (key, o) in &old {
        if !new.iter().any(|(k, _)| k == key) {
            changes.push(ParamChange {
                path: o.shown.path.clone(),
                before_path: None,
                label: o.shown.label.clone(),
                change: ChangeKind::Removed,
                before: Some(o.clone()),
                after: None,
                absent_means: Some(absent_means(&o.shown.path)),
            });
        }
    }
    PolicyDiff { before: PolicyRef::of(before), after: PolicyRef::of(after), changes, coverage: coverage(before, after) }
}

fn source_key(p: &ParamUse) -> Option<(String, String)> {
    p.source.as_ref().map(|s| (s.title.clone(), s.clause.clone()))
}

/// The key entries are matched by: the JSON path with list positions replaced by what the
/// item is about, e.g. `critical_illness.tilts{extreme_poverty,subsistence_allowance}.ratio_points`.
pub fn match_key(p: &Policy, path: &str) -> String {
    let segs: Vec<(&str, Option<usize>)> = path
        .split('.')
        .map(|s| match s.find('[') {
            Some(i) => (&s[..i], s[i + 1..].trim_end_matches(']').parse().ok()),
            None => (s, None),
        })
        .collect();
    let ids_key = |ids: &[Identity]| ids.iter().map(|i| i.id()).collect::<Vec<_>>().join(",");
    let kinds_key = |kinds: &[VisitKind]| kinds.iter().map(|k| k.id()).collect::<Vec<_>>().join(",");
    let mut benefit = None;
    let mut category = None;
    let mut split = None;
    let mut out = Vec::with_capacity(segs.len());
    for (name, idx) in segs {
        let key = match (name, idx) {
            ("benefits", Some(i)) => {
                benefit = p.basic.as_ref().and_then(|b| b.benefits.get(i));
                benefit.map(|b| kinds_key(&b.kinds))
            }
            ("ratio_bonus", Some(j)) => benefit.and_then(|b| b.ratio_bonus.get(j)).map(|r| ids_key(&r.identities)),
            ("tilts", Some(i)) => p.critical_illness.as_ref().and_then(|c| c.tilts.get(i)).map(|t| ids_key(&t.identities)),
            ("categories", Some(i)) => {
                category = p.assistance.as_ref().and_then(|a| a.categories.get(i));
                category.map(|c| ids_key(&c.identities))
            }
            ("rules", Some(j)) => category.and_then(|c| c.rules.get(j)).map(|r| kinds_key(&r.kinds.value)),
            ("subsidised_enrolment", Some(i)) => {
                p.contribution.as_ref().and_then(|c| c.subsidised_enrolment.get(i)).map(|e| ids_key(&e.identities))
            }
            ("fiscal_split", Some(i)) => {
                split = p.contribution.as_ref().and_then(|c| c.fiscal_split.get(i));
                split.map(|s| s.name.clone())
            }
            ("parts", Some(j)) => split.and_then(|s| s.parts.get(j)).map(|x| x.payer.clone()),
            ("lines", Some(i)) => p.monitoring.as_ref().and_then(|m| m.lines.get(i)).map(|l| l.name.clone()),
            _ => None,
        };
        out.push(match (key, idx) {
            (Some(k), _) => format!("{name}{{{k}}}"),
            (None, Some(i)) => format!("{name}[{i}]"),
            (None, None) => name.to_string(),
        });
    }
    out.join(".")
}

/// What the absence of an entry means, by the shape of its path.
pub fn absent_means(path: &str) -> &'static str {
    if path.ends_with(".cap") || path.ends_with(".amount") && path.contains("caps.") || path.ends_with(".up_to") {
        "不设上限"
    } else if path.ends_with(".threshold") {
        "不设起付线"
    } else {
        "无此项"
    }
}

/// Every parameter (number) and every rule choice of a validated policy, with its path,
/// Chinese label, value as shown, status and source: for listings, lint and diffs.
pub fn parameters(p: &Policy) -> Vec<ParamView> {
    let mut out: Vec<ParamView> = p
        .params()
        .into_iter()
        .map(|(path, kind, param)| {
            let label = label(p, &path);
            ParamView { value: Some(param.get()), shown: param_use(p, &path, &label, kind, &param) }
        })
        .collect();
    let mut rule = |path: String, label: String, display: String, s: &dyn RuleLike| {
        out.push(ParamView { value: None, shown: s.shown(p, &path, &label, display) });
    };
    if let Some(b) = &p.basic {
        for (i, benefit) in b.benefits.iter().enumerate() {
            rule(format!("basic.benefits[{i}].deductible_rule"), format!("基本医保·{}起付线规则", benefit.name), benefit.deductible_rule.value.name_zh().into(), &benefit.deductible_rule);
        }
    }
    if let Some(ci) = &p.critical_illness {
        rule("critical_illness.base_kinds".into(), "计入大病保险的就诊类型".into(), kinds_zh(&ci.base_kinds.value), &ci.base_kinds);
        if let Some(segment_basis) = &ci.segment_basis {
            rule("critical_illness.segment_basis".into(), "大病保险分段计算口径".into(), segment_basis.value.name_zh().into(), segment_basis);
        }
        if let Some(a) = &ci.above_last_segment {
            rule("critical_illness.above_last_segment".into(), "大病保险超过最后一段的部分".into(), a.value.clone(), a);
        }
        for (i, t) in ci.tilts.iter().enumerate() {
            let who = identities_zh(&t.identities);
            rule(format!("critical_illness.tilts[{i}].cap_removed"), format!("大病保险倾斜支付（{who}）取消封顶线"), yes_no(t.cap_removed.value), &t.cap_removed);
            if let Some(unbounded) = &t.last_segment_unbounded {
                rule(format!("critical_illness.tilts[{i}].last_segment_unbounded"), format!("大病保险倾斜支付（{who}）最后一段不设上限"), yes_no(unbounded.value), unbounded);
            }
        }
    }
    if let Some(a) = &p.assistance {
        for (i, c) in a.categories.iter().enumerate() {
            for (j, r) in c.rules.iter().enumerate() {
                rule(format!("assistance.categories[{i}].rules[{j}].kinds"), format!("医疗救助·{}（{}）适用的就诊类型", r.name, identities_zh(&c.identities)), kinds_zh(&r.kinds.value), &r.kinds);
            }
        }
    }
    if let Some(t) = &p.tilted_assistance {
        rule("tilted_assistance.kinds".into(), format!("{}适用的就诊类型", t.name), kinds_zh(&t.kinds.value), &t.kinds);
        rule("tilted_assistance.requires_referral".into(), format!("{}须规范转诊", t.name), yes_no(t.requires_referral.value), &t.requires_referral);
    }
    out
}

/// `Sourced<T>` for any `T`, as a trait object.
trait RuleLike {
    fn shown(&self, p: &Policy, path: &str, label: &str, display: String) -> ParamUse;
}

impl<T> RuleLike for Sourced<T> {
    fn shown(&self, p: &Policy, path: &str, label: &str, display: String) -> ParamUse {
        rule_use(p, path, label, display, self)
    }
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

fn yes_no(b: bool) -> String {
    if b { "是" } else { "否" }.into()
}

fn serialize_opt_decimal<S: serde::Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(d) => s.serialize_str(&d.normalize().to_string()),
        None => s.serialize_none(),
    }
}

/// A Chinese label for a parameter path of `Policy::params()`; the path itself if unknown.
pub fn label(p: &Policy, path: &str) -> String {
    let flat = path.replace('[', ".").replace(']', "");
    let t: Vec<&str> = flat.split('.').collect();
    let idx = |s: &str| s.parse::<usize>().ok();
    let level = |s: &str| HospitalLevel::from_id(s).map_or(s.to_string(), |l| l.name_zh().to_string());
    let tier = |s: &str| p.tier(s).map_or(s.to_string(), |t| t.name.clone());
    let benefit = |i: &str| {
        p.basic.as_ref().and_then(|b| idx(i).and_then(|i| b.benefits.get(i))).map_or(String::new(), |b| b.name.clone())
    };
    let found = match t.as_slice() {
        ["statistics", key, "value"] => p.statistics.get(*key).map(|s| format!("统计数字：{}", s.label)),
        ["basic", "benefits", i, "deductible", l] => Some(format!("基本医保·{}起付线（{}）", benefit(i), level(l))),
        ["basic", "benefits", i, "ratio", tr, l] => Some(format!("基本医保·{}报销比例（{}·{}）", benefit(i), tier(tr), level(l))),
        ["basic", "benefits", i, "ratio_bonus", j, "points"] => {
            let who = p.basic.as_ref().and_then(|b| b.benefits.get(idx(i)?)?.ratio_bonus.get(idx(j)?).map(|r| identities_zh(&r.identities)));
            Some(format!("基本医保·{}报销比例提高（{}）", benefit(i), who.unwrap_or_default()))
        }
        ["basic", "caps", key, "amount"] => p.basic.as_ref().and_then(|b| b.caps.get(*key)).map(|c| format!("基本医保·{}", c.label)),
        ["critical_illness", "threshold"] => Some("大病保险起付线".into()),
        ["critical_illness", "cap"] => Some("大病保险年度最高支付限额".into()),
        ["critical_illness", "segments", i, "up_to"] => idx(i).map(|i| format!("大病保险第{}段上限", i + 1)),
        ["critical_illness", "segments", i, "ratio"] => idx(i).map(|i| format!("大病保险第{}段支付比例", i + 1)),
        ["critical_illness", "tilts", i, what] => {
            let who = p.critical_illness.as_ref().and_then(|c| c.tilts.get(idx(i)?)).map(|t| identities_zh(&t.identities)).unwrap_or_default();
            let what = match *what {
                "threshold" => "起付线",
                "threshold_factor" => "起付线（普通起付线的比例）",
                "ratio_points" => "支付比例提高",
                other => other,
            };
            Some(format!("大病保险倾斜支付（{who}）{what}"))
        }
        ["assistance", "categories", i, "rules", j, what] => {
            let (name, who) = p
                .assistance
                .as_ref()
                .and_then(|a| a.categories.get(idx(i)?))
                .and_then(|c| Some((c.rules.get(idx(j)?)?.name.clone(), identities_zh(&c.identities))))
                .unwrap_or_default();
            let what = match *what {
                "threshold" => "起付线",
                "ratio" => "救助比例",
                other => other,
            };
            Some(format!("医疗救助·{name}（{who}）{what}"))
        }
        ["assistance", "categories", i, "caps", key, "amount"] => p
            .assistance
            .as_ref()
            .and_then(|a| a.categories.get(idx(i)?))
            .and_then(|c| Some(format!("医疗救助（{}）{}", identities_zh(&c.identities), c.caps.get(*key)?.label))),
        ["tilted_assistance", what] => p.tilted_assistance.as_ref().map(|t| {
            let what = match *what {
                "threshold" => "起付标准",
                "ratio" => "比例",
                "cap" => "年度最高救助限额",
                other => other,
            };
            format!("{}{what}", t.name)
        }),
        ["monitoring", "income"] => Some("监测线参考收入".into()),
        ["monitoring", "lines", i, "factor"] => {
            p.monitoring.as_ref().and_then(|m| m.lines.get(idx(i)?)).map(|l| format!("{}（参考收入的倍数）", l.name))
        }
        ["contribution", "individual", tr] => Some(format!("个人缴费（{}）", tier(tr))),
        ["contribution", "government_subsidy"] => Some("财政补助".into()),
        ["contribution", "subsidised_enrolment", i, "share"] => p
            .contribution
            .as_ref()
            .and_then(|c| c.subsidised_enrolment.get(idx(i)?))
            .map(|e| format!("资助参保比例（{}）", identities_zh(&e.identities))),
        ["contribution", "fiscal_split", i, "parts", j, _] => p
            .contribution
            .as_ref()
            .and_then(|c| c.fiscal_split.get(idx(i)?))
            .and_then(|s| Some(format!("财政补助分担（{}）·{}", s.name, s.parts.get(idx(j)?)?.payer))),
        _ => None,
    };
    found.unwrap_or_else(|| path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dec::Dec;
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
        Scenario {
            scheme: crate::ids::Scheme::Resident,
            contribution_tier: None,
            identities: vec![],
            visits: vec![crate::Visit { kind: VisitKind::Inpatient, level, total: Dec(d(total)), in_scope: Dec(d(in_scope)), referred: true }],
        }
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
        assert_eq!((cap.change, cap.absent_means), (ChangeKind::Removed, Some("不设上限")));
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
        assert_eq!(match_key(&p, "assistance.categories[1].rules[0].ratio"), "assistance.categories{subsistence_allowance}.rules{inpatient}.ratio");
        assert_eq!(match_key(&p, "critical_illness.segments[0].ratio"), "critical_illness.segments[0].ratio");
        assert_eq!(match_key(&p, "contribution.fiscal_split[0].parts[1].share_of_rest"), "contribution.fiscal_split{一类地区}.parts{自治区财政}.share_of_rest");
        assert_eq!(match_key(&p, "basic.benefits[0].ratio.standard.level2"), "basic.benefits{inpatient}.ratio.standard.level2");
    }

    #[test]
    fn labels_name_every_parameter_of_every_policy() {
        for id in ["tianjin-2023", "hohhot-2023", "hohhot-2024", "jiamusi-2021", "jiamusi-2022"] {
            let p = policy(id);
            for (path, _, _) in p.params() {
                assert_ne!(label(&p, &path), path, "{id}: no label for {path}");
            }
        }
    }
}
