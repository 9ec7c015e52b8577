// 5. Pre-publication review (三审三校) of 县民政局党组's drafts: the author
//    writes a draft and sees the proofreader's findings; reviewers sign
//    初审一校, 复审二校 and 终审三校 in turn through the draft page; the rules
//    are enforced (nobody holds two stages of a draft, in any version; the
//    author's edit clears the sign-offs); only a fully signed draft is
//    published; another unit is refused and the inspector only reads.
//
//    The seeded draft held at 复审二校 is only read, never changed, so the
//    file can run again on the same server: the drafts it writes carry a
//    stamp of their own.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const GROUP = '县民政局党组';
const WEBSITE = '县民政局门户网站“民政动态”栏目';
const WECHAT = '县民政局微信公众号';
const SEEDED = '县民政局党组理论学习中心组开展专题学习';
const TYPO = '意思形态';
const FIX = '意识形态';
const SAME_PERSON = '同一人不得担任两个审校环节';

const stamp = Date.now().toString(36).slice(-5);
// Draft A: has the typo; used for the refusals and the author's edit.
const TITLE_A = `县民政局召开网络阵地管理工作会议（测试${stamp}）`;
const BODY_A = `11月23日，县民政局召开会议，研究落实${TYPO}工作责任制。\n会议要求，严格执行三审三校制度，确保发布内容准确无误。`;
const BODY_A2 = BODY_A.replace(TYPO, FIX);
// Draft B: goes through all three stages and is published.
const TITLE_B = `县民政局开展养老服务机构安全检查（测试${stamp}）`;
const BODY_B = '11月下旬，县民政局组织对全县养老服务机构开展安全检查。\n检查组逐一查看消防设施、食品安全和安全管理制度落实情况，对发现的问题当场反馈并督促整改。';
const URL_B = `https://mzj.example.gov.cn/mzdt/202611/t20261123_${stamp}.html`;

let browser;
let page;
let unit;       // 县民政局党组's id
let today;      // the date the dashboard calls today, as written there
let seededPath; // /drafts/{id} of the seeded draft
let pathA;
let pathB;

/** Clicks something that loads a new page; resolves with that page's response. */
async function navigate(locator) {
  const [response] = await Promise.all([page.waitForNavigation(), locator.click()]);
  await page.waitForLoadState('load');
  return response;
}

const button = (name) => page.getByRole('button', { name, exact: true });
const link = (name) => page.getByRole('link', { name, exact: true });

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

/** Opens a draft page and checks it is the one expected. */
async function openDraft(path, title) {
  const response = await page.goto(h.url(path));
  assert.equal(response.status(), 200, `GET ${path}`);
  assert.equal(await h.text(page, 'h1'), title);
}

/** The draft's status badge text and its 第N稿. */
async function draftState() {
  const line = await h.text(page, 'main > p:has(.badge)');
  const m = line.match(/第(\d+)稿/);
  assert.ok(m, `the draft line shows its version: ${line}`);
  return { status: await h.text(page, 'main > p .badge'), version: Number(m[1]), line };
}

/** The 三审三校 table as { stage: { reviewers, signed } }. */
async function stages() {
  const rows = await h.rows(h.tableAfter(page, '三审三校'));
  assert.equal(rows.length, 3, `three stages: ${JSON.stringify(rows)}`);
  assert.deepEqual(rows.map((r) => r[0]), ['初审一校', '复审二校', '终审三校']);
  return Object.fromEntries(rows.map((r) => [r[0], { reviewers: r[1], signed: r[2] }]));
}

