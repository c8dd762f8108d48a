//! `yibao lint`: a policy checked against the norms of the higher-level documents.
//!
//! Every finding names its check, the JSON path it is about, and the norm with its source
//! (seed file and clause, see [`crate::norms`]). Severities:
//!
//! - **error**: the policy breaks a norm (or the format); `yibao lint` exits non-zero;
//! - **warning**: something to verify before publishing: an assumed parameter (参考值), a check
//!   that could not be made for lack of data or because a figure is beyond its arithmetic
//!   (checked: no figure that validates stops lint), an estimate outside the norm's band;
//! - **info**: context (a layer the documents do not cover, a flat level gradient …);
//! - **ok**: a check that passed, with the figures it compared.
//!
//! “Last year's per-capita disposable income” is the statistic whose `role` is
//! `disposable_income` (docs/policy-format.md); without one, the income checks are warnings.

use crate::norms::{self, Norm};
use crate::share::{self, ShareError, ShareEstimate};
use rust_decimal::Decimal;
use serde::Serialize;
use yibao_engine::compare::parameters;
use yibao_engine::ids::{Identity, VisitKind};
use yibao_engine::money::{format_percent, format_yuan};
use yibao_engine::policy::{Cap, CriticalIllness, Dimension, Param, ParamKind, PolicyError, SegmentBasis, StatisticRole, Status, Table};
use yibao_engine::result::PolicyRef;
use yibao_engine::Policy;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Ok,
}

impl Severity {
    pub fn name_zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
            Severity::Ok => "通过",
        }
    }
}

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// The file does not parse or does not validate.
    Format,
    /// Last year's per-capita disposable income (the statistic with role `disposable_income`).
    Income,
    CriticalIllnessThreshold,
    CombinedCap,
    CriticalIllnessRatio,
    /// A tilt's own threshold above the ordinary one.
    CriticalIllnessTilt,
    CriticalIllnessRising,
    SegmentsRising,
    RatioRange,
    AssistanceRatio,
    SubsidisedEnrolment,
    LevelGradient,
    InScopeShare,
    Assumed,
    NotCovered,
}

impl Check {
    pub const ALL: &'static [Check] = &[
        Check::Format,
        Check::Income,
        Check::CriticalIllnessThreshold,
        Check::CombinedCap,
        Check::CriticalIllnessRatio,
        Check::CriticalIllnessTilt,
        Check::CriticalIllnessRising,
        Check::SegmentsRising,
        Check::RatioRange,
        Check::AssistanceRatio,
        Check::SubsidisedEnrolment,
        Check::LevelGradient,
        Check::InScopeShare,
        Check::Assumed,
        Check::NotCovered,
    ];

    /// The norm this check applies.
    pub fn norm(self) -> Option<Norm> {
        Some(match self {
            Check::Format | Check::RatioRange | Check::SegmentsRising => norms::FORMAT,
            Check::Income | Check::CriticalIllnessThreshold => norms::CRITICAL_ILLNESS_THRESHOLD,
            Check::CombinedCap => norms::COMBINED_CAP,
            Check::CriticalIllnessRatio => norms::CRITICAL_ILLNESS_RATIO,
            Check::CriticalIllnessTilt => norms::CRITICAL_ILLNESS_TILT,
            Check::CriticalIllnessRising => norms::CRITICAL_ILLNESS_RISING,
            Check::AssistanceRatio => norms::ASSISTANCE_RATIO,
            Check::SubsidisedEnrolment => norms::SUBSIDISED_ENROLMENT,
            Check::LevelGradient => norms::LEVEL_GRADIENT,
            Check::InScopeShare => norms::IN_SCOPE_SHARE,
            Check::Assumed => norms::ASSUMED,
            Check::NotCovered => return None,
        })
    }

    pub fn id(self) -> &'static str {
        match self {
            Check::Format => "format",
            Check::Income => "income",
            Check::CriticalIllnessThreshold => "critical_illness_threshold",
            Check::CombinedCap => "combined_cap",
            Check::CriticalIllnessRatio => "critical_illness_ratio",
            Check::CriticalIllnessTilt => "critical_illness_tilt",
            Check::CriticalIllnessRising => "critical_illness_rising",
            Check::SegmentsRising => "segments_rising",
            Check::RatioRange => "ratio_range",
            Check::AssistanceRatio => "assistance_ratio",
            Check::SubsidisedEnrolment => "subsidised_enrolment",
            Check::LevelGradient => "level_gradient",
            Check::InScopeShare => "in_scope_share",
            Check::Assumed => "assumed",
            Check::NotCovered => "not_covered",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub check: Check,
    /// JSON path in the policy file, when the finding is about one place.
    pub path: Option<String>,
    /// What was found, in Chinese, with the figures compared.
    pub message: String,
    /// The norm and its source.
    pub norm: Option<Norm>,
}

/// The income the norms refer to, as found in the policy.
#[derive(Clone, Debug, Serialize)]
pub struct IncomeUsed {
    /// The key in `statistics`.
    pub key: String,
    pub label: String,
    #[serde(serialize_with = "yuan")]
    pub value: Decimal,
    pub status: Status,
}

impl IncomeUsed {
    /// Its JSON path, e.g. `statistics.income_2022.value`.
    pub fn path(&self) -> String {
        format!("statistics.{}.value", self.key)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The policy, when it could be read.
    pub policy: Option<PolicyRef>,
    pub income: Option<IncomeUsed>,
    pub in_scope_share: Option<ShareEstimate>,
    pub findings: Vec<Finding>,
    pub errors: usize,
    pub warnings: usize,
}

impl Report {
    /// No errors (warnings allowed).
    pub fn passed(&self) -> bool {
        self.errors == 0
    }

