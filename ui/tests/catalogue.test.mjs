// The catalogue: filters become the right CatalogueQuery, results read well, and a product
// opens from the keyboard.

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

const VENDIFY = '5b0c3f5e-7a51-4d8a-9a43-2f1e0c6d9b10';

const EMPTY_QUERY = {
  category: null,
  country: null,
  sub_category: null,
  brand_family: null,
  brand_code: null,
  phone: null,
  wallet_id: null,
  search: null,
};

async function lastQuery(calls) {
  const all = await calls('catalogue');
  assert.ok(all.length > 0, 'catalogue was called');
  return all.at(-1).args;
}

const rowNames = (page) => page.locator('tbody tr td.name button').allTextContents();

test('filters send the right CatalogueQuery and the table shows denominations and cost', { timeout: 40_000 }, async () => {
  await withApp(browser, server.url, { name: 'catalogue', path: '/catalogue' }, async ({ page, calls }) => {
    await page.getByRole('button', { name: 'MTN Airtime', exact: true }).waitFor();

    // The demo account is first and preselected; the first query filters nothing.
    const account = page.getByLabel('Account');
    assert.equal(await account.inputValue(), 'demo');
    assert.deepEqual((await account.locator('option').allTextContents()).map(squash), ['Demo provider', 'Vendify NGN — Vendify']);
    assert.deepEqual(await calls('categories'), [{ cmd: 'categories', args: { accountId: 'demo' } }]);
    assert.deepEqual(await lastQuery(calls), { accountId: 'demo', query: EMPTY_QUERY });

    // Denominations: a range, fixed values; cost in the wallet currency.
    const ee = page.getByRole('row').filter({ hasText: 'EE UK Top-up' });
    assert.equal(plain(await ee.locator('td').nth(3).textContent()).trim(), '£5 · £10 · £15');
    const mtn = page.getByRole('row').filter({ hasText: 'MTN Airtime' }).first();
    assert.equal(plain(await mtn.locator('td').nth(3).textContent()).trim(), '₦500 – ₦50,000');
    assert.match(plain(await mtn.locator('td').nth(4).textContent()), /₦485\.00\s+for ₦500/);
    const uganda = page.getByRole('row').filter({ hasText: 'MTN Uganda Airtime' });
    assert.match(plain(await uganda.locator('td').nth(4).textContent()), /USh 490/);
    assert.equal((await page.locator('tbody tr').count()), 9);

    // Country options are collected from the results, with names for the common codes.
    const countryOptions = await page.getByLabel('Country').locator('option').allTextContents();
    for (const name of ['All countries', 'Nigeria (NGA)', 'United Kingdom (GBR)', 'Uganda (UGA)', 'United Arab Emirates (ARE)', 'Saudi Arabia (SAU)']) {
      assert.ok(countryOptions.includes(name), `${name} in ${countryOptions.join(', ')}`);
    }
    await screenshot(page, 'catalogue');

    // Category chip.
    const callsBefore = (await calls('catalogue')).length;
    await page.getByRole('group', { name: 'Category' }).getByRole('button', { name: 'Airtime' }).click();
    await eventually(async () => assert.deepEqual(await lastQuery(calls), { accountId: 'demo', query: { ...EMPTY_QUERY, category: 'airtime' } }));
    assert.equal((await calls('catalogue')).length, callsBefore + 1, 'one request per change');
    assert.equal(await page.getByRole('button', { name: 'Airtime', exact: true }).getAttribute('aria-pressed'), 'true');
    await eventually(async () => assert.deepEqual(await rowNames(page), ['MTN Airtime', 'EE UK Top-up', 'MTN Uganda Airtime']));

    // Country select; the other countries stay in the list.
    await page.getByLabel('Country').selectOption('GBR');
    await eventually(async () => assert.deepEqual(await lastQuery(calls), { accountId: 'demo', query: { ...EMPTY_QUERY, category: 'airtime', country: 'GBR' } }));
    await eventually(async () => assert.deepEqual(await rowNames(page), ['EE UK Top-up']));
    assert.ok((await page.getByLabel('Country').locator('option').allTextContents()).includes('Nigeria (NGA)'));

    // Brand select.
    await page.getByLabel('Country').selectOption({ label: 'All countries' });
    await page.getByLabel('Brand').selectOption('MTN');
    await eventually(async () => assert.deepEqual(await lastQuery(calls), { accountId: 'demo', query: { ...EMPTY_QUERY, category: 'airtime', brand_family: 'MTN' } }));

    // Search is debounced: typing "ug" quickly sends one request, after the pause.
    const beforeTyping = (await calls('catalogue')).length;
    await page.getByLabel('Search').pressSequentially('uga', { delay: 40 });
    await eventually(async () => assert.equal((await lastQuery(calls)).query.search, 'uga'));
    await page.waitForTimeout(400);
    const typed = (await calls('catalogue')).slice(beforeTyping);
    assert.deepEqual(typed.map((c) => c.args.query.search), ['uga'], 'no request per keystroke');
    assert.deepEqual(await lastQuery(calls), { accountId: 'demo', query: { ...EMPTY_QUERY, category: 'airtime', brand_family: 'MTN', search: 'uga' } });
    await eventually(async () => assert.deepEqual(await rowNames(page), ['MTN Uganda Airtime']));
  });
});

