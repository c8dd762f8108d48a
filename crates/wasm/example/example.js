// yibao-wasm example: loads the package (the `--target web` build in ../pkg) and the policy
// files, and prints a breakdown in plain HTML. Every text from a policy or a result goes in
// through textContent, never innerHTML.

import init, { Calculator, version } from '../pkg/yibao_wasm.js';

const POLICIES = '../../../policies/';
const $ = (id) => document.getElementById(id);

function el(tag, text) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function row(cells, amountFrom = 1) {
  const tr = el('tr');
  cells.forEach((c, i) => {
    const td = el('td', c);
    if (i >= amountFrom) td.className = 'amount';
    tr.append(td);
  });
  return tr;
}

const calculators = new Map();
let index;

/** One Calculator per policy: the policy is parsed and validated once. */
async function calculator(id) {
  if (!calculators.has(id)) {
    const entry = index.policies.find((p) => p.id === id);
    const response = await fetch(POLICIES + entry.path);
    if (!response.ok) throw new Error(`${entry.path}: HTTP ${response.status}`);
    calculators.set(id, new Calculator(await response.json()));
  }
  return calculators.get(id);
}

function scenario() {
  const identity = $('identity').value;
  return {
    identities: identity ? [identity] : [],
    visits: [{
      kind: $('kind').value,
      level: $('level').value,
      total: $('total').value.trim(),
      in_scope: $('in_scope').value.trim(),
      referred: $('referred').checked,
    }],
  };
}

function render(r) {
  const out = $('result');
  out.replaceChildren();
  out.append(el('h2', `${r.policy.title}（${r.tier.name}）`));
  out.append(el('p', r.identity_name ? `适用身份：${r.identity_name}` : '按普通参保人计算'));

  const totals = el('table');
  totals.id = 'totals';
  totals.append(row(['医疗总费用', r.totals.total]));
  for (const layer of r.layers) {
    const shown = layer.coverage === 'not_covered' ? `未规定（${layer.reason ?? ''}）` : layer.amount;
    const tr = row([layer.title, shown]);
    tr.dataset.layer = layer.layer;
    totals.append(tr);
  }
  const oop = row(['个人自付', r.totals.out_of_pocket]);
  oop.dataset.layer = 'out_of_pocket';
  totals.append(oop);
  out.append(totals);

  if (r.alerts.length) {
    out.append(el('h3', '提示'));
    const ul = el('ul');
    for (const a of r.alerts) {
      const li = el('li');
      li.append(el('strong', a.title), document.createTextNode(' '), el('span', a.message));
      ul.append(li);
    }
    out.append(ul);
  }

  out.append(el('h3', '计算过程'));
  for (const step of r.steps) {
    const details = el('details');
    details.append(el('summary', step.amount === null ? step.title : `${step.title}：${step.amount}`));
    for (const line of step.lines) details.append(el('div', line));
    for (const p of step.params) {
      const src = p.source ? `${p.source.title} ${p.source.clause}` : '无出处';
      details.append(el('div', `· ${p.label} ${p.display}（${p.status_name}；${src}）`));
    }
    out.append(details);
  }
}

let pending = 0;
async function update() {
  const ticket = ++pending;
  const error = $('error');
  document.querySelectorAll('.bad').forEach((e) => e.classList.remove('bad'));
  try {
    const calc = await calculator($('policy').value);
    const result = calc.calculate(scenario());
    if (ticket !== pending) return;
    error.hidden = true;
    render(result);
  } catch (e) {
    if (ticket !== pending) return;
    error.hidden = false;
    error.textContent = e.message;
    // A bad scenario names its field, e.g. `visits[0].in_scope`: mark that input.
    const name = typeof e.field === 'string' ? e.field.replace(/^visits\[0\]\./, '') : '';
    const input = name && document.querySelector(`[name="${CSS.escape(name)}"]`);
    if (input) input.classList.add('bad');
  }
}

async function main() {
  if (typeof WebAssembly !== 'object') {
    $('status').textContent = '此浏览器不支持 WebAssembly，无法计算。(This browser cannot run WebAssembly.)';
    return;
  }
  await init(); // fetches ../pkg/yibao_wasm_bg.wasm, next to yibao_wasm.js
  const v = version();
  $('version').textContent = `yibao-wasm ${v.package}, engine ${v.engine}, policy format ${v.policy_format}`;
  index = await (await fetch(`${POLICIES}index.json`)).json();
  for (const p of index.policies) {
    const option = el('option', p.title);
    option.value = p.id;
    $('policy').append(option);
  }
  $('form').addEventListener('input', update);
  $('form').hidden = false;
  $('status').textContent = '已加载 (ready)';
  await update();
}

main().catch((e) => {
  $('status').textContent = `加载失败 (failed to load): ${e.message}`;
});
