// The wasm package under random and mutated input (`cargo xtask fuzz`, CI step `fuzz`).
//
//   node crates/wasm/tests/fuzz.mjs [--seconds N] [--seed S] [--corpus FILE] [--save DIR | --no-save]
//
// A seeded loop calls `calculate`, `validatePolicy`, `curve` and `Calculator` with mutated
// real policies and scenarios and with hostile values (undefined, NaN, BigInt, Symbol,
// functions, Maps, sparse and huge arrays, deep nesting, cycles, throwing getters and
// proxies). Every failure must be a plain `Error` (never a WebAssembly trap, a RangeError or a
// TypeError), and after each one the instance must still compute a known case exactly.
// Every case is rebuilt from (seed, case); a failing one is saved (kind "wasm") as a JSON
// description (`{"$": "nan"}` … for what JSON cannot hold) in --save (default
// tests/fuzz/regressions/), and the `wasm` cases in tests/fuzz/regressions/ are replayed first.
// With --corpus (written by `yibao-fuzz --corpus`), generated policies are computed here
// and compared with the native engine's results, which must be identical.
//
// Environment: YIBAO_WASM_PKG (default crates/wasm/pkg). Exit status 1 on any failure.

import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

function options(argv) {
  const o = { seconds: 10, seed: Math.floor(Math.random() * 1e9), corpus: null, save: path.join(root, 'tests/fuzz/regressions') };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--seconds') o.seconds = Number(value);
    else if (flag === '--seed') o.seed = Number(value);
    else if (flag === '--corpus') o.corpus = value;
    else if (flag === '--save') o.save = value;
    else if (flag === '--no-save') { o.save = null; i--; }
    else throw new Error(`unknown argument ${flag}`);
    i++;
  }
  if (!(o.seconds >= 0) || !Number.isInteger(o.seed)) throw new Error('--seconds takes a number, --seed a whole number');
  return o;
}

// ------------------------------------------------------------ a seeded PRNG per case

/** mulberry32 seeded from (seed, case): every case rebuilt from the two numbers. */
function rngFor(seed, index) {
  let a = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n) => Math.floor(next() * n);
  return { below, chance: (p) => next() < p, pick: (xs) => xs[below(xs.length)] };
}

// ------------------------------------------------------------ descriptions of JS values

// A case is JSON; `{"$": tag}` stands for what JSON cannot hold, and build() makes it.
const HOSTILE = ['undefined', 'nan', 'infinity', '-infinity', '-0', 'bigint', 'symbol', 'function', 'date', 'map', 'typed',
  'sparse', 'huge_array', 'huge_string', 'deep_array', 'deep_object', 'cycle', 'throwing_getter', 'throwing_proxy', 'inherited'];
const PLAIN = [null, true, false, 0, -1, 0.1, 1e300, 2 ** 60, 1e-7, 0.30000000000000004, '', 'x', '1e5', '65%', '-5', '1,000', '100000000.01',
  'inpatient', 'level3', 'subsistence_allowance', 'high', [], {}, [1], { a: 1 }];

function build(d) {
  if (Array.isArray(d)) return d.map(build);
  if (d === null || typeof d !== 'object') return d;
  if (typeof d.$ !== 'string') return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, build(v)]));
  switch (d.$) {
    case 'undefined': return undefined;
    case 'nan': return NaN;
    case 'infinity': return Infinity;
    case '-infinity': return -Infinity;
    case '-0': return -0;
    case 'bigint': return 5n;
    case 'symbol': return Symbol('x');
    case 'function': return () => 1;
    case 'date': return new Date(0);
    case 'map': return new Map([['visits', []]]);
    case 'typed': return new Uint8Array([1, 2, 3]);
    case 'sparse': { const a = [1]; a[5] = 2; return a; }
    case 'huge_array': return new Array(d.n).fill(0);
    case 'huge_string': return '9'.repeat(d.n);
    case 'deep_array': { let v = 1; for (let i = 0; i < d.n; i++) v = [v]; return v; }
    case 'deep_object': { let v = 1; for (let i = 0; i < d.n; i++) v = { a: v }; return v; }
    case 'cycle': { const o = { visits: [] }; o.visits.push(o); o.self = o; return o; }
    case 'throwing_getter': return Object.defineProperty({}, d.key, { enumerable: true, get() { throw new Error('getter'); } });
    case 'throwing_proxy': return new Proxy({}, { ownKeys() { throw new Error('ownKeys'); }, get() { throw new Error('get'); } });
    case 'inherited': return Object.create({ visits: [{ kind: 'inpatient' }] });
    default: throw new Error(`unknown tag ${d.$}`);
  }
}

