// The order list (filter, keyset paging, empty state) and one order's page.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, launchBrowser, plain, screenshot, squash, startServer, withApp } from './harness.mjs';

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

test('no orders: the empty state links to Buy', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'orders-empty', path: '/orders' }, async ({ page }) => {
    await page.getByRole('heading', { name: 'No orders yet' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link', { name: 'Orders' }).getAttribute('aria-current'), 'page');
    assert.deepEqual((await nav.getByRole('link').allTextContents()).map(squash), ['Dashboard', 'Catalogue', 'Orders', 'Providers', 'Settings']);
    await screenshot(page, 'orders-empty');
    await page.getByRole('link', { name: 'Buy something' }).click();
    await page.getByRole('heading', { name: 'Buy', level: 1 }).waitFor();
  });
});

test('the list pages with Load more and filters by status', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'orders', path: '/orders', mock: { orders: 'sample' } }, async ({ page, calls }) => {
    const rows = page.locator('tbody tr');
    await eventually(async () => assert.equal(await rows.count(), 25));
    assert.deepEqual((await calls('list_orders'))[0].args, { filter: { status: null, account_id: null }, page: { limit: 25, after: null } });
    // Newest first: the newest sample order is the pending one.
    await rows.first().getByText('Pending').waitFor();
    await screenshot(page, 'orders');

    const next = await page.evaluate(() => window.__mock.orders[24].order.id);
    await page.getByRole('button', { name: 'Load more' }).click();
    await eventually(async () => assert.equal(await rows.count(), 30));
    assert.deepEqual((await calls('list_orders')).at(-1).args.page, { limit: 25, after: next });
    await page.getByText('30 orders · that is all').waitFor();

    await page.getByLabel('Status').selectOption('failed');
    await eventually(async () => assert.deepEqual((await calls('list_orders')).at(-1).args.filter, { status: 'failed', account_id: null }));
    await eventually(async () => assert.equal(await rows.count(), 4));
    for (const badge of await page.locator('tbody [data-status]').all()) {
      assert.equal(await badge.getAttribute('data-status'), 'failed');
    }
  });
});

test('a bought order opens from the list with its events, entries and delivery; it prints a receipt', { timeout: 40_000 }, async () => {
  await withApp(browser, server.url, { name: 'order-detail', path: '/buy?account=demo&product=7001' }, async ({ page }) => {
    // A WAEC PIN: a fixed value, preselected.
    assert.equal(await page.getByRole('radio', { name: '₦3,900' }).isChecked(), true);
    await page.getByLabel('Phone number').fill('08031234567');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Confirm purchase' }).click();
    await page.getByRole('heading', { name: 'Purchase complete' }).waitFor();
    await page.getByText('482915730264').waitFor();
    await page.getByRole('button', { name: 'Copy PIN' }).waitFor();
    await page.getByRole('button', { name: 'Copy Serial' }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click();
    const row = page.locator('tbody tr').first();
    await row.getByText('WAEC Result Checker PIN').waitFor();
    assert.match(plain(await row.textContent()), /₦3,822\.00/);
    await row.locator('td').nth(2).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'WAEC Result Checker PIN', level: 1 }).waitFor();

    const history = squash(await page.getByRole('region', { name: 'History' }).textContent());
    assert.match(history, /Order created — → Preparing/);
    assert.match(history, /Sent to the provider Preparing → Sent/);
    assert.match(history, /Succeeded Sent → Succeeded .*Transaction successful/);
    const ledger = squash(await page.getByRole('region', { name: 'Ledger entries' }).innerText());
    assert.match(ledger, /Hold Set aside while the order is open ₦3,822\.00 NGN-DEMO/);
    assert.match(ledger, /Settle Spent: the order succeeded ₦3,822\.00 NGN-DEMO/);
    const summary = squash(await page.getByRole('region', { name: 'Summary' }).textContent());
    assert.match(summary, /Our reference RC-[0-9A-Z]{26} Provider reference DEMO-/);
    assert.match(summary, /Face value ₦3,900 Cost ₦3,822\.00 Wallet NGN-DEMO/);
    assert.equal(await page.getByRole('button', { name: 'Check status now' }).count(), 0, 'a final order has nothing to check');
    await screenshot(page, 'order-detail');

    // The print button prints; the print stylesheet shows the receipt alone.
    await page.evaluate(() => {
      window.__printed = 0;
      window.print = () => (window.__printed += 1);
    });
    await page.getByRole('button', { name: 'Print receipt' }).click();
    assert.equal(await page.evaluate(() => window.__printed), 1);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.receipt').isVisible(), true);
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), false);
    assert.match(squash(await page.locator('.receipt').innerText()), /Product WAEC Result Checker PIN Recipient 08031234567 Amount ₦3,900 .*PIN 482915730264 Serial WRN730264518/);
    await screenshot(page, 'order-receipt-print');
  });
});

test('an open order is checked with "Check status now"', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'order-check', path: '/orders', mock: { orders: 'sample', settleAfter: 100 } }, async ({ page, calls }) => {
    await page.locator('tbody tr').first().getByRole('link').click();
    await page.getByRole('button', { name: 'Check status now' }).click();
    await page.getByText('Now succeeded.').waitFor();
    assert.equal((await calls('reconcile')).length, 1);
    await page.getByRole('region', { name: 'Summary' }).getByText('Succeeded').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Check status now' }).count(), 0);
  });
});

test('an order that needs attention is resolved by hand after checking the portal', { timeout: 40_000 }, async () => {
  await withApp(browser, server.url, { name: 'order-resolve', path: '/buy?account=demo&product=9418' }, async ({ page, calls }) => {
    await page.getByLabel('Phone number').waitFor();
    await page.getByLabel('Phone number').fill('08030000008');
    await page.getByLabel('Amount (NGN)').fill('1000');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Confirm purchase' }).click();
    await page.getByRole('heading', { name: 'Purchase needs attention' }).waitFor();
    await page.getByRole('link', { name: 'View order' }).click();
    const panel = page.getByTestId('resolve');
    await panel.waitFor();
    await panel.getByLabel('The portal shows it done').check();
    // Nothing is recorded without the reference, and nothing without a second yes.
    await panel.getByRole('button', { name: 'Record what the portal shows' }).click();
    await panel.getByText("Enter the provider's reference").waitFor();
    await panel.getByLabel("Provider's reference").fill('RUKKY-TRX-77');
    assert.equal(await panel.getByLabel('Charged to the wallet (NGN)').inputValue(), '970.00');
    await panel.getByRole('button', { name: 'Record what the portal shows' }).click();
    assert.match(await page.getByTestId('resolve-confirm').textContent(), /books ₦970\.00 as charged/);
    assert.equal((await calls('resolve_order')).length, 0);
    await screenshot(page, 'order-resolve');
    await panel.getByRole('button', { name: 'Yes, record it' }).click();
    await page.getByRole('region', { name: 'Summary' }).getByText('Succeeded').waitFor();
    const [call] = await calls('resolve_order');
    assert.deepEqual(call.args.resolution, { outcome: 'succeeded', provider_reference: 'RUKKY-TRX-77', charged: '970.00' });
    assert.equal(await page.getByTestId('resolve').count(), 0);
  });
});
