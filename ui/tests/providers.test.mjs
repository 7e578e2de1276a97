// Providers: the account list, connection tests, adding an account (with the backend's
// field errors) and removing one.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, launchBrowser, screenshot, squash, startServer, withApp } from './harness.mjs';

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
const card = (page, label) => page.getByRole('article', { name: label, exact: true });

test('accounts list: environment, base URL, capabilities, secrets by name only', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'providers', path: '/providers' }, async ({ page }) => {
    const vendify = card(page, 'Vendify NGN');
    await vendify.waitFor();
    const text = squash(await vendify.textContent());
    assert.match(text, /Production/);
    assert.match(text, /Base URL https:\/\/api\.vendifydigital\.com/);
    assert.match(text, /API key — stored in the OS keychain/);
    assert.match(text, /Signature scheme hmac-sha256/);
    // The wallets and balances the provider last reported.
    assert.match(text, /NGN-143 ₦48,730\.25/);
    const chips = (await vendify.getByRole('list', { name: 'Capabilities' }).getByRole('listitem').allTextContents()).map(squash);
    assert.deepEqual(chips, ['Catalogue', 'Purchases', 'Balance', 'Account validation', 'Status by reference', 'Provider history', 'Voucher resend', 'Delivery update', 'eSIM']);
    assert.equal(await vendify.getByRole('button', { name: 'Remove' }).count(), 1);

    const demo = card(page, 'Demo provider');
    const demoText = squash(await demo.textContent());
    assert.match(demoText, /Sandbox/);
    assert.match(demoText, /NGN-DEMO ₦1,250,000\.00/);
    assert.match(demoText, /UGX-DEMO USh 4,500,000/);
    assert.equal(await demo.getByRole('button', { name: 'Remove' }).count(), 0, 'the demo account cannot be removed');
    assert.ok(!(await demo.getByRole('listitem').allTextContents()).includes('Push updates'));
    await screenshot(page, 'providers');
  });
});

test('test connection: wallets on success, message and hint on failure', { timeout: 30_000 }, async () => {
  const mock = { delays: { test_account: 600 } };
  await withApp(browser, server.url, { name: 'providers-test-connection', path: '/providers', mock }, async ({ page, calls }) => {
    const demo = card(page, 'Demo provider');
    await demo.getByRole('button', { name: 'Test connection' }).click();
    // Spinner and a disabled button while it runs.
    const running = demo.getByRole('button', { name: 'Testing…' });
    await running.waitFor();
    assert.equal(await running.isDisabled(), true);
    const ok = demo.locator('[data-result="ok"]');
    await ok.waitFor();
    const okText = squash(await ok.textContent());
    assert.match(okText, /Connected to Demo provider: 4 wallet\(s\) found\./);
    for (const balance of ['NGN-DEMO ₦1,250,000.00', 'GBP-DEMO £850.00', 'USD-DEMO $1,200.00', 'UGX-DEMO USh 4,500,000']) {
      assert.ok(okText.includes(balance), `${balance} in "${okText}"`);
    }
    assert.equal(await demo.locator('[data-result="failed"]').count(), 0);

    const vendify = card(page, 'Vendify NGN');
    await vendify.getByRole('button', { name: 'Test connection' }).click();
    const failed = vendify.locator('[data-result="failed"]');
    await failed.waitFor();
    const failedText = squash(await failed.textContent());
    assert.match(failedText, /Vendify rejected the credentials: Invalid API key\./);
    assert.match(failedText, /Check the credentials\./);
    assert.equal(await vendify.locator('[data-result="ok"]').count(), 0);
    // Red, not green.
    const colour = await failed.evaluate((el) => getComputedStyle(el).color);
    assert.equal(colour, 'rgb(180, 35, 24)');
    assert.deepEqual((await calls('test_account')).map((c) => c.args), [{ id: 'demo' }, { id: VENDIFY }]);
    await screenshot(page, 'providers-test-connection');
  });
});

test('test connection hints follow the error code', { timeout: 30_000 }, async () => {
  const unreachable = {
    code: 'provider_unreachable',
    message: "Vendify could not be reached (dns error). Check the internet connection and the account's base URL, then try again.",
    field: null,
  };
  const missing = { code: 'missing_credentials', message: 'The Vendify account has no api_key stored. Enter it on the account (in the app: Providers; on the command line: `resellerctl accounts add ... --secrets-stdin`, or the RESELLER_<PROVIDER>_<FIELD> variable for one run).', field: 'api_key' };
  const result = (error) => ({ ok: false, message: error.message, wallets: [], error });
  for (const [error, hint] of [
    [unreachable, 'Check the base URL and the connection.'],
    [missing, 'Enter the missing secret.'],
  ]) {
    const mock = { testResults: { [VENDIFY]: result(error) } };
    await withApp(browser, server.url, { name: `providers-hint-${error.code}`, path: '/providers', mock }, async ({ page }) => {
      const vendify = card(page, 'Vendify NGN');
      await vendify.getByRole('button', { name: 'Test connection' }).click();
      const failed = vendify.locator('[data-result="failed"]');
      await failed.waitFor();
      assert.ok(squash(await failed.textContent()).includes(error.message));
      assert.ok(squash(await failed.textContent()).includes(hint), `hint "${hint}"`);
      await screenshot(page, `providers-hint-${error.code}`);
    });
  }
});

