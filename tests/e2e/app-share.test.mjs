// Sharing and embedding: the link reproduces the result, 复制链接, ?embed=1 reports its height
// to the host page (and web/embed.js sizes the iframe), 长辈版 is remembered on the device.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { baseUrl, launch, watchedPage } from "./lib/harness.mjs";
import { DESKTOP, enterScenario, expectClean, expectHeadline, golden, openApp, PHONE } from "./lib/app.mjs";

let browser;
let base;

before(async () => {
  base = await baseUrl();
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test("a shared link restores the region, identities, visits and the result", async () => {
  const g = golden("028");
  const t = g.expected.totals;
  const reimbursed = (Number(t.total) - Number(t.out_of_pocket)).toFixed(2);
  const first = await openApp(browser, base, PHONE);
  let link;
  try {
    await enterScenario(first.page, g.policy, g.scenario);
    await expectHeadline(first.page, reimbursed, t.out_of_pocket);
    await first.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(base).origin });
    await first.page.getByRole("button", { name: "复制链接" }).click();
    await first.page.locator(".copy-status", { hasText: "链接已复制" }).waitFor();
    link = await first.page.evaluate(() => navigator.clipboard.readText());
    assert.equal(link, first.page.url().replace(/&?embed=1/, ""));
    assert.match(link, /[?&]r=tianjin-2023/);
    assert.match(link, /[?&]i=db/);
    expectClean(first.log);
  } finally {
    await first.context.close();
  }
  // A fresh browser context (no storage) opening the link sees the same result.
  const second = await openApp(browser, base, DESKTOP, new URL(link).search);
  try {
    await expectHeadline(second.page, reimbursed, t.out_of_pocket);
    assert.equal(await second.page.locator("fieldset.visit").count(), g.scenario.visits.length);
    assert.ok(await second.page.getByLabel("低保对象", { exact: true }).isChecked());
    assert.equal(await second.page.getByLabel("医疗总费用").nth(3).inputValue(), "110000");
    expectClean(second.log);
  } finally {
    await second.context.close();
  }
});

test("without the clipboard API, 复制链接 shows the link selected for copying by hand", async () => {
  const { context, page, log } = await openApp(browser, base, PHONE, "?r=hohhot-2024&v=i2_55000_50000");
  try {
    await page.evaluate(() => Object.defineProperty(navigator, "clipboard", { value: undefined }));
    await page.getByRole("button", { name: "复制链接" }).click();
    const input = page.getByLabel("本页链接");
    await input.waitFor();
    assert.match(await input.inputValue(), /r=hohhot-2024/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "share-url");
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("?embed=1 drops the page chrome and posts its height to the host, which embed.js uses", async () => {
  const { context, page, log } = await watchedPage(browser, base, PHONE);
  try {
    // A host page (a portal article) with the snippet from the README, served without the
    // app's CSP: the iframe is sized by embed.js from the app's own server.
    const host = `<!doctype html><html lang="zh-CN"><head><title>门户文章</title></head><body><h1>门户文章</h1>
      <iframe data-yibao title="医保报销测算" src="${base}?embed=1&r=tianjin-2023&v=i3_100000_90000" style="width:100%;border:0;height:150px"></iframe>
      <script src="${base}embed.js"></script></body></html>`;
    await page.route("**/portal-host.html", (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: host }));
    await page.goto(`${base}portal-host.html`, { waitUntil: "load" });
    const messages = [];
    await page.exposeFunction("recordMessage", (m) => messages.push(m));
    await page.evaluate(() => window.addEventListener("message", (e) => window.recordMessage(e.data)));
    const frame = page.frameLocator("iframe[data-yibao]");
    await frame.locator("#reimbursed").waitFor({ timeout: 20_000 });
    assert.equal(await frame.locator("#intro").isVisible(), false, "no introduction in embed mode");
    assert.equal(await frame.locator("footer").count(), 0, "no footer in embed mode");
    assert.equal(await frame.getByRole("link", { name: "在新窗口打开完整计算器" }).count(), 1);
    await page.waitForFunction(() => parseInt(document.querySelector("iframe").style.height) > 1000, null, { timeout: 10_000 });
    // The height follows changes: a second visit adds its fields (the result of the first
    // stays), and the iframe grows with the page, never shrinking under the reader.
    const before = parseInt(await page.locator("iframe").evaluate((f) => f.style.height));
    await frame.getByRole("button", { name: "添加一次就诊" }).click();
    await page.waitForFunction((h) => parseInt(document.querySelector("iframe").style.height) > h, before, { timeout: 10_000 });
    const inner = await frame.locator("body").evaluate((b) => Math.ceil(b.getBoundingClientRect().height));
    await page.waitForFunction((h) => parseInt(document.querySelector("iframe").style.height) === h, inner, { timeout: 10_000 });
    assert.ok(messages.some((m) => m && m.type === "yibao:height" && m.height > 1000), JSON.stringify(messages.slice(0, 3)));
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("长辈版 enlarges the type, and the choice is remembered on the device", async () => {
  const { context, page, log } = await openApp(browser, base, PHONE, "?r=tianjin-2023&v=i2_20000_e");
  try {
    const toggle = page.getByRole("button", { name: /长辈版/ });
    const small = await page.locator("h1").evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
    await toggle.click();
    assert.equal(await toggle.getAttribute("aria-pressed"), "true");
    assert.ok(await page.locator("html.elder").count());
    const large = await page.locator("h1").evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
    assert.ok(large > small * 1.15, `${small} → ${large}`);
    await page.reload({ waitUntil: "load" });
    await page.locator("#result").waitFor();
    assert.ok(await page.locator("html.elder").count(), "still on after a reload");
    assert.equal(await page.getByRole("button", { name: /长辈版/ }).getAttribute("aria-pressed"), "true");
    assert.deepEqual(await context.cookies(), [], "no cookies");
    await page.getByRole("button", { name: /长辈版/ }).click();
    assert.equal(await page.locator("html.elder").count(), 0);
    expectClean(log);
  } finally {
    await context.close();
  }
});
