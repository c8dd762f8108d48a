// The `--target bundler` build (crates/wasm/pkg-bundler) as a bundler loads it: an ES module
// that imports the .wasm (Node runs it with --experimental-wasm-modules). Every golden case's
// totals must come out as expected; golden.mjs checks the whole result on the web build.
//
//   node --experimental-wasm-modules --test crates/wasm/tests/bundler.mjs
//
// Environment: YIBAO_WASM_BUNDLER (default crates/wasm/pkg-bundler).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const pkgDir = path.resolve(process.env.YIBAO_WASM_BUNDLER || path.join(root, 'crates/wasm/pkg-bundler'));
const wasm = await import(pathToFileURL(path.join(pkgDir, 'yibao_wasm.js')).href);

test('the bundler build computes every golden case', () => {
  const dir = path.join(root, 'tests/golden');
  let checked = 0;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const c = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
    const policy = JSON.parse(readFileSync(path.join(root, 'policies', `${c.policy}.json`), 'utf8'));
    if (c.expected_error) {
      assert.throws(() => wasm.calculate(policy, c.scenario), (e) => e.field === c.expected_error.field, f);
    } else {
      const r = wasm.calculate(policy, c.scenario);
      for (const [k, v] of Object.entries(c.expected.totals)) assert.equal(r.totals[k], v, `${f}: totals.${k}`);
    }
    checked += 1;
  }
  assert.ok(checked >= 100, `only ${checked} cases`);
  assert.deepEqual(wasm.validatePolicy(JSON.parse(readFileSync(path.join(root, 'policies/tianjin-2023.json'), 'utf8'))), []);
});
