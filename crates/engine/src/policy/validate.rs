//! Loading and validating a policy: every problem at once, each with its JSON path.

use super::provenance::Gathered;
use super::walk::{walk, Item, ParamId, ParamKind};
use super::*;
use rust_decimal::Decimal;
use super::read::{Read, Reader};
use crate::json::Value;
use serde::{Deserialize, Deserializer};
use std::fmt;

/// The largest amount a policy may state (10 billion yuan). Bounding inputs keeps every
/// computation far inside `Decimal`'s range, so arithmetic cannot overflow.
pub const MAX_POLICY_AMOUNT: Decimal = Decimal::from_parts(1410065408, 2, 0, false, 0); // 1e10

/// One problem in a policy file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    /// JSON path, e.g. `basic.benefits[0].ratio.high.level3`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyError {
    /// The JSON does not have the policy's shape; reading stops at the first such place.
    Parse { path: String, message: String },
    /// The shape is right but the content is not; every problem is listed.
    Invalid(Vec<Problem>),
}

impl PolicyError {
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            PolicyError::Parse { path, message } => {
                vec![Problem { path: path.clone(), message: message.clone() }]
            }
            PolicyError::Invalid(problems) => problems.clone(),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::Parse { path, message } => {
                write!(f, "政策文件格式错误 (policy does not parse) at {path}: {message}")
            }
            PolicyError::Invalid(problems) => {
                write!(f, "政策文件有 {} 处问题 (policy is invalid):", problems.len())?;
                for p in problems {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PolicyError {}

/// Reads a policy from any serde deserializer (serde_json, serde-wasm-bindgen) and validates it.
/// The deserializer only builds a JSON value; the policy is read from it by hand (`read.rs`).
pub fn load<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Policy, PolicyError> {
    let value = json_value(deserializer)?;
    from_value(&value)
}

/// Reads and validates a policy from JSON text (the command line, files). Text that is not
/// JSON is named by line and column; a byte order mark is skipped.
pub fn parse(text: &str) -> Result<Policy, PolicyError> {
    let value = crate::json::parse(text).map_err(|e| PolicyError::Parse { path: "(root)".into(), message: e.to_string() })?;
    from_value(&value)
}

/// Reads and validates a policy from a JSON value.
pub fn from_value(value: &Value) -> Result<Policy, PolicyError> {
    let mut policy = read_shape(value)?;
    let problems = validate(&mut policy);
    if problems.is_empty() {
        Ok(policy)
    } else {
        Err(PolicyError::Invalid(problems))
    }
}

/// Reads a policy already known to be valid (checked in CI by `yibao validate` and the policy
/// tests) with its parameters resolved but without the structural checks, whose code and
/// messages cost the web app about 11 KB of gzipped wasm. The pipeline never panics on a
/// structurally broken file either way.
pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Policy, PolicyError> {
    read_value(&json_value(deserializer)?)
}

/// As `read`, from a JSON value (the web app builds one from the browser's `JSON.parse`).
pub fn read_value(value: &Value) -> Result<Policy, PolicyError> {
    let mut policy = read_shape(value)?;
    let problems = resolve(&mut policy);
    if problems.is_empty() {
        Ok(policy)
    } else {
        Err(PolicyError::Invalid(problems))
    }
}

/// The types from a JSON value; the first problem of shape stops the reading.
fn read_shape(value: &Value) -> Result<Policy, PolicyError> {
    let mut reader = Reader::new();
    let read = Policy::read(value, &mut reader);
    reader.finish(read).map_err(|p| PolicyError::Parse { path: p.path, message: p.message })
}

fn json_value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Value, PolicyError> {
    Value::deserialize(deserializer).map_err(|e| PolicyError::Parse { path: "(root)".into(), message: crate::json::shorten(&e.to_string()) })
}

/// Resolves the parameters of a policy already known to be valid (checked by `validate` in
/// CI, e.g. `yibao validate` and the policy tests) without the structural checks: derived
/// values computed, statuses settled, ranges checked. Returns the parameter problems only.
/// For the web app, where the full checks and their messages cost about 11 KB of gzipped wasm.
pub fn resolve(policy: &mut Policy) -> Vec<Problem> {
    let mut v = Validator { problems: Vec::new() };
    v.params(policy);
    v.problems
}

/// A set for the handful of ids a policy lists (tiers, documents, identities, kinds): a
/// vector, because a hashed or sorted set costs kilobytes of wasm for lists of under ten.
struct Seen<T>(Vec<T>);

impl<T: PartialEq> Seen<T> {
    fn new() -> Self {
        Seen(Vec::new())
    }

    /// True the first time `x` is met.
    fn insert(&mut self, x: T) -> bool {
        let first = !self.0.contains(&x);
        if first {
            self.0.push(x);
        }
        first
    }

    fn contains(&self, x: &T) -> bool {
        self.0.contains(x)
    }
}

/// Checks a deserialized policy and resolves its derived parameters. Returns every problem.
pub fn validate(policy: &mut Policy) -> Vec<Problem> {
    let mut v = Validator { problems: Vec::new() };
    v.header(policy);
    v.params(policy);
    v.layers(policy);
    v.problems
}

struct Validator {
    problems: Vec<Problem>,
}

impl Validator {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem { path: path.into(), message: message.into() });
    }

    fn header(&mut self, p: &Policy) {
        if p.format_version != FORMAT_VERSION {
            self.problem("format_version", format!("格式版本应为 {FORMAT_VERSION} (this engine reads format {FORMAT_VERSION}), 实为 {}", p.format_version));
        }
        if p.id.is_empty() || !p.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            self.problem("id", "id 只能由小写字母、数字和连字符组成 (lowercase letters, digits and '-')");
        }
        for (field, value) in [("region", &p.region), ("title", &p.title)] {
            if value.trim().is_empty() {
                self.problem(field, "不能为空 (must not be empty)");
            }
        }
        if !is_iso_date(&p.checked_on) {
            self.problem("checked_on", "应为 YYYY-MM-DD 格式的核对日期 (the date figures were checked, YYYY-MM-DD)");
        }
        let mut doc_ids = Seen::new();
        for (i, d) in p.documents.iter().enumerate() {
            if !doc_ids.insert(d.id.as_str()) {
                self.problem(format!("documents[{i}].id"), format!("文件 id “{}” 重复 (duplicate document id)", d.id));
            }
            if d.title.trim().is_empty() || d.issuer.trim().is_empty() {
                self.problem(format!("documents[{i}]"), "文件须有标题和发布机关 (title and issuer are required)");
            }
        }
        if p.documents.is_empty() {
            self.problem("documents", "至少列出一份依据文件 (list at least one document)");
        }
        if p.tiers.is_empty() {
            self.problem("tiers", "至少一个缴费档次 (at least one tier; a policy without tiers lists one)");
        }
        let mut tier_ids = Seen::new();
        for (i, t) in p.tiers.iter().enumerate() {
            if !tier_ids.insert(t.id.as_str()) {
                self.problem(format!("tiers[{i}].id"), format!("档次 id “{}” 重复 (duplicate tier)", t.id));
            }
        }
        if p.tier(&p.default_tier).is_none() {
            self.problem("default_tier", format!("“{}”不在 tiers 中 (not one of the tiers)", p.default_tier));
        }
        for role in StatisticRole::ALL {
            let keys: Vec<&str> = p.statistics.iter().filter(|(_, s)| s.role == Some(*role)).map(|(k, _)| k.as_str()).collect();
            if keys.len() > 1 {
                self.problem(format!("statistics.{}.role", keys[1]), format!("用途“{}”只能有一个统计数字，已有 {} (one statistic per role)", role.id(), keys[0]));
            }
        }
        let mut seen = Seen::new();
        for (i, id) in p.identities.iter().enumerate() {
            if !seen.insert(*id) {
                self.problem(format!("identities[{i}]"), format!("身份“{}”重复 (listed twice)", id.id()));
            }
        }
    }

