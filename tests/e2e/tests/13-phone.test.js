// 13. Every page on a phone 390 px wide: no sideways scrolling of the page
//     (wide tables scroll inside their own box or turn into cards), inputs
//     at least 16 px (iOS zooms into smaller ones) and buttons at least
//     44 px tall. Pages are found by following links from where each demo
//     account lands, never by hard-coded ids.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const WIDTH = 390;
const HEIGHT = 844;

let browser;
let page;

before(async () => {
  browser = await h.launch();
  page = browser.page;
  await page.setViewportSize({ width: WIDTH, height: HEIGHT });
});
after(async () => { await browser?.close(); });

/** What is wrong with the current page at phone width, as a list of sentences. */
async function phoneProblems() {
  return page.evaluate((width) => {
    const problems = [];
    const sw = document.documentElement.scrollWidth;
    if (sw > width) problems.push(`page is ${sw} px wide`);
    const shown = (el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const name = (el) => `${el.tagName.toLowerCase()}${el.name ? `[name=${el.name}]` : ''}`
      + ` "${(el.innerText || el.value || el.placeholder || '').trim().slice(0, 12)}"`;
    const fields = document.querySelectorAll(
      'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button]), select, textarea');
    for (const el of fields) {
      if (!shown(el)) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 16) problems.push(`${name(el)} font ${size} px`);
    }
    for (const el of document.querySelectorAll('button, .btn, input[type=submit], input[type=button]')) {
      if (!shown(el)) continue;
      const tall = el.getBoundingClientRect().height;
      if (tall < 44) problems.push(`${name(el)} ${Math.round(tall)} px tall`);
    }
    return problems;
  }, WIDTH);
}

const seen = new Map();

/** Opens `address`, screenshots it and collects its problems under `label`. */
async function check(label, address, failures) {
  await page.goto(address);
  const sw = await page.evaluate(() => document.documentElement.scrollWidth);
  seen.set(label, sw);
  await h.screenshot(page, `phone-${label}`);
  const problems = await phoneProblems();
  if (problems.length) failures.push(`${label} (${new URL(address).pathname}): ${problems.join('; ')}`);
}

/** The address of the first link on the page matching `selector`, if any. */
async function firstHref(selector) {
  const link = page.locator(selector).first();
  if (await link.count() === 0) return null;
  return new URL(await link.getAttribute('href'), page.url()).href;
}

/** The address of the dashboard toolbar link named `name`, if shown. */
async function toolbarHref(name) {
  return firstHref(`main .toolbar a:text-is("${name}")`);
}

/** Visits one page, then its first detail link (under `detail`), if any. */
async function checkWithDetail(tag, address, detail, failures) {
  if (!address) return;
  await check(tag, address, failures);
  const d = await firstHref(detail);
  if (d) await check(`${tag}-detail`, d, failures);
}

test('login page fits a phone', async () => {
  const failures = [];
  await check('login', h.url('/login'), failures);
  assert.deepEqual(failures, []);
});

