//! Traces into the Chinese steps residents read: the one place where the pipeline's numbers
//! become sentences. Figures are looked up in the policy's provenance table by the ids each
//! trace carries, so no step spells out a path or a label, and the parameters a step lists are
//! exactly those its computation used.

use super::trace::{AssistanceTrace, BasicTrace, CapUse, CriticalIllnessTrace, MonitoringTrace, TiltedTrace, Trace};
use crate::ids::Layer;
use crate::money::{format_percent, Pct, Yuan};
use crate::policy::{DeductibleRule, ParamId, Policy, Status};
use crate::result::{Alert, AlertKind, Flag, ParamUse, Step};
use rust_decimal::Decimal;

/// A figure of the policy as a step shows it.
pub(crate) fn shown(policy: &Policy, id: ParamId) -> ParamUse {
    match policy.entry(id) {
        Some(e) => e.shown.clone(),
        // Only a policy built by hand, not read, lacks its table; say so rather than guess.
        None => ParamUse {
            path: String::new(),
            label: "（未登记的参数）".into(),
            display: String::new(),
            status: Status::Assumed,
            status_name: Status::Assumed.name_zh(),
            source: None,
            note: None,
        },
    }
}

fn params(policy: &Policy, ids: &[ParamId]) -> Vec<ParamUse> {
    ids.iter().map(|id| shown(policy, *id)).collect()
}

/// The step a trace reads as.
pub(crate) fn step(policy: &Policy, trace: &Trace) -> Step {
    match trace {
        Trace::BasicNotCovered { visit, reason } => Step {
            layer: Some(Layer::Basic),
            visit: Some(*visit),
            title: "基本医保：公开文件未规定".into(),
            lines: vec![reason.clone()],
            amount: None,
            params: vec![],
            flags: vec![Flag::NotCovered],
        },
        Trace::Basic(t) => basic(policy, t),
        Trace::FromSlip { layer, visit, in_scope, partial, paid, counted, used } => {
            let mut lines = vec![format!("结算单上{}已支付 {}，不再重新计算", layer.name_zh(), Yuan(*paid))];
            if *partial > Decimal::ZERO {
                lines.push(format!("结算单上乙类先行自付 {}（政策范围内费用 {} 的一部分）", Yuan(*partial), Yuan(*in_scope)));
            }
            if let Some((before, after)) = counted {
                lines.push(format!("本次个人负担仍计入年度累计：{} → {}", Yuan(*before), Yuan(*after)));
            }
            Step { layer: Some(*layer), visit: Some(*visit), title: format!("{}（按结算单）", layer.name_zh()), lines, amount: Some(*paid), params: params(policy, used), flags: vec![] }
        }
        Trace::LaterLayersSkipped { visit, kind } => Step {
            layer: None,
            visit: Some(*visit),
            title: "本次就诊无法测算后续各层".into(),
            lines: vec![format!(
                "{}的基本医保待遇公开文件未规定，无法得知基本医保支付后的个人负担，因此本次就诊的大病保险、医疗救助也无法测算，暂全部计入个人自付",
                kind.name_zh()
            )],
            amount: None,
            params: vec![],
            flags: vec![Flag::NotCovered],
        },
        Trace::NotInCriticalIllnessBase { visit, kind, used } => Step {
            layer: Some(Layer::CriticalIllness),
            visit: Some(*visit),
            title: "大病保险".into(),
            lines: vec![format!("{}的个人负担不计入大病保险", kind.name_zh())],
            amount: Some(Decimal::ZERO),
            params: params(policy, used),
            flags: vec![],
        },
        Trace::CriticalIllness(t) => critical_illness(policy, t),
        Trace::NoAssistanceRule { visit, identity, kind } => Step {
            layer: Some(Layer::Assistance),
            visit: Some(*visit),
            title: "医疗救助".into(),
            lines: vec![format!("本政策对{}的{}没有规定医疗救助", identity.name_zh(), kind.name_zh())],
            amount: Some(Decimal::ZERO),
            params: vec![],
            flags: vec![Flag::NotApplicable],
        },
        Trace::Assistance(t) => assistance(policy, t),
        Trace::ReferralMissing { visit, rule, used } => Step {
            layer: Some(Layer::TiltedAssistance),
            visit: Some(*visit),
            title: rule.name.clone(),
            lines: vec![format!("本次未规范转诊（或未在规定区域内就医），不计入{}", rule.name)],
            amount: Some(Decimal::ZERO),
            params: params(policy, used),
            flags: vec![Flag::ReferralRequired],
        },
        Trace::Tilted(t) => tilted(policy, t),
    }
}