    /// Every figure: exactly one of value/derived, a known source, a sane range; the derived
    /// ones computed; and the provenance table written, each figure given its entry's id.
    fn params(&mut self, policy: &mut Policy) {
        let documents: Vec<String> = policy.documents.iter().map(|d| d.id.clone()).collect();
        let statistics: Vec<(String, Option<Decimal>, Status)> = policy
            .statistics
            .iter()
            .map(|(k, s)| (k.clone(), s.value.value.map(|d| d.0), s.value.status))
            .collect();
        let mut problems = Vec::new();
        let mut gathered: Vec<Gathered> = Vec::new();
        walk(policy, &mut |decl, item| {
            let path = decl.path.as_str();
            let mut push = |m: String| problems.push(Problem { path: path.to_string(), message: m });
            let id = ParamId(gathered.len() as u32);
            let p = match item {
                Item::Rule { status, source, note, id: slot, display } => {
                    *slot = id;
                    gathered.push(Gathered { decl, value: None, derived: None, display: Some(display), status, source: source.cloned(), note: note.map(str::to_string) });
                    return;
                }
                Item::Number(p) => p,
            };
            p.id = id;
            let kind = decl.kind.unwrap_or(ParamKind::Amount);
            let value = match (&p.value, &p.derived) {
                (Some(v), None) => Some(v.0),
                (None, Some(d)) => {
                    if path.starts_with("statistics.") {
                        push("统计数字不能再由推算得出 (a statistic must be a value)".into());
                        None
                    } else {
                        match statistics.iter().find(|(k, _, _)| *k == d.statistic) {
                            Some((_, Some(base), base_status)) => {
                                p.effective_status = Some(p.status.weakest(*base_status));
                                let product = base.checked_mul(d.factor.0);
                                if product.is_none() {
                                    push("推算结果超出范围 (the derived value is out of range)".into());
                                }
                                product
                            }
                            Some((_, None, _)) => None,
                            None => {
                                push(format!("statistics 中没有“{}” (unknown statistic)", d.statistic));
                                None
                            }
                        }
                    }
                }
                (Some(_), Some(_)) => {
                    push("value 与 derived 只能二选一 (give either value or derived, not both)".into());
                    None
                }
                (None, None) => {
                    push("缺少 value 或 derived (a parameter needs a value or a derivation)".into());
                    None
                }
            };
            if p.derived.is_some() && p.value.is_none() && !matches!(p.status, Status::Derived | Status::Assumed) {
                push("推算得出的参数状态应为 derived 或 assumed (a derived parameter has status derived or assumed)".into());
            }
            match &p.source {
                Some(src) if !documents.contains(&src.document) => {
                    push(format!("依据文件“{}”不在 documents 中 (unknown document)", src.document))
                }
                Some(src) if src.clause.trim().is_empty() => push("请注明条款 (source.clause is empty)".into()),
                None if p.status != Status::Assumed => {
                    push("缺少依据 source；只有 assumed 参数可以没有依据 (a parameter needs a source unless assumed)".into())
                }
                _ => {}
            }
            if p.status == Status::Assumed && p.note.as_deref().map_or(true, |n| n.trim().is_empty()) {
                push("参考值须在 note 中说明理由 (an assumed parameter needs a note saying why)".into());
            }
            if p.effective_status.is_none() {
                p.effective_status = Some(p.status);
            }
            let mut resolved = None;
            if let Some(v) = value {
                let (max, what) = match kind {
                    ParamKind::Amount => (MAX_POLICY_AMOUNT, "金额应在 0 至 10,000,000,000 元之间 (amount out of range)"),
                    ParamKind::Ratio => (Decimal::ONE, "比例应在 0% 至 100% 之间 (ratio must be within 0–100%)"),
                    ParamKind::Points => (Decimal::ONE, "百分点应在 0 至 100 之间 (points must be within 0–100%)"),
                    ParamKind::Factor => (Decimal::ONE_HUNDRED, "倍数应在 0 至 100 之间 (factor must be within 0–100)"),
                };
                // Money is whole fen: a literal amount with more places is refused, a derived
                // one (statistic × factor) is rounded to the fen like every payout, so caps,
                // thresholds and deductibles can only yield payouts that add up to the fen.
                let v = match (kind, p.derived.is_some()) {
                    (ParamKind::Amount, true) => crate::money::round_fen(v),
                    _ => v,
                };
                // The table lists the figure as written even when it is refused, so that lint
                // can say what is wrong with it; the pipeline only ever sees accepted values.
                resolved = Some(v);
                if v.is_sign_negative() || v > max {
                    push(format!("{what}: {v}"));
                } else if kind == ParamKind::Amount && v.normalize().scale() > 2 {
                    push(format!("金额最多精确到分（两位小数）(an amount has at most two decimals): {v}"));
                } else {
                    p.resolved = v;
                }
            }
            gathered.push(Gathered {
                decl,
                value: resolved,
                derived: p.derived.as_ref().map(|d| (d.statistic.clone(), d.factor.0)),
                display: None,
                status: p.status(),
                source: p.source.clone(),
                note: p.note.clone(),
            });
        });
        policy.provenance = super::provenance::build(policy, gathered);
        self.problems.extend(problems);
    }

