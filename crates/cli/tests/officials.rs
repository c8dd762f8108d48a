//! `yibao lint` and `yibao diff` as officials run them: the five seed policies, deliberately
//! broken copies, and the Jiamusi 2021 → 2022 comparison checked by hand.

use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn yibao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yibao")).current_dir(root()).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// Writes a modified copy of a seed policy to a temporary file.
fn broken_copy(id: &str, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let text = std::fs::read_to_string(root().join(format!("policies/{id}.json"))).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    edit(&mut v);
    let dir = std::env::temp_dir().join(format!("yibao-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path
}

fn errors(report: &serde_json::Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| (f["check"].as_str().unwrap().to_string(), f["path"].as_str().unwrap_or("").to_string()))
        .collect()
}

#[test]
fn the_five_seed_policies_pass_lint_with_warnings() {
    let ids = ["tianjin-2023", "hohhot-2023", "hohhot-2024", "jiamusi-2021", "jiamusi-2022"];
    let out = yibao(&[&["lint", "--json"][..], &ids[..]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let reports = json(&out);
    for (id, r) in ids.iter().zip(reports.as_array().unwrap()) {
        assert_eq!(r["file"], *id);
        assert_eq!(r["errors"], 0, "{id}");
        assert!(r["warnings"].as_u64().unwrap() > 0, "{id}: every seed policy has assumed figures");
        // Every norm finding names its source.
        for f in r["findings"].as_array().unwrap() {
            if f["check"] != "not_covered" {
                assert!(f["norm"]["document"].is_string() && f["norm"]["clause"].is_string(), "{id}: {f}");
            }
        }
    }
    let share = |i: usize| reports[i]["in_scope_share"]["share"].as_str().unwrap().to_string();
    assert_eq!(share(0), "0.7245"); // Tianjin 695,500 / 960,000
    assert_eq!(share(3), "0.6452"); // Jiamusi 619,425 / 960,000
    // The readable form names the norm's seed file and clause.
    let text = stdout(&yibao(&["lint", "tianjin-2023"]));
    assert!(text.contains("seed 000 二(五)") && text.contains("结论：通过"), "{text}");
}

#[test]
fn broken_copies_fail_lint_naming_path_and_norm() {
    let path = broken_copy("hohhot-2024", "broken-norms.json", |v| {
        v["critical_illness"]["segments"][0]["ratio"]["value"] = "55%".into();
        v["assistance"]["categories"][1]["rules"][0]["ratio"]["value"] = "60%".into();
        v["contribution"]["subsidised_enrolment"][1]["share"]["value"] = "40%".into();
        v["critical_illness"]["threshold"]["value"] = "40000".into();
        let ratios = &mut v["basic"]["benefits"][0]["ratio"]["standard"];
        ratios["level3"]["value"] = "75%".into();
    });
    let out = yibao(&["lint", "--json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "lint must fail on errors");
    let r = &json(&out)[0];
    let errs = errors(r);
    for expected in [
        ("critical_illness_ratio", "critical_illness.segments[0].ratio"),
        ("assistance_ratio", "assistance.categories[1].rules[0].ratio"),
        ("subsidised_enrolment", "contribution.subsidised_enrolment[1].share"),
        ("critical_illness_threshold", "critical_illness.threshold"),
        ("level_gradient", "basic.benefits[0].ratio.standard.level3"),
    ] {
        assert!(errs.contains(&(expected.0.to_string(), expected.1.to_string())), "{expected:?} not in {errs:?}");
    }
    let norm_of = |check: &str| r["findings"].as_array().unwrap().iter().find(|f| f["check"] == check && f["severity"] == "error").unwrap()["norm"].clone();
    assert_eq!(norm_of("critical_illness_ratio")["seed"], "002_76ff2b27b08e7557.txt");
    assert_eq!(norm_of("critical_illness_ratio")["clause"], "三(二)");
    assert_eq!(norm_of("level_gradient")["seed"], "003_42248a4e41383b34.txt");
    assert_eq!(norm_of("critical_illness_threshold")["clause"], "二(五)");

    let text = stdout(&yibao(&["lint", path.to_str().unwrap()]));
    assert!(text.contains("✗ [critical_illness.segments[0].ratio]") && text.contains("结论：未通过"), "{text}");
}

#[test]
fn a_file_that_does_not_validate_fails_lint_with_its_problems() {
    let path = broken_copy("tianjin-2023", "broken-format.json", |v| {
        v["basic"]["benefits"][0]["ratio"]["high"]["level3"]["value"] = "175%".into();
    });
    let out = yibao(&["lint", "--json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(errors(&json(&out)[0]), [("format".to_string(), "basic.benefits[0].ratio.high.level3".to_string())]);
    let missing = yibao(&["lint", "no/such/file.json"]);
    assert_eq!(missing.status.code(), Some(1));
}

/// Jiamusi 2021 → 2022: the segmented critical illness insurance of seed 001 二、1.
///
/// Hand check, ordinary resident, 三级 admission, 150,000 in scope:
/// basic (2018 tariff, assumed, both years): (150,000 − 700) × 65% = 97,045 → cap 80,000;
/// burden after basic 70,000.
/// 2021: (70,000 − 12,000) × 60% = 34,800.00.
/// 2022: (20,000 − 12,000) × 65% + (50,000 − 20,000) × 70% + (70,000 − 50,000) × 75%
///     = 5,200 + 21,000 + 15,000 = 41,200.00; difference +6,400.00.
#[test]
fn jiamusi_diff_shows_the_segmented_critical_illness_and_its_effect() {
    let out = yibao(&["diff", "jiamusi-2021", "jiamusi-2022"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for needle in [
        "调整 大病保险第1段支付比例  [critical_illness.segments[0].ratio]",
        "原：60%　【文件明确规定】《关于做好2021年城乡居民基本医疗保障工作的通知》二、1：政策范围内支付比例为60%",
        "新增 大病保险第2段上限",
        // 2022 states there is no cap (取消年度最高支付限额): a change to "none", with its clause.
        "调整 大病保险年度最高支付限额（不设封顶）  [critical_illness.cap]",
        "新：不设封顶　【文件明确规定】",
        "（无：不设上限）",
        "▸ 三级医院住院 18万元（政策范围内 150,000.00）",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let major = text.split("▸ 三级医院住院 18万元").nth(1).unwrap();
    let ci_line = major.lines().find(|l| l.contains("大病保险")).unwrap();
    assert!(ci_line.contains("34,800.00") && ci_line.contains("41,200.00") && ci_line.contains("+6,400.00"), "{ci_line}");

    let v = json(&yibao(&["diff", "--json", "jiamusi-2021", "jiamusi-2022"]));
    let effect = v["residents"].as_array().unwrap().iter().find(|e| e["resident"].is_null() && e["bill"]["id"] == "major_admission").unwrap();
    let ci = effect["comparison"]["layers"].as_array().unwrap().iter().find(|l| l["layer"] == "critical_illness").unwrap();
    assert_eq!((ci["before"].as_str(), ci["after"].as_str(), ci["difference"].as_str()), (Some("34800.00"), Some("41200.00"), Some("6400.00")));
    assert_eq!(effect["comparison"]["out_of_pocket"]["difference"], "-6400.00");
    let change = v["parameters"]["changes"].as_array().unwrap().iter().find(|c| c["path"] == "critical_illness.segments[0].ratio").unwrap();
    assert_eq!((change["before"]["display"].as_str(), change["after"]["display"].as_str()), (Some("60%"), Some("65%")));
    assert_eq!(change["after"]["source"]["seed"], "001_f5b36aa516dc0953.txt");
}

#[test]
fn diff_needs_two_policies() {
    assert_eq!(yibao(&["diff", "jiamusi-2021"]).status.code(), Some(2));
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Issue #9: `validate` accepted an income of 0.0000000000000000000000000001 (every figure was
/// within 0 to 10 billion), but the cap over it is about 4 × 10^33, beyond a Decimal's 28
/// digits: lint stopped with “Division overflowed”. An amount now has at most two decimals, so
/// validate refuses the file; lint reports that as format errors, and lint and diff finish.
/// (Figures that validate accepts but a check cannot compute are warnings naming the figure:
/// `crates/tools/tests/extremes.rs` runs lint and diff over every number set to extremes.)
#[test]
fn a_figure_beyond_the_checks_arithmetic_is_a_finding_not_an_abort() {
    let path = broken_copy("tianjin-2023", "tiny-income.json", |v| {
        v["statistics"]["income_2022"]["value"]["value"] = "0.0000000000000000000000000001".into();
    });
    let file = path.to_str().unwrap();
    let validate = yibao(&["validate", file]);
    assert_eq!(validate.status.code(), Some(1));
    assert!(stdout(&validate).contains("statistics.income_2022.value") && stdout(&validate).contains("at most two decimals"), "{}", stdout(&validate));

    let out = yibao(&["lint", "--json", file]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "lint stopped: {:?}\n{}", out.status, stderr(&out));
    let findings = json(&out)[0]["findings"].as_array().unwrap().clone();
    assert!(findings.iter().any(|f| f["path"] == "statistics.income_2022.value" && f["severity"] == "error"), "{findings:#?}");

    let text = yibao(&["lint", file]);
    assert!(matches!(text.status.code(), Some(0 | 1)), "{:?}\n{}", text.status, stderr(&text));

    for args in [["diff", "tianjin-2023", file], ["diff", file, "tianjin-2023"]] {
        let out = yibao(&args);
        // diff refuses a file that does not validate, with a message, not an abort.
        assert!(matches!(out.status.code(), Some(0 | 1 | 2)), "{args:?}: {:?} {}", out.status, stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
}
