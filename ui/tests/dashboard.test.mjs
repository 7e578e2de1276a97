// The app shell and the dashboard, in Chromium against the mock backend.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, launchBrowser, plain, screenshot, startServer, withApp } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const VENDIFY = '5b0c3f5e-7a51-4d8a-9a43-2f1e0c6d9b10';

test('dashboard shows every demo wallet formatted and reports painted once', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'dashboard' }, async ({ page, calls }) => {
    const demo = page.getByRole('region', { name: 'Demo provider' });
    await demo.getByRole('article', { name: 'Wallet NGN-DEMO' }).waitFor();
    const balances = (await demo.getByTestId('balance').allTextContents()).map((t) => plain(t).trim());
    assert.deepEqual(balances, ['₦1,250,000.00', '£850.00', '$1,200.00', 'USh 4,500,000']);

    // Section header: label, provider name, environment badge.
    await demo.getByText('Sandbox', { exact: true }).waitFor();
    const vendify = page.getByRole('region', { name: 'Vendify NGN' });
    await vendify.getByText('Production', { exact: true }).waitFor();

    // The Vendify wallet is under the NGN threshold; the demo ones are not.
    const ngn143 = vendify.getByRole('article', { name: 'Wallet NGN-143' });
    await ngn143.getByText('Low balance').waitFor();
    assert.equal(await demo.getByText('Low balance').count(), 0);

    // The current page is marked in the navigation.
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current'), 'page');
    assert.equal(await nav.getByRole('link', { name: 'Catalogue' }).getAttribute('aria-current'), null);

    await eventually(async () => assert.deepEqual(await calls('ui_ready'), [{ cmd: 'ui_ready', args: { view: 'dashboard' } }]));
    await screenshot(page, 'dashboard');

    // Refresh asks again; leaving and coming back repaints without a second marker.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await eventually(async () => assert.equal((await calls('dashboard')).length, 2));
    await nav.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('article', { name: 'Wallet UGX-DEMO' }).waitFor();
    await eventually(async () => assert.equal((await calls('dashboard')).length, 3));
    await page.waitForTimeout(150);
    assert.equal((await calls('ui_ready')).length, 1);
  });
});

test('the sidebar is keyboard accessible', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'sidebar-keyboard' }, async ({ page }) => {
    await page.getByRole('article', { name: 'Wallet NGN-DEMO' }).waitFor();
    // Tab past the skip link to the navigation, then follow Catalogue with Enter.
    const names = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      names.push(await page.evaluate(() => document.activeElement?.textContent?.trim()));
      if (names.at(-1) === 'Catalogue') break;
    }
    assert.ok(names.includes('Dashboard'), `focus went through ${names.join(', ')}`);
    assert.equal(names.at(-1), 'Catalogue');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/catalogue$/);
    const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalogue' });
    assert.equal(await link.getAttribute('aria-current'), 'page');
    await screenshot(page, 'sidebar-keyboard');
  });
});

test('skeletons show while balances load', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'dashboard-loading', mock: { delays: { dashboard: 1500 } } }, async ({ page, calls }) => {
    await page.getByRole('status').filter({ hasText: 'Loading balances…' }).waitFor({ state: 'attached' });
    assert.ok((await page.locator('.skeleton').count()) > 0);
    assert.equal(await page.getByRole('button', { name: 'Loading…' }).isDisabled(), true);
    await screenshot(page, 'dashboard-loading');
    assert.equal((await calls('ui_ready')).length, 0, 'no painted marker before real data');
    await page.getByRole('article', { name: 'Wallet NGN-DEMO' }).waitFor();
    assert.equal(await page.locator('.skeleton').count(), 0);
    await eventually(async () => assert.equal((await calls('ui_ready')).length, 1));
  });
});

test('a stale account shows the last known balance and why; Retry fetches again', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'dashboard-stale', mock: { staleFor: { [VENDIFY]: 1 } } }, async ({ page, calls }) => {
    const vendify = page.getByRole('region', { name: 'Vendify NGN' });
    const notice = vendify.getByRole('status').filter({ hasText: 'Last known balance' });
    await notice.waitFor();
    assert.match(
      await notice.textContent() ?? '',
      /Last known balance\s+—\s+Vendify could not be reached \(connection refused\)/,
    );
    assert.equal(plain(await vendify.getByTestId('balance').textContent()).trim(), '₦48,730.25');
    // The demo account answered: no notice there.
    assert.equal(await page.getByRole('region', { name: 'Demo provider' }).getByText('Last known balance').count(), 0);
    await screenshot(page, 'dashboard-stale');

    await notice.getByRole('button', { name: 'Retry' }).click();
    await eventually(async () => assert.equal((await calls('dashboard')).length, 2));
    await notice.waitFor({ state: 'detached' });
    assert.equal(plain(await vendify.getByTestId('balance').textContent()).trim(), '₦15,250.50');
  });
});

