// The WebAssembly feature probe in web/boot.js (no browser needed): it is a valid module,
// and each post-MVP feature it is meant to test is really used, so an engine without
// that feature rejects it. binaryen's validator (wasm-opt, installed by
// `cargo xtask setup` in web/node_modules) stands in for the old engines, because
// Node's own V8 has all the features and cannot switch them off.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ROOT } from "./lib/harness.mjs";

const FEATURES = ["bulk-memory", "reference-types", "sign-ext", "multivalue", "nontrapping-float-to-int"];
const WASM_OPT = path.join(ROOT, "web/node_modules/.bin/wasm-opt");

function probeBytes() {
  const src = fs.readFileSync(path.join(ROOT, "web/boot.js"), "utf8");
  const m = src.match(/\/\/ probe:start([\s\S]*?)\/\/ probe:end/);
  assert.ok(m, "web/boot.js has no // probe:start … // probe:end block");
  const code = m[1].replace(/\/\/.*$/gm, "");
  const bytes = [...code.matchAll(/0x([0-9a-fA-F]{2})\b/g)].map((x) => parseInt(x[1], 16));
  return new Uint8Array(bytes);
}

function validates(bytes, enabled) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "probe-")), "probe.wasm");
  fs.writeFileSync(file, bytes);
  const args = ["--mvp-features", ...enabled.map((f) => `--enable-${f}`), file, "-o", os.devNull];
  const r = spawnSync(WASM_OPT, args, { encoding: "utf8" });
  assert.equal(r.error, undefined, `could not run ${WASM_OPT}: ${r.error}`);
  return { ok: r.status === 0, stderr: r.stderr };
}

test("the probe is a valid module for this Node", () => {
  const bytes = probeBytes();
  assert.equal(bytes.length, 51);
  assert.equal(WebAssembly.validate(bytes), true);
  assert.ok(new WebAssembly.Module(bytes) instanceof WebAssembly.Module);
});

test("validate is not trivially true: a corrupted probe is rejected", () => {
  const bytes = probeBytes();
  const i = bytes.findIndex((b, j) => b === 0xfc && bytes[j + 1] === 0x0b);
  bytes[i + 1] = 0x7f; // no such bulk-memory instruction
  assert.equal(WebAssembly.validate(bytes), false);
});

test("with all five features the probe validates under binaryen", () => {
  const r = validates(probeBytes(), FEATURES);
  assert.ok(r.ok, r.stderr);
});

for (const missing of FEATURES) {
  test(`an engine without ${missing} rejects the probe`, () => {
    const r = validates(probeBytes(), FEATURES.filter((f) => f !== missing));
    assert.equal(r.ok, false, `validated without ${missing}`);
    assert.match(r.stderr, /wasm-validator error/);
  });
}
