// 11. Reminders (提醒) for 县民政局党组: the demo server scanned the duties at
//     start, so the secretary finds his reminders behind the header's 提醒
//     link (overdue duties among them) and marks them read; on the unit's
//     提醒设置 page a robot address that is not a web address is refused with
//     the typed value kept; a 企业微信 robot (a small HTTP server started
//     here) is configured and receives the test message; another unit's
//     secretary is refused the page.
//
//     The file leaves the settings as it found them (no robot), so it can
//     run again on the same server.

'use strict';

const http = require('node:http');
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

let browser;
let page;
let robot;          // the local robot server
const received = []; // the JSON bodies it received

const button = (name) => page.getByRole('button', { name, exact: true });
const field = (label) => page.getByLabel(label, { exact: true });

async function navigate(locator) {
  await Promise.all([page.waitForNavigation(), locator.click()]);
  await page.waitForLoadState('load');
}

async function loginAs(username) {
  const logout = button('退出');
  if (await logout.count()) await navigate(logout);
  await h.login(page, username);
  await page.waitForURL((u) => u.pathname !== '/login');
}

before(async () => {
  robot = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.setHeader('Content-Type', 'application/json');
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise((resolve) => robot.listen(0, '127.0.0.1', resolve));
  browser = await h.launch();
  page = browser.page;
});

after(async () => {
  if (browser) await browser.close();
  if (robot) robot.close();
});

test('the secretary reads his reminders and marks them read', async () => {
  await loginAs('mz-shuji');
  await navigate(page.locator('#nav-notifications'));
  assert.equal(new URL(page.url()).pathname, '/notifications');
  const rows = await h.rows(page.locator('#notifications'));
  assert.ok(rows.length > 0, 'the demo scan left reminders for the secretary');
  assert.ok(rows.some(([kind]) => kind === '已逾期'), `an overdue duty is among them:\n${rows.join('\n')}`);
  assert.ok(rows.every(([, what]) => what.includes('【县民政局党组】')), 'each names the unit');
  await h.screenshot(page, '11-notifications');

  if (await button('全部标为已读').count()) {
    assert.ok(await page.locator('#nav-notifications .count').count(), 'unread ones are counted in the header');
    await navigate(button('全部标为已读'));
  }
  assert.equal(await page.locator('#nav-notifications .count').count(), 0, 'nothing unread is left');
  const after = await h.rows(page.locator('#notifications'));
  assert.equal(after.length, rows.length, 'read reminders stay listed');
  assert.ok(after.every((r) => r[3] === '已读'));
});

test('the unit configures a robot and it receives the test message', async () => {
  await page.goto(h.url('/'));
  await page.waitForURL((u) => u.pathname.startsWith('/units/'));
  await navigate(page.locator('main .toolbar').getByRole('link', { name: '提醒设置', exact: true }));
  assert.match(await h.text(page, 'h1'), /县民政局党组 · 提醒设置/);
  assert.match(await h.text(page), /最近一次检查：\d{4}-\d{2}-\d{2} \d{2}:\d{2}/, 'the scan has run');
  assert.ok((await h.rows(page.locator('#reminders'))).length > 0, 'the unit\'s reminders are listed');

  // Not an http(s) address (the browser lets ftp:// through): refused, with what was typed kept.
  await page.locator('select[name="webhook_kind"]').selectOption('wecom');
  await field('Webhook 地址').fill('ftp://10.1.1.1/cgi-bin/webhook/send?key=1');
  await navigate(button('保存提醒设置'));
  assert.match(await h.text(page, '.flash.error'), /应以 http:\/\/ 或 https:\/\/ 开头/);
  assert.equal(await field('Webhook 地址').inputValue(), 'ftp://10.1.1.1/cgi-bin/webhook/send?key=1');

  const address = `http://127.0.0.1:${robot.address().port}/cgi-bin/webhook/send?key=test`;
  await field('Webhook 地址').fill(address);
  await navigate(button('保存提醒设置'));
  assert.match(await h.text(page, '.flash.ok'), /提醒设置已保存/);

  await navigate(button('向机器人发送测试消息'));
  assert.match(await h.text(page, '.flash.ok'), /测试消息已发送/);
  assert.equal(received.length, 1);
  assert.equal(received[0].msgtype, 'text');
  assert.match(received[0].text.content, /县民政局党组的测试消息/);
  const outbox = await h.rows(page.locator('#outbox'));
  assert.match(outbox[0].join(' '), /机器人 台账提醒：测试消息 已发送/);
  await h.screenshot(page, '11-reminder-settings');

  // Leave it as found: no robot.
  await page.locator('select[name="webhook_kind"]').selectOption('none');
  await navigate(button('保存提醒设置'));
  assert.match(await h.text(page, '.flash.ok'), /提醒设置已保存/);
  assert.equal(await button('向机器人发送测试消息').count(), 0);
});

test('another unit\'s secretary cannot open 民政局\'s settings', async () => {
  const settings = new URL(page.url()).pathname;
  await loginAs('sl-shuji');
  const response = await page.goto(h.url(settings));
  assert.equal(response.status(), 403);
});
