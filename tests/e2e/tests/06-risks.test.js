// 6. A staff member of 县民政局党组 opens the 风险隐患台账 from the dashboard,
//    sees the high-level risk flagged as overdue for review, adds a risk,
//    records its review, sees the next review date scheduled and the ledger
//    updated, and the dashboard's 风险隐患台账 duty follow the review.
//
//    Leaves the demo's risk-ledger duty met (a review dated today): test
//    files that run after this one must not expect that seeded gap.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const stamp = Date.now().toString(36).slice(-5);
const TITLE = `冬至祭扫期间违规焚烧引发的舆情风险（测试${stamp}）`;
const HIGH = '养老机构安全事故引发的网络舆情风险';

let browser;
let page;
let unit;
let today;       // "2026年11月23日", as the dashboard shows it
let riskUrl;
let nextReview;  // the scheduled next review, as the form proposed it (YYYY-MM-DD)

const chinese = (iso) => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};

/** The ledger's rows, keyed by the 风险点 column. */
async function ledgerRows() {
  const rows = await h.rows(page.locator('table.risks'));
  return Object.fromEntries(rows.map((r) => [r[2], r]));
}

async function submit(name) {
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name }).click(),
  ]);
  await page.waitForLoadState('load');
}

before(async () => {
  browser = await h.launch();
  page = browser.page;
  await h.login(page, 'mz-keyuan');
  unit = h.idIn(page.url(), '/units');
  const m = (await h.text(page)).match(/今天：(\d{4}年\d{1,2}月\d{1,2}日)/);
  assert.ok(m, 'the dashboard shows today');
  today = m[1];
});
after(async () => { await browser?.close(); });

test('the dashboard links to the ledger, which flags the overdue high-level risk', async () => {
  await page.getByRole('link', { name: '风险隐患台账' }).first().click();
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).pathname, `/units/${unit}/risks`);
  assert.match(await h.text(page, 'h1'), /县民政局党组 · 风险隐患台账/);
  assert.match(await h.text(page, 'p.summary'), /逾期未复核\d+项/);
  const rows = await ledgerRows();
  const high = rows[HIGH];
  assert.ok(high, `the high-level risk is listed: ${Object.keys(rows).join('、')}`);
  assert.equal(high[3], '高');
  assert.match(high[9], /逾期\d+天未复核/);
  // Filtering by level keeps only the high-level risks.
  await page.locator('select[name=level]').selectOption('high');
  await submit('筛选');
  const filtered = await ledgerRows();
  assert.ok(Object.values(filtered).every((r) => r[3] === '高'), 'only high-level risks after filtering');
  await h.screenshot(page, 'risk-ledger');
});

test('mz-keyuan adds a risk and sees it awaiting its first review', async () => {
  await page.goto(h.url(`/units/${unit}/risks`));
  await page.getByRole('link', { name: '新增风险点' }).click();
  await page.waitForLoadState('load');
  const form = page.locator('form.record');
  await form.locator('[name=domain]').fill('殡葬改革');
  await form.locator('[name=title]').fill(TITLE);
  await form.locator('[name=level]').selectOption('medium');
  await form.locator('[name=description]').fill('冬至前后部分群众在街巷焚烧祭品，易被拍摄上网。');
  await form.locator('[name=measures]').fill('节前入户宣传文明祭扫，设置集中祭扫点，社区网格员巡查。');
  await form.locator('[name=owner_id]').selectOption({ label: '吴海燕（社会事务股股长）' });
  await submit('保存');

  assert.match(page.url(), /\/risks\/\d+$/);
  riskUrl = page.url().split('?')[0];
  assert.match(await h.text(page, '.flash.ok'), /已保存/);
  assert.match(await h.text(page, 'h1'), new RegExp(TITLE.replace(/[()（）]/g, '.')));
  const main = await h.text(page);
  assert.match(main, /尚未复核/);
  assert.match(main, /吴海燕/);
});

test('recording a review schedules the next one and updates the ledger', async () => {
  await page.goto(riskUrl);
  const form = page.locator('form#review');
  nextReview = await form.locator('[name=next_review]').inputValue();
  assert.match(nextReview, /^\d{4}-(03|06|09|12)-\d{2}$/, `a quarter-end month is proposed: ${nextReview}`);
  assert.equal(await form.locator('[name=reviewer]').inputValue(), '刘晓雯');
  await form.locator('[name=conclusion]').fill('已入户宣传，集中祭扫点设置到位，措施落实。');
  await submit('保存复核');

  assert.match(await h.text(page, '.flash.ok'), /已记录复核/);
  const reviews = await h.rows(page.locator('table.reviews'));
  assert.equal(reviews.length, 1);
  assert.equal(reviews[0][0], today);
  assert.equal(reviews[0][1], '刘晓雯');
  assert.equal(reviews[0][4], chinese(nextReview));
  const fields = await h.text(page, 'table.fields');
  assert.match(fields, new RegExp(`下次复核\\s+${chinese(nextReview)}`));
  assert.match(fields, /按期|即将到期/);
  await h.screenshot(page, 'risk-reviewed');

  await page.getByRole('link', { name: '← 返回风险隐患台账' }).click();
  await page.waitForLoadState('load');
  const row = (await ledgerRows())[TITLE];
  assert.ok(row, 'the new risk is in the ledger');
  assert.equal(row[7], today, '最近复核');
  assert.equal(row[8], chinese(nextReview), '下次复核');
  assert.doesNotMatch(row[9], /逾期/);
});

test('the review counts for the dashboard’s 风险隐患台账 duty', async () => {
  await page.goto(h.url(`/units/${unit}/duties/risk-ledger`));
  const text = await h.text(page);
  assert.match(text, new RegExp(`最后一次为${today}`), 'the engine counts the review recorded today');
});
