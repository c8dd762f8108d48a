//! Every figure of a policy declared once: each number and each rule choice with its JSON
//! path, its Chinese label, what kind of figure it is, what leaving it out means, and the key
//! `yibao diff` matches it by. Validation resolves through this walk and builds the policy's
//! provenance table from it (`provenance.rs`); the explanation, lint, diff and listings read
//! paths and labels from that table, and none of them formats or parses a path.
//!
//! Adding a parameter to a rule: add the field to its type and its `read_struct!` line, then
//! declare it here. The test `every_figure_of_a_policy_is_declared` fails on a `Param` or
//! `Sourced` field that is read but not declared.

use super::*;
use crate::ids::{identities_zh, kinds_zh};

/// What a number means, which decides its valid range and how it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// Yuan: 0 ..= MAX_POLICY_AMOUNT, whole fen.
    Amount,
    /// A payout ratio or a share: 0 ..= 100%.
    Ratio,
    /// Percentage points added to a ratio: 0 ..= 100%.
    Points,
    /// A multiplier of a statistic (e.g. 6 × income): 0 ..= 100.
    Factor,
}

/// A figure's place in the policy's provenance table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParamId(pub u32);

/// What is declared of one figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decl {
    /// JSON path in the file, e.g. `basic.benefits[0].ratio.high.level3`.
    pub path: String,
    /// The path with list positions replaced by what the item is about, e.g.
    /// `critical_illness.tilts{extreme_poverty}.ratio_points`: what `yibao diff` matches by,
    /// so that reordering a list is no change.
    pub key: String,
    /// What it is, in Chinese, as residents and officials read it.
    pub label: String,
    /// The kind of number; `None` for a rule choice (which kinds count, whether referral is needed …).
    pub kind: Option<ParamKind>,
    /// What leaving an optional figure out means, e.g. `不设上限`.
    pub absent_means: &'static str,
}