test('the secretary\'s pages fit a phone', async () => {
  await h.login(page, 'mz-shuji');
  const unit = h.idIn(page.url(), '/units');
  const dashboard = h.url(`/units/${unit}?period=2026`);
  const failures = [];
  await check('dashboard', dashboard, failures);
  const duty = await firstHref('main a[href*="/duties/"]');
  if (duty) await check('duty', duty, failures);

  const pages = [
    ['records', '查看记录', 'main table a[href^="/records/"]'],
    ['record-form', '录入记录', null],
    ['duty-list', '任务清单', null],
    ['drafts', '稿件审校', 'main table a[href^="/drafts/"]'],
    ['channels', '宣传阵地', null],
    ['rectifications', '问题整改', 'main table a[href^="/rectifications/"]'],
    ['risks', '风险隐患台账', 'main table a[href^="/risks/"]'],
    ['feedback', '舆情与诉求', 'main table a[href^="/feedback/"]'],
    ['news', '信息报送', 'main table a[href^="/news/"]'],
    ['reminders', '提醒设置', null],
    ['assessment', '年度考核', null],
  ];
  const addresses = [];
  await page.goto(dashboard);
  for (const [tag, name, detail] of pages) {
    const address = await toolbarHref(name);
    assert.ok(address, `the dashboard links to ${name}`);
    addresses.push([tag, address, detail]);
  }
  for (const [tag, address, detail] of addresses) {
    if (detail) await checkWithDetail(tag, address, detail, failures);
    else await check(tag, address, failures);
  }
  // The header's 提醒 link.
  await page.goto(dashboard);
  await check('notifications', await firstHref('#nav-notifications'), failures);
  await check('password', h.url('/account/password'), failures);
  await check('account', h.url('/account'), failures);
  await check('todo', h.url('/todo'), failures);
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('the dashboard lists duties as cards and its status cards filter 全部事项', async () => {
  await h.login(page, 'mz-shuji');
  const unit = h.idIn(page.url(), '/units');
  await page.goto(h.url(`/units/${unit}?period=2026`));
  // On a phone each duty is a card as wide as the screen: the 原因 cell is
  // no longer a column a few characters wide.
  const widths = await h.tableAfter(page, '需要办理的事项').locator('tbody td').evaluateAll(
    (tds) => tds.filter((td) => td.getBoundingClientRect().height > 0).map((td) => td.getBoundingClientRect().width));
  assert.ok(widths.length > 0, 'the open duties are listed');
  assert.ok(Math.min(...widths) > 250, `every cell spans the card: ${widths.join(', ')}`);

  const card = page.locator('.cards a.card', { hasText: '已逾期' });
  const count = Number((await card.locator('b').innerText()).trim());
  await Promise.all([page.waitForLoadState('load'), card.click()]);
  assert.match(page.url(), /status=overdue/);
  assert.equal(await page.locator('.cards a.card[aria-current="true"]').count(), 1, 'the chosen card is marked');
  const heading = await h.text(page, 'h2#all');
  assert.match(heading, /已逾期/);
  const statuses = (await h.rows(h.tableAfter(page, '全部事项'))).map((r) => r[0]);
  assert.equal(statuses.length, count, `the card's count (${count}) matches the rows: ${statuses.join(', ')}`);
  assert.ok(statuses.every((s) => s === '已逾期'), `only overdue duties: ${statuses.join(', ')}`);
  await h.screenshot(page, 'phone-dashboard-overdue');
  assert.deepEqual(await phoneProblems(), []);

  await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: '显示全部事项' }).click()]);
  assert.doesNotMatch(page.url(), /status=/);
  const all = await h.rows(h.tableAfter(page, '全部事项'));
  assert.ok(all.length > count, `all duties are back (${all.length})`);
});

test('the clerk\'s entry pages fit a phone', async () => {
  await h.login(page, 'mz-keyuan');
  const unit = h.idIn(page.url(), '/units');
  const failures = [];
  await page.goto(h.url(`/units/${unit}`));
  await check('clerk-dashboard', page.url(), failures);
  for (const [tag, name] of [['clerk-record-form', '录入记录'], ['clerk-drafts', '稿件审校']]) {
    const address = await toolbarHref(name);
    if (address) await check(tag, address, failures);
  }
  const newDraft = await firstHref('main a[href$="/drafts/new"]');
  if (newDraft) await check('clerk-draft-form', newDraft, failures);
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('the superior\'s inspector\'s roll-up fits a phone', async () => {
  await h.login(page, 'xcb-ducha');
  const failures = [];
  const landing = page.url();
  await check('inspector-landing', landing, failures);
  const rollup = new URL(landing).pathname.startsWith('/rollup/') ? landing : await firstHref('main a[href^="/rollup/"]');
  if (rollup) {
    await check('rollup', rollup, failures);
    const ranking = await firstHref('main a[href$="/assessment"][href^="/rollup/"]');
    if (ranking) await check('rollup-assessment', ranking, failures);
    await page.goto(rollup);
  }
  const unitDashboard = await firstHref('main a[href^="/units/"]');
  if (unitDashboard) {
    await check('inspector-dashboard', unitDashboard, failures);
    const rect = await toolbarHref('问题整改');
    if (rect) await check('inspector-rectifications', rect, failures);
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('the administrator\'s pages fit a phone', async () => {
  await h.login(page, 'admin');
  const failures = [];
  await check('admin-landing', page.url(), failures);
  await check('admin', h.url('/admin'), failures);
  assert.deepEqual(failures, [], failures.join('\n'));
});

test('report the widths', () => {
  const lines = [...seen].map(([label, sw]) => `${label}: ${sw}`);
  // eslint-disable-next-line no-console
  console.log(`scrollWidth at ${WIDTH} px:\n${lines.join('\n')}`);
});
