// Screenshots of the format-2 inputs for review (not a test): `node shots-format2.mjs [dir]`
// after `cargo xtask dist`. Phone 375 px and one desktop.
import { baseUrl, launch, watchedPage } from "./lib/harness.mjs";
import { DESKTOP, PHONE } from "./lib/app.mjs";

const dir = process.argv[2] || "artifacts";
const base = await baseUrl();
const browser = await launch();
const shots = [
  ["phone-yueyang-classes", PHONE, "?r=yueyang-2019&v=icounty_10000_10000_r~icounty_10000_10000_r~icity_10000_10000_r~icounty_10000_10000_r", "#v0-level"],
  ["phone-nanjing-population", PHONE, "?r=nanjing-2021&p=resident&v=i3_25000_20000_r~i3_20000_20000_r~i2_10000_10000_r", "#population"],
  ["phone-suzhou-place", PHONE, "?r=suzhou-2024&v=i3_10000_10000~i3_10000_10000_y1~i3_5000_5000", "#v1-place"],
  ["phone-yueyang-partial", PHONE, "?r=yueyang-2019&v=icity_70000_67000_r_p1000_b", "#v0-slip"],
  ["phone-huangshi-slip", PHONE, "?r=huangshi-2024&i=db&v=i2_30000_28000_r_b20000", "#v0-paid"],
  ["phone-huangshi-slip-error", PHONE, "?r=huangshi-2024&i=db&v=i2_30000_28000_r_b29000", "#v0-paid"],
  ["phone-link-notice", PHONE, "?r=nanjing-2021&p=nobody&v=icounty_10000_e", "#link-notices"],
  ["phone-ningbo-classes-ceiling", PHONE, "?r=ningbo-2023&v=otertiary_4000_4000~ocommunity_2000_2000~oother_500_500", "#v2-level"],
  ["phone-jinzhai-admission-bands", PHONE, "?r=jinzhai-2020&i=db&v=icounty,and,above_35000_35000_b22000_c2000~itownship_36000_36000_b20000_c2000", "#v1-level"],
  ["phone-shandong-ci-only", PHONE, "?r=shandong-2014&v=i3_300000_270000_b100000", "#v0-paid"],
  ["desktop-suzhou-place", DESKTOP, "?r=suzhou-2024&v=i3_10000_10000~i3_10000_10000_y1~i3_5000_5000", "#v1-place"],
];
for (const [name, options, query, focus] of shots) {
  const { page, context } = await watchedPage(browser, base, options);
  await page.goto(base + query, { waitUntil: "load" });
  await page.locator("#result").waitFor({ timeout: 20_000 }).catch(() => {});
  await page.waitForTimeout(300);
  await page.locator(focus).scrollIntoViewIfNeeded();
  await page.evaluate((sel) => document.querySelector(sel)?.closest(".field, .check, .notice, fieldset")?.scrollIntoView({ block: "start" }), focus);
  await page.screenshot({ path: `${dir}/${name}.png` });
  await page.screenshot({ path: `${dir}/${name}-full.png`, fullPage: true });
  await context.close();
}
await browser.close();
process.exit(0);