function hostile(r) {
  const tag = r.pick(HOSTILE);
  const d = { $: tag };
  if (tag === 'huge_array') d.n = r.pick([1000, 100000]);
  if (tag === 'huge_string') d.n = r.pick([100, 100000]);
  if (tag === 'deep_array' || tag === 'deep_object') d.n = r.pick([50, 500, 5000, 50000]);
  if (tag === 'throwing_getter') d.key = r.pick(['visits', 'kind', 'total', 'basic', 'value', 'x']);
  return d;
}

/** Every path in a JSON tree (objects and arrays), root included. */
function places(v, at = [], out = []) {
  out.push(at);
  if (v && typeof v === 'object' && !('$' in v)) for (const [k, c] of Object.entries(v)) places(c, [...at, Array.isArray(v) ? Number(k) : k], out);
  return out;
}

/** One to three changes: delete, replace with a plain or hostile value, or nudge a string. */
function mutate(r, v) {
  v = structuredClone(v);
  for (let n = 1 + r.below(3); n > 0; n--) {
    const at = r.pick(places(v));
    const value = r.chance(0.5) ? hostile(r) : structuredClone(r.pick(PLAIN));
    if (at.length === 0) return value;
    const parent = at.slice(0, -1).reduce((o, k) => o[k], v);
    const key = at[at.length - 1];
    if (r.chance(0.25)) {
      if (Array.isArray(parent)) parent.splice(key, 1);
      else delete parent[key];
    } else if (typeof parent[key] === 'string' && r.chance(0.3)) {
      parent[key] = r.pick([`${parent[key]}0`, `-${parent[key]}`, `${parent[key]}.005`, parent[key].toUpperCase()]);
    } else {
      parent[key] = value;
    }
  }
  return v;
}

// ------------------------------------------------------------ the package under test

const pkgDir = path.resolve(process.env.YIBAO_WASM_PKG || path.join(root, 'crates/wasm/pkg'));
const wasmBytes = readFileSync(path.join(pkgDir, 'yibao_wasm_bg.wasm'));
let instances = 0;

/** A fresh instance (a module URL of its own, so the glue's state is its own too). */
async function fresh() {
  const mod = await import(`${pathToFileURL(path.join(pkgDir, 'yibao_wasm.js')).href}?instance=${instances++}`);
  mod.initSync({ module: wasmBytes });
  return mod;
}

const policies = JSON.parse(readFileSync(path.join(root, 'policies/index.json'), 'utf8')).policies.map((p) => JSON.parse(readFileSync(path.join(root, 'policies', `${p.id}.json`), 'utf8')));
const known = {
  policy: policies.find((p) => p.id === 'tianjin-2023'),
  scenario: { identities: ['subsistence_allowance'], visits: [{ kind: 'inpatient', level: 'level3', total: '100000', in_scope: '90000', referred: true }, { kind: 'outpatient', level: 'grassroots', total: '800', in_scope: '600' }] },
};
const scenarios = [
  known.scenario,
  { visits: [{ kind: 'chronic_outpatient', level: 'level1', total: 3350.79, in_scope: 3350.79 }] },
  { contribution_tier: 'low', identities: ['extreme_poverty', 'orphan'], visits: [{ kind: 'outpatient', level: 'level2', total: '19101.54', in_scope: '15281.23' }] },
];

