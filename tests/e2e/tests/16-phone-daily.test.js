// 16. A working day on a phone 390 px wide, opened as from a 企业微信/钉钉
//     reminder: the phone lands on 我的待办 and each item opens; a clerk
//     enters a record through the form; a reviewer finds the new draft in
//     我的待办 and signs 初审一校. Every page fits the screen.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

const WIDTH = 390;
const PHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 '
  + '(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1 wxwork/4.1';
const stamp = Date.now().toString(36).slice(-5);
const TOPIC = `手机录入支委会（测试${stamp}）`;
const TITLE = `手机审校稿件（测试${stamp}）`;

let browser;
let page;
let group; // the Party group's id, from the secretary's 我的待办

before(async () => {
  browser = await h.launch();
  page = browser.page;
  await page.setViewportSize({ width: WIDTH, height: 844 });
  // A phone's user agent, for every request of the page (as Chromium's
  // device emulation does it).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.setUserAgentOverride', { userAgent: PHONE_UA });
});
after(async () => { await browser?.close(); });

/** How wide the page is: wider than the screen means sideways scrolling. */
async function pageWidth() {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

async function fitsPhone(what) {
  assert.ok(await pageWidth() <= WIDTH, `${what} fits ${WIDTH} px (${await pageWidth()} px)`);
}

async function loginAs(username) {
  await page.context().clearCookies();
  await h.login(page, username);
}

async function submit(name) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name }).click()]);
  await page.waitForLoadState('load');
}

/** The items of 我的待办 as { text, href }. */
async function todoItems() {
  return page.locator('ul.todo li a').evaluateAll((links) =>
    links.map((a) => ({ text: a.closest('li').innerText.trim(), href: a.getAttribute('href') })));
}

test('the phone lands on 我的待办 and every item opens for the secretary', async () => {
  await loginAs('mz-shuji');
  assert.equal(new URL(page.url()).pathname, '/todo');
  assert.match(await h.text(page, 'h1'), /我的待办/);
  await fitsPhone('我的待办');
  const items = await todoItems();
  assert.ok(items.length > 0, 'the secretary has open items in the demo');
  group = items.map((i) => (i.href.match(/^\/units\/(\d+)/) || [])[1]).find(Boolean);
  for (const item of items.slice(0, 8)) {
    const response = await page.goto(h.url(item.href));
    assert.equal(response.status(), 200, `${item.href} (${item.text})`);
    await fitsPhone(item.href);
  }
});

test('a clerk enters a 支委会 record on the phone and sees it saved', async () => {
  await loginAs('mz-keyuan');
  // The demo's today, as the dashboard says it ("今天：2026年11月23日").
  await page.goto(h.url(`/units/${group}`));
  const m = (await h.text(page)).match(/今天：(\d{4})年(\d{1,2})月(\d{1,2})日/);
  assert.ok(m, 'the dashboard shows today');
  const today = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  await page.goto(h.url(`/units/${group}/records/new?kind=branch_meeting`));
  const form = page.locator('form.record');
  await fitsPhone('the record form');
  const size = await form.locator('[name=topic]').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(size >= 16, `inputs are at least 16 px so iOS does not zoom (${size})`);
  await form.locator('[name=unit_id]').selectOption({ label: '县民政局机关第一党支部' });
  await form.locator('[name=occurred_on]').fill(today);
  await form.locator('[name=meeting_type]').selectOption({ label: '支委会' });
  await form.locator('[name=topic]').fill(TOPIC);
  await form.locator('[name=host]').fill('郑国华');
  await form.locator('[name=due]').fill('7');
  await form.locator('[name=present]').fill('7');
  await form.locator('[name=minutes]').fill('会议研究了党员教育管理工作。');
  await submit('保存');
  assert.match(page.url(), /\/records\/\d+$/);
  assert.match(await h.text(page, '.flash.ok'), /已保存/);
  assert.match(await h.text(page, 'h1'), new RegExp(TOPIC.replace(/[()（）]/g, '.')));
  await fitsPhone('the saved record');
});

test('a reviewer finds the new draft in 我的待办 and signs 初审一校 on the phone', async () => {
  // The clerk writes a clean draft from the phone.
  assert.ok(group, 'the Party group was found from 我的待办');
  await page.goto(h.url(`/units/${group}/drafts/new`));
  await fitsPhone('the new draft form');
  await page.locator('#channel_id').selectOption({ label: '县民政局微信公众号' });
  await page.locator('#title').fill(TITLE);
  await page.locator('#body').fill('县民政局党组召开专题会议，传达学习上级有关会议精神，研究部署近期重点工作。');
  await submit('保存并提交审校');
  const draftPath = new URL(page.url()).pathname;
  assert.match(draftPath, /^\/drafts\/\d+$/);

  // The leader of the first stage sees it waiting for her and signs it.
  await loginAs('mz-fuju');
  assert.equal(new URL(page.url()).pathname, '/todo');
  const item = (await todoItems()).find((i) => i.text.includes(TITLE));
  assert.ok(item, `the draft waits in 我的待办: ${JSON.stringify(await todoItems())}`);
  assert.equal(item.href, draftPath);
  await Promise.all([page.waitForLoadState('load'), page.locator(`ul.todo a[href="${draftPath}"]`).first().click()]);
  assert.equal(await h.text(page, 'h1'), TITLE);
  await fitsPhone('the draft review');
  await page.getByLabel('初审一校意见', { exact: true }).fill('同意');
  const button = page.getByRole('button', { name: '同意（签署初审一校）' });
  const height = await button.evaluate((el) => el.getBoundingClientRect().height);
  assert.ok(height >= 44, `the sign button is a touch target (${height} px)`);
  await submit('同意（签署初审一校）');
  assert.equal(new URL(page.url()).pathname, draftPath);
  assert.match(await h.text(page, '.flash.ok'), /已签署/);
  assert.match(await h.text(page, 'main > p .badge'), /待复审二校/);
  await fitsPhone('the signed draft');
  await h.screenshot(page, 'phone-draft-signed');

  // It has left her list.
  await page.goto(h.url('/todo'));
  assert.ok(!(await todoItems()).some((i) => i.text.includes(TITLE)), 'no longer waiting for her');
});
