//! `src/types.d.ts` is generated from the engine's types (ts-rs, the engine's `ts` feature,
//! native only) and checked here, so it cannot drift:
//! - the file is what the engine's types give (`cargo xtask bless` rewrites it);
//! - every input type (`Policy`, `Scenario` and what they contain) has exactly the fields of
//!   the engine's JSON Schema, optional exactly where the schema does not require them (a
//!   field read with a default needs `ts(optional)` or `ts(as = "Option<_>", optional)`);
//! - real results (`CalcResult`, `CurvePoint`, `Problem`) of every policy, serialized as the
//!   package serializes them, have exactly the declared fields, each of the declared type
//!   (this checks the `ts(type = …)` overrides, e.g. amounts as strings).

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use ts_rs::{Config, TS};
use yibao_engine::{curve, ids, policy, result, scenario};

fn types_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/types.d.ts")
}

// ---------------------------------------------------------------- generating types.d.ts

const HEADER: &str = r#"
// ---------------------------------------------------------------------------------------
// yibao-wasm: the types of the values that cross the boundary. Every field is named.
// GENERATED from the engine's Rust types by crates/wasm/tests/typescript.rs (ts-rs): do not
// edit; change the Rust types (or the hand-written parts in that file) and run
// `cargo xtask bless`.
// ---------------------------------------------------------------------------------------

/** An amount in a result: a string with exactly two decimals, no separators, e.g. `"67125.00"`. */
export type Amount = string;

/**
 * A decimal in an input: a string (`"48976"`, `"0.65"`, `"65%"`) or a number. Strings are
 * exact and recommended; numbers are taken by their shortest text (`0.1` stays `0.1`).
 */
export type DecimalInput = string | number;
"#;

/// `Table` and `Cap` are read by hand (crates/engine/src/policy/table.rs), not derived.
const TABLE_TYPES: &str = r#"
/**
 * A figure, or a choice by a dimension: `{ by: "facility", level3: {…}, "level1,grassroots": {…} }`.
 * A key may list several values separated by commas; every value of the dimension is covered once.
 */
export type Table = Param | ({ by: Dimension } & { [key: string]: Table | Dimension });

/** A cap: an amount table, or `{ value: "none", … }` where the documents state there is none. */
export type Cap = Table | Sourced<"none">;
"#;

/// The package's own values (crates/wasm/src/lib.rs), not engine types.
const PACKAGE_TYPES: &str = r#"
// ------------------------------------------------------------------ the package's own values

/** What `Calculator.totals` returns: the totals alone, without the explanation. */
export interface TotalsResult {
  identity: Identity | null;
  totals: Totals;
}

export interface Version {
  /** This package's version. */
  package: string;
  /** The engine's version. */
  engine: string;
  /** The policy format version this engine reads (`Policy.format_version`). */
  policy_format: number;
}

/**
 * What every function throws on bad input: a plain `Error` whose message names the problem,
 * e.g. `visits[0].in_scope: 政策范围内费用不能大于医疗总费用…`. `field` is set for a bad
 * scenario (or `points`); `problems` for a bad policy, each with its JSON path.
 */
export interface YibaoError extends Error {
  field?: string;
  /** What kind of problem a bad scenario has (set with `field`): decide by this, never by the message's words. */
  kind?: ScenarioErrorKind;
  problems?: Problem[];
}
"#;

