// The wasm package in a real headless Chromium (Debian's, driven by playwright-core; no
// browser download): the example page loads the package and a policy and prints the
// breakdown; then `calculate`, a bad-input error naming the field, `validatePolicy`,
// `curve` and deeply nested input in the page. Fails on any console error, page error or
// failed request.
//
//   node --test crates/wasm/tests/browser.mjs
//
// Environment: YIBAO_CHROMIUM (default /usr/bin/chromium), YIBAO_CLI (default
// target/debug/yibao). Needs the `--target web` build in crates/wasm/pkg.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { readFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const cli = path.resolve(process.env.YIBAO_CLI || path.join(root, 'target/debug/yibao'));
const executablePath = process.env.YIBAO_CHROMIUM || '/usr/bin/chromium';
if (!existsSync(path.join(root, 'crates/wasm/pkg/yibao_wasm.js'))) throw new Error('build the package first: wasm-pack build crates/wasm --target web');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };

/** A static server of the repository root (as README.md tells integrators to serve it). */
function serve() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    if (url.pathname.endsWith('/')) file = path.join(file, 'index.html');
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server;
let browser;
let page;
let apiPage;
let base;
const problems = [];

before(async () => {
  server = await serve();
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const watch = (p) => {
    p.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    p.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    p.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
    return p;
  };
  // The example page under its own Content-Security-Policy.
  page = watch(await browser.newPage());
  await page.goto(`${base}/crates/wasm/example/`);
  await page.waitForSelector('#totals', { timeout: 20000 });
  // The API tests run code of their own in a page: a context without the page's CSP.
  apiPage = watch(await (await browser.newContext({ bypassCSP: true })).newPage());
  await apiPage.goto(`${base}/crates/wasm/example/`);
  await apiPage.waitForSelector('#totals', { timeout: 20000 });
});

after(async () => {
  await browser?.close();
  server?.close();
});

function cliTotals(policyId, scenario) {
  const out = spawnSync(cli, ['calc', '--policy', policyId, '--scenario', '-', '--json'], { cwd: root, input: JSON.stringify(scenario), encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout).totals;
}

/** Runs `body(mod, policy)` in the page with the package module and a policy object. */
function inPage(body, arg) {
  return apiPage.evaluate(async ({ body, arg }) => {
    const mod = await import('/crates/wasm/pkg/yibao_wasm.js');
    await mod.default(); // already initialized by the example page: returns at once
    const policy = await (await fetch('/policies/tianjin-2023.json')).json();
    return new Function('mod', 'policy', 'arg', `return (${body})(mod, policy, arg);`)(mod, policy, arg);
  }, { body: body.toString(), arg });
}

const scenario = { identities: ['subsistence_allowance'], visits: [{ kind: 'inpatient', level: 'level3', total: '100000', in_scope: '90000' }] };

test('the example page loads the package and a policy and prints the breakdown', async () => {
  const text = await page.textContent('#totals');
  const want = cliTotals('tianjin-2023', { identities: [], visits: [{ kind: 'inpatient', level: 'level3', total: '100000', in_scope: '90000', referred: false }] });
  assert.ok(text.includes(want.out_of_pocket), `${text} lacks ${want.out_of_pocket}`);
  assert.ok(text.includes(want.basic), text);
  assert.match(await page.textContent('#version'), /yibao-wasm \d/);
  // Typing a bad amount shows the message naming the field and marks the input.
  await page.fill('#in_scope', '200000');
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error'), /^visits\[0\]\.in_scope: /);
  assert.equal(await page.getAttribute('#in_scope', 'class'), 'bad');
  await page.fill('#in_scope', '90000');
  await page.waitForSelector('#error', { state: 'hidden' });
});

test('calculate in the page gives the CLI\'s totals', async () => {
  const r = await inPage((mod, policy, s) => mod.calculate(policy, s), scenario);
  assert.deepStrictEqual(r.totals, cliTotals('tianjin-2023', scenario));
  assert.equal(r.identity, 'subsistence_allowance');
  assert.ok(r.steps.length > 0);
});

test('bad input throws an Error whose message names the field', async () => {
  const e = await inPage((mod, policy) => {
    try {
      mod.calculate(policy, { visits: [{ kind: 'inpatient', level: 'level3', total: '100', in_scope: '150' }] });
      return null;
    } catch (err) {
      return { isError: err instanceof Error, trap: err instanceof WebAssembly.RuntimeError, message: err.message, field: err.field };
    }
  });
  assert.ok(e, 'no error thrown');
  assert.equal(e.isError, true);
  assert.equal(e.trap, false);
  assert.equal(e.field, 'visits[0].in_scope');
  assert.match(e.message, /^visits\[0\]\.in_scope: /);
});

test('validatePolicy in the page', async () => {
  const r = await inPage((mod, policy) => {
    const broken = structuredClone(policy);
    broken.default_tier = 'gold';
    return { good: mod.validatePolicy(policy), bad: mod.validatePolicy(broken) };
  });
  assert.deepEqual(r.good, []);
  assert.equal(r.bad[0].path, 'default_tier');
});

test('curve in the page', async () => {
  const c = await inPage((mod, policy, s) => mod.curve(policy, s, 10), scenario);
  assert.equal(c.length, 11);
  assert.equal(c[0].totals.total, '0.00');
  assert.deepStrictEqual(c[5].totals, cliTotals('tianjin-2023', scenario));
  assert.equal(c[10].totals.total, '200000.00');
});

test('deeply nested input in the page is an Error, and the package keeps working', async () => {
  const r = await inPage((mod, policy, s) => {
    const before = mod.calculate(policy, s).totals;
    const calc = new mod.Calculator(policy);
    const out = [];
    for (const depth of [4070, 200000]) {
      let deep = [];
      for (let i = 1; i < depth; i++) deep = [deep];
      const broken = structuredClone(policy);
      broken.summary = deep;
      const problems = mod.validatePolicy(broken);
      let thrown = null;
      try {
        mod.calculate(policy, { ...s, visits: [{ ...s.visits[0], total: deep }] });
      } catch (err) {
        thrown = { name: err.constructor.name, field: err.field };
      }
      out.push({ problems, thrown, after: mod.calculate(policy, s).totals, calculator: calc.calculate(s).totals });
    }
    calc.free();
    return { before, out };
  }, scenario);
  for (const o of r.out) {
    assert.equal(o.problems.length, 1);
    assert.equal(o.problems[0].path, 'summary' + '[0]'.repeat(127));
    assert.match(o.problems[0].message, /嵌套过深，最多 128 层/);
    // The field, then where in the value the 129th level begins (the scenario is read as a
    // JSON value first, as the CLI reads it).
    assert.equal(o.thrown.name, 'Error');
    assert.ok(o.thrown.field.startsWith('visits[0].total'), o.thrown.field);
    assert.deepStrictEqual(o.after, r.before);
    assert.deepStrictEqual(o.calculator, r.before);
  }
});

test('no console error, page error or failed request', () => {
  assert.deepEqual(problems, []);
});
