//! Fetching `policies/index.json` and policy files from the site itself.
//!
//! Files are fetched as text and parsed by the browser's `JSON.parse`, then read with
//! serde-wasm-bindgen: serde_json is kept out of the wasm (it costs tens of KB).

use serde::Deserialize;
#[cfg(target_arch = "wasm32")]
use yibao_engine::Policy;

/// One line of `policies/index.json`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct IndexEntry {
    pub id: String,
    pub path: String,
    pub region: String,
    pub year: u16,
    pub title: String,
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
#[derive(Clone, Debug, Deserialize)]
struct IndexFile {
    policies: Vec<IndexEntry>,
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
async fn fetch_json(url: &str) -> Result<wasm_bindgen::JsValue, LoadError> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        // The error is not formatted: gloo-net's Display pulls serde_json's and io's
        // error texts into the wasm.
        .map_err(|_| LoadError::network(format!("{url}: 网络请求失败 (request failed)")))?;
    if !response.ok() {
        return Err(LoadError::network(format!("{url}: HTTP {}", response.status())));
    }
    let text = response.text().await.map_err(|_| LoadError::network(format!("{url}: 读取失败 (reading failed)")))?;
    js_sys::JSON::parse(&text).map_err(|_| LoadError::broken(format!("{url}: 不是有效的 JSON (not valid JSON)")))
}

#[cfg(target_arch = "wasm32")]
pub async fn index() -> Result<Vec<IndexEntry>, LoadError> {
    let value = fetch_json("policies/index.json").await?;
    let file: IndexFile = serde_wasm_bindgen::from_value(value)
        .map_err(|e| LoadError::broken(format!("policies/index.json: {e}")))?;
    if file.policies.is_empty() {
        return Err(LoadError::broken("policies/index.json lists no policy".into()));
    }
    Ok(file.policies)
}

#[cfg(target_arch = "wasm32")]
pub async fn policy(entry: &IndexEntry) -> Result<Policy, LoadError> {
    let url = format!("policies/{}", entry.path);
    let value = fetch_json(&url).await?;
    // Read with its parameters resolved but without the structural checks (`policy::read`),
    // whose code costs about 11 KB of gzipped wasm. The shipped files are fully validated by
    // `cargo test` (the policy tests) and `yibao validate` before they are released, and the
    // engine never panics on a broken one.
    yibao_engine::policy::read(serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| match e.problems().first() {
        Some(first) => LoadError::broken(format!("{url}: {first}")),
        None => LoadError::broken(format!("{url}: {e}")),
    })
}