    fn layers(&mut self, p: &Policy) {
        let defined: [(Layer, bool); 4] = [
            (Layer::Basic, p.basic.is_some()),
            (Layer::CriticalIllness, p.critical_illness.is_some()),
            (Layer::Assistance, p.assistance.is_some()),
            (Layer::TiltedAssistance, p.tilted_assistance.is_some()),
        ];
        for (layer, is_defined) in defined {
            match (is_defined, p.not_covered.get(&layer)) {
                (true, Some(_)) => self.problem(format!("not_covered.{layer}"), "该层已定义，不能同时标为未覆盖 (layer is both defined and not covered)"),
                (false, None) => self.problem(layer.id(), "该层既未定义也未在 not_covered 中说明理由 (define the layer or list it in not_covered with a reason)"),
                (false, Some(reason)) if reason.trim().is_empty() => self.problem(format!("not_covered.{layer}"), "请说明理由 (give the reason)"),
                _ => {}
            }
        }
        let known: &[Identity] = &p.identities;
        if let Some(b) = &p.basic {
            self.basic(p, b, known);
        }
        if let Some(ci) = &p.critical_illness {
            self.critical_illness(p, ci, known);
        }
        if let Some(a) = &p.assistance {
            let mut seen = Seen::new();
            for (i, c) in a.categories.iter().enumerate() {
                let path = format!("assistance.categories[{i}]");
                self.identities(&format!("{path}.identities"), &c.identities, known);
                for id in &c.identities {
                    if !seen.insert(*id) {
                        self.problem(format!("{path}.identities"), format!("身份“{}”已在另一救助类别中 (identity in two categories)", id.id()));
                    }
                }
                let mut kinds = Seen::new();
                for (j, r) in c.rules.iter().enumerate() {
                    self.kinds(&format!("{path}.rules[{j}].kinds"), &r.kinds.value, &mut kinds);
                    self.sourced(&format!("{path}.rules[{j}].kinds"), &r.kinds, p);
                    if let Some(pool) = &r.cap_pool {
                        if !c.caps.contains_key(pool) {
                            self.problem(format!("{path}.rules[{j}].cap_pool"), format!("caps 中没有“{pool}” (unknown cap pool)"));
                        }
                    }
                }
            }
        }
        if let Some(t) = &p.tilted_assistance {
            self.identities("tilted_assistance.identities", &t.identities, known);
            self.kinds("tilted_assistance.kinds", &t.kinds.value, &mut Seen::new());
            self.sourced("tilted_assistance.kinds", &t.kinds, p);
            self.sourced("tilted_assistance.requires_referral", &t.requires_referral, p);
        }
        for (i, step) in p.next_steps.iter().enumerate() {
            if let Some(ids) = &step.identities {
                self.identities(&format!("next_steps[{i}].identities"), ids, known);
            }
            if step.text.value.trim().is_empty() {
                self.problem(format!("next_steps[{i}].text.value"), "不能为空 (must not be empty)");
            }
            self.sourced(&format!("next_steps[{i}].text"), &step.text, p);
        }
        if let Some(m) = &p.monitoring {
            for (i, line) in m.lines.iter().enumerate() {
                if let Some(ids) = &line.identities {
                    self.identities(&format!("monitoring.lines[{i}].identities"), ids, known);
                }
            }
        }
        if let Some(c) = &p.contribution {
            self.contribution(p, c, known);
        }
    }

