//! 筹资: the yearly individual contribution of the tier, 资助参保 by identity, and who pays
//! the government subsidy.

use super::trace::Meter;
use super::Ctx;
use crate::ids::Identity;
use crate::money::{round_fen, Pct, Yuan};
use crate::result::{ContributionResult, FiscalPartResult, FiscalSplitResult};

/// The contribution, and the ids of the figures it used.
pub(crate) fn compute(ctx: &Ctx, held: &[Identity]) -> Option<(ContributionResult, Vec<crate::policy::ParamId>)> {
    let policy = ctx.policy;
    let c = policy.contribution.as_ref()?;
    let mut m = Meter::on();
    let individual = c.individual.get(ctx.tier).map(|p| m.num(p));
    let subsidy = c.government_subsidy.as_ref().map(|p| m.num(p));
    // 资助参保 by the held identity that gives the largest share (就高不就低).
    let enrolment = c
        .subsidised_enrolment
        .iter()
        .enumerate()
        .flat_map(|(i, e)| e.identities.iter().filter(|id| held.contains(id)).map(move |id| (i, e, *id)))
        .max_by(|a, b| a.1.share.get().cmp(&b.1.share.get()).then(b.0.cmp(&a.0)));
    let (enrolment_subsidy, enrolment_identity, at_least) = match (enrolment, individual) {
        (Some((_, e, id)), Some(ind)) => (Some(round_fen(ind * m.num(&e.share))), Some(id), e.at_least),
        _ => (None, None, false),
    };
    let resident_pays = individual.map(|ind| ind - enrolment_subsidy.unwrap_or_default());
    let fiscal_split = match subsidy {
        Some(total) => c
            .fiscal_split
            .iter()
            .map(|split| {
                let mut left = total;
                let parts = split
                    .parts
                    .iter()
                    .map(|part| {
                        let (amount, formula) = if let Some(a) = &part.amount {
                            let a = m.num(a);
                            (a, format!("{}（定额）", Yuan(a)))
                        } else if let Some(s) = &part.share {
                            let s = m.num(s);
                            (round_fen(total * s), format!("{} × {}", Yuan(total), Pct(s)))
                        } else if let Some(s) = &part.share_of_rest {
                            let s = m.num(s);
                            (round_fen(left * s), format!("{} × {}", Yuan(left), Pct(s)))
                        } else {
                            (left, format!("余下 {}", Yuan(left)))
                        };
                        left = left - amount;
                        FiscalPartResult { payer: part.payer.clone(), amount, formula }
                    })
                    .collect();
                FiscalSplitResult { name: split.name.clone(), parts }
            })
            .collect(),
        None => Vec::new(),
    };
    // Every split's figures are shown, also when there is no subsidy to split.
    for part in c.fiscal_split.iter().flat_map(|s| &s.parts) {
        for p in [&part.amount, &part.share, &part.share_of_rest].into_iter().flatten() {
            m.num(p);
        }
    }
    let params = m.ids.iter().map(|id| super::explain::shown(policy, *id)).collect();
    Some((ContributionResult {
        individual,
        government_subsidy: subsidy,
        enrolment_subsidy,
        enrolment_identity,
        enrolment_at_least: at_least,
        resident_pays,
        fiscal_split,
        params,
    }, m.ids))
}
