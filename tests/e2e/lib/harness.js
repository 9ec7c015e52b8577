// Shared pieces of the browser tests: launching headless Chromium through
// playwright-core, logging in as a demo account, reading a page's visible
// text, and saving screenshots.
//
// The server is started by run.sh, which passes its address in
// TAIZHANG_URL. Nothing here starts or stops the server.

'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const BASE_URL = (process.env.TAIZHANG_URL || '').replace(/\/+$/, '');
const PASSWORD = process.env.TAIZHANG_DEMO_PASSWORD || 'taizhang-demo';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.join(__dirname, '..', 'screenshots');

if (!BASE_URL) {
  throw new Error('TAIZHANG_URL is not set: run the browser tests with tests/e2e/run.sh, '
    + 'or start `taizhang demo` yourself and set TAIZHANG_URL=http://127.0.0.1:PORT');
}

/** Launches a fresh headless Chromium with its own profile directory. */
async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'taizhang-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(15000);
  context.setDefaultNavigationTimeout(20000);
  const page = context.pages()[0] || await context.newPage();
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Full address of a path on the server under test. */
function url(p) {
  return BASE_URL + p;
}

/** Fills and submits the login form the way a person would. */
async function login(page, username, password = PASSWORD) {
  await page.goto(url('/login'));
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name: '登录' }).click(),
  ]);
  await page.waitForLoadState('load');
}

/** The visible text of an element (default: the whole main area). */
async function text(page, selector = 'main') {
  return (await page.locator(selector).first().innerText()).replace(/\u00a0/g, ' ');
}

/** The table that follows the h2 whose text starts with `heading`. */
function tableAfter(page, heading) {
  // The first table after the heading, whether or not it sits in a scroll wrapper.
  return page.locator(`xpath=(//h2[starts-with(normalize-space(.), "${heading}")]/following::table)[1]`);
}

/** The rows of a table as arrays of cell texts (header row excluded). */
async function rows(table) {
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.innerText.replace(/\s+/g, ' ').trim())));
}

/** Saves a full-page screenshot; returns its path. */
async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The id in an address like /units/12 or /rollup/3. */
function idIn(address, prefix) {
  const m = new URL(address).pathname.match(new RegExp(`^${prefix}/(\\d+)`));
  if (!m) throw new Error(`expected an address under ${prefix}/{id}, got ${address}`);
  return Number(m[1]);
}

module.exports = { BASE_URL, PASSWORD, launch, url, login, text, tableAfter, rows, screenshot, idIn };
