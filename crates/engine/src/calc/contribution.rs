//! 筹资: the yearly individual contribution of the tier, 资助参保 by identity, and who pays
//! the government subsidy.

use super::{param_use, Ctx};
use crate::ids::Identity;
use crate::money::{format_percent, format_yuan, round_fen};
use crate::policy::ParamKind;
use crate::result::{ContributionResult, FiscalPartResult, FiscalSplitResult};

pub(crate) fn compute(ctx: &Ctx, held: &[Identity]) -> Option<ContributionResult> {
    let policy = ctx.policy;
    let c = policy.contribution.as_ref()?;
    let mut params = Vec::new();
    let individual = c.individual.get(ctx.tier).map(|p| {
        params.push(param_use(policy, p));
        p.get()
    });
    let subsidy = c.government_subsidy.as_ref().map(|p| {
        params.push(param_use(policy, p));
        p.get()
    });
    // 资助参保 by the held identity that gives the largest share (就高不就低).
    let enrolment = c
        .subsidised_enrolment
        .iter()
        .enumerate()
        .flat_map(|(i, e)| e.identities.iter().filter(|id| held.contains(id)).map(move |id| (i, e, *id)))
        .max_by(|a, b| a.1.share.get().cmp(&b.1.share.get()).then(b.0.cmp(&a.0)));
    let (enrolment_subsidy, enrolment_identity, at_least) = match (enrolment, individual) {
        (Some((i, e, id)), Some(ind)) => {
            params.push(param_use(policy, &e.share));
            (Some(round_fen(ind * e.share.get())), Some(id), e.at_least)
        }
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
                            (a.get(), format!("{}（定额）", format_yuan(a.get())))
                        } else if let Some(s) = &part.share {
                            (round_fen(total * s.get()), format!("{} × {}", format_yuan(total), format_percent(s.get())))
                        } else if let Some(s) = &part.share_of_rest {
                            (round_fen(left * s.get()), format!("{} × {}", format_yuan(left), format_percent(s.get())))
                        } else {
                            (left, format!("余下 {}", format_yuan(left)))
                        };
                        left -= amount;
                        FiscalPartResult { payer: part.payer.clone(), amount, formula }
                    })
                    .collect();
                FiscalSplitResult { name: split.name.clone(), parts }
            })
            .collect(),
        None => Vec::new(),
    };
    for (i, split) in c.fiscal_split.iter().enumerate() {
        for (j, part) in split.parts.iter().enumerate() {
            for (field, p) in [("amount", &part.amount), ("share", &part.share), ("share_of_rest", &part.share_of_rest)] {
                if let Some(p) = p {
                    let kind = if field == "amount" { ParamKind::Amount } else { ParamKind::Ratio };
                    params.push(param_use(policy, p));
                }
            }
        }
    }
    Some(ContributionResult {
        individual,
        government_subsidy: subsidy,
        enrolment_subsidy,
        enrolment_identity,
        enrolment_at_least: at_least,
        resident_pays,
        fiscal_split,
        params,
    })
}
