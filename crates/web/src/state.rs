//! What the resident has entered, how it is written into the link (the URL query), and how
//! it becomes an engine [`Scenario`] with one message per bad field. Plain Rust: tested natively.

use rust_decimal::Decimal;
use yibao_engine::dec::Dec;
use yibao_engine::money;
use yibao_engine::ids::Place;
use yibao_engine::{Identity, Policy, Scenario, Scheme, Visit, VisitKind};

use crate::field::{Field, VisitField};

/// The share of the total used when the resident does not know the in-scope cost: seed 004
/// expects in-catalogue costs to reach 90% of the total for the poor.
pub const ESTIMATE_PERCENT: u32 = 90;

/// The most visits the page lets a resident enter (the engine allows more; a phone form does not need them).
pub const MAX_VISITS: usize = 30;

#[derive(Clone, Debug, PartialEq)]
pub struct VisitInput {
    pub kind: VisitKind,
    /// A facility class id of the policy (by default the four 医院等级 `grassroots` … `level3`).
    pub level: String,
    /// 医疗总费用, as typed.
    pub total: String,
    /// 政策范围内费用, as typed (ignored while `estimate` is on).
    pub in_scope: String,
    /// "不清楚，按总费用的90%估算".
    pub estimate: bool,
    /// 规范转诊.
    pub referred: bool,
    /// 就医地.
    pub place: Place,
    /// “我有结算单”: `partial` (乙类先行自付), `paid` (统筹基金支付, what basic insurance
    /// paid) and `ci_paid` (大病保险支付) are read from it; empty is none.
    pub slip: bool,
    pub partial: String,
    pub paid: String,
    pub ci_paid: String,
}

