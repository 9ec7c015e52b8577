// 9. 信息报送 (news submissions) for 县民政局党组: staff see the seeded
//    shortfall (养老服务股, third quarter) on the dashboard with its reason;
//    open the register from the toolbar; record a submission (a refused
//    form keeps what was typed); mark it adopted (录用); see the register's
//    sentence, the statistics and 办公室's quota progress change; download
//    the .xlsx; import a CSV with an error (nothing imported, the line
//    named) and then a good one; another unit's secretary is refused.
//
//    Counts are compared before and after, and what is added carries a
//    stamp, so the file can run again on the same server.

'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const GROUP = '县民政局党组';
const SHORTFALL = '养老服务股2026年第3季度录用信息1篇，少于定额2篇（信息员：黄立新）';
const CSV_HEADER = '标题,科室,作者,刊物,级别,报送日期,录用日期,期号或链接';

const stamp = Date.now().toString(36).slice(-5);
const TITLE = `县民政局开展冬季救助政策宣传（测试${stamp}）`;
const IMPORTED = `县民政局召开冬季救助工作推进会（测试${stamp}）`;

let browser;
let page;
let unit;
let sentence;     // the register's sentence before anything was added
const tmpFiles = [];

async function navigate(locator) {
  const [response] = await Promise.all([page.waitForNavigation(), locator.click()]);
  await page.waitForLoadState('load');
  return response;
}

const button = (name) => page.getByRole('button', { name, exact: true });
const link = (name) => page.getByRole('link', { name, exact: true });
const field = (label) => page.getByLabel(label, { exact: true });
const flash = (kind) => h.text(page, `.flash.${kind}`);

/** "…共报送信息44篇，录用34篇…" → { sent: 44, adopted: 34 }. */
function counts(text) {
  const m = text.match(/共报送信息(\d+)篇，录用(\d+)篇/);
  assert.ok(m, `a sentence with counts: ${text}`);
  return { sent: Number(m[1]), adopted: Number(m[2]) };
}

/** The statistics page's 定额完成情况 row of a department and period. */
async function quotaRow(subject, period) {
  const rows = await h.rows(h.tableAfter(page, '定额完成情况'));
  const row = rows.find((r) => r[0] === subject && r[1] === period);
  assert.ok(row, `${subject} ${period} among:\n${rows.map((r) => r.join(' | ')).join('\n')}`);
  const [, , quota, done, shortfall, status, text] = row;
  return { quota, done: Number(done), shortfall: Number(shortfall), status, text };
}

function csvFile(name, lines) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'taizhang-e2e-news-')), name);
  fs.writeFileSync(file, [CSV_HEADER, ...lines].join('\n') + '\n', 'utf8');
  tmpFiles.push(path.dirname(file));
  return file;
}

