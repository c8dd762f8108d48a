//! `yibao`: the command line of the yibao engine.
//!
//! ```text
//! yibao calc --policy <id|path> --scenario <file|-> [--json]
//! yibao batch --policy <id|path> [--totals | --explain] [--encoding utf-8|gbk]   JSON lines in, JSON lines out
//! yibao validate <policy>...
//! yibao lint <policy>... [--json]                 norms of the higher-level documents
//! yibao diff <old> <new> [--json]                 parameters, then effect on residents
//! yibao schema
//! ```

mod officials;
mod policies;
mod report;

use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;

const USAGE: &str = "\
yibao 医保报销测算

用法 (usage):
  yibao calc --policy <id|路径> --scenario <文件|-> [--json]
        计算一个情景：默认输出中文明细，--json 输出结果 JSON
  yibao batch --policy <id|路径> [--totals | --explain] [--encoding utf-8|gbk]
        从标准输入逐行读入情景 JSON，逐行输出结算结果 JSON（身份、合计、每次就诊各层金额）；
        --totals 只输出合计，--explain 输出含计算过程的完整结果（同 calc --json）；
        有误的行（包括不是有效文本的行）输出 {\"line\": 行号, \"error\": …}，其余行照常计算；
        --encoding 输入的编码：utf-8（默认，开头的 BOM 忽略）或 gbk（也可写 gb18030），
        医院系统导出的 GBK 文件请加 --encoding gbk
  yibao validate <id|路径>...
        检查政策文件，列出全部问题及其 JSON 路径
  yibao lint <id|路径>... [--json]
        按上级文件的规范检查政策（每条注明依据文件和条款），列出全部参考值；有错误时退出码为 1
  yibao diff <原政策> <新政策> [--json]
        逐项列出参数变化（含依据），再列出代表性参保人各层报销的变化
  yibao schema
        输出政策文件格式的 JSON Schema
  yibao policies
        列出 policies/index.json 中的政策

--policy 可以是 policies/index.json 中的 id（从当前目录向上查找），也可以是文件路径。";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("calc") => calc(&args[1..]),
        Some("batch") => batch(&args[1..]),
        Some("validate") => validate(&args[1..]),
        Some("lint") => officials::lint(&args[1..]),
        Some("diff") => officials::diff(&args[1..]),
        Some("schema") => schema(),
        Some("policies") => list(),
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some("-V" | "--version") => {
            println!("yibao {} (policy format {})", yibao_engine::ENGINE_VERSION, yibao_engine::policy::FORMAT_VERSION);
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("未知命令“{other}” (unknown command)\n\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("错误 (error): {message}");
            ExitCode::from(2)
        }
    }
}

/// Takes `--name value` out of the arguments.
fn option(args: &[String], name: &str) -> Result<Option<String>, String> {
    match args.iter().position(|a| a == name) {
        Some(i) => args.get(i + 1).cloned().map(Some).ok_or_else(|| format!("{name} 后面缺少值 (missing value)")),
        None => Ok(None),
    }
}

fn check_args(args: &[String], with_value: &[&str], flags: &[&str]) -> Result<(), String> {
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if with_value.contains(&a) {
            i += 2;
        } else if flags.contains(&a) {
            i += 1;
        } else {
            return Err(format!("未知参数“{a}” (unknown argument)\n\n{USAGE}"));
        }
    }
    Ok(())
}

fn read_input(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        io::stdin().read_to_string(&mut s).map_err(|e| format!("读取标准输入失败: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("读取 {path} 失败 (cannot read): {e}"))
    }
}

fn calc(args: &[String]) -> Result<ExitCode, String> {
    check_args(args, &["--policy", "--scenario"], &["--json"])?;
    let policy_arg = option(args, "--policy")?.ok_or("calc 需要 --policy")?;
    let scenario_arg = option(args, "--scenario")?.ok_or("calc 需要 --scenario")?;
    let policy = policies::load(&policy_arg)?;
    let scenario = yibao_cli::batch::parse_scenario(&read_input(&scenario_arg)?).map_err(|e| format!("情景有误 (bad scenario) {e}"))?;
    let result = yibao_engine::calculate(&policy, &scenario).map_err(|e| format!("情景有误 (bad scenario) {e}"))?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.iter().any(|a| a == "--json") {
        serde_json::to_writer_pretty(&mut out, &result).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    } else {
        report::write(&mut out, &policy, &result).map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

/// JSON lines in, JSON lines out; the exit status is 1 when any line failed.
fn batch(args: &[String]) -> Result<ExitCode, String> {
    check_args(args, &["--policy", "--encoding"], &["--totals", "--explain"])?;
    let policy_arg = option(args, "--policy")?.ok_or("batch 需要 --policy")?;
    let encoding = match option(args, "--encoding")? {
        None => yibao_cli::batch::Encoding::default(),
        Some(name) => yibao_cli::batch::Encoding::from_name(&name)
            .ok_or_else(|| format!("不支持的编码“{name}”，可用 utf-8、gbk、gb18030 (unknown encoding)"))?,
    };
    let detail = match (args.iter().any(|a| a == "--totals"), args.iter().any(|a| a == "--explain")) {
        (true, true) => return Err("--totals 与 --explain 只能选一个".into()),
        (true, false) => yibao_cli::batch::Detail::Totals,
        (false, true) => yibao_cli::batch::Detail::Explained,
        (false, false) => yibao_cli::batch::Detail::Settlement,
    };
    let policy = policies::load(&policy_arg)?;
    let stdout = io::stdout();
    let summary = yibao_cli::batch::run(&policy, io::stdin().lock(), BufWriter::new(stdout.lock()), detail, encoding)
        .map_err(|e| format!("批量计算中断 (batch stopped): {e}"))?;
    if summary.failed > 0 {
        eprintln!("{} / {} 行情景有误 (lines with errors)", summary.failed, summary.lines);
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn validate(args: &[String]) -> Result<ExitCode, String> {
    if args.is_empty() {
        return Err("validate 需要至少一个政策 id 或路径".into());
    }
    let mut bad = 0;
    for arg in args {
        match policies::load(arg) {
            Ok(p) => println!("✓ {arg}: {}（{}，核对于 {}）", p.title, p.id, p.checked_on),
            Err(message) => {
                bad += 1;
                println!("✗ {message}");
            }
        }
    }
    Ok(if bad == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn schema() -> Result<ExitCode, String> {
    println!("{}", policies::schema_json());
    Ok(ExitCode::SUCCESS)
}

fn list() -> Result<ExitCode, String> {
    let (dir, index) = policies::index()?;
    for entry in index {
        println!("{}\t{}", entry.id, dir.join(&entry.path).display());
    }
    Ok(ExitCode::SUCCESS)
}
