// 3. The superior's inspector sees the roll-up of all three units, opens one
//    unit's dashboard read-only, and is refused when trying to enter a record.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const UNITS = ['县民政局党组', '县水利局党委', '县残联党组'];

let browser;
let page;
let mzUnit;

before(async () => {
  browser = await h.launch();
  page = browser.page;
});
after(async () => { await browser?.close(); });

test('xcb-ducha lands on the roll-up of all three units with coloured cells', async () => {
  await h.login(page, 'xcb-ducha');
  h.idIn(page.url(), '/rollup');
  assert.match(await h.text(page, 'h1'), /各单位落实情况汇总/);

  const table = page.locator('main table').first();
  const headers = (await table.locator('thead th').allInnerTexts()).map((s) => s.trim());
  assert.equal(headers[0], '单位');
  assert.equal(headers[headers.length - 1], '合计');
  assert.ok(headers.length >= 4, `category columns: ${headers.join('、')}`);

  const rows = await h.rows(table);
  const names = rows.map((r) => r[0]);
  for (const u of UNITS) assert.ok(names.includes(u), `${u} in the roll-up: ${names.join('、')}`);
  for (const r of rows) {
    assert.equal(r.length, headers.length, `a cell per category in ${r[0]}`);
    assert.match(r[r.length - 1], /完成 \d+ \/ 共 \d+/, `totals for ${r[0]}`);
  }

  // Cells are coloured by their most urgent status; 县民政局党组 has overdue work.
  const colours = await table.locator('tbody td[class^="cell-"]').evaluateAll((tds) =>
    tds.map((td) => getComputedStyle(td).backgroundColor));
  assert.ok(colours.length >= UNITS.length * 2, `coloured cells: ${colours.length}`);
  assert.ok(new Set(colours).size >= 2, `more than one colour: ${[...new Set(colours)].join(' ')}`);
  for (const c of colours) assert.notEqual(c, 'rgba(0, 0, 0, 0)', 'a coloured cell has a background');
  const mzRow = table.locator('tbody tr', { hasText: '县民政局党组' });
  assert.ok(await mzRow.locator('td.cell-overdue').count() >= 1, '县民政局党组 has an overdue category');
  assert.match(await mzRow.innerText(), /已逾期 \d+/);

  // The legend explains the colours.
  assert.match(await h.text(page, 'main > p.muted'), /颜色表示/);

  const file = await h.screenshot(page, 'rollup-xcb-ducha');
  console.log(`screenshot: ${file}`);
});

test('the inspector opens 县民政局党组 read-only: no 录入记录 button', async () => {
  await page.getByRole('link', { name: '县民政局党组' }).click();
  await page.waitForLoadState('load');
  mzUnit = h.idIn(page.url(), '/units');
  assert.match(await h.text(page, 'h1'), /县民政局党组.*工作台/);
  assert.match(await h.text(page), /需要办理的事项/);
  assert.equal(await page.getByRole('link', { name: '录入记录' }).count(), 0, 'no 录入记录 for an inspector');
  assert.ok(await page.getByRole('link', { name: '查看记录' }).isVisible(), '查看记录 is offered');

  // The records list has no 录入记录 either, and a record has no 修改 button.
  await page.getByRole('link', { name: '查看记录' }).click();
  await page.waitForLoadState('load');
  assert.equal(await page.getByRole('link', { name: '录入记录' }).count(), 0, 'no 录入记录 on the list');
  const first = page.locator('main table tbody a').first();
  if (await first.count()) {
    await first.click();
    await page.waitForLoadState('load');
    assert.match(page.url(), /\/records\/\d+$/);
    assert.equal(await page.getByRole('link', { name: '修改' }).count(), 0, 'no 修改 for an inspector');
  }
});

test('the inspector is refused the entry form and a posted record with 无权 (403)', async () => {
  const response = await page.goto(h.url(`/units/${mzUnit}/records/new?kind=branch_meeting`));
  assert.equal(response.status(), 403);
  assert.match(await h.text(page, 'h1'), /无法完成操作（403）/);
  assert.match(await h.text(page, '.flash.error'), /无权/);
  assert.equal(await page.locator('form.record').count(), 0, 'no form is shown');
  await h.screenshot(page, 'forbidden-xcb-ducha');

  // A hand-made POST, with the person's own session and CSRF token, is refused too.
  await page.goto(h.url(`/units/${mzUnit}?period=2026`));
  const csrf = await page.locator('header form[action="/logout"] input[name=csrf]').inputValue();
  const result = await page.evaluate(async ({ unit, csrf }) => {
    const body = new URLSearchParams({
      csrf, kind: 'branch_meeting', unit_id: String(unit), occurred_on: '2026-11-01',
      meeting_type: 'committee', topic: '督查人员不应能录入',
    });
    const r = await fetch(`/units/${unit}/records`, { method: 'POST', body, redirect: 'manual' });
    return { status: r.status, text: await r.text() };
  }, { unit: mzUnit, csrf });
  assert.equal(result.status, 403);
  assert.match(result.text, /无权/);
});
