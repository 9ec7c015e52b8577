// 10. 年度考核 (annual assessment): the 县民政局党组 secretary reads the 2026
//     scorecard, where every lost point has the engine's reason; the
//     县残联党组 secretary finds the returned 2025 assessment on the
//     dashboard, adds an adjustment with a reason and evidence, and submits;
//     the superior's 副部长 enters a review score and finalises (审定); the
//     ranking shows the unit by its 审定得分, and the ranking and the
//     scorecard download as .xlsx; the inspector reads without forms.
//
//     The file changes the seeded 2025 assessment of 县残联党组, so it runs
//     once per demo database (run.sh starts a fresh one).

'use strict';

const fs = require('node:fs');
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const MZ = '县民政局党组';
const CL = '县残联党组';
const ITEM = '中心组意识形态专题学习';
const REASON = '1—11月意识形态专题学习在系统启用前开展，记录在纸质学习记录本中';
const EVIDENCE = '《县残联党组2025年理论学习中心组学习记录本》第3—17页';
const REVIEW_OPINION = '专题学习记录齐全';

let browser;
let page;
let cl; // 县残联党组's id
let root; // 县委宣传部's id

async function navigate(locator) {
  const [response] = await Promise.all([page.waitForNavigation(), locator.click()]);
  await page.waitForLoadState('load');
  return response;
}

const button = (name) => page.getByRole('button', { name, exact: true });
const link = (name) => page.getByRole('link', { name, exact: true });
const field = (label) => page.getByLabel(label, { exact: true });

async function loginAs(username) {
  const logout = button('退出');
  if (await logout.count()) await navigate(logout);
  await h.login(page, username);
  await page.waitForURL((u) => u.pathname !== '/login');
}

/** The scorecard rows as { title, points, auto, deductions, adjustment, self, review }. */
async function scorecard() {
  const table = page.locator('main table.scorecard');
  const headers = (await table.locator('thead th').allInnerTexts()).map((x) => x.trim());
  assert.deepEqual(headers, ['序号', '考核事项', '分值', '自动得分', '扣分说明', '自评调整', '自评得分', '审核得分']);
  return (await h.rows(table)).map(([, title, points, auto, deductions, adjustment, self, review]) =>
    ({ title, points, auto, deductions, adjustment, self, review }));
}

async function line(title) {
  const rows = await scorecard();
  const row = rows.find((r) => r.title.startsWith(title));
  assert.ok(row, `${title} is on the scorecard: ${rows.map((r) => r.title).join('、')}`);
  return row;
}

async function total(name) {
  return Number(await h.text(page, `.assessment-totals b.${name}`));
}

before(async () => {
  browser = await h.launch();
  page = browser.page;
});
after(async () => browser?.close());

test('the 2026 scorecard explains every lost point with the engine\'s reason', async () => {
  await loginAs('mz-shuji');
  const mz = h.idIn(page.url(), '/units');
  const summary = await h.text(page, '.assessment-summary');
  const head = summary.match(/^2026年度自动得分 [\d.]+ 分（满分(\d+)分，折合百分制[\d.]+分），已扣[\d.]+分。/);
  assert.ok(head, `dashboard summary: ${summary}`);
  await navigate(page.locator('main .toolbar').getByRole('link', { name: '年度考核', exact: true }));
  assert.equal(new URL(page.url()).pathname, `/units/${mz}/assessment`);
  assert.equal(await h.text(page, 'h1'), `${MZ} · 2026年度意识形态工作责任制考核`);
  assert.match(await h.text(page, 'p.assessment-state'), /未提交/);

  const report = await line('意识形态工作专题报告');
  assert.equal(report.auto, '7.5', 'a report done late keeps its deduction');
  assert.match(report.deductions, /逾期完成 扣2\.5分：2026年上半年意识形态工作专题报告逾期12天报送/);
  const committee = await line('支部委员会会议');
  assert.match(committee.deductions, /2026年4月未召开/);
  assert.match(committee.deductions, /2026年8月未召开/);
  const rows = await scorecard();
  for (const r of rows) {
    const lost = Number(r.points) - Number(r.auto);
    if (lost > 0) assert.match(r.deductions, /扣[\d.]+分：/, `${r.title} says why it lost ${lost}`);
  }
  const fullMarks = rows.reduce((s, r) => s + Number(r.points), 0);
  assert.equal(Number(head[1]), fullMarks, 'the dashboard states the full marks of the scorecard');
  const sum = rows.reduce((s, r) => s + Number(r.auto), 0);
  assert.ok(Math.abs(sum - await total('auto-total')) < 0.005, 'the items add up to the total');
  await h.screenshot(page, 'assessment-mz-2026');
});

