//! Layer 4, 倾斜救助 / 重特大疾病医疗救助: the in-scope burden left after the three layers,
//! cumulative over the year's eligible visits, above a threshold, at a ratio, to a cap.
//! Like critical illness, a visit is paid `F(after) − F(before)`.

use super::{param_use, rule_use, Ctx, Recorder};
use crate::ids::{kinds_zh, Layer};
use crate::money::{format_percent, format_yuan, round_fen};
use crate::policy::{ParamKind, TiltedAssistance};
use crate::result::{Flag, Step};
use crate::scenario::Visit;
use rust_decimal::Decimal;

#[derive(Default)]
pub(crate) struct State<'p> {
    burden: Decimal,
    pub referral_missed: bool,
    pub cap_reached: Option<super::CapHit<'p>>,
}

fn cumulative(t: &TiltedAssistance, burden: Decimal) -> Decimal {
    let raw = (burden - t.threshold.get()).max(Decimal::ZERO) * t.ratio.get();
    round_fen(match &t.cap {
        Some(cap) => raw.min(cap.get()),
        None => raw,
    })
}

pub(crate) fn pay<'p>(ctx: &Ctx<'p>, st: &mut State<'p>, rec: &mut Recorder, i: usize, v: &Visit, base: Decimal) -> Decimal {
    let policy = ctx.policy;
    let (Some(t), Some(identity)) = (policy.tilted_assistance.as_ref(), ctx.identity) else { return Decimal::ZERO };
    if !t.identities.contains(&identity) || !t.kinds.value.contains(&v.kind) {
        return Decimal::ZERO;
    }
    if t.requires_referral.value && !v.referred {
        st.referral_missed = true;
        rec.step(|| Step {
            layer: Some(Layer::TiltedAssistance),
            visit: Some(i),
            title: t.name.clone(),
            lines: vec![format!("本次未规范转诊（或未在规定区域内就医），不计入{}", t.name)],
            amount: Some(Decimal::ZERO),
            params: vec![rule_use(policy, &t.requires_referral)],
            flags: vec![Flag::ReferralRequired],
        });
        return Decimal::ZERO;
    }
    let before = st.burden;
    let after = before + base;
    st.burden = after;
    let paid_before = cumulative(t, before);
    let paid_after = cumulative(t, after);
    let paid = paid_after - paid_before;
    let capped = t.cap.as_ref().is_some_and(|c| paid_after >= round_fen(c.get()));
    if capped && paid > Decimal::ZERO {
        st.cap_reached = Some(super::CapHit { layer: Layer::TiltedAssistance, label: &t.name });
    }

    rec.step(|| {
        let mut params = vec![
            rule_use(policy, &t.kinds),
            param_use(policy, &t.threshold),
            param_use(policy, &t.ratio),
        ];
        if t.requires_referral.value {
            params.push(rule_use(policy, &t.requires_referral));
        }
        let mut flags = Vec::new();
        let mut lines = vec![
            format!("本次经三重制度后政策范围内个人负担 {}", format_yuan(base)),
            format!("年度累计：{} → {}，起付标准 {}", format_yuan(before), format_yuan(after), format_yuan(t.threshold.get())),
        ];
        if after <= t.threshold.get() {
            flags.push(Flag::BelowThreshold);
            lines.push(format!("累计未超过起付标准，{}不支付", t.name));
        } else {
            lines.push(format!(
                "({} − {}) × {} = {}",
                format_yuan(after),
                format_yuan(t.threshold.get()),
                format_percent(t.ratio.get()),
                format_yuan((after - t.threshold.get()) * t.ratio.get())
            ));
            if let Some(cap) = &t.cap {
                params.push(param_use(policy, cap));
                if capped {
                    flags.push(Flag::CapReached);
                    lines.push(format!("年度最高救助限额 {}", format_yuan(cap.get())));
                }
            }
            lines.push(format!("年度累计应付 {} − 此前已付 {} = 本次 {}", format_yuan(paid_after), format_yuan(paid_before), format_yuan(paid)));
        }
        Step { layer: Some(Layer::TiltedAssistance), visit: Some(i), title: t.name.clone(), lines, amount: Some(paid), params, flags }
    });
    paid
}
