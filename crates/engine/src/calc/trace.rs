//! What each layer computed, as data: the amounts it reached, the parts of the rule it took,
//! and the ids of the parameters it used, in the order it used them. `explain.rs` turns traces
//! into the Chinese steps of the result; `assumptions` and the cap alerts come from the ids
//! here, not from reading text. The fast runs (`settle`, `totals_only`, batch, curves) keep no
//! trace: `Tracer::record` does not even build one, and a `Meter` that is off records nothing.

use crate::ids::{Identity, Layer, VisitKind};
use crate::policy::{
    AssistanceRule, Benefit, CapPool, CriticalIllnessTilt, DeductibleRule, MonitoringLine, Param,
    ParamId, Situation, Sourced, Table, TiltedAssistance,
};
use rust_decimal::Decimal;

/// Collects traces when the run explains; otherwise nothing is built.
pub(crate) struct Tracer<'p> {
    pub on: bool,
    pub traces: Vec<Trace<'p>>,
}

impl<'p> Tracer<'p> {
    pub fn new(on: bool) -> Self {
        Tracer { on, traces: Vec::new() }
    }

    /// Adds a trace; the closure runs only when explaining.
    pub fn record(&mut self, make: impl FnOnce() -> Trace<'p>) {
        if self.on {
            self.traces.push(make());
        }
    }

    /// A meter for one computation, on when the run explains.
    pub fn meter(&self) -> Meter {
        Meter { on: self.on, ids: Vec::new() }
    }
}

/// Reads figures for a computation and, when on, notes each one's id: the only way a layer
/// takes a value from the policy, so a step cannot leave out a parameter it used.
pub(crate) struct Meter {
    on: bool,
    pub ids: Vec<ParamId>,
}

impl Meter {
    /// A meter that records (for what only the explained result computes).
    pub fn on() -> Meter {
        Meter { on: true, ids: Vec::new() }
    }

    /// A meter that records nothing (for a computation whose figures are not shown).
    pub fn off() -> Meter {
        Meter { on: false, ids: Vec::new() }
    }

    pub fn num(&mut self, p: &Param) -> Decimal {
        self.note(p.id);
        p.get()
    }

    /// The figure of a table for a situation; 0 on a table validation would refuse (only a
    /// file that skipped validation has one).
    pub fn table(&mut self, t: &Table, s: &Situation) -> Decimal {
        self.figure(t, s).map_or(Decimal::ZERO, |(_, v)| v)
    }

    /// As `table`, with the figure's id.
    pub fn figure(&mut self, t: &Table, s: &Situation) -> Option<(ParamId, Decimal)> {
        t.find(s).map(|p| (p.id, self.num(p)))
    }

    pub fn rule<'s, T>(&mut self, s: &'s Sourced<T>) -> &'s T {
        self.note(s.id);
        &s.value
    }

    /// Notes a figure that was read earlier but only now matters to the result.
    pub fn note(&mut self, id: ParamId) {
        if self.on && !self.ids.contains(&id) {
            self.ids.push(id);
        }
    }
}

