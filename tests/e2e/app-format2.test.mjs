// Policy format 2 in the resident form: the policy's own facility classes (岳阳 2019), 人群
// (南京 2021), 就医地 (苏州 2024), 乙类先行自付 (岳阳 2019) and 结算单的统筹基金支付 (and 大病保险支付)
// where the policy has no basic insurance (黄石 2024), each entered by its label and checked
// against the golden cases in tests/golden; the share link carries them and says what it could
// not use.

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

const FLOWS = [
  ["121", "岳阳 2019 县级、市级医院四次住院：年度起付线累计 2300"],
  ["122", "岳阳 2019 市级医院，乙类先行自付 1000"],
  ["127", "南京 2021 少儿（默认人群）三次住院"],
  ["130", "南京 2021 选“其他居民”人群"],
  ["146", "苏州 2024 本地首次住院"],
  ["151", "苏州 2024 第二次异地就医（已备案）"],
  ["110", "黄石 2024 低保，结算单统筹基金支付 20000"],
  ["171", "黄石 2024 低保，结算单统筹基金支付 20000、大病保险支付 1500"],
];

for (const [id, what] of FLOWS) {
  test(`format 2, golden ${id}: ${what}`, async () => {
    const g = golden(id);
    const { context, page, log } = await openApp(browser, base, PHONE);
    try {
      await enterScenario(page, g.policy, g.scenario);
      const t = g.expected.totals;
      await expectHeadline(page, (Number(t.total) - Number(t.out_of_pocket)).toFixed(2), t.out_of_pocket);
      assert.match(await layerAmount(page, "basic"), new RegExp(`^${yuan(t.basic)} 元`));
      if (Number(t.assistance) > 0) assert.equal(await layerAmount(page, "assistance"), `${yuan(t.assistance)} 元`);
      if (Number(t.critical_illness) > 0) assert.match(await layerAmount(page, "critical_illness"), new RegExp(`^${yuan(t.critical_illness)} 元`));
      assert.doesNotMatch(await page.locator("main").innerText(), /NaN|undefined|Infinity/);
      // A visit elsewhere, or with a slip, says so on its line of the per-visit list.
      if (g.scenario.visits.length > 1) {
        const lines = await page.locator(".visit-results li strong").allTextContents();
        g.scenario.visits.forEach((v, i) => {
          const place = { elsewhere_registered: "异地就医（已备案）", elsewhere_unregistered: "异地就医（未备案）" }[v.place];
          if (place) assert.match(lines[i], new RegExp(place.replace(/[（）]/g, ".")), lines[i]);
          if (v.basic_paid !== undefined) assert.match(lines[i], /按结算单/, lines[i]);
        });
      }
      expectClean(log);
    } finally {
      await context.close();
    }
  });
}