test('empty results offer Clear filters, which sends an empty query', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'catalogue-empty', path: '/catalogue' }, async ({ page, calls }) => {
    await page.getByRole('button', { name: 'MTN Airtime', exact: true }).waitFor();
    await page.getByLabel('Search').fill('zzzz');
    await page.getByRole('heading', { name: 'No products match these filters' }).waitFor();
    assert.equal((await lastQuery(calls)).query.search, 'zzzz');
    await screenshot(page, 'catalogue-empty');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('button', { name: 'MTN Airtime', exact: true }).waitFor();
    assert.deepEqual(await lastQuery(calls), { accountId: 'demo', query: EMPTY_QUERY });
    assert.equal(await page.getByLabel('Search').inputValue(), '');
  });
});

test('the detail panel opens with the keyboard and closes with Escape', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'catalogue-detail', path: '/catalogue' }, async ({ page }) => {
    const dstv = page.getByRole('button', { name: 'DStv Subscription', exact: true });
    await dstv.waitFor();
    await dstv.focus();
    await page.keyboard.press('Enter');
    const panel = page.getByRole('dialog', { name: 'DStv Subscription' });
    await panel.waitFor();
    await panel.getByText('Requires account validation').waitFor();
    await panel.getByText('Validate the smartcard number first, then pick a bouquet.').waitFor();
    assert.match(squash(await panel.textContent()), /Denominations ₦5,100 – ₦57,500 /);
    assert.match(squash(await panel.textContent()), /Cost ₦5,100\.00 from wallet NGN-DEMO /);
    await screenshot(page, 'catalogue-detail-dstv');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    // Focus goes back to where the user was.
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'DStv Subscription');

    // A multi-country product lists where it is redeemable; Enter on the next row's button.
    await page.keyboard.press('Tab');
    const esim = page.getByRole('button', { name: 'Middle East 1GB', exact: true });
    await esim.focus();
    await page.keyboard.press('Enter');
    const esimPanel = page.getByRole('dialog', { name: 'Middle East 1GB' });
    await esimPanel.waitFor();
    for (const name of ['Israel (ISR)', 'Jordan (JOR)', 'Kuwait (KWT)', 'Oman (OMN)', 'Saudi Arabia (SAU)', 'United Arab Emirates (ARE)']) {
      await esimPanel.getByText(name).waitFor();
    }
    assert.equal(await esimPanel.getByText('Requires account validation').count(), 0);
    await esimPanel.getByRole('button', { name: 'Close product details' }).click();
    await esimPanel.waitFor({ state: 'detached' });

    // A mouse click anywhere on a row opens it too.
    await page.getByRole('row').filter({ hasText: 'WAEC Result Checker PIN' }).locator('td').nth(2).click();
    await page.getByRole('dialog', { name: 'WAEC Result Checker PIN' }).waitFor();
  });
});

test('another account: its own categories, and FX shown where the wallet currency differs', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'catalogue-fx', path: '/catalogue' }, async ({ page, calls }) => {
    await page.getByRole('button', { name: 'MTN Airtime', exact: true }).waitFor();
    await page.getByLabel('Search').fill('mtn');
    await eventually(async () => assert.equal((await lastQuery(calls)).query.search, 'mtn'));
    await page.getByLabel('Account').selectOption(VENDIFY);
    await eventually(async () => assert.deepEqual(await lastQuery(calls), { accountId: VENDIFY, query: EMPTY_QUERY }));
    assert.deepEqual((await calls('categories')).at(-1).args, { accountId: VENDIFY });
    assert.equal(await page.getByLabel('Search').inputValue(), '', 'filters reset with the account');

    await page.getByRole('button', { name: 'Amazon UK eGift Voucher £5', exact: true }).click();
    const panel = page.getByRole('dialog', { name: 'Amazon UK eGift Voucher £5' });
    await panel.waitFor();
    const text = squash(await panel.textContent());
    assert.match(text, /Face value £5 /);
    assert.match(text, /Cost ₦10,988\.18 from wallet NGN-143 /);
    assert.match(text, /FX rate 1 GBP = 2,313\.3 NGN /);
    await screenshot(page, 'catalogue-detail-fx');
  });
});

