//! Exact money: an amount as `rust_decimal::Decimal` with its ISO currency, and the parser
//! for every amount shape the provider documents use.
//!
//! Providers send amounts as JSON numbers with up to 10 decimals (`203.7913350000`), as
//! numeric strings (`"8389.26"`), and with thousands separators (`"57,191.70"`). None of
//! them may pass through a float, so JSON numbers are read from their raw text.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};

/// The most decimals any provider sends (Vendify's FX rates).
pub const MAX_SCALE: u32 = 10;

/// Why a text is not an amount. Each variant names what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("the amount is empty")]
    Empty,
    #[error("\"{0}\" is not a number: use digits with an optional decimal point, e.g. 1250.00")]
    NotANumber(String),
    #[error("\"{0}\" has more than {MAX_SCALE} decimals")]
    TooManyDecimals(String),
    #[error("\"{0}\" has misplaced thousands separators: write 57,191.70 or 57191.70")]
    BadGrouping(String),
    #[error("\"{0}\" is too large")]
    TooLarge(String),
}

/// Parses one amount as providers write it: optional sign, digits, optional comma
/// grouping in threes, optional decimal point. Exponents, spaces inside the number,
/// currency symbols and floats are refused rather than guessed at.
pub fn parse_amount(text: &str) -> Result<Decimal, AmountError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(AmountError::Empty);
    }
    let (neg, body) = match t.as_bytes()[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int_part.is_empty() && frac_part.is_none_or(str::is_empty) {
        return Err(AmountError::NotANumber(t.to_owned()));
    }
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let int_digits: String = if int_part.contains(',') {
        let groups: Vec<&str> = int_part.split(',').collect();
        let first_ok = !groups[0].is_empty() && groups[0].len() <= 3 && digits_only(groups[0]);
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3 && digits_only(g));
        if !first_ok || !rest_ok {
            return if int_part.bytes().all(|b| b.is_ascii_digit() || b == b',') {
                Err(AmountError::BadGrouping(t.to_owned()))
            } else {
                Err(AmountError::NotANumber(t.to_owned()))
            };
        }
        groups.concat()
    } else {
        if !digits_only(int_part) {
            return Err(AmountError::NotANumber(t.to_owned()));
        }
        int_part.to_owned()
    };
    let frac = frac_part.unwrap_or("");
    if !digits_only(frac) {
        return Err(AmountError::NotANumber(t.to_owned()));
    }
    if frac.len() > MAX_SCALE as usize {
        return Err(AmountError::TooManyDecimals(t.to_owned()));
    }
    let int_digits = if int_digits.is_empty() {
        "0".to_owned()
    } else {
        int_digits
    };
    let canonical = if frac.is_empty() {
        int_digits
    } else {
        format!("{int_digits}.{frac}")
    };
    let value =
        Decimal::from_str_exact(&canonical).map_err(|_| AmountError::TooLarge(t.to_owned()))?;
    Ok(if neg { -value } else { value })
}

/// An ISO 4217 code, upper case, three letters.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(String);