async function importCsv(file) {
  const section = page.locator('details', { has: page.locator('summary', { hasText: '从 Excel 或 CSV 导入信息' }) });
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

test('mz-keyuan sees the shortfall on the dashboard and opens the register', async () => {
  await h.login(page, 'mz-keyuan');
  await page.waitForURL((u) => u.pathname !== '/login');
  unit = h.idIn(page.url(), '/units');
  assert.match(await h.text(page), /今天：2026年11月23日/);
  const open = await h.rows(h.tableAfter(page, '需要办理的事项'));
  const row = open.find((r) => r[3].includes(SHORTFALL));
  assert.ok(row, `the shortfall is among 需要办理的事项:\n${open.map((r) => r.join(' | ')).join('\n')}`);
  assert.equal(row[0], '已逾期');
  assert.match(row[1], /^信息报送/);
  assert.match(row[4], /分管领导（办公室）：李红梅/, 'the leader in charge of 办公室 must act');

  await navigate(page.locator('main .toolbar').getByRole('link', { name: '信息报送', exact: true }));
  assert.equal(new URL(page.url()).pathname, `/units/${unit}/news`);
  assert.equal(await h.text(page, 'h1'), `${GROUP} · 信息报送台账`);
  sentence = await h.text(page, 'p.summary');
  assert.match(sentence, /^2026年1—11月共报送信息\d+篇，录用\d+篇，其中国家级\d+篇、省级\d+篇、市级\d+篇、县级\d+篇。$/);
  const headers = (await page.locator('main table thead th').allInnerTexts()).map((x) => x.trim());
  assert.deepEqual(headers, ['报送日期', '科室', '信息标题', '作者', '报送刊物（媒体/平台）', '级别', '录用']);
});

test('she records a submission (a refused form keeps what was typed) and marks it adopted', async () => {
  await page.goto(h.url(`/units/${unit}/news/stats?period=2026`));
  const office = await quotaRow('办公室', '2026年第4季度');
  assert.equal(office.quota, '每季度录用信息不少于3篇');

  await page.goto(h.url(`/units/${unit}/news`));
  await navigate(link('登记信息'));
  assert.equal(await h.text(page, 'h1'), '登记报送信息');
  assert.equal(await field('报送日期').inputValue(), '2026-11-23', 'today by default');
  await field('报送科室').selectOption({ label: '办公室' });
  await field('信息标题').fill(TITLE);
  await field('作者').fill('刘晓雯');
  await field('报送刊物（媒体/平台）').fill('市委办《信息快报》');
  await field('级别').selectOption({ label: '市级' });
  await field('录用日期（未录用留空）').fill('2026-11-01');
  const refused = await navigate(button('保存'));
  assert.equal(refused.status(), 422);
  assert.match(await flash('error'), /录用日期不能早于报送日期/);
  assert.equal(await field('信息标题').inputValue(), TITLE, 'the title is kept');
  assert.equal(await field('作者').inputValue(), '刘晓雯');
  assert.equal(await field('报送刊物（媒体/平台）').inputValue(), '市委办《信息快报》');
  assert.match(await field('级别').locator('option:checked').innerText(), /市级/);

  await field('录用日期（未录用留空）').fill('');
  const saved = await navigate(button('保存'));
  assert.equal(saved.status(), 200);
  assert.match(page.url(), /\/news\/\d+$/);
  assert.equal(await flash('ok'), '已保存。');
  assert.equal(await h.text(page, 'h1'), TITLE);
  assert.match(await h.text(page, 'table.kv'), /录用情况\s+未录用/);

  // 登记录用: the date defaults to today.
  assert.equal(await field('录用日期').inputValue(), '2026-11-23');
  await field('期号或链接').fill('2026年第48期');
  const adopted = await navigate(button('登记录用'));
  assert.equal(adopted.status(), 200);
  const kv = await h.text(page, 'table.kv');
  assert.match(kv, /录用情况\s+已录用 2026年11月23日/);
  assert.match(kv, /期号或链接\s+2026年第48期/);
  assert.match(kv, /版本\s+第2版/);
  assert.equal(await button('登记录用').count(), 0, 'an adopted item offers no second adoption');

  // The register counts it, sent and adopted.
  await navigate(link('← 返回信息报送台账'));
  const now = counts(await h.text(page, 'p.summary'));
  const then = counts(sentence);
  assert.deepEqual(now, { sent: then.sent + 1, adopted: then.adopted + 1 });
  const rows = await h.rows(page.locator('main table.news'));
  const row = rows.find((r) => r[2] === TITLE);
  assert.ok(row, 'the new item is listed');
  assert.deepEqual([row[0], row[1], row[3], row[5], row[6]], ['2026年11月23日', '办公室', '刘晓雯', '市级', '已录用 2026年11月23日']);

  // The statistics and 办公室's quarter: one more adoption.
  await navigate(link('统计与定额完成情况'));
  assert.equal(await h.text(page, 'h1'), `${GROUP} · 信息报送统计`);
  assert.equal(counts(await h.text(page, 'p.summary')).adopted, then.adopted + 1);
  const progressed = await quotaRow('办公室', '2026年第4季度');
  assert.equal(progressed.done, office.done + 1);
  assert.equal(progressed.shortfall, Math.max(0, 3 - progressed.done));
  if (progressed.done >= 3) assert.equal(progressed.status, '已完成');
  // The seeded shortfall, a past quarter, stays.
  const short = await quotaRow('养老服务股', '2026年第3季度');
  assert.deepEqual([short.done, short.shortfall, short.status], [1, 1, '已逾期']);
  const file = await h.screenshot(page, 'news-stats-mz-keyuan');
  console.log(`screenshot: ${file}`);

  // The dashboard still shows it, with its reason.
  await page.goto(h.url(`/units/${unit}?period=2026`));
  const open = await h.rows(h.tableAfter(page, '需要办理的事项'));
  assert.ok(open.some((r) => r[0] === '已逾期' && r[3].includes(SHORTFALL)), 'the shortfall is still overdue');
});

test('she downloads the register as .xlsx', async () => {
  await page.goto(h.url(`/units/${unit}/news?period=2026`));
  const excel = link('信息报送台账（Excel）');
  assert.equal(await excel.getAttribute('href'), `/units/${unit}/news.xlsx?period=2026`);
  const [download] = await Promise.all([page.waitForEvent('download'), excel.click()]);
  assert.equal(download.suggestedFilename(), `${GROUP}2026年1—11月信息报送台账.xlsx`);
  const saved = await download.path();
  assert.equal(fs.readFileSync(saved).subarray(0, 2).toString('latin1'), 'PK', 'an xlsx (zip) file');
});

test('a CSV with a bad line imports nothing and names the line; a good one imports', async () => {
  await page.goto(h.url(`/units/${unit}/news`));
  const before = counts(await h.text(page, 'p.summary'));
  const good = `${IMPORTED},办公室,刘晓雯、陈静,县委办《每日要情》,县级,2026-11-20,2026-11-21,第230期`;
  const bad = csvFile('信息-有误.csv', [good, `社会救助政策宣传进社区（测试${stamp}）,财务股,刘晓雯,县融媒体中心,县级,2026-11-18,,`]);
  let response = await importCsv(bad);
  assert.equal(response.status(), 422);
  assert.match(await flash('error'), /^文件有误，未导入任何信息：/);
  const errors = (await page.locator('.flash.error li').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(errors, ['第3行：本单位没有名为“财务股”的科室']);
  assert.deepEqual(counts(await h.text(page, 'p.summary')), before, 'nothing was imported');

  response = await importCsv(csvFile('信息.csv', [good]));
  assert.equal(response.status(), 200);
  assert.equal(await flash('ok'), '已导入1条信息。');
  assert.deepEqual(counts(await h.text(page, 'p.summary')), { sent: before.sent + 1, adopted: before.adopted + 1 });
  const rows = await h.rows(page.locator('main table.news'));
  const row = rows.find((r) => r[2] === IMPORTED);
  assert.ok(row, 'the imported item is listed');
  assert.equal(row[3], '刘晓雯、陈静');
  const file = await h.screenshot(page, 'news-register-mz-keyuan');
  console.log(`screenshot: ${file}`);
});

test('another unit\'s secretary is refused the 民政 register (403)', async () => {
  await page.locator('header form[action="/logout"] button').click();
  await page.waitForURL((u) => u.pathname === '/login');
  await h.login(page, 'sl-shuji');
  await page.waitForURL((u) => u.pathname !== '/login');
  for (const p of [`/units/${unit}/news`, `/units/${unit}/news/stats`]) {
    const response = await page.goto(h.url(p));
    assert.equal(response.status(), 403, `GET ${p}`);
    assert.match(await flash('error'), /无权/);
    assert.doesNotMatch(await h.text(page), /信息报送台账/);
  }
  const xlsx = await page.evaluate(async (u) => (await fetch(u)).status, `/units/${unit}/news.xlsx`);
  assert.equal(xlsx, 403);
});