/// The figure itself, for the one who walks.
pub(crate) enum Item<'a> {
    Number(&'a mut Param),
    Rule { status: Status, source: Option<&'a Source>, note: Option<&'a str>, id: &'a mut ParamId, display: String },
}

const NO_CAP: &str = "不设上限";
const NO_THRESHOLD: &str = "不设起付线";
const NONE: &str = "无此项";

/// A place in the file: its path and its match key, built together.
#[derive(Clone)]
pub(crate) struct At {
    path: String,
    key: String,
}

impl At {
    fn root(name: &str) -> At {
        At { path: name.to_string(), key: name.to_string() }
    }

    fn field(&self, name: &str) -> At {
        At { path: format!("{}.{name}", self.path), key: format!("{}.{name}", self.key) }
    }

    /// A list item, matched by what it is about.
    fn item(&self, i: usize, about: &str) -> At {
        At { path: format!("{}[{i}]", self.path), key: format!("{}{{{about}}}", self.key) }
    }

    fn decl(self, label: String, kind: Option<ParamKind>, absent_means: &'static str) -> Decl {
        Decl { path: self.path, key: self.key, label, kind, absent_means }
    }
}

fn ids_key(ids: &[Identity]) -> String {
    ids.iter().map(|i| i.id()).collect::<Vec<_>>().join(",")
}

fn kinds_key(kinds: &[VisitKind]) -> String {
    kinds.iter().map(|k| k.id()).collect::<Vec<_>>().join(",")
}

fn yes_no(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

/// The names of the ids a policy defines, for labels of table keys.
pub(crate) struct Names {
    tiers: Vec<(String, String)>,
    populations: Vec<(String, String)>,
    facilities: Vec<(String, String)>,
}

impl Names {
    pub(crate) fn of(p: &Policy) -> Names {
        let pairs = |v: &[Tier]| v.iter().map(|t| (t.id.clone(), t.name.clone())).collect();
        Names {
            tiers: pairs(&p.tiers),
            populations: pairs(&p.populations),
            facilities: p.facilities().into_iter().map(|(i, n)| (i.to_string(), n.to_string())).collect(),
        }
    }

    /// What one value of a dimension is called, e.g. `三级`, `第2次`, `异地就医（未备案）`.
    pub(crate) fn value(&self, dim: Dimension, v: &str) -> String {
        let find = |list: &[(String, String)]| list.iter().find(|(i, _)| i == v).map_or(v.to_string(), |(_, n)| n.clone());
        match dim {
            Dimension::Tier => find(&self.tiers),
            Dimension::Population => find(&self.populations),
            Dimension::Facility => find(&self.facilities),
            Dimension::VisitKind => VisitKind::from_id(v).map_or(v.to_string(), |k| k.name_zh().to_string()),
            Dimension::Admission => match v.strip_suffix('+') {
                Some(n) => format!("第{n}次及以后"),
                None => format!("第{v}次"),
            },
            Dimension::Referral => if v == "referred" { "规范转诊" } else if v == "not_referred" { "未规范转诊" } else { v }.to_string(),
            Dimension::Place => crate::ids::Place::from_id(v).map_or(v.to_string(), |p| p.name_zh().to_string()),
            Dimension::Identity => if v == ORDINARY { "普通居民".to_string() } else { Identity::from_id(v).map_or(v.to_string(), |i| i.name_zh().to_string()) },
        }
    }

    /// A key's name: its values' names joined with 、.
    pub(crate) fn key(&self, dim: Dimension, row: &Row) -> String {
        row.values().map(|v| self.value(dim, v)).collect::<Vec<_>>().join("、")
    }
}

type Number<'f> = dyn FnMut(At, String, ParamKind, &'static str, &mut Param) + 'f;

/// Every figure of a table, labelled `base（key·key）`.
fn table(number: &mut Number, names: &Names, at: At, base: &str, kind: ParamKind, absent: &'static str, t: &mut Table) {
    fn go(number: &mut Number, names: &Names, at: At, base: &str, parts: &mut Vec<String>, kind: ParamKind, absent: &'static str, t: &mut Table) {
        match t {
            Table::Figure(p) => {
                let label = if parts.is_empty() { base.to_string() } else { format!("{base}（{}）", parts.join("·")) };
                number(at, label, kind, absent, p);
            }
            Table::By { by, rows } => {
                for row in rows.iter_mut() {
                    parts.push(names.key(*by, row));
                    go(number, names, at.field(&row.key), base, parts, kind, absent, &mut row.table);
                    parts.pop();
                }
            }
        }
    }
    go(number, names, at, base, &mut Vec::new(), kind, absent, t)
}

/// Calls `f` for every figure of the policy, in the order of the file.
pub(crate) fn walk(policy: &mut Policy, f: &mut dyn FnMut(Decl, Item)) {
    use ParamKind::*;
    let names = Names::of(policy);
    let Policy { statistics, tiers, basic, critical_illness, assistance, tilted_assistance, monitoring, contribution, next_steps, .. } = policy;
    let tier_name = |id: &str| tiers.iter().find(|t| t.id == id).map_or(id.to_string(), |t| t.name.clone());
    let mut number = |at: At, label: String, kind: ParamKind, absent: &'static str, p: &mut Param| f(at.decl(label, Some(kind), absent), Item::Number(p));
    let names = &names;

    for (key, stat) in statistics.iter_mut() {
        let label = format!("统计数字：{}", stat.label);
        number(At::root("statistics").field(key).field("value"), label, Amount, NONE, &mut stat.value);
    }
    // Rules are declared after the numbers of their layer has been walked by `number`, so the
    // two closures never borrow `f` at once.
    let mut rules: Vec<(Decl, RuleRef)> = Vec::new();
    if let Some(b) = basic.as_mut() {
        let at = At::root("basic");
        for (i, benefit) in b.benefits.iter_mut().enumerate() {
            let Benefit { name, kinds, deductible, deductible_rule, deductible_ceiling, ratio, segments, segment_basis, eligible_ceiling, partial_self_pay_in_base, ratio_bonus, .. } = benefit;
            let at = at.field("benefits").item(i, &kinds_key(kinds));
            table(&mut number, names, at.field("deductible"), &format!("基本医保·{name}起付线"), Amount, NONE, deductible);
            rules.push((at.field("deductible_rule").decl(format!("基本医保·{name}起付线规则"), None, NONE), RuleRef::of(deductible_rule, deductible_rule.value.name_zh().into())));
            if let Some(t) = deductible_ceiling.as_mut() {
                table(&mut number, names, at.field("deductible_ceiling"), &format!("基本医保·{name}年度起付线累计上限"), Amount, NO_CAP, t);
            }
            if let Some(t) = ratio.as_mut() {
                table(&mut number, names, at.field("ratio"), &format!("基本医保·{name}报销比例"), Ratio, NONE, t);
            }
            for (j, s) in segments.iter_mut().enumerate() {
                let seg = at.field("segments");
                let seg = At { path: format!("{}[{j}]", seg.path), key: format!("{}[{j}]", seg.key) };
                if let Some(p) = s.up_to.as_mut() {
                    number(seg.field("up_to"), format!("基本医保·{name}第{}段上限", j + 1), Amount, NO_CAP, p);
                }
                table(&mut number, names, seg.field("ratio"), &format!("基本医保·{name}第{}段报销比例", j + 1), Ratio, NONE, &mut s.ratio);
            }
            if let Some(basis) = segment_basis.as_mut() {
                let display = basis.value.name_zh().into();
                rules.push((at.field("segment_basis").decl(format!("基本医保·{name}分段计算口径"), None, NONE), RuleRef::of(basis, display)));
            }
            if let Some(t) = eligible_ceiling.as_mut() {
                table(&mut number, names, at.field("eligible_ceiling"), &format!("基本医保·{name}政策范围内费用年度封顶"), Amount, NO_CAP, t);
            }
            if let Some(flag) = partial_self_pay_in_base.as_mut() {
                let display = yes_no(flag.value);
                rules.push((at.field("partial_self_pay_in_base").decl(format!("基本医保·{name}乙类先行自付计入基数"), None, NONE), RuleRef::of(flag, display)));
            }
            for (j, bonus) in ratio_bonus.iter_mut().enumerate() {
                let who = identities_zh(&bonus.identities);
                number(at.field("ratio_bonus").item(j, &ids_key(&bonus.identities)).field("points"), format!("基本医保·{name}报销比例提高（{who}）"), Points, NONE, &mut bonus.points);
            }
        }
        for (key, cap) in b.caps.iter_mut() {
            let label = format!("基本医保·{}", cap.label);
            cap_figure(&mut number, &mut rules, names, at.field("caps").field(key).field("amount"), &label, cap.amount.as_mut());
        }
    }
    if let Some(ci) = critical_illness.as_mut() {
        let at = At::root("critical_illness");
        let CriticalIllness { base_kinds, threshold, segment_basis, segments, cap, partial_self_pay_in_base, above_last_segment, tilts } = ci;
        rules.push((at.field("base_kinds").decl("计入大病保险的就诊类型".into(), None, NONE), RuleRef::of(base_kinds, kinds_zh(&base_kinds.value))));
        table(&mut number, names, at.field("threshold"), "大病保险起付线", Amount, NO_THRESHOLD, threshold);
        if let Some(flag) = partial_self_pay_in_base.as_mut() {
            let display = yes_no(flag.value);
            rules.push((at.field("partial_self_pay_in_base").decl("大病保险乙类先行自付计入基数".into(), None, NONE), RuleRef::of(flag, display)));
        }
        if let Some(basis) = segment_basis.as_mut() {
            rules.push((at.field("segment_basis").decl("大病保险分段计算口径".into(), None, NONE), RuleRef::of(basis, basis.value.name_zh().into())));
        }
        for (i, s) in segments.iter_mut().enumerate() {
            let seg = at.field("segments");
            let seg = At { path: format!("{}[{i}]", seg.path), key: format!("{}[{i}]", seg.key) };
            if let Some(p) = s.up_to.as_mut() {
                number(seg.field("up_to"), format!("大病保险第{}段上限", i + 1), Amount, NO_CAP, p);
            }
            table(&mut number, names, seg.field("ratio"), &format!("大病保险第{}段支付比例", i + 1), Ratio, NONE, &mut s.ratio);
        }
        cap_figure(&mut number, &mut rules, names, at.field("cap"), "大病保险年度最高支付限额", cap.as_mut());
        if let Some(a) = above_last_segment.as_mut() {
            let display = a.value.clone();
            rules.push((at.field("above_last_segment").decl("大病保险超过最后一段的部分".into(), None, NONE), RuleRef::of(a, display)));
        }
        for (i, t) in tilts.iter_mut().enumerate() {
            let who = identities_zh(&t.identities);
            let at = at.field("tilts").item(i, &ids_key(&t.identities));
            if let Some(p) = t.threshold.as_mut() {
                number(at.field("threshold"), format!("大病保险倾斜支付（{who}）起付线"), Amount, "按普通起付线", p);
            }
            if let Some(p) = t.threshold_factor.as_mut() {
                number(at.field("threshold_factor"), format!("大病保险倾斜支付（{who}）起付线（普通起付线的比例）"), Ratio, "按普通起付线", p);
            }
            if let Some(p) = t.ratio_points.as_mut() {
                number(at.field("ratio_points"), format!("大病保险倾斜支付（{who}）支付比例提高"), Points, "不提高", p);
            }
            let display = yes_no(t.cap_removed.value);
            rules.push((at.field("cap_removed").decl(format!("大病保险倾斜支付（{who}）取消封顶线"), None, NONE), RuleRef::of(&mut t.cap_removed, display)));
            if let Some(u) = t.last_segment_unbounded.as_mut() {
                let display = yes_no(u.value);
                rules.push((at.field("last_segment_unbounded").decl(format!("大病保险倾斜支付（{who}）最后一段不设上限"), None, NONE), RuleRef::of(u, display)));
            }
        }
    }
    if let Some(a) = assistance.as_mut() {
        let at = At::root("assistance");
        for (i, c) in a.categories.iter_mut().enumerate() {
            let who = identities_zh(&c.identities);
            let at = at.field("categories").item(i, &ids_key(&c.identities));
            for (j, r) in c.rules.iter_mut().enumerate() {
                let name = &r.name;
                let at = at.field("rules").item(j, &kinds_key(&r.kinds.value));
                let display = kinds_zh(&r.kinds.value);
                rules.push((at.field("kinds").decl(format!("医疗救助·{name}（{who}）适用的就诊类型"), None, NONE), RuleRef::of(&mut r.kinds, display)));
                if let Some(t) = r.threshold.as_mut() {
                    table(&mut number, names, at.field("threshold"), &format!("医疗救助·{name}（{who}）起付线"), Amount, NO_THRESHOLD, t);
                }
                if let Some(t) = r.admission_threshold.as_mut() {
                    table(&mut number, names, at.field("admission_threshold"), &format!("医疗救助·{name}（{who}）每次起付线"), Amount, NO_THRESHOLD, t);
                }
                if let Some(t) = r.ratio.as_mut() {
                    table(&mut number, names, at.field("ratio"), &format!("医疗救助·{name}（{who}）救助比例"), Ratio, NONE, t);
                }
                for (k, s) in r.segments.iter_mut().enumerate() {
                    let seg = at.field("segments");
                    let seg = At { path: format!("{}[{k}]", seg.path), key: format!("{}[{k}]", seg.key) };
                    if let Some(p) = s.up_to.as_mut() {
                        number(seg.field("up_to"), format!("医疗救助·{name}（{who}）第{}段上限", k + 1), Amount, NO_CAP, p);
                    }
                    table(&mut number, names, seg.field("ratio"), &format!("医疗救助·{name}（{who}）第{}段救助比例", k + 1), Ratio, NONE, &mut s.ratio);
                }
                if let Some(basis) = r.segment_basis.as_mut() {
                    let display = basis.value.name_zh().into();
                    rules.push((at.field("segment_basis").decl(format!("医疗救助·{name}（{who}）分段计算口径"), None, NONE), RuleRef::of(basis, display)));
                }
                if let Some(t) = r.admission_cap.as_mut() {
                    table(&mut number, names, at.field("admission_cap"), &format!("医疗救助·{name}（{who}）每次最高救助"), Amount, NO_CAP, t);
                }
                if let Some(flag) = r.partial_self_pay_in_base.as_mut() {
                    let display = yes_no(flag.value);
                    rules.push((at.field("partial_self_pay_in_base").decl(format!("医疗救助·{name}（{who}）乙类先行自付计入基数"), None, NONE), RuleRef::of(flag, display)));
                }
            }
            for (key, cap) in c.caps.iter_mut() {
                let label = format!("医疗救助（{who}）{}", cap.label);
                cap_figure(&mut number, &mut rules, names, at.field("caps").field(key).field("amount"), &label, cap.amount.as_mut());
            }
        }
    }
    if let Some(t) = tilted_assistance.as_mut() {
        let at = At::root("tilted_assistance");
        let TiltedAssistance { name, kinds, requires_referral, threshold, admission_threshold, ratio, cap, partial_self_pay_in_base, .. } = t;
        let display = kinds_zh(&kinds.value);
        rules.push((at.field("kinds").decl(format!("{name}适用的就诊类型"), None, NONE), RuleRef::of(kinds, display)));
        let display = yes_no(requires_referral.value);
        rules.push((at.field("requires_referral").decl(format!("{name}须规范转诊"), None, NONE), RuleRef::of(requires_referral, display)));
        if let Some(t) = threshold.as_mut() {
            table(&mut number, names, at.field("threshold"), &format!("{name}起付标准"), Amount, NO_THRESHOLD, t);
        }
        if let Some(t) = admission_threshold.as_mut() {
            table(&mut number, names, at.field("admission_threshold"), &format!("{name}每次起付标准"), Amount, NO_THRESHOLD, t);
        }
        table(&mut number, names, at.field("ratio"), &format!("{name}比例"), Ratio, NONE, ratio);
        cap_figure(&mut number, &mut rules, names, at.field("cap"), &format!("{name}年度最高救助限额"), cap.as_mut());
        if let Some(flag) = partial_self_pay_in_base.as_mut() {
            let display = yes_no(flag.value);
            rules.push((at.field("partial_self_pay_in_base").decl(format!("{name}乙类先行自付计入基数"), None, NONE), RuleRef::of(flag, display)));
        }
    }
    if let Some(m) = monitoring.as_mut() {
        let at = At::root("monitoring");
        number(at.field("income"), "监测线参考收入".into(), Amount, NONE, &mut m.income);
        for (i, line) in m.lines.iter_mut().enumerate() {
            number(at.field("lines").item(i, &line.name).field("factor"), format!("{}线（参考收入的倍数）", line.name), Factor, NONE, &mut line.factor);
        }
    }
    if let Some(c) = contribution.as_mut() {
        let at = At::root("contribution");
        for (tier, p) in c.individual.iter_mut() {
            number(at.field("individual").field(tier), format!("个人缴费（{}）", tier_name(tier)), Amount, NONE, p);
        }
        if let Some(p) = c.government_subsidy.as_mut() {
            number(at.field("government_subsidy"), "财政补助".into(), Amount, NONE, p);
        }
        for (i, e) in c.subsidised_enrolment.iter_mut().enumerate() {
            let who = identities_zh(&e.identities);
            number(at.field("subsidised_enrolment").item(i, &ids_key(&e.identities)).field("share"), format!("资助参保比例（{who}）"), Ratio, NONE, &mut e.share);
        }
        for (i, split) in c.fiscal_split.iter_mut().enumerate() {
            let at = at.field("fiscal_split").item(i, &split.name);
            for (j, part) in split.parts.iter_mut().enumerate() {
                let label = format!("财政补助分担（{}）·{}", split.name, part.payer);
                let at = at.field("parts").item(j, &part.payer);
                if let Some(p) = part.amount.as_mut() {
                    number(at.field("amount"), label.clone(), Amount, NONE, p);
                }
                if let Some(p) = part.share.as_mut() {
                    number(at.field("share"), label.clone(), Ratio, NONE, p);
                }
                if let Some(p) = part.share_of_rest.as_mut() {
                    number(at.field("share_of_rest"), label, Ratio, NONE, p);
                }
            }
        }
    }
    drop(number);
    for (i, step) in next_steps.iter_mut().enumerate() {
        let who = step.identities.as_deref().map_or("所有参保人".to_string(), identities_zh);
        let key = step.identities.as_deref().map_or("all".to_string(), ids_key);
        let display = step.text.value.clone();
        rules.push((At::root("next_steps").item(i, &key).field("text").decl(format!("下一步（{who}）"), None, NONE), RuleRef::of(&mut step.text, display)));
    }
    for (decl, rule) in rules {
        let RuleRef { status, source, note, id, display } = rule;
        f(decl, Item::Rule { status, source, note, id, display });
    }
}

/// A cap: its amounts, or the stated absence of one (a rule choice).
fn cap_figure<'a>(number: &mut Number, rules: &mut Vec<(Decl, RuleRef<'a>)>, names: &Names, at: At, label: &str, cap: Option<&'a mut Cap>) {
    match cap {
        Some(Cap::Limit(t)) => table(number, names, at, label, ParamKind::Amount, NO_CAP, t),
        Some(Cap::NoCap(s)) => rules.push((at.decl(format!("{label}（不设封顶）"), None, NONE), RuleRef::of(s, "不设封顶".into()))),
        None => {}
    }
}

