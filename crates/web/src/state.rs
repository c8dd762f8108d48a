//! What the resident has entered, how it is written into the link (the URL query), and how
//! it becomes an engine [`Scenario`] with one message per bad field. Plain Rust: tested natively.

use rust_decimal::Decimal;
use yibao_engine::dec::Dec;
use yibao_engine::money;
use yibao_engine::{HospitalLevel, Identity, Policy, Scenario, Scheme, Visit, VisitKind};

/// The share of the total used when the resident does not know the in-scope cost: seed 004
/// expects in-catalogue costs to reach 90% of the total for the poor.
pub const ESTIMATE_PERCENT: u32 = 90;

/// The most visits the page lets a resident enter (the engine allows more; a phone form does not need them).
pub const MAX_VISITS: usize = 30;

#[derive(Clone, Debug, PartialEq)]
pub struct VisitInput {
    pub kind: VisitKind,
    pub level: HospitalLevel,
    /// 医疗总费用, as typed.
    pub total: String,
    /// 政策范围内费用, as typed (ignored while `estimate` is on).
    pub in_scope: String,
    /// "不清楚，按总费用的90%估算".
    pub estimate: bool,
    /// 规范转诊.
    pub referred: bool,
}

impl Default for VisitInput {
    fn default() -> Self {
        VisitInput {
            kind: VisitKind::Inpatient,
            level: HospitalLevel::Level2,
            total: "20000".into(),
            in_scope: String::new(),
            estimate: true,
            referred: false,
        }
    }
}

/// Another policy or tier to compare the same visits with.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareTarget {
    pub policy: String,
    /// A tier of that policy; its default tier when `None`.
    pub tier: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Inputs {
    /// The policy id (from `policies/index.json`); the first one when `None`.
    pub policy: Option<String>,
    /// 缴费档次; the policy's default when `None`.
    pub tier: Option<String>,
    pub identities: Vec<Identity>,
    pub visits: Vec<VisitInput>,
    pub compare: Option<CompareTarget>,
    /// `checked_on` of the policy when the link was made (to say when the figures changed since).
    pub data_date: Option<String>,
}

impl Default for Inputs {
    fn default() -> Self {
        Inputs { policy: None, tier: None, identities: vec![], visits: vec![VisitInput::default()], compare: None, data_date: None }
    }
}

// ------------------------------------------------------------------ amounts

/// Reads an amount as residents type it: ASCII or full-width digits, thousands separators,
/// a trailing 元. Returns the message to show next to the field when it is not a number.
pub fn parse_amount(text: &str) -> Result<Decimal, String> {
    let mut clean = String::with_capacity(text.len());
    let text = text.trim();
    let text = text.strip_suffix('元').unwrap_or(text);
    for c in text.chars() {
        match c {
            '0'..='9' | '.' | '-' | '+' => clean.push(c),
            '０'..='９' => clean.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            '．' | '。' => clean.push('.'),
            '－' => clean.push('-'),
            ',' | '，' | ' ' | '\u{3000}' | '_' => {}
            _ => {
                return Err("请只填写数字，例如 12000 或 12000.50".into());
            }
        }
    }
    if clean.is_empty() {
        return Err("请填写金额（元），例如 12000".into());
    }
    match Dec::parse(&clean) {
        Ok(d) => Ok(d.get()),
        Err(_) => Err("请只填写数字，例如 12000 或 12000.50".into()),
    }
}

/// The in-scope estimate for a total: 90%, rounded to the fen (四舍五入).
pub fn estimate_in_scope(total: Decimal) -> Decimal {
    money::round_fen(total * Decimal::from(ESTIMATE_PERCENT) / Decimal::ONE_HUNDRED)
}

/// A message for one input field. `field` uses the engine's paths: `visits[1].in_scope`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Drops the English gloss the engine adds in parentheses at the end of its messages.
pub fn zh_only(message: &str) -> String {
    let m = message.trim();
    if let Some(start) = m.rfind(" (") {
        let gloss = &m[start + 2..];
        if gloss.ends_with(')') && gloss.is_ascii() {
            return m[..start].trim_end().to_string();
        }
    }
    m.to_string()
}

/// The scenario for the inputs, or a message for every field that is not a number.
/// Bounds and consistency (negative, in_scope > total …) are the engine's to check.
pub fn scenario(inputs: &Inputs, tier: Option<&str>) -> Result<Scenario, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut visits = Vec::with_capacity(inputs.visits.len());
    for (i, v) in inputs.visits.iter().enumerate() {
        let total = parse_amount(&v.total).map_err(|m| errors.push(FieldError { field: format!("visits[{i}].total"), message: m }));
        let in_scope = if v.estimate {
            total.map(estimate_in_scope)
        } else {
            parse_amount(&v.in_scope).map_err(|m| errors.push(FieldError { field: format!("visits[{i}].in_scope"), message: m }))
        };
        if let (Ok(total), Ok(in_scope)) = (total, in_scope) {
            visits.push(Visit { kind: v.kind, level: v.level, total: Dec(total), in_scope: Dec(in_scope), referred: v.referred });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Scenario { scheme: Scheme::Resident, contribution_tier: tier.map(str::to_string), identities: inputs.identities.clone(), visits })
}

