// 14. Printing on A4: the duty detail, a record, the registers and the
//     roll-up print without navigation, buttons or forms, with a title block,
//     table headers that repeat on every page and tables that fit the page
//     width. Each page is also printed to PDF (SCREENSHOT_DIR/print-*.pdf).

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../lib/harness');

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.join(__dirname, '..', 'screenshots');
// A4 (210 mm) less the print stylesheet's 12 mm side margins, in CSS px.
const A4_CONTENT_PX = Math.floor(((210 - 24) / 25.4) * 96);

let browser;
let page;

before(async () => {
  browser = await h.launch();
  page = browser.page;
});
after(async () => { await browser?.close(); });

/** Checks the page as print lays it out, then prints it to PDF. */
async function checkPrint(name) {
  await page.setViewportSize({ width: A4_CONTENT_PX, height: 1000 });
  await page.emulateMedia({ media: 'print' });
  try {
    const shown = async (selector) => page.locator(selector).evaluateAll((els) =>
      els.filter((e) => getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0).length);
    assert.equal(await shown('header.top'), 0, `${name}: no navigation`);
    assert.equal(await shown('main form, main .btn, main button, main details, main p.back'), 0, `${name}: no forms, buttons or back links`);
    assert.equal(await shown('.print-head'), 1, `${name}: a title block`);
    assert.match(await h.text(page, '.print-head'), /打印日期：\d{4}-\d{2}-\d{2}/);
    const tables = await page.locator('main table').evaluateAll((ts) => ts.map((t) => ({
      header: t.tHead ? getComputedStyle(t.tHead).display : 'table-header-group',
      display: getComputedStyle(t).display,
      overflow: t.getBoundingClientRect().right - document.querySelector('main').getBoundingClientRect().right,
    })));
    for (const t of tables) {
      assert.equal(t.header, 'table-header-group', `${name}: headers repeat on every page`);
      assert.equal(t.display, 'table', `${name}: a table stays a table`);
      assert.ok(t.overflow <= 1, `${name}: a table fits the page width (over by ${t.overflow}px)`);
    }
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `print-${name}.pdf`);
    await page.pdf({ path: file, format: 'A4', printBackground: true });
    assert.ok(fs.readFileSync(file).subarray(0, 5).toString() === '%PDF-', `${name}: a PDF`);
    console.log(`printed: ${file}`);
  } finally {
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 900 });
  }
}

test('the secretary prints the duty detail, a record and the registers', async () => {
  await h.login(page, 'mz-shuji');
  const unit = h.idIn(page.url(), '/units');
  const duty = page.locator('main table a[href*="/duties/"]').first();
  await duty.click();
  await page.waitForLoadState('load');
  await checkPrint('duty');

  await page.goto(h.url(`/units/${unit}/records`));
  await page.locator('main table a[href^="/records/"]').first().click();
  await page.waitForLoadState('load');
  await checkPrint('record');

  for (const register of ['records', 'risks', 'feedback', 'rectifications', 'news']) {
    await page.goto(h.url(`/units/${unit}/${register}`));
    await checkPrint(register);
  }
});

test('the inspector prints the roll-up: units are never cut across pages', async () => {
  await h.login(page, 'xcb-ducha');
  assert.equal(h.idIn(page.url(), '/rollup') > 0, true);
  await page.emulateMedia({ media: 'print' });
  const breaks = await page.locator('main table tbody tr').evaluateAll((trs) =>
    trs.map((tr) => getComputedStyle(tr).breakInside));
  await page.emulateMedia({ media: 'screen' });
  assert.ok(breaks.length >= 3 && breaks.every((b) => b === 'avoid'), `rows kept whole: ${breaks.join(' ')}`);
  await checkPrint('rollup');
});