    fn basic(&mut self, p: &Policy, b: &Basic, known: &[Identity]) {
        let mut kinds = Seen::new();
        let mut pool_rules: Vec<(&str, DeductibleRule)> = Vec::new();
        for (i, benefit) in b.benefits.iter().enumerate() {
            let path = format!("basic.benefits[{i}]");
            self.kinds(&format!("{path}.kinds"), &benefit.kinds, &mut kinds);
            self.sourced(&format!("{path}.deductible_rule"), &benefit.deductible_rule, p);
            match pool_rules.iter().find(|(pool, _)| *pool == benefit.deductible_pool) {
                Some((_, rule)) if *rule != benefit.deductible_rule.value => self.problem(
                    format!("{path}.deductible_rule"),
                    "共用起付线的待遇须采用相同的起付规则 (benefits sharing a deductible pool need the same rule)",
                ),
                Some(_) => {}
                None => pool_rules.push((&benefit.deductible_pool, benefit.deductible_rule.value)),
            }
            // The same set of ids on both sides (a repeated tier id is reported in `header`).
            let tiers_have_ratio = p.tiers.iter().all(|t| benefit.ratio.contains_key(&t.id));
            let ratios_have_tier = benefit.ratio.keys().all(|k| p.tiers.iter().any(|t| &t.id == k));
            if !(tiers_have_ratio && ratios_have_tier) {
                let mut tier_ids = Seen::new();
                for t in &p.tiers {
                    tier_ids.insert(t.id.as_str());
                }
                let ratio_tiers: Vec<&str> = benefit.ratio.keys().map(String::as_str).collect();
                self.problem(
                    format!("{path}.ratio"),
                    format!("报销比例须按每个缴费档次给出 (one table per tier: {}), 实为 {}", tier_ids.0.join(", "), ratio_tiers.join(", ")),
                );
            }
            for (j, bonus) in benefit.ratio_bonus.iter().enumerate() {
                self.identities(&format!("{path}.ratio_bonus[{j}].identities"), &bonus.identities, known);
            }
            if let Some(pool) = &benefit.cap_pool {
                if !b.caps.contains_key(pool) {
                    self.problem(format!("{path}.cap_pool"), format!("basic.caps 中没有“{pool}” (unknown cap pool)"));
                }
            }
        }
        for (kind, reason) in &b.not_covered {
            if kinds.contains(kind) {
                self.problem(format!("basic.not_covered.{kind}"), "该就诊类型已有待遇规则 (kind has a benefit already)");
            }
            if reason.trim().is_empty() {
                self.problem(format!("basic.not_covered.{kind}"), "请说明理由 (give the reason)");
            }
        }
        for kind in VisitKind::ALL {
            if !kinds.contains(kind) && !b.not_covered.contains_key(kind) {
                self.problem("basic.benefits", format!("就诊类型“{}”既无待遇规则也未列入 not_covered ({} has no rule and no reason)", kind.name_zh(), kind.id()));
            }
        }
    }

