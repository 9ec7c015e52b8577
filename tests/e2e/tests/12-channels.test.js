// 12. The channel ledger's event channels and quarterly checks, as 县民政局
//     办公室主任 陈静 (mz-bgs, who runs the 民政大讲堂): she reads where each
//     event's 审核报备 stands, files an event ahead of time through the
//     ledger's link, and registers this quarter's check of the WeChat
//     account. The demo's "today" is 2026年11月23日.
//
//     The event and the check are added, never changed, and the event's
//     topic carries a stamp, so the file can run again on the same server.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const FORUM = '县民政局“民政大讲堂”';
const WECHAT = '县民政局微信公众号';
const stamp = Date.now().toString(36).slice(-5);
const TOPIC = `全县民政系统法治宣传讲座（测试${stamp}）`;

let browser;
let page;
let unit;

async function navigate(locator) {
  const [response] = await Promise.all([page.waitForNavigation(), locator.click()]);
  await page.waitForLoadState('load');
  return response;
}

/** The rows of the event table under an event channel's heading. */
async function events(channel) {
  const section = page.locator('section.event-channel', { has: page.getByRole('heading', { name: channel }) });
  return h.rows(section.locator('table.events'));
}

/** The publishing-channel row of `name`. */
async function channelRow(name) {
  const rows = await h.rows(page.locator('main table.channels'));
  const row = rows.find((r) => r[0] === name);
  assert.ok(row, `${name} is listed: ${rows.map((r) => r[0]).join('、')}`);
  return row;
}

before(async () => {
  browser = await h.launch();
  page = browser.page;
  await h.login(page, 'mz-bgs');
  await page.waitForURL((u) => u.pathname !== '/login');
  unit = h.idIn(page.url(), '/units');
});
after(async () => browser?.close());

test('the ledger shows each event with where its 审核报备 stands', async () => {
  await navigate(page.getByRole('link', { name: '宣传阵地', exact: true }));
  assert.equal(new URL(page.url()).pathname, `/units/${unit}/channels`);
  const rows = await events(FORUM);
  const state = (topic) => {
    const row = rows.find((r) => r[1] === topic);
    assert.ok(row, `${topic} is listed: ${rows.map((r) => r[1]).join('、')}`);
    return row[5];
  };
  assert.equal(state('殡葬改革与移风易俗专题讲座'), '举办后3天才审核报备');
  assert.equal(state('社会救助政策解读报告会'), '已事先审核报备');
  assert.equal(state('学习贯彻党的二十届四中全会精神宣讲报告会'), '待审核报备（距活动4天）');
  // An event channel has no update column: it is not a publishing account.
  const published = (await h.rows(page.locator('main table.channels'))).map((r) => r[0]);
  assert.ok(!published.includes(FORUM), `the forum is not among publishing channels: ${published.join('、')}`);
  await h.screenshot(page, 'channels-events');
});

test('陈静 files a coming event before it is held', async () => {
  await page.goto(h.url(`/units/${unit}/channels`));
  const section = page.locator('section.event-channel', { has: page.getByRole('heading', { name: FORUM }) });
  await navigate(section.getByRole('link', { name: '登记活动报备', exact: true }));
  assert.equal(await h.text(page, 'h1'), '录入：活动审核报备');
  const offered = await page.locator('#channel_id option').allInnerTexts();
  assert.deepEqual(offered.map((o) => o.trim()), [FORUM], 'only event channels are offered');
  await page.locator('#occurred_on').fill('2026-12-10');
  await page.locator('#topic').fill(TOPIC);
  await page.locator('#speaker').fill('县司法局 普法科 韩卫东');
  await page.locator('#reviewer').fill('王建国');
  await page.locator('#reviewed_on').fill('2026-11-23');
  await page.locator('#filed_to').fill('县委宣传部');
  await page.locator('#filed_on').fill('2026-11-23');
  await navigate(page.getByRole('button', { name: '保存', exact: true }));
  assert.match(new URL(page.url()).pathname, /^\/records\/\d+$/);

  await page.goto(h.url(`/units/${unit}/channels`));
  const row = (await events(FORUM)).find((r) => r[1] === TOPIC);
  assert.ok(row, 'the new event is listed');
  assert.equal(row[0], '2026年12月10日');
  assert.equal(row[5], '已事先审核报备');
});

test('an event filed without its speaker is refused and keeps what was typed', async () => {
  await page.goto(h.url(`/units/${unit}/records/new?kind=event_filing`));
  await page.locator('#topic').fill(`${TOPIC}（缺主讲人）`);
  await page.locator('#speaker').fill('');
  await page.locator('#speaker').evaluate((el) => el.removeAttribute('required'));
  const response = await navigate(page.getByRole('button', { name: '保存', exact: true }));
  assert.equal(response.status(), 422);
  assert.match(await h.text(page, '.flash.error'), /请填写主讲人/);
  assert.equal(await page.locator('#topic').inputValue(), `${TOPIC}（缺主讲人）`);
});

test('陈静 registers this quarter\'s check of the WeChat account', async () => {
  await page.goto(h.url(`/units/${unit}/channels`));
  assert.match((await channelRow(WECHAT))[4], /2026年第4季度尚未检查/);
  const row = page.locator('main table.channels tr', { hasText: WECHAT });
  await navigate(row.getByRole('link', { name: '登记检查', exact: true }));
  assert.equal(await h.text(page, 'h1'), '录入：宣传阵地检查');
  assert.equal((await page.locator('#channel_id option:checked').innerText()).trim(), WECHAT);
  await page.locator('#checker').fill('陈静');
  await page.locator('#result').fill('10月30日后未更新，已督促恢复更新；稿件均经三审三校');
  await page.locator('#problems').fill('更新不及时');
  await navigate(page.getByRole('button', { name: '保存', exact: true }));
  assert.match(new URL(page.url()).pathname, /^\/records\/\d+$/);

  await page.goto(h.url(`/units/${unit}/channels`));
  const check = (await channelRow(WECHAT))[4];
  assert.match(check, /^2026年11月23日/);
  assert.doesNotMatch(check, /尚未检查/);
});

test('another unit\'s secretary is refused the ledger', async () => {
  const other = await h.launch();
  try {
    await h.login(other.page, 'sl-shuji');
    await other.page.waitForURL((u) => u.pathname !== '/login');
    const response = await other.page.goto(h.url(`/units/${unit}/channels`));
    assert.equal(response.status(), 403);
  } finally {
    await other.close();
  }
});