    pub fn of(&self, check: Check) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.check == check)
    }

    fn finish(mut self) -> Report {
        self.errors = self.findings.iter().filter(|f| f.severity == Severity::Error).count();
        self.warnings = self.findings.iter().filter(|f| f.severity == Severity::Warning).count();
        self
    }
}

/// The band around 6 × income that counts as “about 6 times”: below 90% of it is an error.
pub const COMBINED_CAP_FACTOR: Decimal = Decimal::from_parts(6, 0, 0, false, 0);
pub const COMBINED_CAP_LOW: Decimal = Decimal::from_parts(90, 0, 0, false, 2);
pub const COMBINED_CAP_HIGH: Decimal = Decimal::from_parts(110, 0, 0, false, 2);
const SIXTY: Decimal = Decimal::from_parts(60, 0, 0, false, 2);
const SEVENTY: Decimal = Decimal::from_parts(70, 0, 0, false, 2);
const FORTY_FIVE: Decimal = Decimal::from_parts(45, 0, 0, false, 2);

/// A file that does not parse or validate: each problem is an error of the format.
pub fn lint_error(error: &PolicyError) -> Report {
    let findings = error
        .problems()
        .into_iter()
        .map(|p| Finding { severity: Severity::Error, check: Check::Format, path: Some(p.path), message: p.message, norm: Check::Format.norm() })
        .collect();
    Report { policy: None, income: None, in_scope_share: None, findings, errors: 0, warnings: 0 }.finish()
}

/// Lints a validated policy.
pub fn lint(policy: &Policy) -> Report {
    let mut l = Linter { p: policy, findings: Vec::new() };
    let income = l.income();
    l.critical_illness(income.as_ref());
    l.combined_cap(income.as_ref());
    l.ratio_range();
    l.assistance();
    l.enrolment();
    l.level_gradient();
    let share = l.in_scope_share();
    l.not_covered();
    l.assumed();
    Report {
        policy: Some(PolicyRef::of(policy)),
        income,
        in_scope_share: share,
        findings: l.findings,
        errors: 0,
        warnings: 0,
    }
    .finish()
}

struct Linter<'a> {
    p: &'a Policy,
    findings: Vec<Finding>,
}

