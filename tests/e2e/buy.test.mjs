// Buying on the demo provider in the real app: success, pending that settles, a failure
// whose hold is released, and a DStv subscription after validating the smartcard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitForText, pageText, snap } from './harness.mjs';

let app;
before(async () => { app = await launch(); });
after(async () => { await app?.stop(); });

async function openBuy(browser, productName) {
  await browser.$('a[href="/catalogue"]').click();
  await waitForText(browser, productName, 30000);
  await browser.$(`button*=${productName}`).click();
  await browser.$('a=Buy').click();
  await browser.$('#buy-recipient').waitForDisplayed({ timeout: 15000 });
}

async function review(browser) {
  await browser.$('button=Review').click();
  await waitForText(browser, 'Confirm the purchase', 20000);
}

async function confirm(browser) {
  await browser.$('button*=Confirm purchase').click();
}

test('airtime to a normal number succeeds', async () => {
  const { browser } = app;
  await waitForText(browser, '₦1,250,000.00', 30000);
  await openBuy(browser, 'MTN Airtime');
  await browser.$('#buy-recipient').setValue('0803 123 4567');
  await browser.$('#buy-amount').setValue('1000');
  await review(browser);
  const text = await pageText(browser);
  assert.match(text, /₦970\.00/, 'the exact cost (97% of ₦1,000) is shown before confirming');
  await snap(browser, 'e2e-buy-review');
  await confirm(browser);
  await waitForText(browser, 'Purchase complete', 30000);
  assert.match(await pageText(browser), /\+2348031234567/);
  await snap(browser, 'e2e-buy-success');
});

test('a pending number settles by itself', async () => {
  const { browser } = app;
  await openBuy(browser, 'MTN Airtime');
  await browser.$('#buy-recipient').setValue('0803 000 0002');
  await browser.$('#buy-amount').setValue('1000');
  await review(browser);
  await confirm(browser);
  await waitForText(browser, 'Waiting for the provider', 30000);
  // The app's sweeper asks the provider; the demo settles it about 5 s later.
  await waitForText(browser, 'Purchase complete', 60000);
});

test('a failing number fails and its hold is released', async () => {
  const { browser } = app;
  await openBuy(browser, 'MTN Airtime');
  await browser.$('#buy-recipient').setValue('0803 000 0001');
  await browser.$('#buy-amount').setValue('1000');
  await review(browser);
  await confirm(browser);
  await waitForText(browser, 'Purchase failed', 30000);
  assert.match(await pageText(browser), /released/);
  await snap(browser, 'e2e-buy-failed');
});

test('a DStv subscription after validating the smartcard', async () => {
  const { browser } = app;
  await openBuy(browser, 'DStv Subscription');
  await browser.$('#buy-recipient').setValue('4222863979');
  await browser.$('button*=Check number').click();
  await waitForText(browser, 'Test User', 30000);
  await browser.$('label*=Compact + Showmax').click();
  await review(browser);
  assert.match(await pageText(browser), /₦17,450\.00/);
  await confirm(browser);
  await waitForText(browser, 'Purchase complete', 30000);
  await snap(browser, 'e2e-buy-dstv');
});

test('an electricity token with the customer\'s phone the provider requires', async () => {
  const { browser } = app;
  await openBuy(browser, 'PHED Prepaid Electricity');
  await browser.$('#buy-recipient').setValue('25112401374');
  await browser.$('button*=Check number').click();
  await waitForText(browser, 'Test User', 30000);
  await browser.$('#buy-amount').setValue('5000');
  // Refused in the form until the phone the provider needs is given.
  await browser.$('button=Review').click();
  await waitForText(browser, "Enter the customer's phone number", 15000);
  await browser.$('#buy-customer_phone').setValue('0803 123 4567');
  await review(browser);
  await confirm(browser);
  await waitForText(browser, 'Purchase complete', 30000);
  await snap(browser, 'e2e-buy-electricity');
});

test('the orders list shows all four, with the right statuses', async () => {
  const { browser } = app;
  await browser.$('a[href="/orders"]').click();
  await browser.waitUntil(async () => (await browser.getUrl()).endsWith('/orders'), { timeout: 10000 });
  await browser.waitUntil(async () => ((await pageText(browser)).match(/MTN Airtime/g) ?? []).length === 3, {
    timeout: 20000,
    timeoutMsg: 'the three airtime orders never appeared in the list',
  });
  const text = await pageText(browser);
  assert.match(text, /DStv Subscription/);
  assert.equal((text.match(/MTN Airtime/g) ?? []).length, 3, text);
  assert.match(text, /Failed/);
  await snap(browser, 'e2e-orders');
});

test('a slow answer while the sweeper runs ends with the order shown, never "nothing was bought"', async () => {
  const { browser } = app;
  await openBuy(browser, 'MTN Airtime');
  // The demo answers ...0000004 after 12 s: the app's sweeper (every 5 s, first look 5 s
  // after submitting) runs twice while the request is in flight.
  await browser.$('#buy-recipient').setValue('0803 000 0004');
  await browser.$('#buy-amount').setValue('1000');
  await review(browser);
  await confirm(browser);
  const button = browser.$('button*=Confirm purchase');
  const started = Date.now();
  let sawDisabled = false;
  for (;;) {
    const text = await pageText(browser);
    assert.doesNotMatch(text, /Nothing was bought/, 'a request that left is never reported as not bought');
    if (/Purchase complete/.test(text)) break;
    if (await button.isExisting()) {
      assert.equal(await button.isEnabled(), false, 'Confirm stays disabled while the purchase is on its way');
      sawDisabled = true;
    }
    assert.ok(Date.now() - started < 45000, `no result after 45 s: ${text.slice(0, 400)}`);
    await browser.pause(500);
  }
  assert.ok(sawDisabled, 'the review stayed up, Confirm disabled, while the answer was slow');
  assert.ok(Date.now() - started >= 10000, 'the answer really was slow');
  assert.match(await pageText(browser), /\+2348030000004/);
  await snap(browser, 'e2e-buy-slow');
});
