//! The few places the app touches the browser beyond rendering: the link (URL query),
//! the 长辈版 setting (localStorage, never cookies), the clipboard, and embedding.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::{self, Inputs};

const ELDER_KEY: &str = "yibao.elder";

fn window() -> web_sys::Window {
    web_sys::window().expect("a window")
}

fn query() -> web_sys::UrlSearchParams {
    let search = window().location().search().unwrap_or_default();
    web_sys::UrlSearchParams::new_with_str(&search).expect("URLSearchParams")
}

/// Inputs from the page's link, what of it could not be used, and whether the page is
/// embedded (`?embed=1`).
pub fn read_link() -> (Inputs, Vec<state::LinkNotice>, bool) {
    let q = query();
    let mut pairs = Vec::new();
    for key in ["r", "t", "p", "i", "v", "c", "ct", "d"] {
        if let Some(v) = q.get(key) {
            pairs.push((key, v));
        }
    }
    let (inputs, notices) = state::from_query_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
    (inputs, notices, q.get("embed").as_deref() == Some("1"))
}

/// The query string for the inputs, `?r=…&v=…`.
pub fn query_string(inputs: &Inputs, embed: bool) -> String {
    let q = web_sys::UrlSearchParams::new().expect("URLSearchParams");
    for (k, v) in state::to_query_pairs(inputs, embed) {
        q.append(k, &v);
    }
    format!("?{}", String::from(q.to_string()))
}

/// Writes the inputs into the address bar without adding a history entry.
pub fn write_link(inputs: &Inputs, embed: bool) {
    let w = window();
    let search = query_string(inputs, embed);
    if w.location().search().ok().as_deref() == Some(search.as_str()) {
        return;
    }
    let path = w.location().pathname().unwrap_or_else(|_| "./".into());
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}")));
    }
}

/// The full link for sharing: the address as the app keeps it, never with `embed=1`.
pub fn share_url() -> String {
    let loc = window().location();
    let q = query();
    q.delete("embed");
    let search = String::from(q.to_string());
    let origin = loc.origin().unwrap_or_default();
    let path = loc.pathname().unwrap_or_default();
    if search.is_empty() { format!("{origin}{path}") } else { format!("{origin}{path}?{search}") }
}

/// The page's address without its query.
pub fn page_path() -> String {
    let loc = window().location();
    format!("{}{}", loc.origin().unwrap_or_default(), loc.pathname().unwrap_or_default())
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub fn elder_saved() -> bool {
    storage().and_then(|s| s.get_item(ELDER_KEY).ok().flatten()).as_deref() == Some("1")
}

/// Applies 长辈版 to the whole page (a class on `<html>`) and remembers it on this device.
pub fn set_elder(on: bool, save: bool) {
    if let Some(root) = window().document().and_then(|d| d.document_element()) {
        let _ = root.class_list().toggle_with_force("elder", on);
    }
    if save {
        if let Some(s) = storage() {
            let _ = if on { s.set_item(ELDER_KEY, "1") } else { s.remove_item(ELDER_KEY) };
        }
    }
}

pub fn set_root_class(name: &str, on: bool) {
    if let Some(root) = window().document().and_then(|d| d.document_element()) {
        let _ = root.class_list().toggle_with_force(name, on);
    }
}

/// Hides the boot script's "正在加载…" notice (before the first render, so nothing shifts).
pub fn hide_boot_status() {
    if let Some(el) = window().document().and_then(|d| d.get_element_by_id("yibao-status")) {
        let _ = el.set_attribute("hidden", "");
    }
}

/// Copies text with the async clipboard API. `Err` when it is missing or refused
/// (old WebViews, no permission): the caller then shows the link selected for copying.
pub async fn copy(text: &str) -> Result<(), ()> {
    let navigator = window().navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).map_err(|_| ())?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(());
    }
    // A frame without allow="clipboard-write" may not write (Chromium says so in the console):
    // ask first where the browser can tell, and go straight to the manual copy.
    if let Some(doc) = window().document() {
        for name in ["permissionsPolicy", "featurePolicy"] {
            let policy = js_sys::Reflect::get(&doc, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
            let allows = js_sys::Reflect::get(&policy, &JsValue::from_str("allowsFeature")).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
            if let Some(allows) = allows {
                if allows.call1(&policy, &JsValue::from_str("clipboard-write")).ok().and_then(|v| v.as_bool()) == Some(false) {
                    return Err(());
                }
                break;
            }
        }
    }
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text)).await.map(|_| ()).map_err(|_| ())
}

/// Selects the text of an input (the fallback for copying) and focuses it.
pub fn select_input(id: &str) {
    if let Some(el) = window().document().and_then(|d| d.get_element_by_id(id)) {
        if let Ok(input) = el.dyn_into::<web_sys::HtmlInputElement>() {
            let _ = input.focus();
            input.select();
        }
    }
}

pub fn focus(id: &str) {
    if let Some(el) = window().document().and_then(|d| d.get_element_by_id(id)) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

pub fn print() {
    let _ = window().print();
}

/// In `?embed=1` inside a frame: posts `{type: 'yibao:height', height}` to the parent whenever
/// the page's height changes (a ResizeObserver on `<body>`), for `embed.js` to size the iframe.
pub fn report_height() {
    let w = window();
    let Ok(Some(parent)) = w.parent() else { return };
    if parent == w {
        return;
    }
    let Some(body) = w.document().and_then(|d| d.body()) else { return };
    let measure = body.clone();
    let last = std::cell::Cell::new(-1.0f64);
    let post = Closure::<dyn FnMut()>::new(move || {
        let height = measure.get_bounding_client_rect().height().ceil();
        if (height - last.get()).abs() < 0.5 {
            return;
        }
        last.set(height);
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"yibao:height".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &JsValue::from_f64(height));
        let _ = parent.post_message(&message, "*");
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(post.as_ref().unchecked_ref()) {
        observer.observe(&body);
    }
    // The page lives as long as the frame: the observer and its callback are never dropped.
    post.forget();
    // The host's embed.js says how much of the frame is visible; the answer bar sits at its
    // bottom (style.css: html.vp). Only a number from the parent window is taken.
    let from = w.parent().ok().flatten();
    let viewport = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let (Some(source), Some(parent)) = (e.source(), from.as_ref()) else { return };
        if !js_sys::Object::is(&source, parent) {
            return;
        }
        let data = e.data();
        let kind = js_sys::Reflect::get(&data, &"type".into()).ok().and_then(|t| t.as_string());
        let bottom = js_sys::Reflect::get(&data, &"bottom".into()).ok().and_then(|b| b.as_f64());
        if let (Some("yibao:viewport"), Some(bottom)) = (kind.as_deref(), bottom) {
            if bottom.is_finite() {
                let Some(root) = window().document().and_then(|d| d.document_element()) else { return };
                let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() else { return };
                let _ = root.style().set_property("--vb", &format!("{}px", bottom.clamp(0.0, 20_000.0) as u32));
                let _ = root.class_list().add_1("vp");
            }
        }
    });
    let _ = w.add_event_listener_with_callback("message", viewport.as_ref().unchecked_ref());
    viewport.forget();
}

/// Milliseconds since the page started (for the recalculation figure).
pub fn now() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or(0.0)
}
