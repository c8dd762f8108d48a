//! `yibao batch` as a hospital system's export reaches it: a stray byte that is not UTF-8
//! costs its own line only, GBK files are read with `--encoding gbk`, and a byte order mark
//! or Windows line ends change nothing (issue #9, item 4).

mod common;

use std::process::Output;

fn batch(args: &[&str], input: &[u8]) -> Output {
    let args: Vec<&str> = ["batch", "--policy", "tianjin-2023"].iter().chain(args).copied().collect();
    common::yibao_with_input(&args, input)
}

/// Each output line as JSON.
fn lines(o: &Output) -> Vec<serde_json::Value> {
    let text = String::from_utf8(o.stdout.clone()).unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

const ADMISSION: &str = r#"{"identities":["subsistence_allowance"],"visits":[{"kind":"inpatient","level":"level3","total":"100000","in_scope":"90000"}]}"#;
const OUTPATIENT: &str = r#"{"visits":[{"kind":"outpatient","level":"level1","total":"900","in_scope":"800"}]}"#;

/// “低保户” in GBK (and GB18030): 低 B5 CD, 保 B1 A3, 户 BB A7. Not UTF-8: B5 is a
/// continuation byte where a character must start.
const DIBAOHU_GBK: &[u8] = b"\xB5\xCD\xB1\xA3\xBB\xA7";

fn with_unknown_identity(name: &[u8]) -> Vec<u8> {
    [&br#"{"identities":[""#[..], name, br#""],"visits":[{"kind":"inpatient","level":"level3","total":"100","in_scope":"90"}]}"#].concat()
}

fn assert_result(line: &serde_json::Value, out_of_pocket: &str) {
    assert_eq!(line["totals"]["out_of_pocket"], out_of_pocket, "{line}");
}

#[test]
fn a_line_that_is_not_utf8_is_an_error_line_and_the_batch_goes_on() {
    // Line 2 is the outpatient visit with one byte (0xFF, never UTF-8) in its level.
    let bad = OUTPATIENT.replace("level1", "level\u{1}").into_bytes();
    let bad: Vec<u8> = bad.into_iter().map(|b| if b == 1 { 0xFF } else { b }).collect();
    let input = [ADMISSION.as_bytes(), b"\n", &bad, b"\n", OUTPATIENT.as_bytes(), b"\n"].concat();
    let out = batch(&[], &input);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let l = lines(&out);
    assert_eq!(l.len(), 3, "{l:#?}");
    assert_result(&l[0], "14629.99"); // README's example: 低保, 三级 100,000 / 90,000
    assert_eq!(l[1]["line"], 2);
    assert_eq!(l[1]["error"]["field"], "(line)");
    let message = l[1]["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("第 2 行不是有效的 UTF-8 文本") && message.contains("--encoding gbk"), "{message}");
    assert!(l[2]["totals"].is_object(), "{}", l[2]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 / 3"));
}

#[test]
fn gbk_input_is_decoded_with_encoding_gbk() {
    let input = [&with_unknown_identity(DIBAOHU_GBK)[..], b"\r\n", ADMISSION.as_bytes(), b"\r\n"].concat();
    for flag in ["gbk", "GB18030"] {
        let out = batch(&["--encoding", flag], &input);
        assert_eq!(out.status.code(), Some(1), "{flag}");
        let l = lines(&out);
        assert_eq!(l.len(), 2, "{l:#?}");
        // Decoded: the error is about the identity, and shows it in Chinese.
        assert_eq!(l[0]["line"], 1);
        assert_eq!(l[0]["error"]["field"], "identities[0]", "{}", l[0]);
        assert!(l[0]["error"]["message"].as_str().unwrap().contains("低保户"), "{}", l[0]);
        assert_result(&l[1], "14629.99");
    }
    // The same bytes read as UTF-8 (the default): that line is not text, the next one is.
    let out = batch(&[], &input);
    assert_eq!(out.status.code(), Some(1));
    let l = lines(&out);
    assert_eq!((l[0]["line"].as_u64(), l[0]["error"]["field"].as_str()), (Some(1), Some("(line)")), "{}", l[0]);
    assert!(l[0]["error"]["message"].as_str().unwrap().contains("不是有效的 UTF-8 文本"));
    assert_result(&l[1], "14629.99");
}

#[test]
fn a_byte_order_mark_and_windows_line_ends_are_not_errors() {
    let input = ["\u{FEFF}", ADMISSION, "\r\n", "\r\n", OUTPATIENT, "\r\n"].concat();
    for args in [&[][..], &["--encoding", "utf-8"][..]] {
        let out = batch(args, input.as_bytes());
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let l = lines(&out);
        assert_eq!(l.len(), 2);
        assert_result(&l[0], "14629.99");
    }
}

#[test]
fn an_unknown_encoding_is_refused() {
    let out = batch(&["--encoding", "latin1"], ADMISSION.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("latin1"));
}