test('add account: a field error from the backend shows under that field, then a save adds the account', { timeout: 40_000 }, async () => {
  await withApp(browser, server.url, { name: 'providers-add', path: '/providers' }, async ({ page, calls }) => {
    await card(page, 'Vendify NGN').waitFor();
    await page.getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('dialog', { name: 'Add provider account' });
    await form.waitFor();

    // Built from provider_kinds: Vendify first, its environments with their base URLs.
    assert.equal(await form.getByLabel('Provider').inputValue(), 'vendify');
    assert.match(squash(await form.getByRole('group', { name: /Environment/ }).textContent()), /Sandbox https:\/\/sandboxapi\.vendifydigital\.com Production https:\/\/api\.vendifydigital\.com Custom/);
    assert.equal(await form.getByRole('textbox', { name: 'API key', exact: true }).getAttribute('type'), 'password');
    await form.getByText('X-Api-Key from the Vendify portal.').waitFor();
    assert.deepEqual(
      await form.getByLabel('Signature scheme').locator('option').allTextContents(),
      ['Default', 'hmac-sha256', 'hmac-sha512', 'sha256', 'sha512'],
    );

    // Custom reveals the Base URL input.
    assert.equal(await form.getByLabel('Base URL').count(), 0);
    await form.getByRole('radio', { name: /^Custom/ }).check();
    await form.getByLabel('Base URL').waitFor();
    await form.getByRole('radio', { name: /^Production/ }).check();
    assert.equal(await form.getByLabel('Base URL').count(), 0);

    await form.getByLabel('Account name').fill('Vendify GBP');
    await form.getByLabel('Signature scheme').selectOption('hmac-sha512');
    await form.getByLabel('Wallet ID').fill('GBP-77');
    // No API key: the backend names the field. Enter submits.
    await form.getByLabel('Wallet ID').press('Enter');
    const apiKey = form.getByRole('textbox', { name: 'API key', exact: true });
    const error = form.locator('#add-error-api_key');
    await error.waitFor();
    assert.equal(await error.textContent(), 'API key is required');
    assert.equal(await apiKey.getAttribute('aria-invalid'), 'true');
    assert.match(await apiKey.getAttribute('aria-describedby') ?? '', /add-error-api_key/);
    assert.equal(await apiKey.evaluate((el) => el === document.activeElement), true, 'the field is focused');
    // The message sits right under that input, not elsewhere in the form.
    const [inputBox, errorBox] = [await apiKey.boundingBox(), await error.boundingBox()];
    assert.ok(errorBox && inputBox && errorBox.y > inputBox.y && errorBox.y - (inputBox.y + inputBox.height) < 30);
    await screenshot(page, 'providers-add-field-error');

    // Show/hide toggles the secret's visibility.
    await apiKey.fill('vk_live_7f3a9c2e41');
    await form.getByRole('button', { name: 'Show API key' }).click();
    assert.equal(await apiKey.getAttribute('type'), 'text');
    await form.getByRole('button', { name: 'Hide API key' }).click();
    assert.equal(await apiKey.getAttribute('type'), 'password');
    assert.equal(await error.count(), 0, 'typing clears the error');

    await form.getByRole('button', { name: 'Save account' }).click();
    await form.waitFor({ state: 'detached' });

    const adds = await calls('add_account');
    assert.equal(adds.length, 2);
    assert.deepEqual(adds[1].args, {
      input: {
        provider: 'vendify',
        label: 'Vendify GBP',
        environment: 'production',
        base_url: null,
        settings: { signature_scheme: 'hmac-sha512', wallet_id: 'GBP-77' },
        secrets: { api_key: 'vk_live_7f3a9c2e41' },
      },
    });
    assert.deepEqual(adds[0].args.input.secrets, {}, 'the first attempt had no secret');

    const added = card(page, 'Vendify GBP');
    await added.waitFor();
    assert.match(await added.getAttribute('class') ?? '', /highlighted/);
    assert.equal(await added.evaluate((el) => el === document.activeElement), true);
    assert.match(squash(await added.textContent()), /API key — stored in the OS keychain/);
    assert.equal((await page.content()).includes('vk_live_7f3a9c2e41'), false, 'the secret is never shown again');
    assert.ok((await calls('list_accounts')).length >= 2, 'the list was fetched again');
    await screenshot(page, 'providers-added');
  });
});

