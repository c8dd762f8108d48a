//! Validation stamps (`yibao_engine::stamp`): every policy that `policies/index.json` lists is
//! validated with the engine's full checks, and the deployed index gets, on each entry,
//! `"stamp": "fnv1a64:…"`, the checksum of the exact bytes validated. The web app reads
//! policies without the structural checks and refuses a file whose stamp is missing or
//! differs (`crates/web/src/load.rs`).
//!
//! `cargo xtask dist` stamps the index it writes to `web/dist/policies/`;
//! `cargo xtask stamp [DIR]` validates and re-stamps an already deployed copy (default
//! `web/dist/policies`), for a site that corrected a policy file in place.


use crate::bail;
use crate::dist::is_safe_relative;
use crate::util::{note, Context, Result};

/// Validates a policy file's bytes as `yibao validate` does: the whole file is one JSON
/// value, and the policy has no problem. The error lists every problem with its path.
pub fn validate(bytes: &[u8]) -> std::result::Result<yibao_engine::Policy, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let policy = yibao_engine::policy::load(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(policy)
}

/// The index with a stamp on every entry of `policies`, each file read by `read` (a path
/// relative to the index) and validated first. Fails, naming every file and its problems,
/// when any listed policy is invalid or does not match its entry (the page shows the index's
/// region, year and title, and fetches by its path).
pub fn stamp_index(
    index: &serde_json::Value,
    read: &dyn Fn(&str) -> Result<Vec<u8>>,
) -> Result<serde_json::Value> {
    let mut stamped = index.clone();
    let Some(entries) = stamped.get_mut("policies").and_then(|p| p.as_array_mut()) else {
        bail!("policies/index.json: policies: 应为数组 (expected an array)");
    };
    let mut failures = Vec::new();
    for (i, entry) in entries.iter_mut().enumerate() {
        let Some(fields) = entry.as_object_mut() else {
            failures.push(format!("policies/index.json: policies[{i}]: 应为对象 (expected an object)"));
            continue;
        };
        let Some(path) = fields.get("path").and_then(|p| p.as_str()).map(str::to_string) else {
            failures.push(format!("policies/index.json: policies[{i}].path: 应为字符串 (expected a string)"));
            continue;
        };
        if !is_safe_relative(&path) {
            failures.push(format!(
                "policies/index.json: policies[{i}].path: {path:?} 不是 policies/ 内的相对路径 (only plain relative paths inside policies/)"
            ));
            continue;
        }
        let bytes = match read(&path) {
            Ok(b) => b,
            Err(e) => {
                failures.push(format!("policies/{path}: {e}"));
                continue;
            }
        };
        let policy = match validate(&bytes) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("policies/{path}: {e}"));
                continue;
            }
        };
        let listed = |key: &str| fields.get(key).cloned().unwrap_or(serde_json::Value::Null);
        let mismatches: Vec<String> = [
            ("id", serde_json::Value::from(policy.id.clone())),
            ("region", policy.region.clone().into()),
            ("year", policy.year.into()),
            ("title", policy.title.clone().into()),
        ]
        .into_iter()
        .filter(|(key, value)| listed(key) != *value)
        .map(|(key, value)| {
            format!("policies[{i}].{key} 为 {}，文件中为 {value} (the index and the file differ)", listed(key))
        })
        .collect();
        if !mismatches.is_empty() {
            failures.push(format!("policies/index.json: {}", mismatches.join("; ")));
            continue;
        }
        fields.insert("stamp".into(), yibao_engine::stamp::checksum(&bytes).into());
    }
    if !failures.is_empty() {
        bail!(
            "{} 处政策文件未通过校验，没有写入校验戳 (not stamped; fix them, check with `yibao validate`):\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
    Ok(stamped)
}

/// `index.json` as written to the site: pretty, one member per line.
pub fn index_text(index: &serde_json::Value) -> Vec<u8> {
    let mut text = serde_json::to_vec_pretty(index).expect("a JSON value serializes");
    text.push(b'\n');
    text
}

/// `cargo xtask stamp [DIR]`: validates the policies `DIR/index.json` lists and rewrites it
/// with their stamps.
pub fn stamp_dir(dir: Option<std::path::PathBuf>) -> Result {
    let dir = dir.unwrap_or_else(|| crate::dist::dist_dir().join("policies"));
    let index_path = dir.join("index.json");
    let text = std::fs::read(&index_path).ctx(|| format!("reading {}", index_path.display()))?;
    let index: serde_json::Value =
        serde_json::from_slice(&text).ctx(|| format!("parsing {}", index_path.display()))?;
    let read = |rel: &str| -> Result<Vec<u8>> {
        let p = dir.join(rel);
        std::fs::read(&p).ctx(|| format!("reading {}", p.display()))
    };
    let stamped = stamp_index(&index, &read)?;
    std::fs::write(&index_path, index_text(&stamped)).ctx(|| format!("writing {}", index_path.display()))?;
    let n = stamped["policies"].as_array().map_or(0, Vec::len);
    note(&format!("{}: {n} policies validated and stamped", index_path.display()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn repo_index() -> serde_json::Value {
        let text = std::fs::read(crate::util::root().join("policies/index.json")).unwrap();
        serde_json::from_slice(&text).unwrap()
    }

    /// The repository's policy files, by path, with `edit` applied to one.
    fn files(edit: Option<(&str, &dyn Fn(&mut serde_json::Value))>) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        for entry in repo_index()["policies"].as_array().unwrap() {
            let path = entry["path"].as_str().unwrap().to_string();
            let mut bytes = std::fs::read(crate::util::root().join("policies").join(&path)).unwrap();
            if let Some((target, f)) = edit {
                if path == target {
                    let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                    f(&mut v);
                    bytes = serde_json::to_vec_pretty(&v).unwrap();
                }
            }
            out.insert(path, bytes);
        }
        out
    }

    fn stamp(files: &BTreeMap<String, Vec<u8>>) -> Result<serde_json::Value> {
        let read = |p: &str| files.get(p).cloned().ok_or_else(|| crate::util::Error(format!("no file {p}")));
        stamp_index(&repo_index(), &read)
    }

    #[test]
    fn every_shipped_policy_gets_the_checksum_of_its_bytes() {
        let files = files(None);
        let stamped = stamp(&files).unwrap();
        let entries = stamped["policies"].as_array().unwrap();
        assert_eq!(entries.len(), files.len());
        for e in entries {
            let bytes = &files[e["path"].as_str().unwrap()];
            assert_eq!(e["stamp"], yibao_engine::stamp::checksum(bytes).as_str());
        }
        // Everything else is kept.
        assert_eq!(stamped["format_version"], repo_index()["format_version"]);
        let mut unstamped = stamped.clone();
        for e in unstamped["policies"].as_array_mut().unwrap() {
            e.as_object_mut().unwrap().remove("stamp");
        }
        assert_eq!(unstamped, repo_index());
    }

    #[test]
    fn an_invalid_policy_is_refused_with_its_problems() {
        // Issue 9: a duplicated critical illness segment, which the web app's reader (no
        // structural checks) would compute from, paying more than the bill.
        let duplicate: &dyn Fn(&mut serde_json::Value) = &|p| {
            let segments = p["critical_illness"]["segments"].as_array_mut().unwrap();
            segments.push(segments[0].clone());
        };
        let e = stamp(&files(Some(("hohhot-2023.json", duplicate)))).unwrap_err().0;
        assert!(e.starts_with("1 处政策文件未通过校验"), "{e}");
        assert!(e.contains("policies/hohhot-2023.json: 政策文件有"), "{e}");
        assert!(e.contains("critical_illness.segments"), "{e}");

        // Every failing file is listed, not only the first.
        let not_json: &dyn Fn(&mut serde_json::Value) = &|p| p["year"] = "2021".into();
        let mut two = files(Some(("hohhot-2023.json", duplicate)));
        two.extend(files(Some(("jiamusi-2021.json", not_json))).into_iter().filter(|(k, _)| k == "jiamusi-2021.json"));
        let e = stamp(&two).unwrap_err().0;
        assert!(e.starts_with("2 处"), "{e}");
        assert!(e.contains("policies/jiamusi-2021.json: 政策文件有 1 处格式问题"), "{e}");
        assert!(e.contains("\n  year: "), "{e}");

        // Trailing text after the JSON value, as `yibao validate` refuses it.
        let mut trailing = files(None);
        trailing.get_mut("tianjin-2023.json").unwrap().extend_from_slice(b" {}");
        assert!(stamp(&trailing).unwrap_err().0.contains("policies/tianjin-2023.json: trailing characters"));
    }

    #[test]
    fn an_index_entry_that_differs_from_its_file_is_refused() {
        let mut index = repo_index();
        index["policies"][0]["title"] = "别的标题".into();
        let files = files(None);
        let read = |p: &str| Ok(files[p].clone());
        let e = stamp_index(&index, &read).unwrap_err().0;
        assert!(e.contains("policies[0].title 为 \"别的标题\""), "{e}");

        let mut index = repo_index();
        index["policies"][0]["path"] = "../secret.json".into();
        assert!(stamp_index(&index, &read).unwrap_err().0.contains("policies[0].path"));
    }
}
