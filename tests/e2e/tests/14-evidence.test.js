// 14. Evidence files (佐证材料): 县水利局党委's secretary opens the 中心组学习
//     duty, which is 缺少佐证 because the 22 September session has no 签到表,
//     follows the link to that session, uploads two files at once from the
//     record's upload form (the scanned sign-in sheet as a PDF and a photo),
//     sees them listed with type, size, uploader and short hash (the photo
//     with a server-made thumbnail), and the duty turns 已完成. The upload
//     script is on: a file dropped on the form is taken, and the form is
//     sent by the script with its progress bar (the plain form is covered
//     by the HTTP tests).

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const zlib = require('node:zlib');
const h = require('../lib/harness');

let browser;
let page;
let unit;

/** A small valid PNG (an 80×60 grey picture), as a phone photo stands in. */
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const [w, hgt] = [80, 60];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(hgt, 4); ihdr[8] = 8; ihdr[9] = 0;
  const raw = Buffer.alloc((w + 1) * hgt, 0x80);
  for (let y = 0; y < hgt; y++) raw[y * (w + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PDF = Buffer.from('%PDF-1.4\n% 签到表（扫描件）\n%%EOF\n');

async function duty() {
  await page.goto(h.url(`/units/${unit}/duties/study-sessions?period=2026`));
  return h.text(page);
}

before(async () => {
  browser = await h.launch();
  page = browser.page;
  await h.login(page, 'sl-shuji');
  unit = h.idIn(page.url(), '/units');
});
after(async () => { await browser?.close(); });

test('a missing 签到表 makes the 中心组学习 duty 缺少佐证 and names it', async () => {
  const text = await duty();
  assert.match(text, /缺少佐证/);
  assert.match(text, /1次缺少签到表（9月22日）/);
});

test('two files uploaded from the record form turn the duty 已完成', async () => {
  await duty();
  await Promise.all([
    page.waitForLoadState('load'),
    page.locator('a', { hasText: '9月22日' }).first().click(),
  ]);
  await page.waitForLoadState('load');
  assert.match(await h.text(page, 'h1'), /中心组学习/);
  const form = page.locator('form.upload');
  assert.equal(await form.getAttribute('enctype'), 'multipart/form-data');
  const input = form.locator('input[type=file][name=file]');
  // The phone offers its camera and photo library from `accept` (no
  // `capture`, which would allow the camera only).
  assert.match(await input.getAttribute('accept'), /image\/jpeg/);
  assert.equal(await input.getAttribute('capture'), null);
  assert.notEqual(await input.getAttribute('multiple'), null);
  await form.locator('[name=kind]').selectOption({ label: '签到表' });

  // With the upload script: a file dropped anywhere on the form is taken.
  const dropped = await form.evaluate((f) => {
    const dt = new DataTransfer();
    dt.items.add(new File(['%PDF-1.4 dropped'], '拖入.pdf', { type: 'application/pdf' }));
    f.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    return Array.from(f.querySelector('input[type=file]').files).map((x) => x.name);
  });
  assert.deepEqual(dropped, ['拖入.pdf']);

  await input.setInputFiles([
    { name: '签到表.pdf', mimeType: 'application/pdf', buffer: PDF },
    { name: '现场照片.png', mimeType: 'image/png', buffer: png() },
  ]);
  // The script sends the form itself and fills the progress bar; the page
  // is never left (the marker survives), the server's answer replaces it.
  await form.evaluate((f) => {
    window.uploadMarker = 'kept';
    window.progressSeen = 0;
    const bar = f.querySelector('progress');
    new MutationObserver(() => {
      if (!bar.hidden) window.progressSeen = Math.max(window.progressSeen, Number(bar.value));
    }).observe(bar, { attributes: true });
  });
  await form.getByRole('button', { name: '上传' }).click();
  await page.getByText('已上传2个文件').waitFor();
  assert.equal(await page.evaluate(() => window.uploadMarker), 'kept', 'uploaded by the script');
  assert.equal(await page.evaluate(() => window.progressSeen), 100, 'the progress bar reached 100%');
  assert.match(page.url(), /\/records\/\d+\?uploaded=2/);
  const shown = await h.text(page);
  assert.match(shown, /已上传2个文件/);
  assert.match(shown, /签到表\.pdf/);
  assert.match(shown, /现场照片\.png/);
  assert.match(shown, /PNG 图片/);
  const thumb = page.locator('img.thumb').first();
  await thumb.waitFor();
  assert.ok(await thumb.evaluate((img) => img.complete && img.naturalWidth > 0), 'the thumbnail loads');
  await h.screenshot(page, '14-evidence-record');

  const text = await duty();
  assert.doesNotMatch(text, /缺少签到表/);
  assert.match(text, /已完成/);
});
