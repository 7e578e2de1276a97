// The real desktop app, started through tauri-driver under Xvfb: what a user sees.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { launch, waitForText, pageText, snap, appPath } from './harness.mjs';

let app;
before(async () => { app = await launch(); });
after(async () => { await app?.stop(); });

test('the dashboard shows the demo provider balances', async () => {
  const { browser } = app;
  await waitForText(browser, '₦1,250,000.00', 30000);
  const text = await pageText(browser);
  for (const amount of ['₦1,250,000.00', '£850.00', '$1,200.00']) {
    assert.ok(text.includes(amount), `dashboard shows ${amount}`);
  }
  assert.match(text, /USh\s?4,500,000|UGX\s?4,500,000/);
  assert.ok(text.includes('Demo provider'));
  await snap(browser, 'e2e-dashboard');
});

test('a second launch hands over to the running app and exits', async () => {
  const { browser, dataDir } = app;
  await waitForText(browser, 'Demo provider', 30000);
  const second = spawn(appPath, [], { env: { ...process.env, RESELLER_DATA_DIR: dataDir }, stdio: 'ignore' });
  const code = await new Promise((resolve) => {
    const timer = setTimeout(() => { second.kill(); resolve('still running'); }, 15000);
    second.on('exit', (c) => { clearTimeout(timer); resolve(c); });
  });
  assert.equal(code, 0, 'the second instance exits by itself');
  // The first one is still answering.
  assert.ok((await pageText(browser)).includes('Demo provider'));
});

test('a provider account is added from the Providers screen, its secret kept out of sight, and tested', async () => {
  const { browser } = app;
  await browser.$('a[href="/providers"]').click();
  await waitForText(browser, 'Add account');
  await browser.$('button=Add account').click();
  await browser.$('#add-provider').selectByAttribute('value', 'vendify');
  await browser.$('#add-label').setValue('Vendify e2e');
  await browser.$('#add-env-custom').click();
  // A port nothing listens on: the connection test must fail with a reason.
  await browser.$('#add-base_url').setValue('http://127.0.0.1:9');
  await browser.$('#add-api_key').setValue('e2e-secret-value-4821');
  await snap(browser, 'e2e-add-account');
  await browser.$('button[type="submit"]').click();
  await waitForText(browser, 'Vendify e2e');
  let text = await pageText(browser);
  assert.ok(!text.includes('e2e-secret-value-4821'), 'the secret is never shown again');
  assert.match(text, /keychain/i);

  const card = await browser.$('article*=Vendify e2e');
  await card.$('button=Test connection').click();
  await browser.waitUntil(async () => (await card.$('[data-result]').isExisting()), { timeout: 20000 });
  assert.equal(await card.$('[data-result]').getAttribute('data-result'), 'failed');
  text = await pageText(browser);
  assert.ok(text.includes('Connection failed'), text);
  await snap(browser, 'e2e-test-connection');
});

test('the catalogue lists the demo products and opens a product', async () => {
  const { browser } = app;
  await browser.$('a[href="/catalogue"]').click();
  await waitForText(browser, 'Middle East 1GB');
  await waitForText(browser, 'MTN Airtime');
  await browser.$('button*=Middle East 1GB').click();
  await waitForText(browser, 'Saudi Arabia');
  await snap(browser, 'e2e-catalogue');
});