    fn critical_illness(&mut self, p: &Policy, ci: &CriticalIllness, known: &[Identity]) {
        self.kinds("critical_illness.base_kinds", &ci.base_kinds.value, &mut Seen::new());
        self.sourced("critical_illness.base_kinds", &ci.base_kinds, p);
        match &ci.segment_basis {
            Some(basis) => self.sourced("critical_illness.segment_basis", basis, p),
            None if ci.basis_matters() => self.problem(
                "critical_illness.segment_basis",
                "分段时须说明分段按累计负担还是按超过起付线的部分计 (segment_basis is required with several segments or a bounded last one)",
            ),
            None => {}
        }
        if let Some(above) = &ci.above_last_segment {
            self.sourced("critical_illness.above_last_segment", above, p);
        }
        for (i, t) in ci.tilts.iter().enumerate() {
            self.sourced(&format!("critical_illness.tilts[{i}].cap_removed"), &t.cap_removed, p);
            if let Some(unbounded) = &t.last_segment_unbounded {
                let path = format!("critical_illness.tilts[{i}].last_segment_unbounded");
                self.sourced(&path, unbounded, p);
                if ci.segments.last().is_some_and(|s| s.up_to.is_none()) {
                    self.problem(path, "最后一段本来就没有上限，此项无意义 (the last segment is open already)");
                }
            }
        }
        if ci.segments.is_empty() {
            self.problem("critical_illness.segments", "至少一个分段 (at least one segment)");
        }
        let mut previous: Option<Decimal> = None;
        let last = ci.segments.len().saturating_sub(1);
        for (i, s) in ci.segments.iter().enumerate() {
            match &s.up_to {
                None if i != last => self.problem(format!("critical_illness.segments[{i}].up_to"), "只有最后一段可以不设上限 (only the last segment may be open)"),
                Some(up) => {
                    let up = up.get();
                    if previous.is_some_and(|prev| up <= prev) {
                        self.problem(format!("critical_illness.segments[{i}].up_to"), "分段上限须逐段递增 (segments out of order)");
                    }
                    if i == 0 && ci.basis() == SegmentBasis::CumulativeBurden && up <= ci.threshold.get() {
                        self.problem(format!("critical_illness.segments[{i}].up_to"), "第一段上限须高于起付线 (first segment ends below the threshold)");
                    }
                    previous = Some(up);
                }
                None => {}
            }
        }
        let mut seen = Seen::new();
        if ci.above_last_segment.is_some() && ci.segments.last().is_some_and(|s| s.up_to.is_none()) {
            self.problem("critical_illness.above_last_segment", "最后一段没有上限，above_last_segment 无意义 (the last segment is open)");
        }
        for (i, t) in ci.tilts.iter().enumerate() {
            let path = format!("critical_illness.tilts[{i}]");
            self.identities(&format!("{path}.identities"), &t.identities, known);
            for id in &t.identities {
                if !seen.insert(*id) {
                    self.problem(format!("{path}.identities"), format!("身份“{}”已在另一倾斜规则中 (identity in two tilts)", id.id()));
                }
            }
            if t.threshold.is_some() && t.threshold_factor.is_some() {
                self.problem(&path, "threshold 与 threshold_factor 只能二选一 (give one of them)");
            }
            let points = t.ratio_points.as_ref().map_or(Decimal::ZERO, Param::get);
            for (j, s) in ci.segments.iter().enumerate() {
                if s.ratio.get().checked_add(points).is_none_or(|r| r > Decimal::ONE) {
                    self.problem(format!("{path}.ratio_points"), format!("第 {} 段比例加点后超过 100% (segment {j} ratio above 100% with the tilt)", j + 1));
                }
            }
        }
    }

