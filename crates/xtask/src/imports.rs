//! Short names for the wasm's imports from its JS glue.
//!
//! wasm-bindgen names each import after the function and a 16-digit hash
//! (`__wbg_fetch_c30fc2ed77d76a76`); each appears twice, in the wasm's import section and in
//! the glue (a key of its imports object with `--target web`, an exported function with
//! `--target bundler`), and hex digits do not compress. `shorten` renames every import of the
//! glue's module to `a`, `b`, … `aa` … in both (the page's wasm 3.2 KB and its glue 2.0 KB
//! less gzipped on 2026-11-30). The module name, the exports and everything else are kept
//! byte for byte.

use std::ops::Range;

use wasmparser::{BinaryReader, Parser, Payload, TypeRef};

/// How the glue declares an import: `--target web`'s imports object, or `--target bundler`'s
/// `_bg.js` module, whose exports the wasm imports.
#[derive(Clone, Copy)]
pub enum Glue {
    ImportsObject,
    ExportedFunctions,
}

impl Glue {
    /// The text that declares the import `name`.
    fn declaration(self, name: &str) -> String {
        match self {
            Glue::ImportsObject => format!("{name}: function("),
            Glue::ExportedFunctions => format!("export function {name}("),
        }
    }
}

/// The wasm with its imports from `module` renamed, the glue with the same declarations
/// renamed, and how many were renamed. Every old name must be declared in the glue exactly
/// once and named nowhere else, and no new name may be declared already.
pub fn shorten(wasm: &[u8], glue: &str, module: &str, style: Glue) -> Result<(Vec<u8>, String, usize), String> {
    let (section, entries) = import_section(wasm)?;
    let mut renamed = Vec::new();
    let mut body = Vec::new();
    leb(&mut body, entries.len() as u64);
    for e in &entries {
        let name = if e.module == module { short_name(renamed.len()) } else { e.name.clone() };
        if e.module == module {
            renamed.push((e.name.clone(), name.clone()));
        }
        string(&mut body, &e.module);
        string(&mut body, &name);
        body.extend_from_slice(&wasm[e.desc.clone()]);
    }
    let mut out_glue = glue.to_string();
    for (old, new) in &renamed {
        if !declarations(glue, &style.declaration(new)).is_empty() {
            return Err(format!("the glue declares {new:?} already"));
        }
        let key = style.declaration(old);
        match declarations(&out_glue, &key)[..] {
            [at] => out_glue.replace_range(at..at + key.len(), &style.declaration(new)),
            ref all => return Err(format!("the glue declares the import {old:?} {} times, not once", all.len())),
        }
        if out_glue.contains(old.as_str()) {
            return Err(format!("the glue names the import {old:?} elsewhere than where it declares it"));
        }
    }
    let glue = out_glue;
    let mut out = wasm[..section.start].to_vec();
    out.push(2);
    leb(&mut out, body.len() as u64);
    out.extend_from_slice(&body);
    out.extend_from_slice(&wasm[section.end..]);
    Ok((out, glue, renamed.len()))
}

/// Where `decl` starts in `glue` as a whole name (not the end of a longer one).
fn declarations(glue: &str, decl: &str) -> Vec<usize> {
    let name_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    glue.match_indices(decl).map(|(i, _)| i).filter(|&i| !glue[..i].ends_with(name_char)).collect()
}

struct Entry {
    module: String,
    name: String,
    /// The import's description (kind and type), copied as it is.
    desc: Range<usize>,
}

/// The import section (from its id byte to its end) and its entries.
fn import_section(wasm: &[u8]) -> Result<(Range<usize>, Vec<Entry>), String> {
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| e.to_string())?;
        let Payload::ImportSection(imports) = payload else { continue };
        let body = imports.range();
        // The id byte and the size before the body.
        let start = (0..body.start).rev().find(|&i| wasm[i] == 2 && size_at(wasm, i + 1) == Some((body.start, body.len()))).ok_or("import section header not found")?;
        let mut r = BinaryReader::new(&wasm[body.clone()], body.start);
        let count = r.read_var_u32().map_err(|e| e.to_string())?;
        let mut entries = Vec::new();
        for _ in 0..count {
            let module = r.read_string().map_err(|e| e.to_string())?.to_string();
            let name = r.read_string().map_err(|e| e.to_string())?.to_string();
            if name.is_empty() {
                return Err("a compact import group (not written by wasm-bindgen)".into());
            }
            let from = r.original_position();
            r.read::<TypeRef>().map_err(|e| e.to_string())?;
            entries.push(Entry { module, name, desc: from..r.original_position() });
        }
        if r.original_position() != body.end {
            return Err("bytes after the last import".into());
        }
        return Ok((start..body.end, entries));
    }
    Err("the wasm has no import section".into())
}

/// The LEB128 size at `at`: where the body starts and the size.
fn size_at(wasm: &[u8], at: usize) -> Option<(usize, usize)> {
    let (mut value, mut shift, mut i) = (0usize, 0, at);
    loop {
        let byte = *wasm.get(i)?;
        value |= ((byte & 0x7f) as usize) << shift;
        i += 1;
        if byte & 0x80 == 0 {
            return Some((i, value));
        }
        shift += 7;
        if shift > 35 {
            return None;
        }
    }
}