test('a failed catalogue load shows the error and Retry asks again', { timeout: 30_000 }, async () => {
  const error = {
    code: 'provider_unreachable',
    message: "Demo provider could not be reached (timed out). Check the internet connection and the account's base URL, then try again.",
    field: null,
  };
  await withApp(browser, server.url, { name: 'catalogue-error', path: '/catalogue', mock: { fail: { catalogue: [error] } } }, async ({ page, calls }) => {
    const alert = page.getByRole('alert').filter({ hasText: 'Products could not be loaded' });
    await alert.getByText(error.message).waitFor();
    await screenshot(page, 'catalogue-error');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('button', { name: 'MTN Airtime', exact: true }).waitFor();
    assert.equal((await calls('catalogue')).length, 2);
  });
});

test('Refresh fetches the catalogue anew and the saved time follows', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'catalogue-refresh', path: '/catalogue', mock: { delays: { refresh_catalogue: 400 } } }, async ({ page, calls }) => {
    await page.getByRole('button', { name: 'MTN Airtime', exact: true }).waitFor();
    const saved = page.getByRole('status').filter({ hasText: 'Catalogue saved' });
    assert.equal(squash(await saved.textContent()), 'Catalogue saved 3 hours ago');
    // The exact moment is there for whoever hovers or reads it out.
    assert.match(await saved.locator('time').getAttribute('title') ?? '', /^\d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d$/);
    await screenshot(page, 'catalogue-saved');

    const loadsBefore = (await calls('catalogue')).length;
    // From the keyboard: Tab reaches it like any button, Enter presses it.
    await page.getByRole('button', { name: 'Refresh', exact: true }).focus();
    await page.keyboard.press('Enter');
    const busy = page.getByRole('button', { name: /^Refreshing/ });
    await busy.waitFor();
    assert.ok(await busy.isDisabled(), 'disabled while the provider is asked');
    assert.equal(await busy.getByRole('img', { name: 'Refreshing the catalogue' }).count(), 1, 'with a spinner');
    await screenshot(page, 'catalogue-refreshing');

    await eventually(async () => assert.equal(squash(await saved.textContent()), 'Catalogue saved just now'));
    assert.deepEqual(await calls('refresh_catalogue'), [{ cmd: 'refresh_catalogue', args: { accountId: 'demo' } }]);
    // The list is read again from the new copy, with the filters on screen.
    await eventually(async () => assert.equal((await calls('catalogue')).length, loadsBefore + 1));
    assert.deepEqual(await lastQuery(calls), { accountId: 'demo', query: EMPTY_QUERY });
    assert.ok(await page.getByRole('button', { name: 'Refresh', exact: true }).isEnabled());
    assert.equal(await page.locator('tbody tr').count(), 9);
  });
});

test('a failed refresh says why and what to do, and keeps the saved catalogue', { timeout: 30_000 }, async () => {
  const error = {
    code: 'provider_unreachable',
    message: "Demo provider could not be reached (timed out). Check the internet connection and the account's base URL, then try again.",
    field: null,
  };
  await withApp(browser, server.url, { name: 'catalogue-refresh-error', path: '/catalogue', mock: { fail: { refresh_catalogue: [error] } } }, async ({ page, calls }) => {
    await page.getByRole('button', { name: 'MTN Airtime', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The catalogue could not be refreshed' });
    await alert.waitFor();
    assert.match(squash(await alert.textContent()), /could not be reached \(timed out\)\. Check the internet connection .* then try again\. The catalogue saved 3 hours ago is still shown\./);
    await screenshot(page, 'catalogue-refresh-error');
    // Nothing was lost: the saved products and their age are still on screen.
    assert.equal(await page.locator('tbody tr').count(), 9);
    const saved = page.getByRole('status').filter({ hasText: 'Catalogue saved' });
    assert.equal(squash(await saved.textContent()), 'Catalogue saved 3 hours ago');

    await alert.getByRole('button', { name: 'Retry' }).click();
    await alert.waitFor({ state: 'detached' });
    await eventually(async () => assert.equal(squash(await saved.textContent()), 'Catalogue saved just now'));
    assert.equal((await calls('refresh_catalogue')).length, 2);
  });
});

test('a first visit saves the catalogue now; an older copy shows its date', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'catalogue-saved-ages', path: '/catalogue', mock: { catalogueSavedAt: { demo: null } } }, async ({ page }) => {
    await page.getByRole('button', { name: 'MTN Airtime', exact: true }).waitFor();
    const saved = page.getByRole('status').filter({ hasText: 'Catalogue saved' });
    assert.equal(squash(await saved.textContent()), 'Catalogue saved just now');
    await page.getByLabel('Account').selectOption(VENDIFY);
    await page.getByRole('button', { name: 'Amazon UK eGift Voucher £5', exact: true }).waitFor();
    // 16:20 UTC is 17:20 in Lagos, the tests' time zone.
    await eventually(async () => assert.equal(squash(await saved.textContent()), 'Catalogue saved on 3 Mar 2025, 17:20'));
  });
});
