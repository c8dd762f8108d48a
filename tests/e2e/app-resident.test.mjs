// Issue #11, "the resident page on a phone": each numbered problem, checked at 375 px and at
// 1280 px through what a resident sees (text, where it is on the screen, focus).

import assert from "node:assert/strict";
import http from "node:http";
import { after, before, test } from "node:test";
import { baseUrl, launch, watchedPage } from "./lib/harness.mjs";
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

const SIZES = [["375", PHONE], ["1280", DESKTOP]];

/** The text a resident reads in the main column (form, result). */
const mainText = (page) => page.locator("main").innerText();

/** Legend labels that wrap inside a word (a CJK label may wrap only before its bracket). */
function brokenLabels(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll(".legend .name")]
      .filter((e) => {
        const r = document.createRange();
        r.selectNodeContents(e);
        const lines = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
        if (lines.size < 2) return false;
        // Allowed: 个人自付 / （政策范围内）, split exactly at the bracket.
        const at = e.textContent.indexOf("（");
        if (at < 1) return true;
        const head = document.createRange();
        head.setStart(e.firstChild, 0);
        head.setEnd(e.firstChild, at);
        return new Set([...head.getClientRects()].map((x) => Math.round(x.top))).size > 1;
      })
      .map((e) => e.textContent),
  );
}

/** Whether an element is inside the viewport (at least partly). */
async function onScreen(page, selector) {
  const box = await page.locator(selector).boundingBox();
  const vp = page.viewportSize();
  return !!box && box.y < vp.height && box.y + box.height > 0 && box.width > 0;
}

