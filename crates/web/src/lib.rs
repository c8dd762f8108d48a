//! yibao-web: the resident calculator (Yew function components over `yibao-engine`).
//!
//! Build contract with `cargo xtask dist`: the crate builds to a `cdylib` whose
//! wasm-bindgen output (`--target web`) is loaded by `web/start.js`; the
//! `#[wasm_bindgen(start)]` function below mounts the app at the end of `<body>`.
//!
//! - [`field`]: the form's inputs and buttons by name (element ids, `data-act`);
//! - [`state`]: what the resident entered, the link encoding, and bad-field messages;
//! - [`compute`]: the engine calls (result, curve, comparison);
//! - [`load`]: `policies/index.json` and policy files, fetched as text, parsed by `JSON.parse`;
//! - [`app`], [`view_inputs`], [`view_result`]: the page;
//! - [`browser`]: link, localStorage (长辈版), clipboard, embedding.

// Size classes over a free list (yibao-js): dlmalloc is about 3.5 KB more of gzipped wasm.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: yibao_js::alloc::SizeClasses = unsafe { yibao_js::alloc::SizeClasses::new() };

pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod browser;
pub mod compute;
pub mod field;
pub mod load;
pub mod state;
pub mod view_inputs;
pub mod view_result;

/// The page title, also the `<h1>`.
pub const TITLE: &str = "医保报销测算";

/// Focuses an element after the current render.
pub fn app_focus(id: &'static str) {
    #[cfg(target_arch = "wasm32")]
    gloo_timers::callback::Timeout::new(0, move || browser::focus(id)).forget();
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// Focuses the kind of the last visit (after 添加一次就诊).
pub fn app_focus_last_visit() {
    #[cfg(target_arch = "wasm32")]
    gloo_timers::callback::Timeout::new(0, || {
        let n = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector_all("fieldset.visit").ok())
            .map(|l| l.length())
            .unwrap_or(0);
        if n > 0 {
            browser::focus(&field::Field::Visit(n as usize - 1, field::VisitField::Kind).id());
        }
    })
    .forget();
}

/// Focuses and selects an input after the current render (the copy fallback).
pub fn app_focus_select(id: &'static str) {
    #[cfg(target_arch = "wasm32")]
    gloo_timers::callback::Timeout::new(0, move || browser::select_input(id)).forget();
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// Entry point run by wasm-bindgen's `init()`.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let (inputs, notices, embed) = browser::read_link();
    let elder = browser::elder_saved();
    // Before the first render, so that nothing moves once the app appears.
    browser::set_elder(elder, false);
    browser::set_root_class("embed", embed);
    browser::hide_boot_status();
    // Mounted in its own element: Yew empties its root, and the body keeps index.html's
    // introduction (#intro) and messages.
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root = document.create_element("div").expect("a div");
    root.set_id("app-root");
    document.body().expect("a body").append_child(&root).expect("append");
    yew::Renderer::<app::App>::with_root_and_props(root, app::AppProps { inputs, notices, embed, elder }).render();
    if embed {
        browser::report_height();
    }
}
