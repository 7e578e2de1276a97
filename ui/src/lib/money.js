// Amounts cross IPC as exact decimal strings ("1250000.00"). They are rounded and grouped
// here with string and BigInt arithmetic only: a float would turn 99999999999999999999.99
// into 100000000000000000000 and 57191.695 into 57191.69.
//
// Plain JavaScript with JSDoc types so `node --test` can import it without a build step.

/** One default for the whole app, so a balance reads the same on every screen. */
export const DEFAULT_LOCALE = 'en-GB';

/**
 * Display digits per currency: the same table as the core's `Currency::minor_digits`
 * (crates/core/src/money.rs), so the UI shows what the ledger holds.
 * @type {Record<string, number>}
 */
const MINOR_DIGITS = {
  UGX: 0, JPY: 0, KRW: 0, XOF: 0, XAF: 0, RWF: 0,
  KWD: 3, BHD: 3, OMR: 3, JOD: 3,
};

/**
 * Where the default locale has no symbol of its own for a currency (en-GB prints "UGX"),
 * the symbol comes from the currency's home locale: Ugandan shops know "USh".
 * @type {Record<string, string>}
 */
const HOME_LOCALE = {
  NGN: 'en-NG', UGX: 'en-UG', GBP: 'en-GB', KES: 'en-KE', TZS: 'en-TZ', RWF: 'en-RW',
  GHS: 'en-GH', ZAR: 'en-ZA', USD: 'en-US',
};

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** @param {string} currency */
export function minorDigits(currency) {
  return MINOR_DIGITS[currency.toUpperCase()] ?? 2;
}

/**
 * @typedef {{ negative: boolean, integer: bigint, fraction: string }} Rounded
 *   `integer` and `fraction` are the magnitude; `fraction` has exactly the requested digits.
 */

/**
 * Rounds a decimal string to `digits` fraction digits, half away from zero.
 * Returns null when `amount` is not a plain decimal ("1e5", "", "1,000" are refused).
 * @param {string} amount
 * @param {number} digits
 * @returns {Rounded | null}
 */
export function roundDecimal(amount, digits) {
  const m = DECIMAL.exec(amount.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const sign = m[1];
  const intText = m[2] === '' ? '0' : m[2];
  const fracText = m[3] ?? '';
  const kept = fracText.slice(0, digits).padEnd(digits, '0');
  // All the digits we keep, as one integer in units of 10^-digits.
  let units = BigInt(intText + kept);
  if (fracText.length > digits && fracText.charCodeAt(digits) >= 53 /* '5' */) units += 1n;
  const scale = 10n ** BigInt(digits);
  const integer = units / scale;
  const fraction = digits === 0 ? '' : (units % scale).toString().padStart(digits, '0');
  // "-0.001" rounds to zero, and zero has no sign.
  const negative = sign === '-' && units !== 0n;
  return { negative, integer, fraction };
}

/** @type {Map<string, Intl.NumberFormat>} */
const formatters = new Map();

/**
 * @param {string} locale
 * @param {Intl.NumberFormatOptions} options
 */
function formatter(locale, options) {
  const key = locale + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    formatters.set(key, f);
  }
  return f;
}

/**
 * The locale's own digits, for the fraction we splice in (Latin digits in every English
 * locale, but an Arabic-script locale would use its own).
 * @param {string} locale
 * @param {string} fraction
 */
function localDigits(locale, fraction) {
  const f = formatter(locale, { useGrouping: false });
  return fraction.replace(/\d/g, (d) => f.format(Number(d)));
}

/**
 * The symbol to show for a currency: the locale's narrow symbol, or the home locale's when
 * the locale only knows the ISO code.
 * @param {string} currency
 * @param {string} locale
 */
function currencySymbol(currency, locale) {
  const own = symbolIn(currency, locale);
  if (own !== currency) return own;
  const home = HOME_LOCALE[currency];
  return home ? symbolIn(currency, home) : own;
}

/**
 * @param {string} currency
 * @param {string} locale
 */