impl Default for VisitInput {
    fn default() -> Self {
        VisitInput {
            kind: VisitKind::Inpatient,
            level: "level2".into(),
            // Empty: the page starts with a prompt, not an example a resident could take for
            // their own result.
            total: String::new(),
            in_scope: String::new(),
            estimate: true,
            referred: false,
            place: Place::Local,
            partial: String::new(),
            slip: false,
            paid: String::new(),
            ci_paid: String::new(),
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
    /// 人群; the policy's default when `None`.
    pub population: Option<String>,
    pub identities: Vec<Identity>,
    pub visits: Vec<VisitInput>,
    pub compare: Option<CompareTarget>,
    /// `checked_on` of the policy when the link was made (to say when the figures changed since).
    pub data_date: Option<String>,
}

impl Default for Inputs {
    fn default() -> Self {
        Inputs { policy: None, tier: None, population: None, identities: vec![], visits: vec![VisitInput::default()], compare: None, data_date: None }
    }
}

// ------------------------------------------------------------------ amounts

/// Reads an amount as residents type it: ASCII or full-width digits, thousands separators,
/// a trailing 元, and 万 / 千 (`10万`, `1.5万元`, `3千`). Returns the message to show next to
/// the field when it is not a number.
pub fn parse_amount(text: &str) -> Result<Decimal, String> {
    const NOT_A_NUMBER: &str = "请只填写数字，例如 12000、1.5万 或 12000.50";
    let mut clean = String::with_capacity(text.len());
    let text = text.trim();
    let text = text.strip_suffix('元').unwrap_or(text).trim_end();
    let (text, unit) = match text.strip_suffix('万') {
        Some(t) => (t, 10_000),
        None => match text.strip_suffix('千') {
            Some(t) => (t, 1_000),
            None => (text, 1),
        },
    };
    for c in text.chars() {
        match c {
            '0'..='9' | '.' | '-' | '+' => clean.push(c),
            '０'..='９' => clean.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
            '．' | '。' => clean.push('.'),
            '－' => clean.push('-'),
            ',' | '，' | ' ' | '\u{3000}' | '_' => {}
            _ => return Err(NOT_A_NUMBER.into()),
        }
    }
    if clean.is_empty() {
        return Err(if unit == 1 { "请填写金额（元），例如 12000".into() } else { NOT_A_NUMBER.into() });
    }
    match Dec::parse(&clean) {
        // 28 digits times 万 would leave Decimal's range: checked, never a panic.
        Ok(d) => d.get().checked_mul(Decimal::from(unit)).ok_or_else(|| NOT_A_NUMBER.into()),
        Err(_) => Err(NOT_A_NUMBER.into()),
    }
}

/// The in-scope estimate for a total: 90%, rounded to the fen (四舍五入).
pub fn estimate_in_scope(total: Decimal) -> Decimal {
    money::round_fen(total * Decimal::from(ESTIMATE_PERCENT) / Decimal::ONE_HUNDRED)
}

/// A message for one input field.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    pub field: Field,
    pub message: String,
}

/// The scenario for the inputs, or a message for every field that is not a number.
/// Bounds and consistency (negative, in_scope > total …) are the engine's to check.
pub fn scenario(inputs: &Inputs, tier: Option<&str>) -> Result<Scenario, Vec<FieldError>> {
    scenario_of(inputs, tier, None).map(|r| r.scenario)
}

/// The visits that can be computed now.
#[derive(Clone, Debug)]
pub struct Ready {
    /// The complete visits, in order (may be empty: nothing entered yet).
    pub scenario: Scenario,
    /// For each visit of the scenario, its position in the form.
    pub included: Vec<usize>,
    /// Visits left out for now: their total is still empty and the resident has not left
    /// the field (a new visit is not marked wrong before it has been filled in).
    pub waiting: Vec<usize>,
    /// Visits left out whose total the resident left empty: a message on the field, while
    /// the result of the other visits stays.
    pub missing: Vec<FieldError>,
}

/// With `left` given, a visit whose total is empty waits (is left out, without a message)
/// unless its position is in `left`: the resident has left its field empty. Without, every
/// visit must be complete, as for [`scenario`].
pub fn scenario_of(inputs: &Inputs, tier: Option<&str>, left: Option<&[usize]>) -> Result<Ready, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut visits = Vec::with_capacity(inputs.visits.len());
    let (mut included, mut waiting, mut missing) = (vec![], vec![], vec![]);
    for (i, v) in inputs.visits.iter().enumerate() {
        match left {
            Some(left) if v.total.trim().is_empty() => {
                if left.contains(&i) {
                    missing.push(FieldError { field: Field::Visit(i, VisitField::Total), message: "请填写金额（元），例如 12000".into() });
                } else {
                    waiting.push(i);
                }
                continue;
            }
            _ => {}
        }
        let mut amount = |text: &str, field| parse_amount(text).map_err(|m| errors.push(FieldError { field: Field::Visit(i, field), message: m }));
        let total = amount(&v.total, VisitField::Total);
        let in_scope = if v.estimate { total.map(estimate_in_scope) } else { amount(&v.in_scope, VisitField::InScope) };
        // The optional amounts: empty is none.
        let mut optional = |text: &str, on: bool, field| match on && !text.trim().is_empty() {
            true => amount(text, field).map(|d| Some(Dec(d))),
            false => Ok(None),
        };
        let partial_self_pay = optional(&v.partial, v.slip, VisitField::PartialSelfPay);
        let basic_paid = optional(&v.paid, v.slip, VisitField::BasicPaid);
        let critical_illness_paid = optional(&v.ci_paid, v.slip, VisitField::CriticalIllnessPaid);
        if let (Ok(total), Ok(in_scope), Ok(partial_self_pay), Ok(basic_paid), Ok(critical_illness_paid)) = (total, in_scope, partial_self_pay, basic_paid, critical_illness_paid) {
            visits.push(Visit { referred: v.referred, place: v.place, partial_self_pay, basic_paid, critical_illness_paid, ..Visit::new(v.kind, &v.level, total, in_scope) });
            included.push(i);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let scenario = Scenario { scheme: Scheme::Resident, contribution_tier: tier.map(str::to_string), identities: inputs.identities.clone(), population: inputs.population.clone(), visits };
    Ok(Ready { scenario, included, waiting, missing })
}

/// The engine's error, worded for residents, with a hint where one helps.
pub fn engine_error(e: &yibao_engine::ScenarioError) -> FieldError {
    let mut text = e.message.clone();
    if e.kind == yibao_engine::scenario::ScenarioErrorKind::InScopeAboveTotal {
        text = "政策范围内费用不能大于医疗总费用。政策范围内费用是总费用中医保目录覆盖的部分，只会等于或小于总费用。请核对发票或费用清单；不清楚时可勾选“不清楚，按总费用的90%估算”。".into();
    }
    FieldError { field: Field::at_path(&e.field), message: text }
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

/// The four 医院等级 keep their one-character codes (`i3`); other facility classes are written
/// as their id, `_` as `,` (an id has no comma).
const LEVEL_CODES: &[(&str, &str)] = &[("grassroots", "g"), ("level1", "1"), ("level2", "2"), ("level3", "3")];

fn level_code(id: &str) -> String {
    LEVEL_CODES.iter().find(|(l, _)| *l == id).map_or_else(|| id.replace('_', ","), |(_, c)| c.to_string())
}

fn level_from(code: &str) -> String {
    LEVEL_CODES.iter().find(|(_, c)| *c == code).map_or_else(|| code.replace(',', "_"), |(l, _)| l.to_string())
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

/// What a link asked for that the page could not honour. The page shows one line for each;
/// none repeats text from the link (a link must not put words of its own on the page).
#[derive(Clone, Debug, PartialEq)]
pub enum LinkNotice {
    /// `r` names no policy of `policies/index.json`.
    UnknownRegion,
    /// `t` names no tier of the policy.
    UnknownTier,
    /// `p` names no population group of the policy.
    UnknownPopulation,
    /// A visit's facility class is not one of the policy's: changed to its first (named).
    UnknownLevel(String),
    /// `c` or `ct` names no policy or tier to compare with.
    UnknownCompare,
    /// Codes in `i` that are no identity (how many).
    UnknownIdentity(usize),
    /// Identities the policy does not offer (dropped from the choice).
    IdentityNotOffered(Vec<Identity>),
    /// The visit at this position (1-based) of `v` could not be read.
    UnreadableVisit(usize),
    /// `v` held more visits than the page takes: (given, kept).
    TooManyVisits(usize, usize),
    /// `d` is not a date (`YYYY-MM-DD`).
    BadDate,
}

impl LinkNotice {
    /// What the resident reads.
    pub fn text(&self) -> String {
        match self {
            LinkNotice::UnknownRegion => "链接里的地区无法识别，没有显示任何地区的结果。请在下面选择您参保的地区。".into(),
            LinkNotice::UnknownTier => "链接里的缴费档次无法识别，已按本地区的默认档次计算，请核对“缴费档次”。".into(),
            LinkNotice::UnknownPopulation => "链接里的人群无法识别，已按本地区的默认人群计算，请核对“人群”。".into(),
            LinkNotice::UnknownLevel(first) => format!("所选地区的政策没有原先填写的医院等级，已改为“{first}”，请核对每次就诊的“医院等级”。"),
            LinkNotice::UnknownCompare => "链接里的对比方案无法识别，已忽略。".into(),
            LinkNotice::UnknownIdentity(n) => format!("链接里有 {n} 个参保身份无法识别，已忽略，请核对“参保身份”。"),
            LinkNotice::IdentityNotOffered(ids) => {
                format!("所选地区的政策没有“{}”这一身份的单独待遇，已取消勾选。", yibao_engine::ids::identities_zh(ids))
            }
            LinkNotice::UnreadableVisit(n) => format!("链接里的第 {n} 次就诊无法读取，已忽略，请核对下面的就诊。"),
            LinkNotice::TooManyVisits(given, kept) => format!("链接里有 {given} 次就诊，本页最多计算 {kept} 次，只读取了前 {kept} 次。"),
            LinkNotice::BadDate => "链接里的数据日期无法识别，已忽略。".into(),
        }
    }
}

/// Amounts go into the link as plain decimals (`100000`, `800.5`); text that is not a
/// number is left out (the field is empty when the link is opened).
fn amount_for_link(text: &str) -> String {
    // Cleaned first, then normalised: the result reads back as itself (`_` and `~` separate
    // the link's parts and cannot stay in an amount).
    let cleaned = text.trim().replace(['_', '~'], "");
    match parse_amount(&cleaned) {
        Ok(d) => d.normalize().to_string(),
        Err(_) => String::new(),
    }
}

/// An amount as a link carries it: empty, or a plain decimal that reads as an amount, taken
/// in the form the page writes (`-0` and `100.50` read as `0` and `100.5`), so that writing
/// the link again gives the same link.
fn amount_from_link(text: &str) -> Option<String> {
    if text.is_empty() {
        return Some(String::new());
    }
    let plain = text.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
    plain.then(|| parse_amount(text).ok()).flatten().map(|d| d.normalize().to_string())
}

/// One visit: `i3_100000_90000_r` (kind, level, total, in-scope or `e` for the estimate), then
/// what applies: `r` referred, `y1`/`y2` 异地已备案/未备案, `p800` 乙类先行自付, `b5000` 结算单的统筹基金支付
/// (`b` alone: 我有结算单 with nothing filled in yet), `c1500` 结算单的大病保险支付 (after `b`; read
/// alone, it means 我有结算单 too).
fn visit_code(v: &VisitInput) -> String {
    let mut s = String::new();
    s.push(kind_code(v.kind));
    s.push_str(&level_code(&v.level));
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
    s.push_str(match v.place {
        Place::Local => "",
        Place::ElsewhereRegistered => "_y1",
        Place::ElsewhereUnregistered => "_y2",
    });
    // An optional amount: its code and the amount, when there is one.
    let part = |s: &mut String, code: &str, text: &str| {
        let amount = amount_for_link(text);
        if !amount.is_empty() {
            s.push_str(code);
            s.push_str(&amount);
        }
    };
    part(&mut s, "_p", &v.partial);
    if v.slip {
        s.push_str("_b");
        s.push_str(&amount_for_link(&v.paid));
        part(&mut s, "_c", &v.ci_paid);
    }
    s
}

/// A visit of the link, or `None` when any part of it is not what the page writes.
fn visit_from(code: &str) -> Option<VisitInput> {
    let mut parts = code.split('_');
    let (head, total, scope) = (parts.next()?, parts.next()?, parts.next()?);
    let mut chars = head.chars();
    let kind = match chars.next()? {
        'i' => VisitKind::Inpatient,
        'o' => VisitKind::Outpatient,
        'c' => VisitKind::ChronicOutpatient,
        _ => return None,
    };
    let level = chars.as_str();
    if level.is_empty() {
        return None;
    }
    let total = amount_from_link(total)?;
    let (estimate, in_scope) = if scope == "e" { (true, String::new()) } else { (false, amount_from_link(scope)?) };
    let mut v = VisitInput { kind, level: level_from(level), total, in_scope, estimate, ..VisitInput::default() };
    for part in parts {
        match part {
            "r" => v.referred = true,
            "y1" => v.place = Place::ElsewhereRegistered,
            "y2" => v.place = Place::ElsewhereUnregistered,
            _ => {
                // An amount after its one-letter code.
                let mut chars = part.chars();
                let code = chars.next();
                let a = amount_from_link(chars.as_str())?;
                match code {
                    Some('p') => v.partial = a,
                    Some('b') => (v.slip, v.paid) = (true, a),
                    Some('c') => (v.slip, v.ci_paid) = (true, a),
                    _ => return None,
                }
            }
        }
    }
    Some(v)
}

/// `YYYY-MM-DD` with a month 01–12 and a day 01–31, or `None`.
pub fn date_from_link(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return None;
    }
    let month = (b[5] - b'0') * 10 + (b[6] - b'0');
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then(|| text.to_string())
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
    if let Some(p) = &inputs.population {
        q.push(("p", p.clone()));
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
    if let Some(d) = inputs.data_date.as_deref().and_then(date_from_link) {
        q.push(("d", d));
    }
    if embed {
        q.push(("embed", "1".into()));
    }
    q
}

/// Inputs from the query's pairs, and a notice for every part that could not be honoured.
/// Region, tier and comparison ids are checked against the policies once they are loaded
/// (`app.rs`); everything else here. Unknown keys (WeChat adds its own) are ignored.
pub fn from_query_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> (Inputs, Vec<LinkNotice>) {
    let mut inputs = Inputs::default();
    let mut notices = Vec::new();
    let mut compare_policy = None;
    let mut compare_tier = None;
    for (k, v) in pairs {
        let v = v.trim();
        match k {
            "r" if !v.is_empty() => inputs.policy = Some(v.to_string()),
            "t" if !v.is_empty() => inputs.tier = Some(v.to_string()),
            "p" if !v.is_empty() => inputs.population = Some(v.to_string()),
            "i" => {
                inputs.identities.clear();
                let mut unknown = 0;
                for code in v.split(['.', ',']).filter(|c| !c.is_empty()) {
                    match identity_from(code) {
                        Some(id) if !inputs.identities.contains(&id) => inputs.identities.push(id),
                        Some(_) => {}
                        None => unknown += 1,
                    }
                }
                if unknown > 0 {
                    notices.push(LinkNotice::UnknownIdentity(unknown));
                }
            }
            "v" => {
                let codes: Vec<&str> = v.split('~').collect();
                let mut visits = Vec::new();
                for (n, code) in codes.iter().take(MAX_VISITS).enumerate() {
                    match visit_from(code) {
                        Some(visit) => visits.push(visit),
                        None => notices.push(LinkNotice::UnreadableVisit(n + 1)),
                    }
                }
                if codes.len() > MAX_VISITS {
                    notices.push(LinkNotice::TooManyVisits(codes.len(), MAX_VISITS));
                }
                inputs.visits = if visits.is_empty() { vec![VisitInput::default()] } else { visits };
            }
            "c" if !v.is_empty() => compare_policy = Some(v.to_string()),
            "ct" if !v.is_empty() => compare_tier = Some(v.to_string()),
            "d" if !v.is_empty() => match date_from_link(v) {
                Some(d) => inputs.data_date = Some(d),
                None => notices.push(LinkNotice::BadDate),
            },
            _ => {}
        }
    }
    if compare_policy.is_none() && compare_tier.is_some() {
        notices.push(LinkNotice::UnknownCompare);
    }
    inputs.compare = compare_policy.map(|policy| CompareTarget { policy, tier: compare_tier });
    (inputs, notices)
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
    fn wan_and_qian() {
        assert_eq!(parse_amount("10万").unwrap(), d("100000"));
        assert_eq!(parse_amount("1.5万").unwrap(), d("15000"));
        assert_eq!(parse_amount("1.5万元").unwrap(), d("15000"));
        assert_eq!(parse_amount("3千").unwrap(), d("3000"));
        assert_eq!(parse_amount("0.00005万").unwrap(), d("0.5"));
        assert!(parse_amount("万").is_err());
        assert!(parse_amount("10万5千").is_err());
        assert!(parse_amount("9999999999999999999999999999万").is_err(), "beyond Decimal: refused, not a panic");
    }

    fn read(pairs: &[(&str, &str)]) -> (Inputs, Vec<LinkNotice>) {
        from_query_pairs(pairs.iter().copied())
    }

    fn round_trip(inputs: &Inputs) -> (Inputs, Vec<LinkNotice>) {
        let pairs = to_query_pairs(inputs, false);
        from_query_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
    }

    #[test]
    fn the_link_round_trips() {
        let inputs = Inputs {
            policy: Some("tianjin-2023".into()),
            tier: Some("low".into()),
            population: None,
            identities: vec![Identity::SubsistenceAllowance, Identity::ExtremePoverty],
            visits: vec![
                VisitInput { kind: VisitKind::Inpatient, level: "level3".into(), total: "100,000".into(), in_scope: "9万".into(), estimate: false, referred: true, ..VisitInput::default() },
                VisitInput { kind: VisitKind::Outpatient, level: "grassroots".into(), total: "800.5".into(), ..VisitInput::default() },
            ],
            compare: Some(CompareTarget { policy: "tianjin-2023".into(), tier: Some("high".into()) }),
            data_date: Some("2026-11-22".into()),
        };
        let pairs = to_query_pairs(&inputs, false);
        let v = pairs.iter().find(|(k, _)| *k == "v").unwrap();
        assert_eq!(v.1, "i3_100000_90000_r~og_800.5_e");
        let (back, notices) = round_trip(&inputs);
        assert_eq!(notices, vec![]);
        assert_eq!(back.visits[0].total, "100000");
        assert_eq!(back.identities, inputs.identities);
        assert_eq!(back.compare, inputs.compare);
        assert_eq!(back.visits[1], inputs.visits[1]);
        assert!(back.visits[0].referred && !back.visits[0].estimate);
        assert_eq!(back.data_date.as_deref(), Some("2026-11-22"));
    }

    #[test]
    fn format_2_fields_round_trip() {
        let inputs = Inputs {
            policy: Some("yueyang-2019".into()),
            population: Some("minor_student".into()),
            visits: vec![
                VisitInput { level: "county".into(), total: "10000".into(), in_scope: "10000".into(), estimate: false, referred: true, partial: "1,200".into(), ..VisitInput::default() },
                VisitInput { level: "minor_class".into(), total: "5000".into(), place: Place::ElsewhereRegistered, slip: true, paid: "2000.5".into(), ci_paid: "300".into(), ..VisitInput::default() },
                VisitInput { level: "level1".into(), total: "300".into(), place: Place::ElsewhereUnregistered, slip: true, ..VisitInput::default() },
            ],
            ..Inputs::default()
        };
        let pairs = to_query_pairs(&inputs, false);
        let get = |k: &str| pairs.iter().find(|(key, _)| *key == k).unwrap().1.clone();
        assert_eq!(get("p"), "minor_student");
        assert_eq!(get("v"), "icounty_10000_10000_r_p1200~iminor,class_5000_e_y1_b2000.5_c300~i1_300_e_y2_b");
        let (back, notices) = round_trip(&inputs);
        assert_eq!(notices, vec![]);
        assert_eq!(back.population.as_deref(), Some("minor_student"));
        assert_eq!(back.visits[0].partial, "1200");
        assert_eq!(back.visits[0].level, "county");
        assert_eq!(back.visits[1], inputs.visits[1]);
        assert_eq!(back.visits[2], inputs.visits[2]);
        // Links written before these fields read as before.
        let (old, notices) = read(&[("v", "i3_100000_90000_r")]);
        assert_eq!(notices, vec![]);
        assert_eq!((old.visits[0].level.as_str(), old.visits[0].place, old.visits[0].slip), ("level3", Place::Local, false));
        // 大病保险支付 alone in a link means the resident has the slip.
        let (c, notices) = read(&[("v", "i2_1000_e_c20")]);
        assert_eq!(notices, vec![]);
        assert_eq!((c.visits[0].slip, c.visits[0].paid.as_str(), c.visits[0].ci_paid.as_str()), (true, "", "20"));
    }

    #[test]
    fn a_bad_format_2_value_is_a_notice() {
        for bad in ["i2_1000_e_pabc", "i2_1000_e_b1e5", "i2_1000_e_y3", "i2_1000_e_", "i_1000_e", "i2_1000_e_r_q", "i2_1000_e_b_cx", "i2_1000_e_b_c1%"] {
            let (back, notices) = read(&[("v", &format!("i2_500_e~{bad}"))]);
            assert_eq!(notices, vec![LinkNotice::UnreadableVisit(2)], "{bad}");
            assert_eq!(back.visits.len(), 1);
        }
        assert!(LinkNotice::UnknownLevel("乡镇卫生院".into()).text().contains("乡镇卫生院"));
        assert!(LinkNotice::UnknownPopulation.text().contains("人群"));
    }

    #[test]
    fn the_new_amounts_reach_the_scenario_and_bad_ones_their_field() {
        let mut inputs = Inputs { population: Some("child".into()), ..Inputs::default() };
        inputs.visits = vec![VisitInput { total: "1000".into(), partial: "100".into(), paid: "300".into(), ci_paid: "50".into(), place: Place::ElsewhereRegistered, ..VisitInput::default() }];
        let s = scenario(&inputs, None).unwrap();
        assert_eq!(s.population.as_deref(), Some("child"));
        let v = &s.visits[0];
        assert_eq!((v.partial_self_pay, v.basic_paid, v.critical_illness_paid, v.place), (None, None, None, Place::ElsewhereRegistered), "我有结算单 unticked: the slip's amounts are not used");
        inputs.visits[0].slip = true;
        let v = &scenario(&inputs, None).unwrap().visits[0];
        assert_eq!((v.partial(), v.basic_paid, v.critical_illness_paid), (Decimal::from(100), Some(Dec(Decimal::from(300))), Some(Dec(Decimal::from(50)))));
        inputs.visits[0].partial = "x".into();
        inputs.visits[0].paid = "y".into();
        inputs.visits[0].ci_paid = "z".into();
        let fields: Vec<Field> = scenario(&inputs, None).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Field::Visit(0, VisitField::PartialSelfPay), Field::Visit(0, VisitField::BasicPaid), Field::Visit(0, VisitField::CriticalIllnessPaid)]);
    }

    #[test]
    fn a_broken_link_says_what_was_ignored() {
        let (back, notices) = read(&[("v", "zz_1"), ("i", "nobody.db")]);
        assert_eq!(back.visits, vec![VisitInput::default()]);
        assert_eq!(back.identities, vec![Identity::SubsistenceAllowance]);
        assert_eq!(notices, vec![LinkNotice::UnreadableVisit(1), LinkNotice::UnknownIdentity(1)]);

        let (back, notices) = read(&[("v", "i2_1000_e~i2_abc_e~o1_5_6_x~c3_500_400_r")]);
        assert_eq!(back.visits.len(), 2);
        assert_eq!(notices, vec![LinkNotice::UnreadableVisit(2), LinkNotice::UnreadableVisit(3)]);
        assert!(back.visits[1].referred);
    }

    #[test]
    fn more_visits_than_the_page_takes_are_named() {
        let v = vec!["i2_1000_e"; 500].join("~");
        let (back, notices) = read(&[("v", &v)]);
        assert_eq!(back.visits.len(), MAX_VISITS);
        assert_eq!(notices, vec![LinkNotice::TooManyVisits(500, MAX_VISITS)]);
        assert!(notices[0].text().contains("500"));
    }

    #[test]
    fn d_is_a_date_and_nothing_else() {
        let phishing = "2026-11-22。【重要通知】本测算已停用，请加微信";
        let (back, notices) = read(&[("d", phishing)]);
        assert_eq!(back.data_date, None);
        assert_eq!(notices, vec![LinkNotice::BadDate]);
        for bad in ["2026-13-01", "2026-1-01", "２０２６-11-22", "2026-11-22x", "2026/11/22", "2026-11-00"] {
            assert_eq!(date_from_link(bad), None, "{bad}");
        }
        assert_eq!(date_from_link("2026-02-28").as_deref(), Some("2026-02-28"));
        // Notices never repeat the link's words.
        for n in notices {
            assert!(!n.text().contains("微信"));
        }
    }

    #[test]
    fn waiting_visits_are_left_out_until_left_empty() {
        let mut inputs = Inputs::default();
        inputs.visits = vec![VisitInput { total: "1000".into(), ..VisitInput::default() }, VisitInput::default()];
        let r = scenario_of(&inputs, None, Some(&[])).unwrap();
        assert_eq!((r.included, r.waiting), (vec![0], vec![1]));
        let r = scenario_of(&inputs, None, Some(&[1])).unwrap();
        assert_eq!(r.missing[0].field, Field::Visit(1, VisitField::Total));
        assert_eq!(r.included, vec![0]);
        assert!(scenario(&inputs, None).is_err(), "strict: every visit");
    }

    #[test]
    fn every_bad_field_gets_its_message() {
        let mut inputs = Inputs::default();
        inputs.visits = vec![
            VisitInput { total: "abc".into(), ..VisitInput::default() },
            VisitInput { total: "100".into(), in_scope: "".into(), estimate: false, ..VisitInput::default() },
        ];
        let errs = scenario(&inputs, None).unwrap_err();
        let fields: Vec<Field> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![Field::Visit(0, VisitField::Total), Field::Visit(1, VisitField::InScope)]);
    }


    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn amount() -> impl Strategy<Value = String> {
            prop_oneof![
                Just(String::new()),
                (0u64..100_000_000).prop_map(|n| n.to_string()),
                (0u64..10_000_000, 1u32..100).prop_map(|(n, f)| Decimal::new((n * 100 + f as u64) as i64, 2).normalize().to_string()),
            ]
        }

        fn visit() -> impl Strategy<Value = VisitInput> {
            let level = prop_oneof![Just("grassroots".to_string()), Just("level3".to_string()), "[a-z][a-z_]{1,12}"];
            let place = prop_oneof![Just(Place::Local), Just(Place::ElsewhereRegistered), Just(Place::ElsewhereUnregistered)];
            (0..3usize, level, amount(), amount(), any::<bool>(), any::<bool>(), (place, amount(), any::<bool>(), amount(), amount())).prop_map(
                |(k, level, total, scope, estimate, referred, (place, partial, slip, paid, ci_paid))| VisitInput {
                    kind: VisitKind::ALL[k],
                    level,
                    total,
                    in_scope: if estimate { String::new() } else { scope },
                    estimate,
                    referred,
                    place,
                    partial,
                    slip,
                    paid: if slip { paid } else { String::new() },
                    ci_paid: if slip { ci_paid } else { String::new() },
                },
            )
        }

        fn id() -> impl Strategy<Value = String> {
            "[a-z0-9-]{1,20}"
        }

        /// Inputs as the page holds them after reading a link (what it writes back).
        fn canonical() -> impl Strategy<Value = Inputs> {
            (
                (proptest::option::of(id()), proptest::option::of(id())),
                proptest::option::of(id()),
                proptest::sample::subsequence(Identity::ALL.to_vec(), 0..=Identity::ALL.len()),
                proptest::collection::vec(visit(), 1..=MAX_VISITS),
                proptest::option::of((id(), proptest::option::of(id()))),
                proptest::option::of((2000u32..2100, 1u32..13, 1u32..32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))),
            )
                .prop_map(|((policy, tier), population, identities, visits, compare, data_date)| Inputs {
                    policy,
                    tier,
                    population,
                    identities,
                    visits,
                    compare: compare.map(|(policy, tier)| CompareTarget { policy, tier }),
                    data_date,
                })
        }