fn basic(policy: &Policy, t: &BasicTrace) -> Step {
    let mut flags = Vec::new();
    let mut lines = Vec::new();
    lines.push(match t.deductible_rule {
        // A deductible of 0 is none, whatever the rule for charging one.
        _ if t.deductible.is_zero() => "不设起付线".to_string(),
        DeductibleRule::FirstVisitInYear if t.earlier_visits > 0 => "本年已非首次，不再扣起付线".to_string(),
        DeductibleRule::YearlyAmount if t.consumed_before > Decimal::ZERO => format!(
            "年度起付线 {}，此前已扣 {}，本次扣 {}",
            Yuan(t.deductible),
            Yuan(t.consumed_before),
            Yuan(t.charged)
        ),
        rule => format!("起付线 {}（{}），本次扣 {}", Yuan(t.deductible), rule.name_zh(), Yuan(t.charged)),
    });
    if t.charged > Decimal::ZERO {
        flags.push(Flag::DeductibleApplied);
    }
    if t.charged == t.in_scope && t.in_scope > Decimal::ZERO {
        flags.push(Flag::BelowThreshold);
        lines.push("政策范围内费用未超过起付线，基本医保不支付".into());
    }
    if let Some((ceiling, before)) = t.deductible_ceiling {
        lines.push(format!("年度起付线累计上限 {}，此前已扣 {}：本次起付线 {} 只扣 {}", Yuan(ceiling), Yuan(t.consumed_before), Yuan(before), Yuan(t.charged)));
    }
    let base = t.in_scope - t.partial;
    let mut minus = format!("{} − {}", Yuan(base), Yuan(t.charged));
    if let Some((ceiling, above)) = t.above_ceiling {
        let to = if policy.critical_illness.is_some() { "计入大病保险的个人负担" } else { "由个人负担" };
        lines.push(format!("政策范围内费用年度封顶 {}：本次有 {} 超过封顶，基本医保不支付，{to}", Yuan(ceiling), Yuan(above)));
        minus.push_str(&format!(" − {}", Yuan(above)));
    }
    if t.benefit.ratio.is_some() {
        let ratio_text = match t.bonus {
            Some(points) => {
                flags.push(Flag::TiltApplied);
                format!("({} + {})", Pct(t.ratio_before_bonus), Pct(points))
            }
            None => format_percent(t.ratio),
        };
        lines.push(format!("({minus}) × {} = {}", ratio_text, Yuan(t.payable)));
    } else {
        if t.bonus.is_some() {
            flags.push(Flag::TiltApplied);
        }
        lines.push(format!("本年累计政策范围内费用分段报销（{}）：", if t.benefit.segment_basis.as_ref().is_some_and(|b| b.value == crate::policy::SegmentBasis::ExcessOverThreshold) { "按起付线以上的累计费用分段" } else { "按累计费用分段" }));
        band_lines(&mut lines, &t.bands);
        lines.push(format!("合计 {}", Yuan(t.payable)));
    }
    pool_cap_lines(&mut lines, &mut flags, t.cap.as_ref(), t.cap_unstated, t.payable, t.paid);
    Step {
        layer: Some(Layer::Basic),
        visit: Some(t.visit),
        title: format!("基本医保·{}", t.benefit.name),
        lines,
        amount: Some(t.paid),
        params: params(policy, &t.used),
        flags,
    }
}

/// Each band a payout reached: `(top − lower) × ratio = amount` (basic insurance, critical
/// illness, assistance).
fn band_lines(lines: &mut Vec<String>, bands: &[(Decimal, Decimal, Decimal, Decimal)]) {
    for (lower, top, ratio, amount) in bands {
        lines.push(format!("({} − {}) × {} = {}", Yuan(*top), Yuan(*lower), Pct(*ratio), Yuan(*amount)));
    }
}