    fn contribution(&mut self, p: &Policy, c: &Contribution, known: &[Identity]) {
        for tier in c.individual.keys() {
            if p.tier(tier).is_none() {
                self.problem(format!("contribution.individual.{tier}"), "不是已定义的缴费档次 (unknown tier)");
            }
        }
        for (i, e) in c.subsidised_enrolment.iter().enumerate() {
            self.identities(&format!("contribution.subsidised_enrolment[{i}].identities"), &e.identities, known);
        }
        for (i, split) in c.fiscal_split.iter().enumerate() {
            let path = format!("contribution.fiscal_split[{i}]");
            if c.government_subsidy.is_none() {
                self.problem(&path, "分担方案需要 government_subsidy (a split needs the subsidy)");
            }
            // The parts share the subsidy: none may take more than what the parts before it
            // leave, or a payer would be shown paying a negative amount.
            if let Some(total) = c.government_subsidy.as_ref().map(Param::get) {
                let mut left = total;
                for (j, part) in split.parts.iter().enumerate() {
                    let amount = match (&part.amount, &part.share, &part.share_of_rest) {
                        (Some(a), _, _) => a.get(),
                        (None, Some(s), _) => crate::money::round_fen(total * s.get()),
                        (None, None, Some(s)) => crate::money::round_fen(left * s.get()),
                        (None, None, None) => left,
                    };
                    if amount > left {
                        self.problem(
                            format!("{path}.parts[{j}]"),
                            format!("这一项分担 {} 元，超过财政补助 {} 元分到此处所剩的 {} 元 (a part exceeds what the parts before it leave of the subsidy)", crate::money::format_yuan(amount), crate::money::format_yuan(total), crate::money::format_yuan(left)),
                        );
                        break;
                    }
                    left -= amount;
                }
            }
            for (j, part) in split.parts.iter().enumerate() {
                let given = [part.amount.is_some(), part.share.is_some(), part.share_of_rest.is_some(), part.rest]
                    .iter()
                    .filter(|b| **b)
                    .count();
                if given != 1 {
                    self.problem(format!("{path}.parts[{j}]"), "amount、share、share_of_rest、rest 须且只能给出一项 (give exactly one)");
                }
                if part.rest && j + 1 != split.parts.len() {
                    self.problem(format!("{path}.parts[{j}].rest"), "rest 只能是最后一项 (rest must be the last part)");
                }
            }
        }
    }