/// The whole file: the header, the engine's types in the order a reader meets them, the
/// package's own values.
fn generate() -> String {
    let cfg = Config::default();
    let mut out = String::from(HEADER);
    let section = |out: &mut String, title: &str, decls: Vec<String>| {
        out.push_str(&format!("\n// ------------------------------------------------------------------ {title}\n"));
        for d in decls {
            out.push('\n');
            out.push_str(&d);
        }
    };
    section(
        &mut out,
        "vocabulary",
        vec![
            export::<ids::VisitKind>(&cfg),
            export::<ids::HospitalLevel>(&cfg),
            export::<ids::Place>(&cfg),
            export::<ids::Identity>(&cfg),
            export::<ids::Layer>(&cfg),
            export::<ids::Scheme>(&cfg),
            export::<policy::Status>(&cfg),
        ],
    );
    section(&mut out, "the scenario (input)", vec![export::<scenario::Scenario>(&cfg), export::<scenario::Visit>(&cfg)]);
    section(
        &mut out,
        "the policy (input)",
        vec![
            export::<policy::Policy>(&cfg),
            export::<policy::Document>(&cfg),
            export::<policy::Statistic>(&cfg),
            export::<policy::StatisticRole>(&cfg),
            export::<policy::Tier>(&cfg),
            export::<policy::Param>(&cfg),
            export::<policy::Derivation>(&cfg),
            export::<policy::Source>(&cfg),
            export::<policy::Sourced<()>>(&cfg),
            export::<policy::Dimension>(&cfg),
            TABLE_TYPES.trim_start().to_string(),
            export::<policy::CapPool>(&cfg),
            export::<policy::Basic>(&cfg),
            export::<policy::DeductibleRule>(&cfg),
            export::<policy::Benefit>(&cfg),
            export::<policy::RatioBonus>(&cfg),
            export::<policy::SegmentBasis>(&cfg),
            export::<policy::CriticalIllness>(&cfg),
            export::<policy::Segment>(&cfg),
            export::<policy::CriticalIllnessTilt>(&cfg),
            export::<policy::Assistance>(&cfg),
            export::<policy::AssistanceCategory>(&cfg),
            export::<policy::AssistanceRule>(&cfg),
            export::<policy::TiltedAssistance>(&cfg),
            export::<policy::Monitoring>(&cfg),
            export::<policy::MonitoringLine>(&cfg),
            export::<policy::NextStep>(&cfg),
            export::<policy::Contribution>(&cfg),
            export::<policy::EnrolmentSubsidy>(&cfg),
            export::<policy::FiscalSplit>(&cfg),
            export::<policy::FiscalPart>(&cfg),
        ],
    );
    section(
        &mut out,
        "results (output)",
        vec![
            export::<result::CalcResult>(&cfg),
            export::<result::PolicyRef>(&cfg),
            export::<result::TierRef>(&cfg),
            export::<result::IdentityOutcome>(&cfg),
            export::<result::Totals>(&cfg),
            export::<result::Coverage>(&cfg),
            export::<result::LayerSummary>(&cfg),
            export::<result::VisitResult>(&cfg),
            export::<result::Flag>(&cfg),
            export::<result::Step>(&cfg),
            export::<result::ParamUse>(&cfg),
            export::<result::SourceRef>(&cfg),
            export::<result::AlertKind>(&cfg),
            export::<result::Alert>(&cfg),
            export::<result::ContributionResult>(&cfg),
            export::<result::FiscalSplitResult>(&cfg),
            export::<result::FiscalPartResult>(&cfg),
            export::<curve::CurvePoint>(&cfg),
            export::<policy::Problem>(&cfg),
            export::<scenario::ScenarioErrorKind>(&cfg),
        ],
    );
    out.push_str(PACKAGE_TYPES);
    out
}

/// One type as ts-rs declares it (`type Name = { a: T, /** doc */ b?: U, };` on one line, or
/// a union of strings), rewritten one field per line: an object type as an `interface`, a
/// union as a `type`. With the type's doc comment.
fn export<T: TS + ?Sized>(cfg: &Config) -> String {
    let decl = T::decl(cfg);
    let decl = decl.trim().strip_prefix("type ").unwrap_or_else(|| panic!("ts-rs declaration: {decl}"));
    let (name, body) = decl.split_once(" = ").unwrap_or_else(|| panic!("ts-rs declaration: {decl}"));
    let body = body.trim().trim_end_matches(';').trim();
    let mut out = T::docs().unwrap_or_default();
    if let Some(fields) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
        out.push_str(&format!("export interface {name} {{\n"));
        for field in split_top_level(fields, ',') {
            let (docs, field) = take_docs(&field);
            if field.is_empty() {
                continue;
            }
            for line in docs {
                out.push_str(&format!("  {line}\n"));
            }
            out.push_str(&format!("  {field};\n"));
        }
        out.push_str("}\n");
    } else {
        // A union of strings; variants' doc comments stay on the Rust side.
        let variants: Vec<String> = split_top_level(body, '|').iter().map(|v| take_docs(v).1).collect();
        out.push_str(&format!("export type {name} = {};\n", variants.join(" | ")));
    }
    out
}