/// One layer's work on one visit, or a yearly check.
pub(crate) enum Trace<'p> {
    /// Basic insurance has no rule for this visit: the documents leave the kind (or the whole
    /// layer, or the tier's table) undefined.
    BasicNotCovered { visit: usize, reason: String },
    Basic(BasicTrace<'p>),
    /// A layer's payout (basic, or 大病) taken from the resident's 结算单, not recomputed: the
    /// 乙类先行自付 it states (basic's trace only, 0 otherwise); for 大病, the year's cumulative
    /// burden before and after the visit when it counts toward the policy's rule.
    FromSlip { layer: Layer, visit: usize, in_scope: Decimal, partial: Decimal, paid: Decimal, counted: Option<(Decimal, Decimal)>, used: Vec<ParamId> },
    /// Without basic insurance the burden after it is unknown: no later layer computed.
    LaterLayersSkipped { visit: usize, kind: VisitKind },
    NotInCriticalIllnessBase { visit: usize, kind: VisitKind, used: Vec<ParamId> },
    CriticalIllness(CriticalIllnessTrace<'p>),
    NoAssistanceRule { visit: usize, identity: Identity, kind: VisitKind },
    Assistance(AssistanceTrace<'p>),
    ReferralMissing { visit: usize, rule: &'p TiltedAssistance, used: Vec<ParamId> },
    Tilted(TiltedTrace<'p>),
}

pub(crate) struct BasicTrace<'p> {
    pub visit: usize,
    pub in_scope: Decimal,
    pub benefit: &'p Benefit,
    pub deductible: Decimal,
    pub deductible_rule: DeductibleRule,
    /// Visits of the deductible pool earlier this year, and deductible consumed before this one.
    pub earlier_visits: u32,
    pub consumed_before: Decimal,
    pub charged: Decimal,
    /// 乙类先行自付 left out of the base (0 when none, or when the base includes it).
    pub partial: Decimal,
    /// The yearly ceiling on deductibles, when it lowered this one: the ceiling and the
    /// deductible before it.
    pub deductible_ceiling: Option<(Decimal, Decimal)>,
    /// 政策范围内费用封顶, when some of this visit's cost is above it: the ceiling, that cost.
    pub above_ceiling: Option<(Decimal, Decimal)>,
    pub ratio: Decimal,
    /// The points added for the identity, when a bonus applies.
    pub bonus: Option<Decimal>,
    pub ratio_before_bonus: Decimal,
    /// With bands: each band reached, as in critical illness.
    pub bands: Vec<(Decimal, Decimal, Decimal, Decimal)>,
    pub payable: Decimal,
    /// The yearly cap, when one limits this benefit: the pool, its amount and what was left.
    pub cap: Option<CapUse<'p>>,
    /// The label of a cap pool the rule names whose amount the documents do not state.
    pub cap_unstated: Option<&'p str>,
    pub paid: Decimal,
    /// The yearly cap this visit used up (for the cap alert).
    pub cap_hit: Option<ParamId>,
    pub used: Vec<ParamId>,
}

/// A yearly cap a payout was drawn from.
pub(crate) struct CapUse<'p> {
    pub pool: &'p CapPool,
    pub amount: Decimal,
    pub left: Decimal,
}

pub(crate) struct CriticalIllnessTrace<'p> {
    pub visit: usize,
    pub in_scope: Decimal,
    pub burden: Decimal,
    /// 乙类先行自付 left out of the burden.
    pub partial: Decimal,
    pub before: Decimal,
    pub after: Decimal,
    pub threshold: Decimal,
    pub ordinary_threshold: Decimal,
    pub tilt: Option<&'p CriticalIllnessTilt>,
    /// The applied identity's name, for the tilt's line.
    pub who: &'static str,
    /// The tilt's threshold as a factor of the ordinary one, when it is given so.
    pub threshold_factor: Option<Decimal>,
    pub points: Option<Decimal>,
    /// Each band reached: its lower bound, the top reached in it, the ratio, the raw payout.
    pub bands: Vec<(Decimal, Decimal, Decimal, Decimal)>,
    /// The upper bound of the last band, when burden went beyond it.
    pub beyond_last: Option<Decimal>,
    pub cap: Option<Decimal>,
    pub capped: bool,
    /// No cap counted because the documents do not state one.
    pub cap_unstated: bool,
    /// 就高不就低: the ordinary rule's threshold and payout, when it pays more than the tilt.
    pub ordinary_higher: Option<(Decimal, Decimal, Decimal)>,
    pub paid_before: Decimal,
    pub paid_after: Decimal,
    pub paid: Decimal,
    /// The yearly cap this visit used up (for the cap alert).
    pub cap_hit: Option<ParamId>,
    pub used: Vec<ParamId>,
}

pub(crate) struct AssistanceTrace<'p> {
    pub visit: usize,
    pub in_scope: Decimal,
    pub rule: &'p AssistanceRule,
    pub base: Decimal,
    /// 乙类先行自付 left out of the base.
    pub partial: Decimal,
    pub threshold: Option<Decimal>,
    pub consumed_before: Decimal,
    pub take: Decimal,
    /// The threshold of each visit, and what it took of this one.
    pub admission_threshold: Option<(Decimal, Decimal)>,
    pub ratio: Decimal,
    /// With bands: each band reached.
    pub bands: Vec<(Decimal, Decimal, Decimal, Decimal)>,
    /// The cap of each visit, when it lowered the payout: the cap and the payout before it.
    pub admission_cap: Option<(Decimal, Decimal)>,
    pub payable: Decimal,
    pub cap: Option<CapUse<'p>>,
    pub cap_unstated: Option<&'p str>,
    pub paid: Decimal,
    /// The yearly cap this visit used up (for the cap alert).
    pub cap_hit: Option<ParamId>,
    pub used: Vec<ParamId>,
}

pub(crate) struct TiltedTrace<'p> {
    pub visit: usize,
    pub rule: &'p TiltedAssistance,
    pub base: Decimal,
    /// 乙类先行自付 left out of the base.
    pub partial: Decimal,
    pub before: Decimal,
    pub after: Decimal,
    /// The yearly threshold, if the rule has one.
    pub threshold: Option<Decimal>,
    /// The visit's own threshold (`after − before` is the part above it).
    pub admission_threshold: Option<Decimal>,
    pub ratio: Decimal,
    pub cap: Option<(ParamId, Decimal)>,
    pub capped: bool,
    pub cap_unstated: bool,
    pub paid_before: Decimal,
    pub paid_after: Decimal,
    pub paid: Decimal,
    /// The yearly cap this visit used up (for the cap alert).
    pub cap_hit: Option<ParamId>,
    pub used: Vec<ParamId>,
}

pub(crate) struct MonitoringTrace<'p> {
    pub burden: Decimal,
    pub income: Decimal,
    /// Each line that applies to the resident: the line, its factor, its amount, whether crossed.
    pub lines: Vec<(&'p MonitoringLine, Decimal, Decimal, bool)>,
    pub where_to_apply: &'p str,
    pub used: Vec<ParamId>,
}

impl Trace<'_> {
    /// The parameters this piece of work used, in order.
    pub fn used(&self) -> &[ParamId] {
        match self {
            Trace::BasicNotCovered { .. } | Trace::LaterLayersSkipped { .. } | Trace::NoAssistanceRule { .. } => &[],
            Trace::NotInCriticalIllnessBase { used, .. } | Trace::FromSlip { used, .. } | Trace::ReferralMissing { used, .. } => used,
            Trace::Basic(t) => &t.used,
            Trace::CriticalIllness(t) => &t.used,
            Trace::Assistance(t) => &t.used,
            Trace::Tilted(t) => &t.used,
        }
    }

    /// The yearly cap this work used up, if any: the cap's id.
    pub fn cap_hit(&self) -> Option<ParamId> {
        match self {
            Trace::Basic(t) => t.cap_hit,
            Trace::CriticalIllness(t) => t.cap_hit,
            Trace::Assistance(t) => t.cap_hit,
            Trace::Tilted(t) => t.cap_hit,
            _ => None,
        }
    }
}
