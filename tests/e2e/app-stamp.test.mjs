// The page computes only from policy files that `cargo xtask dist` validated (issue 9): a
// file edited after its validation stamp was written, or listed without a stamp, is refused
// with a message and no figures, and the other regions still work. A policies/index.json
// nested too deep is a message, never a stopped page.

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { ROOT, baseUrl, launch, serveDir, watchedPage } from "./lib/harness.mjs";
import { PHONE, expectClean } from "./lib/app.mjs";

// crates/web/src/load.rs, UNVALIDATED.
const REFUSED = "该地区的政策文件未通过校验（可能被手工修改过），无法测算。请联系网站管理员运行 yibao validate 检查后重新发布。";
// An amount as the page shows it: 1,234.56 or 0.00.
const AMOUNT = /\d\.\d\d(?!\d)/;

let browser;
let base;
let editedBase;
let copy;

before(async () => {
  base = await baseUrl();
  // A copy of the built site in which a portal edited hohhot-2023.json by hand after
  // `cargo xtask dist` stamped it: a second critical illness segment, which validation
  // refuses and the page's reader (no structural checks) would compute from, paying
  // 926,968.80 on a 1,000,000 bill.
  copy = fs.mkdtempSync(path.join(os.tmpdir(), "yibao-dist-"));
  fs.cpSync(path.join(ROOT, "web/dist"), copy, { recursive: true });
  const file = path.join(copy, "policies/hohhot-2023.json");
  const policy = JSON.parse(fs.readFileSync(file, "utf8"));
  policy.critical_illness.segments.push(structuredClone(policy.critical_illness.segments[0]));
  fs.writeFileSync(file, JSON.stringify(policy, null, 2) + "\n");
  editedBase = await serveDir(copy);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

/** Waits for the refusal; checks that it offers no 重试 and that no amount is shown. */
async function expectRefused(page) {
  const alert = page.getByRole("alert").filter({ hasText: REFUSED });
  await alert.waitFor({ timeout: 20_000 });
  assert.equal(await alert.getByRole("button", { name: "重试" }).count(), 0, "重试 cannot help");
  assert.equal(await page.locator("#result").count(), 0);
  assert.equal(await page.locator("#reimbursed").count(), 0);
  const text = await page.locator("body").innerText();
  assert.doesNotMatch(text, AMOUNT, `an amount is shown:\n${text}`);
  // The region can still be changed.
  assert.equal(await page.getByLabel("地区").count(), 1);
  return alert;
}

test("a policy file edited after its stamp is refused with a message and no figures", async () => {
  const { context, page, log } = await watchedPage(browser, editedBase, PHONE);
  try {
    await page.goto(editedBase + "?r=hohhot-2023&v=i2_20000_e", { waitUntil: "load" });
    const alert = await expectRefused(page);
    // The technical detail names the file and both checksums.
    await alert.locator("summary").click();
    assert.match(await alert.locator(".detail").textContent(), /^policies\/hohhot-2023\.json: 校验和 fnv1a64:[0-9a-f]{16} ≠ 校验戳 fnv1a64:[0-9a-f]{16} \(changed after validation\)$/);
    // Another region, whose file is as stamped, computes.
    await page.getByLabel("地区").selectOption("tianjin-2023");
    await page.locator("#reimbursed").waitFor({ timeout: 20_000 });
    assert.equal(await page.getByRole("alert").filter({ hasText: REFUSED }).count(), 0);
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("the unedited site computes the same region (the refusal is the edit's doing)", async () => {
  const { context, page, log } = await watchedPage(browser, base, PHONE);
  try {
    await page.goto(base + "?r=hohhot-2023&v=i2_20000_e", { waitUntil: "load" });
    await page.locator("#reimbursed").waitFor({ timeout: 20_000 });
    assert.equal(await page.getByRole("alert").filter({ hasText: REFUSED }).count(), 0);
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("a policy listed without a stamp is refused", async () => {
  const { context, page, log } = await watchedPage(browser, base, PHONE);
  try {
    const index = JSON.parse(fs.readFileSync(path.join(ROOT, "web/dist/policies/index.json"), "utf8"));
    assert.ok(index.policies.every((p) => /^fnv1a64:[0-9a-f]{16}$/.test(p.stamp)), "dist stamps every policy");
    for (const p of index.policies) delete p.stamp;
    await page.route("**/policies/index.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(index) }));
    await page.goto(base + "?r=tianjin-2023", { waitUntil: "load" });
    const alert = await expectRefused(page);
    await alert.locator("summary").click();
    assert.match(await alert.locator(".detail").textContent(), /tianjin-2023 没有校验戳/);
    expectClean(log);
  } finally {
    await context.close();
  }
});

test("an index nested 200,000 deep is a message, not a stopped page", async () => {
  const { context, page, log } = await watchedPage(browser, base, PHONE);
  try {
    const index = fs.readFileSync(path.join(ROOT, "web/dist/policies/index.json"), "utf8");
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    const body = index.replace(/^\{/, `{"notes": ${deep},`);
    await page.route("**/policies/index.json", (route) => route.fulfill({ contentType: "application/json", body }));
    await page.goto(base, { waitUntil: "load" });
    const alert = page.getByRole("alert").filter({ hasText: "政策数据文件有误" });
    await alert.waitFor({ timeout: 20_000 });
    await alert.locator("summary").click();
    assert.equal(
      await alert.locator(".detail").textContent(),
      `policies/index.json: notes${"[0]".repeat(127)}: 嵌套过深，最多 128 层 (nested deeper than 128 levels)`,
    );
    expectClean(log);
  } finally {
    await context.close();
  }
});
