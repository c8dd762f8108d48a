//! Figures that differ by who is treated and where: a `Table` is either one figure or a
//! choice by a *dimension* (档次, 人群, 医疗机构类别, 就诊类型, 第几次住院, 转诊, 就医地, 身份),
//! each of whose keys leads to another table. In a file:
//!
//! ```json
//! "ratio": { "by": "tier",
//!   "high": { "by": "facility", "level1,grassroots": {"value": "80%", …}, "level2": {…}, "level3": {…} },
//!   "low":  { … } }
//! ```
//!
//! A key may list several values separated by commas. Validation checks that every table
//! covers every value of its dimensions the policy declares (`validate.rs`), so a lookup on a
//! validated policy always finds its figure.

use super::Param;
use crate::ids::{Identity, Place, VisitKind};

/// What a table may be keyed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// 缴费档次: the policy's `tiers`.
    Tier,
    /// 人群: the policy's `populations`.
    Population,
    /// 医疗机构类别: the policy's `facility_classes` (by default the four 医院等级).
    Facility,
    /// 就诊类型.
    VisitKind,
    /// 本年第几次住院 (of this visit kind): keys `1`, `2`, …, and a last one ending in `+`.
    Admission,
    /// 是否规范转诊: `referred`, `not_referred`.
    Referral,
    /// 就医地: `local`, `elsewhere_registered`, `elsewhere_unregistered`.
    Place,
    /// 身份: identity ids, and `ordinary` for a resident without one the rule treats.
    Identity,
}

impl Dimension {
    pub const ALL: &'static [Dimension] = &[
        Dimension::Tier,
        Dimension::Population,
        Dimension::Facility,
        Dimension::VisitKind,
        Dimension::Admission,
        Dimension::Referral,
        Dimension::Place,
        Dimension::Identity,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Dimension::Tier => "tier",
            Dimension::Population => "population",
            Dimension::Facility => "facility",
            Dimension::VisitKind => "visit_kind",
            Dimension::Admission => "admission",
            Dimension::Referral => "referral",
            Dimension::Place => "place",
            Dimension::Identity => "identity",
        }
    }

    pub fn from_id(id: &str) -> Option<Dimension> {
        Dimension::ALL.iter().copied().find(|d| d.id() == id)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Dimension::Tier => "缴费档次",
            Dimension::Population => "人群",
            Dimension::Facility => "医疗机构类别",
            Dimension::VisitKind => "就诊类型",
            Dimension::Admission => "本年第几次",
            Dimension::Referral => "是否规范转诊",
            Dimension::Place => "就医地",
            Dimension::Identity => "身份",
        }
    }

    /// Whether the value is fixed for the whole year (the resident's), so that a yearly figure
    /// (a cap, a yearly threshold) may depend on it. The others belong to one visit.
    pub fn is_yearly(self) -> bool {
        matches!(self, Dimension::Tier | Dimension::Population | Dimension::Identity)
    }
}

/// The key used for a resident without an identity the rule treats distinctly.
pub const ORDINARY: &str = "ordinary";

/// One figure, or a choice by a dimension.
#[derive(Clone, Debug, PartialEq)]
pub enum Table {
    Figure(Param),
    By { by: Dimension, rows: Vec<Row> },
}

/// One key of a choice: the values it stands for, as written (`level1,grassroots`).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub key: String,
    pub table: Table,
}

impl Row {
    /// The values the key stands for.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.key.split(',').map(str::trim)
    }
}

/// What a lookup needs to know of the visit and the resident.
#[derive(Clone, Copy, Debug)]
pub struct Situation<'a> {
    pub tier: &'a str,
    pub population: &'a str,
    pub facility: &'a str,
    pub kind: VisitKind,
    /// 1 for the year's first visit of this kind.
    pub admission: u32,
    pub referred: bool,
    pub place: Place,
    pub identity: Option<Identity>,
}

/// Whether an admission key (`2`, or `3+` for the third and later) matches an ordinal.
pub fn admission_matches(key: &str, ordinal: u32) -> bool {
    match key.strip_suffix('+') {
        Some(from) => from.parse::<u32>().is_ok_and(|n| ordinal >= n),
        None => key.parse::<u32>().is_ok_and(|n| ordinal == n),
    }
}

