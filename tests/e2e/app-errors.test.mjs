// Never a blank page: bad numbers get a message next to their field, in_scope > total is
// explained, a failed policy download offers 重试 (and 重试 works).

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { baseUrl, launch, watchedPage } from "./lib/harness.mjs";
import { expectClean, openApp, PHONE } from "./lib/app.mjs";

let browser;
let base;

before(async () => {
  base = await baseUrl();
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test("a bad number gets an inline message next to its field, never NaN; fixing it brings the result back", async () => {
  const { context, page, log } = await openApp(browser, base, PHONE, "?r=tianjin-2023&v=i2_20000_e");
  try {
    const total = page.getByLabel("医疗总费用");
    await total.fill("两万");
    const error = page.locator("#v0-total-err");
    await error.waitFor();
    assert.match(await error.textContent(), /请只填写数字/);
    assert.equal(await total.getAttribute("aria-invalid"), "true");
    assert.match(await total.getAttribute("aria-describedby"), /v0-total-err/);
    assert.equal(await page.locator("#reimbursed").count(), 0);
    assert.match(await page.locator(".error-summary").textContent(), /1 处填写需要改正/);
    assert.doesNotMatch(await page.locator("body").innerText(), /NaN|undefined/);

    await total.fill("");
    await total.press("Tab");
    assert.match(await error.textContent(), /请填写金额/);
    await total.fill("-5");
    assert.match(await error.textContent(), /不能为负数/);

    // Full-width digits and separators are read as residents type them.
    await total.fill("１２，０００");
    await page.locator("#reimbursed").waitFor();
    assert.equal(await error.count(), 0);
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("政策范围内费用 above 医疗总费用 is explained on that field", async () => {
  const { context, page, log } = await openApp(browser, base, PHONE, "?r=tianjin-2023");
  try {
    await page.getByLabel("医疗总费用").fill("10000");
    await page.getByLabel("不清楚，按总费用的90%估算").uncheck();
    const scope = page.getByLabel("政策范围内费用");
    assert.equal(await scope.inputValue(), "9000.00", "starts from the estimate");
    await scope.fill("12000");
    const error = page.locator("#v0-scope-err");
    await error.waitFor();
    assert.match(await error.textContent(), /不能大于医疗总费用.*医保目录覆盖的部分/);
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("the in-scope estimate is labelled as an estimate", async () => {
  const { context, page, log } = await openApp(browser, base, PHONE, "?r=tianjin-2023");
  try {
    await page.getByLabel("医疗总费用").fill("30000");
    const scope = page.getByLabel("政策范围内费用");
    await page.locator("#v0-scope-hint", { hasText: "27,000.00" }).waitFor();
    assert.equal(await scope.inputValue(), "27000.00");
    assert.match(await page.locator("#v0-scope-hint").textContent(), /估算/);
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("a failed policy download shows a message and 重试, and 重试 loads it", async () => {
  const { context, page, log } = await watchedPage(browser, base, PHONE);
  try {
    let fail = true;
    await page.route("**/policies/tianjin-2023.json", (route) => (fail ? route.abort("internetdisconnected") : route.continue()));
    await page.goto(base + "?r=tianjin-2023&v=i2_20000_e", { waitUntil: "load" });
    const alert = page.getByRole("alert").filter({ hasText: "政策数据没有加载成功" });
    await alert.waitFor({ timeout: 20_000 });
    // The region can still be changed while the policy is missing.
    assert.equal(await page.getByLabel("地区").count(), 1);
    fail = false;
    await page.getByRole("button", { name: "重试" }).click();
    await page.locator("#reimbursed").waitFor({ timeout: 20_000 });
    assert.equal(await alert.count(), 0);
    // The aborted request is the only failure.
    assert.equal(log.failedRequests.length, 1, log.failedRequests.join("\n"));
    assert.deepEqual(log.pageErrors, []);
    assert.deepEqual(log.foreignRequests, []);
    // Chromium logs the aborted fetch itself as a console error; nothing else may be logged.
    assert.deepEqual(log.consoleErrors.filter((e) => !e.includes("tianjin-2023.json") && !e.includes("ERR_INTERNET_DISCONNECTED")), []);
  } finally {
    await context.close();
  }
});

test("a failed index download shows a message and 重试 too", async () => {
  const { context, page, log } = await watchedPage(browser, base, PHONE);
  try {
    let fail = true;
    await page.route("**/policies/index.json", (route) => (fail ? route.abort("failed") : route.continue()));
    await page.goto(base + "?r=tianjin-2023&v=i2_20000_e", { waitUntil: "load" });
    await page.getByRole("alert").filter({ hasText: "重试" }).waitFor({ timeout: 20_000 });
    fail = false;
    await page.getByRole("button", { name: "重试" }).click();
    await page.locator("#reimbursed").waitFor({ timeout: 20_000 });
    assert.deepEqual(log.pageErrors, []);
  } finally {
    await context.close();
  }
});
