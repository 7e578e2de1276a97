//! RukkyStore answers about orders (VTU purchases, `vtu_status`, SMM `add` / `status`) and
//! the balance, mapped to the shared `PurchaseOutcome` and `WalletBalance`.

use rust_decimal::Decimal;

use super::wire::{Json, Obj};
use super::{naira, KIND, SMM_REF_PREFIX};
use crate::money::{Currency, Money};
use crate::providers::http::HttpClient;
use crate::providers::{
    Delivery, OutcomeStatus, PinCode, ProviderError, PurchaseOutcome, WalletBalance,
};

/// What to do with a VTU status value the document does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UnknownStatus {
    /// Purchase answers: keep the order pending with its trx. An error here would lose the
    /// trx, and RukkyStore cannot find an order by any reference of ours afterwards.
    KeepPending,
    /// `vtu_status` answers: the caller already holds the trx, so a typed error is safe.
    Refuse,
}

/// The documented VTU statuses: success | failed | processing | pending.
pub(super) fn vtu_status(s: &str) -> Option<OutcomeStatus> {
    match s.trim().to_ascii_lowercase().as_str() {
        "success" => Some(OutcomeStatus::Succeeded),
        "failed" => Some(OutcomeStatus::Failed),
        "processing" | "pending" => Some(OutcomeStatus::Pending),
        _ => None,
    }
}

fn bad(http: &HttpClient, reason: impl Into<String>) -> ProviderError {
    ProviderError::BadResponse {
        provider: KIND,
        reason: http.scrub(&reason.into()),
        body: None,
    }
}

fn quoted(s: Option<&str>) -> String {
    s.map_or_else(|| "(missing)".to_owned(), |s| format!("\"{s}\""))
}

/// Maps a VTU answer (purchase or `vtu_status`).
pub(super) fn vtu(
    http: &HttpClient,
    json: &Json,
    on_unknown: UnknownStatus,
) -> Result<PurchaseOutcome, ProviderError> {
    let Json::Object(top) = json else {
        return Err(bad(http, "the VTU answer is not a JSON object"));
    };
    // The fields are at the top level as documented; a `vtu` / `data` / `transaction`
    // object (the webhook's shape) is accepted for `vtu_status`, whose answer is not shown.
    let nested;
    let o: &Obj = if top.has("status") || top.has("trx") {
        top
    } else {
        nested = top
            .obj(&["vtu", "data", "transaction"])
            .filter(|o| o.has("status") || o.has("trx"))
            .ok_or_else(|| bad(http, "the VTU answer has neither a status nor a trx"))?;
        &nested
    };
    // Identifiers stay verbatim: redacting a PIN-like run of digits out of a trx would
    // make the order impossible to find. Free text (messages) is scrubbed.
    let trx = o.text(&["trx"]);
    let raw_status = o.text(&["status"]).map(|s| http.scrub(&s));
    let mut notes: Vec<String> = Vec::new();
    let status = match raw_status.as_deref().and_then(vtu_status) {
        Some(s) => s,
        None if on_unknown == UnknownStatus::KeepPending && trx.is_some() => {
            notes.push(format!(
                "RukkyStore answered status {}, which Reseller Console does not know; the \
                 order stays pending and is checked again by its trx",
                quoted(raw_status.as_deref())
            ));
            OutcomeStatus::Pending
        }
        None => {
            let why = format!(
                "the VTU status {} is not one of success, failed, processing, pending",
                quoted(raw_status.as_deref())
            );
            return Err(bad(http, why));
        }
    };

    let currency = match o.text(&["currency"]) {
        None => Some(naira()),
        Some(c) => Currency::new(&c).ok().or_else(|| {
            notes.push(format!(
                "the currency \"{}\" is not readable",
                http.scrub(&c)
            ));
            None
        }),
    };
    let mut money = |keys: &[&str], what: &str| -> Option<Money> {
        let cur = currency.clone()?;
        match o.amount(keys)? {
            Ok(a) => Some(Money::new(a, cur)),
            Err(e) => {
                notes.push(format!("the {what} is not readable ({e})"));
                None
            }
        }
    };
    let charged = money(&["amount"], "amount");
    let balance = money(&["balance"], "balance");

    let mut delivery = Delivery {
        pins: cards(o),
        ..Delivery::default()
    };
    // Not in the document: electricity is useless without its token, so one is read when
    // RukkyStore sends it; otherwise the token is in `message`.
    delivery.token = o.text(&["token", "meter_token"]);

    let mut message: Vec<String> = o
        .text(&["message"])
        .map(|m| http.scrub(&m))
        .into_iter()
        .collect();
    if let Some(p) = o.text(&["provider_ref"]) {
        message.push(format!("upstream reference {}", http.scrub(&p)));
    }
    message.extend(notes.iter().map(|n| http.scrub(n)));
    Ok(PurchaseOutcome {
        status,
        provider_reference: trx,
        // A failed VTU order is not charged; `amount` there is the price asked.
        charged: charged.filter(|_| status != OutcomeStatus::Failed),
        balance_after: balance.map(|b| WalletBalance {
            wallet_id: b.currency.code().to_owned(),
            balance: b,
        }),
        delivery,
        message: (!message.is_empty()).then(|| message.join("; ")),
    })
}

