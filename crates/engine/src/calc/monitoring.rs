//! 因病致贫/返贫 monitoring: the year's personal burden after basic and critical illness
//! insurance, against lines drawn from last year's income. Residents are told where to apply.

use super::{param_use, Ctx};
use crate::ids::Identity;
use crate::money::{format_percent, format_yuan};
use crate::policy::ParamKind;
use crate::result::{Alert, AlertKind, Step};
use rust_decimal::Decimal;

pub(crate) fn alerts(ctx: &Ctx, held: &[Identity], burden: Decimal, steps: &mut Vec<Step>) -> Vec<Alert> {
    let policy = ctx.policy;
    let Some(m) = policy.monitoring.as_ref() else { return Vec::new() };
    let mut alerts = Vec::new();
    let mut lines = vec![format!("经基本医保、大病保险支付后，年度个人累计负担 {}", format_yuan(burden))];
    let mut params = vec![param_use(policy, &m.income)];
    for (i, line) in m.lines.iter().enumerate() {
        let applies = line.identities.as_ref().is_none_or(|ids| ids.iter().any(|id| held.contains(id)));
        if !applies {
            continue;
        }
        let amount = m.income.get() * line.factor.get();
        params.push(param_use(policy, &line.factor));
        let over = burden > amount;
        lines.push(format!(
            "{}线 {} × {} = {}：{}",
            line.name,
            format_yuan(m.income.get()),
            format_percent(line.factor.get()),
            format_yuan(amount),
            if over { "已超过" } else { "未超过" }
        ));
        if over {
            alerts.push(Alert {
                kind: AlertKind::Monitoring,
                title: format!("个人负担已超过{}线", line.name),
                message: format!(
                    "您今年经基本医保、大病保险支付后的个人负担 {} 元，超过{}线 {} 元，可能被纳入{}。可向{}申请医疗救助（依申请救助）。",
                    format_yuan(burden),
                    line.name,
                    format_yuan(amount),
                    line.name,
                    m.where_to_apply
                ),
            });
        }
    }
    steps.push(Step { layer: None, visit: None, title: "因病致贫返贫监测".into(), lines, amount: None, params, flags: vec![] });
    alerts
}