impl Table {
    /// The figure for a situation; `None` only on a table validation would refuse.
    pub fn find(&self, s: &Situation) -> Option<&Param> {
        let mut t = self;
        loop {
            match t {
                Table::Figure(p) => return Some(p),
                Table::By { by, rows } => {
                    t = &rows.iter().find(|r| r.values().any(|v| matches(*by, v, s)))?.table;
                }
            }
        }
    }

    /// Every figure of the table, in the order of the file.
    pub fn figures(&self) -> Vec<&Param> {
        let mut out = Vec::new();
        self.each(&mut |p| out.push(p));
        out
    }

    /// The figures that can apply when `dim` has `value` (every branch of the other dimensions).
    pub fn figures_where(&self, dim: Dimension, value: &str) -> Vec<&Param> {
        let mut out = Vec::new();
        self.each_where(dim, value, &mut |p| out.push(p));
        out
    }

    fn each_where<'a>(&'a self, dim: Dimension, value: &str, f: &mut dyn FnMut(&'a Param)) {
        match self {
            Table::Figure(p) => f(p),
            Table::By { by, rows } => rows.iter().filter(|r| *by != dim || r.values().any(|v| v == value)).for_each(|r| r.table.each_where(dim, value, f)),
        }
    }

    fn each<'a>(&'a self, f: &mut dyn FnMut(&'a Param)) {
        match self {
            Table::Figure(p) => f(p),
            Table::By { rows, .. } => rows.iter().for_each(|r| r.table.each(f)),
        }
    }

    /// The one figure of a table without dimensions.
    pub fn single(&self) -> Option<&Param> {
        match self {
            Table::Figure(p) => Some(p),
            Table::By { .. } => None,
        }
    }

    /// The figure under these keys, as written (`["high", "level3"]`), for tools and tests
    /// that edit a policy; the one figure with no keys.
    pub fn at_mut(&mut self, keys: &[&str]) -> Option<&mut Param> {
        match (self, keys) {
            (Table::Figure(p), []) => Some(p),
            (Table::By { rows, .. }, [first, rest @ ..]) => rows.iter_mut().find(|r| r.key == *first)?.table.at_mut(rest),
            _ => None,
        }
    }

    /// Whether any level of the table is keyed by `dim`.
    pub fn uses(&self, dim: Dimension) -> bool {
        match self {
            Table::Figure(_) => false,
            Table::By { by, rows } => *by == dim || rows.iter().any(|r| r.table.uses(dim)),
        }
    }
}

fn matches(by: Dimension, value: &str, s: &Situation) -> bool {
    match by {
        Dimension::Tier => value == s.tier,
        Dimension::Population => value == s.population,
        Dimension::Facility => value == s.facility,
        Dimension::VisitKind => value == s.kind.id(),
        Dimension::Admission => admission_matches(value, s.admission),
        Dimension::Referral => value == if s.referred { "referred" } else { "not_referred" },
        Dimension::Place => value == s.place.id(),
        Dimension::Identity => value == s.identity.map_or(ORDINARY, |i| i.id()),
    }
}

impl serde::Serialize for Table {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Table::Figure(p) => p.serialize(ser),
            Table::By { by, rows } => {
                let mut map = ser.serialize_map(Some(rows.len() + 1))?;
                map.serialize_entry("by", by.id())?;
                for r in rows {
                    map.serialize_entry(&r.key, &r.table)?;
                }
                map.end()
            }
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Table {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Table".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let param = generator.subschema_for::<Param>();
        let ids: Vec<&str> = Dimension::ALL.iter().map(|d| d.id()).collect();
        schemars::json_schema!({
            "description": "一个数字（Param），或按维度区分的表：{\"by\": 维度, 键: 表, …}；键可用逗号列出多个值。",
            "anyOf": [
                param,
                {
                    "type": "object",
                    "required": ["by"],
                    "properties": { "by": { "enum": ids } },
                    "additionalProperties": { "$ref": "#/$defs/Table" }
                }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admission_keys() {
        assert!(admission_matches("1", 1) && !admission_matches("1", 2));
        assert!(admission_matches("3+", 3) && admission_matches("3+", 9) && !admission_matches("3+", 2));
        assert!(!admission_matches("x", 1) && !admission_matches("+", 1));
    }
}