fn leb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn string(out: &mut Vec<u8>, s: &str) {
    leb(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// `a` … `z`, `A` … `Z`, then `aa`, `ab` …: identifiers in JS, none a reserved word or
/// `__proto__`.
fn short_name(mut i: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(LETTERS[i % LETTERS.len()]);
        i /= LETTERS.len();
        if i == 0 {
            break;
        }
        i -= 1;
    }
    name.reverse();
    let name = String::from_utf8(name).expect("ASCII");
    // Two-letter reserved words (`do`, `if`, `in`) and three-letter ones are skipped.
    if ["do", "if", "in", "for", "let", "new", "try", "var"].contains(&name.as_str()) { format!("{name}_") } else { name }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE_MODULE: &str = "./yibao_web_bg.js";

    /// A module importing two functions from the glue and one from elsewhere, with a type
    /// section before and a custom section after.
    fn module() -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        // Type section: one type, () -> ().
        m.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        let mut imports = Vec::new();
        leb(&mut imports, 3);
        for (module, name) in [(GLUE_MODULE, "__wbg_fetch_c30fc2ed77d76a76"), ("env", "keep"), (GLUE_MODULE, "__wbg_new_bdf613c6b0b3d702")] {
            string(&mut imports, module);
            string(&mut imports, name);
            imports.extend_from_slice(&[0, 0]); // a function of type 0
        }
        m.push(2);
        leb(&mut m, imports.len() as u64);
        m.extend_from_slice(&imports);
        // A custom section "x" holding "y".
        m.extend_from_slice(&[0, 3, 1, b'x', b'y']);
        m
    }

    #[test]
    fn the_glue_imports_get_short_names_in_both_files() {
        let glue = "const i={__proto__:null,\"./yibao_web_bg.js\":{__wbg_fetch_c30fc2ed77d76a76: function(e){return fetch(e)},__wbg_new_bdf613c6b0b3d702: function(){return{}}}};";
        let (wasm, glue, n) = shorten(&module(), glue, GLUE_MODULE, Glue::ImportsObject).unwrap();
        assert_eq!(n, 2);
        assert_eq!(glue, "const i={__proto__:null,\"./yibao_web_bg.js\":{a: function(e){return fetch(e)},b: function(){return{}}}};");
        let (_, entries) = import_section(&wasm).unwrap();
        let names: Vec<(&str, &str)> = entries.iter().map(|e| (e.module.as_str(), e.name.as_str())).collect();
        assert_eq!(names, [(GLUE_MODULE, "a"), ("env", "keep"), (GLUE_MODULE, "b")]);
        // The rest of the module is unchanged and still valid.
        assert!(wasm.ends_with(&[0, 3, 1, b'x', b'y']));
        assert!(wasmparser::Validator::new().validate_all(&wasm).is_ok());
    }

    #[test]
    fn the_bundler_glue_exports_them_under_the_short_names() {
        let glue = "export function calculate(p) {}\nexport function __wbg_fetch_c30fc2ed77d76a76(e) { return fetch(e); }\nexport function __wbg_new_bdf613c6b0b3d702() { return {}; }\n";
        let (_, glue, _) = shorten(&module(), glue, GLUE_MODULE, Glue::ExportedFunctions).unwrap();
        assert_eq!(glue, "export function calculate(p) {}\nexport function a(e) { return fetch(e); }\nexport function b() { return {}; }\n");
        // A longer name ending in `a` is not `a`; a module that exports `a` already is refused
        // rather than given two.
        let ends_in_a = "export function __wbg_fetch_c30fc2ed77d76a76(e) {}\nexport function __wbg_new_bdf613c6b0b3d702() {}\nexport function xa() {}\n";
        assert!(shorten(&module(), ends_in_a, GLUE_MODULE, Glue::ExportedFunctions).is_ok());
        let taken = "export function a() {}\nexport function __wbg_fetch_c30fc2ed77d76a76(e) {}\nexport function __wbg_new_bdf613c6b0b3d702() {}\n";
        assert!(shorten(&module(), taken, GLUE_MODULE, Glue::ExportedFunctions).unwrap_err().contains("\"a\""));
    }

    #[test]
    fn a_name_the_glue_lacks_or_repeats_is_refused() {
        let err = shorten(&module(), "{__wbg_new_bdf613c6b0b3d702: function(){}}", GLUE_MODULE, Glue::ImportsObject).unwrap_err();
        assert!(err.contains("__wbg_fetch_c30fc2ed77d76a76"), "{err}");
        let twice = "{__wbg_fetch_c30fc2ed77d76a76: function(){},__wbg_fetch_c30fc2ed77d76a76: function(){},__wbg_new_bdf613c6b0b3d702: function(){}}";
        assert!(shorten(&module(), twice, GLUE_MODULE, Glue::ImportsObject).is_err());
        let elsewhere = "{__wbg_fetch_c30fc2ed77d76a76: function(){},__wbg_new_bdf613c6b0b3d702: function(){}}; f(__wbg_new_bdf613c6b0b3d702)";
        assert!(shorten(&module(), elsewhere, GLUE_MODULE, Glue::ImportsObject).is_err());
    }

    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        assert_eq!((names[0].as_str(), names[25].as_str(), names[26].as_str(), names[52].as_str()), ("a", "z", "A", "aa"));
        assert!(names.iter().all(|n| n.chars().next().unwrap().is_ascii_alphabetic()));
        assert!(!names.iter().any(|n| ["do", "if", "in", "new", "var", "let", "for", "try"].contains(&n.as_str())));
    }
}
