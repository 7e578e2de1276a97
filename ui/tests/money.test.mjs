// Unit tests for src/lib/money.js and denominations.js: exact decimal strings in, never a float.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareDecimal,
  DEFAULT_LOCALE,
  formatDecimal,
  formatFaceValue,
  formatMoney,
  roundDecimal,
} from '../src/lib/money.js';
import { formatDenominations } from '../src/lib/denominations.js';

// Intl separates some symbols from the number with a no-break space.
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ');

test('the default locale is en-GB', () => {
  assert.equal(DEFAULT_LOCALE, 'en-GB');
});

test('NGN shows the naira sign, grouping and two decimals', () => {
  assert.equal(formatMoney('1250000.00', 'NGN'), '₦1,250,000.00');
  assert.equal(formatMoney('1250000.00', 'NGN', 'en-NG'), '₦1,250,000.00');
  assert.equal(formatMoney('485', 'NGN'), '₦485.00');
});

test('GBP and USD show their narrow symbols', () => {
  assert.equal(formatMoney('850.00', 'GBP'), '£850.00');
  assert.equal(formatMoney('1200.00', 'USD'), '$1,200.00');
});

test('UGX has no decimals and shows USh', () => {
  assert.equal(plain(formatMoney('4500000', 'UGX')), 'USh 4,500,000');
  assert.equal(plain(formatMoney('4500000.49', 'UGX')), 'USh 4,500,000');
  assert.equal(plain(formatMoney('4500000.5', 'UGX')), 'USh 4,500,001');
});

test('extra digits are rounded half away from zero', () => {
  assert.equal(formatMoney('0.278000', 'USD'), '$0.28');
  assert.equal(formatMoney('57191.695', 'NGN'), '₦57,191.70');
  assert.equal(formatMoney('57191.694999', 'NGN'), '₦57,191.69');
  assert.equal(formatMoney('0.005', 'GBP'), '£0.01');
  assert.equal(formatMoney('999.995', 'GBP'), '£1,000.00');
});

test('negative amounts keep their sign and round away from zero', () => {
  assert.equal(formatMoney('-57191.695', 'NGN'), '-₦57,191.70');
  assert.equal(formatMoney('-1250.5', 'GBP'), '-£1,250.50');
  assert.equal(formatMoney('-0.50', 'GBP'), '-£0.50');
  assert.equal(formatMoney('-0.005', 'USD'), '-$0.01');
  // Rounded to zero: no "-£0.00".
  assert.equal(formatMoney('-0.004', 'GBP'), '£0.00');
});

test('amounts beyond a double keep every digit', () => {
  assert.equal(formatMoney('99999999999999999999.99', 'NGN'), '₦99,999,999,999,999,999,999.99');
  assert.equal(formatMoney('12345678901234567890.125', 'GBP'), '£12,345,678,901,234,567,890.13');
  // A float would have printed 100,000,000,000,000,000,000.00.
  assert.notEqual(formatMoney('99999999999999999999.99', 'NGN'), '₦100,000,000,000,000,000,000.00');
});

test('the locale decides separators; the fraction is spliced in the locale\'s place', () => {
  assert.equal(plain(formatMoney('1234.5', 'EUR', 'de-DE')), '1.234,50 €');
  assert.equal(plain(formatMoney('-0.25', 'EUR', 'de-DE')), '-0,25 €');
});

test('three-digit currencies use three decimals', () => {
  assert.equal(plain(formatMoney('12.3456', 'KWD')).endsWith('12.346'), true);
});

test('text that is not a decimal is shown, not hidden or guessed', () => {
  assert.equal(formatMoney('1e5', 'NGN'), 'NGN 1e5');
  assert.equal(formatMoney('1,000', 'NGN'), 'NGN 1,000');
  assert.equal(formatMoney('', 'NGN'), 'NGN ');
});

test('roundDecimal works on the digits', () => {
  assert.deepEqual(roundDecimal('57191.695', 2), { negative: false, integer: 57191n, fraction: '70' });
  assert.deepEqual(roundDecimal('-0.994', 2), { negative: true, integer: 0n, fraction: '99' });
  assert.deepEqual(roundDecimal('9.5', 0), { negative: false, integer: 10n, fraction: '' });
  assert.equal(roundDecimal('abc', 2), null);
});

test('face values drop a zero fraction only', () => {
  assert.equal(formatFaceValue('500', 'NGN'), '₦500');
  assert.equal(formatFaceValue('5.00', 'GBP'), '£5');
  assert.equal(formatFaceValue('7.2', 'USD'), '$7.20');
});

test('rates are grouped, never rounded', () => {
  assert.equal(formatDecimal('2313.3000000000'), '2,313.3');
  assert.equal(formatDecimal('0.0004322830'), '0.000432283');
  assert.equal(formatDecimal('1'), '1');
});

test('compareDecimal orders exact decimals', () => {
  assert.equal(compareDecimal('500', '50000'), -1);
  assert.equal(compareDecimal('5.0', '5'), 0);
  assert.equal(compareDecimal('-1', '0.5'), -1);
  assert.equal(compareDecimal('99999999999999999999.99', '99999999999999999999.98'), 1);
});

test('denominations: a range, fixed values, and a fixed value inside a range', () => {
  const d = (kind, min, max, currency) => ({ kind, min, max, currency });
  assert.equal(formatDenominations([d('range', '500', '50000', 'NGN')]), '₦500 – ₦50,000');
  assert.equal(
    formatDenominations([d('fixed', '15', '15', 'GBP'), d('fixed', '5', '5', 'GBP'), d('fixed', '10', '10', 'GBP')]),
    '£5 · £10 · £15',
  );
  assert.equal(
    formatDenominations([d('fixed', '500', '500', 'NGN'), d('range', '500', '50000', 'NGN')]),
    '₦500 – ₦50,000',
  );
  assert.equal(formatDenominations([]), '—');
});