/** The lines of 审校记录. */
async function history() {
  return (await page.locator('ol.history li').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
}

/** Whether any sign, publish or edit control is on the page. */
async function controls() {
  return {
    sign: await page.locator('form[action$="/sign"]').count(),
    approve: await page.getByRole('button', { name: /^同意（签署/ }).count(),
    reject: await button('退回修改').count(),
    publish: await page.locator('form[action$="/publish"]').count(),
    edit: await link('修改稿件').count(),
  };
}

/** Signs the stage offered on the page ("同意" or "退回修改") with an opinion. */
async function sign(stage, opinion, decision = 'approve') {
  await page.getByLabel(`${stage}意见`, { exact: true }).fill(opinion);
  const name = decision === 'approve' ? `同意（签署${stage}）` : '退回修改';
  return navigate(button(name));
}

const STAGE_CODES = { 初审一校: 'first', 复审二校: 'second', 终审三校: 'final' };

/**
 * Posts a signature the page does not offer, as a hand-made form would,
 * with this session's CSRF token and the draft's current version: the
 * server must refuse it. Resolves with the response, shown in the page.
 */
async function forceSign(stage, opinion) {
  const { version } = await draftState();
  const action = `${new URL(page.url()).pathname}/sign`;
  const fields = { stage: STAGE_CODES[stage], version: String(version), decision: 'approve', opinion };
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.evaluate(({ action, fields }) => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = action;
      const csrf = document.querySelector('input[name=csrf]').value;
      for (const [name, value] of Object.entries({ ...fields, csrf })) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        form.appendChild(input);
      }
      document.body.appendChild(form);
      form.submit();
    }, { action, fields }),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** The rows of the drafts list, as arrays of cell texts. */
async function draftRows() {
  return h.rows(page.locator('main table').first());
}

const flash = (kind) => h.text(page, `.flash.${kind}`);

before(async () => {
  browser = await h.launch();
  page = browser.page;
});
after(async () => { await browser?.close(); });

test('mz-keyuan sees the seeded draft held at 复审二校, with 意思形态 marked', async () => {
  await loginAs('mz-keyuan');
  unit = h.idIn(page.url(), '/units');
  assert.match(await h.text(page, 'h1'), new RegExp(GROUP));
  const t = (await h.text(page)).match(/今天：(\d{4}年\d{1,2}月\d{1,2}日)/);
  assert.ok(t, 'the dashboard shows today');
  today = t[1];

  await navigate(link('稿件审校'));
  assert.equal(new URL(page.url()).pathname, `/units/${unit}/drafts`);
  assert.match(await h.text(page, 'h1'), new RegExp(`${GROUP} · \\d{4}年稿件审校（三审三校）`));
  assert.ok(await link('新建稿件').isVisible(), 'staff may write a draft');
  const rows = await draftRows();
  const seeded = rows.find((r) => r[1] === SEEDED);
  assert.ok(seeded, `the seeded draft is listed:\n${rows.map((r) => r.join(' | ')).join('\n')}`);
  assert.deepEqual(seeded.slice(2), [WECHAT, '刘晓雯', '第1稿', '待复审二校']);
  assert.ok(rows.some((r) => r[2] === WEBSITE && r[5] === '已发布'), 'the seeded published article is listed too');

  await navigate(link(SEEDED));
  assert.match(page.url(), /\/drafts\/\d+$/);
  seededPath = new URL(page.url()).pathname;
  assert.equal(await h.text(page, 'h1'), SEEDED);
  const state = await draftState();
  assert.equal(state.status, '待复审二校');
  assert.equal(state.version, 1);
  assert.match(state.line, new RegExp(`${WECHAT} · 撰稿人 刘晓雯`));
  // The status badge is legible (coloured), and the text keeps its paragraphs.
  const badge = await page.locator('main > p .badge').evaluate((e) => {
    const s = getComputedStyle(e);
    return { color: s.color, background: s.backgroundColor };
  });
  assert.notEqual(badge.background, 'rgba(0, 0, 0, 0)', 'the status badge has a background');
  assert.notEqual(badge.background, badge.color, 'the status badge text stands out');
  assert.equal((await h.text(page, '.draft-body')).split('\n').filter((l) => l.trim()).length, 2, 'two paragraphs');

  // The typo is marked in the text, with the suggestion in its tooltip...
  const mark = page.locator('.draft-body mark.f-error');
  assert.equal(await mark.count(), 1, 'one finding marked in the text');
  assert.match(await mark.innerText(), new RegExp(`^${TYPO}1?$`));
  assert.match(await mark.getAttribute('title'), new RegExp(`${TYPO} → ${FIX}`));
  // ...and listed in the findings table.
  assert.match(await h.text(page, 'h2:has-text("自动校对结果")'), /自动校对结果（1处）/);
  const findings = await h.rows(h.tableAfter(page, '自动校对结果'));
  assert.equal(findings.length, 1);
  const [n, where, level, original, suggestion] = findings[0];
  assert.deepEqual([n, level, original, suggestion], ['1', '错误', TYPO, FIX]);
  assert.match(where, /^第1行第\d+字$/);

  const s = await stages();
  assert.equal(s['初审一校'].reviewers, '陈静、李红梅');
  assert.match(s['初审一校'].signed, /^陈静 \d{4}-\d\d-\d\d \d\d:\d\d，意见：同意$/);
  assert.equal(s['复审二校'].reviewers, '李红梅');
  assert.equal(s['复审二校'].signed, '未签署');
  assert.equal(s['终审三校'].reviewers, '王建国');
  assert.equal(s['终审三校'].signed, '未签署');
  assert.deepEqual((await history()).map((l) => l.replace(/^\S+ \S+ /, '')), ['陈静 签署“初审一校”（第1稿）：同意']);

  // The author is no reviewer: she may edit, not sign; nothing to publish yet.
  assert.deepEqual(await controls(), { sign: 0, approve: 0, reject: 0, publish: 0, edit: 1 });
  const file = await h.screenshot(page, 'draft-findings-mz-keyuan');
  console.log(`screenshot: ${file}`);
});

