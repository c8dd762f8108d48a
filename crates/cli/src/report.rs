//! The readable Chinese breakdown of `yibao calc`.

use std::io::{self, Write};
use yibao_engine::money::format_yuan;
use yibao_engine::result::{CalcResult, Coverage};
use yibao_engine::Policy;

/// Columns in a terminal: CJK characters take two cells.
fn width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
}

/// A label padded to 16 cells and an amount right-aligned in 14.
fn row(label: &str, amount: &str) -> String {
    let pad = 16usize.saturating_sub(width(label));
    let lead = 14usize.saturating_sub(width(amount));
    format!("{label}{}{}{amount}", " ".repeat(pad), " ".repeat(lead))
}

pub fn write(out: &mut impl Write, policy: &Policy, r: &CalcResult) -> io::Result<()> {
    let t = &r.totals;
    writeln!(out, "{}（档次：{}；数据核对于 {}）", r.policy.title, r.tier.name, r.policy.checked_on)?;
    match r.identity_name {
        Some(name) => writeln!(out, "适用身份：{name}（就高不就低）")?,
        None => writeln!(out, "身份：普通参保人")?,
    }
    writeln!(out)?;
    writeln!(out, "{}", row("医疗总费用", &format_yuan(t.total)))?;
    writeln!(out, "{}", row("  政策范围内", &format_yuan(t.in_scope)))?;
    writeln!(out, "{}（个人全额负担）", row("  政策范围外", &format_yuan(t.out_of_scope)))?;
    for l in &r.layers {
        let amount = match l.coverage {
            Coverage::NotCovered => "公开文件未规定".to_string(),
            Coverage::NotApplicable => "不适用".to_string(),
            _ => format_yuan(l.amount),
        };
        let note = if l.title != l.name { format!("（{}）", l.title) } else { String::new() };
        writeln!(out, "{}{note}", row(l.name, &amount))?;
    }
    writeln!(out, "{}", row("预计可报销", &format_yuan(t.reimbursed)))?;
    writeln!(out, "{}", row("个人自付", &format_yuan(t.out_of_pocket)))?;
    writeln!(out)?;
    writeln!(out, "计算过程：")?;
    for s in &r.steps {
        let visit = s.visit.map(|v| format!("第{}次就诊 ", v + 1)).unwrap_or_default();
        let amount = s.amount.map(|a| format!("：{} 元", format_yuan(a))).unwrap_or_default();
        writeln!(out, "■ {visit}{}{amount}", s.title)?;
        for line in &s.lines {
            writeln!(out, "    {line}")?;
        }
        for p in &s.params {
            let mark = if p.status == yibao_engine::policy::Status::Assumed { "【参考值】" } else { "" };
            let source = match &p.source {
                Some(src) => format!("《{}》{}", src.title, src.clause),
                None => p.note.clone().unwrap_or_default(),
            };
            writeln!(out, "      · {mark}{}：{}　依据：{}（{}）", p.label, p.display, source, p.status_name)?;
        }
    }
    if !r.alerts.is_empty() {
        writeln!(out)?;
        writeln!(out, "提示：")?;
        for a in &r.alerts {
            writeln!(out, "! {}：{}", a.title, a.message)?;
        }
    }
    if let Some(c) = &r.contribution {
        writeln!(out)?;
        writeln!(out, "缴费：")?;
        match c.individual {
            Some(v) => writeln!(out, "  个人缴费 {} 元/年", format_yuan(v))?,
            None => writeln!(out, "  个人缴费：公开文件未规定")?,
        }
        if let Some(v) = c.government_subsidy {
            writeln!(out, "  财政补助 {} 元/人/年", format_yuan(v))?;
        }
        if let (Some(s), Some(id), Some(pays)) = (c.enrolment_subsidy, c.enrolment_identity, c.resident_pays) {
            let at_least = if c.enrolment_at_least { "不低于" } else { "" };
            writeln!(out, "  资助参保（{}）{at_least} {} 元，个人实缴{} {} 元", id.name_zh(), format_yuan(s), if c.enrolment_at_least { "不超过" } else { "" }, format_yuan(pays))?;
        }
        for split in &c.fiscal_split {
            let parts: Vec<String> = split.parts.iter().map(|p| format!("{} {}", p.payer, format_yuan(p.amount))).collect();
            writeln!(out, "  财政补助分担（{}）：{}", split.name, parts.join("，"))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "依据文件：")?;
    for d in &policy.documents {
        let grade = d.grade.as_deref().map(|g| format!("，可信度 {g}")).unwrap_or_default();
        writeln!(out, "  [{}] 《{}》{}，{}{grade}", d.id, d.title, d.issuer, d.date)?;
    }
    writeln!(out, "\n本结果为测算，实际以医保经办机构结算为准。")?;
    Ok(())
}
