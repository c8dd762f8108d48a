//! The yibao web app.
//!
//! Placeholder: renders the title only. The build contract with `cargo xtask dist`
//! is just this: the crate builds to a `cdylib` whose wasm-bindgen output (`--target web`)
//! is loaded by `web/start.js`, which calls the default-exported `init()`; the
//! `#[wasm_bindgen(start)]` function below then mounts the app.

use yew::prelude::*;

/// The page title, also the `<h1>` the end-to-end smoke test looks for.
pub const TITLE: &str = "医保报销测算";

#[function_component(App)]
pub fn app() -> Html {
    html! {
        <main id="app">
            <h1>{ TITLE }</h1>
        </main>
    }
}

/// Entry point run by wasm-bindgen's `init()`: mounts [`App`] at the end of `<body>`.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    yew::Renderer::<App>::new().render();
}