test('the channel ledger lists both channels with the reviewers of each stage', async () => {
  // From the drafts list; the dashboard's 宣传阵地 button leads to the same page.
  await page.goto(h.url(`/units/${unit}`));
  await navigate(link('宣传阵地'));
  assert.equal(new URL(page.url()).pathname, `/units/${unit}/channels`);
  await navigate(link('稿件审校'));
  await navigate(link('宣传阵地台账'));
  assert.equal(new URL(page.url()).pathname, `/units/${unit}/channels`);
  assert.match(await h.text(page, 'h1'), new RegExp(`${GROUP} · 宣传阵地台账`));
  const table = page.locator('main table').first();
  const headers = (await table.locator('thead th').allInnerTexts()).map((x) => x.trim());
  assert.deepEqual(headers, ['阵地', '类型', '责任人', '最近更新', '最近检查', '初审一校', '复审二校', '终审三校']);
  const rows = await h.rows(table);
  for (const name of [WEBSITE, WECHAT]) {
    const row = rows.find((r) => r[0] === name);
    assert.ok(row, `${name} is listed: ${rows.map((r) => r[0]).join('、')}`);
    assert.deepEqual(row.slice(5), ['陈静、李红梅', '李红梅', '王建国'], `reviewers of ${name}`);
  }
  assert.equal(rows.find((r) => r[0] === WECHAT)[2], '刘晓雯', '谁主办谁负责');
  // Staff may not choose who reviews their own drafts.
  assert.equal(await page.getByText('指定审核人').count(), 0, 'no reviewer form for staff');
});

test('mz-keyuan writes a draft with a typo: it is proofread and waits for 初审一校', async () => {
  await page.goto(h.url(`/units/${unit}/drafts`));
  await navigate(link('新建稿件'));
  assert.equal(new URL(page.url()).pathname, `/units/${unit}/drafts/new`);
  assert.equal(await h.text(page, 'h1'), '新建稿件');
  const channels = await page.getByLabel('发布阵地', { exact: true }).locator('option').allInnerTexts();
  assert.deepEqual(channels.map((c) => c.trim()).sort(), [WEBSITE, WECHAT].sort());

  await page.getByLabel('发布阵地', { exact: true }).selectOption({ label: WECHAT });
  await page.getByLabel('标题', { exact: true }).fill(TITLE_A);
  await page.getByLabel('正文', { exact: true }).fill(BODY_A);
  const response = await navigate(button('保存并提交审校'));
  assert.equal(response.status(), 200);
  assert.match(page.url(), /\/drafts\/\d+$/);
  pathA = new URL(page.url()).pathname;

  assert.equal(await h.text(page, 'h1'), TITLE_A);
  const state = await draftState();
  assert.equal(state.status, '待初审一校');
  assert.equal(state.version, 1);
  assert.match(state.line, new RegExp(`${WECHAT} · 撰稿人 刘晓雯`));
  assert.match(await page.locator('.draft-body mark.f-error').first().innerText(), new RegExp(TYPO));
  const findings = await h.rows(h.tableAfter(page, '自动校对结果'));
  assert.ok(findings.some((r) => r[3] === TYPO && r[4] === FIX && r[2] === '错误'),
    `the typo is in the findings:\n${findings.map((r) => r.join(' | ')).join('\n')}`);
  const s = await stages();
  for (const stage of ['初审一校', '复审二校', '终审三校']) assert.equal(s[stage].signed, '未签署', stage);
  assert.deepEqual(await history(), []);
  assert.match(await h.text(page), /尚无审校记录/);
  assert.deepEqual(await controls(), { sign: 0, approve: 0, reject: 0, publish: 0, edit: 1 });

  // 先审后发: even a hand-made publish request is refused before the stages are signed.
  const csrf = await page.locator('header form[action="/logout"] input[name=csrf]').inputValue();
  const result = await page.evaluate(async ({ path, csrf }) => {
    const body = new URLSearchParams({ csrf, version: '1', url: 'https://mzj.example.gov.cn/too-early.html' });
    const r = await fetch(`${path}/publish`, { method: 'POST', body, redirect: 'manual' });
    return { status: r.status, text: await r.text() };
  }, { path: pathA, csrf });
  assert.equal(result.status, 422);
  assert.match(result.text, /稿件尚未完成“初审一校”，不得发布（先审后发）/);

  // The list shows it, newest first.
  await page.goto(h.url(`/units/${unit}/drafts`));
  const row = (await draftRows()).find((r) => r[1] === TITLE_A);
  assert.ok(row, 'the new draft is listed');
  assert.deepEqual(row.slice(2), [WECHAT, '刘晓雯', '第1稿', '待初审一校']);
});

