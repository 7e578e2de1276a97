//! `api_query`: transaction records by `transaction_id` or by our `ref`, their statuses, and
//! the choice of the record that answers a status lookup.

use super::errors::{bad, classify, refusal, short, Code};
use super::wire::{Envelope, WireRecord};
use super::KIND;
use crate::money::{Currency, Money};
use crate::providers::http::HttpClient;
use crate::providers::{Delivery, OutcomeStatus, ProviderError, PurchaseOutcome};

/// What to ask `api_query` for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransactionQuery {
    /// The id eStoreSMS gave the item (`api_5ab5261b9b029`).
    TransactionId(String),
    /// Our `ref`; every item of a batch shares it, so several records may come back.
    Reference(String),
}

/// One transaction as `api_query` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionRecord {
    pub transaction_id: Option<String>,
    pub reference: Option<String>,
    /// `airtime` or `data`.
    pub category: Option<String>,
    pub network: Option<String>,
    pub phone: Option<String>,
    /// `None` when eStoreSMS sent a status the document does not list (see `provider_status`).
    pub status: Option<OutcomeStatus>,
    /// The status text as sent (`Awaiting Confirmation`, ...).
    pub provider_status: String,
    /// `YYYY-MM-DD HH:MM:SS` as sent; the document gives no time zone.
    pub date: Option<String>,
    pub topup: Option<Money>,
    /// Data value in MB, for data purchases.
    pub data_amount_mb: Option<String>,
    pub price: Option<Money>,
    pub charged: Option<Money>,
}

/// "Status can be Approved, Pending, Failed, Awaiting Confirmation, Cancelled or Reversed."
pub fn map_status(text: &str) -> Option<OutcomeStatus> {
    match text.trim().to_ascii_lowercase().as_str() {
        "approved" => Some(OutcomeStatus::Succeeded),
        "pending" | "awaiting confirmation" => Some(OutcomeStatus::Pending),
        "failed" | "cancelled" | "canceled" => Some(OutcomeStatus::Failed),
        "reversed" => Some(OutcomeStatus::Reversed),
        _ => None,
    }
}

/// Reads an `api_query` answer: an array of records, or `{"response":"FAIL","message":"No
/// record found"}` (an empty list). Other codes are typed refusals (`P001` -> Auth).
pub(super) fn parse_records(
    http: &HttpClient,
    body: &str,
) -> Result<Vec<TransactionRecord>, ProviderError> {
    let body = body.trim();
    if body.starts_with('[') {
        let raws: Vec<Box<serde_json::value::RawValue>> =
            serde_json::from_str(body).map_err(|e| {
                bad(
                    http,
                    format!("the transaction list is not valid JSON ({e})"),
                    body,
                )
            })?;
        return raws
            .iter()
            .map(|raw| {
                serde_json::from_str::<WireRecord>(raw.get())
                    .map(map_record)
                    .map_err(|e| {
                        bad(
                            http,
                            format!("an unreadable transaction record ({e})"),
                            raw.get(),
                        )
                    })
            })
            .collect();
    }
    let env: Envelope = serde_json::from_str(body).map_err(|e| {
        bad(
            http,
            format!("the query answer is not valid JSON ({e})"),
            body,
        )
    })?;
    if env.response.is_none() {
        // Not documented, but a single record without the array around it is still a record.
        if let Ok(rec) = serde_json::from_str::<WireRecord>(body) {
            if rec.status.is_some() {
                return Ok(vec![map_record(rec)]);
            }
        }
        return Err(bad(
            http,
            "a query answer with neither records nor a response code",
            body,
        ));
    }
    let code = env.response.as_deref().unwrap_or_default();
    // "FAIL" / "No record found" is how the document says "nothing with that id or ref".
    let no_record = env
        .message
        .as_deref()
        .is_none_or(|m| m.to_ascii_lowercase().contains("no record"));
    match classify(code) {
        Code::Failed if no_record && code.trim().eq_ignore_ascii_case("FAIL") => Ok(Vec::new()),
        _ => Err(refusal(http, code, env.message.as_deref(), body)),
    }
}

