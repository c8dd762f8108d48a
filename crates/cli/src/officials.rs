//! `yibao lint` and `yibao diff`: the commands for officials. The checks and comparisons live
//! in `yibao-tools` and `yibao_engine::compare`; this module only reads files and prints.

use crate::policies;
use std::fmt::Write as _;
use std::process::ExitCode;
use yibao_engine::compare::{diff_params, ChangeKind, ParamView, PolicyDiff};
use yibao_engine::money::format_yuan;
use yibao_engine::result::Coverage;
use yibao_engine::{Policy, PolicyError};
use yibao_tools::lint::{Check, Finding, Report, Severity};
use yibao_tools::norms::Norm;
use yibao_tools::residents::Effect;

/// Reads and validates a policy, keeping the validation problems (lint reports them).
fn read(arg: &str) -> Result<Policy, PolicyError> {
    let path = policies::resolve(arg).map_err(|message| PolicyError::Parse { path: "(file)".into(), message })?;
    let text = std::fs::read_to_string(&path)
        .map_err(|e| PolicyError::Parse { path: "(file)".into(), message: format!("读取 {} 失败: {e}", path.display()) })?;
    yibao_engine::policy::parse(&text)
}

// ---------------------------------------------------------------- lint

pub fn lint(files: &[String], json: bool) -> Result<ExitCode, String> {
    let reports: Vec<(String, Report)> = files
        .iter()
        .map(|arg| {
            let report = match read(arg) {
                Ok(policy) => yibao_tools::lint(&policy),
                Err(e) => yibao_tools::lint_error(&e),
            };
            (arg.to_string(), report)
        })
        .collect();
    let failed = reports.iter().any(|(_, r)| !r.passed());
    if json {
        let list: Vec<serde_json::Value> = reports
            .iter()
            .map(|(file, r)| {
                let mut v = serde_json::to_value(r).expect("report serializes");
                v["file"] = serde_json::Value::String(file.clone());
                v
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list).map_err(|e| e.to_string())?);
    } else {
        for (file, r) in &reports {
            print!("{}", lint_text(file, r));
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Short citation of a norm, e.g. `seed 000 二(五)`.
fn cite(n: &Norm) -> String {
    let doc = n.document.split('：').next().unwrap_or(n.document);
    format!("{doc} {}", n.clause)
}

fn lint_text(file: &str, r: &Report) -> String {
    let mut o = String::new();
    let title = r.policy.as_ref().map_or(String::new(), |p| format!("{}（{}，核对于 {}）", p.title, p.id, p.checked_on));
    let _ = writeln!(o, "━━ yibao lint {file} {title}");
    if let Some(inc) = &r.income {
        let _ = writeln!(o, "上年度居民人均可支配收入：{}（statistics.{}：{}，{}）", format_yuan(inc.value), inc.key, inc.label, inc.status.name_zh());
    }
    if let Some(s) = &r.in_scope_share {
        let _ = writeln!(
            o,
            "住院政策范围内基金支付比例估算：{}（基本医保，{}）；含大病保险 {}；规范约70%（seed 000 二(四)，seed 003 三(三)）",
            s.percent(),
            s.tier_name,
            yibao_tools::share::percent1(s.share_with_critical_illness)
        );
    }
    let n = |s: Severity| r.findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(o, "错误 {} · 警告 {} · 提示 {} · 通过 {}", n(Severity::Error), n(Severity::Warning), n(Severity::Info), n(Severity::Ok));
    let section = |o: &mut String, head: &str, mark: &str, items: Vec<&Finding>, full_norm: bool| {
        if items.is_empty() {
            return;
        }
        let _ = writeln!(o, "\n{head}");
        for f in items {
            let path = f.path.as_deref().map(|p| format!("[{p}] ")).unwrap_or_default();
            let _ = writeln!(o, "  {mark} {path}{}", f.message);
            if let Some(norm) = &f.norm {
                if full_norm {
                    let _ = writeln!(o, "      依据：{} {}：“{}”", norm.document, norm.clause, norm.quote);
                    if let Some(also) = norm.also {
                        let _ = writeln!(o, "      另见：{also}");
                    }
                } else {
                    let _ = writeln!(o, "      依据：{}", cite(norm));
                }
            }
        }
    };
    let pick = |sev: Severity, assumed: bool| -> Vec<&Finding> {
        r.findings.iter().filter(|f| f.severity == sev && (f.check == Check::Assumed) == assumed).collect()
    };
    section(&mut o, "✗ 错误（须修改）", "✗", pick(Severity::Error, false), true);
    section(&mut o, "! 警告（发布前请核实）", "!", pick(Severity::Warning, false), true);
    let assumed = pick(Severity::Warning, true);
    if !assumed.is_empty() {
        let _ = writeln!(o, "\n! 参考值：以下 {} 项没有找到正式依据，计算结果中标为“参考值”（domain.md 第4节）", assumed.len());
        for f in assumed {
            let _ = writeln!(o, "  ! [{}] {}", f.path.as_deref().unwrap_or(""), f.message);
        }
    }
    section(&mut o, "i 提示", "i", pick(Severity::Info, false), false);
    section(&mut o, "✓ 通过", "✓", pick(Severity::Ok, false), false);
    let verdict = if r.passed() { "通过" } else { "未通过" };
    let _ = writeln!(o, "\n结论：{verdict}（{} 个错误，{} 个警告）\n", r.errors, r.warnings);
    o
}

// ---------------------------------------------------------------- diff

pub fn diff(old: &str, new: &str, json: bool) -> Result<ExitCode, String> {
    let old = policies::load(old)?;
    let new = policies::load(new)?;
    let params = diff_params(&old, &new);
    let effects = yibao_tools::effects(&old, &new).map_err(|e| e.to_string())?;
    if json {
        let v = serde_json::json!({ "parameters": params, "residents": effects });
        println!("{}", serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?);
    } else {
        print!("{}", diff_text(&params, &effects));
    }
    Ok(ExitCode::SUCCESS)
}

fn side_text(v: &ParamView) -> String {
    let source = match &v.shown.source {
        Some(s) => {
            let grade = s.grade.as_deref().map(|g| format!("，{g}级")).unwrap_or_default();
            format!("《{}》{}{grade}", s.title, s.clause)
        }
        None => v.shown.note.clone().unwrap_or_else(|| "无依据".into()),
    };
    format!("{}　【{}】{source}", v.shown.display, v.shown.status_name)
}

fn diff_text(d: &PolicyDiff, effects: &[Effect]) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "━━ yibao diff");
    let _ = writeln!(o, "原政策：{}（{}，核对于 {}）", d.before.title, d.before.id, d.before.checked_on);
    let _ = writeln!(o, "新政策：{}（{}，核对于 {}）", d.after.title, d.after.id, d.after.checked_on);

    let (values, restated): (Vec<_>, Vec<_>) = d.changes.iter().partition(|c| c.change != ChangeKind::Restated);
    let _ = writeln!(o, "\n一、参数变化（{} 项）", values.len());
    if values.is_empty() {
        let _ = writeln!(o, "  无");
    }
    let path = |c: &yibao_engine::compare::ParamChange| match &c.before_path {
        Some(old) => format!("[{old} → {}]", c.path),
        None => format!("[{}]", c.path),
    };
    for c in values {
        let _ = writeln!(o, "  {} {}  {}", c.change.name_zh(), c.label, path(c));
        let absent = c.absent_means.unwrap_or("无此项");
        let _ = writeln!(o, "      原：{}", c.before.as_ref().map_or(format!("（无：{absent}）"), side_text));
        let _ = writeln!(o, "      新：{}", c.after.as_ref().map_or(format!("（无：{absent}）"), side_text));
    }
    if !d.coverage.is_empty() {
        let _ = writeln!(o, "\n二、覆盖范围变化");
        for c in &d.coverage {
            let _ = writeln!(o, "  {}  [{}]", c.label, c.path);
            let _ = writeln!(o, "      原：{}", c.before.as_deref().unwrap_or("（无）"));
            let _ = writeln!(o, "      新：{}", c.after.as_deref().unwrap_or("（无）"));
        }
    }
    if !restated.is_empty() {
        let _ = writeln!(o, "\n三、数值未变、依据或状态变化（{} 项）", restated.len());
        for c in restated {
            let (b, a) = (c.before.as_ref().expect("both"), c.after.as_ref().expect("both"));
            let _ = writeln!(o, "  {}  {} {}", c.label, path(c), a.shown.display);
            let _ = writeln!(o, "      原：{}", side_text(b));
            let _ = writeln!(o, "      新：{}", side_text(a));
        }
    }

    let _ = writeln!(o, "\n四、对代表性参保人的影响（每人一年只有所列一次就诊；各自默认缴费档次；住院按规范转诊计）");
    let widths = [14, 14, 14, 14];
    let header = row(&["项目", "原政策", "新政策", "差额"], &widths);
    let mut current: Option<&str> = None;
    for e in effects {
        let c = &e.comparison;
        if current != Some(e.resident_name) {
            current = Some(e.resident_name);
            let _ = writeln!(o, "\n【{}】", e.resident_name);
            let mut notes = Vec::new();
            for (side, out) in [("原政策", &c.before), ("新政策", &c.after)] {
                if e.resident.is_some() && out.identity.is_none() {
                    notes.push(format!("{side}未为此身份规定单独待遇，按普通参保人计算"));
                }
            }
            if !notes.is_empty() {
                let _ = writeln!(o, "  （{}）", notes.join("；"));
            }
            let _ = writeln!(o, "  {header}");
        }
        let scene = format!("▸ {}（政策范围内 {}）", e.bill.name, format_yuan(e.bill.in_scope.into()));
        if c.unchanged() {
            let _ = writeln!(o, "  {scene}：无变化，个人自付 {}", format_yuan(c.out_of_pocket.after));
            continue;
        }
        let _ = writeln!(o, "  {scene}");
        for l in &c.layers {
            if l.change.before.is_zero() && l.change.after.is_zero() && l.before_coverage == l.after_coverage {
                continue;
            }
            let cells = [l.name.to_string(), amount(l.change.before, l.before_coverage), amount(l.change.after, l.after_coverage), signed(l.change.difference)];
            let _ = writeln!(o, "  {}", row(&cells.iter().map(String::as_str).collect::<Vec<_>>(), &widths));
        }
        let cells = ["个人自付".to_string(), format_yuan(c.out_of_pocket.before), format_yuan(c.out_of_pocket.after), signed(c.out_of_pocket.difference)];
        let _ = writeln!(o, "  {}", row(&cells.iter().map(String::as_str).collect::<Vec<_>>(), &widths));
    }
    let _ = writeln!(o, "\n差额 = 新政策 − 原政策。“未规定”表示公开文件没有规定该层（不等于 0）；“不适用”表示该层不适用于此人。");
    let _ = writeln!(o, "就诊情景和参保人是固定的示例（见 docs/policy-format.md“yibao diff”），结果为测算。");
    o
}

fn amount(v: rust_decimal::Decimal, c: Coverage) -> String {
    match c {
        Coverage::NotCovered if v.is_zero() => "未规定".into(),
        Coverage::NotApplicable if v.is_zero() => "不适用".into(),
        _ => format_yuan(v),
    }
}

fn signed(v: rust_decimal::Decimal) -> String {
    if v > rust_decimal::Decimal::ZERO {
        format!("+{}", format_yuan(v))
    } else {
        format_yuan(v)
    }
}

/// Display width: CJK and full-width characters count 2.
fn width(s: &str) -> usize {
    s.chars().map(|c| if c >= '\u{2E80}' { 2 } else { 1 }).sum()
}

/// A table row: the first cell left-aligned, the others right-aligned.
fn row(cells: &[&str], widths: &[usize]) -> String {
    let mut out = String::from("  ");
    for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
        let pad = w.saturating_sub(width(cell));
        if i == 0 {
            out.push_str(cell);
            out.push_str(&" ".repeat(pad));
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(cell);
        }
    }
    out.trim_end().to_string()
}
