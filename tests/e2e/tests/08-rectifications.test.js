// 8. 问题整改 (inspection findings and their rectification) for 县民政局党组:
//    the secretary sees the seeded overdue problem on the dashboard and the
//    three seeded problems in the 整改台账; the superior's inspector registers
//    a problem; staff record measures and the person responsible and apply
//    for 销号 with evidence; the inspector returns it (only with an opinion)
//    and, once reported again, closes it; staff import a problem list from
//    CSV (a file with a bad line imports nothing); another unit is refused.
//
//    The seeded problems are only read, never changed, so the file can run
//    again on the same server: the problems it adds carry a stamp of their own.

'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const GROUP = '县民政局党组';
const CSV_HEADER = '问题来源,发现日期,问题,整改措施,责任人,整改期限';

/** A problem as the list shows it: at most 30 characters, then an ellipsis. */
const short = (s) => ([...s].length <= 30 ? s : `${[...s].slice(0, 30).join('')}…`);

// The demo's three problems (县委宣传部's inspection and a self-inspection).
const SEEDED_CLOSED = '意识形态工作责任清单未细化到班子成员，“一岗双责”落实不够具体';
const SEEDED_OVERDUE = '门户网站部分稿件三审三校记录不完整，缺少审核人签字';
const SEEDED_OPEN = '部分党支部主题党日活动记录过于简单，未体现学习研讨内容';
const OVERDUE_REASON = '已逾期23天仍未整改到位';

const stamp = Date.now().toString(36).slice(-5);
// Registered by the inspector and taken through 销号 (at most 30 characters,
// so the list shows it whole).
const PROBLEM = `理论学习中心组学习计划未按时制定（测试${stamp}）`;
const MEASURES = `制定并印发2026年理论学习中心组学习计划（测试${stamp}）`;
const EVIDENCE = '《2026年理论学习中心组学习计划》（民党组〔2026〕25号）及党组会议纪要';
const SEND_BACK = '佐证材料未附党组会议研究记录，请补充后重新申请';
const CLOSE = '整改到位，同意销号';
// Imported from CSV.
const IMPORTED_1 = `意识形态阵地管理台账未及时更新（测试${stamp}）`;
const IMPORTED_2 = `网评员队伍培训记录缺失（测试${stamp}）`;

let browser;
let page;
let unit;         // 县民政局党组's id
let problemPath;  // /rectifications/{id} of the problem registered here
let seededPath;   // /rectifications/{id} of the seeded overdue problem
const tmpFiles = [];

/** Clicks something that loads a new page; resolves with that page's response. */
async function navigate(locator) {
  const [response] = await Promise.all([page.waitForNavigation(), locator.click()]);
  await page.waitForLoadState('load');
  return response;
}

const button = (name) => page.getByRole('button', { name, exact: true });
const link = (name) => page.getByRole('link', { name, exact: true });
/** The dashboard toolbar's 问题整改 button (the duty tables link 问题整改 too). */
const toolbarButton = (name) => page.locator('main .toolbar').getByRole('link', { name, exact: true });
const field = (label) => page.getByLabel(label, { exact: true });
const flash = (kind) => h.text(page, `.flash.${kind}`);

/** Logs out whoever is logged in (with the 退出 button) and logs in as `username`. */
async function loginAs(username) {
  const logout = button('退出');
  if (await logout.count()) {
    await navigate(logout);
    assert.equal(new URL(page.url()).pathname, '/login');
  }
  await h.login(page, username);
  await page.waitForURL((u) => u.pathname !== '/login');
}

/** The 整改台账 rows as { deadline, source, problem, owner, state, text }. */
async function listRows() {
  const table = page.locator('main table').first();
  const headers = (await table.locator('thead th').allInnerTexts()).map((x) => x.trim());
  assert.deepEqual(headers, ['整改期限', '来源', '问题', '责任人', '状态', '说明', '发现日期']);
  return (await h.rows(table)).map(([deadline, source, problem, owner, state, text]) =>
    ({ deadline, source, problem, owner, state, text }));
}

/** The list row of a problem (by its full text); fails if missing. */
async function listRow(problem) {
  const rows = await listRows();
  const row = rows.find((r) => r.problem === short(problem));
  assert.ok(row, `“${problem}” is listed:\n${rows.map((r) => Object.values(r).join(' | ')).join('\n')}`);
  return row;
}