/** The case: an operation and its arguments, as descriptions. */
function makeCase(seed, index) {
  const r = rngFor(seed, index);
  const policy = r.chance(0.7) ? mutate(r, r.pick(policies)) : r.chance(0.5) ? r.pick(policies) : hostile(r);
  const scenario = r.chance(0.75) ? mutate(r, r.pick(scenarios)) : r.chance(0.5) ? r.pick(scenarios) : hostile(r);
  const op = r.pick(['calculate', 'validatePolicy', 'curve', 'Calculator.calculate', 'Calculator.totals', 'Calculator.curve']);
  const points = r.chance(0.8) ? 1 + r.below(200) : r.pick([0, -1, 2.5, 201, { $: 'nan' }, { $: 'undefined' }, '4']);
  return { op, policy, scenario, points };
}

function call(w, c) {
  const [policy, scenario, points] = [build(c.policy), build(c.scenario), build(c.points)];
  switch (c.op) {
    case 'calculate': return w.calculate(policy, scenario);
    case 'validatePolicy': return w.validatePolicy(policy);
    case 'curve': return w.curve(policy, scenario, points);
    default: {
      const calc = new w.Calculator(policy);
      try {
        const method = c.op.split('.')[1];
        return method === 'curve' ? calc.curve(scenario, points) : calc[method](scenario);
      } finally {
        calc.free();
      }
    }
  }
}

/** Two-decimal amounts that add up, as the contract promises. */
function checkTotals(t, where) {
  const fen = (k) => {
    if (!/^\d+\.\d\d$/.test(t[k])) throw new Error(`${where}.${k} = ${t[k]} is not a two-decimal amount`);
    return BigInt(t[k].replace('.', ''));
  };
  if (fen('basic') + fen('critical_illness') + fen('assistance') + fen('tilted_assistance') + fen('out_of_pocket') !== fen('total')) {
    throw new Error(`${where}: the layers and out of pocket do not add up to the total`);
  }
}

function checkReturn(op, v) {
  if (op === 'validatePolicy') {
    if (!Array.isArray(v) || v.some((p) => typeof p.path !== 'string' || typeof p.message !== 'string')) throw new Error('validatePolicy did not return problems');
  } else if (op.endsWith('curve')) {
    if (!Array.isArray(v)) throw new Error('curve did not return points');
    v.forEach((p, k) => checkTotals(p.totals, `curve[${k}]`));
  } else {
    checkTotals(v.totals, 'totals');
  }
}

/** What a thrown value is, when it is not the plain Error the API promises. */
function badThrow(e) {
  if (!(e instanceof Error)) return `threw a non-Error: ${typeof e} ${String(e)}`;
  if (e instanceof WebAssembly.RuntimeError) return `a WebAssembly trap: ${e.message}`;
  if (e.constructor !== Error) return `threw ${e.constructor.name}: ${e.message}`;
  if (/internal error/.test(e.message)) return `the engine panicked: ${e.message}`;
  if (!e.message) return 'an Error without a message';
  return null;
}

// The checks can fail: a trap, a TypeError or a panic is caught, and totals that do not add up.
{
  const broken = { basic: '1.00', critical_illness: '0.00', assistance: '0.00', tilted_assistance: '0.00', out_of_pocket: '1.00', total: '2.01' };
  let caught = false;
  try { checkTotals(broken, 'self-check'); } catch { caught = true; }
  const ok = caught && badThrow(new Error('x')) === null && badThrow(new TypeError('x')) && badThrow(new RangeError('x'))
    && badThrow(new WebAssembly.RuntimeError('unreachable')) && badThrow(new Error('yibao-wasm 内部错误 (internal error): x')) && badThrow('x');
  if (!ok) throw new Error('the harness\'s own checks do not fail where they must');
}

// ------------------------------------------------------------ the loop

const o = options(process.argv.slice(2));
let w = await fresh();
const expected = JSON.stringify(w.calculate(known.policy, known.scenario));
const counts = { calls: {}, returned: 0, errors: 0, corpus: 0, replayed: 0 };
const failures = [];

