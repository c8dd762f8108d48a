//! Layer 3, 医疗救助: for the applied identity's category, the in-scope burden left after
//! insurance (including what fell under deductibles), above a yearly threshold, at a ratio,
//! within yearly caps the category's rules may share.

use super::{draw, param_use, rule_use, slot, Ctx, Recorder};
use crate::ids::{kinds_zh, Layer};
use crate::money::{format_percent, format_yuan, round_fen};
use crate::policy::ParamKind;
use crate::result::{Flag, Step};
use crate::scenario::Visit;
use rust_decimal::Decimal;

/// Yearly state of the applied identity's category (one category per run).
#[derive(Default)]
pub(crate) struct State<'p> {
    /// Per rule index: threshold consumed this year.
    thresholds: Vec<(usize, Decimal)>,
    /// Per cap pool: paid this year.
    caps: Vec<(&'p str, Decimal)>,
    pub caps_reached: Vec<super::CapHit<'p>>,
}

pub(crate) fn pay<'p>(ctx: &Ctx<'p>, st: &mut State<'p>, rec: &mut Recorder, i: usize, v: &Visit, base: Decimal) -> Decimal {
    let policy = ctx.policy;
    let (Some(assistance), Some(identity)) = (policy.assistance.as_ref(), ctx.identity) else { return Decimal::ZERO };
    let Some((ci, category)) = assistance.categories.iter().enumerate().find(|(_, c)| c.identities.contains(&identity)) else {
        return Decimal::ZERO;
    };
    let Some((ri, rule)) = category.rules.iter().enumerate().find(|(_, r)| r.kinds.value.contains(&v.kind)) else {
        rec.step(|| Step {
            layer: Some(Layer::Assistance),
            visit: Some(i),
            title: "医疗救助".into(),
            lines: vec![format!("本政策对{}的{}没有规定医疗救助", identity.name_zh(), v.kind.name_zh())],
            amount: Some(Decimal::ZERO),
            params: vec![],
            flags: vec![Flag::NotApplicable],
        });
        return Decimal::ZERO;
    };
    let threshold = rule.threshold.as_ref().map_or(Decimal::ZERO, |t| t.get());
    let used = slot(&mut st.thresholds, ri);
    let consumed_before = *used;
    let take = (threshold - *used).max(Decimal::ZERO).min(base);
    *used += take;
    let payable = round_fen((base - take) * rule.ratio.get());
    let cap = rule.cap_pool.as_ref().and_then(|k| category.caps.get(k).map(|c| (k, c)));
    let (paid, left) = match cap.and_then(|(k, c)| c.amount.as_ref().map(|a| (k, c, a))) {
        Some((key, c, amount)) => {
            let (paid, left) = draw(&mut st.caps, key, amount.get(), payable);
            if paid < payable {
                st.caps_reached.push(super::CapHit { layer: Layer::Assistance, label: &c.label });
            }
            (paid, Some(left))
        }
        None => (payable, None),
    };

    rec.step(|| {
        let path = format!("assistance.categories[{ci}].rules[{ri}]");
        let mut params = vec![rule_use(policy, &rule.kinds)];
        let mut flags = Vec::new();
        let mut lines = vec![format!(
            "救助基数：政策范围内 {} − 基本医保和大病保险已付 {} = {}（含起付线以下的个人负担）",
            format_yuan(v.in_scope.get()),
            format_yuan(v.in_scope.get() - base),
            format_yuan(base)
        )];
        match &rule.threshold {
            Some(t) => {
                params.push(param_use(policy, t));
                lines.push(format!("年度起付线 {}，此前已计 {}，本次计 {}", format_yuan(threshold), format_yuan(consumed_before), format_yuan(take)));
                if take == base && base > Decimal::ZERO {
                    flags.push(Flag::BelowThreshold);
                }
            }
            None => lines.push("不设起付线".into()),
        }
        params.push(param_use(policy, &rule.ratio));
        lines.push(format!("({} − {}) × {} = {}", format_yuan(base), format_yuan(take), format_percent(rule.ratio.get()), format_yuan(payable)));
        if let Some((key, c)) = cap {
            if let Some(amount) = &c.amount {
                params.push(param_use(policy, amount));
                if paid < payable {
                    flags.push(Flag::CapReached);
                    lines.push(format!("{} {}，本年剩余 {}，本次只付 {}", c.label, format_yuan(amount.get()), format_yuan(left.unwrap_or_default()), format_yuan(paid)));
                }
            }
        }
        Step { layer: Some(Layer::Assistance), visit: Some(i), title: format!("医疗救助·{}", rule.name), lines, amount: Some(paid), params, flags }
    });
    paid
}