    fn identities(&mut self, path: &str, ids: &[Identity], known: &[Identity]) {
        if ids.is_empty() {
            self.problem(path, "至少一个身份 (at least one identity)");
        }
        for (i, id) in ids.iter().enumerate() {
            if !known.contains(id) {
                self.problem(format!("{path}[{i}]"), format!("身份“{}”未列入本政策的 identities (not in the policy's identities)", id.id()));
            }
        }
    }

    fn kinds(&mut self, path: &str, kinds: &[VisitKind], seen: &mut Seen<VisitKind>) {
        if kinds.is_empty() {
            self.problem(path, "至少一个就诊类型 (at least one visit kind)");
        }
        for k in kinds {
            if !seen.insert(*k) {
                self.problem(path, format!("就诊类型“{}”出现在两条规则中 ({} matched twice)", k.name_zh(), k.id()));
            }
        }
    }

    fn sourced<T>(&mut self, path: &str, s: &Sourced<T>, p: &Policy) {
        match &s.source {
            Some(src) if p.document(&src.document).is_none() => {
                self.problem(format!("{path}.source.document"), format!("依据文件“{}”不在 documents 中 (unknown document)", src.document))
            }
            None if s.status != Status::Assumed => self.problem(path, "缺少依据 source (a rule needs a source unless assumed)"),
            _ => {}
        }
        if s.status == Status::Assumed && s.note.as_deref().map_or(true, |n| n.trim().is_empty()) {
            self.problem(path, "参考做法须在 note 中说明理由 (an assumed rule needs a note)");
        }
    }
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tianjin() -> serde_json::Value {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies/tianjin-2023.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn problems(policy: &serde_json::Value) -> Vec<Problem> {
        match from_value(&serde_json::from_value(policy.clone()).unwrap()) {
            Ok(_) => vec![],
            Err(e) => e.problems(),
        }
    }

    #[test]
    fn huge_figures_are_problems_not_panics() {
        // A derivation whose product leaves Decimal's range.
        let mut p = tianjin();
        p["statistics"]["income_2022"]["value"]["value"] = serde_json::json!("7922816251426433759354395033");
        p["critical_illness"]["threshold"]["derived"]["factor"] = serde_json::json!("1000");
        let found = problems(&p);
        assert!(found.iter().any(|x| x.path == "critical_illness.threshold" && x.message.contains("out of range")), "{found:?}");
    }

    #[test]
    fn ratio_tables_must_match_the_tiers_as_sets() {
        let mut p = tianjin();
        let ratio = p["basic"]["benefits"][0]["ratio"].as_object_mut().unwrap();
        let (tier, table) = ratio.iter().next().map(|(k, v)| (k.clone(), v.clone())).unwrap();
        ratio.remove(&tier);
        ratio.insert("no_such_tier".into(), table);
        let found = problems(&p);
        assert!(found.iter().any(|x| x.path == "basic.benefits[0].ratio" && x.message.contains("no_such_tier")), "{found:?}");
        assert!(problems(&tianjin()).is_empty());
    }
}