function symbolIn(currency, locale) {
  const parts = formatter(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' })
    .formatToParts(0);
  return parts.find((p) => p.type === 'currency')?.value ?? currency;
}

/**
 * Formats parts of a rounded amount with `options`, replacing the integer digits by the
 * BigInt's and the fraction digits by ours.
 * @param {Rounded} r
 * @param {string} locale
 * @param {Intl.NumberFormatOptions} options
 * @param {(part: Intl.NumberFormatPart) => string} [mapPart]
 */
function formatRounded(r, locale, options, mapPart) {
  const f = formatter(locale, options);
  // BigInt has no negative zero: "-0.50" borrows the layout of -1 and puts 0 in its place.
  const value = r.negative ? (r.integer === 0n ? -1n : -r.integer) : r.integer;
  const zeroForOne = r.negative && r.integer === 0n;
  return f
    .formatToParts(value)
    .map((p) => {
      if (p.type === 'integer' && zeroForOne) return f.formatToParts(0n).find((q) => q.type === 'integer')?.value ?? '0';
      if (p.type === 'fraction') return localDigits(locale, r.fraction);
      return mapPart ? mapPart(p) : p.value;
    })
    .join('');
}

/**
 * Formats an exact decimal amount of money, rounded to the currency's display digits
 * (UGX 0, most 2) half away from zero: formatMoney("1250000.00", "NGN") → "₦1,250,000.00".
 * Text that is not a decimal is shown as it came, after the code, rather than hidden.
 * @param {string} amount exact decimal text, e.g. "57191.695" or "-12.5"
 * @param {string} currency ISO 4217 code
 * @param {string} [locale]
 * @returns {string}
 */
export function formatMoney(amount, currency, locale = DEFAULT_LOCALE) {
  const code = currency.toUpperCase();
  const digits = minorDigits(code);
  const r = roundDecimal(amount, digits);
  if (!r) return `${code} ${amount}`;
  return formatMoneyParts(r, code, digits, locale);
}

/**
 * Like formatMoney, but a face value such as "500" or "5.00" drops a zero fraction
 * ("₦500", "£5") while "7.20" stays "$7.20". For denominations and price lists.
 * @param {string} amount
 * @param {string} currency
 * @param {string} [locale]
 * @returns {string}
 */
export function formatFaceValue(amount, currency, locale = DEFAULT_LOCALE) {
  const code = currency.toUpperCase();
  const full = minorDigits(code);
  const r = roundDecimal(amount, full);
  if (!r) return `${code} ${amount}`;
  if (/^0*$/.test(r.fraction)) return formatMoneyParts({ ...r, fraction: '' }, code, 0, locale);
  return formatMoneyParts(r, code, full, locale);
}

/**
 * @param {Rounded} r
 * @param {string} code
 * @param {number} digits
 * @param {string} locale
 */
function formatMoneyParts(r, code, digits, locale) {
  const symbol = currencySymbol(code, locale);
  return formatRounded(
    r,
    locale,
    {
      style: 'currency',
      currency: code,
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    },
    (p) => (p.type === 'currency' ? symbol : p.value),
  );
}

/**
 * Groups an exact decimal without rounding it: "2313.3" → "2,313.3". For rates.
 * @param {string} value
 * @param {string} [locale]
 * @returns {string}
 */
export function formatDecimal(value, locale = DEFAULT_LOCALE) {
  const m = DECIMAL.exec(value.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return value;
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  const r = roundDecimal(value, fraction.length);
  if (!r) return value;
  return formatRounded(r, locale, {
    minimumFractionDigits: fraction.length,
    maximumFractionDigits: fraction.length,
  });
}

/**
 * Compares two exact decimals: negative when a < b, 0 when equal, positive when a > b.
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export function compareDecimal(a, b) {
  const digits = Math.max(fractionLength(a), fractionLength(b));
  const ra = roundDecimal(a, digits);
  const rb = roundDecimal(b, digits);
  if (!ra || !rb) return a.localeCompare(b);
  const units = (/** @type {Rounded} */ r) =>
    (r.negative ? -1n : 1n) * BigInt(r.integer.toString() + r.fraction);
  const d = units(ra) - units(rb);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** @param {string} s */
function fractionLength(s) {
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}