/// Splits at `sep` outside brackets, strings and comments.
fn split_top_level(text: &str, sep: char) -> Vec<String> {
    let (mut parts, mut current, mut depth) = (Vec::new(), String::new(), 0i32);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '/' && chars.peek() == Some(&'*') {
            current.push(c);
            let mut last = ' ';
            for d in chars.by_ref() {
                current.push(d);
                if last == '*' && d == '/' {
                    break;
                }
                last = d;
            }
            continue;
        }
        if c == '"' {
            current.push(c);
            for d in chars.by_ref() {
                current.push(d);
                if d == '"' {
                    break;
                }
            }
            continue;
        }
        match c {
            '{' | '<' | '(' | '[' => depth += 1,
            '}' | '>' | ')' | ']' => depth -= 1,
            _ => {}
        }
        if c == sep && depth == 0 {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    parts
}

/// A leading doc comment's lines (re-indented) and what follows it.
fn take_docs(text: &str) -> (Vec<String>, String) {
    let text = text.trim();
    match text.strip_prefix("/**").and_then(|t| t.split_once("*/")) {
        Some((docs, rest)) => {
            let lines: Vec<String> = std::iter::once("/**".to_string())
                .chain(docs.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| format!(" {l}")))
                .chain(std::iter::once(" */".to_string()))
                .collect();
            (lines, rest.trim().to_string())
        }
        None => (Vec::new(), text.to_string()),
    }
}