impl Linter<'_> {
    /// A figure's path, from the policy's provenance table.
    fn at(&self, p: &yibao_engine::policy::Param) -> Option<String> {
        self.p.entry(p.id).map(|e| e.decl.path.clone())
    }

    fn add(&mut self, severity: Severity, check: Check, path: Option<String>, message: String) {
        let norm = check.norm();
        // A norm that took effect after the policy's year is context, not an error.
        let (severity, message) = match norm {
            Some(n) if severity == Severity::Error && self.p.year < n.since => {
                (Severity::Info, format!("{message}（该规范自 {} 年起适用，本政策为 {} 年，仅作提示）", n.since, self.p.year))
            }
            _ => (severity, message),
        };
        self.findings.push(Finding { severity, check, path, message, norm });
    }

    /// A check whose arithmetic on a figure goes beyond what a `Decimal` holds (28 significant
    /// digits): validation bounds every figure, but a ratio of two of them can still overflow
    /// (10 billion over 0.0000000000000000000000000001). The check says so instead of the
    /// tool stopping.
    fn out_of_range(&mut self, check: Check, path: String, what: &str) {
        self.add(
            Severity::Warning,
            check,
            Some(path),
            format!("{what}超出本检查能计算的范围（最多 28 位有效数字），未能算出；请核对该数字 (the figure is out of the range this check can handle)"),
        );
    }

    fn income(&mut self) -> Option<IncomeUsed> {
        match self.p.statistic_with_role(StatisticRole::DisposableIncome) {
            Some((key, s)) => {
                let used = IncomeUsed { key: key.to_string(), label: s.label.clone(), value: s.value.get(), status: s.value.status() };
                if used.status == Status::Assumed {
                    self.add(
                        Severity::Warning,
                        Check::Income,
                        Some(used.path()),
                        format!("上年度居民人均可支配收入用的是参考值 {}（{}）：起付线和总限额的检查只能作参考", format_yuan(used.value), used.label),
                    );
                }
                Some(used)
            }
            None => {
                self.add(
                    Severity::Warning,
                    Check::Income,
                    Some("statistics".into()),
                    "没有用途为 disposable_income 的统计数字，无法检查大病保险起付线和总限额：在 statistics 中加入上年度居民人均可支配收入，并写 \"role\": \"disposable_income\"".into(),
                );
                None
            }
        }
    }

    fn critical_illness(&mut self, income: Option<&IncomeUsed>) {
        let Some(ci) = &self.p.critical_illness else { return };
        // A threshold that differs by tier, group or identity: the highest is the one checked.
        let Some(top) = highest(&ci.threshold) else { return };
        let threshold = top.get();
        if let Some(inc) = income {
            let (sev, verb) = if threshold > inc.value { (Severity::Error, "高于") } else { (Severity::Ok, "不高于") };
            // The comparison needs no arithmetic; only the share shown beside it may not fit.
            let share = share_text(threshold, inc.value);
            self.add(
                sev,
                Check::CriticalIllnessThreshold,
                self.at(top),
                format!(
                    "大病保险起付线 {} {verb}上年度居民人均可支配收入 {}（{}{}）",
                    format_yuan(threshold),
                    format_yuan(inc.value),
                    inc.label,
                    share.as_deref().map_or(String::new(), |s| format!("，为收入的 {s}"))
                ),
            );
            if share.is_none() {
                self.out_of_range(Check::CriticalIllnessThreshold, inc.path(), "大病保险起付线与上年度居民人均可支配收入之比");
            }
        }
        // A tilt lowers the threshold. One above the ordinary threshold can pay less than the
        // ordinary rule; the engine then pays the higher of the two (就高不就低), but the file
        // most likely kept an old figure after the ordinary threshold was lowered.
        for tilt in &ci.tilts {
            if let Some(own) = tilt.threshold.as_ref().filter(|own| own.get() > threshold) {
                let who = yibao_engine::ids::identities_zh(&tilt.identities);
                self.add(
                    Severity::Error,
                    Check::CriticalIllnessTilt,
                    self.at(own),
                    format!(
                        "{who}的倾斜支付起付线 {} 高于普通参保人的起付线 {}：倾斜应降低起付线。计算时按“就高不就低”取两种标准中支付较多的一种，请核对文件",
                        format_yuan(own.get()),
                        format_yuan(threshold)
                    ),
                );
            }
        }
        // Ratios at least 60%, rising with the bill.
        let mut low = Vec::new();
        for (i, s) in ci.segments.iter().enumerate() {
            for r in s.ratio.figures() {
                if r.get() < SIXTY {
                    low.push(i);
                    self.add(Severity::Error, Check::CriticalIllnessRatio, self.at(r), format!("大病保险第{}段支付比例 {} 低于60%", i + 1, format_percent(r.get())));
                }
            }
        }
        if low.is_empty() {
            let min = ci.segments.iter().filter_map(|s| lowest(&s.ratio)).map(Param::get).min().unwrap_or_default();
            self.add(Severity::Ok, Check::CriticalIllnessRatio, Some("critical_illness.segments".into()), format!("大病保险各段支付比例均不低于60%（最低 {}）", format_percent(min)));
        }
        let mut rising = true;
        for (i, w) in ci.segments.windows(2).enumerate() {
            // Compared where both segments give one figure (a table by group is compared by its extremes).
            let (Some(before), Some(after)) = (highest(&w[0].ratio), lowest(&w[1].ratio)) else { continue };
            if after.get() < before.get() {
                rising = false;
                self.add(
                    Severity::Warning,
                    Check::CriticalIllnessRising,
                    self.at(after),
                    format!("大病保险第{}段比例 {} 低于第{}段 {}：比例应随费用升高而提高", i + 2, format_percent(after.get()), i + 1, format_percent(before.get())),
                );
            }
        }
        if rising && ci.segments.len() > 1 {
            self.add(Severity::Ok, Check::CriticalIllnessRising, Some("critical_illness.segments".into()), "大病保险分段比例随费用升高而不降低".into());
        }
        // Segment bounds rising (validation checks it too; lint says it with the norm).
        let mut previous = match ci.basis() {
            SegmentBasis::CumulativeBurden => Some(threshold),
            SegmentBasis::ExcessOverThreshold | SegmentBasis::Admission => None,
        };
        let mut ok = true;
        for (i, s) in ci.segments.iter().enumerate() {
            match &s.up_to {
                Some(up) => {
                    if previous.is_some_and(|p| up.get() <= p) {
                        ok = false;
                        self.add(
                            Severity::Error,
                            Check::SegmentsRising,
                            self.at(up),
                            format!("大病保险第{}段上限 {} 不高于{}", i + 1, format_yuan(up.get()), if i == 0 { "起付线" } else { "上一段上限" }),
                        );
                    }
                    previous = Some(up.get());
                }
                None if i + 1 != ci.segments.len() => {
                    ok = false;
                    self.add(Severity::Error, Check::SegmentsRising, Some(format!("critical_illness.segments[{i}].up_to")), "只有最后一段可以不设上限".into());
                }
                None => {}
            }
        }
        if ok && ci.segments.len() > 1 {
            self.add(Severity::Ok, Check::SegmentsRising, Some("critical_illness.segments".into()), "大病保险分段上限逐段递增".into());
        }
    }

    fn combined_cap(&mut self, income: Option<&IncomeUsed>) {
        let Some(basic) = &self.p.basic else {
            self.add(Severity::Warning, Check::CombinedCap, Some("basic".into()), "基本医保未规定，无法检查基本医保加大病保险的总限额".into());
            return;
        };
        let Some(inpatient) = basic.benefits.iter().find(|b| b.kinds.contains(&VisitKind::Inpatient)) else {
            self.add(Severity::Warning, Check::CombinedCap, Some("basic.benefits".into()), "基本医保没有住院待遇，无法检查总限额".into());
            return;
        };
        // A cap the documents do not state is unknown, not "no cap": the check cannot pass on it.
        let pool = inpatient.cap_pool.as_ref().and_then(|k| basic.caps.get(k).map(|c| (k, c)));
        if let Some((key, c)) = pool.filter(|(_, c)| c.amount.is_none()) {
            self.add(Severity::Warning, Check::CombinedCap, Some(format!("basic.caps.{key}")), format!("基本医保“{}”文件未说明，无法检查基本医保加大病保险的总限额", c.label));
            return;
        }
        if let Some(ci) = self.p.critical_illness.as_ref().filter(|ci| ci.cap.is_none() && ci.segments.last().is_some_and(|s| s.up_to.is_none())) {
            let _ = ci;
            self.add(Severity::Warning, Check::CombinedCap, Some("critical_illness.cap".into()), "大病保险年度最高支付限额文件未说明（不是“不设封顶”），无法检查基本医保加大病保险的总限额".into());
            return;
        }
        let Some(inc) = income else { return };
        let basic_cap = pool.and_then(|(_, c)| c.amount.as_ref()).and_then(Cap::limit).and_then(lowest).map(Param::get);
        let basic_cap_text = basic_cap.map_or("不设限额".to_string(), format_yuan);
        let (ci_max, ci_text) = match &self.p.critical_illness {
            Some(ci) => match ci_max_payout(ci) {
                Ok(m) => (m, m.map_or("不设限额".to_string(), |v| format!("最多支付 {}", format_yuan(v)))),
                Err(e) => return self.out_of_range(Check::CombinedCap, e.path, "大病保险最高支付额"),
            },
            None => (Some(Decimal::ZERO), "未规定，按 0 计".to_string()),
        };
        // 6 × income and the band around it fit while income ≤ 10 billion (validation's bound);
        // checked all the same, so that no figure can stop the tool.
        let band = inc.value.checked_mul(COMBINED_CAP_FACTOR).and_then(|t| Some((t, t.checked_mul(COMBINED_CAP_LOW)?, t.checked_mul(COMBINED_CAP_HIGH)?)));
        let Some((target, low, high)) = band else {
            return self.out_of_range(Check::CombinedCap, inc.path(), "上年度居民人均可支配收入的6倍");
        };
        let parts = format!("基本医保住院年度限额 {basic_cap_text}，大病保险（普通参保人）{ci_text}");
        match (basic_cap, ci_max) {
            (Some(b), Some(c)) => {
                let Some(total) = b.checked_add(c) else {
                    return self.out_of_range(Check::CombinedCap, "basic.caps".into(), "基本医保与大病保险的限额合计");
                };
                // A tiny income (validation allows 0.0000000000000000000000000001) makes the
                // multiple larger than a Decimal holds: the comparison stands without it.
                let multiple = if inc.value.is_zero() { Some(Decimal::ZERO) } else { total.checked_div(inc.value).map(|m| m.round_dp(1)) };
                let sev = if total < low { Severity::Error } else { Severity::Ok };
                let judgement = if total < low {
                    "低于约6倍"
                } else if total > high {
                    "高于约6倍"
                } else {
                    "约为6倍"
                };
                let income = format_yuan(inc.value);
                let relation = multiple.map_or(format!("上年度居民人均可支配收入为 {income}"), |m| format!("为上年度居民人均可支配收入 {income} 的 {m} 倍"));
                self.add(
                    sev,
                    Check::CombinedCap,
                    Some("basic.caps".into()),
                    format!("{parts}，合计 {}，{relation}，{judgement}（6倍为 {}）", format_yuan(total), format_yuan(target)),
                );
                if multiple.is_none() {
                    self.out_of_range(Check::CombinedCap, inc.path(), "基本医保加大病保险限额与上年度居民人均可支配收入之比");
                }
            }
            _ => self.add(Severity::Ok, Check::CombinedCap, Some("basic.caps".into()), format!("{parts}：总体不设上限，不低于上年度居民人均可支配收入的6倍（{}）", format_yuan(target))),
        }
    }

    fn ratio_range(&mut self) {
        let mut bad = 0;
        let out_of_range: Vec<(String, Decimal)> = self
            .p
            .params()
            .filter(|(_, kind, v)| matches!(kind, ParamKind::Ratio | ParamKind::Points) && (*v < Decimal::ZERO || *v > Decimal::ONE))
            .map(|(path, _, v)| (path.to_string(), v))
            .collect();
        for (path, v) in out_of_range {
            bad += 1;
            self.add(Severity::Error, Check::RatioRange, Some(path), format!("比例 {} 不在 0% 至 100% 之间", format_percent(v)));
        }
        if bad == 0 {
            self.add(Severity::Ok, Check::RatioRange, None, "所有比例都在 0% 至 100% 之间".into());
        }
    }

    fn assistance(&mut self) {
        const HARD: [Identity; 2] = [Identity::ExtremePoverty, Identity::SubsistenceAllowance];
        let held: Vec<Identity> = HARD.iter().copied().filter(|id| self.p.identities.contains(id)).collect();
        let Some(a) = &self.p.assistance else {
            for id in held {
                self.add(Severity::Warning, Check::AssistanceRatio, Some("assistance".into()), format!("本政策有{}，但医疗救助未规定，无法检查救助比例", id.name_zh()));
            }
            return;
        };
        for id in held {
            let Some((i, c)) = a.categories.iter().enumerate().find(|(_, c)| c.identities.contains(&id)) else {
                self.add(Severity::Warning, Check::AssistanceRatio, Some("assistance.categories".into()), format!("医疗救助没有{}的类别，无法检查救助比例", id.name_zh()));
                continue;
            };
            let mut inpatient = false;
            for r in &c.rules {
                // The lowest ratio the rule pays this identity: of its table (its own row when the
                // table is by identity), or of its bands.
                let figures: Vec<&Param> = r.ratio.iter().chain(r.segments.iter().map(|s| &s.ratio)).flat_map(|t| t.figures_where(Dimension::Identity, id.id())).collect();
                let Some(lowest) = figures.into_iter().min_by_key(|p| p.get()) else { continue };
                let path = self.at(lowest);
                let ratio = lowest.get();
                if r.kinds.value.contains(&VisitKind::Inpatient) {
                    inpatient = true;
                    let (sev, verb) = if ratio < SEVENTY { (Severity::Error, "低于") } else { (Severity::Ok, "不低于") };
                    self.add(sev, Check::AssistanceRatio, path, format!("{}{}比例 {} {verb}70%", id.name_zh(), r.name, format_percent(ratio)));
                } else if ratio < SEVENTY {
                    self.add(
                        Severity::Info,
                        Check::AssistanceRatio,
                        path,
                        format!("{}{}比例 {} 低于70%；该规范针对政策范围内住院费用，门诊救助仅作提示", id.name_zh(), r.name, format_percent(ratio)),
                    );
                }
            }
            if !inpatient {
                self.add(Severity::Warning, Check::AssistanceRatio, Some(format!("assistance.categories[{i}].rules")), format!("{}的医疗救助没有住院规则，无法检查住院救助比例", id.name_zh()));
            }
        }
    }

    fn enrolment(&mut self) {
        let rules = [(Identity::ExtremePoverty, Decimal::ONE, "全额资助（100%）"), (Identity::SubsistenceAllowance, FORTY_FIVE, "不低于45%"), (Identity::ReturnedToPoverty, FORTY_FIVE, "不低于45%")];
        let held: Vec<_> = rules.iter().filter(|(id, _, _)| self.p.identities.contains(id)).collect();
        if held.is_empty() {
            return;
        }
        let entries = self.p.contribution.as_ref().map(|c| c.subsidised_enrolment.as_slice()).unwrap_or_default();
        for (id, min, want) in held {
            match entries.iter().enumerate().find(|(_, e)| e.identities.contains(id)) {
                Some((_, e)) => {
                    let share = e.share.get();
                    let sev = if share < *min { Severity::Error } else { Severity::Ok };
                    self.add(
                        sev,
                        Check::SubsidisedEnrolment,
                        self.at(&e.share),
                        format!("{}资助参保 {}{}，规范要求{want}", id.name_zh(), if e.at_least { "不低于" } else { "" }, format_percent(share)),
                    );
                }
                None => self.add(
                    Severity::Warning,
                    Check::SubsidisedEnrolment,
                    Some("contribution.subsidised_enrolment".into()),
                    format!("未规定{}的资助参保标准，无法检查（规范要求{want}）", id.name_zh()),
                ),
            }
        }
    }

    fn level_gradient(&mut self) {
        let Some(basic) = &self.p.basic else { return };
        for (i, b) in basic.benefits.iter().enumerate() {
            let base = format!("basic.benefits[{i}]");
            let (mut problems, mut checked) = (0, false);
            let classes = self.p.facilities();
            if let Some(d) = by_level(&classes, &b.deductible) {
                checked = true;
                for w in d.windows(2) {
                    let ((l0, p0), (l1, p1)) = (w[0], w[1]);
                    if p1.get() < p0.get() {
                        problems += 1;
                        self.add(
                            Severity::Error,
                            Check::LevelGradient,
                            self.at(p1),
                            format!("{}起付线{} {} 低于{} {}：级别越高起付线不应越低", b.name, l1, format_yuan(p1.get()), l0, format_yuan(p0.get())),
                        );
                    }
                }
            }
            // The ratio by level, under each tier when it is by tier first.
            let tables: Vec<(Option<String>, &Table)> = match &b.ratio {
                Some(Table::By { by: Dimension::Tier, rows }) => rows.iter().map(|r| (Some(r.key.clone()), &r.table)).collect(),
                Some(t) => vec![(None, t)],
                None => vec![],
            };
            for (tier, table) in tables {
                let Some(r) = by_level(&classes, table) else { continue };
                checked = true;
                let tier_name = tier.as_deref().map_or(String::new(), |t| format!("（{}）", self.p.tier(t).map_or(t, |x| x.name.as_str())));
                for w in r.windows(2) {
                    let ((l0, p0), (l1, p1)) = (w[0], w[1]);
                    if p1.get() > p0.get() {
                        problems += 1;
                        self.add(
                            Severity::Error,
                            Check::LevelGradient,
                            self.at(p1),
                            format!("{}报销比例{tier_name}{} {} 高于{} {}：级别越高报销比例不应越高", b.name, l1, format_percent(p1.get()), l0, format_percent(p0.get())),
                        );
                    }
                }
                if r.iter().all(|(_, p)| p.get() == r[0].1.get()) {
                    let path = tier.as_ref().map_or(format!("{base}.ratio"), |t| format!("{base}.ratio.{t}"));
                    self.add(
                        Severity::Info,
                        Check::LevelGradient,
                        Some(path),
                        format!("{}报销比例{tier_name}各级医疗机构都是 {}，没有拉开差距", b.name, format_percent(r[0].1.get())),
                    );
                }
            }
            if problems == 0 && checked {
                self.add(Severity::Ok, Check::LevelGradient, Some(base), format!("{}：起付线从基层到高级不降低，报销比例不提高", b.name));
            } else if !checked {
                // Nothing to compare is not a pass.
                self.add(Severity::Info, Check::LevelGradient, Some(base), format!("{}：起付线和报销比例都不按医疗机构类别逐级列出，未检查", b.name));
            }
        }
    }

    fn in_scope_share(&mut self) -> Option<ShareEstimate> {
        let e = match share::in_scope_share(self.p) {
            Ok(e) => e,
            Err(ShareError::NoInpatientRule) => {
                self.add(Severity::Warning, Check::InScopeShare, Some("basic".into()), "基本医保没有住院待遇，无法估算住院政策范围内基金支付比例".into());
                return None;
            }
            Err(ShareError::Calculation(error)) => {
                self.add(Severity::Warning, Check::InScopeShare, Some("basic".into()), format!("典型住院无法计算，无法估算住院政策范围内基金支付比例：{error}"));
                return None;
            }
            Err(ShareError::OutOfRange) => {
                self.out_of_range(Check::InScopeShare, "basic".into(), "典型住院的加权合计");
                return None;
            }
        };
        let assumed = if e.assumptions.is_empty() { String::new() } else { format!("；估算用到 {} 个参考值", e.assumptions.len()) };
        let msg = format!(
            "住院政策范围内基金支付比例估算 {}（基本医保；普通参保人，默认档次“{}”；8类典型住院加权，见 docs/policy-format.md）；含大病保险 {}；规范约70%{assumed}",
            e.percent(),
            e.tier_name,
            share::percent1(e.share_with_critical_illness)
        );
        let sev = if e.near_norm { Severity::Ok } else { Severity::Warning };
        let msg = if e.near_norm { msg } else { format!("{msg}，偏离超过5个百分点") };
        self.add(sev, Check::InScopeShare, Some("basic".into()), msg);
        Some(e)
    }

    fn not_covered(&mut self) {
        for (layer, reason) in &self.p.not_covered {
            self.add(Severity::Info, Check::NotCovered, Some(format!("not_covered.{layer}")), format!("{}：公开文件未规定（{reason}）", layer.name_zh()));
        }
        if let Some(b) = &self.p.basic {
            for (kind, reason) in &b.not_covered {
                self.add(Severity::Info, Check::NotCovered, Some(format!("basic.not_covered.{kind}")), format!("基本医保·{}：公开文件未规定（{reason}）", kind.name_zh()));
            }
        }
    }

    fn assumed(&mut self) {
        for v in parameters(self.p) {
            if v.shown.status == Status::Assumed {
                let note = v.shown.note.clone().unwrap_or_default();
                self.add(Severity::Warning, Check::Assumed, Some(v.shown.path.clone()), format!("{} = {}：参考值，{note}", v.shown.label, v.shown.display));
            }
        }
    }
}

