//! The command line itself: every command and flag of README.md is accepted, help is printed
//! with status 0, and bad usage is a bilingual message with status 2 (before any file is read).

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn yibao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yibao")).current_dir(root()).args(args).stdin(Stdio::null()).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_lists_every_command_in_chinese() {
    for args in [&[][..], &["--help"], &["-h"], &["help"]] {
        let out = yibao(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let help = text(&out.stdout);
        assert!(help.contains("用法 (usage)") && help.contains("命令 (commands)"), "{args:?}: {help}");
        for command in ["calc", "batch", "validate", "lint", "diff", "schema", "policies"] {
            assert!(help.contains(&format!("  {command} ")), "{args:?}: {command} missing from\n{help}");
        }
        assert!(!help.contains("Usage:") && !help.contains("Print help"), "clap's English headings: {help}");
    }
}

#[test]
fn each_command_has_its_help() {
    let calc = text(&yibao(&["calc", "--help"]).stdout);
    assert!(calc.contains("yibao calc --policy <id|路径> --scenario <文件|-> [--json]") && calc.contains("--json"), "{calc}");
    let batch = yibao(&["help", "batch"]);
    assert_eq!(batch.status.code(), Some(0));
    let batch = text(&batch.stdout);
    for flag in ["--policy", "--totals", "--explain", "--encoding", "gbk"] {
        assert!(batch.contains(flag), "{flag} missing from\n{batch}");
    }
    assert!(!batch.contains("Print help"), "{batch}");
}

#[test]
fn version() {
    let out = yibao(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("yibao ") && text(&out.stdout).contains("policy format"), "{}", text(&out.stdout));
}

#[test]
fn bad_usage_is_status_2_with_a_bilingual_message() {
    let cases: &[(&[&str], &str)] = &[
        (&["frobnicate"], "未知命令“frobnicate”"),
        (&["calc", "--policy", "tianjin-2023"], "缺少 --scenario"),
        (&["calc", "--policy"], "--policy"),
        (&["calc", "--policy", "tianjin-2023", "--scenario", "-", "--brief"], "未知参数“--brief”"),
        (&["batch", "--policy", "tianjin-2023", "--totals", "--explain"], "只能选一个"),
        (&["batch", "--policy", "tianjin-2023", "--encoding", "latin1"], "不支持的编码“latin1”"),
        (&["validate"], "缺少"),
        (&["lint", "--json"], "缺少"),
        (&["lint", "--jsn", "tianjin-2023"], "未知参数“--jsn”"),
        (&["diff", "jiamusi-2021"], "缺少 <新政策>"),
        (&["diff", "jiamusi-2021", "jiamusi-2022", "tianjin-2023"], "tianjin-2023"),
        (&["schema", "extra"], "extra"),
    ];
    for (args, said) in cases {
        let out = yibao(args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("错误 (error): ") && err.contains(said), "{args:?}: expected {said:?} in\n{err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn flags_may_come_in_any_order() {
    let a = yibao(&["lint", "--json", "tianjin-2023"]);
    let b = yibao(&["lint", "tianjin-2023", "--json"]);
    assert_eq!(a.stdout, b.stdout);
    assert!(text(&a.stdout).trim_start().starts_with('['), "{}", text(&a.stdout));
    assert!(matches!(a.status.code(), Some(0 | 1)));
}