/// The yearly cap pool a rule draws from (basic insurance, assistance): the line when it cut
/// the payout, or the line that the documents state no amount for it.
fn pool_cap_lines(lines: &mut Vec<String>, flags: &mut Vec<Flag>, cap: Option<&CapUse>, unstated_label: Option<&str>, payable: Decimal, paid: Decimal) {
    if let Some(cap) = cap {
        if paid < payable {
            flags.push(Flag::CapReached);
            lines.push(format!("{} {}，本年剩余 {}，本次只付 {}", cap.pool.label, Yuan(cap.amount), Yuan(cap.left), Yuan(paid)));
        }
    }
    if let Some(label) = unstated_label {
        unstated(lines, label, paid);
    }
}

/// The line of a payout that counted no cap because the documents state none.
fn unstated(lines: &mut Vec<String>, label: &str, paid: Decimal) {
    if paid > Decimal::ZERO {
        lines.push(format!("{label}：公开文件未说明，按不封顶计算"));
    }
}

/// One alert for every cap the documents leave unstated that a payout went past without.
pub(crate) fn unstated_cap_alert(traces: &[Trace]) -> Option<Alert> {
    let mut labels: Vec<String> = Vec::new();
    let mut add = |l: String| {
        if !labels.contains(&l) {
            labels.push(l);
        }
    };
    for t in traces {
        match t {
            Trace::Basic(b) if b.paid > Decimal::ZERO => b.cap_unstated.into_iter().for_each(|l| add(format!("基本医保·{l}"))),
            Trace::Assistance(a) if a.paid > Decimal::ZERO => a.cap_unstated.into_iter().for_each(|l| add(format!("医疗救助·{l}"))),
            Trace::CriticalIllness(c) if c.cap_unstated && c.paid > Decimal::ZERO => add("大病保险年度最高支付限额".into()),
            Trace::Tilted(x) if x.cap_unstated && x.paid > Decimal::ZERO => add(format!("{}年度最高救助限额", x.rule.name)),
            _ => {}
        }
    }
    (!labels.is_empty()).then(|| Alert {
        kind: AlertKind::CapUnstated,
        title: "部分限额公开文件未说明".into(),
        message: format!("{}：公开文件没有说明金额，本结果按不封顶计算，实际支付可能更少。", labels.join("、")),
    })
}

fn critical_illness(policy: &Policy, t: &CriticalIllnessTrace) -> Step {
    let first = if t.partial > Decimal::ZERO {
        format!(
            "本次计入的个人负担：政策范围内 {} − 基本医保 {} − 乙类先行自付 {}（不计入） = {}",
            Yuan(t.in_scope),
            Yuan(t.in_scope - t.burden - t.partial),
            Yuan(t.partial),
            Yuan(t.burden)
        )
    } else {
        format!("本次计入的个人负担：政策范围内 {} − 基本医保 {} = {}", Yuan(t.in_scope), Yuan(t.in_scope - t.burden), Yuan(t.burden))
    };
    let mut lines = vec![
        first,
        format!("年度累计个人负担：{} → {}，起付线 {}", Yuan(t.before), Yuan(t.after), Yuan(t.threshold)),
    ];
    let mut flags = Vec::new();
    if let Some(tilt) = t.tilt {
        flags.push(Flag::TiltApplied);
        let who = t.who;
        let mut line = match t.threshold_factor {
            Some(f) => format!("{who}倾斜支付：起付线 {} × {} = {}", Yuan(t.ordinary_threshold), Pct(f), Yuan(t.threshold)),
            None => format!("{who}倾斜支付：起付线 {}", Yuan(t.threshold)),
        };
        if let Some(p) = t.points {
            line.push_str(&format!("，各段比例提高 {} 个百分点", (p * Decimal::ONE_HUNDRED).normalize()));
        }
        if tilt.cap_removed.value {
            line.push_str("，不设封顶线");
        }
        lines.push(line);
    }
    if t.after <= t.threshold && t.ordinary_higher.is_none() {
        flags.push(Flag::BelowThreshold);
        lines.push("累计个人负担未超过起付线，大病保险不支付".into());
    } else {
        band_lines(&mut lines, &t.bands);
        if let Some(last_upper) = t.beyond_last {
            flags.push(Flag::BeyondLastSegment);
            lines.push(format!("累计负担超过最后一段上限 {} 的部分，大病保险不再支付", Yuan(last_upper)));
        }
        if let (Some(cap), true) = (t.cap, t.capped) {
            flags.push(Flag::CapReached);
            lines.push(format!("年度最高支付限额 {}", Yuan(cap)));
        }
        if let Some((threshold, plain, own)) = t.ordinary_higher {
            lines.push(format!(
                "按普通参保人标准（起付线 {}）累计应付 {}，高于{}倾斜支付标准的 {}；按“就高不就低”取普通标准",
                Yuan(threshold),
                Yuan(plain),
                t.who,
                Yuan(own)
            ));
        }
        // “此前累计应付”, not “已付”: after a 结算单's payout, what was paid is the slip's.
        lines.push(format!("年度累计应付 {} − 此前累计应付 {} = 本次 {}", Yuan(t.paid_after), Yuan(t.paid_before), Yuan(t.paid)));
        if t.cap_unstated && t.beyond_last.is_none() {
            unstated(&mut lines, "大病保险年度最高支付限额", t.paid);
        }
    }
    Step {
        layer: Some(Layer::CriticalIllness),
        visit: Some(t.visit),
        title: "大病保险".into(),
        lines,
        amount: Some(t.paid),
        params: params(policy, &t.used),
        flags,
    }
}

