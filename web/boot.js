/* yibao boot script: the first script of the page, a classic script in ES5 so that
   every browser can run it, however old. It checks that the browser can run the app;
   if so it starts downloading the wasm (URL in this tag's data-wasm attribute) and adds
   start.js (a module script, URL in data-start); otherwise it shows a plain message
   instead of a blank page, and downloads nothing more.
   `cargo xtask dist` copies it to web/dist under a content-hashed name. */
(function () {
  "use strict";

  var TOO_OLD = "您的浏览器版本较旧，无法运行本计算器。请升级微信或浏览器后再试。";
  var LOADING = "正在加载…";
  var FAILED = "计算器加载失败。请检查网络后刷新页面重试；如仍失败，请升级微信或浏览器。";

  function show(text) {
    var status = document.getElementById("yibao-status");
    if (!status) {
      status = document.createElement("p");
      status.id = "yibao-status";
      status.className = "notice";
      document.body.appendChild(status);
    }
    status.textContent = text;
    status.removeAttribute("hidden");
  }

  // start.js calls this when loading or starting the app fails.
  window.yibaoBootFailed = function (err) {
    show(FAILED);
    if (window.console && err) window.console.error(err);
  };

  // A tiny WebAssembly module, written by hand, that uses each post-MVP feature current
  // rustc output uses. A browser that lacks one of them rejects it. Its one function:
  //   (func (result i32 i32)                      ;; multivalue: two results
  //     (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))      ;; bulk memory
  //     (i32.extend8_s (ref.is_null (ref.null extern)))  ;; reference types, sign-ext
  //     (i32.trunc_sat_f32_s (f32.const 0)))      ;; non-trapping float-to-int
  // tests/e2e/boot-probe.test.mjs checks that it is valid, and that dropping any one
  // feature makes a validator reject it. crates/xtask/src/dist.rs checks the app's wasm
  // uses no feature beyond these.
  // probe:start
  var PROBE = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,             // magic, version 1
    0x01, 0x06, 0x01, 0x60, 0x00, 0x02, 0x7f, 0x7f,             // type: () -> (i32, i32)
    0x03, 0x02, 0x01, 0x00,                                     // function 0 has type 0
    0x05, 0x03, 0x01, 0x00, 0x00,                               // memory 0, min 0 pages
    0x0a, 0x18, 0x01, 0x16, 0x00,                               // code: 1 body, 22 bytes, no locals
    0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0b, 0x00,       // memory.fill
    0xd0, 0x6f, 0xd1,                                           // ref.null extern, ref.is_null
    0xc0,                                                       // i32.extend8_s
    0x43, 0x00, 0x00, 0x00, 0x00, 0xfc, 0x00,                   // f32.const 0, i32.trunc_sat_f32_s
    0x0b                                                        // end
  ];
  // probe:end

  function supported() {
    try {
      if (typeof WebAssembly !== "object" || typeof Uint8Array !== "function") return false;
      if (typeof Promise !== "function" || typeof URL !== "function") return false;
      // ES modules (start.js and wasm-bindgen's JS are modules).
      if (!("noModule" in document.createElement("script"))) return false;
      var bytes = new Uint8Array(PROBE);
      if (!WebAssembly.validate(bytes)) return false;
      // Compiling, not just validating: an engine that predates the CSP keyword
      // 'wasm-unsafe-eval' (older Chromium) blocks WebAssembly under this page's CSP,
      // and the app could not start there either.
      new WebAssembly.Module(bytes);
      return true;
    } catch (e) {
      return false;
    }
  }

  var me = document.currentScript || document.querySelector("script[data-start]");
  var start = me && me.getAttribute("data-start");
  if (!supported()) {
    show(TOO_OLD);
    return;
  }
  if (!start) {
    show(FAILED);
    return;
  }
  show(LOADING);
  var wasm = me.getAttribute("data-wasm");
  if (wasm) {
    // Fetch the wasm in parallel with start.js; wasm-bindgen's fetch then reuses it.
    var preload = document.createElement("link");
    preload.rel = "preload";
    preload.as = "fetch";
    preload.type = "application/wasm";
    preload.crossOrigin = "anonymous";
    preload.href = wasm;
    document.head.appendChild(preload);
  }
  var script = document.createElement("script");
  script.type = "module";
  script.src = start;
  script.onerror = function () {
    show(FAILED);
  };
  document.head.appendChild(script);
})();
