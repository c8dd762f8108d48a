//! The form's inputs and buttons by name. The views give an element the id of its
//! [`Field`] (or the `data-act` of its [`Act`]), the event listeners read it back, and a
//! message names the field it belongs to: ids are made and read only here, so a misspelt
//! field does not compile.

use yew::AttrValue;
use yibao_engine::Identity;

/// One input of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// 地区 (the policy).
    Region,
    /// 缴费档次.
    Tier,
    /// 人群.
    Population,
    /// 对比 another region or year.
    Compare,
    /// One 参保身份 checkbox.
    Identity(Identity),
    /// A field of the visit at this position in the form.
    Visit(usize, VisitField),
    /// No input of its own: the scenario as a whole.
    Whole,
}

/// One input of a visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VisitField {
    /// 就诊类型.
    Kind,
    /// 医院等级, or the policy's facility class.
    Level,
    /// 就医地.
    Place,
    /// 医疗总费用.
    Total,
    /// 政策范围内费用.
    InScope,
    /// 不清楚，按总费用的90%估算.
    Estimate,
    /// 规范转诊.
    Referred,
    /// 我有结算单.
    Slip,
    /// 乙类先行自付.
    PartialSelfPay,
    /// 统筹基金支付 (basic insurance's payout on the slip).
    BasicPaid,
    /// 大病保险支付 (critical illness insurance's payout on the slip).
    CriticalIllnessPaid,
}

impl VisitField {
    pub const ALL: [VisitField; 11] = [
        VisitField::Kind,
        VisitField::Level,
        VisitField::Place,
        VisitField::Total,
        VisitField::InScope,
        VisitField::Estimate,
        VisitField::Referred,
        VisitField::Slip,
        VisitField::PartialSelfPay,
        VisitField::BasicPaid,
        VisitField::CriticalIllnessPaid,
    ];

    /// The element id's part after `v{i}-`, and the scenario's field (the engine's error
    /// paths name it; empty for an input the scenario has no field for).
    fn names(self) -> (&'static str, &'static str) {
        // A table, in the order of the variants: smaller code than a match.
        const NAMES: [(&str, &str); 11] = [
            ("kind", "kind"),
            ("level", "level"),
            ("place", "place"),
            ("total", "total"),
            ("scope", "in_scope"),
            ("est", ""),
            ("ref", "referred"),
            ("slip", ""),
            ("partial", "partial_self_pay"),
            ("paid", "basic_paid"),
            ("ci", "critical_illness_paid"),
        ];
        NAMES[self as usize]
    }

    /// The field whose names satisfy `is`.
    fn find(is: impl Fn((&str, &str)) -> bool) -> Option<VisitField> {
        VisitField::ALL.into_iter().find(|f| is(f.names()))
    }
}

impl Field {
    /// The element's id.
    pub fn id(self) -> String {
        match self {
            Field::Region => "region".into(),
            Field::Tier => "tier".into(),
            Field::Population => "population".into(),
            Field::Compare => "compare".into(),
            Field::Identity(i) => format!("id-{}", i.id()),
            Field::Visit(i, f) => format!("v{i}-{}", f.names().0),
            Field::Whole => String::new(),
        }
    }

    /// The field an element's id names.
    pub fn from_id(id: &str) -> Option<Field> {
        Some(match id {
            "region" => Field::Region,
            "tier" => Field::Tier,
            "population" => Field::Population,
            "compare" => Field::Compare,
            _ => match id.strip_prefix("id-") {
                Some(i) => Field::Identity(Identity::from_id(i)?),
                None => {
                    let (i, name) = id.strip_prefix('v')?.split_once('-')?;
                    Field::Visit(i.parse().ok()?, VisitField::find(|n| n.0 == name)?)
                }
            },
        })
    }

    /// The input an engine error is at, from its path (`visits[1].in_scope`); a path
    /// without an input that shows messages (the tier is always one of the policy's) is the
    /// scenario as a whole.
    pub fn at_path(path: &str) -> Field {
        // Char patterns: a string pattern would bring in the two-way searcher.
        let visit = || {
            let (i, name) = path.strip_prefix("visits[")?.split_once(']')?;
            let name = name.strip_prefix('.').filter(|n| !n.is_empty())?;
            Some(Field::Visit(i.parse().ok()?, VisitField::find(|n| n.1 == name)?))
        };
        match path {
            "population" => Field::Population,
            _ => visit().unwrap_or(Field::Whole),
        }
    }
}

