//! 因病致贫/返贫 monitoring: the year's personal burden after basic and critical illness
//! insurance, against lines drawn from last year's income.

use super::trace::{Meter, MonitoringTrace};
use super::Ctx;
use crate::ids::Identity;
use rust_decimal::Decimal;

/// The lines that apply to the resident and whether the burden crosses them.
pub(crate) fn check<'p>(ctx: &Ctx<'p>, held: &[Identity], burden: Decimal) -> Option<MonitoringTrace<'p>> {
    let m = ctx.policy.monitoring.as_ref()?;
    let mut meter = Meter::on();
    let income = meter.num(&m.income);
    let mut lines = Vec::new();
    for line in &m.lines {
        let applies = line.identities.as_ref().is_none_or(|ids| ids.iter().any(|id| held.contains(id)));
        if applies {
            let factor = meter.num(&line.factor);
            let amount = income * factor;
            lines.push((line, factor, amount, burden > amount));
        }
    }
    Some(MonitoringTrace { burden, income, lines, where_to_apply: &m.where_to_apply, used: meter.ids })
}