/** Opens a problem page and checks it is the one expected. */
async function openProblem(p, problem) {
  const response = await page.goto(h.url(p));
  assert.equal(response.status(), 200, `GET ${p}`);
  assert.equal((await detail())['问题'], problem);
}

/** The problem page's 问题/发现日期/… table as an object. */
async function detail() {
  const pairs = await page.locator('main table.kv tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector('th').innerText.trim(), tr.querySelector('td').innerText.replace(/\s+/g, ' ').trim()]));
  return Object.fromEntries(pairs);
}

/** The status line under the heading: badge, state and the sentence. */
async function stateLine() {
  const line = (await h.text(page, 'main > p:has(.badge)')).replace(/\s+/g, ' ').trim();
  return { badge: await h.text(page, 'main > p .badge'), line };
}

/** Which forms the problem page offers. */
async function controls() {
  return {
    update: await page.locator('form[action$="/update"]').count(),
    report: await page.locator('form[action$="/report"]').count(),
    close: await button('同意销号').count(),
    sendBack: await button('退回重新整改').count(),
  };
}

/** The option value of a person in a 责任人 select, by name. */
async function personValue(select, name) {
  const options = await select.locator('option').evaluateAll((os) => os.map((o) => ({ value: o.value, text: o.textContent })));
  const found = options.filter((o) => o.text.startsWith(`${name}（`));
  assert.equal(found.length, 1, `one ${name} among ${options.map((o) => o.text).join('、')}`);
  return found[0].value;
}

/** Writes a CSV to a temporary file; returns its path. */
function csvFile(name, lines) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'taizhang-e2e-csv-')), name);
  fs.writeFileSync(file, [CSV_HEADER, ...lines].join('\n') + '\n', 'utf8');
  tmpFiles.push(path.dirname(file));
  return file;
}

/** Opens 从 Excel 或 CSV 导入问题清单, chooses the file and clicks 导入. */
async function importCsv(file) {
  const section = page.locator('details', { has: page.locator('summary', { hasText: '从 Excel 或 CSV 导入问题清单' }) });
  if (!(await section.evaluate((d) => d.open))) await section.locator('summary').click();
  assert.match(await h.text(page, 'details[open] p.help'), new RegExp(`表头：${CSV_HEADER}`));
  await section.locator('input[type=file][name=file]').setInputFiles(file);
  return navigate(section.getByRole('button', { name: '导入', exact: true }));
}

before(async () => {
  browser = await h.launch();
  page = browser.page;
});
after(async () => {
  await browser?.close();
  for (const dir of tmpFiles) fs.rmSync(dir, { recursive: true, force: true });
});