        fn read(pairs: &[(String, String)]) -> (Inputs, Vec<LinkNotice>) {
            from_query_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        }

        fn write(inputs: &Inputs) -> Vec<(String, String)> {
            to_query_pairs(inputs, false).into_iter().map(|(k, v)| (k.to_string(), v)).collect()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]

            /// Every link the page writes reads back identically, without a notice.
            #[test]
            fn every_written_link_reads_back(inputs in canonical()) {
                let link = write(&inputs);
                let (back, notices) = read(&link);
                prop_assert_eq!(notices, vec![]);
                prop_assert_eq!(&back, &inputs);
                prop_assert_eq!(write(&back), link);
            }

            /// Whatever the resident typed, the link written reads back without a notice and
            /// is written again unchanged.
            #[test]
            fn typed_amounts_give_a_clean_link(inputs in canonical(), typed in proptest::collection::vec(".{0,12}", 1..=MAX_VISITS)) {
                let mut inputs = inputs;
                for (v, t) in inputs.visits.iter_mut().zip(&typed) {
                    v.total = t.clone();
                    v.in_scope = t.clone();
                    v.partial = t.clone();
                    v.paid = t.clone();
                    v.ci_paid = t.clone();
                    v.estimate = false;
                }
                let link = write(&inputs);
                let (back, notices) = read(&link);
                prop_assert_eq!(notices, vec![]);
                prop_assert_eq!(write(&back), link);
            }

            /// Any string reads either to a valid state or to one with notices, never to a
            /// panic; what it reads to is a link the page can write and read again.
            #[test]
            fn any_link_reads_to_a_state(pairs in proptest::collection::vec((prop_oneof![Just("r"), Just("t"), Just("p"), Just("i"), Just("v"), Just("c"), Just("ct"), Just("d"), Just("x")], prop_oneof![".*", "[icoxg1234_~.e0-9rypb,-]{0,80}", "[a-z.,]{0,30}"]), 0..8)) {
                let pairs: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
                let (inputs, _notices) = read(&pairs);
                prop_assert!(!inputs.visits.is_empty() && inputs.visits.len() <= MAX_VISITS);
                prop_assert!(inputs.data_date.as_deref().is_none_or(|d| date_from_link(d).is_some()));
                for v in &inputs.visits {
                    prop_assert!(v.total.is_empty() || parse_amount(&v.total).is_ok());
                }
                let (again, notices) = read(&write(&inputs));
                prop_assert_eq!(notices, vec![]);
                prop_assert_eq!(again, inputs);
            }
        }
    }
}