/// What a button does, by its `data-act`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    Retry,
    Elder,
    Print,
    AddVisit,
    Undo,
    Dismiss,
    Copy,
    /// 删除 the visit at this position.
    RemoveVisit(usize),
}

impl Act {
    const NAMED: [Act; 7] = [Act::Retry, Act::Elder, Act::Print, Act::AddVisit, Act::Undo, Act::Dismiss, Act::Copy];

    /// The `data-act` of a button without a number, and `remove-` before one.
    const fn name(self) -> &'static str {
        match self {
            Act::Retry => "retry",
            Act::Elder => "elder",
            Act::Print => "print",
            Act::AddVisit => "add",
            Act::Undo => "undo",
            Act::Dismiss => "dismiss",
            Act::Copy => "copy",
            Act::RemoveVisit(_) => "remove-",
        }
    }

    /// The button's `data-act`.
    #[inline]
    pub fn attr(self) -> AttrValue {
        match self {
            Act::RemoveVisit(i) => format!("remove-{i}").into(),
            _ => AttrValue::Static(self.name()),
        }
    }

    /// The act a `data-act` names.
    pub fn from_attr(attr: &str) -> Option<Act> {
        match attr.strip_prefix(Act::RemoveVisit(0).name()) {
            Some(i) => Some(Act::RemoveVisit(i.parse().ok()?)),
            None => Act::NAMED.into_iter().find(|a| a.name() == attr),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yibao_engine::scenario::parse;

    fn every_field() -> Vec<Field> {
        let mut all = vec![Field::Region, Field::Tier, Field::Population, Field::Compare];
        all.extend(Identity::ALL.iter().map(|&i| Field::Identity(i)));
        for i in [0, 1, 9, 19] {
            all.extend(VisitField::ALL.iter().map(|&f| Field::Visit(i, f)));
        }
        all
    }

    #[test]
    fn every_id_reads_back_as_its_field_and_no_two_are_alike() {
        let all = every_field();
        for f in &all {
            assert_eq!(Field::from_id(&f.id()), Some(*f), "{}", f.id());
        }
        let mut ids: Vec<String> = all.iter().map(|f| f.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
        for other in ["", "v", "v1", "v-total", "vx-total", "v1-totl", "id-", "id-nobody", "add-visit", "undo"] {
            assert_eq!(Field::from_id(other), None, "{other}");
        }
    }

    #[test]
    fn every_act_reads_back() {
        let mut all = Act::NAMED.to_vec();
        all.extend([Act::RemoveVisit(0), Act::RemoveVisit(19)]);
        for a in all {
            assert_eq!(Act::from_attr(&a.attr()), Some(a));
        }
        for other in ["", "remove-", "remove-x", "remove", "Retry"] {
            assert_eq!(Act::from_attr(other), None, "{other}");
        }
    }

    /// The engine's reader names each visit field by the path `at_path` reads: a wrong
    /// value in each gives an error at that input.
    #[test]
    fn an_engine_error_is_at_the_input_of_its_field() {
        let good = [("kind", "\"inpatient\""), ("level", "\"level2\""), ("place", "\"local\""), ("total", "\"100\""), ("in_scope", "\"90\""), ("referred", "false"), ("partial_self_pay", "\"0\""), ("basic_paid", "\"0\""), ("critical_illness_paid", "\"0\"")];
        let mut checked = 0;
        for f in VisitField::ALL {
            let name = f.names().1;
            if name.is_empty() {
                continue;
            }
            let visit: Vec<String> = good.iter().map(|(n, v)| format!("\"{n}\":{}", if *n == name { "[]" } else { v })).collect();
            let text = format!(r#"{{"visits":[{{"kind":"outpatient","level":"level1","total":"1","in_scope":"1"}},{{{}}}]}}"#, visit.join(","));
            let err = parse(&text).expect_err(name);
            assert_eq!(Field::at_path(&err.field), Field::Visit(1, f), "{}", err.field);
            checked += 1;
        }
        assert_eq!(checked, 9);
        assert_eq!(Field::at_path("population"), Field::Population);
        for whole in ["contribution_tier", "(root)", "visits", "identities[0]", "visits[0]", "visits[0].", "visits[x].total"] {
            assert_eq!(Field::at_path(whole), Field::Whole, "{whole}");
        }
    }
}
