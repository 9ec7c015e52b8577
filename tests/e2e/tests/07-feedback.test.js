// 7. The public-feedback register (舆情与诉求处置台账): the demo's 较大
//    entry discovered on 2026-11-20 and not yet answered is flagged overdue
//    on the list and on the dashboard, with who must act; a staff member
//    then registers a 12345 call and walks it from 发现 to 办结 through the
//    item page's form, one step at a time.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const OVERDUE = '网民发帖反映低保审批办理时间过长';
const stamp = Date.now().toString(36).slice(-5);
const SUMMARY = `来电咨询残疾人两项补贴申领流程（测试${stamp}）`;

let browser;
let page;
let unit;

before(async () => {
  browser = await h.launch();
  page = browser.page;
  await h.login(page, 'mz-keyuan');
  unit = h.idIn(page.url(), '/units');
});
after(async () => { await browser?.close(); });

async function submit(name) {
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name }).click(),
  ]);
  await page.waitForLoadState('load');
}

test('the dashboard lists the overdue entry with its reason and who must act', async () => {
  await page.goto(h.url(`/units/${unit}`));
  const table = h.tableAfter(page, '需要办理的舆情与诉求');
  const heading = await page.locator('h2', { hasText: '需要办理的舆情与诉求' }).innerText();
  const rows = await h.rows(table);
  assert.equal(heading.trim(), `需要办理的舆情与诉求（${rows.length}）`);
  const row = rows.find((r) => r[1].includes(OVERDUE));
  assert.ok(row, `the demo entry is listed: ${JSON.stringify(rows)}`);
  assert.equal(row[0], '已逾期');
  // How long depends on the time of day the test runs: 45分钟, 6小时, 1天6小时 or 3天.
  assert.match(row[3], /2026年11月20日发现，超过48小时未回应（已逾期(\d+分钟|\d+小时|\d+天(\d+小时)?)）/);
  assert.match(row[4], /责任人：李红梅/);
});

test('the register flags the overdue entry', async () => {
  await page.goto(h.url(`/units/${unit}`));
  await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: '舆情与诉求', exact: true }).click()]);
  assert.match(await h.text(page, 'h1'), /县民政局党组 · 舆情与诉求处置台账/);
  const rows = await h.rows(page.locator('main table.feedback'));
  const row = rows.find((r) => r[1].includes(OVERDUE.slice(0, 10)));
  assert.ok(row, `the demo entry in the register: ${JSON.stringify(rows)}`);
  assert.equal(row[6], '待回应');
  assert.match(row[7], /超过48小时未回应（已逾期/);
  const overdueBadge = page.locator('main table.feedback .badge.s-overdue').first();
  assert.ok(await overdueBadge.isVisible(), 'the overdue flag is shown in red');
  await h.screenshot(page, 'feedback-register');
});

test('mz-keyuan takes a 12345 call from discovery to closure', async () => {
  await page.goto(h.url(`/units/${unit}/feedback`));
  await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: '登记舆情与诉求' }).click()]);
  const form = page.locator('form.record');
  await form.locator('[name=source_kind]').selectOption({ label: '热线电话' });
  await form.locator('[name=source_detail]').fill('12345');
  await form.locator('[name=summary]').fill(SUMMARY);
  await form.locator('[name=category]').fill('政策咨询');
  await form.locator('[name=level]').selectOption({ label: '一般' });
  assert.match(await form.locator('[name=discovered_at]').inputValue(), /^2026-11-23T\d\d:\d\d$/, 'now by default');
  await submit('保存');
  assert.match(page.url(), /\/feedback\/\d+$/);
  assert.match(await h.text(page, 'h1'), /来电咨询残疾人两项补贴/);
  let t = await h.text(page);
  assert.match(t, /待核实/);
  assert.match(t, /回应剩余/, 'the 48-hour limit is running');

  const steps = [
    { kind: '核实', note: '属政策咨询', status: '待处置' },
    { kind: '报告', to: '分管领导李红梅', status: '待处置' },
    { kind: '处置', note: '整理申领条件和材料清单', status: '待回应' },
    { kind: '回应', form: '答复诉求人', note: '电话答复来电人', status: '待办结' },
    { kind: '办结', note: '回访满意', status: '已办结' },
  ];
  for (const s of steps) {
    const f = page.locator('form.record');
    const offered = await f.locator('[name=kind] option').allInnerTexts();
    assert.ok(offered.includes(s.kind), `${s.kind} is offered: ${offered.join('、')}`);
    assert.ok(!offered.includes('办结') || s.kind === '回应' || s.kind === '办结', `办结 only after 回应: ${offered}`);
    await f.locator('[name=kind]').selectOption({ label: s.kind });
    if (s.to) await f.locator('[name=to]').fill(s.to);
    if (s.form) await f.locator('[name=form]').selectOption({ label: s.form });
    if (s.note) await f.locator('[name=note]').fill(s.note);
    await submit('登记');
    assert.match(page.url(), /\/feedback\/\d+$/, `${s.kind} saved`);
    t = await h.text(page);
    assert.match(t, new RegExp(s.status), `after ${s.kind}: ${s.status}`);
  }
  const history = await h.rows(h.tableAfter(page, '处置记录'));
  assert.deepEqual(history.map((r) => r[0]), ['发现', '核实', '报告', '处置', '回应', '办结']);
  assert.match(history[2][3], /报告对象：分管领导李红梅/);
  assert.match(history[4][3], /回应方式：答复诉求人/);
  assert.match(t, /已按时回应/);
  assert.equal(await page.getByRole('heading', { name: '登记下一步' }).count(), 0, 'nothing left to record');
  await h.screenshot(page, 'feedback-closed');

  await page.goto(h.url(`/units/${unit}/feedback?status=closed`));
  const rows = await h.rows(page.locator('main table.feedback'));
  const row = rows.find((r) => r[1].includes('来电咨询残疾人两项补贴'));
  assert.ok(row, 'the closed entry is in the register');
  assert.equal(row[6], '已办结');
});

test('the weekly summary counts the week', async () => {
  await page.goto(h.url(`/units/${unit}/feedback/weekly?week=2026-W47`));
  const t = await h.text(page);
  assert.match(t, /2026年第47周（11月16日—11月22日）/);
  assert.match(await h.text(page, '.cards'), /逾期\s*1/);
});