test('mz-fuju signs 初审一校, then is refused 复审二校 of the same draft', async () => {
  await loginAs('mz-fuju');
  await openDraft(pathA, TITLE_A);
  assert.ok(await page.getByLabel('初审一校意见', { exact: true }).isVisible(), 'she may sign 初审一校');
  assert.equal((await controls()).publish, 0);

  // The proofreader's 错误 must be fixed or left with a reason before signing.
  const unresolved = await sign('初审一校', '同意');
  assert.equal(unresolved.status(), 422);
  assert.match(await flash('error'), new RegExp(`自动校对还有1处错误（如“${TYPO}”）未改正`));
  assert.equal((await draftState()).status, '待初审一校', 'nothing signed');
  const reason = page.locator('fieldset.acknowledge input');
  assert.equal(await reason.count(), 1, 'one reason box per error');
  await reason.fill('引用会议通知原文');
  const signed = await sign('初审一校', '同意');
  assert.equal(signed.status(), 200);
  assert.equal(new URL(page.url()).pathname, pathA);
  assert.equal((await draftState()).status, '待复审二校');
  assert.match((await history()).join('\n'), new RegExp(`保留校对提示“${TYPO}”，理由：引用会议通知原文`));
  let s = await stages();
  assert.match(s['初审一校'].signed, /^李红梅 .*，意见：同意$/);
  assert.match((await history()).join('\n'), /李红梅 签署“初审一校”（第1稿）：同意/);

  // She is listed for 复审二校 too, but held 初审一校: the page offers no
  // form, and a hand-made one is refused by the server.
  assert.equal(await page.getByLabel('复审二校意见', { exact: true }).count(), 0, 'no 复审二校 form is offered');
  const refused = await forceSign('复审二校', '同意发布');
  assert.equal(refused.status(), 422);
  assert.match(await flash('error'), new RegExp(`李红梅已签署本稿件的“初审一校”，${SAME_PERSON}`));
  assert.equal((await draftState()).status, '待复审二校', 'nothing changed');
  s = await stages();
  assert.equal(s['复审二校'].signed, '未签署');
  assert.equal((await history()).length, 1, 'a refused step leaves no trace');
  await h.screenshot(page, 'draft-refused-same-person');
});