test('add account: custom base URL errors, the label error, Esc cancels', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'providers-add-custom', path: '/providers' }, async ({ page, calls }) => {
    await card(page, 'Vendify NGN').waitFor();
    await page.getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('dialog', { name: 'Add provider account' });
    await form.getByLabel('Provider').selectOption('rukapay');
    await form.getByLabel('Account name').fill('Vendify NGN');
    await form.getByRole('textbox', { name: 'API key', exact: true }).fill('rk_123');
    await form.getByRole('button', { name: 'Save account' }).click();
    const labelError = form.locator('#add-error-label');
    await labelError.waitFor();
    assert.equal(await labelError.textContent(), 'An account named "Vendify NGN" already exists; choose another name');
    assert.equal(await form.getByLabel('Account name').evaluate((el) => el === document.activeElement), true);

    await form.getByLabel('Account name').fill('RukaPay staging');
    await form.getByRole('radio', { name: /^Custom/ }).check();
    await form.getByLabel('Base URL').fill('staging.rukapay');
    await form.getByLabel('Base URL').press('Enter');
    const urlError = form.locator('#add-error-base_url');
    await urlError.waitFor();
    assert.match(await urlError.textContent() ?? '', /is not a URL/);
    assert.equal(await form.getByLabel('Base URL').evaluate((el) => el === document.activeElement), true);
    assert.equal((await calls('add_account')).at(-1).args.input.base_url, 'staging.rukapay');
    assert.equal((await calls('add_account')).at(-1).args.input.provider, 'rukapay');
    await screenshot(page, 'providers-add-custom-error');

    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    assert.equal(await card(page, 'RukaPay staging').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Add account' }).evaluate((el) => el === document.activeElement), true);
  });
});

test('add account: buttons are disabled while saving', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'providers-add-saving', path: '/providers', mock: { delays: { add_account: 800 } } }, async ({ page }) => {
    await page.getByRole('button', { name: 'Add account' }).click();
    const form = page.getByRole('dialog', { name: 'Add provider account' });
    await form.getByLabel('Account name').fill('Vendify USD');
    await form.getByRole('textbox', { name: 'API key', exact: true }).fill('vk_live_x');
    await form.getByRole('button', { name: 'Save account' }).click();
    const saving = form.getByRole('button', { name: 'Saving…' });
    await saving.waitFor();
    assert.equal(await saving.isDisabled(), true);
    assert.equal(await form.getByRole('button', { name: 'Cancel' }).isDisabled(), true);
    await screenshot(page, 'providers-add-saving');
    await form.waitFor({ state: 'detached' });
    await card(page, 'Vendify USD').waitFor();
  });
});

test('remove asks for confirmation naming the account', { timeout: 30_000 }, async () => {
  await withApp(browser, server.url, { name: 'providers-remove', path: '/providers' }, async ({ page, calls }) => {
    const vendify = card(page, 'Vendify NGN');
    await vendify.getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove “Vendify NGN”?' });
    await dialog.waitFor();
    await screenshot(page, 'providers-remove-confirm');

    // Cancel keeps it, and nothing was sent.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await calls('remove_account')).length, 0);
    await vendify.waitFor();
    assert.equal(await vendify.getByRole('button', { name: 'Remove' }).evaluate((el) => el === document.activeElement), true);

    // Esc cancels too.
    await vendify.getByRole('button', { name: 'Remove' }).click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await calls('remove_account')).length, 0);

    await vendify.getByRole('button', { name: 'Remove' }).click();
    await dialog.getByRole('button', { name: 'Remove account' }).click();
    await dialog.waitFor({ state: 'detached' });
    await vendify.waitFor({ state: 'detached' });
    assert.deepEqual(await calls('remove_account'), [{ cmd: 'remove_account', args: { id: VENDIFY } }]);
    await card(page, 'Demo provider').waitFor();
  });
});

test('a failed removal keeps the dialog open with the reason', { timeout: 30_000 }, async () => {
  const error = { code: 'secret_store_unavailable', message: 'The keychain refused to store the secret (locked). Unlock it and try again.', field: null };
  await withApp(browser, server.url, { name: 'providers-remove-failed', path: '/providers', mock: { fail: { remove_account: [error] } } }, async ({ page }) => {
    await card(page, 'Vendify NGN').getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove “Vendify NGN”?' });
    await dialog.getByRole('button', { name: 'Remove account' }).click();
    await dialog.getByRole('alert').getByText(error.message).waitFor();
    await screenshot(page, 'providers-remove-failed');
    await eventually(async () => assert.equal(await card(page, 'Vendify NGN').count(), 1));
  });
});
