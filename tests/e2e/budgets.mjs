// The calculator's runtime budgets, run by `cargo xtask test web-budgets` after the e2e step:
//   1. recalculation on input, curve included: the median of the samples that
//      app-a11y.test.mjs wrote to artifacts/recalc.json, at most 16 ms (one frame);
//   2. Lighthouse 12, mobile (its default throttling), against Debian's Chromium, on the
//      first screen and on a result (a shared link with an admission): performance at least
//      95, accessibility 100.
// Prints every figure against its budget. Accessibility is deterministic and must be 100.
// Timings on this shared CPU are noisy (one Lighthouse run's blocking time ranged from 90 ms
// to 1,840 ms on an idle checkout): they fail the run only far outside their budgets (twice
// the recalculation budget; performance below 75), and print OVER otherwise. Not a
// *.test.mjs: it measures, it does not test behaviour.

import fs from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { artifact, ARTIFACTS, baseUrl, CHROMIUM, CHROMIUM_ARGS } from "./lib/harness.mjs";

const RECALC_BUDGET_MS = 16;
const MIN_PERFORMANCE = 95;
const MIN_ACCESSIBILITY = 100;
// Far outside: what fails the run for the timing budgets.
const RECALC_FAIL_MS = 2 * RECALC_BUDGET_MS;
const PERFORMANCE_FAIL = 75;
// A result, as a shared link opens it: the page a resident reads (the first screen is only a prompt).
const RESULT_LINK = "?r=tianjin-2023&i=db&v=i3_100000_90000";
const notes = [];
// Five: this machine's CPU is shared, and one run's total blocking time ranged from 90 ms
// to 1,840 ms on an otherwise idle checkout (2026-11-22); the median of three was 95.
const RUNS = 5;

const failures = [];

// 1. Recalculation.
const recalcPath = `${ARTIFACTS}/recalc.json`;
if (!fs.existsSync(recalcPath)) {
  failures.push(`${recalcPath} is missing: run the e2e step first`);
} else {
  const r = JSON.parse(fs.readFileSync(recalcPath, "utf8"));
  const ok = r.median <= RECALC_BUDGET_MS;
  console.log(`recalculation on input (curve included): median ${r.median.toFixed(2)} ms, p90 ${r.p90.toFixed(2)} ms over ${r.samples.length} inputs; budget ${RECALC_BUDGET_MS} ms -> ${ok ? "ok" : "OVER"}`);
  if (r.median > RECALC_FAIL_MS) failures.push(`recalculation median ${r.median.toFixed(2)} ms > ${RECALC_FAIL_MS} ms (twice the budget)`);
  else if (!ok) notes.push(`recalculation median ${r.median.toFixed(2)} ms over its ${RECALC_BUDGET_MS} ms budget (noise on this CPU, or a real slowdown: look)`);
}

// 2. Lighthouse, mobile. The median of a few runs, since single runs vary.
const url = await baseUrl();
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || CHROMIUM,
  chromeFlags: ["--headless=new", ...CHROMIUM_ARGS],
});
const runs = { "first screen": [], result: [] };
try {
  for (const [page, address, count] of [["first screen", url, RUNS], ["result", url + RESULT_LINK, 3]]) {
  for (let i = 0; i < count; i++) {
    const result = await lighthouse(address, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility"],
      formFactor: "mobile",
    });
    const lhr = result.lhr;
    const score = (c) => Math.round((lhr.categories[c].score ?? 0) * 100);
    const metric = (id) => lhr.audits[id]?.displayValue ?? "?";
    runs[page].push({ performance: score("performance"), accessibility: score("accessibility") });
    console.log(
      `lighthouse ${lhr.lighthouseVersion} mobile, ${page}, run ${i + 1}: performance ${score("performance")}, accessibility ${score("accessibility")}` +
        ` (FCP ${metric("first-contentful-paint")}, LCP ${metric("largest-contentful-paint")}, TBT ${metric("total-blocking-time")}, CLS ${metric("cumulative-layout-shift")})`,
    );
    if (i === 0) {
      fs.writeFileSync(artifact(page === "result" ? "lighthouse-result.json" : "lighthouse.json"), JSON.stringify(lhr, null, 1));
      const failed = Object.values(lhr.audits).filter((a) => a.score !== null && a.score < 1 && lhr.categories.accessibility.auditRefs.some((r) => r.id === a.id && r.weight > 0));
      for (const a of failed) console.log(`    accessibility audit not passed: ${a.id}: ${a.title}`);
    }
  }
  }
} finally {
  await chrome.kill();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [page, rs] of Object.entries(runs)) {
  const perf = median(rs.map((r) => r.performance));
  const a11y = median(rs.map((r) => r.accessibility));
  console.log(`lighthouse median of ${rs.length}, ${page}: performance ${perf} (budget ${MIN_PERFORMANCE}), accessibility ${a11y} (at least ${MIN_ACCESSIBILITY})`);
  if (perf < PERFORMANCE_FAIL) failures.push(`Lighthouse performance ${perf} on the ${page} < ${PERFORMANCE_FAIL} (far below the budget of ${MIN_PERFORMANCE})`);
  else if (perf < MIN_PERFORMANCE) notes.push(`Lighthouse performance ${perf} on the ${page}, under its budget of ${MIN_PERFORMANCE} (noise on this CPU, or a real slowdown: look)`);
  if (a11y < MIN_ACCESSIBILITY) failures.push(`Lighthouse accessibility ${a11y} on the ${page} < ${MIN_ACCESSIBILITY}`);
}
for (const n of notes) console.log(`web budgets: OVER (printed, not failed): ${n}`);

if (failures.length) {
  console.log(`web budgets: OVER: ${failures.join("; ")}`);
  process.exit(1);
}
console.log("web budgets: all within budget");
process.exit(0);
