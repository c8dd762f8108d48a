// Starts the app: loads wasm-bindgen's JS and the wasm, then calls init(), which runs the
// crate's #[wasm_bindgen(start)] function (it mounts the Yew app).
// `cargo xtask dist` replaces __APP_JS__ and __APP_WASM__ with the content-hashed names.
// Added as a module script by boot.js, only once the browser has passed its checks.
import init from "./__APP_JS__";

init({ module_or_path: new URL("./__APP_WASM__", import.meta.url) }).then(
  function () {
    var status = document.getElementById("yibao-status");
    if (status) status.hidden = true;
  },
  function (err) {
    if (window.yibaoBootFailed) window.yibaoBootFailed(err);
  }
);
