//! Random valid scenarios for a policy: any subset of identities (held or not by the
//! policy), any of its tiers or none, any of its populations or none, 1 to 8 visits of every
//! kind, of the policy's facility classes, at home or elsewhere, referred or not, bills up to
//! the 100-million limit in fen, often aimed at the policy's own figures (a deductible, a
//! threshold, a cap) and a fen either side, sometimes with 乙类先行自付 and the basic payout
//! of a 结算单, and then sometimes its 大病 payout. Rarely (`Bad`) a population or facility
//! class the policy does not have, or a 大病 payout without the slip's basic payout or a fen
//! above what is left for it: the engine must refuse those, naming the field.

use super::number::dec;
use crate::rng::Rng;
use rust_decimal::Decimal;
use yibao_engine::scenario::MAX_VISIT_AMOUNT;
use yibao_engine::dec::Dec;
use yibao_engine::ids::Place;
use yibao_engine::{HospitalLevel, Identity, Scenario, Scheme, Visit, VisitKind};

/// What a scenario may name of its policy: tier ids (any when empty), population ids (none:
/// the policy has no populations) and facility class ids (the four 医院等级 when empty).
#[derive(Clone, Debug, Default)]
pub struct Axes {
    pub tiers: Vec<String>,
    pub populations: Vec<String>,
    pub facilities: Vec<String>,
}

impl Axes {
    pub fn tiers(tiers: &[String]) -> Axes {
        Axes { tiers: tiers.to_vec(), ..Axes::default() }
    }
}

/// An amount in fen from `low` to `high` yuan, with 0, 1 or 2 places.
fn fen_between(rng: &mut Rng, low: u64, high: u64) -> Decimal {
    let yuan = rng.range(low, high) as i128;
    match rng.below(3) {
        0 => dec(yuan, 0),
        1 => dec(yuan * 10 + rng.below(10) as i128, 1),
        _ => dec(yuan * 100 + rng.below(100) as i128, 2),
    }
}

/// A figure of the policy, a fen either side of it, or a multiple, rounded to the fen.
fn near_landmark(rng: &mut Rng, landmarks: &[Decimal]) -> Option<Decimal> {
    let l = *rng.pick(landmarks);
    let fen = dec(1, 2);
    let near = match rng.below(6) {
        0 => l,
        1 => l + fen,
        2 => l - fen,
        3 => l * Decimal::TWO,
        4 => l / dec(9, 1),
        _ => l * dec(rng.range(1, 400) as i128, 2),
    };
    let near = near.round_dp(2);
    (near >= Decimal::ZERO && near <= MAX_VISIT_AMOUNT).then_some(near)
}

fn total(rng: &mut Rng, landmarks: &[Decimal]) -> Decimal {
    match rng.weighted(&[3, if landmarks.is_empty() { 0 } else { 25 }, 45, 15, 11, 1]) {
        0 => Decimal::ZERO,
        1 => near_landmark(rng, landmarks).unwrap_or(Decimal::ONE_HUNDRED),
        2 => fen_between(rng, 100, 500_000),
        3 => fen_between(rng, 0, 100),
        4 => fen_between(rng, 1_000_000, 99_999_999),
        _ => MAX_VISIT_AMOUNT,
    }
}

fn in_scope(rng: &mut Rng, total: Decimal, landmarks: &[Decimal]) -> Decimal {
    match rng.weighted(&[30, 5, 50, if landmarks.is_empty() { 0 } else { 15 }]) {
        0 => total,
        1 => Decimal::ZERO,
        2 => (total * dec(rng.range(0, 10_000) as i128, 4)).round_dp(2).min(total),
        _ => near_landmark(rng, landmarks).filter(|l| *l <= total).unwrap_or(total),
    }
}

/// A part of `whole` in fen: none, all of it, or a share.
fn part_of(rng: &mut Rng, whole: Decimal) -> Decimal {
    match rng.weighted(&[10, 10, 80]) {
        0 => Decimal::ZERO,
        1 => whole,
        _ => (whole * dec(rng.range(0, 10_000) as i128, 4)).round_dp(2).min(whole),
    }
}

/// A scenario for a policy with these axes; rarely one naming a population or facility class
/// the policy does not have (then the engine must refuse it).
pub fn generate(rng: &mut Rng, axes: &Axes, landmarks: &[Decimal]) -> Scenario {
    let identities = if rng.chance(25) {
        vec![]
    } else {
        let mut ids = rng.subset(Identity::ALL, 1);
        ids.truncate(rng.range(1, 4) as usize);
        ids
    };
    let tiers = &axes.tiers;
    let contribution_tier = if rng.chance(30) || tiers.is_empty() { None } else { Some(rng.pick(tiers).clone()) };
    let population = if rng.below(100) == 0 {
        Some("unknown-group".to_string())
    } else if axes.populations.is_empty() || rng.chance(25) {
        None
    } else {
        Some(rng.pick(&axes.populations).clone())
    };
    let levels: Vec<&str> = if axes.facilities.is_empty() { HospitalLevel::ALL.iter().map(|l| l.id()).collect() } else { axes.facilities.iter().map(String::as_str).collect() };
    let visits = (0..rng.range(1, 8))
        .map(|_| {
            let total = total(rng, landmarks);
            let kind = *rng.pick(VisitKind::ALL);
            let level = if rng.below(400) == 0 { "unknown-class" } else { *rng.pick(&levels) };
            let in_scope = in_scope(rng, total, landmarks);
            let mut v = Visit { referred: rng.chance(50), ..Visit::new(kind, level, total, in_scope) };
            if rng.chance(35) {
                v.place = *rng.pick(Place::ALL);
            }
            if rng.chance(30) {
                v.partial_self_pay = Some(Dec(part_of(rng, in_scope)));
            }
            if rng.chance(12) {
                v.basic_paid = Some(Dec(part_of(rng, in_scope - v.partial())));
            }
            // What the slip leaves for 大病保险: in-scope less 乙类先行自付 and the basic payout.
            let left = in_scope - v.partial() - v.basic_paid.map_or(Decimal::ZERO, |p| p.get());
            if v.basic_paid.is_some() && rng.chance(40) {
                v.critical_illness_paid = Some(Dec(part_of(rng, left)));
            } else if rng.below(150) == 0 {
                // Refused: without `basic_paid`, or a fen above what is left (or above the
                // largest amount a visit may have).
                v.critical_illness_paid = Some(Dec(left + Decimal::new(1, 2)));
            }
            v
        })
        .collect();
    Scenario { scheme: Scheme::Resident, contribution_tier, identities, population, visits }
}
