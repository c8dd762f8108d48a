// The golden cases of tests/golden/*.json run through the wasm package (the `--target web`
// build, loaded with `initSync` from the .wasm bytes), checked as the native runner
// (crates/engine/tests/golden.rs) checks them, and compared with the native CLI's
// `yibao calc --json` for the same case: the whole result must be identical.
//
//   node --test crates/wasm/tests/golden.mjs
//
// Environment: YIBAO_WASM_PKG (default crates/wasm/pkg), YIBAO_CLI (default
// target/debug/yibao). `cargo xtask test wasm-node` builds both and runs this.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const pkgDir = path.resolve(process.env.YIBAO_WASM_PKG || path.join(root, 'crates/wasm/pkg'));
const cli = path.resolve(process.env.YIBAO_CLI || path.join(root, 'target/debug/yibao'));

/** The golden set must not shrink below this many cases. */
const MIN_CASES = 40;
/** The layers and the out-of-pocket that must add up to the total. */
const SUM_PARTS = ['basic', 'critical_illness', 'assistance', 'tilted_assistance', 'out_of_pocket'];

for (const [what, p] of [['wasm package (wasm-pack build crates/wasm --target web)', path.join(pkgDir, 'yibao_wasm.js')], ['native CLI (cargo build -p yibao-cli)', cli]]) {
  if (!existsSync(p)) throw new Error(`${what} not found at ${p}`);
}

const wasm = await import(pathToFileURL(path.join(pkgDir, 'yibao_wasm.js')).href);
wasm.initSync({ module: readFileSync(path.join(pkgDir, 'yibao_wasm_bg.wasm')) });

const goldenDir = path.join(root, 'tests/golden');
const files = readdirSync(goldenDir).filter((f) => f.endsWith('.json')).sort();
const policies = new Map();
function policy(id) {
  if (!policies.has(id)) policies.set(id, JSON.parse(readFileSync(path.join(root, 'policies', `${id}.json`), 'utf8')));
  return policies.get(id);
}

/** "123.45" in fen, or null when it is not a two-decimal amount. */
function fen(text) {
  if (typeof text !== 'string' || !/^-?\d+\.\d\d$/.test(text)) return null;
  const neg = text.startsWith('-');
  const [int, frac] = text.replace('-', '').split('.');
  const v = BigInt(int) * 100n + BigInt(frac);
  return neg ? -v : v;
}

function checkSum(problems, label, obj) {
  let sum = 0n;
  for (const key of SUM_PARTS) {
    const v = fen(obj?.[key]);
    if (v === null) return problems.push(`${label}.${key}: not a two-decimal amount: ${JSON.stringify(obj?.[key])}`);
    sum += v;
  }
  const total = fen(obj?.total);
  if (total === null) return problems.push(`${label}.total: not a two-decimal amount: ${JSON.stringify(obj?.total)}`);
  if (total !== sum) problems.push(`${label}: parts add up to ${sum} fen, total is ${obj.total}`);
}

function compareFields(problems, label, expected, actual) {
  for (const [key, want] of Object.entries(expected)) {
    if (actual?.[key] !== want) problems.push(`${label}.${key}: expected ${JSON.stringify(want)}, actual ${JSON.stringify(actual?.[key])}`);
  }
}

/** `yibao calc --policy <id> --scenario - --json` with the case's scenario on standard input. */
function runCli(policyId, scenario) {
  const out = spawnSync(cli, ['calc', '--policy', policyId, '--scenario', '-', '--json'], {
    cwd: root,
    input: JSON.stringify(scenario),
    encoding: 'utf8',
  });
  if (out.error) throw out.error;
  return out;
}

/** Every mismatch of one case, as the native runner reports them. */
function checkCase(c) {
  const problems = [];
  for (const key of ['name', 'policy']) if (typeof c[key] !== 'string') return [`case format: \`${key}\` is missing`];
  if (!c.scenario) return ['case format: `scenario` is missing'];
  if ((c.expected === undefined) === (c.expected_error === undefined)) return ['case format: give exactly one of `expected` and `expected_error`'];

  let result;
  let error;
  try {
    result = wasm.calculate(policy(c.policy), c.scenario);
  } catch (e) {
    error = e;
  }
  const native = runCli(c.policy, c.scenario);

  if (c.expected_error) {
    const field = c.expected_error.field;
    if (!error) return [`error.field: expected an error on ${field}, got a result (totals ${JSON.stringify(result.totals)})`];
    if (!(error instanceof Error)) problems.push(`the thrown value is not an Error: ${String(error)}`);
    if (error.field !== field) problems.push(`error.field: expected ${field}, actual ${error.field} (${error.message})`);
    if (!String(error.message).startsWith(`${field}: `)) problems.push(`error.message does not start with "${field}: ": ${error.message}`);
    if (native.status === 0) problems.push(`the CLI accepted the bad scenario (${field})`);
    else if (!native.stderr.includes(field)) problems.push(`the CLI's error does not name ${field}: ${native.stderr.trim()}`);
    return problems;
  }

  if (error) return [`result: expected a result, got an error: ${error.message}`];
  const e = c.expected;
  if (!('identity' in e)) problems.push('case format: `expected.identity` is missing');
  else if (result.identity !== e.identity) problems.push(`identity: expected ${e.identity}, actual ${result.identity}`);
  if (!e.totals) problems.push('case format: `expected.totals` is missing');
  else compareFields(problems, 'totals', e.totals, result.totals);
  if (e.visits) {
    if (e.visits.length !== result.visits.length) problems.push(`visits (count): expected ${e.visits.length}, actual ${result.visits.length}`);
    e.visits.forEach((want, i) => compareFields(problems, `visits[${i}]`, want, result.visits[i]));
  }
  if (e.alerts) {
    const kinds = result.alerts.map((a) => a.kind);
    for (const kind of e.alerts) if (!kinds.includes(kind)) problems.push(`alerts: expected an alert of kind \`${kind}\`, actual kinds [${kinds.join(', ')}]`);
  }
  checkSum(problems, 'totals', result.totals);
  result.visits.forEach((v, i) => checkSum(problems, `visits[${i}]`, v));

  // The same numbers as the native engine: the whole result, not only the totals.
  if (native.status !== 0) {
    problems.push(`the CLI failed (${native.status}): ${native.stderr.trim()}`);
  } else {
    const cliResult = JSON.parse(native.stdout);
    for (const key of ['total', 'in_scope', 'out_of_scope', ...SUM_PARTS, 'out_of_pocket_in_scope', 'reimbursed']) {
      if (cliResult.totals[key] !== result.totals[key]) problems.push(`totals.${key}: CLI ${cliResult.totals[key]}, wasm ${result.totals[key]}`);
    }
    try {
      assert.deepStrictEqual(result, cliResult);
    } catch (err) {
      problems.push(`the wasm result differs from \`yibao calc --json\`:\n${err.message}`);
    }
  }
  return problems;
}

let passed = 0;
let failed = 0;

test(`at least ${MIN_CASES} golden cases in tests/golden`, () => {
  assert.ok(files.length >= MIN_CASES, `only ${files.length} golden cases found in ${goldenDir}`);
});

for (const file of files) {
  const c = JSON.parse(readFileSync(path.join(goldenDir, file), 'utf8'));
  test(`${file.replace(/\.json$/, '')} (${c.name})`, () => {
    const problems = checkCase(c);
    if (problems.length) {
      failed += 1;
      assert.fail(problems.join('\n'));
    }
    passed += 1;
  });
}

after(() => {
  console.log(`golden (wasm): ${files.length} cases, ${passed} passed, ${failed} failed`);
});
