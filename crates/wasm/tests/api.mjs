// The JavaScript API of the wasm package under Node: results, errors (compared with the
// native CLI's), validatePolicy, curve, Calculator, version, deeply nested input, the
// TypeScript definitions, and that a panic reaches the caller as an Error rather than an
// `unreachable` trap.
//
//   node --test crates/wasm/tests/api.mjs
//
// Environment: YIBAO_WASM_PKG (default crates/wasm/pkg), YIBAO_CLI (default
// target/debug/yibao), YIBAO_WASM_PROBE (a `--features panic-probe` build; its test is
// skipped when unset). `cargo xtask test wasm-node` sets all three.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const pkgDir = path.resolve(process.env.YIBAO_WASM_PKG || path.join(root, 'crates/wasm/pkg'));
const cli = path.resolve(process.env.YIBAO_CLI || path.join(root, 'target/debug/yibao'));

async function load(dir) {
  const mod = await import(pathToFileURL(path.join(dir, 'yibao_wasm.js')).href);
  mod.initSync({ module: readFileSync(path.join(dir, 'yibao_wasm_bg.wasm')) });
  return mod;
}

const wasm = await load(pkgDir);
const policyIds = JSON.parse(readFileSync(path.join(root, 'policies/index.json'), 'utf8')).policies.map((p) => p.id);
const readPolicy = (id) => JSON.parse(readFileSync(path.join(root, 'policies', `${id}.json`), 'utf8'));
const tianjin = readPolicy('tianjin-2023');
const scenario = {
  identities: ['subsistence_allowance'],
  visits: [
    { kind: 'inpatient', level: 'level3', total: '100000', in_scope: '90000', referred: true },
    { kind: 'outpatient', level: 'grassroots', total: '800', in_scope: '600' },
  ],
};
const clone = (v) => structuredClone(v);

/** Runs `f`, returns what it threw; fails when it returns or throws a non-Error or a trap. */
function thrown(f) {
  let error;
  try {
    f();
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, 'expected an error');
  assert.ok(error instanceof Error, `not an Error: ${String(error)}`);
  assert.ok(!(error instanceof WebAssembly.RuntimeError), `a trap reached the caller: ${error.message}`);
  return error;
}

function cliCalc(policyPath, scenarioValue) {
  return spawnSync(cli, ['calc', '--policy', policyPath, '--scenario', '-', '--json'], { cwd: root, input: JSON.stringify(scenarioValue), encoding: 'utf8' });
}

