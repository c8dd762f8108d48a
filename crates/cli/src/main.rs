//! `yibao`: the command line of the yibao engine. The commands and their flags are the
//! [`Command`] enum (clap); `yibao --help` and `yibao <command> --help` print them.

mod officials;
mod policies;
mod report;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::io::{self, BufWriter, Read, Write};
use std::process::ExitCode;
use yibao_cli::batch::{Detail, Encoding};

const POLICY_ARG: &str = "政策 id（policies/index.json 中的 id，从当前目录向上查找）或文件路径 (a policy id or a path)";

/// The help is bilingual like the messages: Chinese first, English in brackets. clap's own
/// headings are replaced in [`command`].
#[derive(Parser)]
#[command(
    name = "yibao",
    about = "yibao 医保报销测算",
    subcommand_help_heading = "命令 (commands)",
    subcommand_value_name = "命令",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = "各命令的参数：yibao <命令> --help (the options of a command)"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[arg(short = 'h', long, action = ArgAction::Help, global = true, help = "显示帮助 (help)")]
    help: Option<bool>,
    #[arg(short = 'V', long, action = ArgAction::SetTrue, help = "显示版本 (version)")]
    version: bool,
}

#[derive(Subcommand)]
enum Command {
    #[command(
        about = "计算一个情景：默认输出中文明细，--json 输出结果 JSON",
        override_usage = "yibao calc --policy <id|路径> --scenario <文件|-> [--json]"
    )]
    Calc {
        #[arg(long, value_name = "id|路径", help = POLICY_ARG)]
        policy: String,
        #[arg(long, value_name = "文件|-", help = "情景 JSON 文件，- 为标准输入 (the scenario file, - for standard input)")]
        scenario: String,
        #[arg(long, help = "输出结果 JSON (the result contract as JSON)")]
        json: bool,
    },
    #[command(
        about = "从标准输入逐行读入情景 JSON，逐行输出结算结果 JSON",
        long_about = "从标准输入逐行读入情景 JSON，逐行输出结算结果 JSON（身份、合计、每次就诊各层金额）。\n\
            有误的行（包括不是有效文本的行）输出 {\"line\": 行号, \"error\": …}，其余行照常计算；任何一行有误时退出码为 1。\n\
            JSON lines in, JSON lines out; exit status 1 if any line failed.",
        override_usage = "yibao batch --policy <id|路径> [--totals | --explain] [--encoding utf-8|gbk]"
    )]
    Batch {
        #[arg(long, value_name = "id|路径", help = POLICY_ARG)]
        policy: String,
        #[arg(long, conflicts_with = "explain", help = "只输出身份和合计 (identity and totals only)")]
        totals: bool,
        #[arg(long, help = "输出含计算过程的完整结果，同 calc --json (the whole result contract)")]
        explain: bool,
        #[arg(
            long,
            value_name = "utf-8|gbk",
            default_value = "utf-8",
            hide_default_value = true,
            value_parser = encoding,
            help = "输入的编码：utf-8（默认，开头的 BOM 忽略）或 gbk（也可写 gb18030）；医院系统导出的 GBK 文件请加 --encoding gbk (the input's encoding)"
        )]
        encoding: Encoding,
    },
    #[command(about = "检查政策文件，列出全部问题及其 JSON 路径；有问题时退出码为 1", override_usage = "yibao validate <id|路径>...")]
    Validate {
        #[arg(required = true, value_name = "id|路径", help = POLICY_ARG)]
        policies: Vec<String>,
    },
    #[command(
        about = "按上级文件的规范检查政策（每条注明依据文件和条款），列出全部参考值；有错误时退出码为 1",
        override_usage = "yibao lint <id|路径>... [--json]"
    )]
    Lint {
        #[arg(required = true, value_name = "id|路径", help = POLICY_ARG)]
        policies: Vec<String>,
        #[arg(long, help = "输出 JSON (for machines)")]
        json: bool,
    },
    #[command(
        about = "逐项列出参数变化（含依据），再列出代表性参保人各层报销的变化",
        override_usage = "yibao diff <原政策> <新政策> [--json]"
    )]
    Diff {
        #[arg(value_name = "原政策", help = "原政策的 id 或路径 (the old policy)")]
        old: String,
        #[arg(value_name = "新政策", help = "新政策的 id 或路径 (the new policy)")]
        new: String,
        #[arg(long, help = "输出 JSON (for machines)")]
        json: bool,
    },
    #[command(about = "输出政策文件格式的 JSON Schema")]
    Schema,
    #[command(about = "列出 policies/index.json 中的政策")]
    Policies,
    /// `yibao help [命令]`: clap's own help command would print English.
    #[command(hide = true)]
    Help { command: Option<String> },
}

const HELP_TEMPLATE: &str = "{about}\n\n用法 (usage): {usage}\n\n{all-args}{after-help}";
const ARGS_HEADING: &str = "参数 (arguments)";

/// The command line as clap sees it, with Chinese headings on every command's help.
fn command() -> clap::Command {
    headed(Cli::command()).mut_subcommands(headed)
}