/// `cards: [{pin, serial}]` (recharge cards, exam PINs); entries without a PIN are dropped.
fn cards(o: &Obj) -> Vec<PinCode> {
    o.array(&["cards"])
        .unwrap_or_default()
        .iter()
        .filter_map(|c| Obj::from_raw(c))
        .filter_map(|c| {
            Some(PinCode {
                pin: c.text(&["pin"])?,
                serial: c.text(&["serial"]),
                expires: c.text(&["expires", "expiry"]),
            })
        })
        .collect()
}

/// `add` answers the new order id (`{"order": 4488}` in SMM panel APIs; not shown in the
/// document). The order then runs for minutes or days, so it starts pending.
pub(super) fn smm_order(http: &HttpClient, json: &Json) -> Result<PurchaseOutcome, ProviderError> {
    let Json::Object(o) = json else {
        return Err(bad(http, "the order answer is not a JSON object"));
    };
    let order = o
        .text(&["order", "order_id", "id"])
        .ok_or_else(|| bad(http, "the order answer has no order id"))?;
    Ok(PurchaseOutcome {
        status: OutcomeStatus::Pending,
        provider_reference: Some(format!("{SMM_REF_PREFIX}{order}")),
        charged: None,
        balance_after: None,
        delivery: Delivery::default(),
        message: Some(format!(
            "RukkyStore accepted SMM order {order}; it is delivered over time"
        )),
    })
}

/// SMM `status`: pending(0), processing(1), completed(2), cancelled(3), refunded(4),
/// partial(5), as names (any case) or numbers.
pub(super) fn smm_status(http: &HttpClient, json: &Json) -> Result<PurchaseOutcome, ProviderError> {
    let Json::Object(o) = json else {
        return Err(bad(http, "the order status answer is not a JSON object"));
    };
    let raw = o.text(&["status"]).unwrap_or_default();
    let (status, what) = match raw.trim().to_ascii_lowercase().as_str() {
        "pending" | "0" => (OutcomeStatus::Pending, "pending"),
        // "in progress" is how most SMM panels spell processing.
        "processing" | "in progress" | "1" => (OutcomeStatus::Pending, "processing"),
        "completed" | "2" => (OutcomeStatus::Succeeded, "completed"),
        "cancelled" | "canceled" | "3" => (OutcomeStatus::Failed, "cancelled"),
        "refunded" | "4" => (OutcomeStatus::Reversed, "refunded"),
        // Partly delivered; the rest is refunded, so the order is done and `charge` is final.
        "partial" | "5" => (OutcomeStatus::Succeeded, "partial"),
        other => {
            return Err(bad(
                http,
                format!(
                    "the SMM order status \"{}\" is not one RukkyStore documents",
                    http.scrub(other)
                ),
            ))
        }
    };
    let currency = o
        .text(&["currency"])
        .and_then(|c| Currency::new(&c).ok())
        .unwrap_or_else(naira);
    let charged = o
        .amount(&["charge"])
        .and_then(Result::ok)
        .map(|a| Money::new(a, currency));
    let mut message = format!("SMM order {what}");
    if let Some(r) = o.text(&["remains"]).filter(|r| r != "0") {
        message.push_str(&format!("; {} not delivered", http.scrub(&r)));
    }
    if let Some(s) = o.text(&["start_count"]) {
        message.push_str(&format!("; start count {}", http.scrub(&s)));
    }
    Ok(PurchaseOutcome {
        status,
        provider_reference: None,
        charged: charged.filter(|_| status != OutcomeStatus::Failed),
        balance_after: None,
        delivery: Delivery::default(),
        message: Some(message),
    })
}

/// `balance` (`{"balance": "100.84", "currency": "NGN"}` in SMM panel APIs; not shown in
/// the document). The one wallet is named by its currency, as VTU answers' `balance` is.
pub(super) fn balance(http: &HttpClient, json: &Json) -> Result<WalletBalance, ProviderError> {
    let Json::Object(top) = json else {
        return Err(bad(http, "the balance answer is not a JSON object"));
    };
    let inner = top.obj(&["data"]);
    let o = if top.has("balance") {
        top
    } else {
        inner.as_ref().unwrap_or(top)
    };
    let amount: Decimal = match o.amount(&["balance", "wallet_balance"]) {
        Some(Ok(a)) => a,
        Some(Err(e)) => return Err(bad(http, format!("the balance is not a number ({e})"))),
        None => return Err(bad(http, "the balance answer has no balance")),
    };
    let currency = match o.text(&["currency"]) {
        None => naira(),
        Some(c) => Currency::new(&c).map_err(|e| bad(http, e.to_string()))?,
    };
    Ok(WalletBalance {
        wallet_id: currency.code().to_owned(),
        balance: Money::new(amount, currency),
    })
}