test('no accounts: an empty state that leads to Providers', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'dashboard-empty', mock: { accounts: 'none' } }, async ({ page }) => {
    await page.getByRole('heading', { name: 'No provider accounts yet' }).waitFor();
    await screenshot(page, 'dashboard-empty');
    await page.getByRole('link', { name: 'Add an account' }).click();
    await page.waitForURL(/\/providers$/);
  });
});

test('a failed dashboard load shows the error with Retry', { timeout: 30_000 }, async () => {
  const error = { code: 'internal', message: 'Internal error while reading balances. Please send the log file to support.', field: null };
  await withApp(browser, server.url, { name: 'dashboard-error', mock: { fail: { dashboard: [error] } } }, async ({ page, calls }) => {
    const alert = page.getByRole('alert').filter({ hasText: 'Balances could not be loaded' });
    await alert.getByText(error.message).waitFor();
    assert.equal((await calls('ui_ready')).length, 0);
    await screenshot(page, 'dashboard-error');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('article', { name: 'Wallet NGN-DEMO' }).waitFor();
    assert.equal(await alert.count(), 0);
    await eventually(async () => assert.equal((await calls('ui_ready')).length, 1));
  });
});

for (const [code, message] of [
  ['database_newer', 'The data file /home/amaka/.local/share/com.resellerconsole.desktop/ledger.sqlite3 was written by a newer version of Reseller Console (schema 9, this app knows up to 3). Update the app; the file was left untouched.'],
  ['secret_store_unavailable', 'The OS keychain is not available (no Secret Service). On Linux start a Secret Service (GNOME Keyring or KWallet) and unlock it; on Windows and macOS sign in to your user account. Reseller Console will not keep provider secrets anywhere else.'],
]) {
  test(`startup error ${code}: only the cannot-start panel, and Try again reloads`, { timeout: 30_000 }, async () => {
    const mock = { fail: { app_info: { code, message, field: null } } };
    await withApp(browser, server.url, { name: `startup-${code}`, mock }, async ({ page, calls }) => {
      await page.getByRole('heading', { name: 'Reseller Console cannot start' }).waitFor();
      await page.getByText(message).waitFor();
      assert.equal(await page.getByRole('navigation').count(), 0, 'no navigation');
      assert.equal(await page.getByRole('link').count(), 0, 'no links');
      await page.waitForTimeout(100);
      assert.deepEqual((await calls()).map((c) => c.cmd), ['app_info'], 'nothing but app_info is asked');
      await screenshot(page, `startup-${code}`);

      const reloaded = page.waitForEvent('load');
      await page.getByRole('button', { name: 'Try again' }).click();
      await reloaded;
      await page.getByRole('heading', { name: 'Reseller Console cannot start' }).waitFor();
    });
  });
}

test('settings show where data lives', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'settings', path: '/settings' }, async ({ page }) => {
    await page.getByTestId('ledger-file').getByText('/home/amaka/.local/share/com.resellerconsole.desktop/ledger.sqlite3').waitFor();
    assert.equal(await page.getByTestId('version').textContent(), '0.1.0');
    assert.equal(await page.getByTestId('data-dir').textContent(), '/home/amaka/.local/share/com.resellerconsole.desktop');
    assert.equal(await page.getByTestId('log-dir').textContent(), '/home/amaka/.local/share/com.resellerconsole.desktop/logs');
    await page.getByText('OS keychain', { exact: false }).first().waitFor();
    await page.getByText('HMAC-SHA256').waitFor();
    await screenshot(page, 'settings');
  });
});

test('an order that needs attention is listed on the dashboard with what to do', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'dashboard-needs-a-look', path: '/buy?account=demo&product=9418' }, async ({ page }) => {
    await page.getByLabel('Phone number').waitFor();
    await page.getByLabel('Phone number').fill('08030000008');
    await page.getByLabel('Amount (NGN)').fill('1000');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Confirm purchase' }).click();
    await page.getByRole('heading', { name: 'Purchase needs attention' }).waitFor();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const panel = page.getByTestId('needs-a-look');
    await panel.waitFor();
    const text = ((await panel.textContent()) ?? '').replace(/\s+/g, ' ');
    assert.match(text, /MTN Airtime for 08030000008/);
    assert.match(text, /check RC-[0-9A-Z]+ in the provider's portal and resolve it/);
    await screenshot(page, 'dashboard-needs-a-look');
    await panel.getByRole('link').first().click();
    await page.getByTestId('resolve').waitFor();
  });
});

test('nothing to look at: no panel', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'dashboard-no-look', path: '/' }, async ({ page }) => {
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.waitForTimeout(300);
    assert.equal(await page.getByTestId('needs-a-look').count(), 0);
  });
});
