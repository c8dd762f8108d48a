//! Parameters and rule choices with valid provenance: a status, a source citing one of the
//! policy's documents (required unless assumed), a note (required when assumed), and for
//! derived ones a statistic of the policy times a factor.

use super::number::{self, dec};
use crate::rng::Rng;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};
use yibao_engine::policy::MAX_POLICY_AMOUNT;

/// What the parameters of one policy may cite, and the money figures chosen so far.
pub struct Env<'r> {
    pub rng: &'r mut Rng,
    pub documents: Vec<String>,
    /// Statistic keys with their values, for derived parameters.
    pub statistics: Vec<(String, Decimal)>,
    /// Every money figure of the policy (deductibles, thresholds, caps, bounds): scenarios
    /// aim bills at them, where off-by-a-fen mistakes live.
    pub landmarks: Vec<Decimal>,
}

const CLAUSES: &[&str] = &["二(二)4：支付比例为65%", "第三条", "表1", "x", "住院起付线：三级、二级、一级医院均为500元"];
const NOTES: &[&str] = &["未找到公开数字（参考值）", "暂按一级医院计", "n"];

impl Env<'_> {
    /// `status`, `source` and `note`, valid for a literal (`derived == false`) or a derivation.
    fn provenance(&mut self, obj: &mut Map<String, Value>, derived: bool) {
        let status = if derived {
            if self.rng.chance(80) { "derived" } else { "assumed" }
        } else {
            ["stated", "published", "assumed", "derived"][self.rng.weighted(&[35, 35, 27, 3])]
        };
        obj.insert("status".into(), json!(status));
        let assumed = status == "assumed";
        if !assumed || self.rng.chance(50) {
            let document = self.rng.pick(&self.documents).clone();
            let clause = *self.rng.pick(CLAUSES);
            obj.insert("source".into(), json!({ "document": document, "clause": clause }));
        }
        if assumed || self.rng.chance(15) {
            obj.insert("note".into(), json!(*self.rng.pick(NOTES)));
        }
    }

    /// A rule choice (`Sourced<T>`) around `value`.
    pub fn sourced(&mut self, value: Value) -> Value {
        let mut obj = Map::new();
        obj.insert("value".into(), value);
        self.provenance(&mut obj, false);
        Value::Object(obj)
    }

    /// A literal parameter.
    pub fn literal(&mut self, d: Decimal, percent_ok: bool) -> Value {
        let mut obj = Map::new();
        obj.insert("value".into(), number::write(self.rng, d, percent_ok));
        self.provenance(&mut obj, false);
        Value::Object(obj)
    }

    /// A factor of a derivation: `50%`, `6`, `5.995`, or anything with up to 8 places.
    fn factor(&mut self) -> Decimal {
        match self.rng.below(6) {
            0 => dec(50, 2),
            1 => Decimal::from(6),
            2 => dec(5995, 3),
            3 => number::ratio(self.rng),
            4 => dec(self.rng.range(1, 1000) as i128, self.rng.range(0, 2) as u32),
            _ => dec(self.rng.below(100_000_000) as i128, self.rng.range(0, 8) as u32),
        }
    }

    /// A derivation `statistic × factor` whose value is at most `max`, when the policy has
    /// statistics and one fits.
    fn derived(&mut self, max: Decimal) -> Option<(Value, Decimal)> {
        if self.statistics.is_empty() {
            return None;
        }
        let (key, base) = self.rng.pick(&self.statistics).clone();
        let factor = self.factor();
        let value = base.checked_mul(factor)?;
        if value > max {
            return None;
        }
        let mut obj = Map::new();
        obj.insert("derived".into(), json!({ "statistic": key, "factor": number::write(self.rng, factor, true) }));
        self.provenance(&mut obj, true);
        Some((Value::Object(obj), value))
    }

    /// A money parameter: literal, or derived a fifth of the time.
    pub fn amount(&mut self, d: Decimal) -> (Value, Decimal) {
        if self.rng.chance(20) {
            // A derived amount is rounded to the fen, as the engine does.
            if let Some((param, value)) = self.derived(MAX_POLICY_AMOUNT).map(|(p, v)| (p, yibao_engine::money::round_fen(v))) {
                self.landmarks.push(value);
                return (param, value);
            }
        }
        self.landmarks.push(d);
        (self.literal(d, false), d)
    }

    /// A money parameter above `floor` (segment bounds must rise).
    pub fn amount_above(&mut self, floor: Decimal, step: Decimal) -> Option<(Value, Decimal)> {
        if self.rng.chance(20) {
            if let Some((param, value)) = self.derived(MAX_POLICY_AMOUNT).map(|(p, v)| (p, yibao_engine::money::round_fen(v))) {
                if value > floor {
                    self.landmarks.push(value);
                    return Some((param, value));
                }
            }
        }
        let d = floor.checked_add(step)?;
        (d <= MAX_POLICY_AMOUNT).then(|| {
            self.landmarks.push(d);
            (self.literal(d, false), d)
        })
    }

    /// A ratio parameter at most `max`; rarely derived (a tiny factor of a statistic).
    pub fn ratio(&mut self, max: Decimal) -> (Value, Decimal) {
        if self.rng.chance(3) {
            if let Some(found) = self.derived(max) {
                return found;
            }
        }
        let r = number::ratio_at_most(self.rng, max);
        (self.literal(r, true), r)
    }

    /// A multiplier from 0 to 100 (monitoring lines).
    pub fn multiplier(&mut self) -> Value {
        let f = match self.rng.below(4) {
            0 => Decimal::ONE,
            1 => dec(5, 1),
            2 => Decimal::from(100),
            _ => dec(self.rng.below(10_001) as i128, self.rng.range(0, 4) as u32).min(Decimal::from(100)),
        };
        self.literal(f, false)
    }
}