for (const [size, options] of SIZES) {
  test(`#1 at ${size} px: a visit that cannot be computed reads 无法测算, never 0.00, and the headline says how much`, async () => {
    const { context, page, log } = await openApp(browser, base, options, "?r=hohhot-2023&v=i3_60000_e~c2_5000_e");
    try {
      await page.locator("#reimbursed").waitFor();
      const list = await page.locator(".visit-results").innerText();
      const second = list.split("第 2 次")[1];
      assert.ok(second, list);
      assert.match(second, /无法测算/);
      assert.doesNotMatch(second, /\b0\.00\b/, "the uncomputable visit shows no 0.00");
      assert.match(await page.locator("#uncomputable").innerText(), /其中 5,000\.00 元无法测算/);
      assert.match(await page.locator("#answer-bar").innerText(), /其中 5,000\.00 元无法测算/);
      assert.match(await page.locator("#answer-bar").innerText(), /部分未规定/);
      expectClean(log);
    } finally {
      await context.close();
    }
  });

  test(`#1 at ${size} px: a layer the documents do not define reads 未规定 in the legend and in every visit`, async () => {
    const { context, page, log } = await openApp(browser, base, options, "?r=jiamusi-2022&i=tk&v=i2_20000_e~i3_30000_e");
    try {
      await page.locator("#reimbursed").waitFor();
      const legend = await page.locator(".legend").innerText();
      assert.match(legend, /医疗救助\s*未规定/);
      const list = await page.locator(".visit-results").innerText();
      assert.match(list, /医疗救助 未规定/);
      assert.doesNotMatch(list, /医疗救助 0\.00|倾斜救助 0\.00/);
      assert.match(await page.locator("#undefined-layers").innerText(), /医疗救助.*未规定.*不等于 0/);
      assert.deepEqual(await brokenLabels(page), [], "legend labels broken mid-word");
      expectClean(log);
    } finally {
      await context.close();
    }
  });

  test(`#2 at ${size} px: an unknown region is named, not replaced by Tianjin`, async () => {
    const { context, page, log } = await openApp(browser, base, options, "?r=no-such-region&v=i2_20000_e");
    try {
      const notice = page.locator("#link-notices");
      await notice.waitFor();
      assert.match(await notice.innerText(), /地区无法识别/);
      assert.ok(await onScreen(page, "#link-notices"), "the notice is on the first screen");
      assert.equal(await page.locator("#reimbursed").count(), 0, "no figures of another region");
      assert.equal(await page.locator("#region").inputValue(), "");
      assert.doesNotMatch(await mainText(page), /天津市 2023 年城乡居民医保|预计可报销/);
      // Choosing a region clears the notice line and computes.
      await page.getByLabel("地区").selectOption("tianjin-2023");
      await page.locator("#reimbursed").waitFor();
      assert.doesNotMatch(await page.locator("main").innerText(), /地区无法识别/);
      expectClean(log);
    } finally {
      await context.close();
    }
  });

  test(`#2 at ${size} px: an unreadable visit, unknown identity code and tier, and 500 visits are each named`, async () => {
    const { context, page, log } = await openApp(browser, base, options, "?r=tianjin-2023&t=gold&i=db.xx&v=i2_1000_e~zz_1~i3_abc_e");
    try {
      const text = await page.locator("#link-notices").innerText();
      assert.match(text, /第 2 次就诊无法读取/);
      assert.match(text, /第 3 次就诊无法读取/);
      assert.match(text, /1 个参保身份无法识别/);
      assert.match(text, /缴费档次无法识别/);
      assert.equal(await page.locator("fieldset.visit").count(), 1);
      assert.ok(await page.getByLabel("低保对象", { exact: true }).isChecked());
      await page.getByRole("button", { name: "知道了" }).click();
      assert.equal(await page.locator("#link-notices").count(), 0);
      expectClean(log);
    } finally {
      await context.close();
    }
    const v = Array(500).fill("o1_100_e").join("~");
    const many = await openApp(browser, base, options, `?r=tianjin-2023&v=${v}`);
    try {
      assert.match(await many.page.locator("#link-notices").innerText(), /500 次就诊.*最多计算 30 次/);
      assert.equal(await many.page.locator("fieldset.visit").count(), 30);
      expectClean(many.log);
    } finally {
      await many.context.close();
    }
  });

  test(`#3 at ${size} px: d takes a date only; words from the link never reach the page`, async () => {
    const d = encodeURIComponent("2026-11-22。【重要通知】本测算已停用，请加微信");
    const { context, page, log } = await openApp(browser, base, options, `?r=tianjin-2023&v=i2_20000_e&d=${d}`);
    try {
      await page.locator("#link-notices").waitFor();
      const body = await page.locator("body").innerText();
      assert.doesNotMatch(body, /重要通知|微信|停用/);
      assert.match(await page.locator("#link-notices").innerText(), /数据日期无法识别/);
      assert.doesNotMatch(page.url(), /%E9%87%8D%E8%A6%81/, "the address the page writes back drops it too");
      expectClean(log);
    } finally {
      await context.close();
    }
  });

  test(`#4 at ${size} px: a figure resting on 参考值 carries the mark beside the number, and says how much`, async () => {
    const { context, page, log } = await openApp(browser, base, options, "?r=hohhot-2023&v=i2_80000_e");
    try {
      await page.locator("#reimbursed").waitFor();
      const figure = await page.locator("#reimbursed").boundingBox();
      const mark = await page.locator(".headline .big .badge-ref").first().boundingBox();
      assert.ok(mark, "a 参考值 mark in the headline");
      assert.ok(Math.abs(mark.y + mark.height / 2 - (figure.y + figure.height / 2)) < figure.height, "on the number's line");
      assert.ok(await page.locator("#layer-basic .amount .badge-ref").isVisible());
      assert.match(await page.locator("#assumed-share").innerText(), /基本医保 [\d,]+\.\d\d 元.*的计算用到参考值/);
      assert.match(await page.locator("#answer-bar").innerText(), /含参考值|部分未规定/);
      expectClean(log);
    } finally {
      await context.close();
    }
  });

  test(`#5 at ${size} px: the answer stays in view while editing; details fold; a one-admission result is short`, async () => {
    const { context, page, log } = await openApp(browser, base, options, "?r=hohhot-2023&i=db&v=i3_60000_e");
    try {
      await page.locator("#reimbursed").waitFor();
      await page.getByLabel("医疗总费用").focus();
      await page.getByLabel("医疗总费用").fill("70000");
      await page.locator("#bar-oop").waitFor();
      assert.ok(await onScreen(page, "#answer-bar"), "the answer bar is on screen while editing");
      assert.equal(await page.locator("#bar-oop").innerText(), await page.locator("#out-of-pocket").innerText());
      assert.ok(await onScreen(page, "#v0-total"), "the field edited is not hidden");
      const bar = await page.locator("#answer-bar").boundingBox();
      const field = await page.locator("#v0-total").boundingBox();
      assert.ok(field.y + field.height <= bar.y || field.y >= bar.y + bar.height, "the bar does not cover the field");
      // Citations are folded, and open on one tap.
      assert.equal(await page.locator("details.steps[open]").count(), 0);
      await page.locator("#layer-basic summary").click();
      assert.ok(await page.locator("#layer-basic .step").first().isVisible());
      await page.locator("#layer-basic summary").click();
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      if (size === "375") assert.ok(height <= 5000, `page is ${height} px at 375 px`);
      expectClean(log);
    } finally {
      await context.close();
    }
  });

  test(`#6 at ${size} px: 添加一次就诊 keeps the result and marks nothing red until the field is left empty`, async () => {
    const { context, page, log } = await openApp(browser, base, options, "?r=tianjin-2023&v=i3_100000_90000");
    try {
      const before = await page.locator("#reimbursed").innerText();
      await page.getByRole("button", { name: "添加一次就诊" }).click();
      await page.waitForFunction(() => document.activeElement?.id === "v1-kind");
      assert.equal(await page.locator("#reimbursed").innerText(), before, "the result stays");
      assert.equal(await page.locator("[aria-invalid=true]").count(), 0, "nothing red yet");
      assert.equal(await page.locator(".error-summary").count(), 0);
      assert.match(await page.locator("#waiting-note").innerText(), /第 2 次就诊还没填写/);
      // Leaving the new total empty marks it, and the first visit's result still stands.
      await page.locator("#v1-total").focus();
      await page.keyboard.press("Tab");
      await page.locator("#v1-total-err").waitFor();
      assert.equal(await page.locator("#v1-total").getAttribute("aria-invalid"), "true");
      assert.equal(await page.locator("#reimbursed").innerText(), before);
      await page.locator("#v1-total").fill("10万");
      await page.locator("#reimbursed", { hasNotText: before }).waitFor();
      expectClean(log);
    } finally {
      await context.close();
    }
  });

  test(`#7 at ${size} px: typing into 政策范围内费用 switches the estimate off and is used`, async () => {
    const { context, page, log } = await openApp(browser, base, options, "?r=tianjin-2023&v=i3_100000_e");
    try {
      const estimate = page.getByLabel("不清楚，按总费用的90%估算");
      assert.ok(await estimate.isChecked());
      const scope = page.getByLabel("政策范围内费用");
      await scope.fill("80000");
      assert.equal(await estimate.isChecked(), false);
      assert.equal(await scope.inputValue(), "80000");
      await page.locator("#ratio").waitFor();
      assert.match(page.url(), /i3_100000_80000/);
      assert.match(await page.locator("#v0-scope-hint").innerText(), /合规费用|医保目录/);
      expectClean(log);
    } finally {
      await context.close();
    }
  });

  test(`#8 at ${size} px: the first screen shows no example figures, only a prompt`, async () => {
    const { context, page, log } = await openApp(browser, base, options, "");
    try {
      assert.ok(await page.locator("#region-prompt").isVisible());
      assert.equal(await page.locator("#reimbursed").count(), 0);
      // The skip link leads somewhere that exists on this first screen.
      assert.equal(await page.locator(await page.locator(".skip").getAttribute("href")).count(), 1);
      assert.doesNotMatch(await page.locator("body").innerText(), /14,000\.00|预计可报销/);
      await page.getByLabel("地区").selectOption("tianjin-2023");
      await page.locator("#result-prompt").waitFor();
      assert.equal(await page.getByLabel("医疗总费用").inputValue(), "");
      assert.equal(await page.locator("[aria-invalid=true]").count(), 0);
      assert.match(await page.locator("#answer-bar").innerText(), /填写医疗总费用后/);
      await page.getByLabel("医疗总费用").fill("2万");
      await page.locator("#reimbursed").waitFor();
      assert.match(await page.locator("#ratio").innerText(), /20,000\.00/);
      expectClean(log);
    } finally {
      await context.close();
    }
  });

  test(`#9 at ${size} px: 长辈版 is large, spaced, 60 px targets, folded, and labels do not break mid-word`, async () => {
    const w = await watchedPage(browser, base, options);
    const { context, page, log } = w;
    try {
      await context.addInitScript(() => localStorage.setItem("yibao.elder", "1"));
      await page.goto(base + "?r=hohhot-2023&i=db&v=i3_60000_e", { waitUntil: "load" });
      await page.locator("#reimbursed").waitFor({ timeout: 20_000 });
      const sizes = await page.evaluate(() => {
        const px = (sel) => [...document.querySelectorAll(sel)].filter((e) => e.offsetParent).map((e) => parseFloat(getComputedStyle(e).fontSize));
        const lh = (sel) => [...document.querySelectorAll(sel)].filter((e) => e.offsetParent).map((e) => parseFloat(getComputedStyle(e).lineHeight) / parseFloat(getComputedStyle(e).fontSize));
        return { body: px("main p, main label, main li"), hints: px(".hint"), lines: lh("main p") };
      });
      assert.ok(Math.min(...sizes.body) >= 18, `smallest main text ${Math.min(...sizes.body)} px`);
      assert.ok(Math.min(...sizes.lines) >= 1.3, `line spacing ${Math.min(...sizes.lines)}`);
      const small = await page.evaluate(() =>
        [...document.querySelectorAll("button, select, input[type=text], summary, .ab-link")]
          .filter((e) => e.offsetParent || e.closest(".answer-bar"))
          .map((e) => [e.id || e.textContent.trim().slice(0, 12), e.getBoundingClientRect()])
          .filter(([, r]) => r.width > 0 && (r.height < 59.5 || r.width < 59.5))
          .map(([n, r]) => `${n} ${Math.round(r.width)}×${Math.round(r.height)}`),
      );
      assert.deepEqual(small, [], "tap targets under 60 × 60 px");
      assert.equal(await page.locator("details[open]").count(), 0, "details folded");
      assert.equal(await page.locator(".understand").isVisible(), false, "fewer sections");
      assert.deepEqual(await brokenLabels(page), [], "legend labels broken mid-word");
      // The reader's text size setting is never blocked.
      const adjust = await page.evaluate(() => getComputedStyle(document.documentElement).webkitTextSizeAdjust);
      assert.ok(!/none|100%/.test(adjust), `-webkit-text-size-adjust: ${adjust}`);
      assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize), "20px", "1.25 × the reader's 16 px");
      // Nothing wider than the screen (measured against the device's width: a phone browser
      // widens its layout viewport to fit what overflows), also with two visits, one of them
      // partly undefined, and with the reader's own larger text (about 30 px).
      const width = options.viewport.width;
      const wide = () => page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok((await wide()) <= width, `page ${await wide()} px wide at ${width}`);
      await page.goto(base + "?r=hohhot-2023&v=i3_60000_e~c2_5000_e", { waitUntil: "load" });
      await page.locator("#reimbursed").waitFor();
      assert.ok((await wide()) <= width, `two visits: page ${await wide()} px wide at ${width}`);
      await page.evaluate(() => document.documentElement.style.setProperty("font-size", "187.5%"));
      assert.ok((await wide()) <= width, `30 px text: page ${await wide()} px wide at ${width}`);
      expectClean(log);
    } finally {
      await context.close();
    }
  });

  test(`#10 at ${size} px: comparisons flag undefined layers and count the yearly contribution`, async () => {
    const { context, page, log } = await openApp(browser, base, options, "?r=jiamusi-2021&v=i3_100000_e&c=jiamusi-2022");
    try {
      await page.locator("#compare-summary").waitFor();
      assert.match(await page.locator("#compare-undefined").innerText(), /医疗救助.*未规定.*差额只比较了可以测算的部分/);
      expectClean(log);
    } finally {
      await context.close();
    }
    const tiers = await openApp(browser, base, options, "?r=tianjin-2023&t=high&v=i3_100000_90000&c=tianjin-2023&ct=low");
    try {
      await tiers.page.locator("#compare-summary").waitFor();
      const summary = await tiers.page.locator("#compare-summary").innerText();
      assert.match(summary, /个人缴费少 630\.00 元（320\.00 元对 950\.00 元），算上缴费共(多付|少付) [\d,]+\.\d\d 元/);
      assert.match(await tiers.page.locator("#compare-table").innerText(), /每年个人缴费/);
      expectClean(tiers.log);
    } finally {
      await tiers.context.close();
    }
  });

  test(`#11 at ${size} px: 删除 can be undone; 万 and 千 are read; the maximum is stated`, async () => {
    const { context, page, log } = await openApp(browser, base, options, "?r=tianjin-2023&v=i3_100000_90000~o1_1.5%E4%B8%87_e");
    try {
      // The link reads only plain numbers: "1.5万" there is not a number the page wrote.
      assert.match(await page.locator("#link-notices").innerText(), /第 2 次就诊无法读取/);
      await page.getByRole("button", { name: "添加一次就诊" }).click();
      await page.locator("#v1-total").fill("3千");
      await page.locator("#v1-total-hint", { hasText: "3,000.00" }).waitFor();
      assert.match(await page.locator("#max-visits").innerText(), /最多可填写 30 次/);
      await page.getByRole("button", { name: "删除第 2 次就诊" }).click();
      assert.equal(await page.locator("fieldset.visit").count(), 1);
      await page.waitForFunction(() => document.activeElement?.id === "undo");
      await page.keyboard.press("Enter");
      assert.equal(await page.locator("fieldset.visit").count(), 2);
      assert.equal(await page.locator("#v1-total").inputValue(), "3千");
      expectClean(log);
    } finally {
      await context.close();
    }
  });

  test(`#11 at ${size} px: after a region switch, an identity no longer offered is named and dropped`, async () => {
    const { context, page, log } = await openApp(browser, base, options, "?r=hohhot-2023&i=yb&v=i3_60000_e");
    try {
      await page.locator("#reimbursed").waitFor();
      await page.getByLabel("地区").selectOption("tianjin-2023");
      await page.locator("#link-notices", { hasText: "因病致贫重病患者" }).waitFor();
      await page.locator("#identity-applied", { hasText: "普通参保人" }).waitFor();
      assert.doesNotMatch(await page.locator("#identity-applied").innerText(), /您勾选的/);
      expectClean(log);
    } finally {
      await context.close();
    }
  });
}

