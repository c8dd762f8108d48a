// For everyone: axe-core finds no WCAG 2.1 A/AA violation (normal and 长辈版, phone and
// desktop, with results, errors and the comparison open); the page works by keyboard alone;
// the headline is announced politely. Screenshots at 375 and 1280 px are kept as artifacts.
// Also measures the recalculation on input (the curve included) and writes the samples to
// artifacts/recalc.json, for `cargo xtask test web-budgets` to check the median.

import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, test } from "node:test";
import AxeBuilder from "@axe-core/playwright";
import { artifact, baseUrl, launch } from "./lib/harness.mjs";
import { DESKTOP, expectClean, openApp, PHONE } from "./lib/app.mjs";

let browser;
let base;

before(async () => {
  base = await baseUrl();
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function expectNoViolations(page, what) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  const summary = violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  assert.deepEqual(summary, [], `${what}: axe violations`);
}

/** Opens every <details> so that axe and the screenshots see their content. */
async function openDetails(page) {
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
}

const SCENARIO = "?r=tianjin-2023&i=db.tk&v=i3_100000_90000~o1_900_800~c2_6000_e&c=tianjin-2023&ct=low";

for (const [name, options] of [["375", PHONE], ["1280", DESKTOP]]) {
  test(`no WCAG A/AA violations at ${name} px, normal and 长辈版; screenshots kept`, async () => {
    const { context, page, log } = await openApp(browser, base, options, SCENARIO);
    try {
      await page.locator("#compare-table").waitFor();
      await openDetails(page);
      await expectNoViolations(page, `${name} px`);
      // Against the device's width: a phone browser widens window.innerWidth to fit an overflow.
      assert.equal(await page.evaluate((w) => document.documentElement.scrollWidth <= w, options.viewport.width), true, "no sideways scrolling");
      await page.screenshot({ path: artifact(`app-${name}.png`), fullPage: true });
      await page.screenshot({ path: artifact(`app-${name}-top.png`) });

      await page.getByRole("button", { name: /长辈版/ }).click();
      await page.locator("html.elder").waitFor({ state: "attached" });
      await expectNoViolations(page, `${name} px 长辈版`);
      assert.equal(await page.evaluate((w) => document.documentElement.scrollWidth <= w, options.viewport.width), true, "no sideways scrolling in 长辈版");
      await page.screenshot({ path: artifact(`app-${name}-elder-top.png`) });

      await page.getByRole("button", { name: /长辈版/ }).click();
      await page.getByLabel("医疗总费用").first().fill("abc");
      await page.locator("#v0-total-err").waitFor();
      await expectNoViolations(page, `${name} px with an input error`);
      await page.screenshot({ path: artifact(`app-${name}-error-top.png`) });
      expectClean(log);
    } finally {
      await context.close();
    }
  });
}

test("a link with parts that cannot be used: the notices pass axe too, at 375 and 1280 px", async () => {
  for (const options of [PHONE, DESKTOP]) {
    const { context, page, log } = await openApp(browser, base, options, "?r=tianjin-2023&i=db.xx&v=i2_20000_e~zz&d=bad");
    try {
      await page.locator("#link-notices").waitFor();
      await expectNoViolations(page, "link notices");
      expectClean(log);
    } finally {
      await context.close();
    }
  }
});

test("keyboard only: reach the fields, change a number, add a visit, toggle 长辈版; focus is visible", async () => {
  const { context, page, log } = await openApp(browser, base, PHONE, "?r=tianjin-2023&v=i2_20000_e");
  try {
    // The first Tab reaches the skip link, which moves to the result.
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "跳到计算结果");
    let seen = new Set();
    for (let i = 0; i < 40 && !seen.has("v0-total"); i++) {
      await page.keyboard.press("Tab");
      const id = await page.evaluate(() => document.activeElement.id);
      seen.add(id);
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, "none", `focus is visible on #${id}`);
    }
    assert.ok(seen.has("region") && seen.has("v0-total"), [...seen].join(","));
    await page.keyboard.press("Control+A");
    await page.keyboard.type("50000");
    await page.locator("#ratio", { hasText: "50,000.00" }).waitFor();
    // Tab on to 添加一次就诊 and press Enter: the new visit's first field gets the focus.
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press("Tab");
      if ((await page.evaluate(() => document.activeElement.id)) === "add-visit") break;
    }
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "v1-kind");
    await page.keyboard.press("Shift+Tab");
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("the headline is announced politely once typing pauses, not the whole page", async () => {
  const { context, page, log } = await openApp(browser, base, PHONE, "?r=tianjin-2023");
  try {
    const live = page.locator("[aria-live]");
    assert.equal(await live.count(), 1, "one live region");
    assert.equal(await live.getAttribute("aria-live"), "polite");
    const total = page.getByLabel("医疗总费用");
    await total.fill("");
    await total.pressSequentially("80000", { delay: 30 });
    await page.locator("#announce", { hasText: "预计可报销" }).waitFor();
    const text = await live.textContent();
    assert.match(text, /^预计可报销 [\d,.]+ 元，个人自付 [\d,.]+ 元$/);
    assert.equal(await page.locator("html").getAttribute("lang"), "zh-CN");
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("recalculation on input, curve included: timed over repeats (median checked by web-budgets)", async () => {
  const { context, page, log } = await openApp(browser, base, DESKTOP, "?r=tianjin-2023&i=db.tk.by&v=i3_100000_90000~o1_900_800~c2_6000_e~i2_45000_40000");
  try {
    const samples = await page.evaluate(async () => {
      const input = document.getElementById("v0-total");
      const result = document.getElementById("result");
      const out = [];
      for (let i = 0; i < 40; i++) {
        const changed = new Promise((resolve) => {
          const mo = new MutationObserver(() => {
            mo.disconnect();
            resolve();
          });
          mo.observe(result, { subtree: true, childList: true, characterData: true, attributes: true });
        });
        const t0 = performance.now();
        input.value = String(100000 + (i + 1) * 137);
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await changed;
        out.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 20));
      }
      return out;
    });
    const sorted = [...samples].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const engine = Number(await page.locator("#result").getAttribute("data-calc-ms"));
    const report = { samples: samples.map((s) => Math.round(s * 100) / 100), median, p90: sorted[Math.floor(sorted.length * 0.9)], engine_ms_last: engine, visits: 4, identities: 3, budget_ms: 16 };
    fs.writeFileSync(artifact("recalc.json"), JSON.stringify(report, null, 2));
    console.log(`recalculation on input (4 visits, 3 identities, curve of 41 points): median ${median.toFixed(2)} ms, p90 ${report.p90.toFixed(2)} ms; engine part of the last one ${engine} ms`);
    assert.equal(samples.length, 40);
    expectClean(log);
  } finally {
    await context.close();
  }
});
