//! Product lists by phone number (`network_list/v/2` for airtime, `data_list/v/2` for data)
//! mapped to shared `Product`s, and the open range price rule.

use rust_decimal::{Decimal, RoundingStrategy};

use super::errors::{bad, classify, refusal, Code};
use super::route::{Kind, Route};
use super::wire::{ListBody, ListInfo, WireProduct};
use crate::money::{Currency, Money};
use crate::providers::http::HttpClient;
use crate::providers::{Denomination, DenominationKind, Product, ProviderError};

pub const AIRTIME: &str = "airtime";
pub const DATA: &str = "data-bundle";

/// What an open range purchase costs: the amount the provider will credit and the Naira
/// price it will charge for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenRangePrice {
    /// The requested amount rounded up to a whole unit ("20.6 USD is rounded up to 21 USD").
    pub amount: Decimal,
    /// `amount * rate` in NGN, rounded up to 2 decimal places.
    pub price: Decimal,
}

/// The document's rule for open range products: no decimals in the amount (rounded up),
/// price = amount * rate, rounded up to 2 decimals. `None` on overflow or a negative input.
pub fn open_range_price(amount: Decimal, rate: Decimal) -> Option<OpenRangePrice> {
    if amount.is_sign_negative() || rate.is_sign_negative() {
        return None;
    }
    let amount = amount.ceil();
    let price = amount
        .checked_mul(rate)?
        .round_dp_with_strategy(2, RoundingStrategy::ToPositiveInfinity);
    Some(OpenRangePrice { amount, price })
}

/// Maps one list answer. A product that cannot be read is skipped with a warning: one bad
/// row must not hide the good ones. `country` is the query's country, kept for purchases.
pub(super) fn map_list(
    http: &HttpClient,
    kind: Kind,
    body: &str,
    country: Option<&str>,
) -> Result<Vec<Product>, ProviderError> {
    let list: ListBody = serde_json::from_str(body).map_err(|e| {
        bad(
            http,
            format!("the product list is not valid JSON ({e})"),
            body,
        )
    })?;
    match list.response.as_deref().map(classify) {
        // A list without `response` but with products is still a list.
        Some(Code::Ok) | None if list.products.is_some() => {}
        Some(Code::Ok) | None => return Err(bad(http, "a product list without products", body)),
        Some(_) => {
            let code = list.response.as_deref().unwrap_or_default();
            return Err(refusal(http, code, list.message.as_deref(), body));
        }
    }
    let info = list.info.unwrap_or_default();
    let mut out = Vec::new();
    for raw in list.products.unwrap_or_default() {
        let mapped = serde_json::from_str::<WireProduct>(raw.get())
            .map_err(|e| e.to_string())
            .and_then(|p| map_product(kind, &info, &p, country));
        match mapped {
            Ok(p) => out.push(p),
            Err(why) => {
                tracing::warn!(provider = %super::KIND, %why, "skipping an unreadable product")
            }
        }
    }
    Ok(out)
}

fn map_product(
    kind: Kind,
    info: &ListInfo,
    p: &WireProduct,
    country: Option<&str>,
) -> Result<Product, String> {
    let id = p.id.clone().ok_or("a product without an id")?;
    let currency = p
        .topup_currency
        .as_deref()
        .map(Currency::new)
        .transpose()
        .map_err(|e| format!("product {id}: {e}"))?
        .ok_or_else(|| format!("product {id} has no topup_currency"))?;
    // `openRange` is per list; a product with min/max/rate and no flag is read as a range.
    let open_range = info
        .open_range
        .unwrap_or(p.min.is_some() && p.max.is_some() && p.rate.is_some());
    let operator = info.operator.clone();
    let op = operator.as_deref().unwrap_or("Mobile");
    let ngn = Currency::known("NGN");
    let mut product = Product {
        id: id.clone(),
        code: None,
        name: String::new(),
        category_code: kind.category_code().to_owned(),
        category: kind.category_name().to_owned(),
        sub_category_code: None,
        sub_category: None,
        brand_code: None,
        brand_family: None,
        operator: operator.clone(),
        // The list names the country ("United Kingdom"), not its ISO code.
        country_codes: Vec::new(),
        denominations: Vec::new(),
        cost: None,
        face_value: None,
        fx_rate: None,
        wallet_id: None,
        validity: p.validity.clone(),
        description: describe(info),
        requires_validation: false,
        needs: Vec::new(),
        active: true,
        provider_ref: Some(
            Route {
                kind,
                open_range,
                country: country.map(str::to_owned),
            }
            .encode(),
        ),
    };
    if open_range {
        let (min, max, rate) = match (p.min, p.max, p.rate) {
            (Some(a), Some(b), Some(r)) if a <= b => (a, b, r),
            _ => {
                return Err(format!(
                    "open range product {id} lacks a valid min, max or rate"
                ))
            }
        };
        let quote =
            open_range_price(min, rate).ok_or_else(|| format!("product {id}: price overflows"))?;
        product.name = format!("{op} {} {min}-{max} {currency}", kind.label());
        product.denominations = vec![Denomination {
            kind: DenominationKind::Range,
            min,
            max,
            currency: currency.clone(),
        }];
        product.face_value = Some(Money::new(quote.amount, currency));
        product.cost = Some(Money::new(quote.price, ngn));
        product.fx_rate = Some(rate);
    } else {
        let (face, price) = match (p.topup_amount, p.price) {
            (Some(f), Some(c)) => (f, c),
            _ => return Err(format!("fixed product {id} lacks topup_amount or price")),
        };
        product.name = match (kind, p.data_amount.as_deref()) {
            (Kind::Data, Some(mb)) => {
                let validity = p
                    .validity
                    .as_deref()
                    .map(|v| format!(", {v}"))
                    .unwrap_or_default();
                format!("{op} {} data{validity}", data_size(mb))
            }
            _ => format!("{op} {} {face} {currency}", kind.label()),
        };
        product.denominations = vec![Denomination {
            kind: DenominationKind::Fixed,
            min: face,
            max: face,
            currency: currency.clone(),
        }];
        product.face_value = Some(Money::new(face, currency));
        product.cost = Some(Money::new(price, ngn));
    }
    Ok(product)
}

fn describe(info: &ListInfo) -> Option<String> {
    let parts: Vec<&str> = [info.country.as_deref(), info.msisdn.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| parts.join(", number "))
}

/// `data_amount` is in MB: "2500 equals 2.5GB and 200 equals 200MB".
pub(super) fn data_size(mb: &str) -> String {
    match crate::money::parse_amount(mb) {
        Ok(v) if v >= Decimal::from(1000) => format!("{}GB", (v / Decimal::from(1000)).normalize()),
        Ok(v) => format!("{}MB", v.normalize()),
        Err(_) => mb.to_owned(),
    }
}