#[test]
fn types_d_ts_is_generated_from_the_engine_types() {
    let want = generate();
    if std::env::var_os("YIBAO_BLESS").is_some() {
        std::fs::write(types_path(), &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(types_path()).unwrap();
    if have != want {
        let line = have.lines().zip(want.lines()).position(|(a, b)| a != b).unwrap_or(have.lines().count().min(want.lines().count()));
        panic!(
            "src/types.d.ts is not what the engine's types give (first difference at line {}: {:?} vs {:?}); \
             run `cargo xtask bless` and review the diff",
            line + 1,
            have.lines().nth(line),
            want.lines().nth(line)
        );
    }
}

// ---------------------------------------------------------------- reading types.d.ts

struct Field {
    optional: bool,
    ty: String,
}

/// `interface Name { field?: type; … }` blocks and `type Name = "a" | "b";` unions.
struct Decls {
    interfaces: BTreeMap<String, BTreeMap<String, Field>>,
    unions: BTreeMap<String, Vec<String>>,
}

fn parse() -> Decls {
    // While blessing, the file is being rewritten by another test.
    let text = match std::env::var_os("YIBAO_BLESS") {
        Some(_) => generate(),
        None => std::fs::read_to_string(types_path()).unwrap(),
    };
    let mut interfaces = BTreeMap::new();
    let mut unions = BTreeMap::new();
    let mut current: Option<(String, BTreeMap<String, Field>)> = None;
    let mut union: Option<(String, String)> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.starts_with("//") || line.starts_with("/**") || line.starts_with('*') || line.is_empty() {
            continue;
        }
        if let Some((name, text)) = union.as_mut() {
            text.push_str(line);
            if line.ends_with(';') {
                unions.insert(name.clone(), literals(text));
                union = None;
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("export interface ") {
            let name = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap().to_string();
            current = Some((name, BTreeMap::new()));
        } else if let Some(rest) = line.strip_prefix("export type ") {
            let (name, def) = rest.split_once('=').expect("type alias");
            let (name, def) = (name.trim().to_string(), def.trim());
            if def.ends_with(';') {
                unions.insert(name, literals(def));
            } else {
                union = Some((name, def.to_string()));
            }
        } else if line == "}" {
            let (name, fields) = current.take().expect("closing brace of an interface");
            interfaces.insert(name, fields);
        } else if let Some((_, fields)) = current.as_mut() {
            let (name, ty) = line.trim_end_matches(';').split_once(": ").unwrap_or_else(|| panic!("field line: {line}"));
            let optional = name.ends_with('?');
            fields.insert(name.trim_end_matches('?').to_string(), Field { optional, ty: ty.to_string() });
        }
    }
    Decls { interfaces, unions }
}

/// `"a" | "b"` → [a, b]; other aliases (`string`) → [].
fn literals(def: &str) -> Vec<String> {
    def.trim_end_matches(';')
        .split('|')
        .map(str::trim)
        .filter(|s| s.starts_with('"'))
        .map(|s| s.trim_matches('"').to_string())
        .collect()
}

/// The TypeScript name of a schema definition.
fn ts_name(def: &str) -> String {
    match def {
        "Document" => "PolicyDocument".into(),
        d if d.starts_with("Sourced") => "Sourced".into(),
        d => d.into(),
    }
}

fn check_schema(decls: &Decls, schema: &Value, failures: &mut Vec<String>) {
    let mut defs: Vec<(String, &Value)> = vec![(schema["title"].as_str().unwrap().to_string(), schema)];
    if let Some(map) = schema.get("$defs").and_then(Value::as_object) {
        defs.extend(map.iter().map(|(k, v)| (k.clone(), v)));
    }
    for (def, s) in defs {
        let Some(props) = s.get("properties").and_then(Value::as_object) else { continue };
        let name = ts_name(&def);
        let Some(fields) = decls.interfaces.get(&name) else {
            failures.push(format!("types.d.ts has no interface {name} (schema {def})"));
            continue;
        };
        let required: Vec<&str> = s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        for key in props.keys() {
            match fields.get(key) {
                None => failures.push(format!("{name}.{key}: in the engine's schema, not in types.d.ts")),
                Some(f) if f.optional == required.contains(&key.as_str()) => {
                    failures.push(format!("{name}.{key}: optional in one of types.d.ts and the schema only"))
                }
                Some(_) => {}
            }
        }
        for key in fields.keys() {
            if !props.contains_key(key) {
                failures.push(format!("{name}.{key}: in types.d.ts, not in the engine's schema"));
            }
        }
    }
}

/// Checks a serialized value against a TypeScript type.
fn check_value(decls: &Decls, ty: &str, v: &Value, path: &str, failures: &mut Vec<String>) {
    let ty = ty.trim();
    if let Some(inner) = ty.strip_suffix(" | null") {
        if !v.is_null() {
            check_value(decls, inner, v, path, failures);
        }
        return;
    }
    if let Some(inner) = ty.strip_suffix("[]").or_else(|| ty.strip_prefix("Array<").and_then(|t| t.strip_suffix('>'))) {
        match v.as_array() {
            Some(items) => items.iter().enumerate().for_each(|(i, x)| check_value(decls, inner, x, &format!("{path}[{i}]"), failures)),
            None => failures.push(format!("{path}: expected an array ({ty}), got {v}")),
        }
        return;
    }
    let ok = match ty {
        "string" => v.is_string(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "Amount" => v.as_str().is_some_and(|s| {
            let (i, f) = s.trim_start_matches('-').split_once('.').unwrap_or(("", ""));
            !i.is_empty() && f.len() == 2 && s.trim_start_matches('-').chars().all(|c| c.is_ascii_digit() || c == '.')
        }),
        _ => {
            if let Some(values) = decls.unions.get(ty) {
                v.as_str().is_some_and(|s| values.iter().any(|x| x == s))
            } else if let Some(fields) = decls.interfaces.get(ty) {
                let Some(obj) = v.as_object() else {
                    failures.push(format!("{path}: expected an object ({ty}), got {v}"));
                    return;
                };
                for key in obj.keys() {
                    if !fields.contains_key(key) {
                        failures.push(format!("{path}.{key}: written by the engine, not declared in {ty}"));
                    }
                }
                for (key, f) in fields {
                    match obj.get(key) {
                        Some(x) => check_value(decls, &f.ty, x, &format!("{path}.{key}"), failures),
                        None if f.optional => {}
                        None => failures.push(format!("{path}.{key}: declared in {ty}, not written by the engine")),
                    }
                }
                true
            } else {
                failures.push(format!("{path}: types.d.ts does not declare {ty}"));
                true
            }
        }
    };
    if !ok {
        failures.push(format!("{path}: {v} is not a {ty}"));
    }
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn input_types_match_the_engine_schema() {
    let decls = parse();
    let mut failures = Vec::new();
    check_schema(&decls, &serde_json::to_value(schemars::schema_for!(yibao_engine::Policy)).unwrap(), &mut failures);
    check_schema(&decls, &serde_json::to_value(schemars::schema_for!(yibao_engine::Scenario)).unwrap(), &mut failures);
    assert!(failures.is_empty(), "types.d.ts and the engine differ:\n  {}", failures.join("\n  "));
}

#[test]
fn results_of_every_policy_match_the_declared_types() {
    let decls = parse();
    let index: Value = serde_json::from_str(&std::fs::read_to_string(root().join("policies/index.json")).unwrap()).unwrap();
    let scenarios = [
        r#"{"visits": [{"kind": "inpatient", "level": "level3", "total": "300000", "in_scope": "250000", "referred": true},
                       {"kind": "outpatient", "level": "grassroots", "total": "900", "in_scope": "700"},
                       {"kind": "chronic_outpatient", "level": "level2", "total": "20000", "in_scope": "18000"}]}"#,
        r#"{"identities": ["subsistence_allowance", "extreme_poverty", "orphan", "low_income_margin", "lifted_out_of_poverty"],
            "visits": [{"kind": "inpatient", "level": "level2", "total": "80000", "in_scope": "70000", "referred": true}]}"#,
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in index["policies"].as_array().unwrap() {
        let text = std::fs::read_to_string(root().join("policies").join(entry["path"].as_str().unwrap())).unwrap();
        let policy = yibao_engine::policy::load(&mut serde_json::Deserializer::from_str(&text)).unwrap();
        // A policy with its own facility classes: the visits at its first and last classes.
        let classes = policy.facilities();
        let (low, high) = (classes[0].0, classes[classes.len() - 1].0);
        for s in scenarios {
            let s = s.replace("\"level3\"", &format!("\"{high}\"")).replace("\"level2\"", &format!("\"{high}\"")).replace("\"grassroots\"", &format!("\"{low}\""));
            let scenario = yibao_engine::scenario::read(&mut serde_json::Deserializer::from_str(&s)).unwrap();
            let result = yibao_engine::calculate(&policy, &scenario).unwrap();
            check_value(&decls, "CalcResult", &serde_json::to_value(&result).unwrap(), "result", &mut failures);
            let curve = yibao_engine::curve(&policy, &scenario, 4).unwrap();
            check_value(&decls, "CurvePoint[]", &serde_json::to_value(&curve).unwrap(), "curve", &mut failures);
            let (identity, totals) = yibao_engine::totals_only(&policy, &scenario).unwrap();
            let t = serde_json::json!({"identity": identity, "totals": totals});
            check_value(&decls, "TotalsResult", &t, "totals", &mut failures);
            checked += 1;
        }
    }
    let problems = yibao_engine::PolicyError::Invalid(vec![yibao_engine::Problem { path: "id".into(), message: "x".into() }]).problems();
    check_value(&decls, "Problem[]", &serde_json::to_value(&problems).unwrap(), "problems", &mut failures);
    assert!(checked >= 8, "only {checked} results checked");
    failures.sort();
    failures.dedup();
    assert!(failures.is_empty(), "results and types.d.ts differ:\n  {}", failures.join("\n  "));
}
