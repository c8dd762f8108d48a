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
    /// The text is not JSON, or not a policy of this format version.
    Parse { path: String, message: String },
    /// The JSON does not have the policy's shape; every such place is listed.
    Shape(Vec<Problem>),
    /// The shape is right but the content is not; every problem is listed.
    Invalid(Vec<Problem>),
}

impl PolicyError {
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            PolicyError::Parse { path, message } => {
                vec![Problem { path: path.clone(), message: message.clone() }]
            }
            PolicyError::Shape(problems) | PolicyError::Invalid(problems) => problems.clone(),
        }
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::Parse { path, message } => {
                write!(f, "政策文件格式错误 (policy does not parse) at {path}: {message}")
            }
            PolicyError::Shape(problems) | PolicyError::Invalid(problems) => {
                let what = if matches!(self, PolicyError::Shape(_)) { "格式问题 (policy does not have the format's shape)" } else { "问题 (policy is invalid)" };
                write!(f, "政策文件有 {} 处{what}:", problems.len())?;
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

/// Reads a policy for calculation in the browser (the wasm package): its shape and every
/// figure, as `read_value`, and the checks without which a calculation could go silently wrong:
/// tables cover their dimensions, the default tier and group and every cap pool named exist, a
/// rule has a ratio or bands, bands rise. The other structural checks of `validate` (documents
/// and dates, grades, identities listed, layers defined or not covered …) are for publishing,
/// with `yibao validate`: their code is about 12 KB of the package's gzipped wasm, over its
/// budget (ARCHITECTURE.md, "Size").
pub fn check_value(value: &Value) -> Result<Policy, PolicyError> {
    let mut policy = read_shape(value)?;
    let mut v = Validator { problems: Vec::new() };
    v.params::<true>(&mut policy);
    v.references(&policy);
    v.tables(&policy);
    if v.problems.is_empty() {
        Ok(policy)
    } else {
        Err(PolicyError::Invalid(v.problems))
    }
}

/// Reads a policy file that was validated and stamped when it was published (the page checks
/// the stamp first): shape and figures resolved as `read_value`, without writing any message
/// about the figures, which cannot have a problem (see `params`).
pub fn read_trusted(value: &Value) -> Result<Policy, PolicyError> {
    let mut policy = read_shape(value)?;
    Validator { problems: Vec::new() }.params::<false>(&mut policy);
    Ok(policy)
}

/// The types from a JSON value, with every problem of shape; a file of another format
/// version gets one clear message instead of a problem for every changed field.
fn read_shape(value: &Value) -> Result<Policy, PolicyError> {
    if let Value::Object(members) = value {
        let version = members.iter().find(|(k, _)| k == "format_version").map(|(_, v)| v);
        if let Some(Value::Integer(n)) = version.filter(|v| !matches!(v, Value::Integer(n) if *n == FORMAT_VERSION as i128)) {
            #[cfg(feature = "messages")]
            let message = if *n == 1 {
                format!("这是第 1 版格式的政策文件，本引擎读取第 {FORMAT_VERSION} 版：请按 docs/policy-format.md“从第 1 版迁移”一节改写（按医院等级的表写成 {{\"by\": \"facility\", …}}，按档次的比例写成 {{\"by\": \"tier\", …}}，封顶线 null 改为省略或 {{\"value\": \"none\", …}}） (a format 1 file; this engine reads format {FORMAT_VERSION})")
            } else {
                format!("本引擎读取第 {FORMAT_VERSION} 版格式，此文件为第 {n} 版 (this engine reads format {FORMAT_VERSION})")
            };
            #[cfg(not(feature = "messages"))]
            let message = format!("格式版本 {n} (format version)");
            return Err(PolicyError::Parse { path: "format_version".into(), message });
        }
    }
    let mut reader = Reader::new();
    let read = Policy::read(value, &mut reader);
    let dimensions = reader.dimensions;
    let mut policy = reader.finish(read).map_err(PolicyError::Shape)?;
    policy.dimensions = dimensions;
    Ok(policy)
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
    v.params::<true>(policy);
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
    v.params::<true>(policy);
    v.grades(policy);
    v.layers(policy);
    v.references(policy);
    v.tables(policy);
    v.problems
}

struct Validator {
    problems: Vec<Problem>,
}

impl Validator {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.push(path.into(), message.into());
    }

    // Not generic and not inlined: a push is a few instructions at each of the many call sites.
    #[inline(never)]
    fn push(&mut self, path: String, message: String) {
        self.problems.push(Problem { path, message });
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
        if !is_date(&p.checked_on, false) {
            self.problem("checked_on", "应为有效的 YYYY-MM-DD 核对日期 (a valid date the figures were checked, YYYY-MM-DD)");
        }
        if !(1990..=2100).contains(&p.year) {
            self.problem("year", format!("年度应在 1990 至 2100 之间 (a plausible policy year), 实为 {}", p.year));
        }
        let mut doc_ids = Seen::new();
        for (i, d) in p.documents.iter().enumerate() {
            if !doc_ids.insert(d.id.as_str()) {
                self.problem(format!("documents[{i}].id"), format!("文件 id “{}” 重复 (duplicate document id)", d.id));
            }
            if d.title.trim().is_empty() || d.issuer.trim().is_empty() {
                self.problem(format!("documents[{i}]"), "文件须有标题和发布机关 (title and issuer are required)");
            }
            if !is_date(&d.date, true) && d.date != "不详" {
                self.problem(format!("documents[{i}].date"), format!("应为有效日期 YYYY、YYYY-MM 或 YYYY-MM-DD (a valid date), 实为“{}”", crate::json::shorten(&d.date)));
            }
            if let Some(g) = &d.grade {
                if !GRADES.contains(&g.as_str()) {
                    self.problem(format!("documents[{i}].grade"), format!("等级应为 A、A−、B 或 C 之一 (grade must be one of A, A−, B, C), 实为“{}”", crate::json::shorten(g)));
                }
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
        for (list, name) in [(&p.tiers, "tiers"), (&p.populations, "populations"), (&p.facility_classes, "facility_classes")] {
            let mut ids = Seen::new();
            for (i, t) in list.iter().enumerate() {
                if t.id.trim().is_empty() || t.id.trim() != t.id || t.id.contains(',') || t.id == "by" || t.name.trim().is_empty() {
                    self.problem(format!("{name}[{i}]"), "id 不能为空、首尾不能有空格、不能含逗号、不能是“by”，且须有名称 (an id without commas or padding, not `by`, and a name)");
                }
                if name != "tiers" && !ids.insert(t.id.as_str()) {
                    self.problem(format!("{name}[{i}].id"), format!("id “{}” 重复 (duplicate id)", t.id));
                }
            }
        }
    }

    /// A C-grade document backs only `assumed` figures (policy-research.md: a lead, not a source).
    fn grades(&mut self, p: &Policy) {
        for e in p.provenance() {
            let Some(src) = &e.shown.source else { continue };
            let grade = p.document(&src.document).and_then(|d| d.grade.as_deref());
            if grade == Some("C") && e.shown.status != Status::Assumed {
                self.problem(&e.decl.path, format!("依据文件“{}”为 C 级资料，只能支持 assumed 参数 (a C-grade document backs only assumed figures)", src.document));
            }
        }
    }

    /// Every figure: exactly one of value/derived, a known source, a sane range; the derived
    /// ones computed; and the provenance table written, each figure given its entry's id.
    ///
    /// Without `CHECK` (`read_trusted`, for files validated and stamped when published) no
    /// message is written: the figures are resolved the same, and the messages' code and text
    /// stay out of the page's wasm.
    fn params<const CHECK: bool>(&mut self, policy: &mut Policy) {
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
            // A macro, so that the message is not even formatted without CHECK.
            macro_rules! push {
                ($m:expr) => {
                    if CHECK {
                        problems.push(Problem { path: path.to_string(), message: $m });
                    }
                };
            }
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
                        push!("统计数字不能再由推算得出 (a statistic must be a value)".into());
                        None
                    } else {
                        match statistics.iter().find(|(k, _, _)| *k == d.statistic) {
                            Some((_, Some(base), base_status)) => {
                                p.effective_status = Some(p.status.weakest(*base_status));
                                let product = base.checked_mul(d.factor.0);
                                if product.is_none() {
                                    push!("推算结果超出范围 (the derived value is out of range)".into());
                                }
                                product
                            }
                            Some((_, None, _)) => None,
                            None => {
                                push!(format!("statistics 中没有“{}” (unknown statistic)", d.statistic));
                                None
                            }
                        }
                    }
                }
                (Some(_), Some(_)) => {
                    push!("value 与 derived 只能二选一 (give either value or derived, not both)".into());
                    None
                }
                (None, None) => {
                    push!("缺少 value 或 derived (a parameter needs a value or a derivation)".into());
                    None
                }
            };
            if p.derived.is_some() && p.value.is_none() && !matches!(p.status, Status::Derived | Status::Assumed) {
                push!("推算得出的参数状态应为 derived 或 assumed (a derived parameter has status derived or assumed)".into());
            }
            match &p.source {
                Some(src) if !documents.contains(&src.document) => {
                    push!(format!("依据文件“{}”不在 documents 中 (unknown document)", src.document))
                }
                Some(src) if src.clause.trim().is_empty() => push!("请注明条款 (source.clause is empty)".into()),
                None if p.status != Status::Assumed => {
                    push!("缺少依据 source；只有 assumed 参数可以没有依据 (a parameter needs a source unless assumed)".into())
                }
                _ => {}
            }
            if p.status == Status::Assumed && p.note.as_deref().map_or(true, |n| n.trim().is_empty()) {
                push!("参考值须在 note 中说明理由 (an assumed parameter needs a note saying why)".into());
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
                    push!(format!("{what}: {v}"));
                } else if kind == ParamKind::Amount && v.normalize().scale() > 2 {
                    push!(format!("金额最多精确到分（两位小数）(an amount has at most two decimals): {v}"));
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
                    let rule_path = format!("{path}.rules[{j}]");
                    for flag in r.segment_basis.iter() {
                        self.sourced(&format!("{rule_path}.segment_basis"), flag, p);
                    }
                    for flag in r.partial_self_pay_in_base.iter() {
                        self.sourced(&format!("{rule_path}.partial_self_pay_in_base"), flag, p);
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
            if let Some(basis) = &benefit.segment_basis {
                self.sourced(&format!("{path}.segment_basis"), basis, p);
            }
            if let Some(flag) = &benefit.partial_self_pay_in_base {
                self.sourced(&format!("{path}.partial_self_pay_in_base"), flag, p);
            }
            for (j, bonus) in benefit.ratio_bonus.iter().enumerate() {
                self.identities(&format!("{path}.ratio_bonus[{j}].identities"), &bonus.identities, known);
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
                    if i == 0 && ci.basis() == SegmentBasis::CumulativeBurden && ci.threshold.figures().iter().any(|t| up <= t.get()) {
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
                if s.ratio.figures().iter().any(|r| r.get().checked_add(points).is_none_or(|r| r > Decimal::ONE)) {
                    self.problem(format!("{path}.ratio_points"), format!("第 {} 段比例加点后超过 100% (segment {j} ratio above 100% with the tilt)", j + 1));
                }
            }
        }
    }

    /// Bands of basic insurance or assistance: only the last open, bounds rising.
    fn bands(&mut self, path: &str, segments: &[Segment]) {
        let mut previous: Option<Decimal> = None;
        for (i, s) in segments.iter().enumerate() {
            match &s.up_to {
                None if i + 1 != segments.len() => self.problem(format!("{path}[{i}].up_to"), "只有最后一段可以不设上限 (only the last segment may be open)"),
                Some(up) => {
                    if previous.is_some_and(|prev| up.get() <= prev) || up.get().is_zero() {
                        self.problem(format!("{path}[{i}].up_to"), "分段上限须大于 0 且逐段递增 (bounds must rise)");
                    }
                    previous = Some(up.get());
                }
                None => {}
            }
        }
    }

    /// What a calculation relies on beyond the figures: the default tier and group exist,
    /// every cap pool a rule names exists, a rule has a ratio or bands (not both), and bands rise.
    fn references(&mut self, p: &Policy) {
        if p.tier(&p.default_tier).is_none() {
            self.problem("default_tier", format!("“{}”不在 tiers 中 (not one of the tiers)", p.default_tier));
        }
        match (&p.default_population, p.populations.is_empty()) {
            (None, false) => self.problem("default_population", "列出人群时须给出默认人群 (a default group is required with populations)"),
            (Some(d), _) if !p.populations.iter().any(|g| &g.id == d) => self.problem("default_population", format!("“{d}”不在 populations 中 (not one of the populations)")),
            _ => {}
        }
        let rule = |v: &mut Validator, path: String, ratio: bool, segments: &[Segment], pool: Option<&String>, caps: &Map<String, CapPool>| {
            if ratio == !segments.is_empty() {
                v.problem(&path, "ratio 与 segments 须且只能给出一项 (give either ratio or segments)");
            }
            v.bands(&format!("{path}.segments"), segments);
            if let Some(pool) = pool.filter(|k| !caps.contains_key(k.as_str())) {
                v.problem(format!("{path}.cap_pool"), format!("caps 中没有“{pool}” (unknown cap pool)"));
            }
        };
        if let Some(b) = &p.basic {
            for (i, benefit) in b.benefits.iter().enumerate() {
                rule(self, format!("basic.benefits[{i}]"), benefit.ratio.is_some(), &benefit.segments, benefit.cap_pool.as_ref(), &b.caps);
            }
        }
        if let Some(a) = &p.assistance {
            for (i, c) in a.categories.iter().enumerate() {
                for (j, r) in c.rules.iter().enumerate() {
                    let path = format!("assistance.categories[{i}].rules[{j}]");
                    if r.ratio.is_none() && !r.segments.is_empty() && r.segment_basis.is_none() {
                        self.problem(format!("{path}.segment_basis"), "分段救助须说明分段口径 (segment_basis is required with segments)");
                    }
                    rule(self, path, r.ratio.is_some(), &r.segments, r.cap_pool.as_ref(), &c.caps);
                }
            }
        }
        // Bands of one visit are assistance's only.
        let per_visit = |b: Option<&Sourced<SegmentBasis>>| b.is_some_and(|b| b.value == SegmentBasis::Admission);
        let mut at = Vec::new();
        if let Some(b) = &p.basic {
            at.extend(b.benefits.iter().enumerate().filter(|(_, x)| per_visit(x.segment_basis.as_ref())).map(|(i, _)| format!("basic.benefits[{i}].segment_basis")));
        }
        if p.critical_illness.as_ref().is_some_and(|ci| per_visit(ci.segment_basis.as_ref())) {
            at.push("critical_illness.segment_basis".into());
        }
        for path in at {
            self.problem(path, "admission（每次就诊分段）只用于医疗救助 (per-visit bands are for assistance only)");
        }
        if p.tilted_assistance.as_ref().is_some_and(|t| t.threshold.is_none() && t.admission_threshold.is_none()) {
            self.problem("tilted_assistance.threshold", "须给出年度起付标准 threshold 或每次起付标准 admission_threshold (give threshold, admission_threshold or both)");
        }
    }

    /// Every table covers each value of its dimensions exactly once, and a yearly figure
    /// depends only on the resident, not on one visit. The tables come from the policy's one
    /// list of them (`each_table`), their paths from the provenance table: no code per field
    /// here, which is in the wasm package.
    fn tables(&mut self, p: &Policy) {
        for (flag, path) in [
            (p.tilted_assistance.as_ref().and_then(|t| t.partial_self_pay_in_base.as_ref()), "tilted_assistance.partial_self_pay_in_base"),
            (p.critical_illness.as_ref().and_then(|ci| ci.partial_self_pay_in_base.as_ref()), "critical_illness.partial_self_pay_in_base"),
        ] {
            if let Some(flag) = flag {
                self.sourced(path, flag, p);
            }
        }
        let tiers: Vec<&str> = p.tiers.iter().map(|t| t.id.as_str()).collect();
        let populations: Vec<&str> = p.populations.iter().map(|t| t.id.as_str()).collect();
        let facilities: Vec<&str> = p.facilities().into_iter().map(|(i, _)| i).collect();
        let places: Vec<&str> = crate::ids::Place::ALL.iter().map(|x| x.id()).collect();
        let every: Vec<&str> = p.identities.iter().map(|i| i.id()).chain([ORDINARY]).collect();
        let mut sites = Vec::new();
        p.each_table(&mut |t, scope| sites.push((t, scope)));
        for (table, scope) in sites {
            let kinds: Vec<&str> = scope.kinds.iter().map(|k| k.id()).collect();
            let identities: Vec<&str> = scope.identities.map_or_else(|| every.clone(), |ids| ids.iter().map(|i| i.id()).collect());
            let values = |by: Dimension| -> &[&str] {
                match by {
                    Dimension::Tier => &tiers,
                    Dimension::Population => &populations,
                    Dimension::Facility => &facilities,
                    Dimension::VisitKind => &kinds,
                    Dimension::Admission => &[],
                    Dimension::Referral => &["referred", "not_referred"],
                    Dimension::Place => &places,
                    Dimension::Identity => &identities,
                }
            };
            self.table(&table_path(p, table), table, scope.yearly, &values, &mut Vec::new());
        }
    }

    fn table<'v>(&mut self, path: &str, t: &Table, yearly: bool, values: &dyn Fn(Dimension) -> &'v [&'v str], above: &mut Vec<Dimension>) {
        let Table::By { by, rows } = t else { return };
        let (by, name) = (*by, by.name_zh());
        if yearly && !by.is_yearly() || above.contains(&by) {
            self.problem(format!("{path}.by"), format!("不能按“{name}”区分：年度数字只能按缴费档次、人群或身份区分，同一维度也不能用两次 (a yearly figure depends on the resident only; a dimension once per table)"));
        }
        let mut seen: Vec<&str> = Vec::new();
        for row in rows {
            for v in row.values() {
                let known = if by == Dimension::Admission { admission_key(v).is_some() } else { values(by).contains(&v) };
                if !known || seen.contains(&v) {
                    self.problem(format!("{path}.{}", row.key), format!("“{}”不是“{name}”的可选值，或出现在两个键中：可选 {} (unknown key, or a value listed twice)", crate::json::shorten(v), values(by).join(", ")));
                }
                seen.push(v);
            }
        }
        let mut missing: Vec<String> = values(by).iter().filter(|v| !seen.contains(v)).map(|v| v.to_string()).collect();
        if by == Dimension::Admission {
            let keys: Vec<(u32, bool)> = seen.iter().filter_map(|v| admission_key(v)).collect();
            let top = keys.iter().map(|(n, _)| *n).max().unwrap_or(0);
            if keys.iter().filter(|(_, plus)| *plus).map(|(n, _)| *n).ne([top]) {
                self.problem(path, "按第几次区分时，须且只能有一个“n+”键（第 n 次及以后），且 n 最大 (one key `n+`, the highest)");
            }
            missing = (1..top).filter(|n| !keys.contains(&(*n, false))).map(|n| n.to_string()).collect();
        }
        for m in missing {
            self.problem(format!("{path}.{m}"), format!("缺少“{m}”（{name}）的数值 (missing key)"));
        }
        above.push(by);
        for row in rows {
            self.table(&format!("{path}.{}", row.key), &row.table, yearly, values, above);
        }
        above.pop();
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
                    left = left - amount;
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

/// The grades of published material (policy-research.md); `A-` is read as `A−`.
const GRADES: &[&str] = &["A", "A−", "A-", "B", "C"];

/// A table's JSON path: its first figure's path less the keys that lead to it.
fn table_path(p: &Policy, t: &Table) -> String {
    let mut t = t;
    let mut cut = 0;
    loop {
        match t {
            Table::Figure(param) => {
                let path = p.entry(param.id).map_or("", |e| e.decl.path.as_str());
                return path.get(..path.len().saturating_sub(cut)).unwrap_or(path).to_string();
            }
            Table::By { rows, .. } => match rows.first() {
                Some(row) => {
                    cut += row.key.len() + 1;
                    t = &row.table;
                }
                None => return String::new(),
            },
        }
    }
}

/// An admission key: `2` → (2, false), `3+` → (3, true).
fn admission_key(v: &str) -> Option<(u32, bool)> {
    let (n, plus) = match v.strip_suffix('+') {
        Some(n) => (n, true),
        None => (v, false),
    };
    n.parse::<u32>().ok().filter(|n| *n >= 1 && *n <= 50).map(|n| (n, plus))
}

/// A real calendar date: `YYYY-MM-DD`, or with `partial` also `YYYY` and `YYYY-MM`.
fn is_date(s: &str, partial: bool) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |t: &str, len: usize| (t.len() == len && t.bytes().all(|c| c.is_ascii_digit())).then(|| t.parse::<u32>().ok()).flatten();
    let Some(year) = parts.first().and_then(|y| num(y, 4)) else { return false };
    if !(1949..=2100).contains(&year) {
        return false;
    }
    let month = parts.get(1).map(|m| num(m, 2));
    let day = parts.get(2).map(|d| num(d, 2));
    match (parts.len(), month, day) {
        (1, _, _) => partial,
        (2, Some(Some(m)), _) => partial && (1..=12).contains(&m),
        (3, Some(Some(m)), Some(Some(d))) => {
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return false,
            };
            (1..=days).contains(&d)
        }
        _ => false,
    }
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

    fn has(found: &[Problem], path: &str, words: &str) -> bool {
        found.iter().any(|x| x.path == path && x.message.contains(words))
    }

    #[test]
    fn tables_cover_every_value_of_their_dimensions() {
        assert!(problems(&tianjin()).is_empty());
        // A tier left out is named by the path of the missing key.
        let mut p = tianjin();
        let high = p["basic"]["benefits"][0]["ratio"].as_object_mut().unwrap().remove("high").unwrap();
        let found = problems(&p);
        assert!(has(&found, "basic.benefits[0].ratio.high", "missing key"), "{found:?}");
        // An unknown key, and a value in two keys.
        p["basic"]["benefits"][0]["ratio"]["gold"] = high.clone();
        p["basic"]["benefits"][0]["ratio"]["high,low"] = high;
        let found = problems(&p);
        assert!(has(&found, "basic.benefits[0].ratio.gold", "unknown key"), "{found:?}");
        assert!(found.iter().any(|x| x.path.starts_with("basic.benefits[0].ratio.") && x.message.contains("listed twice")), "{found:?}");
        // A facility missing one level deeper.
        let mut p = tianjin();
        p["basic"]["benefits"][0]["deductible"].as_object_mut().unwrap().remove("level2");
        assert!(has(&problems(&p), "basic.benefits[0].deductible.level2", "missing key"));
    }

    #[test]
    fn admission_keys_run_from_1_to_a_last_open_one() {
        let mut p = tianjin();
        let d = p["basic"]["benefits"][0]["deductible"]["level1"].clone();
        p["basic"]["benefits"][0]["deductible"]["level1"] = serde_json::json!({"by": "admission", "1": d.clone(), "3+": d.clone()});
        assert!(has(&problems(&p), "basic.benefits[0].deductible.level1.2", "missing key"));
        p["basic"]["benefits"][0]["deductible"]["level1"] = serde_json::json!({"by": "admission", "1": d.clone(), "2": d.clone()});
        assert!(has(&problems(&p), "basic.benefits[0].deductible.level1", "n+"));
        p["basic"]["benefits"][0]["deductible"]["level1"] = serde_json::json!({"by": "admission", "1": d.clone(), "2+": d});
        assert!(problems(&p).is_empty(), "{:?}", problems(&p));
    }

    #[test]
    fn a_yearly_figure_depends_on_the_resident_only() {
        let mut p = tianjin();
        let t = p["critical_illness"]["threshold"].clone();
        p["critical_illness"]["threshold"] = serde_json::json!({"by": "place", "local": t.clone(), "elsewhere_registered,elsewhere_unregistered": t.clone()});
        assert!(has(&problems(&p), "critical_illness.threshold.by", "yearly"));
        p["critical_illness"]["threshold"] = serde_json::json!({"by": "identity", "ordinary": t.clone(), "extreme_poverty,subsistence_allowance,low_income_margin": t});
        assert!(problems(&p).is_empty(), "{:?}", problems(&p));
    }

    #[test]
    fn grades_dates_and_c_grade_sources() {
        let mut p = tianjin();
        p["documents"][0]["grade"] = serde_json::json!("A+");
        p["documents"][1]["date"] = serde_json::json!("2023-02-30");
        p["checked_on"] = serde_json::json!("2026-13-01");
        p["year"] = serde_json::json!(23);
        let found = problems(&p);
        assert!(has(&found, "documents[0].grade", "grade"), "{found:?}");
        assert!(has(&found, "documents[1].date", "valid date"), "{found:?}");
        assert!(has(&found, "checked_on", "valid date"), "{found:?}");
        assert!(has(&found, "year", "1990"), "{found:?}");
        // A stated figure backed by a C-grade document is refused.
        let mut p = tianjin();
        let doc = p["critical_illness"]["tilts"][0]["ratio_points"]["source"]["document"].as_str().unwrap().to_string();
        let i = p["documents"].as_array().unwrap().iter().position(|d| d["id"] == doc.as_str()).unwrap();
        p["documents"][i]["grade"] = serde_json::json!("C");
        assert!(has(&problems(&p), "critical_illness.tilts[0].ratio_points", "C-grade"));
    }
}
