// 4. A wrong password is refused in Chinese; logging out returns to the
//    login page and the home page then asks to log in again.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('../lib/harness');

let browser;
let page;

before(async () => {
  browser = await h.launch();
  page = browser.page;
});
after(async () => { await browser?.close(); });

test('a wrong password shows 用户名或密码不正确', async () => {
  await h.login(page, 'mz-fuju', 'wrong-password');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.match(await h.text(page, '.flash.error'), /用户名或密码不正确/);
  // The form is offered again, ready for another try.
  assert.ok(await page.getByLabel('用户名').isVisible());
  assert.ok(await page.getByRole('button', { name: '登录' }).isVisible());
  await h.screenshot(page, 'login-wrong-password');
});

test('an unknown person is told the same thing', async () => {
  await h.login(page, 'nobody-here', 'taizhang-demo');
  assert.match(await h.text(page, '.flash.error'), /用户名或密码不正确/);
});

test('the right password logs in; logout returns to /login and / then redirects there', async () => {
  await h.login(page, 'mz-fuju');
  assert.match(new URL(page.url()).pathname, /^\/units\/\d+$/);
  assert.match(await h.text(page, 'h1'), /县民政局党组/);

  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name: '退出' }).click(),
  ]);
  await page.waitForURL(/\/login$/);
  assert.match(await h.text(page, 'h1'), /登录/);
  assert.equal(await page.getByRole('button', { name: '退出' }).count(), 0, 'no logout button once logged out');

  await page.goto(h.url('/'));
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.ok(await page.getByLabel('密码').isVisible());

  // Pages behind the login send you back to it too.
  await page.goto(h.url('/rollup/1'));
  assert.equal(new URL(page.url()).pathname, '/login');
});
