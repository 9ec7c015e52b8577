// 2. A staff member enters a 支委会 record for 县民政局机关第一党支部
//    through the generated form, sees it saved, edits it (a new version with
//    the old one kept), and gets a Chinese error when the topic is missing.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const BRANCH = '县民政局机关第一党支部';
const stamp = Date.now().toString(36).slice(-5);
const TOPIC = `研究发展党员工作（测试${stamp}）`;
const TOPIC2 = `研究第四季度党员发展和教育管理工作（测试${stamp}）`;

let browser;
let page;
let unit;     // the Party group's id
let today;    // { y, m, d } as the dashboard shows it
let recordUrl;

/** The date the dashboard calls today ("今天：2026年11月23日"). */
async function dashboardToday() {
  const t = await h.text(page);
  const m = t.match(/今天：(\d{4})年(\d{1,2})月(\d{1,2})日/);
  assert.ok(m, `the dashboard shows today's date: ${t}`);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

const iso = ({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const chinese = ({ y, m, d }) => `${y}年${m}月${d}日`;

/** Fills the 支委会 form as a person would, leaving out `skip`. */
async function fillBranchMeeting({ topic, skip = [] }) {
  const form = page.locator('form.record');
  await form.locator('[name=unit_id]').selectOption({ label: BRANCH });
  await form.locator('[name=occurred_on]').fill(iso(today));
  await form.locator('[name=meeting_type]').selectOption({ label: '支委会' });
  if (!skip.includes('topic')) await form.locator('[name=topic]').fill(topic);
  await form.locator('[name=host]').fill('郑国华');
  await form.locator('[name=due]').fill('7');
  await form.locator('[name=present]').fill('6');
  await form.locator('[name=absentees]').fill('张三：出差');
  await form.locator('[name=minutes]').fill('会议讨论了入党积极分子培养情况。');
}

async function save() {
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name: '保存' }).click(),
  ]);
  await page.waitForLoadState('load');
}

/** The detail page's first table as { label: value }. */
async function detailFields() {
  const pairs = await page.locator('main table').first().locator('tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th')?.innerText.trim(), tr.querySelector('td')?.innerText.trim()]));
  return Object.fromEntries(pairs);
}

before(async () => {
  browser = await h.launch();
  page = browser.page;
  await h.login(page, 'mz-keyuan');
  unit = h.idIn(page.url(), '/units');
  today = await dashboardToday();
});
after(async () => { await browser?.close(); });

test('mz-keyuan enters a 支委会 record through the form and sees it saved', async () => {
  assert.match(await h.text(page, 'h1'), /县民政局党组/);
  await page.getByRole('link', { name: '录入记录' }).click();
  await page.waitForLoadState('load');
  assert.match(await h.text(page, 'h1'), /选择类别/);
  await page.getByRole('link', { name: '三会一课及主题党日' }).click();
  await page.waitForLoadState('load');
  assert.match(page.url(), /\/records\/new\?kind=branch_meeting$/);
  assert.match(await h.text(page, 'h1'), /录入：三会一课及主题党日/);

  // The form is generated from the schema: every field is there, labelled.
  for (const name of ['unit_id', 'occurred_on', 'meeting_type', 'topic', 'host', 'due', 'present', 'absentees', 'minutes']) {
    assert.equal(await page.locator(`form.record [name=${name}]`).count(), 1, `field ${name}`);
    assert.equal(await page.locator(`form.record label[for=${name}]`).count(), 1, `label for ${name}`);
  }
  const units = await page.locator('form.record [name=unit_id] option').allInnerTexts();
  assert.ok(units.includes(BRANCH), `the branch is offered: ${units.join('、')}`);

  await fillBranchMeeting({ topic: TOPIC });
  await save();

  assert.match(page.url(), /\/records\/\d+$/);
  recordUrl = page.url().split('?')[0];
  assert.match(await h.text(page, '.flash.ok'), /已保存/);
  assert.match(await h.text(page, 'h1'), new RegExp(`支委会：${TOPIC.replace(/[()（）]/g, '.')}`));
  const f = await detailFields();
  assert.equal(f['所属'], BRANCH);
  assert.equal(f['日期'], chinese(today));
  assert.equal(f['会议类型'], '支委会');
  assert.equal(f['主题'], TOPIC);
  assert.equal(f['应到人数'], '7');
  assert.equal(f['实到人数'], '6');
  assert.match(f['缺席人员及原因'], /张三：出差/);
  assert.equal(f['版本'], '第1版');
  assert.equal(await page.getByRole('heading', { name: '历史版本' }).count(), 0, 'no history yet');
});

