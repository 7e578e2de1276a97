//! eStoreSMS wire types: the JSON bodies exactly as the provider sends and expects them.
//! Private to the adapter; everything leaving the module is mapped to the shared types.
//!
//! The provider mixes numbers and numeric strings freely (`"topup_amount":"5.00"` in one
//! list, `"topup_amount":100` in the next), so every amount goes through `de_opt_amount`
//! (raw JSON text, never a float) and every identifier through [`de_opt_text`].

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use crate::money::de_opt_amount;

/// The top-level `{"response": "...", "message": "..."}` every endpoint answers with on a
/// refusal (`{"response":"P013","message":"Insufficient Balance"}`), and the product lists
/// answer with on success (`"response":"OK"`).
#[derive(Debug, Default, Deserialize)]
pub(super) struct Envelope {
    #[serde(default, deserialize_with = "de_opt_text")]
    pub response: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub message: Option<String>,
}

/// `network_list/v/2` and `data_list/v/2` request. `country` appears only in the airtime
/// sample; the data sample omits it.
#[derive(Debug, Serialize)]
pub(super) struct ListRequest<'a> {
    pub username: &'a str,
    pub hash: &'a str,
    pub phone: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<&'a str>,
}

/// A product list answer. `products` stays raw so that one malformed product is skipped
/// instead of failing the whole list.
#[derive(Debug, Deserialize)]
pub(super) struct ListBody {
    #[serde(default, deserialize_with = "de_opt_text")]
    pub response: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub message: Option<String>,
    #[serde(default)]
    pub info: Option<ListInfo>,
    #[serde(default)]
    pub products: Option<Vec<Box<RawValue>>>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct ListInfo {
    #[serde(rename = "openRange", default, deserialize_with = "de_opt_flag")]
    pub open_range: Option<bool>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub country: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub operator: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub msisdn: Option<String>,
}

/// One product: open range ones carry `min`/`max`/`rate`, fixed ones `topup_amount`/`price`,
/// data ones add `data_amount` (MB) and `validity`.
#[derive(Debug, Deserialize)]
pub(super) struct WireProduct {
    #[serde(default, deserialize_with = "de_opt_text")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub min: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub max: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub topup_currency: Option<String>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub rate: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub topup_amount: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub price: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub data_amount: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub validity: Option<String>,
}

/// `network_processing/v/2` and `data_processing/v/2` request: one `ref` and one hash for
/// the whole batch of up to five items.
#[derive(Debug, Serialize)]
pub(super) struct PurchaseBody<'a> {
    pub username: &'a str,
    #[serde(rename = "ref")]
    pub reference: &'a str,
    pub hash: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback: Option<&'a str>,
    pub request: Vec<PurchaseItemOut<'a>>,
}

/// One item. `amount` is a whole number and only sent for open range products; `country`
/// only for airtime (the data sample has neither).
#[derive(Debug, Serialize)]
pub(super) struct PurchaseItemOut<'a> {
    pub product: &'a str,
    pub phone: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<&'a str>,
}

/// A purchase answer: either the batch form (`failed` + `result`) or the envelope form
/// (`response` + `message`) for a refusal of the whole batch.
#[derive(Debug, Deserialize)]
pub(super) struct PurchaseAnswer {
    #[serde(default, deserialize_with = "de_opt_text")]
    pub response: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "de_opt_count")]
    pub failed: Option<u32>,
    #[serde(default)]
    pub result: Option<Vec<Box<RawValue>>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct PurchaseResult {
    #[serde(default, deserialize_with = "de_opt_text")]
    pub response: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub message: Option<String>,
    #[serde(rename = "ref", default, deserialize_with = "de_opt_text")]
    pub reference: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub transaction_id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub phone: Option<String>,
    // `amount` (the list price) and `data_amount` are not read: the charge and the product
    // already say what was bought and paid.
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub amount_charged: Option<Decimal>,
    #[serde(default)]
    pub pins: Option<Vec<WirePin>>,
}

#[derive(Debug, Deserialize)]
pub(super) struct WirePin {
    #[serde(rename = "serialNumber", default, deserialize_with = "de_opt_text")]
    pub serial_number: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub pin: Option<String>,
    #[serde(rename = "expiresOn", default, deserialize_with = "de_opt_text")]
    pub expires_on: Option<String>,
}

/// `api_query` request: by `transaction_id` or by `ref`, never both.
#[derive(Debug, Serialize)]
pub(super) struct QueryRequest<'a> {
    pub username: &'a str,
    pub hash: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<&'a str>,
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<&'a str>,
}

/// One record of an `api_query` answer (an array of these).
#[derive(Debug, Deserialize)]
pub(super) struct WireRecord {
    #[serde(default, deserialize_with = "de_opt_text")]
    pub transaction_id: Option<String>,
    #[serde(rename = "ref", default, deserialize_with = "de_opt_text")]
    pub reference: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub category: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub network: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub date: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub topup_currency: Option<String>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub topup_amount: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    pub data_amount: Option<String>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub price: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    pub amount_charged: Option<Decimal>,
}

/// Text that the provider sometimes sends as a JSON number (`"data_amount":"50"` vs a
/// plain `50`, ids, pins). Numbers keep their raw digits; `null` and `""` are `None`.
pub(super) fn de_opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw: Option<Box<RawValue>> = Deserialize::deserialize(d)?;
    let Some(raw) = raw else { return Ok(None) };
    let t = raw.get().trim();
    if t == "null" {
        return Ok(None);
    }
    if t.starts_with('"') {
        let s: String = serde_json::from_str(t).map_err(serde::de::Error::custom)?;
        let s = s.trim().to_owned();
        return Ok(if s.is_empty() { None } else { Some(s) });
    }
    if t.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        return Ok(Some(t.to_owned()));
    }
    Err(serde::de::Error::custom(format!(
        "expected text or a number, found {}",
        kind_of(t)
    )))
}

/// `openRange` as `true`/`false`, `"true"`/`"false"` or `1`/`0`.
fn de_opt_flag<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let raw: Option<Box<RawValue>> = Deserialize::deserialize(d)?;
    let Some(raw) = raw else { return Ok(None) };
    match raw
        .get()
        .trim()
        .trim_matches('"')
        .to_ascii_lowercase()
        .as_str()
    {
        "null" | "" => Ok(None),
        "true" | "1" | "yes" => Ok(Some(true)),
        "false" | "0" | "no" => Ok(Some(false)),
        other => Err(serde::de::Error::custom(format!(
            "openRange is not a flag: {}",
            kind_of(other)
        ))),
    }
}

/// The batch `failed` count, as a number or a numeric string.
fn de_opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let raw: Option<Box<RawValue>> = Deserialize::deserialize(d)?;
    let Some(raw) = raw else { return Ok(None) };
    let t = raw.get().trim().trim_matches('"').trim();
    if t == "null" || t.is_empty() {
        return Ok(None);
    }
    t.parse::<u32>()
        .map(Some)
        .map_err(|_| serde::de::Error::custom("`failed` is not a whole number"))
}

/// Names a JSON value's kind without echoing it (it could be anything the server sent).
fn kind_of(raw: &str) -> &'static str {
    match raw.chars().next() {
        Some('{') => "an object",
        Some('[') => "a list",
        Some('t') | Some('f') => "a boolean",
        _ => "an unexpected value",
    }
}
