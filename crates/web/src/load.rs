//! Fetching `policies/index.json` and policy files from the site itself.
//!
//! Files are fetched as text, parsed by the browser's `JSON.parse`, and turned by hand into
//! the engine's JSON value (`json_value`), from which the engine reads the policy. No serde
//! deserializer is in the page's wasm: serde_json costs tens of KB, and serde-wasm-bindgen's
//! error texts pulled in float formatting (about 6 KB gzipped).

#[cfg(target_arch = "wasm32")]
use yibao_engine::Policy;
use yibao_engine::json::Value;

/// One line of `policies/index.json`.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexEntry {
    pub id: String,
    pub path: String,
    pub region: String,
    pub year: u16,
    pub title: String,
}

/// The `policies` list of `policies/index.json`; an error names what is wrong.
pub fn index_entries(file: &Value) -> Result<Vec<IndexEntry>, String> {
    fn member<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
        match v {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    fn text(v: &Value, key: &str, i: usize) -> Result<String, String> {
        match member(v, key) {
            Some(Value::String(s)) => Ok(s.clone()),
            _ => Err(format!("policies[{i}].{key}: 应为字符串 (expected a string)")),
        }
    }
    let Some(Value::Array(items)) = member(file, "policies") else {
        return Err("policies: 应为数组 (expected an array)".into());
    };
    let mut entries = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let year = match member(item, "year") {
            Some(Value::Integer(y)) if (1900..=2100).contains(y) => *y as u16,
            _ => return Err(format!("policies[{i}].year: 应为年份 (expected a year)")),
        };
        entries.push(IndexEntry {
            id: text(item, "id", i)?,
            path: text(item, "path", i)?,
            region: text(item, "region", i)?,
            year,
            title: text(item, "title", i)?,
        });
    }
    if entries.is_empty() {
        return Err("policies: 没有列出任何政策 (lists no policy)".into());
    }
    Ok(entries)
}

/// The value `JSON.parse` returned, as the engine's JSON value (numbers as `Value::number`).
#[cfg(target_arch = "wasm32")]
fn json_value(v: &wasm_bindgen::JsValue) -> Value {
    use wasm_bindgen::JsCast;
    if let Some(s) = v.as_string() {
        Value::String(s)
    } else if let Some(n) = v.as_f64() {
        Value::number(n)
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if let Some(array) = v.dyn_ref::<js_sys::Array>() {
        Value::Array(array.iter().map(|item| json_value(&item)).collect())
    } else if let Some(object) = v.dyn_ref::<js_sys::Object>() {
        let members = js_sys::Object::entries(object)
            .iter()
            .map(|entry| {
                let pair: js_sys::Array = entry.unchecked_into();
                (pair.get(0).as_string().unwrap_or_default(), json_value(&pair.get(1)))
            })
            .collect();
        Value::Object(members)
    } else {
        Value::Null
    }
}

/// What went wrong, in words for residents, and the technical detail.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    pub message: String,
    pub detail: String,
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
impl LoadError {
    fn network(detail: String) -> Self {
        LoadError { message: "政策数据没有加载成功，可能是网络不稳定。请检查网络后点“重试”。".into(), detail }
    }

    fn broken(detail: String) -> Self {
        LoadError { message: "政策数据文件有误，暂时无法计算。请稍后再试，或告诉页面的发布单位。".into(), detail }
    }
}

#[cfg(target_arch = "wasm32")]
async fn fetch_json(url: &str) -> Result<Value, LoadError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    // The browser's fetch directly: a request builder library was 2 KB of wasm for one GET.
    let network = |what: &str| LoadError::network(format!("{url}: {what}"));
    let window = web_sys::window().ok_or_else(|| network("没有 window (no window)"))?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .ok()
        .and_then(|r| r.dyn_into().ok())
        .ok_or_else(|| network("网络请求失败 (request failed)"))?;
    if !response.ok() {
        return Err(network(&format!("HTTP {}", response.status())));
    }
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    }
    .ok_or_else(|| network("读取失败 (reading failed)"))?;
    let parsed = js_sys::JSON::parse(&text).map_err(|_| LoadError::broken(format!("{url}: 不是有效的 JSON (not valid JSON)")))?;
    Ok(json_value(&parsed))
}

#[cfg(target_arch = "wasm32")]
pub async fn index() -> Result<Vec<IndexEntry>, LoadError> {
    let value = fetch_json("policies/index.json").await?;
    index_entries(&value).map_err(|e| LoadError::broken(format!("policies/index.json: {e}")))
}

#[cfg(target_arch = "wasm32")]
pub async fn policy(entry: &IndexEntry) -> Result<Policy, LoadError> {
    let url = format!("policies/{}", entry.path);
    let value = fetch_json(&url).await?;
    // Read with its parameters resolved but without the structural checks (`policy::read`),
    // whose code costs about 11 KB of gzipped wasm. The shipped files are fully validated by
    // `cargo test` (the policy tests) and `yibao validate` before they are released, and the
    // engine never panics on a broken one.
    yibao_engine::policy::read_value(&value).map_err(|e| match e.problems().first() {
        Some(first) => LoadError::broken(format!("{url}: {first}")),
        None => LoadError::broken(format!("{url}: {e}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_shipped_index_is_read() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies/index.json")).unwrap();
        let entries = index_entries(&value(&text)).unwrap();
        assert!(entries.len() >= 5);
        let tianjin = entries.iter().find(|e| e.id == "tianjin-2023").unwrap();
        assert_eq!((tianjin.path.as_str(), tianjin.region.as_str(), tianjin.year), ("tianjin-2023.json", "天津市", 2023));
    }

    #[test]
    fn a_broken_index_is_named() {
        assert_eq!(index_entries(&value("{}")).unwrap_err(), "policies: 应为数组 (expected an array)");
        assert!(index_entries(&value(r#"{"policies": []}"#)).unwrap_err().contains("lists no policy"));
        let e = index_entries(&value(r#"{"policies": [{"id": "a", "path": "a.json", "region": "甲", "year": "2023", "title": "t"}]}"#));
        assert_eq!(e.unwrap_err(), "policies[0].year: 应为年份 (expected a year)");
        let e = index_entries(&value(r#"{"policies": [{"id": "a", "region": "甲", "year": 2023, "title": "t"}]}"#));
        assert_eq!(e.unwrap_err(), "policies[0].path: 应为字符串 (expected a string)");
    }
}