/// A figure beyond what a check's arithmetic can hold, by its JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutOfRange {
    pub path: String,
}

/// The most critical illness insurance pays an ordinary resident in a year, or `None`
/// when nothing limits it (no cap and an open last segment).
pub fn ci_max_payout(ci: &CriticalIllness) -> Result<Option<Decimal>, OutOfRange> {
    // The most it can pay: the lowest threshold, the highest ratios and cap of its tables.
    let threshold = lowest(&ci.threshold).map_or(Decimal::ZERO, Param::get);
    let offset = match ci.basis() {
        SegmentBasis::CumulativeBurden | SegmentBasis::Admission => Decimal::ZERO,
        SegmentBasis::ExcessOverThreshold => threshold,
    };
    let bands = if ci.segments.last().is_some_and(|s| s.up_to.is_some()) {
        let mut lower = threshold;
        let mut sum = Decimal::ZERO;
        for (i, s) in ci.segments.iter().enumerate() {
            let out_of_range = || OutOfRange { path: format!("critical_illness.segments[{i}]") };
            let upper = match &s.up_to {
                Some(u) => u.get().checked_add(offset).ok_or_else(out_of_range)?,
                None => lower,
            };
            if upper > lower {
                let ratio = highest(&s.ratio).map_or(Decimal::ZERO, Param::get);
                let band = (upper - lower).checked_mul(ratio).ok_or_else(out_of_range)?;
                sum = sum.checked_add(band).ok_or_else(out_of_range)?;
                lower = upper;
            }
        }
        Some(sum)
    } else {
        None
    };
    Ok(match (ci.cap.as_ref().and_then(Cap::limit).and_then(highest).map(Param::get), bands) {
        (Some(c), Some(b)) => Some(c.min(b)),
        (Some(c), None) => Some(c),
        (None, b) => b,
    })
}