test('mz-bgs is offered no 复审二校 form; the author\'s edit clears 初审一校', async () => {
  await loginAs('mz-bgs');
  await openDraft(pathA, TITLE_A);
  assert.equal((await draftState()).status, '待复审二校');
  const c = await controls();
  assert.equal(c.sign, 0, 'no sign form: 陈静 is not a 复审二校 reviewer');
  assert.equal(c.approve, 0);
  assert.equal(await page.getByLabel('复审二校意见', { exact: true }).count(), 0);

  await loginAs('mz-keyuan');
  await openDraft(pathA, TITLE_A);
  await navigate(link('修改稿件'));
  assert.equal(new URL(page.url()).pathname, `${pathA}/edit`);
  assert.equal(await h.text(page, 'h1'), '修改稿件');
  assert.match(await flash('error'), /本稿已有1个环节签署。保存修改后.*签署将失效/);
  assert.equal(await page.getByLabel('标题', { exact: true }).inputValue(), TITLE_A);
  assert.equal(await page.getByLabel('正文', { exact: true }).inputValue(), BODY_A);

  await page.getByLabel('正文', { exact: true }).fill(BODY_A2);
  const saved = await navigate(button('保存修改'));
  assert.equal(saved.status(), 200);
  assert.equal(new URL(page.url()).pathname, pathA);
  assert.match(await flash('error'), /稿件已修改，原有的“初审一校”签署已失效，须重新审校/);
  const state = await draftState();
  assert.equal(state.status, '待初审一校');
  assert.equal(state.version, 2);
  assert.equal(await page.locator('.draft-body mark', { hasText: TYPO }).count(), 0, 'the typo is gone');
  assert.match(await h.text(page, '.draft-body'), new RegExp(FIX));
  const s = await stages();
  assert.equal(s['初审一校'].signed, '未签署');
  const lines = await history();
  assert.equal(lines.length, 2);
  assert.match(lines[1], /刘晓雯 修改为第2稿（稿件已修改，原有的“初审一校”签署已失效，须重新审校）/);

  // The list shows the new version.
  await page.goto(h.url(`/units/${unit}/drafts`));
  const row = (await draftRows()).find((r) => r[1] === TITLE_A);
  assert.deepEqual(row.slice(4), ['第2稿', '待初审一校']);
});

test('a rejection needs an opinion; after 陈静 signs 初审一校 of version 2, 李红梅 is still refused 复审二校', async () => {
  await loginAs('mz-bgs');
  await openDraft(pathA, TITLE_A);
  assert.ok(await page.getByLabel('初审一校意见', { exact: true }).isVisible());

  // 退回修改 without a reason is refused; with one it is recorded.
  const empty = await sign('初审一校', '', 'reject');
  assert.equal(empty.status(), 422);
  assert.match(await flash('error'), /退回稿件须写明意见/);
  const rejected = await sign('初审一校', '请补充会议时间地点', 'reject');
  assert.equal(rejected.status(), 200);
  assert.equal((await draftState()).status, '待初审一校');
  assert.match((await history()).at(-1), /陈静 在“初审一校”退回：请补充会议时间地点/);

  const signed = await sign('初审一校', '同意');
  assert.equal(signed.status(), 200);
  assert.equal((await draftState()).status, '待复审二校');
  assert.match((await history()).at(-1), /陈静 签署“初审一校”（第2稿）：同意/);

  // 李红梅 held 初审一校 of version 1: 复审二校 of this draft stays closed to her.
  await loginAs('mz-fuju');
  await openDraft(pathA, TITLE_A);
  assert.equal(await page.getByLabel('复审二校意见', { exact: true }).count(), 0, 'no 复审二校 form is offered');
  const refused = await forceSign('复审二校', '同意');
  assert.equal(refused.status(), 422);
  assert.match(await flash('error'), new RegExp(`李红梅已签署本稿件的“初审一校”，${SAME_PERSON}`));
  assert.equal((await stages())['复审二校'].signed, '未签署');
});