/// One section for all of a command's arguments: positionals first, then the options in the
/// order declared, `--help` and `--version` last.
fn headed(c: clap::Command) -> clap::Command {
    let mut n = 0;
    c.help_template(HELP_TEMPLATE).mut_args(|a| {
        n += 1;
        let order = match a.get_id().as_str() {
            "help" | "version" => 1000,
            _ if a.is_positional() => n,
            _ => 100 + n,
        };
        a.help_heading(ARGS_HEADING).display_order(order)
    })
}

/// `--encoding`: refused with the names it takes.
fn encoding(name: &str) -> Result<Encoding, String> {
    Encoding::from_name(name).ok_or_else(|| format!("不支持的编码“{name}”，可用 utf-8、gbk、gb18030 (unknown encoding)"))
}

fn main() -> ExitCode {
    let cli = match command().try_get_matches().and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    if cli.version {
        println!("yibao {} (policy format {})", yibao_engine::ENGINE_VERSION, yibao_engine::policy::FORMAT_VERSION);
        return ExitCode::SUCCESS;
    }
    let result = match cli.command {
        Some(Command::Calc { policy, scenario, json }) => calc(&policy, &scenario, json),
        Some(Command::Batch { policy, totals, explain, encoding }) => {
            let detail = match (totals, explain) {
                (true, _) => Detail::Totals,
                (_, true) => Detail::Explained,
                _ => Detail::Settlement,
            };
            batch(&policy, detail, encoding)
        }
        Some(Command::Validate { policies: files }) => validate(&files),
        Some(Command::Lint { policies: files, json }) => officials::lint(&files, json),
        Some(Command::Diff { old, new, json }) => officials::diff(&old, &new, json),
        Some(Command::Schema) => schema(),
        Some(Command::Policies) => list(),
        Some(Command::Help { command: name }) => {
            let mut cli = command();
            cli.build(); // propagates the Chinese --help to the subcommands
            let help = match name.as_deref().and_then(|n| cli.find_subcommand_mut(n)) {
                Some(sub) => sub.render_long_help(),
                None => cli.render_help(),
            };
            println!("{help}");
            Ok(ExitCode::SUCCESS)
        }
        None => {
            println!("{}", command().render_help());
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("错误 (error): {message}");
            ExitCode::from(2)
        }
    }
}

/// Prints clap's help, or a usage error in the messages' bilingual style; bad usage is exit
/// status 2.
fn usage_error(e: &clap::Error) -> ExitCode {
    if !e.use_stderr() {
        // --help
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let text = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        _ => String::new(),
    };
    let arg = text(ContextKind::InvalidArg);
    let message = match e.kind() {
        ErrorKind::UnknownArgument => format!("未知参数“{arg}” (unknown argument)"),
        ErrorKind::InvalidSubcommand => format!("未知命令“{}” (unknown command)", text(ContextKind::InvalidSubcommand)),
        ErrorKind::MissingRequiredArgument => format!("缺少 {arg} (missing argument)"),
        ErrorKind::ArgumentConflict => format!("{arg} 与 {} 只能选一个 (cannot be used together)", text(ContextKind::PriorArg)),
        // Our own parsers' messages (`--encoding`) are already bilingual.
        ErrorKind::ValueValidation if std::error::Error::source(e).is_some() => {
            format!("{arg}：{}", std::error::Error::source(e).map(ToString::to_string).unwrap_or_default())
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => format!("{arg} 的值“{}”无效 (invalid value)", text(ContextKind::InvalidValue)),
        // Rarer kinds keep clap's (English) sentence; the usage follows in our words.
        _ => e.render().to_string().lines().next().unwrap_or_default().trim_start_matches("error: ").to_string(),
    };
    let usage = text(ContextKind::Usage);
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    if usage.is_empty() {
        eprintln!("错误 (error): {message}");
    } else {
        eprintln!("错误 (error): {message}\n\n用法 (usage): {usage}\n详见 --help (see --help)");
    }
    ExitCode::from(2)
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

fn calc(policy: &str, scenario: &str, json: bool) -> Result<ExitCode, String> {
    let policy = policies::load(policy)?;
    let scenario = yibao_cli::batch::parse_scenario(&read_input(scenario)?).map_err(|e| format!("情景有误 (bad scenario) {e}"))?;
    let result = yibao_engine::calculate(&policy, &scenario).map_err(|e| format!("情景有误 (bad scenario) {e}"))?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if json {
        serde_json::to_writer_pretty(&mut out, &result).map_err(|e| e.to_string())?;
        writeln!(out).map_err(|e| e.to_string())?;
    } else {
        report::write(&mut out, &policy, &result).map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok(ExitCode::SUCCESS)
}

/// JSON lines in, JSON lines out; the exit status is 1 when any line failed.
fn batch(policy: &str, detail: Detail, encoding: Encoding) -> Result<ExitCode, String> {
    let policy = policies::load(policy)?;
    let stdout = io::stdout();
    let summary = yibao_cli::batch::run(&policy, io::stdin().lock(), BufWriter::new(stdout.lock()), detail, encoding)
        .map_err(|e| format!("批量计算中断 (batch stopped): {e}"))?;
    if summary.failed > 0 {
        eprintln!("{} / {} 行情景有误 (lines with errors)", summary.failed, summary.lines);
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn validate(files: &[String]) -> Result<ExitCode, String> {
    let mut bad = 0;
    for arg in files {
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_definition_is_consistent() {
        super::command().debug_assert();
    }
}