function cliValidate(policyValue) {
  const dir = mkdtempSync(path.join(tmpdir(), 'yibao-wasm-'));
  try {
    const file = path.join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify(policyValue));
    return spawnSync(cli, ['validate', file], { cwd: root, encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('version names the package, the engine and the policy format', () => {
  const v = wasm.version();
  assert.deepEqual(Object.keys(v).sort(), ['engine', 'package', 'policy_format']);
  assert.match(v.package, /^\d+\.\d+\.\d+/);
  assert.match(v.engine, /^\d+\.\d+\.\d+/);
  assert.equal(v.policy_format, tianjin.format_version);
});

test('calculate gives the result contract, the same as the CLI', () => {
  const r = wasm.calculate(tianjin, scenario);
  for (const key of ['policy', 'tier', 'identity', 'identity_name', 'identities_considered', 'totals', 'layers', 'visits', 'steps', 'alerts', 'contribution', 'assumptions']) {
    assert.ok(key in r, `missing ${key}`);
  }
  for (const v of Object.values(r.totals)) assert.match(v, /^-?\d+\.\d\d$/);
  assert.equal(Object.getPrototypeOf(r.totals), Object.prototype, 'maps and structs are plain objects');
  const native = cliCalc('tianjin-2023', scenario);
  assert.equal(native.status, 0, native.stderr);
  assert.deepStrictEqual(r, JSON.parse(native.stdout));
});

test('every policy in policies/ loads and calculates as the CLI does', () => {
  for (const id of policyIds) {
    const policy = readPolicy(id);
    assert.deepEqual(wasm.validatePolicy(policy), [], id);
    // A policy with its own facility classes: its first one.
    const level = policy.facility_classes?.[0]?.id ?? 'level2';
    const s = { visits: [{ kind: 'inpatient', level, total: '50000', in_scope: '42000' }] };
    const native = cliCalc(id, s);
    assert.equal(native.status, 0, `${id}: ${native.stderr}`);
    assert.deepStrictEqual(wasm.calculate(policy, s), JSON.parse(native.stdout), id);
  }
});

test('numbers are read as the CLI reads them (shortest decimal text)', () => {
  const asNumbers = { visits: [{ kind: 'inpatient', level: 'level2', total: 60000.15, in_scope: 50000.1 }] };
  const asStrings = { visits: [{ kind: 'inpatient', level: 'level2', total: '60000.15', in_scope: '50000.1' }] };
  const r = wasm.calculate(tianjin, asNumbers);
  assert.deepStrictEqual(r, wasm.calculate(tianjin, asStrings));
  assert.deepStrictEqual(r, JSON.parse(cliCalc('tianjin-2023', asNumbers).stdout));
  // A key whose value is undefined is absent, as JSON.stringify leaves it out.
  const withUndefined = clone(asStrings);
  withUndefined.visits[0].referred = undefined;
  withUndefined.contribution_tier = undefined;
  assert.deepStrictEqual(wasm.calculate(tianjin, withUndefined), r);
});

test('bad scenarios: an Error naming the field, with the CLI\'s field and message', () => {
  const v = (over) => ({ visits: [{ kind: 'inpatient', level: 'level3', total: '1000', in_scope: '800', ...over }] });
  const cases = [
    [v({ in_scope: '1200' }), 'visits[0].in_scope'],
    [v({ total: '-5' }), 'visits[0].total'],
    [v({ total: 'abc' }), 'visits[0].total'],
    [v({ total: '1,000' }), 'visits[0].total'],
    [v({ total: 1000.005 }), 'visits[0].total'],
    [v({ total: true }), 'visits[0].total'],
    [v({ kind: 'dental' }), 'visits[0].kind'],
    [v({ refered: true }), 'visits[0].refered'],
    [v({ referred: 'yes' }), 'visits[0].referred'],
    [{ visits: [{ kind: 'inpatient', level: 'level3', total: '1000' }] }, 'visits[0]'],
    [{ visits: [] }, 'visits'],
    [{ visits: 'none' }, 'visits'],
    [{ visits: v({}).visits, identities: ['orphan', 'orphan'] }, 'identities[1]'],
    [{ visits: v({}).visits, identities: ['nobody'] }, 'identities[0]'],
    [{ visits: v({}).visits, contribution_tier: 'gold' }, 'contribution_tier'],
    [{ visits: v({}).visits, scheme: 'employee' }, 'scheme'],
    [{ visits: v({}).visits, extra: 1 }, 'extra'],
    [{}, '(root)'],
    [[], '(root)'],
    ['scenario', '(root)'],
    [null, '(root)'],
  ];
  for (const [bad, field] of cases) {
    const e = thrown(() => wasm.calculate(tianjin, bad));
    assert.equal(e.field, field, `${JSON.stringify(bad)}: ${e.message}`);
    assert.ok(e.message.startsWith(`${field}: `), e.message);
    const native = cliCalc('tianjin-2023', bad);
    assert.notEqual(native.status, 0, `the CLI accepted ${JSON.stringify(bad)}`);
    // The CLI says `情景有误 (bad scenario) <field>: <message>`. serde_json also reads an array
    // as a struct (its message then counts elements): only the field is compared there.
    if (Array.isArray(bad)) assert.ok(native.stderr.includes(`${field}: `), native.stderr);
    else assert.ok(native.stderr.includes(e.message), `wasm: ${e.message}\nCLI:  ${native.stderr.trim()}`);
  }
  thrown(() => wasm.calculate(tianjin));
});

test('validatePolicy lists the problems a calculation relies on, with the paths and words of `yibao validate`', () => {
  const mutations = [
    (p) => { p.format_version = 3; },
    (p) => { p.default_tier = 'gold'; },
    (p) => { p.basic.benefits[0].deductible.level3.value = '-1'; },
    (p) => { p.basic.benefits[0].deductible.level3.status = 'assumed'; delete p.basic.benefits[0].deductible.level3.source; },
    (p) => { delete p.basic.benefits[0].deductible.level2; },
    (p) => { p.basic.benefits[0].cap_pool = 'nowhere'; },
    // Shape errors, with their paths.
    (p) => { p.basic.benefits[0].deductible.level3.sorce = 1; },
    (p) => { p.year = '2023'; },
    (p) => { p.year = 2023.5; },
    (p) => { delete p.title; },
    (p) => { p.scheme = 'employee'; },
    (p) => { p.not_covered = { dental: 'x' }; },
    (p) => { p.basic.benefits[0].deductible.level3.value = 'abc'; },
    (p) => { p.basic.benefits[0].kinds = 'inpatient'; },
  ];
  for (const [i, mutate] of mutations.entries()) {
    const p = clone(tianjin);
    mutate(p);
    const problems = wasm.validatePolicy(p);
    assert.ok(problems.length > 0, `mutation ${i}: no problem found`);
    for (const pr of problems) assert.deepEqual(Object.keys(pr).sort(), ['message', 'path']);
    const native = cliValidate(p);
    assert.equal(native.status, 1, `mutation ${i}: the CLI accepted it`);
    const out = native.stdout + native.stderr;
    for (const pr of problems) {
      // One policy reader and one set of checks serve both, so paths and messages are the same.
      const said = `${pr.path}: ${pr.message}`;
      assert.ok(out.includes(`  ${said}`) || out.includes(`at ${said}`), `mutation ${i}: ${said}\nCLI: ${out.trim()}`);
    }
    // calculate and new Calculator throw the same problems.
    const e = thrown(() => new wasm.Calculator(p));
    assert.deepEqual(e.problems, problems);
    assert.deepEqual(thrown(() => wasm.calculate(p, scenario)).problems, problems);
  }
  // The checks for publishing a file are `yibao validate`'s alone (the package leaves them out
  // for its size budget): the calculation does not depend on them.
  for (const [i, mutate] of [
    (p) => { p.tiers.push(clone(p.tiers[0])); },
    (p) => { p.checked_on = 'yesterday'; },
    (p) => { p.documents[0].grade = 'A+'; },
  ].entries()) {
    const p = clone(tianjin);
    mutate(p);
    assert.deepEqual(wasm.validatePolicy(p), [], `publishing check ${i}`);
    assert.equal(cliValidate(p).status, 1, `publishing check ${i}: the CLI accepted it`);
  }
  for (const bad of [undefined, null, 42, 'policy', [], {}]) {
    // Not an object: one problem; an empty object: every missing field, all at the root.
    const problems = wasm.validatePolicy(bad);
    assert.ok(problems.length >= 1 && (problems.length === 1 || bad?.constructor === Object));
    for (const pr of problems) assert.equal(pr.path, '(root)');
  }
});

test('Calculator: one parse, the same results; totals alone', () => {
  const calc = new wasm.Calculator(tianjin);
  try {
    assert.deepStrictEqual(calc.calculate(scenario), wasm.calculate(tianjin, scenario));
    const t = calc.totals(scenario);
    const full = calc.calculate(scenario);
    assert.deepStrictEqual(t, { identity: full.identity, totals: full.totals });
    assert.equal(thrown(() => calc.calculate({ visits: [] })).field, 'visits');
    assert.deepStrictEqual(calc.curve(scenario, 4), wasm.curve(tianjin, scenario, 4));
  } finally {
    calc.free();
  }
});

test('curve: points + 1 totals from 0x to 2x, point k at factor 2k/points', () => {
  const points = 8;
  const c = wasm.curve(tianjin, scenario, points);
  assert.equal(c.length, points + 1);
  const calc = new wasm.Calculator(tianjin);
  c.forEach((p, k) => {
    assert.equal(p.k, k);
    assert.equal(Number(p.factor), (2 * k) / points);
    assert.deepEqual(Object.keys(p).sort(), ['factor', 'identity', 'k', 'totals']);
    // The same as calculating the scaled scenario (bills × factor, rounded to the fen).
    const scaled = clone(scenario);
    for (const v of scaled.visits) {
      v.total = ((Number(v.total) * 2 * k) / points).toFixed(2);
      v.in_scope = ((Number(v.in_scope) * 2 * k) / points).toFixed(2);
    }
    assert.deepStrictEqual({ identity: p.identity, totals: p.totals }, calc.totals(scaled), `k=${k}`);
  });
  calc.free();
  assert.deepEqual(c[points / 2].totals, wasm.calculate(tianjin, scenario).totals);
  assert.equal(c[0].totals.total, '0.00');
  for (let k = 1; k < c.length; k++) assert.ok(Number(c[k].totals.out_of_pocket) >= Number(c[k - 1].totals.out_of_pocket));
  assert.equal(wasm.curve(tianjin, scenario, 200).length, 201);
  for (const bad of [0, 201, 2.5, -1, NaN, Infinity]) {
    const e = thrown(() => wasm.curve(tianjin, scenario, bad));
    assert.equal(e.field, 'points', `${bad}: ${e.message}`);
  }
  const huge = { visits: [{ kind: 'inpatient', level: 'level3', total: '60000000', in_scope: '1' }] };
  assert.equal(thrown(() => wasm.curve(tianjin, huge, 10)).field, 'visits[0].total');
});

test('no input reaches the page as a trap', () => {
  const values = [undefined, null, true, 0, -1, 1e300, NaN, '', 'x', '1e5', [], {}, [1], { a: 1 }, 0.1 + 0.2, 1e-7, 2 ** 60];
  let seed = 7;
  const pick = (xs) => xs[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % xs.length];
  const keys = ['kind', 'level', 'total', 'in_scope', 'referred'];
  for (let i = 0; i < 300; i++) {
    const s = clone(scenario);
    s.visits[i % 2][pick(keys)] = pick(values);
    if (i % 7 === 0) s.identities = pick(values);
    try {
      const r = wasm.calculate(tianjin, s);
      assert.equal(typeof r.totals.total, 'string');
    } catch (e) {
      assert.ok(e instanceof Error && !(e instanceof WebAssembly.RuntimeError), `${JSON.stringify(s)}: ${e}`);
      assert.equal(typeof e.field, 'string');
    }
  }
});

/** `depth` arrays, one inside the other ([[[…]]]), built without recursion. */
function nestedArray(depth) {
  let v = [];
  for (let i = 1; i < depth; i++) v = [v];
  return v;
}

/** `depth` objects, one inside the other ({a: {a: …}}). */
function nestedObject(depth) {
  let v = {};
  for (let i = 1; i < depth; i++) v = { a: v };
  return v;
}

const TOO_DEEP = '嵌套过深，最多 128 层 (nested deeper than 128 levels)';

/** Like `thrown`, and not a stack overflow (a RangeError is an Error too). */
function thrownCleanly(f) {
  const e = thrown(f);
  assert.ok(!(e instanceof RangeError), `a stack overflow reached the caller: ${e.message}`);
  return e;
}

test('deeply nested input is an Error naming its path, and the instance keeps working', () => {
  // Made before the deep calls: a stack overflow inside the wasm would have left the
  // instance's stack pointer wrong, and this calculator (like every later call) broken.
  const calc = new wasm.Calculator(tianjin);
  const expected = wasm.calculate(tianjin, scenario);
  const stillWorks = (what) => {
    assert.deepStrictEqual(wasm.calculate(tianjin, scenario), expected, `calculate after ${what}`);
    assert.deepStrictEqual(calc.calculate(scenario), expected, `an earlier Calculator after ${what}`);
  };
  const cyclic = [];
  cyclic.push(cyclic);
  const shapes = [
    ['array', nestedArray, '[0]'],
    ['object', nestedObject, '.a'],
  ];
  for (const depth of [4070, 200_000]) {
    for (const [kind, nested, step] of shapes) {
      const what = `${kind} ${depth} deep`;
      // In policy fields, enclosed by 1 and 6 arrays or objects (the root object, …): the
      // path names where the 129th level begins.
      for (const [field, enclosing, place] of [
        ['summary', 1, (p, v) => { p.summary = v; }],
        ['basic.benefits[0].deductible.level3.value', 6, (p, v) => { p.basic.benefits[0].deductible.level3.value = v; }],
      ]) {
        const p = clone(tianjin);
        place(p, nested(depth));
        const problems = wasm.validatePolicy(p);
        assert.deepEqual(problems, [{ path: field + step.repeat(128 - enclosing), message: TOO_DEEP }], `${field}: ${what}`);
        stillWorks(`validatePolicy, ${field}: ${what}`);
        assert.deepEqual(thrownCleanly(() => wasm.calculate(p, scenario)).problems, problems);
        assert.deepEqual(thrownCleanly(() => new wasm.Calculator(p)).problems, problems);
        assert.deepEqual(thrownCleanly(() => wasm.curve(p, scenario, 4)).problems, problems);
        stillWorks(`calculate, ${field}: ${what}`);
      }
      // In scenario fields: each names its field.
      for (const [field, place] of [
        ['visits', (s, v) => { s.visits = v; }],
        ['visits[0]', (s, v) => { s.visits[0] = v; }],
        ['visits[0].total', (s, v) => { s.visits[0].total = v; }],
        ['identities', (s, v) => { s.identities = v; }],
        ['contribution_tier', (s, v) => { s.contribution_tier = v; }],
      ]) {
        const s = clone(scenario);
        place(s, nested(depth));
        for (const f of [() => wasm.calculate(tianjin, s), () => calc.calculate(s), () => calc.totals(s), () => calc.curve(s, 4)]) {
          const e = thrownCleanly(f);
          // The field, or a part of it (`visits[0].a`: an unknown field).
          assert.ok([undefined, '[', '.'].includes(e.field.startsWith(field) && e.field[field.length]), `${field}: ${what}: ${e.field}: ${e.message}`);
          assert.ok(e.message.startsWith(`${e.field}: `), e.message);
        }
        stillWorks(`a scenario with ${field}: ${what}`);
      }
    }
  }
  // The limit: 128 levels are read (and then refused as the wrong type), 129 are too deep.
  const at = (depth) => {
    const p = clone(tianjin);
    p.summary = nestedArray(depth - 1);
    return wasm.validatePolicy(p);
  };
  assert.equal(at(128).length, 1);
  assert.equal(at(128)[0].path, 'summary');
  assert.notEqual(at(128)[0].message, TOO_DEEP);
  assert.deepEqual(at(129), [{ path: 'summary' + '[0]'.repeat(127), message: TOO_DEEP }]);
  // A cycle is infinitely deep.
  const p = clone(tianjin);
  p.summary = cyclic;
  assert.deepEqual(wasm.validatePolicy(p), [{ path: 'summary' + '[0]'.repeat(127), message: TOO_DEEP }]);
  stillWorks('a cycle');
  calc.free();
});

test('the TypeScript definitions name every type and use no `any`', () => {
  const dts = readFileSync(path.join(pkgDir, 'yibao_wasm.d.ts'), 'utf8');
  // The API part, before wasm-bindgen's own loader types (InitInput, raw exports).
  const api = dts.split(/export type InitInput/)[0];
  assert.doesNotMatch(api, /\bany\b/);
  for (const sig of [
    'export function calculate(policy: Policy, scenario: Scenario): CalcResult;',
    'export function validatePolicy(policy: Policy): Problem[];',
    'export function curve(policy: Policy, scenario: Scenario, points: number): CurvePoint[];',
    'export function version(): Version;',
    'constructor(policy: Policy);',
    'calculate(scenario: Scenario): CalcResult;',
    'totals(scenario: Scenario): TotalsResult;',
    'curve(scenario: Scenario, points: number): CurvePoint[];',
  ]) {
    assert.ok(api.includes(sig), `missing: ${sig}`);
  }
  for (const name of ['Policy', 'Scenario', 'Visit', 'CalcResult', 'Totals', 'Step', 'ParamUse', 'Alert', 'Problem', 'CurvePoint', 'Version', 'YibaoError']) {
    assert.match(api, new RegExp(`export (interface|type) ${name}\\b`), name);
  }
  assert.doesNotMatch(api, /panicProbe/);
});

test('a panic reaches the caller as an Error, and later calls say the module stopped', { skip: !process.env.YIBAO_WASM_PROBE && 'YIBAO_WASM_PROBE is not set' }, async () => {
  const probe = await load(path.resolve(process.env.YIBAO_WASM_PROBE));
  assert.equal(probe.validatePolicy(tianjin).length, 0);
  const e = thrown(() => probe.panicProbe('boom'));
  assert.match(e.message, /internal error/);
  assert.match(e.message, /boom/);
  const after = thrown(() => probe.calculate(tianjin, scenario));
  assert.match(after.message, /stopped after an internal error/);
  // The package under test (a separate instance) is unaffected.
  assert.equal(wasm.calculate(tianjin, scenario).totals.total, '100800.00');
});

test('values whose reading throws (a Proxy, a getter) never leak the wasm stack', () => {
  // An exception that unwinds through wasm frames skips restoring the stack pointer: before
  // the reader caught them, a few thousand such calls used up the stack, and a later call
  // (found by the fuzz harness at case 4,328 of seed 99) broke the instance for good.
  const expected = wasm.calculate(tianjin, scenario);
  const hostile = [
    new Proxy({}, { ownKeys() { throw new Error('ownKeys'); } }),
    new Proxy([], { get() { throw new Error('get'); } }),
    (() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; })(),
  ];
  for (let i = 0; i < 20_000; i++) {
    const h = hostile[i % hostile.length];
    const e = thrown(() => (i % 2 ? wasm.calculate(h, scenario) : wasm.calculate(tianjin, { visits: h })));
    assert.ok(e instanceof Error && !(e instanceof RangeError) && !(e instanceof WebAssembly.RuntimeError), String(e));
  }
  // Deep (but allowed) input needs the whole stack: it must still be there.
  let deep = 0;
  for (let i = 0; i < 120; i++) deep = [deep];
  assert.ok(Array.isArray(wasm.validatePolicy({ ...tianjin, summary: deep })));
  assert.deepStrictEqual(wasm.calculate(tianjin, scenario), expected);
});
