//! Short names for the wasm's imports from its JS glue.
//!
//! wasm-bindgen names each import after the function and a 16-digit hash
//! (`__wbg_fetch_c30fc2ed77d76a76`); about 200 of them appear twice, in the wasm's import
//! section and as keys of the glue's imports object, and hex digits do not compress. `shorten`
//! renames every import of the glue's module to `a`, `b`, … `aa` … in both (2.7 KB less
//! gzipped wasm on 2026-11-30). The module name, the exports and everything else are kept
//! byte for byte.

use std::ops::Range;

use wasmparser::{BinaryReader, Parser, Payload, TypeRef};

/// The module wasm-bindgen's glue provides (`--target web`).
pub const GLUE_MODULE: &str = "./yibao_web_bg.js";

/// The wasm with its imports from `module` renamed, the glue with the same keys renamed, and
/// how many were renamed. Every old name must be a key of the glue exactly once.
pub fn shorten(wasm: &[u8], glue: &str, module: &str) -> Result<(Vec<u8>, String, usize), String> {
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
    let mut glue = glue.to_string();
    for (old, new) in &renamed {
        let key = format!("{old}:");
        match glue.matches(&key).count() {
            1 => glue = glue.replacen(&key, &format!("{new}:"), 1),
            n => return Err(format!("the glue has the import key {old:?} {n} times, not once")),
        }
        if glue.contains(old.as_str()) {
            return Err(format!("the glue names the import {old:?} elsewhere than as its key"));
        }
    }
    let mut out = wasm[..section.start].to_vec();
    out.push(2);
    leb(&mut out, body.len() as u64);
    out.extend_from_slice(&body);
    out.extend_from_slice(&wasm[section.end..]);
    Ok((out, glue, renamed.len()))
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
        let glue = "const i={__proto__:null,\"./yibao_web_bg.js\":{__wbg_fetch_c30fc2ed77d76a76:function(e){return fetch(e)},__wbg_new_bdf613c6b0b3d702:function(){return{}}}};";
        let (wasm, glue, n) = shorten(&module(), glue, GLUE_MODULE).unwrap();
        assert_eq!(n, 2);
        assert_eq!(glue, "const i={__proto__:null,\"./yibao_web_bg.js\":{a:function(e){return fetch(e)},b:function(){return{}}}};");
        let (_, entries) = import_section(&wasm).unwrap();
        let names: Vec<(&str, &str)> = entries.iter().map(|e| (e.module.as_str(), e.name.as_str())).collect();
        assert_eq!(names, [(GLUE_MODULE, "a"), ("env", "keep"), (GLUE_MODULE, "b")]);
        // The rest of the module is unchanged and still valid.
        assert!(wasm.ends_with(&[0, 3, 1, b'x', b'y']));
        assert!(wasmparser::Validator::new().validate_all(&wasm).is_ok());
    }

    #[test]
    fn a_name_the_glue_lacks_or_repeats_is_refused() {
        let err = shorten(&module(), "{__wbg_new_bdf613c6b0b3d702:1}", GLUE_MODULE).unwrap_err();
        assert!(err.contains("__wbg_fetch_c30fc2ed77d76a76"), "{err}");
        let twice = "{__wbg_fetch_c30fc2ed77d76a76:1,__wbg_fetch_c30fc2ed77d76a76:2,__wbg_new_bdf613c6b0b3d702:3}";
        assert!(shorten(&module(), twice, GLUE_MODULE).is_err());
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