/// The engine's error, worded for residents, with a hint where one helps.
pub fn engine_error(e: &yibao_engine::ScenarioError) -> FieldError {
    let (field, message) = (e.field.as_str(), e.message.as_str());
    let mut text = zh_only(message);
    if e.kind == yibao_engine::scenario::ScenarioErrorKind::InScopeAboveTotal {
        text = "政策范围内费用不能大于医疗总费用。政策范围内费用是总费用中医保目录覆盖的部分，只会等于或小于总费用。请核对发票或费用清单；不清楚时可勾选“不清楚，按总费用的90%估算”。".into();
    }
    FieldError { field: field.to_string(), message: text }
}

/// The tier to use for a policy: the chosen one if the policy has it, else its default.
pub fn tier_for<'p>(policy: &'p Policy, wanted: Option<&str>) -> &'p str {
    wanted.and_then(|t| policy.tier(t)).map(|t| t.id.as_str()).unwrap_or(policy.default_tier.as_str())
}

// ------------------------------------------------------------------ the link

fn kind_code(k: VisitKind) -> char {
    match k {
        VisitKind::Inpatient => 'i',
        VisitKind::Outpatient => 'o',
        VisitKind::ChronicOutpatient => 'c',
    }
}

fn level_code(l: HospitalLevel) -> char {
    match l {
        HospitalLevel::Grassroots => 'g',
        HospitalLevel::Level1 => '1',
        HospitalLevel::Level2 => '2',
        HospitalLevel::Level3 => '3',
    }
}

const IDENTITY_CODES: &[(Identity, &str)] = &[
    (Identity::ExtremePoverty, "tk"),
    (Identity::Orphan, "ge"),
    (Identity::SubsistenceAllowance, "db"),
    (Identity::LowIncomeMargin, "by"),
    (Identity::ReturnedToPoverty, "fp"),
    (Identity::AtRiskRural, "jc"),
    (Identity::IllnessImpoverished, "yb"),
    (Identity::LiftedOutOfPoverty, "tp"),
];

fn identity_code(id: Identity) -> &'static str {
    IDENTITY_CODES.iter().find(|(i, _)| *i == id).map(|(_, c)| *c).unwrap_or("")
}

fn identity_from(code: &str) -> Option<Identity> {
    IDENTITY_CODES.iter().find(|(_, c)| *c == code).map(|(i, _)| *i).or_else(|| Identity::from_id(code))
}

/// Amounts go into the link without separators (typed text is kept when it is not a number,
/// so that the link reproduces the message too).
fn amount_for_link(text: &str) -> String {
    // Cleaned first, then normalised: the result reads back as itself (`_` and `~` separate
    // the link's parts and cannot stay in an amount).
    let cleaned = text.trim().replace(['_', '~'], "");
    match parse_amount(&cleaned) {
        Ok(d) => d.normalize().to_string(),
        Err(_) => cleaned,
    }
}

/// One visit: `i3_100000_90000_r` (kind, level, total, in-scope or `e` for the estimate, `r` if referred).
fn visit_code(v: &VisitInput) -> String {
    let mut s = String::new();
    s.push(kind_code(v.kind));
    s.push(level_code(v.level));
    s.push('_');
    s.push_str(&amount_for_link(&v.total));
    s.push('_');
    if v.estimate {
        s.push('e');
    } else {
        s.push_str(&amount_for_link(&v.in_scope));
    }
    if v.referred {
        s.push_str("_r");
    }
    s
}

fn visit_from(code: &str) -> Option<VisitInput> {
    let mut parts = code.split('_');
    let head: Vec<char> = parts.next()?.chars().collect();
    if head.len() != 2 {
        return None;
    }
    let kind = match head[0] {
        'i' => VisitKind::Inpatient,
        'o' => VisitKind::Outpatient,
        'c' => VisitKind::ChronicOutpatient,
        _ => return None,
    };
    let level = match head[1] {
        'g' => HospitalLevel::Grassroots,
        '1' => HospitalLevel::Level1,
        '2' => HospitalLevel::Level2,
        '3' => HospitalLevel::Level3,
        _ => return None,
    };
    // Read as the link writes amounts, so that reading and writing again changes nothing.
    let total = amount_for_link(parts.next()?);
    let scope = parts.next().unwrap_or("e").trim();
    let (estimate, in_scope) = if scope == "e" { (true, String::new()) } else { (false, amount_for_link(scope)) };
    let referred = parts.next() == Some("r");
    Some(VisitInput { kind, level, total, in_scope, estimate, referred })
}

