// Smoke test: the built app (web/dist) loads in Chromium, renders the Yew app's heading,
// logs no console error, and asks nothing of any server but the local one.

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

for (const { width, height, isMobile } of [
  { width: 375, height: 667, isMobile: true },
  { width: 1280, height: 800, isMobile: false },
]) {
  test(`app renders at ${width} px with no console errors and no outside requests`, async () => {
    const { context, page, log } = await watchedPage(browser, base, {
      viewport: { width, height },
      isMobile,
      hasTouch: isMobile,
      locale: "zh-CN",
    });
    try {
      const res = await page.goto(base, { waitUntil: "networkidle" });
      assert.equal(res.status(), 200);

      const h1 = page.locator("h1");
      await h1.waitFor({ state: "visible", timeout: 15_000 });
      assert.equal((await h1.textContent()).trim(), TEXT.title);
      assert.equal(await page.locator("html").getAttribute("lang"), "zh-CN");
      // The loading notice is gone once the app has started.
      assert.equal(await page.locator("#yibao-status").isVisible(), false);

      // The CSP header the server sends and the meta in index.html are the same policy.
      const header = res.headers()["content-security-policy"];
      const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
      assert.ok(header, "no Content-Security-Policy header");
      assert.equal(meta, header);
      assert.match(header, /script-src 'self' 'wasm-unsafe-eval'/);

      // The wasm was fetched, as application/wasm, under a content-hashed name.
      const wasm = log.responses.filter((r) => r.url().endsWith(".wasm"));
      assert.equal(wasm.length, 1, `wasm responses: ${wasm.map((r) => r.url())}`);
      assert.equal(wasm[0].headers()["content-type"], "application/wasm");
      assert.match(new URL(wasm[0].url()).pathname, /-[0-9a-f]{16}\.wasm$/);
      assert.match(wasm[0].headers()["cache-control"], /immutable/);

      await page.screenshot({ path: artifact(`smoke-${width}.png`), fullPage: true });

      assert.deepEqual(log.consoleErrors, [], "console errors");
      assert.deepEqual(log.pageErrors, [], "uncaught exceptions");
      assert.deepEqual(log.failedRequests, [], "failed requests");
      assert.deepEqual(log.foreignRequests, [], "requests to other origins");
      for (const r of log.responses) {
        assert.equal(new URL(r.url()).origin, new URL(base).origin, r.url());
        assert.ok(r.status() < 400, `${r.status()} ${r.url()}`);
      }
      assert.deepEqual(log.consoleWarnings, [], "console warnings");
    } finally {
      await context.close();
    }
  });
}