test("each input is asked only where the policy uses it", async () => {
  const { context, page, log } = await openApp(browser, base, PHONE);
  try {
    const region = page.getByLabel("地区");
    await region.selectOption("tianjin-2023");
    await page.locator("#result").waitFor();
    assert.equal(await page.getByLabel("人群", { exact: true }).count(), 0);
    assert.equal(await page.getByLabel("就医地").count(), 0);
    assert.deepEqual(await page.getByLabel("医院等级").locator("option").allTextContents(), ["基层", "一级", "二级", "三级"]);
    // The slip's amounts are behind 我有结算单.
    assert.equal(await page.getByLabel("统筹基金支付").count(), 0);
    assert.equal(await page.getByLabel("大病保险支付").count(), 0);
    await page.getByLabel("我有结算单").check();
    assert.equal(await page.getByLabel("统筹基金支付").count(), 1);
    assert.equal(await page.getByLabel("大病保险支付").count(), 1);
    assert.match(await page.locator("#v0-ci-hint").innerText(), /大病保险支付/);
    assert.match(await page.locator("#v0-partial-hint").innerText(), /乙类先行自付/);

    await region.selectOption("yueyang-2019");
    await page.getByLabel("医院等级").locator("option", { hasText: "县级医院" }).waitFor({ state: "attached" });
    assert.deepEqual(await page.getByLabel("医院等级").locator("option").allTextContents(), ["乡镇卫生院", "县级医院", "市级医院", "省级医院"]);
    assert.equal(await page.getByLabel("规范转诊").count(), 1, "岳阳's ratios differ by referral");

    await region.selectOption("nanjing-2021");
    await page.getByLabel("人群", { exact: true }).waitFor();
    assert.equal(await page.getByLabel("人群", { exact: true }).inputValue(), "child", "the policy's default population");

    await region.selectOption("suzhou-2024");
    await page.getByLabel("就医地").waitFor();
    assert.deepEqual(await page.getByLabel("就医地").locator("option").allTextContents(), ["本地就医", "异地就医（已备案）", "异地就医（未备案）"]);

    await region.selectOption("huangshi-2024");
    await page.getByLabel("统筹基金支付").waitFor();
    assert.equal(await page.getByLabel("我有结算单").count(), 0, "the slip is not optional where there is no basic insurance");
    assert.match(await page.locator("fieldset.visit").innerText(), /没有规定基本医保/);
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("the link carries class, population, place and the slip, and names what the policy lacks", async () => {
  // Written by the page: 岳阳 市级 with 乙类先行自付 (golden 122).
  let { context, page, log } = await openApp(browser, base, PHONE, "?r=yueyang-2019&v=icity_70000_67000_r_b_p1000");
  try {
    await expectHeadline(page, "38880.00", "31120.00");
    assert.equal(await page.getByLabel("医院等级").inputValue(), "city");
    assert.ok(await page.getByLabel("我有结算单").isChecked());
    assert.equal(await page.getByLabel("乙类先行自付").inputValue(), "1000");
    assert.match(new URL(page.url()).searchParams.get("v"), /^icity_70000_67000_r_p1000_b$/);
    expectClean(log);
  } finally {
    await context.close();
  }
  // A class and a population the policy lacks, and a visit part the page does not write.
  ({ context, page, log } = await openApp(browser, base, PHONE, "?r=nanjing-2021&p=nobody&v=icounty_10000_e~i2_500_e_y9"));
  try {
    const notice = page.locator("#link-notices");
    await notice.waitFor();
    const text = await notice.innerText();
    assert.match(text, /人群无法识别/);
    assert.match(text, /没有原先填写的医院等级，已改为“基层”/);
    assert.match(text, /第 2 次就诊无法读取/);
    assert.equal(await page.getByLabel("人群", { exact: true }).inputValue(), "child");
    assert.equal(await page.getByLabel("医院等级").inputValue(), "grassroots");
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("an engine error on a slip amount shows at its field", async () => {
  const { context, page, log } = await openApp(browser, base, PHONE, "?r=huangshi-2024&i=db&v=i2_30000_28000_r_b29000");
  try {
    const error = page.locator("#v0-paid-err");
    await error.waitFor();
    // The page builds the engine without its English glosses: Chinese only.
    const text = await error.textContent();
    assert.match(text, /基本医保已支付的金额不能大于政策范围内费用减去乙类先行自付/);
    assert.doesNotMatch(text, /[A-Za-z]/, text);
    assert.match(await page.getByLabel("统筹基金支付").getAttribute("aria-describedby"), /v0-paid-err/);
    assert.equal(await page.getByLabel("统筹基金支付").getAttribute("aria-invalid"), "true");
    await page.getByLabel("统筹基金支付").fill("20000");
    await expectHeadline(page, "25700.00", "4300.00");
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("the slip's 大病保险支付 lowers 黄石's assistance, and the link carries it", async () => {
  // Golden 110 by link: 低保, 30,000 (28,000 in scope), 统筹基金支付 20,000: assistance
  // 6,000 × 70% + 2,000 × 75% = 5,700, out of pocket 4,300.
  const { context, page, log } = await openApp(browser, base, PHONE, "?r=huangshi-2024&i=db&v=i2_30000_28000_r_b20000");
  try {
    await expectHeadline(page, "25700.00", "4300.00");
    // Golden 171: 大病保险支付 1,500 on the slip: assistance on 28,000 − 21,500 = 6,500:
    // 4,200 + 500 × 75% = 4,575; out of pocket 30,000 − 20,000 − 1,500 − 4,575 = 3,925.
    await page.getByLabel("大病保险支付").fill("1500");
    await expectHeadline(page, "26075.00", "3925.00");
    assert.equal(await layerAmount(page, "assistance"), "4,575.00 元");
    assert.match(await layerAmount(page, "critical_illness"), /^1,500\.00 元/);
    await page.waitForFunction(() => new URL(location.href).searchParams.get("v")?.endsWith("_c1500"));
    assert.equal(new URL(page.url()).searchParams.get("v"), "i2_30000_28000_r_b20000_c1500");
    // More than the slip leaves after 统筹基金支付 (8,000): the error is at the field.
    await page.getByLabel("大病保险支付").fill("8000.01");
    await page.locator("#v0-ci-err").waitFor();
    assert.match(await page.locator("#v0-ci-err").textContent(), /大病保险已支付的金额不能大于/);
    expectClean(log);
  } finally {
    await context.close();
  }
  // Opened from the link: the amount is in its field and the result is golden 171's.
  const again = await openApp(browser, base, PHONE, "?r=huangshi-2024&i=db&v=i2_30000_28000_r_b20000_c1500");
  try {
    await expectHeadline(again.page, "26075.00", "3925.00");
    assert.equal(await again.page.getByLabel("大病保险支付").inputValue(), "1500");
    expectClean(again.log);
  } finally {
    await again.context.close();
  }
});