/// The largest figure of a table.
fn highest(t: &Table) -> Option<&Param> {
    t.figures().into_iter().max_by_key(|p| p.get())
}

/// The smallest figure of a table.
fn lowest(t: &Table) -> Option<&Param> {
    t.figures().into_iter().min_by_key(|p| p.get())
}

/// A table by the four 医院等级 (the default facility classes), one figure each, in order
/// from 基层 to 三级; `None` for any other shape, which the gradient check leaves alone.
/// A table's figure for each facility class, from the most basic to the highest (the order
/// the policy lists them in, or the four 医院等级), named; `None` unless the table is by
/// facility with one figure per class.
fn by_level<'a>(classes: &[(&'a str, &'a str)], t: &'a Table) -> Option<Vec<(&'a str, &'a Param)>> {
    let Table::By { by: Dimension::Facility, rows } = t else { return None };
    classes
        .iter()
        .map(|(id, name)| rows.iter().find(|r| r.values().any(|k| k == *id)).and_then(|r| r.table.single()).map(|p| (*name, p)))
        .collect()
}

/// `part` as a percentage of `whole` (`—` when `whole` is zero); `None` when the ratio is
/// beyond a `Decimal`.
fn share_text(part: Decimal, whole: Decimal) -> Option<String> {
    if whole.is_zero() {
        return Some("—".into());
    }
    crate::share::checked_percent1(part.checked_div(whole)?)
}

