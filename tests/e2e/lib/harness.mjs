// Shared helpers for the browser tests. `cargo xtask test` sets YIBAO_BASE_URL (web/dist
// served by the xtask server on a free port), YIBAO_CHROMIUM, YIBAO_ROOT and
// YIBAO_ARTIFACTS. Run on their own (`cd tests/e2e && node --test`), the tests start
// `cargo xtask serve --no-build --port 0` themselves, so run `cargo xtask dist` first.

import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));

export const ROOT = process.env.YIBAO_ROOT || path.resolve(here, "../../..");
export const ARTIFACTS = process.env.YIBAO_ARTIFACTS || path.resolve(here, "../artifacts");
export const CHROMIUM = process.env.YIBAO_CHROMIUM || "/usr/bin/chromium";

// Debian's Chromium as root in a container: no sandbox, no GPU, and no traffic of its own.
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

// Texts of web/index.html and web/boot.js that tests look for.
export const TEXT = {
  title: "医保报销测算",
  tooOld: "您的浏览器版本较旧，无法运行本计算器。请升级微信或浏览器后再试。",
  failed: "计算器加载失败。请检查网络后刷新页面重试；如仍失败，请升级微信或浏览器。",
  noscript: "本计算器需要启用 JavaScript。请在浏览器设置中开启 JavaScript 后刷新页面。",
};

let served;

/** The URL of web/dist, ending in "/". */
export async function baseUrl() {
  if (process.env.YIBAO_BASE_URL) return process.env.YIBAO_BASE_URL;
  if (!served) served = startServer(["--no-build"]);
  return served;
}

/**
 * Serves `dir` (an edited copy of web/dist) with the xtask server, whose headers a real
 * deployment should send; returns its URL, ending in "/". The server stops with the tests.
 */
export async function serveDir(dir) {
  return startServer(["--dir", dir]);
}

function startServer(args) {
  return new Promise((resolve, reject) => {
    // Its own process group, so that the server (a child of cargo) stops with us.
    const child = spawn("cargo", ["xtask", "serve", ...args, "--port", "0"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    });
    // Do not keep this process alive for the server's sake once the tests are done.
    child.unref();
    child.stdout.unref();
    const stop = () => {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
    };
    process.on("exit", stop);
    const timer = setTimeout(() => {
      stop();
      reject(new Error("`cargo xtask serve` printed no URL within 300 s"));
    }, 300_000);
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/xtask: serving .* at (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`\`cargo xtask serve\` exited (${code}):\n${out}`)));
  });
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * A new context and page that records what a test usually must check: console errors and
 * warnings, uncaught exceptions, failed requests, and any request to an origin other
 * than the local server (those are blocked, and recorded).
 */
export async function watchedPage(browser, base, contextOptions = {}) {
  const origin = new URL(base).origin;
  const context = await browser.newContext(contextOptions);
  const log = {
    consoleErrors: [],
    consoleWarnings: [],
    pageErrors: [],
    failedRequests: [],
    foreignRequests: [],
    responses: [],
  };
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    log.foreignRequests.push(url);
    return route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  page.on("console", (msg) => {
    const where = msg.location()?.url ? ` (${msg.location().url})` : "";
    if (msg.type() === "error") log.consoleErrors.push(msg.text() + where);
    if (msg.type() === "warning") log.consoleWarnings.push(msg.text() + where);
  });
  page.on("pageerror", (err) => log.pageErrors.push(String(err)));
  page.on("requestfailed", (req) => log.failedRequests.push(`${req.url()}: ${req.failure()?.errorText}`));
  page.on("response", (res) => log.responses.push(res));
  return { context, page, log };
}

/** Path for an artifact (screenshot, report) in tests/e2e/artifacts/. */
export function artifact(name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}
