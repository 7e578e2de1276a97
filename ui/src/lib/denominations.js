// How a product's denominations read in the catalogue: "₦500 – ₦50,000" for a range,
// "£5 · £10 · £15" for fixed values. Plain JavaScript so node's tests can import it.

import { compareDecimal, formatFaceValue, DEFAULT_LOCALE } from './money.js';

/**
 * @typedef {{ kind: 'fixed' | 'range', min: string, max: string, currency: string }} Denomination
 */

/**
 * One line for a product's denominations. Ranges come first; a fixed value that a range of
 * the same currency already covers is left out (the demo's MTN airtime lists ₦500 and
 * ₦500 – ₦50,000, which reads as the range alone).
 * @param {Denomination[]} denominations
 * @param {string} [locale]
 * @returns {string}
 */
export function formatDenominations(denominations, locale = DEFAULT_LOCALE) {
  const ranges = denominations.filter((d) => d.kind === 'range');
  const fixed = denominations
    .filter((d) => d.kind === 'fixed')
    .filter(
      (d) =>
        !ranges.some(
          (r) =>
            r.currency === d.currency &&
            compareDecimal(r.min, d.min) <= 0 &&
            compareDecimal(d.min, r.max) <= 0,
        ),
    )
    .sort((a, b) => compareDecimal(a.min, b.min));
  const parts = [
    ...ranges.map(
      (r) => `${formatFaceValue(r.min, r.currency, locale)} – ${formatFaceValue(r.max, r.currency, locale)}`,
    ),
    ...fixed.map((d) => formatFaceValue(d.min, d.currency, locale)),
  ];
  return parts.length ? parts.join(' · ') : '—';
}