impl Currency {
    pub fn new(code: &str) -> Result<Self, CurrencyError> {
        let c = code.trim().to_ascii_uppercase();
        if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(c))
        } else {
            Err(CurrencyError(code.to_owned()))
        }
    }
    /// For codes written in this program's source, which are checked by a test.
    pub(crate) fn known(code: &'static str) -> Self {
        Self(code.to_owned())
    }
    pub fn code(&self) -> &str {
        &self.0
    }
    /// Minor-unit digits used for display and for rounding a customer-facing price.
    pub fn minor_digits(&self) -> u32 {
        match self.0.as_str() {
            "UGX" | "JPY" | "KRW" | "XOF" | "XAF" | "RWF" => 0,
            "KWD" | "BHD" | "OMR" | "JOD" => 3,
            _ => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a currency code: use three letters such as NGN, GBP, UGX")]
pub struct CurrencyError(String);

impl TryFrom<String> for Currency {
    type Error = CurrencyError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Currency::new(&s)
    }
}
impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.0
    }
}
impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An exact amount in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }
    pub fn parse(amount: &str, currency: &str) -> Result<Self, MoneyError> {
        Ok(Self {
            amount: parse_amount(amount)?,
            currency: Currency::new(currency)?,
        })
    }
    pub fn zero(currency: Currency) -> Self {
        Self::new(Decimal::ZERO, currency)
    }
    /// Adds two amounts of the same currency; different currencies are a bug upstream.
    pub fn checked_add(&self, other: &Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(
                self.currency.clone(),
                other.currency.clone(),
            ));
        }
        let sum = self
            .amount
            .checked_add(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(sum, self.currency.clone()))
    }
    pub fn checked_sub(&self, other: &Money) -> Result<Money, MoneyError> {
        self.checked_add(&Money::new(-other.amount, other.currency.clone()))
    }
    /// The amount as a plain decimal string, the only form amounts take across IPC:
    /// exact, without noise zeros, but with at least the currency's minor digits
    /// (`NGN 485.00`, `UGX 4500000`, `USD 0.000556`).
    pub fn amount_string(&self) -> String {
        let mut n = self.amount.normalize();
        let digits = self.currency.minor_digits();
        if n.scale() < digits {
            n.rescale(digits);
        }
        n.to_string()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.currency, self.amount_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error(transparent)]
    Amount(#[from] AmountError),
    #[error(transparent)]
    Currency(#[from] CurrencyError),
    #[error("cannot combine {0} and {1} amounts without an exchange rate")]
    CurrencyMismatch(Currency, Currency),
    #[error("the amount is too large")]
    Overflow,
}

/// Scale of ledger integers: amounts are stored as `i64` ten-thousandths of a currency
/// unit so that SQLite `SUM` stays exact integer arithmetic.
pub const LEDGER_SCALE: u32 = 4;

/// Converts an amount to ledger units, refusing (never rounding) anything finer than
/// [`LEDGER_SCALE`] decimals.
pub fn to_ledger_units(amount: Decimal) -> Result<i64, MoneyError> {
    let n = amount.normalize();
    if n.scale() > LEDGER_SCALE {
        return Err(MoneyError::Amount(AmountError::TooManyDecimals(
            n.to_string(),
        )));
    }
    let scaled = n
        .checked_mul(Decimal::from(10_i64.pow(LEDGER_SCALE)))
        .ok_or(MoneyError::Overflow)?;
    i64::try_from(scaled).map_err(|_| MoneyError::Overflow)
}

pub fn from_ledger_units(units: i64) -> Decimal {
    Decimal::new(units, LEDGER_SCALE)
}

/// Serde helper for provider bodies: accepts a JSON number (read from its raw text, never
/// through a binary floating-point type) or a numeric string in any shape [`parse_amount`] accepts.
///
/// Only works when the field is deserialized straight from `serde_json` (no `untagged` or
/// `flatten` around it), which is how every adapter reads its wire types.
pub fn de_amount<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let raw: Box<serde_json::value::RawValue> = Deserialize::deserialize(d)?;
    amount_from_raw(raw.get()).map_err(serde::de::Error::custom)
}

/// Like [`de_amount`] for optional fields; `null` and `""` become `None`.
pub fn de_opt_amount<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    let raw: Option<Box<serde_json::value::RawValue>> = Deserialize::deserialize(d)?;
    match raw {
        None => Ok(None),
        Some(r) if r.get() == "null" || r.get() == "\"\"" => Ok(None),
        Some(r) => amount_from_raw(r.get())
            .map(Some)
            .map_err(serde::de::Error::custom),
    }
}

/// Reads an amount from the raw JSON text of a number or a string.
pub fn amount_from_raw(raw: &str) -> Result<Decimal, AmountError> {
    let raw = raw.trim();
    if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        return parse_amount(inner);
    }
    if raw.contains(['e', 'E']) {
        // Exponent form: exact via Decimal's scientific parser, still no float.
        return Decimal::from_scientific(raw).map_err(|_| AmountError::NotANumber(raw.to_owned()));
    }
    parse_amount(raw)
}

