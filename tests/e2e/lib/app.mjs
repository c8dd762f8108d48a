// Helpers for the calculator's browser tests: open the app, enter a golden case through the
// labels a resident sees, read the figures, and check that nothing went wrong on the way.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ROOT, watchedPage } from "./harness.mjs";

export const PHONE = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true, locale: "zh-CN" };
export const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: "zh-CN" };

/** The labels of the identity checkboxes (the engine's names). */
export const IDENTITY_LABEL = {
  extreme_poverty: "特困人员",
  orphan: "孤儿",
  subsistence_allowance: "低保对象",
  low_income_margin: "低保边缘家庭成员",
  returned_to_poverty: "返贫致贫人口",
  at_risk_rural: "农村易返贫致贫人口",
  illness_impoverished: "因病致贫重病患者",
  lifted_out_of_poverty: "脱贫人口",
};

/** A golden case from tests/golden (by file name prefix, e.g. "020"). */
export function golden(prefix) {
  const dir = path.join(ROOT, "tests/golden");
  const file = fs.readdirSync(dir).find((f) => f.startsWith(prefix) && f.endsWith(".json"));
  assert.ok(file, `no golden case ${prefix}`);
  return JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
}

/** "67125.00" → "67,125.00", as the page shows amounts. */
export function yuan(amount) {
  const [int, frac = "00"] = String(amount).split(".");
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac.padEnd(2, "0")}`;
}

/** Opens the page (with an optional query) and waits until the form is ready: the result
 *  section when the link names a region, else the region choice. */
export async function openApp(browser, base, options = PHONE, query = "") {
  const watched = await watchedPage(browser, base, options);
  await watched.page.goto(base + query, { waitUntil: "load" });
  await watched.page.locator("#region").waitFor({ state: "visible", timeout: 20_000 });
  if (/[?&]r=/.test(query)) await watched.page.locator("#result, #region-prompt").first().waitFor({ state: "visible", timeout: 20_000 });
  return watched;
}

/** Waits until the headline shows `reimbursed` (as the page formats it). */
export async function expectHeadline(page, reimbursed, outOfPocket) {
  await assert.doesNotReject(
    page.locator("#reimbursed", { hasText: yuan(reimbursed) }).waitFor({ timeout: 10_000 }),
    `reimbursed should become ${yuan(reimbursed)}, is ${await page.locator("#reimbursed").textContent().catch(() => "(none)")}`,
  );
  assert.equal((await page.locator("#out-of-pocket").textContent()).trim(), yuan(outOfPocket));
}

/** The amount a layer card shows (or its status text), without its 参考值 mark. */
export async function layerAmount(page, layer) {
  return page.locator(`#layer-${layer} .amount`).evaluate((e) => {
    const copy = e.cloneNode(true);
    copy.querySelectorAll(".badge").forEach((b) => b.remove());
    return copy.textContent.trim();
  });
}

/** Enters a golden case's scenario through the form's labels, as a resident would. */
export async function enterScenario(page, policyId, scenario) {
  await page.getByLabel("地区").selectOption(policyId);
  await page.locator("#result").waitFor();
  if (scenario.contribution_tier) {
    await page.getByLabel("缴费档次").selectOption(scenario.contribution_tier);
  }
  if (scenario.population) {
    await page.getByLabel("人群", { exact: true }).selectOption(scenario.population);
  }
  for (const id of scenario.identities || []) {
    await page.getByLabel(IDENTITY_LABEL[id], { exact: true }).check();
  }
  const visits = scenario.visits;
  for (let i = 0; i < visits.length; i++) {
    if (i > 0) await page.getByRole("button", { name: "添加一次就诊" }).click();
    const v = visits[i];
    await page.getByLabel("就诊类型").nth(i).selectOption(v.kind);
    await page.getByLabel("医院等级").nth(i).selectOption(v.level);
    await page.getByLabel("医疗总费用").nth(i).fill(String(v.total));
    await page.getByLabel("不清楚，按总费用的90%估算").nth(i).uncheck();
    await page.getByLabel("政策范围内费用").nth(i).fill(String(v.in_scope));
    // 规范转诊 is asked only where it changes a figure of the policy.
    if (v.referred && (await page.locator(`#v${i}-ref`).count())) await page.locator(`#v${i}-ref`).check();
    // Format 2: asked by the visit's own labels.
    const visit = page.locator("fieldset.visit").nth(i);
    if (v.place) await visit.getByLabel("就医地").selectOption(v.place);
    if (v.partial_self_pay || v.basic_paid || v.critical_illness_paid !== undefined) {
      // 我有结算单 is not asked where the policy has no basic insurance: the slip is required there.
      const slip = visit.getByLabel("我有结算单");
      if (await slip.count()) await slip.check();
      if (v.partial_self_pay) await visit.getByLabel("乙类先行自付").fill(String(v.partial_self_pay));
      if (v.basic_paid) await visit.getByLabel("统筹基金支付").fill(String(v.basic_paid));
      if (v.critical_illness_paid !== undefined) await visit.getByLabel("大病保险支付").fill(String(v.critical_illness_paid));
    }
  }
}

/** No console errors or warnings, no uncaught exceptions, nothing asked of another site. */
export function expectClean(log) {
  assert.deepEqual(log.consoleErrors, [], "console errors");
  assert.deepEqual(log.pageErrors, [], "uncaught exceptions");
  assert.deepEqual(log.foreignRequests, [], "requests to other sites");
  assert.deepEqual(log.consoleWarnings, [], "console warnings");
}