fn map_record(r: WireRecord) -> TransactionRecord {
    let ngn = || Currency::known("NGN");
    let provider_status = r.status.clone().unwrap_or_default();
    let topup = match (
        r.topup_amount,
        r.topup_currency.as_deref().map(Currency::new),
    ) {
        (Some(a), Some(Ok(c))) => Some(Money::new(a, c)),
        _ => None,
    };
    TransactionRecord {
        status: map_status(&provider_status),
        transaction_id: r.transaction_id,
        reference: r.reference,
        category: r.category,
        network: r.network,
        phone: r.phone,
        provider_status,
        date: r.date,
        topup,
        data_amount_mb: r.data_amount,
        price: r.price.map(|p| Money::new(p, ngn())),
        charged: r.amount_charged.map(|p| Money::new(p, ngn())),
    }
}

/// The outcome for a lookup. By transaction id: the record with that id. By reference: the
/// records carrying our `ref`; when several do (a batch, or a repeat at the provider), the
/// order's status is the one that moved the most money — any Approved wins, then Pending,
/// then Reversed, then Failed — so a delivered item is never reported as failed and
/// refunded; the message lists every record so a double charge is visible.
pub(super) fn pick(
    http: &HttpClient,
    records: &[TransactionRecord],
    query: &TransactionQuery,
) -> Result<PurchaseOutcome, ProviderError> {
    let candidates: Vec<&TransactionRecord> = match query {
        TransactionQuery::TransactionId(id) => {
            let exact: Vec<_> = records
                .iter()
                .filter(|r| r.transaction_id.as_deref().map(str::trim) == Some(id.trim()))
                .collect();
            if exact.is_empty() && records.len() == 1 && records[0].transaction_id.is_none() {
                vec![&records[0]]
            } else {
                exact
            }
        }
        TransactionQuery::Reference(reference) => records
            .iter()
            .filter(|r| {
                r.reference
                    .as_deref()
                    .is_none_or(|x| x.trim() == reference.trim())
            })
            .collect(),
    };
    let what = match query {
        TransactionQuery::TransactionId(id) => format!("transaction {id}"),
        TransactionQuery::Reference(r) => format!("the order with reference {r}"),
    };
    if candidates.is_empty() {
        return Err(ProviderError::NotFound {
            provider: KIND,
            what,
        });
    }
    for r in &candidates {
        if r.status.is_none() {
            return Err(ProviderError::bad_response(
                KIND,
                format!(
                    "an unknown transaction status \"{}\" for {what}",
                    short(&http.scrub(&r.provider_status))
                ),
            ));
        }
    }
    let rank = |s: Option<OutcomeStatus>| match s {
        Some(OutcomeStatus::Succeeded) => 3,
        Some(OutcomeStatus::Pending) => 2,
        Some(OutcomeStatus::Reversed) => 1,
        _ => 0,
    };
    let best = candidates.iter().map(|r| rank(r.status)).max().unwrap_or(0);
    // Among records of the winning status, the latest (dates sort as text).
    let chosen = candidates
        .iter()
        .filter(|r| rank(r.status) == best)
        .max_by(|a, b| a.date.cmp(&b.date))
        .copied()
        .unwrap_or(candidates[0]);
    let status = chosen.status.unwrap_or(OutcomeStatus::Pending);
    let message = if candidates.len() > 1 {
        let list: Vec<String> = candidates
            .iter()
            .map(|r| {
                format!(
                    "{} {}",
                    r.transaction_id.as_deref().unwrap_or("(no id)"),
                    r.provider_status
                )
            })
            .collect();
        http.scrub(&format!(
            "{} eStoreSMS transactions carry this reference ({}); check them on the eStoreSMS dashboard for a double charge",
            candidates.len(),
            list.join(", ")
        ))
    } else {
        format!("eStoreSMS status: {}", http.scrub(&chosen.provider_status))
    };
    Ok(PurchaseOutcome {
        status,
        provider_reference: chosen.transaction_id.clone(),
        charged: chosen.charged.clone(),
        balance_after: None,
        delivery: Delivery::default(),
        message: Some(message),
    })
}
