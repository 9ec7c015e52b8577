// 1. The secretary of 县民政局党组 logs in and sees, on the dashboard, what
//    the demo seeded as undone, who must act on it, what was done late, and
//    the chart.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

let browser;
let page;

before(async () => {
  browser = await h.launch();
  page = browser.page;
});
after(async () => { await browser?.close(); });

test('mz-shuji lands on the 县民政局党组 dashboard', async () => {
  await h.login(page, 'mz-shuji');
  const unit = h.idIn(page.url(), '/units');
  assert.ok(unit > 0);
  const heading = await h.text(page, 'h1');
  assert.match(heading, /县民政局党组/);
  assert.match(heading, /工作台/);
  // The header names the person and offers logout.
  assert.ok(await page.getByRole('button', { name: '退出' }).isVisible(), 'logout button in the header');
  // A secretary may enter records.
  assert.ok(await page.getByRole('link', { name: '录入记录' }).isVisible(), '录入记录 button for a secretary');
  // Summary cards, one per status.
  const cards = await h.text(page, '.cards');
  for (const label of ['逾期', '已完成']) assert.ok(cards.includes(label), `cards mention ${label}: ${cards}`);
});

test('需要办理的事项 lists the seeded gaps with reasons and who must act', async () => {
  await page.goto(page.url().split('?')[0] + '?period=2026');
  const heading = await h.text(page, 'xpath=//h2[starts-with(normalize-space(.), "需要办理的事项")]');
  const count = Number((heading.match(/（(\d+)）/) || [])[1]);
  assert.ok(count >= 4, `at least the four seeded gaps are open, heading says: ${heading}`);

  const table = h.tableAfter(page, '需要办理的事项');
  const headers = await table.locator('thead th').allInnerTexts();
  assert.deepEqual(headers.map((s) => s.trim()), ['状态', '事项', '对象', '原因', '须办理人', '期限']);
  const rows = await h.rows(table);
  assert.equal(rows.length, count, 'the heading count matches the rows');
  const all = rows.map((r) => r.join(' | ')).join('\n');
  const find = (re, what) => {
    const row = rows.find((r) => re.test(r.join(' | ')));
    assert.ok(row, `a row for ${what} in:\n${all}`);
    return row;
  };

  // Branch 县民政局机关第一党支部 missed its 支委会 in April and August.
  const branch = find(/县民政局机关第一党支部/, 'the first branch');
  // The reason spells the meeting out: 支部委员会会议 (支委会).
  const branchRows = rows.filter((r) => /县民政局机关第一党支部/.test(r[2]) && /支委会|支部委员会/.test(r.join(' ')));
  const branchText = branchRows.map((r) => r.join(' | ')).join('\n');
  assert.ok(branchRows.length >= 1, `a 支委会 row for the branch:\n${all}`);
  assert.match(branchText, /2026年4月/, 'reason names April');
  assert.match(branchText, /2026年8月/, 'reason names August');
  assert.match(branchText, /郑国华/, 'the branch secretary must act');
  assert.ok(branch[4].length > 0, 'someone is named to act');

  // The risk ledger has not been reviewed.
  const risk = find(/风险隐患台账/, 'the risk ledger');
  assert.match(risk[3], /未复核|未更新/, `the ledger is overdue for review: ${risk.join(' | ')}`);
  assert.ok(risk[4].trim().length > 0, `someone must act on the risk ledger: ${risk.join(' | ')}`);

  // The WeChat channel is stale.
  const wechat = find(/县民政局微信公众号/, 'the WeChat channel');
  assert.match(wechat[3], /未更新/, `the channel is stale: ${wechat.join(' | ')}`);
  assert.ok(wechat[4].trim().length > 0, `someone must act on the WeChat channel: ${wechat.join(' | ')}`);

  // The 中心组 study sessions lack discussion records.
  const study = find(/缺少研讨记录/, 'the 中心组 study');
  assert.match(study[3], /3次/, `three sessions lack records: ${study.join(' | ')}`);

  // Every open row names a status badge.
  for (const r of rows) assert.ok(r[0].length > 0, `a status badge in ${r.join(' | ')}`);
});

test('the late 2026 H1 report is under 逾期完成的事项 with 逾期12天', async () => {
  const heading = await h.text(page, 'xpath=//h2[starts-with(normalize-space(.), "逾期完成的事项")]');
  assert.match(heading, /逾期完成的事项（\d+）/);
  const rows = await h.rows(h.tableAfter(page, '逾期完成的事项'));
  const report = rows.find((r) => /逾期12天/.test(r.join(' ')));
  assert.ok(report, `a row with 逾期12天 in:\n${rows.map((r) => r.join(' | ')).join('\n')}`);
  assert.match(report.join(' '), /报送|报告/);
  assert.match(report[0], /逾期完成/);
});

test('the chart and the full list are shown, and a duty opens its detail', async () => {
  const chart = page.locator('main svg').first();
  assert.ok(await chart.isVisible(), 'an inline SVG chart');
  const box = await chart.boundingBox();
  assert.ok(box && box.width > 100 && box.height > 50, `chart has a real size: ${JSON.stringify(box)}`);
  const svgText = await chart.textContent();
  assert.match(svgText, /\S/, 'the chart has labels');

  const all = await h.rows(h.tableAfter(page, '全部事项'));
  assert.ok(all.length >= 10, `全部事项 lists every duty (${all.length})`);

  const file = await h.screenshot(page, 'dashboard-mz-shuji');
  console.log(`screenshot: ${file}`);

  // Follow the risk ledger duty to its detail page.
  await page.locator('main table').first().getByRole('link', { name: /风险/ }).first().click();
  await page.waitForLoadState('load');
  assert.match(page.url(), /\/units\/\d+\/duties\//);
  const detail = await h.text(page);
  assert.match(detail, /逐期情况/);
  assert.match(detail, /须办理人/);
  assert.match(detail, /返回县民政局党组工作台/);
});