test('mz-shuji sees the overdue problem on the dashboard and the three seeded problems in the 整改台账', async () => {
  await loginAs('mz-shuji');
  unit = h.idIn(page.url(), '/units');
  assert.match(await h.text(page, 'h1'), new RegExp(`${GROUP}.*工作台`));
  assert.match(await h.text(page), /今天：2026年11月23日/);

  // 需要办理的事项 names the overdue problem and why.
  const open = await h.rows(h.tableAfter(page, '需要办理的事项'));
  const all = open.map((r) => r.join(' | ')).join('\n');
  const overdue = open.find((r) => r[3].includes(OVERDUE_REASON));
  assert.ok(overdue, `the overdue problem is among 需要办理的事项:\n${all}`);
  assert.equal(overdue[0], '已逾期', `status of ${overdue.join(' | ')}`);
  assert.match(overdue[1], /^问题整改/, `the duty of ${overdue.join(' | ')}`);
  assert.match(overdue[3], new RegExp(`上级督查问题“${SEEDED_OVERDUE}”整改期限为2026年10月31日，${OVERDUE_REASON}`));
  assert.ok(overdue[4].length > 0, `someone must act: ${overdue.join(' | ')}`);

  // The toolbar's 问题整改 button opens the 整改台账.
  await navigate(toolbarButton('问题整改'));
  assert.equal(new URL(page.url()).pathname, `/units/${unit}/rectifications`);
  assert.equal(await h.text(page, 'h1'), `${GROUP} · 问题整改台账`);
  assert.ok(await link('← 返回工作台').isVisible());
  const excel = link('整改台账（Excel）');
  assert.ok(await excel.isVisible(), 'the Excel download is offered');
  assert.equal(await excel.getAttribute('href'), `/units/${unit}/rectifications.xlsx`);

  const closed = await listRow(SEEDED_CLOSED);
  assert.match(closed.problem, /…$/, 'a long problem is shortened in the list');
  assert.deepEqual([closed.deadline, closed.source, closed.owner, closed.state],
    ['2026年10月31日', '上级督查', '王建国', '已完成 已销号']);
  assert.match(closed.text, /已于2026年10月28日整改完成，已销号$/);

  const late = await listRow(SEEDED_OVERDUE);
  assert.deepEqual([late.deadline, late.source, late.state], ['2026年10月31日', '上级督查', '已逾期 整改中']);
  assert.match(late.text, new RegExp(`整改期限为2026年10月31日，${OVERDUE_REASON}$`));
  assert.equal(late.owner, '李红梅', 'the person responsible for the overdue problem');

  const pending = await listRow(SEEDED_OPEN);
  assert.deepEqual([pending.deadline, pending.source, pending.state], ['2026年12月31日', '自查发现', '未到期 整改中']);
  assert.match(pending.text, /正在整改，期限为2026年12月31日$/);

  // The status badges are coloured, and differ by status.
  const colours = await page.locator('main table tbody .badge').evaluateAll((bs) =>
    [...new Set(bs.map((b) => getComputedStyle(b).backgroundColor))]);
  assert.ok(colours.length >= 3, `the badges have several colours: ${colours.join(', ')}`);
  assert.ok(!colours.includes('rgba(0, 0, 0, 0)'), 'every badge has a background');

  // The secretary may register and import problems.
  for (const summary of ['登记问题', '从 Excel 或 CSV 导入问题清单']) {
    assert.ok(await page.locator('details > summary', { hasText: summary }).isVisible(), `${summary} is offered`);
  }

  // The Excel ledger downloads as an .xlsx named after the unit.
  const [download] = await Promise.all([page.waitForEvent('download'), excel.click()]);
  assert.equal(download.suggestedFilename(), `${GROUP}问题整改台账.xlsx`);
  const saved = await download.path();
  assert.equal(fs.readFileSync(saved).subarray(0, 2).toString('latin1'), 'PK', 'an xlsx (zip) file');

  await navigate(link(short(SEEDED_OVERDUE)));
  assert.match(page.url(), /\/rectifications\/\d+$/);
  seededPath = new URL(page.url()).pathname;
  assert.equal(await h.text(page, 'h1'), '上级督查问题');
  const s = await stateLine();
  assert.equal(s.badge, '已逾期');
  assert.match(s.line, new RegExp(`^已逾期 整改中 · .*${OVERDUE_REASON}$`));
  const d = await detail();
  assert.equal(d['发现日期'], '2026年9月10日');
  assert.equal(d['整改期限'], '2026年10月31日');
  assert.equal(d['销号日期'], '');

  await navigate(link('← 返回整改台账'));
  const file = await h.screenshot(page, 'rectifications-mz-shuji');
  console.log(`screenshot: ${file}`);
});