test('县残联党组 sees its returned 2025 assessment, adjusts with a reason and submits', async () => {
  await loginAs('cl-shuji');
  cl = h.idIn(page.url(), '/units');
  const gaps = await h.rows(page.locator('main table.assessment-gaps'));
  const returned = gaps.find((r) => r[1] === '2025年度考核自评');
  assert.ok(returned, `the returned assessment is a gap: ${JSON.stringify(gaps)}`);
  assert.equal(returned[0], '已逾期');
  assert.match(returned[2], /已被上级退回（意见：自评调整的佐证材料只写了“纸质台账”/);
  assert.equal(returned[3], '第一责任人：张慧敏');
  await navigate(page.locator('main table.assessment-gaps').getByRole('link', { name: '2025年度考核自评' }));
  assert.equal(await h.text(page, 'h1'), `${CL} · 2025年度意识形态工作责任制考核`);
  assert.match(await h.text(page, 'p.assessment-state'), /已退回.*上级意见：自评调整的佐证材料/);

  const before = await line(ITEM);
  const points = Number(before.points);
  const auto = Number(before.auto);
  // Without evidence the server refuses and keeps what was typed.
  const options = await field('考核事项').locator('option')
    .evaluateAll((os) => os.map((o) => ({ value: o.value, text: o.textContent })));
  const option = options.find((o) => o.text.startsWith(`${ITEM}（`));
  assert.ok(option, `${ITEM} can be adjusted: ${options.map((o) => o.text).join('、')}`);
  await field('考核事项').selectOption(option.value);
  await field('调整分值').fill(String(points - auto));
  await field('调整理由').fill(REASON);
  await field('佐证材料').evaluate((e) => { e.required = false; e.value = ' '; });
  const refused = await navigate(button('保存调整'));
  assert.equal(refused.status(), 422);
  assert.match(await h.text(page, '.flash.error'), /自评调整须写明佐证材料/);
  assert.equal(await field('调整理由').inputValue(), REASON);

  await field('佐证材料').fill(EVIDENCE);
  await navigate(button('保存调整'));
  const adjusted = await line(ITEM);
  assert.match(adjusted.adjustment, new RegExp(`理由：${REASON}`));
  assert.match(adjusted.adjustment, new RegExp(`佐证：${EVIDENCE.replace(/[()（）]/g, '.')}`));
  assert.equal(Number(adjusted.self), points);

  await navigate(button('提交自评'));
  assert.match(await h.text(page, 'p.assessment-state'), /已提交 已于2026年11月23日提交/);
  assert.equal(await button('保存调整').count(), 0, 'no more adjustments once submitted');
});

test('the superior reviews a score, finalises, and the ranking shows it', async () => {
  await loginAs('xcb-kaohe');
  root = h.idIn(page.url(), '/rollup');
  await navigate(link('年度考核排名'));
  await page.goto(h.url(`/rollup/${root}/assessment?year=2025`));
  const ranking = async () => (await h.rows(page.locator('main table.ranking')))
    .map(([rank, unit, state, , auto, self, final, score, basis]) => ({ rank, unit, state, auto, self, final, score, basis }));
  const waiting = (await ranking()).find((r) => r.unit === CL);
  assert.equal(waiting.state, '已提交');
  assert.equal(waiting.basis, '自动得分（未审定）');

  await navigate(link(CL));
  assert.equal(new URL(page.url()).pathname, `/units/${cl}/assessment`);
  const row = page.locator('main table.scorecard tbody tr', { hasText: ITEM });
  const points = Number((await line(ITEM)).points);
  await row.getByLabel(`${ITEM}审核得分`).fill(String(points - 0.5));
  await row.getByLabel(`${ITEM}审核意见`).fill(REVIEW_OPINION);
  await field('审核意见').fill('同意');
  await navigate(button('审定'));
  assert.match(await h.text(page, 'p.assessment-state'), /已审定/);
  const reviewed = await line(ITEM);
  assert.match(reviewed.review, new RegExp(`^${points - 0.5} ${REVIEW_OPINION}$`));
  const finalTotal = await total('review-total');
  assert.ok(finalTotal > 0);

  await navigate(link('各单位考核排名'));
  const rows = await ranking();
  const done = rows.find((r) => r.unit === CL);
  assert.equal(done.state, '已审定');
  assert.equal(done.basis, '审定得分');
  assert.equal(Number(done.final), finalTotal);
  assert.deepEqual(rows.map((r) => r.unit).sort(), [MZ, CL, '县水利局党委'].sort());
  const scores = rows.map((r) => Number(r.score));
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'ranked by score');
  await h.screenshot(page, 'assessment-ranking-2025');

  const [download] = await Promise.all([page.waitForEvent('download'), link('考核排名（Excel）').click()]);
  assert.equal(download.suggestedFilename(), '县委宣传部2025年度考核排名.xlsx');
  assert.equal(fs.readFileSync(await download.path()).subarray(0, 2).toString('latin1'), 'PK');
  await navigate(link(CL));
  const [card] = await Promise.all([page.waitForEvent('download'), link('考核评分表（Excel）').click()]);
  assert.equal(card.suggestedFilename(), `${CL}2025年度考核评分表.xlsx`);
  assert.equal(fs.readFileSync(await card.path()).subarray(0, 2).toString('latin1'), 'PK');
});

test('the inspector reads the scorecards and the ranking without any form', async () => {
  await loginAs('xcb-ducha');
  await page.goto(h.url(`/rollup/${root}/assessment?year=2025`));
  assert.ok((await h.rows(page.locator('main table.ranking'))).length === 3);
  assert.equal(await page.locator('details summary', { hasText: '从 CSV 导入审核得分' }).count(), 0);
  await navigate(link(MZ));
  assert.match(await h.text(page, 'p.assessment-state'), /已审定/);
  for (const name of ['保存调整', '提交自评', '审定', '退回修改']) {
    assert.equal(await button(name).count(), 0, `no ${name} for the inspector`);
  }
});
