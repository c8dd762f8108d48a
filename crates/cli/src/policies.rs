//! Finding and reading policy files: by id through `policies/index.json`, or by path.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
pub struct IndexEntry {
    pub id: String,
    pub path: String,
}

#[derive(Deserialize)]
struct Index {
    policies: Vec<IndexEntry>,
}

/// Finds `policies/index.json` from the current directory upwards.
pub fn index() -> Result<(PathBuf, Vec<IndexEntry>), String> {
    let start = std::env::current_dir().map_err(|e| e.to_string())?;
    for dir in start.ancestors() {
        let candidate = dir.join("policies").join("index.json");
        if candidate.is_file() {
            let text = std::fs::read_to_string(&candidate).map_err(|e| format!("读取 {} 失败: {e}", candidate.display()))?;
            let index: Index = serde_json::from_str(&text).map_err(|e| format!("{} 格式错误: {e}", candidate.display()))?;
            return Ok((dir.join("policies"), index.policies));
        }
    }
    Err("在当前目录及其上级目录中找不到 policies/index.json；请用文件路径指定政策 (no policies/index.json found; give a path)".into())
}

/// Resolves an id or a path to a file path.
pub fn resolve(arg: &str) -> Result<PathBuf, String> {
    let as_path = Path::new(arg);
    if as_path.is_file() {
        return Ok(as_path.to_path_buf());
    }
    if arg.ends_with(".json") || arg.contains('/') {
        return Err(format!("找不到文件 {arg} (no such file)"));
    }
    let (dir, entries) = index()?;
    match entries.iter().find(|e| e.id == arg) {
        Some(e) => Ok(dir.join(&e.path)),
        None => {
            let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
            Err(format!("policies/index.json 中没有政策“{arg}”，可选: {} (unknown policy id)", ids.join(", ")))
        }
    }
}

/// Reads and validates a policy; the error lists every problem with its JSON path.
pub fn load(arg: &str) -> Result<yibao_engine::Policy, String> {
    let path = resolve(arg)?;
    let text = std::fs::read_to_string(&path).map_err(|e| format!("读取 {} 失败: {e}", path.display()))?;
    yibao_engine::policy::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn schema_json() -> String {
    let schema = schemars::schema_for!(yibao_engine::Policy);
    serde_json::to_string_pretty(&schema).expect("schema serializes")
}