/// The query's pairs for the inputs (without `?`), in a stable order.
pub fn to_query_pairs(inputs: &Inputs, embed: bool) -> Vec<(&'static str, String)> {
    let mut q = Vec::new();
    if let Some(p) = &inputs.policy {
        q.push(("r", p.clone()));
    }
    if let Some(t) = &inputs.tier {
        q.push(("t", t.clone()));
    }
    if !inputs.identities.is_empty() {
        q.push(("i", inputs.identities.iter().map(|i| identity_code(*i)).collect::<Vec<_>>().join(".")));
    }
    q.push(("v", inputs.visits.iter().map(visit_code).collect::<Vec<_>>().join("~")));
    if let Some(c) = &inputs.compare {
        q.push(("c", c.policy.clone()));
        if let Some(t) = &c.tier {
            q.push(("ct", t.clone()));
        }
    }
    if let Some(d) = &inputs.data_date {
        q.push(("d", d.clone()));
    }
    if embed {
        q.push(("embed", "1".into()));
    }
    q
}

/// Inputs from the query's pairs; anything unreadable falls back to the defaults.
pub fn from_query_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Inputs {
    let mut inputs = Inputs::default();
    let mut compare_policy = None;
    let mut compare_tier = None;
    for (k, v) in pairs {
        let v = v.trim();
        match k {
            "r" if !v.is_empty() => inputs.policy = Some(v.to_string()),
            "t" if !v.is_empty() => inputs.tier = Some(v.to_string()),
            "i" => {
                for code in v.split(['.', ',']) {
                    if let Some(id) = identity_from(code) {
                        if !inputs.identities.contains(&id) {
                            inputs.identities.push(id);
                        }
                    }
                }
            }
            "v" => {
                let visits: Vec<VisitInput> = v.split('~').filter_map(visit_from).take(MAX_VISITS).collect();
                if !visits.is_empty() {
                    inputs.visits = visits;
                }
            }
            "c" if !v.is_empty() => compare_policy = Some(v.to_string()),
            "ct" if !v.is_empty() => compare_tier = Some(v.to_string()),
            "d" if !v.is_empty() => inputs.data_date = Some(v.to_string()),
            _ => {}
        }
    }
    inputs.compare = compare_policy.map(|policy| CompareTarget { policy, tier: compare_tier });
    inputs
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn amounts_as_residents_type_them() {
        assert_eq!(parse_amount("12000").unwrap(), d("12000"));
        assert_eq!(parse_amount(" 12,000.50 ").unwrap(), d("12000.50"));
        assert_eq!(parse_amount("１２０００").unwrap(), d("12000"));
        assert_eq!(parse_amount("1，000").unwrap(), d("1000"));
        assert!(parse_amount("").unwrap_err().contains("请填写"));
        assert!(parse_amount("abc").is_err());
        assert!(parse_amount("1.2.3").is_err());
        assert!(parse_amount("1e5").is_err());
        assert!(parse_amount("NaN").is_err());
        assert_eq!(parse_amount("-5").unwrap(), d("-5"));
    }

    #[test]
    fn estimate_is_ninety_percent_to_the_fen() {
        assert_eq!(estimate_in_scope(d("100000")), d("90000.00"));
        assert_eq!(estimate_in_scope(d("0.05")), d("0.05")); // 0.045 → 0.05 (half away from zero)
    }

    #[test]
    fn the_link_round_trips() {
        let inputs = Inputs {
            policy: Some("tianjin-2023".into()),
            tier: Some("low".into()),
            identities: vec![Identity::SubsistenceAllowance, Identity::ExtremePoverty],
            visits: vec![
                VisitInput { kind: VisitKind::Inpatient, level: HospitalLevel::Level3, total: "100,000".into(), in_scope: "90000".into(), estimate: false, referred: true },
                VisitInput { kind: VisitKind::Outpatient, level: HospitalLevel::Grassroots, total: "800.5".into(), in_scope: String::new(), estimate: true, referred: false },
            ],
            compare: Some(CompareTarget { policy: "tianjin-2023".into(), tier: Some("high".into()) }),
            data_date: Some("2026-11-22".into()),
        };
        let pairs = to_query_pairs(&inputs, false);
        let v = pairs.iter().find(|(k, _)| *k == "v").unwrap();
        assert_eq!(v.1, "i3_100000_90000_r~og_800.5_e");
        let back = from_query_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back.visits[0].total, "100000");
        assert_eq!(back.identities, inputs.identities);
        assert_eq!(back.compare, inputs.compare);
        assert_eq!(back.visits[1], inputs.visits[1]);
        assert!(back.visits[0].referred && !back.visits[0].estimate);
    }

    #[test]
    fn a_broken_link_falls_back_to_defaults() {
        let back = from_query_pairs([("v", "zz_1"), ("i", "nobody")]);
        assert_eq!(back.visits, vec![VisitInput::default()]);
        assert!(back.identities.is_empty());
    }

    #[test]
    fn every_bad_field_gets_its_message() {
        let mut inputs = Inputs::default();
        inputs.visits = vec![
            VisitInput { total: "abc".into(), ..VisitInput::default() },
            VisitInput { total: "100".into(), in_scope: "".into(), estimate: false, ..VisitInput::default() },
        ];
        let errs = scenario(&inputs, None).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["visits[0].total", "visits[1].in_scope"]);
    }

    #[test]
    fn english_glosses_are_dropped() {
        assert_eq!(zh_only("医疗总费用不能为负数 (must not be negative)"), "医疗总费用不能为负数");
        assert_eq!(zh_only("只有中文"), "只有中文");
    }
}