for (const [size, options] of SIZES) {
  test(`what to do next, at ${size} px: one line after the number, from the policy's clause, only where a document says it`, async () => {
    const tj = await openApp(browser, base, options, "?r=tianjin-2023&i=db&v=i3_100000_90000");
    try {
      const next = tj.page.locator("#next-steps");
      await next.waitFor();
      assert.match(await next.innerText(), /一站式/);
      await next.locator("summary").click();
      assert.match(await next.innerText(), /依据：《.+》.*困难群体在本市定点医疗机构住院就医/s);
      expectClean(tj.log);
    } finally {
      await tj.context.close();
    }
    const hh = await openApp(browser, base, options, "?r=hohhot-2023&i=by&v=i3_60000_e");
    try {
      assert.match(await hh.page.locator("#next-steps").innerText(), /乡镇（街道）社会救助服务窗口/);
      expectClean(hh.log);
    } finally {
      await hh.context.close();
    }
    const jms = await openApp(browser, base, options, "?r=jiamusi-2022&i=tk&v=i3_60000_e");
    try {
      await jms.page.locator("#reimbursed").waitFor();
      assert.equal(await jms.page.locator("#next-steps").count(), 0, "no clause, no line");
      expectClean(jms.log);
    } finally {
      await jms.context.close();
    }
  });
}