test('a draft signed by three people in turn is published and listed as 已发布', async () => {
  // The author writes it; nobody may publish yet.
  await loginAs('mz-keyuan');
  await page.goto(h.url(`/units/${unit}/drafts/new`));
  await page.getByLabel('发布阵地', { exact: true }).selectOption({ label: WEBSITE });
  await page.getByLabel('标题', { exact: true }).fill(TITLE_B);
  await page.getByLabel('正文', { exact: true }).fill(BODY_B);
  await navigate(button('保存并提交审校'));
  assert.match(page.url(), /\/drafts\/\d+$/);
  pathB = new URL(page.url()).pathname;
  assert.equal((await draftState()).status, '待初审一校');

  // 初审一校 by the office head, 复审二校 by the leader, 终审三校 by the secretary.
  const steps = [
    ['mz-bgs', '初审一校', '同意', '待复审二校'],
    ['mz-fuju', '复审二校', '同意', '待终审三校'],
    ['mz-shuji', '终审三校', '同意发布', '待发布'],
  ];
  for (const [who, stage, opinion, next] of steps) {
    await loginAs(who);
    await openDraft(pathB, TITLE_B);
    assert.equal((await controls()).publish, 0, `no 登记发布 before ${stage} is signed`);
    const response = await sign(stage, opinion);
    assert.equal(response.status(), 200, `${who} signs ${stage}`);
    assert.equal((await draftState()).status, next, `after ${stage}`);
  }
  // All signed: no stage left to sign; the secretary could publish.
  let c = await controls();
  assert.equal(c.sign, 0);
  assert.equal(c.publish, 1);
  const s = await stages();
  assert.match(s['初审一校'].signed, /^陈静 .*，意见：同意$/);
  assert.match(s['复审二校'].signed, /^李红梅 .*，意见：同意$/);
  assert.match(s['终审三校'].signed, /^王建国 .*，意见：同意发布$/);

  // The author registers the publication with its address.
  await loginAs('mz-keyuan');
  await openDraft(pathB, TITLE_B);
  assert.equal((await draftState()).status, '待发布');
  await page.getByLabel('发布链接', { exact: true }).fill(URL_B);
  const published = await navigate(button('登记发布'));
  assert.equal(published.status(), 200);
  assert.equal(new URL(page.url()).pathname, pathB);
  assert.equal((await draftState()).status, '已发布');
  // The draft's own published banner (above it, the message saying what was just done).
  assert.match(await h.text(page, '.flash.ok:has(a)'), new RegExp(`^已于\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d发布：${URL_B.replace(/\./g, '\\.')}$`));
  assert.equal(await page.locator('.flash.ok a').getAttribute('href'), URL_B);
  const lines = (await history()).map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d /, ''));
  assert.deepEqual(lines, [
    '陈静 签署“初审一校”（第1稿）：同意',
    '李红梅 签署“复审二校”（第1稿）：同意',
    '王建国 签署“终审三校”（第1稿）：同意发布',
    `刘晓雯 发布：${URL_B}`,
  ]);
  // A published draft is closed: no sign, publish or edit.
  c = await controls();
  assert.deepEqual(c, { sign: 0, approve: 0, reject: 0, publish: 0, edit: 0 });
  await h.screenshot(page, 'draft-published');

  await page.goto(h.url(`/units/${unit}/drafts`));
  const row = (await draftRows()).find((r) => r[1] === TITLE_B);
  assert.ok(row, 'the published draft is listed');
  assert.deepEqual(row.slice(2), [WEBSITE, '刘晓雯', '第1稿', '已发布']);

  // Publishing counts as an update of the channel.
  await page.goto(h.url(`/units/${unit}/channels`));
  const channel = (await h.rows(page.locator('main table').first())).find((r) => r[0] === WEBSITE);
  assert.equal(channel[3], today, `${WEBSITE} was updated today`);
});

test('another unit\'s secretary is refused; the inspector reads without any form', async () => {
  await loginAs('sl-shuji');
  for (const path of [seededPath, pathA, `/units/${unit}/drafts`, `/units/${unit}/channels`]) {
    const response = await page.goto(h.url(path));
    assert.equal(response.status(), 403, `GET ${path}`);
    assert.match(await h.text(page, 'h1'), /无法完成操作（403）/);
    assert.match(await flash('error'), /无权/);
    assert.equal(await page.locator('.draft-body').count(), 0, 'nothing of the draft is shown');
  }

  await loginAs('xcb-ducha');
  await page.goto(h.url(`/units/${unit}/drafts`));
  assert.match(await h.text(page, 'h1'), /稿件审校（三审三校）/);
  assert.equal(await link('新建稿件').count(), 0, 'no 新建稿件 for an inspector');
  for (const [path, title] of [[seededPath, SEEDED], [pathA, TITLE_A], [pathB, TITLE_B]]) {
    await openDraft(path, title);
    assert.ok(await page.locator('.draft-body').isVisible());
    assert.deepEqual(await controls(), { sign: 0, approve: 0, reject: 0, publish: 0, edit: 0 }, `read-only ${path}`);
  }
  await page.goto(h.url(`/units/${unit}/drafts/new`));
  assert.match(await h.text(page, 'h1'), /无法完成操作（403）/);
  assert.match(await flash('error'), /无权/);
});
