//! `yibao batch`: JSON lines of scenarios in, JSON lines of results out.

use std::borrow::Cow;
use std::io::{self, BufRead, Write};
use yibao_engine::{Policy, ScenarioError};

/// How many lines were read and how many failed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub lines: usize,
    pub failed: usize,
}

/// Reads one scenario from a JSON text, naming the field of a problem (or the line and
/// column where the text stops being JSON).
pub fn parse_scenario(text: &str) -> Result<yibao_engine::Scenario, ScenarioError> {
    yibao_engine::scenario::parse(text)
}

/// What each output line holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// `{identity, totals}`.
    Totals,
    /// `{identity, totals, visits}`: per-visit per-layer amounts, as on a settlement slip.
    Settlement,
    /// The whole result contract, explanation included (as `yibao calc --json`).
    Explained,
}

/// How the input's bytes are read as text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, the default.
    #[default]
    Utf8,
    /// GBK, which hospital systems in China often export; decoded as GB18030, its superset,
    /// so `gb18030` files are read too.
    Gbk,
}

impl Encoding {
    /// The `--encoding` value: `utf-8` (or `utf8`), `gbk`, `gb18030`, in any case.
    pub fn from_name(name: &str) -> Option<Encoding> {
        match name.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "gbk" | "gb18030" => Some(Encoding::Gbk),
            _ => None,
        }
    }

    /// One line's bytes as text; `None` when they are not valid in this encoding.
    fn decode(self, bytes: &[u8]) -> Option<Cow<'_, str>> {
        match self {
            Encoding::Utf8 => std::str::from_utf8(bytes).ok().map(Cow::Borrowed),
            Encoding::Gbk => encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes),
        }
    }

    /// What the error line of an undecodable line says.
    fn invalid(self, line: usize) -> ScenarioError {
        let message = match self {
            Encoding::Utf8 => format!("第 {line} 行不是有效的 UTF-8 文本；如果文件是 GBK 编码，请加 --encoding gbk (not valid UTF-8; if the file is GBK, use --encoding gbk)"),
            Encoding::Gbk => format!("第 {line} 行不是有效的 GBK/GB18030 文本；如果文件是 UTF-8 编码，请去掉 --encoding (not valid GBK/GB18030; if the file is UTF-8, leave out --encoding)"),
        };
        ScenarioError::new("(line)", yibao_engine::scenario::ScenarioErrorKind::Encoding, message)
    }
}

/// Processes every non-empty line. A bad line, including one that is not text in the given
/// encoding, gives `{"line": n, "error": {field, message}}` and the batch goes on.
///
/// The input is split on `\n` as bytes (a trailing `\r` is dropped), so one bad byte costs
/// one line: in GBK and GB18030, as in UTF-8, the byte `\n` is never part of a character.
/// A UTF-8 byte order mark at the start is skipped.
pub fn run(policy: &Policy, mut input: impl BufRead, mut out: impl Write, detail: Detail, encoding: Encoding) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut buffer = Vec::new();
    let mut n = 0;
    loop {
        buffer.clear();
        if input.read_until(b'\n', &mut buffer)? == 0 {
            break;
        }
        n += 1;
        let mut bytes = buffer.as_slice();
        if n == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let Some(line) = encoding.decode(bytes) else {
            summary.lines += 1;
            summary.failed += 1;
            write_error(&mut out, n, &encoding.invalid(n))?;
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        summary.lines += 1;
        let outcome = parse_scenario(&line).and_then(|scenario| match detail {
            Detail::Totals => yibao_engine::totals_only(policy, &scenario)
                .map(|(identity, totals)| serde_json::to_writer(&mut out, &serde_json::json!({"identity": identity, "totals": totals}))),
            Detail::Settlement => yibao_engine::settle(policy, &scenario).map(|s| serde_json::to_writer(&mut out, &s)),
            Detail::Explained => yibao_engine::calculate(policy, &scenario).map(|r| serde_json::to_writer(&mut out, &r)),
        });
        match outcome {
            Ok(written) => {
                written.map_err(io::Error::other)?;
                out.write_all(b"\n")?;
            }
            Err(e) => {
                summary.failed += 1;
                write_error(&mut out, n, &e)?;
            }
        }
    }
    out.flush()?;
    Ok(summary)
}

/// `{"line": n, "error": {field, message}}` and a newline.
fn write_error(mut out: impl Write, line: usize, error: &ScenarioError) -> io::Result<()> {
    serde_json::to_writer(&mut out, &serde_json::json!({"line": line, "error": error})).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