test("#11: one result prints on one A4 page naming region, dates, inputs as text and the link", async () => {
  const { context, page, log } = await openApp(browser, base, PHONE, "?r=hohhot-2023&i=db&v=i3_60000_e");
  try {
    await page.locator("#reimbursed").waitFor();
    await page.emulateMedia({ media: "print" });
    const summary = page.locator(".print-summary");
    assert.ok(await summary.isVisible());
    const text = await summary.innerText();
    assert.match(text, /呼和浩特市/);
    assert.match(text, /2023 年/);
    assert.match(text, /政策数据核对于 \d{4}-\d\d-\d\d · 打印于 \d{4}-\d\d-\d\d/);
    assert.match(text, /第 1 次：住院 · 三级/);
    assert.match(text, /参考值/);
    assert.match(text, /本测算的链接：http/);
    assert.equal(await page.locator("select:visible").count(), 0, "no drop-down boxes in print");
    const pdf = await page.pdf({ format: "A4" });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert.equal(pages, 1, `printed pages: ${pages}`);
    // Two visits, one of them not computable, with its notes: still one page.
    await page.goto(base + "?r=hohhot-2023&v=i3_60000_e~c2_5000_e", { waitUntil: "load" });
    await page.locator(".print-summary").waitFor();
    const two = await page.pdf({ format: "A4" });
    assert.equal((two.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length, 1, "two visits on one page");
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("#11: in an embed without clipboard permission 复制链接 falls back to the link selected", async () => {
  const { context, page, log } = await watchedPage(browser, base, PHONE);
  let server;
  try {
    const host = `<!doctype html><html lang="zh-CN"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>门户</title></head><body><h1>门户</h1>
      <iframe data-yibao title="医保报销测算" src="${base}?embed=1&r=tianjin-2023&v=i3_100000_90000" style="width:100%;border:0;height:150px"></iframe>
      <script src="${base}embed.js"></script></body></html>`;
    // The host is another origin (as a portal is), so the frame gets no clipboard permission:
    // a server of its own on another port (a page fulfilled by the test would count as a
    // public site, which Chromium keeps off local servers).
    server = http.createServer((req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(host));
    await new Promise((resolve) => server.listen(0, new URL(base).hostname, resolve));
    await page.route(`http://${new URL(base).hostname}:${server.address().port}/**`, (route) => route.continue());
    await page.goto(`http://${new URL(base).hostname}:${server.address().port}/article.html`, { waitUntil: "load" });
    const frame = page.frameLocator("iframe[data-yibao]");
    await frame.locator("#reimbursed").waitFor({ timeout: 20_000 });
    await frame.getByRole("button", { name: "复制链接" }).click();
    const input = frame.getByLabel("本页链接");
    await input.waitFor();
    assert.match(await input.inputValue(), /r=tianjin-2023/);
    assert.doesNotMatch(await input.inputValue(), /embed=1/);
    // The answer bar follows the host's scrolling: it sits in the visible part of the frame.
    await page.evaluate(() => window.scrollTo(0, 1200));
    await frame.locator("html.vp").waitFor({ state: "attached" });
    await page.waitForTimeout(300);
    const bar = await frame.locator("#answer-bar").boundingBox();
    const vp = page.viewportSize();
    assert.ok(bar && bar.y >= 0 && bar.y + bar.height <= vp.height + 1, `bar at ${JSON.stringify(bar)}`);
    expectClean(log);
  } finally {
    await context.close();
    server?.close();
  }
});