test('the new record appears in the records list', async () => {
  await page.goto(h.url(`/units/${unit}/records?period=${today.y}&kind=branch_meeting`));
  const rows = await h.rows(page.locator('main table').first());
  const row = rows.find((r) => r[2].includes(TOPIC));
  assert.ok(row, `the list shows the record:\n${rows.map((r) => r.join(' | ')).join('\n')}`);
  assert.equal(row[0], chinese(today));
  assert.equal(row[3], BRANCH);
  assert.equal(row[5], '第1版');
});

test('editing the record makes 第2版 and keeps the first in 历史版本', async () => {
  await page.goto(recordUrl);
  await page.getByRole('link', { name: '修改' }).click();
  await page.waitForLoadState('load');
  assert.match(page.url(), /\/records\/\d+\/edit$/);
  assert.match(await h.text(page, 'h1'), /修改：三会一课及主题党日/);
  // The form comes back filled in with what was saved.
  const form = page.locator('form.record');
  assert.equal(await form.locator('[name=topic]').inputValue(), TOPIC);
  assert.equal(await form.locator('[name=occurred_on]').inputValue(), iso(today));
  assert.equal(await form.locator('[name=due]').inputValue(), '7');
  assert.match(await form.locator('[name=absentees]').inputValue(), /张三：出差/);
  assert.equal(await form.locator('[name=meeting_type] option:checked').innerText(), '支委会');

  await form.locator('[name=topic]').fill(TOPIC2);
  await save();

  assert.equal(page.url(), recordUrl);
  assert.match(await h.text(page, '.flash.ok'), /已保存/);
  const f = await detailFields();
  assert.equal(f['主题'], TOPIC2);
  assert.equal(f['版本'], '第2版');
  assert.equal(f['应到人数'], '7', 'other values are kept');
  const history = page.locator('xpath=//h2[normalize-space(.)="历史版本"]/following-sibling::table[1]');
  assert.equal(await history.count(), 1, 'a 历史版本 table');
  const rows = await h.rows(history);
  assert.equal(rows.length, 1, 'one earlier version');
  assert.equal(rows[0][0], '第1版');
  assert.match(rows[0][2], new RegExp(TOPIC.replace(/[()（）]/g, '.')), 'the old topic is kept');
  await h.screenshot(page, 'record-detail-v2');
});

test('saving with the topic empty shows 请填写主题 and keeps the typed values', async () => {
  await page.goto(h.url(`/units/${unit}/records/new?kind=branch_meeting`));
  await fillBranchMeeting({ topic: '', skip: ['topic'] });

  // The browser itself refuses first: the topic input is required.
  const topic = page.locator('form.record [name=topic]');
  assert.equal(await topic.evaluate((el) => el.required && el.validity.valueMissing), true);
  const before = page.url();
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForTimeout(300);
  assert.equal(page.url(), before, 'the browser keeps the form on the page');

  // Without the browser's check (an old browser, or a script), the server answers in Chinese.
  await page.locator('form.record').evaluate((form) => { form.noValidate = true; });
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: '保存' }).click(),
  ]);
  await page.waitForLoadState('load');
  assert.equal(response.status(), 422);
  const flash = await h.text(page, '.flash.error');
  assert.match(flash, /请修改以下内容后再保存/);
  assert.match(flash, /请填写主题/);
  await h.screenshot(page, 'record-form-error');

  const form = page.locator('form.record');
  assert.equal(await form.locator('[name=topic]').inputValue(), '');
  assert.equal(await form.locator('[name=occurred_on]').inputValue(), iso(today));
  assert.equal(await form.locator('[name=unit_id] option:checked').innerText(), BRANCH);
  assert.equal(await form.locator('[name=meeting_type] option:checked').innerText(), '支委会');
  assert.equal(await form.locator('[name=host]').inputValue(), '郑国华');
  assert.equal(await form.locator('[name=due]').inputValue(), '7');
  assert.equal(await form.locator('[name=present]').inputValue(), '6');
  assert.equal(await form.locator('[name=absentees]').inputValue(), '张三：出差');
  assert.match(await form.locator('[name=minutes]').inputValue(), /入党积极分子/);

  // Filling the topic in now saves it.
  await form.locator('[name=topic]').fill(`补填主题（测试${stamp}）`);
  await save();
  assert.match(page.url(), /\/records\/\d+$/);
  assert.match(await h.text(page, '.flash.ok'), /已保存/);
});