impl FromStr for Money {
    type Err = MoneyError;
    /// `"NGN 1250.00"` or `"1250.00 NGN"`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split_whitespace().collect();
        match parts.as_slice() {
            [a, b] if a.len() == 3 && a.chars().all(|c| c.is_ascii_alphabetic()) => {
                Money::parse(b, a)
            }
            [a, b] => Money::parse(a, b),
            _ => Err(MoneyError::Amount(AmountError::NotANumber(s.to_owned()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str_exact(s).expect("test literal")
    }

    #[test]
    fn every_shape_in_the_seeds_parses_exactly() {
        assert_eq!(parse_amount("57,191.70"), Ok(d("57191.70")));
        assert_eq!(parse_amount("1,000.00"), Ok(d("1000.00")));
        assert_eq!(parse_amount("10,000.00"), Ok(d("10000.00")));
        assert_eq!(parse_amount("8389.26"), Ok(d("8389.26")));
        assert_eq!(parse_amount("203.7913350000"), Ok(d("203.7913350000")));
        assert_eq!(parse_amount("0.278000"), Ok(d("0.278")));
        assert_eq!(parse_amount("1546"), Ok(d("1546")));
        assert_eq!(parse_amount("0.00"), Ok(Decimal::ZERO));
        assert_eq!(parse_amount(".5"), Ok(d("0.5")));
        assert_eq!(parse_amount("-12.50"), Ok(d("-12.50")));
    }

    #[test]
    fn json_numbers_never_pass_through_a_float() {
        // 0.1 + 0.2 style noise would show up here if a float were involved.
        assert_eq!(amount_from_raw("203.7913350000"), Ok(d("203.791335")));
        assert_eq!(amount_from_raw("2197.6350"), Ok(d("2197.635")));
        assert_eq!(amount_from_raw("0.000556"), Ok(d("0.000556")));
        assert_eq!(amount_from_raw("\"57,191.70\""), Ok(d("57191.70")));
        assert_eq!(amount_from_raw("17450"), Ok(d("17450")));
        assert_eq!(amount_from_raw("1e3"), Ok(d("1000")));
        #[derive(Deserialize)]
        struct Row {
            #[serde(deserialize_with = "de_amount")]
            rate: Decimal,
            #[serde(default, deserialize_with = "de_opt_amount")]
            price: Option<Decimal>,
        }
        let r: Row =
            serde_json::from_str(r#"{"rate": 2313.3000000000, "price": null}"#).expect("parses");
        assert_eq!(r.rate, d("2313.3"));
        assert_eq!(r.price, None);
    }

    #[test]
    fn malformed_amounts_are_refused_with_a_reason() {
        assert_eq!(parse_amount(""), Err(AmountError::Empty));
        assert!(matches!(
            parse_amount("12,34.00"),
            Err(AmountError::BadGrouping(_))
        ));
        assert!(matches!(
            parse_amount("1,0000"),
            Err(AmountError::BadGrouping(_))
        ));
        assert!(matches!(
            parse_amount("₦100"),
            Err(AmountError::NotANumber(_))
        ));
        assert!(matches!(
            parse_amount("1.2.3"),
            Err(AmountError::NotANumber(_))
        ));
        assert!(matches!(
            parse_amount("abc"),
            Err(AmountError::NotANumber(_))
        ));
        assert!(matches!(parse_amount("."), Err(AmountError::NotANumber(_))));
        assert!(matches!(
            parse_amount("1.12345678901"),
            Err(AmountError::TooManyDecimals(_))
        ));
        assert!(matches!(
            parse_amount("99999999999999999999999999999999"),
            Err(AmountError::TooLarge(_))
        ));
    }

    #[test]
    fn currencies_are_three_letters() {
        assert_eq!(
            Currency::new("ngn").map(|c| c.code().to_owned()),
            Ok("NGN".to_owned())
        );
        assert!(Currency::new("NAIRA").is_err());
        assert_eq!(Currency::new("UGX").map(|c| c.minor_digits()), Ok(0));
    }

    #[test]
    fn amount_strings_keep_the_currency_minor_digits_and_nothing_is_rounded() {
        assert_eq!(
            Money::parse("485", "NGN").expect("ok").amount_string(),
            "485.00"
        );
        assert_eq!(
            Money::parse("4500000.0000", "UGX")
                .expect("ok")
                .amount_string(),
            "4500000"
        );
        assert_eq!(
            Money::parse("0.000556", "USD").expect("ok").amount_string(),
            "0.000556"
        );
        assert_eq!(
            Money::parse("2197.6350", "NGN")
                .expect("ok")
                .amount_string(),
            "2197.635"
        );
    }

    #[test]
    fn adding_different_currencies_is_refused() {
        let a = Money::parse("1", "NGN").expect("ok");
        let b = Money::parse("1", "GBP").expect("ok");
        assert!(matches!(
            a.checked_add(&b),
            Err(MoneyError::CurrencyMismatch(_, _))
        ));
    }

    #[test]
    fn ledger_units_refuse_rounding() {
        assert_eq!(to_ledger_units(d("2197.6350")), Ok(21_976_350));
        assert!(to_ledger_units(d("0.000556")).is_err());
        assert_eq!(from_ledger_units(21_976_350), d("2197.6350"));
    }

    fn group(int: u64) -> String {
        let s = int.to_string();
        let mut out = String::new();
        for (i, ch) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        out
    }

    proptest! {
        #[test]
        fn plain_and_grouped_forms_agree(int in 0u64..10_000_000_000_000, frac in 0u32..100, neg: bool) {
            let plain = format!("{}{int}.{frac:02}", if neg { "-" } else { "" });
            let grouped = format!("{}{}.{frac:02}", if neg { "-" } else { "" }, group(int));
            let a = parse_amount(&plain).expect("plain parses");
            let b = parse_amount(&grouped).expect("grouped parses");
            prop_assert_eq!(a, b);
            prop_assert_eq!(a.abs().to_string(), format!("{int}.{frac:02}"));
        }

        #[test]
        fn any_decimal_round_trips_through_its_text(m in any::<i64>(), scale in 0u32..=10) {
            let v = Decimal::new(m, scale);
            prop_assert_eq!(parse_amount(&v.to_string()), Ok(v));
            prop_assert_eq!(amount_from_raw(&v.to_string()), Ok(v));
            prop_assert_eq!(amount_from_raw(&format!("\"{v}\"")), Ok(v));
        }

        #[test]
        fn parser_never_panics(s in "\\PC{0,40}") {
            let _ = parse_amount(&s);
            let _ = amount_from_raw(&s);
        }

        #[test]
        fn ledger_units_round_trip(m in -1_000_000_000_000i64..1_000_000_000_000, scale in 0u32..=4) {
            let v = Decimal::new(m, scale);
            let units = to_ledger_units(v).expect("fits");
            prop_assert_eq!(from_ledger_units(units), v);
        }
    }
}