test('the inspector registers a 上级督查 problem through 登记问题; it is 整改中', async () => {
  await loginAs('xcb-ducha');
  assert.match(page.url(), /\/rollup\/\d+$/);
  await navigate(link(GROUP));
  assert.equal(h.idIn(page.url(), '/units'), unit);
  assert.equal(await link('录入记录').count(), 0, 'the inspector enters no records');
  await navigate(toolbarButton('问题整改'));
  assert.equal(new URL(page.url()).pathname, `/units/${unit}/rectifications`);
  const before = (await listRows()).length;

  // 登记问题 is folded away until opened.
  const section = page.locator('details', { has: page.locator('summary', { hasText: '登记问题' }) });
  assert.equal(await field('问题').isVisible(), false, 'the form is folded');
  await section.locator('summary').click();
  const sources = (await field('问题来源').locator('option').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(sources, ['上级督查', '巡察反馈', '自查发现']);
  await field('问题来源').selectOption({ label: '上级督查' });
  await field('发现日期').fill('2026-11-20');
  await field('问题').fill(PROBLEM);
  await field('整改期限').fill('2026-12-20');
  const registered = await navigate(section.getByRole('button', { name: '登记', exact: true }));
  assert.equal(registered.status(), 200);
  assert.match(page.url(), /\/rectifications\/\d+$/);
  problemPath = new URL(page.url()).pathname;

  assert.equal(await h.text(page, 'h1'), '上级督查问题');
  const s = await stateLine();
  assert.equal(s.badge, '未到期');
  assert.match(s.line, /^未到期 整改中 · 上级督查问题“.*”正在整改，期限为2026年12月20日$/);
  const d = await detail();
  assert.deepEqual(
    [d['问题'], d['发现日期'], d['整改措施'], d['责任人'], d['整改期限'], d['整改完成日期'], d['销号日期']],
    [PROBLEM, '2026年11月20日', '', '未指定', '2026年12月20日', '', '']);
  // The inspector neither rectifies nor, before a report, closes.
  assert.deepEqual(await controls(), { update: 0, report: 0, close: 0, sendBack: 0 });

  await navigate(link('← 返回整改台账'));
  const rows = await listRows();
  assert.equal(rows.length, before + 1);
  const row = rows.find((r) => r.problem === PROBLEM);
  assert.ok(row, 'the new problem is listed');
  assert.deepEqual([row.deadline, row.source, row.owner, row.state], ['2026年12月20日', '上级督查', '未指定', '未到期 整改中']);
});

test('mz-keyuan saves 整改措施 and 责任人, then applies for 销号 with evidence', async () => {
  await loginAs('mz-keyuan');
  await page.goto(h.url(`/units/${unit}/rectifications`));
  await navigate(link(PROBLEM));
  assert.equal(new URL(page.url()).pathname, problemPath);
  assert.deepEqual(await controls(), { update: 1, report: 1, close: 0, sendBack: 0 });

  // 申请销号 before any measures are written is refused, and changes nothing.
  await field('佐证材料（整改情况、文件、记录）').fill(EVIDENCE);
  const early = await navigate(button('申请销号'));
  assert.equal(early.status(), 422);
  assert.match(await flash('error'), /申请销号须写明整改措施和佐证材料/);
  assert.match((await stateLine()).line, /^未到期 整改中/);

  // 整改落实: measures and the person responsible.
  await field('整改措施').fill(MEASURES);
  const owner = field('责任人');
  await owner.selectOption(await personValue(owner, '刘晓雯'));
  const saved = await navigate(button('保存'));
  assert.equal(saved.status(), 200);
  assert.equal(new URL(page.url()).pathname, problemPath);
  let d = await detail();
  assert.equal(d['整改措施'], MEASURES);
  assert.equal(d['责任人'], '刘晓雯');
  assert.equal(await field('整改措施').inputValue(), MEASURES, 'the form shows the saved measures');
  assert.match(await field('责任人').locator('option:checked').innerText(), /^刘晓雯（/);

  // 申请销号: the date defaults to today; evidence is required.
  assert.equal(await field('整改完成日期').inputValue(), '2026-11-23');
  await field('整改完成日期').fill('2026-11-22');
  await field('佐证材料（整改情况、文件、记录）').fill(EVIDENCE);
  const reported = await navigate(button('申请销号'));
  assert.equal(reported.status(), 200);
  assert.equal(new URL(page.url()).pathname, problemPath);
  const s = await stateLine();
  assert.equal(s.badge, '已完成');
  assert.match(s.line, /^已完成 待上级销号 · .*已于2026年11月22日整改完成，待上级销号$/);
  d = await detail();
  assert.equal(d['整改完成日期'], '2026年11月22日');
  assert.equal(d['佐证材料'], EVIDENCE);
  assert.equal(d['销号日期'], '');
  // The unit cannot close its own problem: no 同意销号, no second report.
  assert.deepEqual(await controls(), { update: 1, report: 0, close: 0, sendBack: 0 });
  assert.equal(await page.getByRole('heading', { name: '上级审核' }).count(), 0);

  // A hand-made 销号 with the staff member's own session is refused.
  const csrf = await page.locator('header form[action="/logout"] input[name=csrf]').inputValue();
  const result = await page.evaluate(async ({ p, csrf }) => {
    const body = new URLSearchParams({ csrf, decision: 'close', opinion: '自己销号' });
    const r = await fetch(`${p}/review`, { method: 'POST', body, redirect: 'manual' });
    return { status: r.status, text: await r.text() };
  }, { p: problemPath, csrf });
  assert.equal(result.status, 403);
  assert.match(result.text, /无权/);
  await page.reload();
  assert.match((await stateLine()).line, /待上级销号/, 'still waiting for the superior');

  await page.goto(h.url(`/units/${unit}/rectifications`));
  const row = await listRow(PROBLEM);
  assert.deepEqual([row.owner, row.state], ['刘晓雯', '已完成 待上级销号']);
});

test('the inspector returns the report only with an opinion, then closes it once reported again', async () => {
  await loginAs('xcb-ducha');
  await openProblem(problemPath, PROBLEM);
  assert.ok(await page.getByRole('heading', { name: '上级审核' }).isVisible());
  assert.deepEqual(await controls(), { update: 0, report: 0, close: 1, sendBack: 1 });

  // 退回重新整改 without an opinion is refused.
  const refused = await navigate(button('退回重新整改'));
  assert.equal(refused.status(), 422);
  assert.match(await flash('error'), /退回须写明意见/);
  assert.match((await stateLine()).line, /待上级销号/, 'nothing changed');

  await field('意见').fill(SEND_BACK);
  const returned = await navigate(button('退回重新整改'));
  assert.equal(returned.status(), 200);
  assert.equal(new URL(page.url()).pathname, problemPath);
  assert.match((await stateLine()).line, /^未到期 整改中 · /);
  let d = await detail();
  assert.equal(d['上级意见'], SEND_BACK);
  assert.equal(d['整改完成日期'], '');
  assert.deepEqual(await controls(), { update: 0, report: 0, close: 0, sendBack: 0 });

  // The unit reads the opinion and reports again.
  await loginAs('mz-keyuan');
  await openProblem(problemPath, PROBLEM);
  assert.equal((await detail())['上级意见'], SEND_BACK);
  assert.deepEqual(await controls(), { update: 1, report: 1, close: 0, sendBack: 0 });
  await field('佐证材料（整改情况、文件、记录）').fill(`${EVIDENCE}；党组会议研究记录`);
  const reported = await navigate(button('申请销号'));
  assert.equal(reported.status(), 200);
  assert.match((await stateLine()).line, /^已完成 待上级销号 · .*已于2026年11月23日整改完成，待上级销号$/);

  // The inspector closes it.
  await loginAs('xcb-ducha');
  await openProblem(problemPath, PROBLEM);
  await field('意见').fill(CLOSE);
  const closed = await navigate(button('同意销号'));
  assert.equal(closed.status(), 200);
  assert.equal(new URL(page.url()).pathname, problemPath);
  assert.match((await stateLine()).line, /^已完成 已销号 · .*已于2026年11月23日整改完成，已销号$/);
  d = await detail();
  assert.equal(d['销号日期'], '2026年11月23日');
  assert.equal(d['上级意见'], CLOSE);
  assert.equal(d['佐证材料'], `${EVIDENCE}；党组会议研究记录`);
  assert.equal(await page.locator('main form').count(), 0, 'a closed problem has no forms');
  assert.deepEqual(await controls(), { update: 0, report: 0, close: 0, sendBack: 0 });

  // Nor for the unit.
  await loginAs('mz-keyuan');
  await openProblem(problemPath, PROBLEM);
  assert.equal(await page.locator('main form').count(), 0, 'no forms for staff either');
  await page.goto(h.url(`/units/${unit}/rectifications`));
  assert.equal((await listRow(PROBLEM)).state, '已完成 已销号');
});

test('mz-keyuan imports a problem list from CSV: a file with bad lines imports nothing', async () => {
  await page.goto(h.url(`/units/${unit}/rectifications`));
  const before = (await listRows()).length;

  // Line 3 has no problem, line 4 an owner who is not in the unit.
  const bad = csvFile('问题清单-有误.csv', [
    `巡察反馈,2026-11-18,${IMPORTED_1},建立台账月度更新制度,李红梅,2026-12-31`,
    '巡察反馈,2026-11-18,,补齐培训记录,李红梅,2026-12-31',
    `自查发现,2026-11-19,${IMPORTED_2},补齐培训记录,查无此人${stamp},2026-12-31`,
  ]);
  let response = await importCsv(bad);
  assert.equal(response.status(), 422);
  assert.equal(await h.text(page, 'h1'), `${GROUP} · 问题整改台账`);
  assert.match(await flash('error'), /^文件有误，未导入任何问题：/);
  let errors = (await page.locator('.flash.error li').allInnerTexts()).map((s) => s.trim());
  // Every error at once, in line order.
  assert.deepEqual(errors, ['第3行：请填写问题描述', `第4行：本单位没有名为“查无此人${stamp}”的人员`]);
  assert.equal((await listRows()).length, before, 'nothing was imported');
  assert.equal((await listRows()).some((r) => r.problem === IMPORTED_1), false, 'not even the good line');

  // With the problem filled in, the unknown owner is named.
  const unknown = csvFile('问题清单-责任人有误.csv', [
    `巡察反馈,2026-11-18,${IMPORTED_1},建立台账月度更新制度,李红梅,2026-12-31`,
    `自查发现,2026-11-19,${IMPORTED_2},补齐培训记录,查无此人${stamp},2026-12-31`,
  ]);
  response = await importCsv(unknown);
  assert.equal(response.status(), 422);
  errors = (await page.locator('.flash.error li').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(errors, [`第3行：本单位没有名为“查无此人${stamp}”的人员`]);
  assert.equal((await listRows()).length, before, 'nothing was imported');

  // A good file: both problems are added.
  const good = csvFile('问题清单.csv', [
    `巡察反馈,2026-11-18,${IMPORTED_1},建立台账月度更新制度,李红梅,2026-12-31`,
    `自查发现,2026-11-19,${IMPORTED_2},,,2026-11-28`,
  ]);
  response = await importCsv(good);
  assert.equal(response.status(), 200);
  assert.equal(await flash('ok'), '已导入2个问题。');
  assert.equal(await page.locator('.flash.error').count(), 0);
  const rows = await listRows();
  assert.equal(rows.length, before + 2);
  const one = await listRow(IMPORTED_1);
  assert.deepEqual([one.deadline, one.source, one.owner, one.state], ['2026年12月31日', '巡察反馈', '李红梅', '未到期 整改中']);
  const two = await listRow(IMPORTED_2);
  assert.deepEqual([two.deadline, two.source, two.owner, two.state], ['2026年11月28日', '自查发现', '未指定', '即将到期 整改中']);
  assert.match(two.text, /须于2026年11月28日前整改到位（还剩5天）$/);

  // The list reloaded from the server shows them too.
  await page.goto(h.url(`/units/${unit}/rectifications`));
  assert.equal((await listRows()).length, before + 2);
  await navigate(link(IMPORTED_1));
  const d = await detail();
  assert.deepEqual([d['问题'], d['发现日期'], d['整改措施'], d['责任人']],
    [IMPORTED_1, '2026年11月18日', '建立台账月度更新制度', '李红梅']);

  await page.goto(h.url(`/units/${unit}/rectifications`));
  const file = await h.screenshot(page, 'rectifications-mz-keyuan');
  console.log(`screenshot: ${file}`);
});

test('another unit\'s secretary is refused the 民政 problems with 无权 (403)', async () => {
  await loginAs('sl-shuji');
  for (const p of [`/units/${unit}/rectifications`, seededPath, problemPath]) {
    const response = await page.goto(h.url(p));
    assert.equal(response.status(), 403, `GET ${p}`);
    assert.match(await h.text(page, 'h1'), /无法完成操作（403）/);
    assert.match(await flash('error'), /无权/);
    assert.equal(await page.locator('table.kv').count(), 0, 'nothing of the problem is shown');
    assert.doesNotMatch(await h.text(page), new RegExp(SEEDED_OVERDUE));
  }
  // The Excel ledger and a hand-made registration are refused as well
  // (with her own session and CSRF token, taken from her own dashboard).
  await page.goto(h.url('/'));
  assert.doesNotMatch(await h.text(page, 'h1'), new RegExp(GROUP));
  const csrf = await page.locator('header form[action="/logout"] input[name=csrf]').inputValue();
  const result = await page.evaluate(async ({ unit, csrf }) => {
    const xlsx = await fetch(`/units/${unit}/rectifications.xlsx`);
    const body = new URLSearchParams({
      csrf, source: 'inspection', found_on: '2026-11-20', problem: '越权登记', owner: '', deadline: '2026-12-20', measures: '',
    });
    const post = await fetch(`/units/${unit}/rectifications`, { method: 'POST', body, redirect: 'manual' });
    return { xlsx: xlsx.status, post: post.status };
  }, { unit, csrf });
  assert.deepEqual(result, { xlsx: 403, post: 403 });
});