function stillWorks() {
  try {
    return JSON.stringify(w.calculate(known.policy, known.scenario)) === expected;
  } catch {
    return false;
  }
}

async function runCase(seed, index, c) {
  counts.calls[c.op] = (counts.calls[c.op] || 0) + 1;
  let problem = null;
  let invariant = null;
  try {
    const v = call(w, c);
    counts.returned++;
    try {
      checkReturn(c.op, v);
    } catch (e) {
      [invariant, problem] = ['result', e.message];
    }
  } catch (e) {
    counts.errors++;
    const bad = badThrow(e);
    if (bad) [invariant, problem] = ['throw', bad];
  }
  if (!stillWorks()) {
    [invariant, problem] = ['instance_broken', `${problem ? `${problem}; ` : ''}the instance no longer computes the known case`];
    w = await fresh();
  }
  if (problem) {
    failures.push({ kind: 'wasm', seed, case: index, invariant, message: problem, input: c });
  }
  return problem === null;
}

// Saved cases first: a found input stays a regression case.
const regressions = path.join(root, 'tests/fuzz/regressions');
if (existsSync(regressions)) {
  const dir = regressions;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const record = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
    if (record.kind !== 'wasm') continue;
    counts.replayed++;
    await runCase(record.seed, record.case, record.input);
  }
}

// The native engine's results for generated policies: the wasm must give the same.
if (o.corpus) {
  for (const [i, entry] of JSON.parse(readFileSync(o.corpus, 'utf8')).entries()) {
    counts.corpus++;
    let got;
    try {
      got = { ok: w.calculate(entry.policy, entry.scenario) };
    } catch (e) {
      got = { error: { field: e.field, message: e.message } };
    }
    const same = entry.result.ok ? isDeepStrictEqual(got, entry.result) : got.error?.field === entry.result.error.field && got.error.message.endsWith(entry.result.error.message);
    if (!same) failures.push({ kind: 'wasm', seed: o.seed, case: i, invariant: 'differs_from_native', message: `corpus case ${i}: the wasm result differs from the native one`, input: { op: 'calculate', policy: entry.policy, scenario: entry.scenario, points: 1 } });
  }
}

const started = Date.now();
let index = 0;
while ((Date.now() - started) / 1000 < o.seconds) {
  await runCase(o.seed, index, makeCase(o.seed, index));
  index++;
}

const secs = (Date.now() - started) / 1000;
const calls = Object.entries(counts.calls).map(([k, n]) => `${k} ${n}`).join(', ');
console.log(`wasm fuzz: seed ${o.seed}, ${secs.toFixed(1)} s, ${index} cases (${(index / Math.max(secs, 1e-9)).toFixed(0)}/s); ${calls}`);
console.log(`  returned ${counts.returned}, threw ${counts.errors}; ${counts.corpus} corpus cases compared with the native engine; ${counts.replayed} saved cases replayed; ${instances} instances`);
if (failures.length === 0) {
  console.log('  failures: none');
} else {
  const groups = new Map();
  for (const f of failures) groups.set(f.invariant, [...(groups.get(f.invariant) || []), f]);
  console.log(`  failures: ${failures.length} in ${groups.size} groups`);
  for (const [invariant, fs] of groups) {
    console.log(`    wasm/${invariant}: ${fs.length} cases; first: seed ${fs[0].seed} case ${fs[0].case} (${fs[0].input.op}): ${fs[0].message.slice(0, 300)}`);
    if (o.save) {
      mkdirSync(o.save, { recursive: true });
      for (const f of fs.slice(0, 3)) {
        const file = path.join(o.save, `wasm-${f.invariant}-${f.seed}-${f.case}.json`);
        writeFileSync(file, `${JSON.stringify(f, null, 2)}\n`);
        console.log(`      saved ${path.relative(root, file)}`);
      }
    }
  }
  process.exitCode = 1;
}