/// A rule choice (`Sourced<T>` of any `T`) as the walk hands it on.
struct RuleRef<'a> {
    status: Status,
    source: Option<&'a Source>,
    note: Option<&'a str>,
    id: &'a mut ParamId,
    display: String,
}

impl<'a> RuleRef<'a> {
    fn of<T>(s: &'a mut Sourced<T>, display: String) -> RuleRef<'a> {
        RuleRef { status: s.status, source: s.source.as_ref(), note: s.note.as_deref(), id: &mut s.id, display }
    }
}

#[cfg(test)]
mod tests {
    use crate::policy::Policy;

    fn policy(id: &str) -> Policy {
        let text = std::fs::read_to_string(format!("{}/../../policies/{id}.json", env!("CARGO_MANIFEST_DIR"))).unwrap();
        crate::policy::parse(&text).unwrap()
    }

    /// Every object with a `status` in the policy as it serializes (a `Param` or a `Sourced`):
    /// its JSON path.
    fn figures(v: &serde_json::Value, path: String, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(map) => {
                if map.contains_key("status") && map.contains_key("value") | map.contains_key("derived") {
                    out.push(path.clone());
                }
                for (k, item) in map {
                    let sub = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                    figures(item, sub, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    figures(item, format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_figure_of_a_policy_is_declared() {
        for id in ["tianjin-2023", "hohhot-2023", "hohhot-2024", "jiamusi-2021", "jiamusi-2022"] {
            let p = policy(id);
            let mut found = Vec::new();
            figures(&serde_json::to_value(&p).unwrap(), String::new(), &mut found);
            // A statistic's value is a figure; the statistic itself (label, role) is not.
            found.retain(|path| !path.ends_with(".value.value"));
            let declared: Vec<&str> = p.provenance().iter().map(|e| e.decl.path.as_str()).collect();
            for path in &found {
                assert!(declared.contains(&path.as_str()), "{id}: {path} is read but not declared in walk.rs");
            }
            assert_eq!(found.len(), declared.len(), "{id}: declared {declared:?}\nfound {found:?}");
            // And each figure carries its own entry's id.
            for e in p.provenance() {
                assert_eq!(p.entry(p.provenance().iter().position(|x| x == e).map(|i| super::ParamId(i as u32)).unwrap()), Some(e));
            }
        }
    }
}