fn assistance(policy: &Policy, t: &AssistanceTrace) -> Step {
    let mut flags = Vec::new();
    let mut lines = vec![if t.partial > Decimal::ZERO {
        format!(
            "救助基数：政策范围内 {} − 基本医保和大病保险已付 {} − 乙类先行自付 {}（不计入） = {}（含起付线以下的个人负担）",
            Yuan(t.in_scope),
            Yuan(t.in_scope - t.base - t.partial),
            Yuan(t.partial),
            Yuan(t.base)
        )
    } else {
        format!("救助基数：政策范围内 {} − 基本医保和大病保险已付 {} = {}（含起付线以下的个人负担）", Yuan(t.in_scope), Yuan(t.in_scope - t.base), Yuan(t.base))
    }];
    match t.threshold {
        Some(threshold) => {
            lines.push(format!("年度起付线 {}，此前已计 {}，本次计 {}", Yuan(threshold), Yuan(t.consumed_before), Yuan(t.take)));
            if t.take == t.base && t.base > Decimal::ZERO {
                flags.push(Flag::BelowThreshold);
            }
        }
        None if t.admission_threshold.is_none() => lines.push("不设起付线".into()),
        None => {}
    }
    let mut minus = format!("{} − {}", Yuan(t.base), Yuan(t.take));
    if let Some((own, took)) = t.admission_threshold {
        lines.push(format!("每次起付线 {}，本次计 {}", Yuan(own), Yuan(took)));
        minus.push_str(&format!(" − {}", Yuan(took)));
    }
    let before_cap = t.admission_cap.map_or(t.payable, |(_, before)| before);
    if t.bands.is_empty() {
        lines.push(format!("({minus}) × {} = {}", Pct(t.ratio), Yuan(before_cap)));
    } else {
        let per_visit = t.rule.segment_basis.as_ref().is_some_and(|b| b.value == crate::policy::SegmentBasis::Admission);
        lines.push(format!("分段救助（{}，{minus} 的部分）：", if per_visit { "本次" } else { "本年累计" }));
        band_lines(&mut lines, &t.bands);
        lines.push(format!("合计 {}", Yuan(before_cap)));
    }
    if let Some((cap, _)) = t.admission_cap {
        flags.push(Flag::CapReached);
        lines.push(format!("每次最高救助 {}，本次只付 {}", Yuan(cap), Yuan(t.payable)));
    }
    pool_cap_lines(&mut lines, &mut flags, t.cap.as_ref(), t.cap_unstated, t.payable, t.paid);
    Step {
        layer: Some(Layer::Assistance),
        visit: Some(t.visit),
        title: format!("医疗救助·{}", t.rule.name),
        lines,
        amount: Some(t.paid),
        params: params(policy, &t.used),
        flags,
    }
}