fn yuan<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&yibao_engine::money::to_contract(*d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
    use yibao_engine::policy::{Param, Source};

    fn policy(id: &str) -> Policy {
        crate::share::tests::policy(id)
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// A stated figure, as an official would type it into a broken copy.
    /// An edited model, resolved again as reading a file would: the provenance table (which
    /// lint reads) is rebuilt from the edited figures.
    fn edited(p: &Policy) -> Policy {
        let mut p = p.clone();
        yibao_engine::policy::resolve(&mut p);
        p
    }

    fn set(p: &mut Param, value: &str) {
        let source = p.source.clone().or(Some(Source { document: "x".into(), clause: "x".into() }));
        *p = Param::literal(yibao_engine::dec::Dec::parse(value).unwrap().0, Status::Stated, source);
    }

    fn errors(r: &Report, check: Check) -> Vec<String> {
        r.of(check).filter(|f| f.severity == Severity::Error).map(|f| f.path.clone().unwrap_or_default()).collect()
    }

    fn count(r: &Report, check: Check, sev: Severity) -> usize {
        r.of(check).filter(|f| f.severity == sev).count()
    }

    #[test]
    fn the_seed_policies_have_no_errors() {
        for id in ["tianjin-2023", "hohhot-2023", "hohhot-2024", "jiamusi-2021", "jiamusi-2022"] {
            let r = lint(&policy(id));
            let errs: Vec<String> = r.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| format!("{:?} {:?} {}", f.check, f.path, f.message)).collect();
            assert!(r.passed(), "{id}: {errs:#?}");
            // Every assumed parameter is a warning.
            let assumed = yibao_engine::compare::parameters(&policy(id)).iter().filter(|v| v.shown.status == Status::Assumed).count();
            assert_eq!(count(&r, Check::Assumed, Severity::Warning), assumed, "{id}");
            // Every finding but `not_covered` carries its norm.
            assert!(r.findings.iter().all(|f| f.norm.is_some() || f.check == Check::NotCovered));
        }
    }

    #[test]
    fn tianjin_findings() {
        let r = lint(&policy("tianjin-2023"));
        assert_eq!(r.income.as_ref().unwrap().value, d("48976"));
        let threshold = r.of(Check::CriticalIllnessThreshold).next().unwrap();
        assert_eq!(threshold.severity, Severity::Ok);
        assert!(threshold.message.contains("24,488.00") && threshold.message.contains("50.0%"), "{}", threshold.message);
        assert_eq!(threshold.norm.unwrap().clause, "二(五)");
        assert_eq!(threshold.norm.unwrap().seed, Some("000_a2fde266d752d381.txt"));
        // 250,000 + 大病 (100,000 − 24,488) × 65% + 100,000 × 70% + 100,000 × 75% = 444,082.80 ≈ 9.1 × 48,976.
        let cap = r.of(Check::CombinedCap).next().unwrap();
        assert_eq!(cap.severity, Severity::Ok);
        assert!(cap.message.contains("444,082.80") && cap.message.contains("9.1 倍"), "{}", cap.message);
        // Outpatient assistance 50% for 特困/低保 is below 70%: information only (the norm is about inpatient costs).
        assert_eq!(count(&r, Check::AssistanceRatio, Severity::Info), 2);
        assert_eq!(count(&r, Check::AssistanceRatio, Severity::Ok), 2);
        // No 资助参保 figures in the Tianjin documents: 特困 and 低保 cannot be checked.
        assert_eq!(count(&r, Check::SubsidisedEnrolment, Severity::Warning), 2);
        assert_eq!(r.in_scope_share.as_ref().unwrap().percent(), "72.4%");
        assert_eq!(count(&r, Check::InScopeShare, Severity::Ok), 1);
    }

    #[test]
    fn jiamusi_findings() {
        let r = lint(&policy("jiamusi-2021"));
        assert!(r.income.is_none());
        assert_eq!(count(&r, Check::Income, Severity::Warning), 1);
        assert_eq!(r.of(Check::CriticalIllnessThreshold).count(), 0);
        assert_eq!(count(&r, Check::AssistanceRatio, Severity::Warning), 2); // assistance not covered: 特困, 低保
        assert_eq!(count(&r, Check::SubsidisedEnrolment, Severity::Warning), 3); // 特困, 低保, 返贫致贫
        assert_eq!(count(&r, Check::InScopeShare, Severity::Warning), 1); // 64.5%
        assert_eq!(count(&r, Check::NotCovered, Severity::Info), 3);
        assert_eq!(count(&r, Check::LevelGradient, Severity::Ok), 2); // inpatient 200/300/400/700, 90/80/75/65; outpatient flat
        assert_eq!(count(&r, Check::LevelGradient, Severity::Info), 1); // outpatient 50% everywhere
    }

    #[test]
    fn hohhot_findings() {
        let r = lint(&policy("hohhot-2024"));
        assert_eq!(r.income.as_ref().unwrap().status, Status::Assumed);
        assert_eq!(count(&r, Check::Income, Severity::Warning), 1);
        assert_eq!(count(&r, Check::CriticalIllnessThreshold, Severity::Ok), 1);
        // 大病保险's cap is not stated by the documents (the file leaves it out): unknown, so the
        // combined cap cannot be checked, where format 1's `null` counted as "no cap" and passed.
        assert_eq!(count(&r, Check::CombinedCap, Severity::Warning), 1);
        assert_eq!(count(&r, Check::SubsidisedEnrolment, Severity::Ok), 3);
        assert_eq!(count(&r, Check::AssistanceRatio, Severity::Ok), 2);
        assert_eq!(count(&r, Check::LevelGradient, Severity::Info), 1); // assumed flat 70%
    }

    #[test]
    fn broken_copies_give_errors_with_their_paths() {
        // 大病保险起付线 above the income.
        let mut p = policy("tianjin-2023");
        set(p.critical_illness.as_mut().unwrap().threshold.at_mut(&[]).unwrap(), "60000");
        assert_eq!(errors(&lint(&edited(&p)), Check::CriticalIllnessThreshold), ["critical_illness.threshold"]);

        // Basic cap cut to 50,000: 50,000 + 大病 max (100,000 − 24,488) × 65% + 70,000 + 75,000 = 244,082.80 < 90% × 293,856.
        // The norm (seed 000, 2024) applies from 2024: an error for a 2024 file, a note for 2023's.
        let mut p = policy("tianjin-2023");
        let Some(Cap::Limit(cap)) = p.basic.as_mut().unwrap().caps.get_mut("hospital").unwrap().amount.as_mut() else { panic!() };
        set(cap.at_mut(&[]).unwrap(), "50000");
        let r = lint(&edited(&p));
        assert!(errors(&r, Check::CombinedCap).is_empty());
        assert!(r.of(Check::CombinedCap).next().unwrap().message.contains("自 2024 年起适用"));
        p.year = 2024;
        let r = lint(&edited(&p));
        assert_eq!(errors(&r, Check::CombinedCap), ["basic.caps"]);
        assert!(r.of(Check::CombinedCap).next().unwrap().message.contains("244,082.80"));

        // A critical illness segment at 55%, and the next one falling.
        let mut p = policy("tianjin-2023");
        set(p.critical_illness.as_mut().unwrap().segments[1].ratio.at_mut(&[]).unwrap(), "55%");
        let r = lint(&edited(&p));
        assert_eq!(errors(&r, Check::CriticalIllnessRatio), ["critical_illness.segments[1].ratio"]);
        assert_eq!(count(&r, Check::CriticalIllnessRising, Severity::Warning), 1);

        // Segment bounds out of order.
        let mut p = policy("tianjin-2023");
        set(p.critical_illness.as_mut().unwrap().segments[1].up_to.as_mut().unwrap(), "90000");
        assert_eq!(errors(&lint(&edited(&p)), Check::SegmentsRising), ["critical_illness.segments[1].up_to"]);

        // 低保 inpatient assistance at 65%.
        let mut p = policy("tianjin-2023");
        set(p.assistance.as_mut().unwrap().categories[1].rules[1].ratio.as_mut().unwrap().at_mut(&[]).unwrap(), "65%");
        assert_eq!(errors(&lint(&edited(&p)), Check::AssistanceRatio), ["assistance.categories[1].rules[1].ratio"]);

        // 低保 enrolment subsidy at 30%.
        let mut p = policy("hohhot-2024");
        set(&mut p.contribution.as_mut().unwrap().subsidised_enrolment[1].share, "30%");
        assert_eq!(errors(&lint(&edited(&p)), Check::SubsidisedEnrolment), ["contribution.subsidised_enrolment[1].share"; 2]); // 低保 and 返贫致贫 share the entry

        // 三级 pays more than 二级, and its deductible is lower than 基层's.
        let mut p = policy("jiamusi-2021");
        let b = &mut p.basic.as_mut().unwrap().benefits[0];
        set(b.ratio.as_mut().unwrap().at_mut(&["standard", "level3"]).unwrap(), "80%");
        set(b.deductible.at_mut(&["level3"]).unwrap(), "100");
        let r = lint(&edited(&p));
        assert_eq!(errors(&r, Check::LevelGradient), ["basic.benefits[0].deductible.level3", "basic.benefits[0].ratio.standard.level3"]);

        // A policy's own facility classes are checked in the order it lists them (社区医院,
        // 其他医院, 三级医院 in ningbo-2023, whose deductible row covers all three at once):
        // 三级 at 50% above 其他医院's 45%.
        let p = policy("ningbo-2023");
        assert_eq!(count(&lint(&p), Check::LevelGradient, Severity::Ok), 1);
        let mut p = p;
        set(p.basic.as_mut().unwrap().benefits[0].ratio.as_mut().unwrap().at_mut(&["tertiary"]).unwrap(), "50%");
        let r = lint(&edited(&p));
        assert_eq!(errors(&r, Check::LevelGradient), ["basic.benefits[0].ratio.tertiary"]);
        assert!(r.findings.iter().any(|f| f.message.contains("三级医院 50% 高于其他医院 45%")), "{:?}", r.findings);
        // Its own classes also get the in-scope share estimate, each typical admission at the
        // class in the same place of the list (yueyang-2019: 乡镇卫生院 for 基层 … 省级 for 三级).
        let r = lint(&policy("yueyang-2019"));
        let share = r.in_scope_share.as_ref().expect("an estimate");
        assert_eq!(share.admissions[0].level_name, "乡镇卫生院（按基层估算）");
        assert_eq!(share.admissions[7].level_name, "省级医院（按三级估算）");
        // Nothing by class to compare (suzhou-2024): not a pass.
        let r = lint(&policy("suzhou-2024"));
        assert_eq!((count(&r, Check::LevelGradient, Severity::Ok), count(&r, Check::LevelGradient, Severity::Info)), (0, 1));

        // A tilt whose own threshold is above the ordinary one (the ordinary one lowered to 5,000
        // below the 脱贫人口 tilt's 6,000).
        let mut p = policy("jiamusi-2021");
        set(p.critical_illness.as_mut().unwrap().threshold.at_mut(&[]).unwrap(), "5000");
        let tilt = p.critical_illness.as_ref().unwrap().tilts.iter().position(|t| t.threshold.is_some()).unwrap();
        assert_eq!(errors(&lint(&edited(&p)), Check::CriticalIllnessTilt), [format!("critical_illness.tilts[{tilt}].threshold")]);
        assert!(errors(&lint(&edited(&policy("jiamusi-2021"))), Check::CriticalIllnessTilt).is_empty());

        // A ratio above 100%.
        let mut p = policy("jiamusi-2021");
        set(p.basic.as_mut().unwrap().benefits[1].ratio.as_mut().unwrap().at_mut(&["standard", "level2"]).unwrap(), "120%");
        assert_eq!(errors(&lint(&edited(&p)), Check::RatioRange), ["basic.benefits[1].ratio.standard.level2"]);
    }

    #[test]
    fn a_file_that_does_not_validate_is_reported_as_format_errors() {
        let err = yibao_engine::PolicyError::Invalid(vec![yibao_engine::Problem { path: "basic.benefits[0].ratio.high.level3".into(), message: "比例应在 0% 至 100% 之间".into() }]);
        let r = lint_error(&err);
        assert!(!r.passed());
        assert_eq!(errors(&r, Check::Format), ["basic.benefits[0].ratio.high.level3"]);
    }

    #[test]
    fn critical_illness_maximum() {
        let p = policy("tianjin-2023");
        assert_eq!(ci_max_payout(p.critical_illness.as_ref().unwrap()), Ok(Some(d("194082.80"))));
        assert_eq!(ci_max_payout(policy("jiamusi-2021").critical_illness.as_ref().unwrap()), Ok(Some(d("500000"))));
        assert_eq!(ci_max_payout(policy("jiamusi-2022").critical_illness.as_ref().unwrap()), Ok(None));
    }
}
