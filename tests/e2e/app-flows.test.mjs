// The calculator, used as a resident would: every seed region entered through the form's
// labels, checked against the hand-calculated golden cases in tests/golden; several visits;
// 就高不就低; layers the documents do not define; the comparison of tiers and years.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { baseUrl, launch } from "./lib/harness.mjs";
import { enterScenario, expectClean, expectHeadline, golden, layerAmount, openApp, PHONE, yuan } from "./lib/app.mjs";

let browser;
let base;

before(async () => {
  base = await baseUrl();
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

/** Golden cases, one or more per seed region, entered through the labels. */
const FLOWS = [
  ["020", "天津 2023 低保 三级医院住院"],
  ["039", "呼和浩特 2023 低保 70%"],
  ["050", "呼和浩特 2024 普通参保人"],
  ["065", "佳木斯 2022 大病保险分段"],
  ["058", "佳木斯 2021 大病保险封顶 50 万"],
];

for (const [id, what] of FLOWS) {
  test(`flow ${id}: ${what} matches the golden case`, async () => {
    const g = golden(id);
    const { context, page, log } = await openApp(browser, base, PHONE);
    try {
      await enterScenario(page, g.policy, g.scenario);
      const t = g.expected.totals;
      const reimbursed = (Number(t.total) - Number(t.out_of_pocket)).toFixed(2);
      await expectHeadline(page, reimbursed, t.out_of_pocket);
      assert.equal(await layerAmount(page, "basic"), `${yuan(t.basic)} 元`);
      assert.equal(await layerAmount(page, "critical_illness"), `${yuan(t.critical_illness)} 元`);
      // Every amount on the page is a number: never NaN, never undefined.
      const text = await page.locator("main").innerText();
      assert.doesNotMatch(text, /NaN|undefined|Infinity/);
      expectClean(log);
    } finally {
      await context.close();
    }
  });
}

test("several visits in a year (golden 028): totals and one line per visit", async () => {
  const g = golden("028");
  const { context, page, log } = await openApp(browser, base, PHONE);
  try {
    await enterScenario(page, g.policy, g.scenario);
    const t = g.expected.totals;
    await expectHeadline(page, (Number(t.total) - Number(t.out_of_pocket)).toFixed(2), t.out_of_pocket);
    assert.equal(await page.locator(".visit-results > li").count(), g.scenario.visits.length);
    assert.equal(await layerAmount(page, "assistance"), `${yuan(t.assistance)} 元`);
    // Removing a visit recalculates; adding it back gives the same result again.
    await page.getByRole("button", { name: "删除第 5 次就诊" }).click();
    assert.equal(await page.locator("fieldset.visit").count(), 4);
    await assert.doesNotReject(page.locator("#reimbursed", { hasNotText: yuan((Number(t.total) - Number(t.out_of_pocket)).toFixed(2)) }).waitFor());
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("就高不就低 (golden 033): the identity that leaves the least to pay is applied and named", async () => {
  const g = golden("033");
  const { context, page, log } = await openApp(browser, base, PHONE);
  try {
    await enterScenario(page, g.policy, g.scenario);
    const t = g.expected.totals;
    await expectHeadline(page, (Number(t.total) - Number(t.out_of_pocket)).toFixed(2), t.out_of_pocket);
    assert.match(await page.locator("#identity-applied").textContent(), /特困人员/);
    const considered = page.locator(".considered li");
    assert.equal(await considered.count(), 3);
    assert.match(await page.locator(".considered li.applied").textContent(), /特困人员.*（采用）/);
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("a layer the documents do not define is shown as such, never as 0 (golden 061)", async () => {
  const g = golden("061");
  const { context, page, log } = await openApp(browser, base, PHONE);
  try {
    await enterScenario(page, g.policy, g.scenario);
    assert.equal(await layerAmount(page, "assistance"), "公开文件未规定");
    assert.equal(await layerAmount(page, "tilted_assistance"), "公开文件未规定");
    assert.ok((await page.locator("#layer-assistance .reason").textContent()).trim().length > 0, "the reason is given");
    // An ordinary resident: assistance is 不适用, with its reason.
    await page.getByLabel("特困人员", { exact: true }).uncheck();
    await page.getByLabel("地区").selectOption("tianjin-2023");
    await page.locator("#layer-assistance .amount", { hasText: "不适用" }).waitFor();
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("assumed parameters carry a visible 参考值 badge with the reason, and sources name document and clause", async () => {
  const { context, page, log } = await openApp(browser, base, PHONE, "?r=jiamusi-2021&v=i2_30000_27000");
  try {
    // The mark is next to the figure; the reasons and sources are one tap away.
    assert.ok(await page.locator("#layer-basic .amount .badge-ref").isVisible());
    await page.locator("#layer-basic summary").click();
    const badges = page.locator("#layer-basic .param.assumed .badge-ref");
    assert.ok((await badges.count()) > 0);
    assert.ok(await badges.first().isVisible());
    assert.match(await page.locator("#layer-basic .param.assumed .note").first().textContent(), /为什么是参考值/);
    assert.match(await page.locator("#layer-basic .param .src").first().textContent(), /依据：《.+》/);
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("comparison: Tianjin 高档 against 低档, and Jiamusi 2021 against 2022, layer by layer", async () => {
  const { context, page, log } = await openApp(browser, base, PHONE, "?r=tianjin-2023&v=i3_100000_90000");
  try {
    await page.getByLabel("对比方案").selectOption({ label: "天津市 · 2023 年 · 低档" });
    const table = page.locator("#compare-table");
    await table.waitFor();
    const basicRow = table.locator("tbody tr").first();
    assert.match(await basicRow.textContent(), /基本医保/);
    // Low tier pays 10 points less of (90,000 − 500): 8,950.00 less.
    assert.match(await basicRow.locator("td").nth(2).textContent(), /−8,950\.00/);
    assert.match(await page.locator("#compare-summary").textContent(), /个人自付多/);

    await page.getByLabel("地区").selectOption("jiamusi-2022");
    await page.getByLabel("对比方案").selectOption({ label: "佳木斯市 · 2021 年" });
    await table.waitFor();
    const rows = await table.locator("tbody tr").allTextContents();
    assert.ok(rows.some((r) => r.includes("医疗救助") && r.includes("未规定")), rows.join("\n"));
    expectClean(log);
  } finally {
    await context.close();
  }
});