fn tilted(policy: &Policy, t: &TiltedTrace) -> Step {
    let name = &t.rule.name;
    let mut flags = Vec::new();
    let mut lines = vec![if t.partial > Decimal::ZERO {
        format!("本次经三重制度后政策范围内个人负担 {}（乙类先行自付 {} 不计入）", Yuan(t.base), Yuan(t.partial))
    } else {
        format!("本次经三重制度后政策范围内个人负担 {}", Yuan(t.base))
    }];
    if let Some(own) = t.admission_threshold {
        lines.push(format!("每次起付标准 {}，本次超过的部分 {}", Yuan(own), Yuan(t.after - t.before)));
    }
    let threshold = t.threshold.unwrap_or_default();
    // Without a yearly threshold, nothing is said of one.
    let yearly = |text: &str| t.threshold.map(|th| format!("{text}{}", Yuan(th))).unwrap_or_default();
    lines.push(format!("年度累计：{} → {}{}", Yuan(t.before), Yuan(t.after), yearly("，起付标准 ")));
    if t.after <= threshold {
        flags.push(Flag::BelowThreshold);
        lines.push(format!("累计未超过起付标准，{name}不支付"));
    } else {
        lines.push(format!("({}{}) × {} = {}", Yuan(t.after), yearly(" − "), Pct(t.ratio), Yuan((t.after - threshold) * t.ratio)));
        if let (Some((_, cap)), true) = (t.cap, t.capped) {
            flags.push(Flag::CapReached);
            lines.push(format!("年度最高救助限额 {}", Yuan(cap)));
        }
        lines.push(format!("年度累计应付 {} − 此前已付 {} = 本次 {}", Yuan(t.paid_after), Yuan(t.paid_before), Yuan(t.paid)));
        if t.cap_unstated {
            unstated(&mut lines, "年度最高救助限额", t.paid);
        }
    }
    Step {
        layer: Some(Layer::TiltedAssistance),
        visit: Some(t.visit),
        title: name.clone(),
        lines,
        amount: Some(t.paid),
        params: params(policy, &t.used),
        flags,
    }
}

pub(crate) fn monitoring_step(policy: &Policy, t: &MonitoringTrace) -> Step {
    let mut lines = vec![format!("经基本医保、大病保险支付后，年度个人累计负担 {}", Yuan(t.burden))];
    for (line, factor, amount, over) in &t.lines {
        lines.push(format!(
            "{}线 {} × {} = {}：{}",
            line.name,
            Yuan(t.income),
            Pct(*factor),
            Yuan(*amount),
            if *over { "已超过" } else { "未超过" }
        ));
    }
    Step { layer: None, visit: None, title: "因病致贫返贫监测".into(), lines, amount: None, params: params(policy, &t.used), flags: vec![] }
}

/// The alerts of the monitoring lines crossed, with where to apply.
pub(crate) fn monitoring_alerts(t: &MonitoringTrace) -> Vec<Alert> {
    t.lines
        .iter()
        .filter(|(_, _, _, over)| *over)
        .map(|(line, _, amount, _)| Alert {
            kind: AlertKind::Monitoring,
            title: format!("个人负担已超过{}线", line.name),
            message: format!(
                "您今年经基本医保、大病保险支付后的个人负担 {} 元，超过{}线 {} 元，可能被纳入{}。可向{}申请医疗救助（依申请救助）。",
                Yuan(t.burden),
                line.name,
                Yuan(*amount),
                line.name,
                t.where_to_apply
            ),
        })
        .collect()
}

/// One alert per yearly cap used up, named by the cap's label.
pub(crate) fn cap_alerts(policy: &Policy, traces: &[Trace]) -> Vec<Alert> {
    let mut told: Vec<ParamId> = Vec::new();
    let mut alerts = Vec::new();
    for id in traces.iter().filter_map(Trace::cap_hit) {
        if !told.contains(&id) {
            told.push(id);
            alerts.push(Alert {
                kind: AlertKind::CapReached,
                title: "已达到年度最高支付限额".into(),
                message: format!("{}已用完，超出部分由个人负担或转入下一层保障。", shown(policy, id).label),
            });
        }
    }
    alerts
}

/// Every assumed figure the result relied on, once each, in the order first used.
pub(crate) fn assumptions(policy: &Policy, used: impl Iterator<Item = ParamId>) -> Vec<ParamUse> {
    let mut seen: Vec<ParamId> = Vec::new();
    let mut out = Vec::new();
    for id in used {
        if !seen.contains(&id) {
            seen.push(id);
            let p = shown(policy, id);
            if p.status == Status::Assumed {
                out.push(p);
            }
        }
    }
    out
}
