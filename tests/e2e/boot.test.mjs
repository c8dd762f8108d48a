// What a person sees when the app cannot run: no WebAssembly, a browser that rejects the
// feature probe in web/boot.js, JavaScript switched off, the wasm failing to download.
// Never a blank page.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { artifact, baseUrl, launch, TEXT, watchedPage } from "./lib/harness.mjs";

let browser;
let base;

before(async () => {
  base = await baseUrl();
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

const phone = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true };

async function expectMessage(page, text) {
  const status = page.locator("#yibao-status");
  await status.waitFor({ state: "visible", timeout: 10_000 });
  assert.equal((await status.textContent()).trim(), text);
  assert.equal(await page.locator("h1").count(), 0, "the app must not have started");
}

test("a browser without WebAssembly gets the upgrade message and no app download", async () => {
  const { context, page, log } = await watchedPage(browser, base, phone);
  try {
    await context.addInitScript(() => {
      delete globalThis.WebAssembly;
    });
    await page.goto(base, { waitUntil: "load" });
    await expectMessage(page, TEXT.tooOld);
    await page.screenshot({ path: artifact("boot-too-old-375.png") });
    assert.deepEqual(log.consoleErrors, []);
    assert.deepEqual(log.pageErrors, []);
    // The 70 KB wasm is not downloaded for nothing on an old phone.
    assert.deepEqual(log.responses.map((r) => r.url()).filter((u) => u.endsWith(".wasm")), []);
  } finally {
    await context.close();
  }
});

test("a browser whose WebAssembly lacks a post-MVP feature gets the upgrade message", async () => {
  const { context, page, log } = await watchedPage(browser, base, phone);
  try {
    // Stands in for an old engine: validation of the probe module fails.
    await context.addInitScript(() => {
      WebAssembly.validate = () => false;
    });
    await page.goto(base, { waitUntil: "load" });
    await expectMessage(page, TEXT.tooOld);
    assert.deepEqual(log.pageErrors, []);
  } finally {
    await context.close();
  }
});

test("with JavaScript off the page says JavaScript is needed", async () => {
  const { context, page } = await watchedPage(browser, base, { ...phone, javaScriptEnabled: false });
  try {
    await page.goto(base, { waitUntil: "load" });
    // innerText holds rendered text only; Playwright's text locators skip <noscript>. The
    // message comes first; index.html's introduction (#intro) may follow it.
    const text = (await page.locator("body").innerText()).trim();
    assert.ok(text.startsWith(TEXT.noscript), text);
    await page.screenshot({ path: artifact("boot-noscript-375.png") });
  } finally {
    await context.close();
  }
});

test("when the wasm cannot be downloaded the page says loading failed", async () => {
  const { context, page, log } = await watchedPage(browser, base, phone);
  try {
    await page.route("**/*.wasm", (route) => route.abort("internetdisconnected"));
    await page.goto(base, { waitUntil: "load" });
    await expectMessage(page, TEXT.failed);
    await page.screenshot({ path: artifact("boot-load-failed-375.png") });
    assert.deepEqual(log.pageErrors, []);
  } finally {
    await context.close();
  }
});
