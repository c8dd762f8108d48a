//! The fixed vocabulary of the domain: visit kinds, hospital levels, identities, layers.
//! Ids are the English ones of `domain.md`; names are what residents read.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $id:literal, $zh:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];
            /// The id used in JSON.
            pub fn id(self) -> &'static str { match self { $($name::$variant => $id,)+ } }
            /// The name residents read.
            pub fn name_zh(self) -> &'static str { match self { $($name::$variant => $zh,)+ } }
            pub fn from_id(id: &str) -> Option<Self> {
                match id { $($id => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.id()) }
        }
    };
}

impl Default for Place {
    fn default() -> Place {
        Place::Local
    }
}

impl Place {
    pub fn is_local(&self) -> bool {
        *self == Place::Local
    }
}

/// Names for readers, joined with 、 (e.g. `住院、门诊慢特病`).
pub fn kinds_zh(kinds: &[VisitKind]) -> String {
    kinds.iter().map(|k| k.name_zh()).collect::<Vec<_>>().join("、")
}

/// Names for readers, joined with 、 (e.g. `特困人员、低保对象`).
pub fn identities_zh(ids: &[Identity]) -> String {
    ids.iter().map(|i| i.name_zh()).collect::<Vec<_>>().join("、")
}

vocabulary! {
    /// 就诊类型.
    VisitKind {
        Inpatient = "inpatient", "住院";
        Outpatient = "outpatient", "普通门诊";
        ChronicOutpatient = "chronic_outpatient", "门诊慢特病";
    }
}

vocabulary! {
    /// 医院等级.
    HospitalLevel {
        Grassroots = "grassroots", "基层";
        Level1 = "level1", "一级";
        Level2 = "level2", "二级";
        Level3 = "level3", "三级";
    }
}

vocabulary! {
    /// 就医地: 本地, or 异地 with or without 备案 (registration of treatment elsewhere).
    Place {
        Local = "local", "本地就医";
        ElsewhereRegistered = "elsewhere_registered", "异地就医（已备案）";
        ElsewhereUnregistered = "elsewhere_unregistered", "异地就医（未备案）";
    }
}

vocabulary! {
    /// 参保身份 (assistance categories and poverty statuses).
    Identity {
        ExtremePoverty = "extreme_poverty", "特困人员";
        Orphan = "orphan", "孤儿";
        SubsistenceAllowance = "subsistence_allowance", "低保对象";
        LowIncomeMargin = "low_income_margin", "低保边缘家庭成员";
        ReturnedToPoverty = "returned_to_poverty", "返贫致贫人口";
        AtRiskRural = "at_risk_rural", "农村易返贫致贫人口";
        IllnessImpoverished = "illness_impoverished", "因病致贫重病患者";
        LiftedOutOfPoverty = "lifted_out_of_poverty", "脱贫人口";
    }
}

vocabulary! {
    /// The layers of protection, in the order they pay (先保险后救助).
    Layer {
        Basic = "basic", "基本医保";
        CriticalIllness = "critical_illness", "大病保险";
        Assistance = "assistance", "医疗救助";
        TiltedAssistance = "tilted_assistance", "倾斜救助";
    }
}

vocabulary! {
    /// 参保类别. Only resident insurance is modelled today.
    Scheme {
        Resident = "resident", "城乡居民基本医疗保险";
    }
}
