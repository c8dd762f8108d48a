//! Fetching `policies/index.json` and policy files from the site itself.
//!
//! Files are fetched as text, parsed by the browser's `JSON.parse`, and turned by hand into
//! the engine's JSON value (`yibao_js::to_value`, shared with the wasm package), from which the engine reads the policy. No serde
//! deserializer is in the page's wasm: serde_json costs tens of KB, and serde-wasm-bindgen's
//! error texts pulled in float formatting (about 6 KB gzipped).
//!
//! The page reads policies without the structural checks (`policy::read_trusted`), so it
//! computes only from a file that `cargo xtask dist` validated: the deployed index carries
//! each file's validation stamp (`yibao_engine::stamp`), and a file whose text does not match
//! its stamp is refused with a message and no figures.

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
    /// The validation stamp `cargo xtask dist` wrote (`fnv1a64:…`); `None` in an index that
    /// did not go through it.
    pub stamp: Option<String>,
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
        let stamp = match member(item, "stamp") {
            None => None,
            Some(_) => Some(text(item, "stamp", i)?),
        };
        entries.push(IndexEntry {
            id: text(item, "id", i)?,
            path: text(item, "path", i)?,
            region: text(item, "region", i)?,
            year,
            title: text(item, "title", i)?,
            stamp,
        });
    }
    if entries.is_empty() {
        return Err("policies: 没有列出任何政策 (lists no policy)".into());
    }
    Ok(entries)
}

/// What went wrong, in words for residents, and the technical detail.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    pub message: String,
    pub detail: String,
    /// Whether 重试 can help (not for a file that failed its validation stamp).
    pub retry: bool,
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
impl LoadError {
    fn network(detail: String) -> Self {
        LoadError { message: "政策数据没有加载成功，可能是网络不稳定。请检查网络后点“重试”。".into(), detail, retry: true }
    }

    fn broken(detail: String) -> Self {
        LoadError { message: "政策数据文件有误，暂时无法计算。请稍后再试，或告诉页面的发布单位。".into(), detail, retry: true }
    }

    fn unvalidated(detail: String) -> Self {
        LoadError { message: UNVALIDATED.into(), detail, retry: false }
    }
}

/// Shown instead of any figure when a policy file does not match its validation stamp.
pub const UNVALIDATED: &str = "该地区的政策文件未通过校验（可能被手工修改过），无法测算。请联系网站管理员运行 yibao validate 检查后重新发布。";

/// `Ok` when `text` is exactly what `cargo xtask dist` validated and stamped; otherwise the
/// technical detail of the refusal.
pub fn check_stamp(entry: &IndexEntry, text: &str) -> Result<(), String> {
    let found = yibao_engine::stamp::checksum(text.as_bytes());
    match &entry.stamp {
        Some(stamp) if *stamp == found => Ok(()),
        Some(stamp) => Err(format!("policies/{}: 校验和 {found} ≠ 校验戳 {stamp} (changed after validation)", entry.path)),
        None => Err(format!("policies/index.json: {} 没有校验戳 (no stamp: not deployed by `cargo xtask dist`)", entry.id)),
    }
}

/// The file's text, as the server sent it.
#[cfg(target_arch = "wasm32")]
async fn fetch_text(url: &str) -> Result<String, LoadError> {
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
    match response.text() {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|t| t.as_string()),
        Err(_) => None,
    }
    .ok_or_else(|| network("读取失败 (reading failed)"))
}

#[cfg(target_arch = "wasm32")]
fn parse_json(url: &str, text: &str) -> Result<Value, LoadError> {
    let parsed = js_sys::JSON::parse(text).map_err(|_| LoadError::broken(format!("{url}: 不是有效的 JSON (not valid JSON)")))?;
    // The reader the wasm package uses too: at most 128 levels deep, checked before descending.
    yibao_js::to_value(&parsed).map_err(|e| LoadError::broken(format!("{url}: {}: {}", e.path(), e.message)))
}

#[cfg(target_arch = "wasm32")]
pub async fn index() -> Result<Vec<IndexEntry>, LoadError> {
    let url = "policies/index.json";
    let value = parse_json(url, &fetch_text(url).await?)?;
    index_entries(&value).map_err(|e| LoadError::broken(format!("policies/index.json: {e}")))
}

#[cfg(target_arch = "wasm32")]
pub async fn policy(entry: &IndexEntry) -> Result<Policy, LoadError> {
    let url = format!("policies/{}", entry.path);
    let text = fetch_text(&url).await?;
    // Read with its parameters resolved but without the structural checks or the figures'
    // messages (`policy::read_trusted`), whose code costs about 12 KB of gzipped wasm: only the
    // text `cargo xtask dist` fully validated, as its stamp shows. The engine never panics on a
    // broken file, but it would compute wrong figures from one.
    check_stamp(entry, &text).map_err(LoadError::unvalidated)?;
    let value = parse_json(&url, &text)?;
    yibao_engine::policy::read_trusted(&value).map_err(|e| match e.problems().first() {
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
        let e = index_entries(&value(r#"{"policies": [{"id": "a", "path": "a.json", "region": "甲", "year": 2023, "title": "t", "stamp": 1}]}"#));
        assert_eq!(e.unwrap_err(), "policies[0].stamp: 应为字符串 (expected a string)");
    }

    fn entry(stamp: Option<&str>) -> IndexEntry {
        let stamp = stamp.map(|s| format!(r#", "stamp": "{s}""#)).unwrap_or_default();
        let index = format!(r#"{{"policies": [{{"id": "hohhot-2023", "path": "hohhot-2023.json", "region": "呼和浩特市", "year": 2023, "title": "t"{stamp}}}]}}"#);
        index_entries(&value(&index)).unwrap().remove(0)
    }

    #[test]
    fn only_the_stamped_text_is_accepted() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../policies/hohhot-2023.json")).unwrap();
        let stamp = yibao_engine::stamp::checksum(text.as_bytes());
        let stamped = entry(Some(&stamp));
        assert_eq!(stamped.stamp.as_deref(), Some(stamp.as_str()));
        assert_eq!(check_stamp(&stamped, &text), Ok(()));

        // The edit of issue 9: a second critical illness segment, which validation refuses.
        let edited = text.replacen(r#""segments": ["#, r#""segments": [{"up_to": null, "ratio": "60%"}, "#, 1);
        assert_ne!(edited, text);
        let e = check_stamp(&stamped, &edited).unwrap_err();
        assert!(e.starts_with("policies/hohhot-2023.json: "), "{e}");
        assert!(e.contains(&stamp) && e.contains(&yibao_engine::stamp::checksum(edited.as_bytes())), "{e}");
        // Even a byte of white space.
        assert!(check_stamp(&stamped, &format!("{text}\n")).is_err());

        let unstamped = entry(None);
        assert_eq!(unstamped.stamp, None);
        assert!(check_stamp(&unstamped, &text).unwrap_err().contains("hohhot-2023 没有校验戳"));
        assert!(check_stamp(&entry(Some("fnv1a64:0000000000000000")), &text).is_err());
    }
}
