// 15. Daily work at desktop width (1366 px): a clerk voids a record she
//     entered by mistake, with a reason, and sees it kept as 已作废 and out
//     of the counts; the superior's inspector sees the overdue feedback
//     entry as a duty in the roll-up and on the unit's dashboard.
//
//     The record voided is one this file enters itself (with a stamp), so
//     the file can run again on the same server.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const GROUP = '县民政局党组';
const BRANCH = '县民政局机关第一党支部';
const stamp = Date.now().toString(36).slice(-5);
const TOPIC = `误录的支委会（测试${stamp}）`;
const REASON = '重复录入，已另行登记';

let browser;
let page;

before(async () => {
  browser = await h.launch();
  page = browser.page;
  await page.setViewportSize({ width: 1366, height: 900 });
});
after(async () => { await browser?.close(); });

async function click(locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
  await page.waitForLoadState('load');
}

test('mz-keyuan voids a record she entered, with a reason; it stays visible as 已作废', async () => {
  await h.login(page, 'mz-keyuan');
  const unit = h.idIn(page.url(), '/units');
  await page.goto(h.url(`/units/${unit}/records/new?kind=branch_meeting`));
  const form = page.locator('form.record');
  await form.locator('[name=unit_id]').selectOption({ label: BRANCH });
  await form.locator('[name=meeting_type]').selectOption({ label: '支委会' });
  await form.locator('[name=topic]').fill(TOPIC);
  await form.locator('[name=host]').fill('郑国华');
  await form.locator('[name=due]').fill('5');
  await form.locator('[name=present]').fill('5');
  await form.locator('[name=minutes]').fill('测试记录，应作废。');
  await click(page.getByRole('button', { name: '保存' }));
  assert.match(page.url(), /\/records\/\d+$/);
  const recordUrl = page.url();
  assert.match(await h.text(page, '.flash.ok'), /已保存/, 'a success message after saving');

  // Voiding needs a reason: the browser will not send the form without one.
  await page.getByText('作废这条记录').click();
  await page.locator('#reason').fill(REASON);
  await click(page.getByRole('button', { name: '确认作废' }));
  assert.equal(page.url(), recordUrl);
  assert.match(await h.text(page, '.flash.ok'), /已作废/, 'the success message says what happened');
  const banner = await h.text(page, '.flash.error');
  assert.match(banner, /已作废/);
  assert.match(banner, new RegExp(REASON));
  assert.match(banner, /刘晓雯/, 'who voided it');
  assert.equal(await page.getByRole('button', { name: '确认作废' }).count(), 0, 'a voided record cannot be voided again');

  // The records list shows it among the voided, not among the counted.
  await page.goto(h.url(`/units/${unit}/records?q=${encodeURIComponent(stamp)}`));
  const main = await h.text(page);
  assert.match(main, /已作废/, main);
  await h.screenshot(page, 'record-voided');
});

test('xcb-ducha sees the overdue feedback entry as a duty in the roll-up and on the dashboard', async () => {
  await page.context().clearCookies();
  await h.login(page, 'xcb-ducha');
  h.idIn(page.url(), '/rollup');
  const table = page.locator('main table').first();
  const headers = (await table.locator('thead th').allInnerTexts()).map((s) => s.trim());
  const column = headers.indexOf('舆情处置');
  assert.ok(column > 0, `a 舆情处置 column: ${headers.join('、')}`);
  const row = (await h.rows(table)).find((r) => r[0] === GROUP);
  assert.match(row[column], /已逾期/, `民政局's feedback cell: ${row[column]}`);

  await click(page.getByRole('link', { name: GROUP, exact: true }).first());
  const main = await h.text(page);
  assert.match(main, /舆情与诉求限时处置/);
  assert.match(main, /超过48小时未回应/);
  assert.match(main, /责任人：李红梅/);
  // No table scrolls sideways at this width.
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `the page scrolls sideways by ${wide}px`);
});
