// Screenshots of the main flows for review (not a test): phone 375 px, desktop 1280 px,
// 长辈版, embed and print. `node shots.mjs [prefix]` after `cargo xtask dist`; files go to
// tests/e2e/artifacts/ (not committed). Prints the page heights it saw.

import { artifact, baseUrl, launch, watchedPage } from "./lib/harness.mjs";
import { DESKTOP, PHONE } from "./lib/app.mjs";

const prefix = process.argv[2] || "shot";
const base = await baseUrl();
const browser = await launch();
const HOHHOT = "?r=hohhot-2023&v=i3_60000_e~c2_5000_e";
const TIANJIN = "?r=tianjin-2023&i=db&v=i3_100000_90000";

async function open(options, query, elder = false) {
  const w = await watchedPage(browser, base, options);
  if (elder) await w.context.addInitScript(() => localStorage.setItem("yibao.elder", "1"));
  await w.page.goto(base + query, { waitUntil: "load" });
  await w.page.locator("#result").waitFor({ timeout: 20_000 }).catch(() => {});
  await w.page.waitForTimeout(300);
  return w;
}

const heights = {};
for (const [name, options, query, elder] of [
  ["phone-hohhot", PHONE, HOHHOT, false],
  ["phone-tianjin", PHONE, TIANJIN, false],
  ["phone-first", PHONE, "", false],
  ["desktop-hohhot", DESKTOP, HOHHOT, false],
  ["elder-phone-hohhot", PHONE, HOHHOT, true],
  ["phone-bad-link", PHONE, "?r=no-such-region&v=i2_1000_e~zz&i=db.xx&d=2026-11-22%E3%80%82%E3%80%90%E9%87%8D%E8%A6%81%E9%80%9A%E7%9F%A5%E3%80%91", false],
]) {
  const { page, context } = await open(options, query, elder);
  heights[name] = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({ path: artifact(`${prefix}-${name}-top.png`) });
  await page.screenshot({ path: artifact(`${prefix}-${name}-full.png`), fullPage: true });
  if (name === "phone-hohhot") {
    await page.emulateMedia({ media: "print" });
    await page.pdf({ path: artifact(`${prefix}-print.pdf`), format: "A4", printBackground: true });
    await page.screenshot({ path: artifact(`${prefix}-print-media.png`), fullPage: true });
  }
  await context.close();
}

// Embed: a host page with the README's snippet.
{
  const { page, context } = await watchedPage(browser, base, PHONE);
  const host = `<!doctype html><html lang="zh-CN"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>门户文章</title></head><body><h1>门户文章</h1><p>正文……</p>
    <iframe data-yibao title="医保报销测算" src="${base}?embed=1${HOHHOT.replace("?", "&")}" style="width:100%;border:0;height:150px" allow="clipboard-write"></iframe>
    <script src="${base}embed.js"></script></body></html>`;
  await page.route("**/portal-host.html", (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: host }));
  await page.goto(`${base}portal-host.html`, { waitUntil: "load" });
  await page.frameLocator("iframe").locator("#result").waitFor({ timeout: 20_000 });
  await page.waitForTimeout(500);
  heights.embed = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({ path: artifact(`${prefix}-embed-top.png`) });
  await page.evaluate(() => window.scrollTo(0, 1500));
  await page.waitForTimeout(300);
  await page.screenshot({ path: artifact(`${prefix}-embed-scrolled.png`) });
  await context.close();
}
console.log(JSON.stringify(heights));
await browser.close();
process.exit(0);
