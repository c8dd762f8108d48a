//! One traversal of every parameter in a policy, with its JSON path and what kind of number
//! it is. Validation resolves through it; lint and listings read through it.

use super::*;

/// What a number means, which decides its valid range and how it is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// Yuan: 0 ..= MAX_POLICY_AMOUNT.
    Amount,
    /// A payout ratio or a share: 0 ..= 100%.
    Ratio,
    /// Percentage points added to a ratio: 0 ..= 100%.
    Points,
    /// A multiplier of a statistic (e.g. 6 × income): 0 ..= 100.
    Factor,
}

pub(crate) fn walk(policy: &mut Policy, f: &mut dyn FnMut(&str, ParamKind, &mut Param)) {
    use ParamKind::*;
    for (key, stat) in policy.statistics.iter_mut() {
        f(&format!("statistics.{key}.value"), Amount, &mut stat.value);
    }
    if let Some(basic) = policy.basic.as_mut() {
        for (i, b) in basic.benefits.iter_mut().enumerate() {
            for (level, p) in b.deductible.entries_mut() {
                f(&format!("basic.benefits[{i}].deductible.{level}"), Amount, p);
            }
            for (tier, table) in b.ratio.iter_mut() {
                for (level, p) in table.entries_mut() {
                    f(&format!("basic.benefits[{i}].ratio.{tier}.{level}"), Ratio, p);
                }
            }
            for (j, bonus) in b.ratio_bonus.iter_mut().enumerate() {
                f(&format!("basic.benefits[{i}].ratio_bonus[{j}].points"), Points, &mut bonus.points);
            }
        }
        for (key, cap) in basic.caps.iter_mut() {
            if let Some(p) = cap.amount.as_mut() {
                f(&format!("basic.caps.{key}.amount"), Amount, p);
            }
        }
    }
    if let Some(ci) = policy.critical_illness.as_mut() {
        f("critical_illness.threshold", Amount, &mut ci.threshold);
        for (i, s) in ci.segments.iter_mut().enumerate() {
            if let Some(p) = s.up_to.as_mut() {
                f(&format!("critical_illness.segments[{i}].up_to"), Amount, p);
            }
            f(&format!("critical_illness.segments[{i}].ratio"), Ratio, &mut s.ratio);
        }
        if let Some(p) = ci.cap.as_mut() {
            f("critical_illness.cap", Amount, p);
        }
        for (i, t) in ci.tilts.iter_mut().enumerate() {
            if let Some(p) = t.threshold.as_mut() {
                f(&format!("critical_illness.tilts[{i}].threshold"), Amount, p);
            }
            if let Some(p) = t.threshold_factor.as_mut() {
                f(&format!("critical_illness.tilts[{i}].threshold_factor"), Ratio, p);
            }
            if let Some(p) = t.ratio_points.as_mut() {
                f(&format!("critical_illness.tilts[{i}].ratio_points"), Points, p);
            }
        }
    }
    if let Some(a) = policy.assistance.as_mut() {
        for (i, c) in a.categories.iter_mut().enumerate() {
            for (j, r) in c.rules.iter_mut().enumerate() {
                if let Some(p) = r.threshold.as_mut() {
                    f(&format!("assistance.categories[{i}].rules[{j}].threshold"), Amount, p);
                }
                f(&format!("assistance.categories[{i}].rules[{j}].ratio"), Ratio, &mut r.ratio);
            }
            for (key, cap) in c.caps.iter_mut() {
                if let Some(p) = cap.amount.as_mut() {
                    f(&format!("assistance.categories[{i}].caps.{key}.amount"), Amount, p);
                }
            }
        }
    }
    if let Some(t) = policy.tilted_assistance.as_mut() {
        f("tilted_assistance.threshold", Amount, &mut t.threshold);
        f("tilted_assistance.ratio", Ratio, &mut t.ratio);
        if let Some(p) = t.cap.as_mut() {
            f("tilted_assistance.cap", Amount, p);
        }
    }
    if let Some(m) = policy.monitoring.as_mut() {
        f("monitoring.income", Amount, &mut m.income);
        for (i, line) in m.lines.iter_mut().enumerate() {
            f(&format!("monitoring.lines[{i}].factor"), Factor, &mut line.factor);
        }
    }
    if let Some(c) = policy.contribution.as_mut() {
        for (tier, p) in c.individual.iter_mut() {
            f(&format!("contribution.individual.{tier}"), Amount, p);
        }
        if let Some(p) = c.government_subsidy.as_mut() {
            f("contribution.government_subsidy", Amount, p);
        }
        for (i, e) in c.subsidised_enrolment.iter_mut().enumerate() {
            f(&format!("contribution.subsidised_enrolment[{i}].share"), Ratio, &mut e.share);
        }
        for (i, split) in c.fiscal_split.iter_mut().enumerate() {
            for (j, part) in split.parts.iter_mut().enumerate() {
                let base = format!("contribution.fiscal_split[{i}].parts[{j}]");
                if let Some(p) = part.amount.as_mut() {
                    f(&format!("{base}.amount"), Amount, p);
                }
                if let Some(p) = part.share.as_mut() {
                    f(&format!("{base}.share"), Ratio, p);
                }
                if let Some(p) = part.share_of_rest.as_mut() {
                    f(&format!("{base}.share_of_rest"), Ratio, p);
                }
            }
        }
    }
}
