// The real desktop app, started through tauri-driver under Xvfb: what a user sees.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, waitForText, pageText, screenshots } from './harness.mjs';

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
  await browser.saveScreenshot(join(screenshots, 'e2e-dashboard.png'));
});
