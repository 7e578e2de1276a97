//! RukaPay Gateway: `POST /api/v1/gateway/process-transfer[-sandbox]` keyed by a unique
//! `partnerReference` (a repeat is refused with 400 "duplicate partnerReference" and charges
//! nothing), `GET /api/v1/gateway/transactions/{idOrReference}/status`, and
//! `POST /api/v1/gateway/validate-beneficiary[-sandbox]`. No balance call: every transfer
//! answer carries `walletBalance` for the wallet charged. Two wallets, ESCROW and COMMISSION:
//! `walletType` picks one (ESCROW when absent; anything else is a 400). Every transfer pays
//! `--rukapay-fee` (default 0) on top, so `totalCharged` = `amount` + `fee`.

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::{json, money, raw_amount, stamp};
use crate::app::{Ask, Conn, Done, Item, Shared};
use crate::store::{Lookup, Order, Refusal, Status, Wallets};

/// "walletType: ESCROW or COMMISSION. Default ESCROW."
const ESCROW: &str = "ESCROW";
const COMMISSION: &str = "COMMISSION";

/// The two wallets a new state directory opens with.
pub fn wallets(escrow: Decimal, commission: Decimal) -> Wallets {
    Wallets {
        default: ESCROW.to_owned(),
        opening: escrow,
        others: [(COMMISSION.to_owned(), commission)].into_iter().collect(),
    }
}

/// The wallet an order was charged from (state written before wallets: ESCROW).
fn wallet_type(o: &Order) -> &str {
    if o.wallet.is_empty() {
        ESCROW
    } else {
        &o.wallet
    }
}

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/api/v1/gateway/process-transfer", post(transfer))
        .route("/api/v1/gateway/process-transfer-sandbox", post(transfer))
        .route(
            "/api/v1/gateway/transactions/{key}/status",
            get(transaction_status),
        )
        .route("/api/v1/gateway/validate-beneficiary", post(validate))
        .route(
            "/api/v1/gateway/validate-beneficiary-sandbox",
            post(validate),
        )
}

fn authorised(headers: &HeaderMap) -> bool {
    headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.trim().is_empty())
}

fn error(status: StatusCode, message: &str, code: &str) -> Response {
    json(
        status,
        json!({ "success": false, "message": message, "code": code }),
    )
}

fn word(s: Status) -> &'static str {
    match s {
        Status::Succeeded => "SUCCESS",
        Status::Pending => "PENDING",
        // Documented: SUCCESS, PENDING, PROCESSING, FAILED. A reversal is FAILED, with
        // its failureReason.
        Status::Failed | Status::Reversed => "FAILED",
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct TransferIn {
    #[serde(default)]
    transaction_mode: Option<String>,
    #[serde(default)]
    amount: Option<Box<RawValue>>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    partner_reference: Option<String>,
    #[serde(default)]
    wallet_type: Option<String>,
    #[serde(default)]
    phone_number: Option<String>,
    #[serde(default)]
    account_number: Option<String>,
    #[serde(default)]
    mno_provider: Option<String>,
    #[serde(default)]
    bank_code: Option<String>,
    #[serde(default)]
    biller_code: Option<String>,
}

fn failure_reason(s: Status) -> Option<&'static str> {
    match s {
        Status::Failed => Some("The recipient's network declined the transfer"),
        Status::Reversed => Some("The transfer was reversed by the network and refunded"),
        Status::Succeeded | Status::Pending => None,
    }
}

fn transfer_json(o: &Order, provider: &str) -> Value {
    let mut tx = json!({
        "transactionId": o.provider_ref,
        "reference": format!("RKP-FAKE-{:06}", o.id),
        "partnerReference": o.reference,
        "amount": money(o.amount),
        "fee": money(o.fee),
        "totalCharged": money(o.amount + o.fee),
        "status": word(o.status),
        "recipient": { "name": "Fake Recipient", "account": o.recipient, "provider": provider },
        "createdAt": stamp(o.created_at).replace(' ', "T") + ".000Z",
    });
    if let Some(why) = failure_reason(o.status) {
        tx["failureReason"] = json!(why);
    }
    json!({
        "success": !matches!(o.status, Status::Failed | Status::Reversed),
        "message": match o.status {
            Status::Succeeded => "Transfer processed successfully",
            Status::Pending => "Transfer is being processed",
            Status::Failed | Status::Reversed => "Transfer failed",
        },
        "transaction": tx,
        "walletBalance": {
            "walletId": format!("wal_fake_{}", wallet_type(o).to_ascii_lowercase()),
            "walletType": wallet_type(o),
            "balanceBefore": money(o.balance_before),
            "balanceAfter": money(o.balance_after),
            "currency": "UGX",
        },
    })
}

async fn transfer(
    State(app): State<Shared>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let t: TransferIn = serde_json::from_slice(&body).unwrap_or_default();
    let amount = raw_amount(t.amount.as_deref());
    let recipient = t
        .phone_number
        .clone()
        .or(t.account_number.clone())
        .unwrap_or_default()
        .trim()
        .to_owned();
    let provider = t
        .mno_provider
        .clone()
        .or(t.bank_code.clone())
        .or(t.biller_code.clone())
        .unwrap_or_default();
    let wallet = t
        .wallet_type
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .unwrap_or(ESCROW)
        .to_owned();
    let ask = Ask {
        endpoint: "rukapay/process-transfer",
        reference: t
            .partner_reference
            .clone()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty()),
        nonce: None,
        items: vec![Item {
            product: t.transaction_mode.clone().unwrap_or_default(),
            recipient: recipient.clone(),
            amount: amount.unwrap_or_default(),
        }],
        wallet: Some(wallet.clone()),
        fee: app.cfg.rukapay_fee,
    };
    if !authorised(&headers) {
        let resp = error(
            StatusCode::UNAUTHORIZED,
            "Invalid or missing API key",
            "UNAUTHORIZED",
        );
        return app.refused(&ask, "auth", resp);
    }
    let problem = if ask.reference.is_none() {
        Some("partnerReference is required")
    } else if t.transaction_mode.as_deref().is_none_or(str::is_empty) {
        Some("transactionMode is required")
    } else if amount.is_none_or(|a| a < Decimal::from(100) || !a.fract().is_zero()) {
        Some("amount must be a whole number of at least 100 UGX")
    } else if t.currency.as_deref() != Some("UGX") {
        Some("currency must be UGX")
    } else if recipient.is_empty() {
        Some("phoneNumber or accountNumber is required")
    } else if wallet != ESCROW && wallet != COMMISSION {
        Some("walletType must be one of the following values: ESCROW, COMMISSION")
    } else {
        None
    };
    if let Some(p) = problem {
        let resp = error(StatusCode::BAD_REQUEST, p, "VALIDATION_ERROR");
        return app.refused(&ask, "invalid", resp);
    }
    app.purchase(&conn, ask, |app, done| match done {
        Done::Existing(_) => error(
            StatusCode::BAD_REQUEST,
            "duplicate partnerReference",
            "DUPLICATE_REFERENCE",
        ),
        Done::New(results) => match results.first() {
            Some(Ok(o)) => json(StatusCode::OK, transfer_json(o, &provider)),
            Some(Err(Refusal::Insufficient)) => {
                let b = app.store().wallet_balance(&wallet);
                json(
                    StatusCode::BAD_REQUEST,
                    json!({
                        "success": false,
                        "message": format!("Insufficient balance: the {wallet} wallet holds UGX {}", money(b)),
                        "code": "INSUFFICIENT_BALANCE",
                    }),
                )
            }
            None => error(StatusCode::INTERNAL_SERVER_ERROR, "no order", "INTERNAL"),
        },
    })
    .await
}

fn status_json(o: &Order) -> Value {
    let mut tx = json!({
        "id": o.provider_ref,
        "partnerReference": o.reference,
        "mnoId": format!("MNO-FAKE-{:06}", o.id),
        "mnoTransactionId": format!("MNO-FAKE-{:06}", o.id),
        "amount": money(o.amount),
        "fee": money(o.fee),
        "totalAmount": money(o.amount + o.fee),
        "currency": "UGX",
        "status": word(o.status),
        "destinationType": "MNO",
        "destination": { "phoneNumber": o.recipient, "provider": o.product },
        "createdAt": stamp(o.created_at).replace(' ', "T") + ".000Z",
    });
    if let Some(why) = failure_reason(o.status) {
        tx["failureReason"] = json!(why);
    }
    json!({ "success": true, "message": "Transaction found", "transaction": tx })
}

async fn transaction_status(
    State(app): State<Shared>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Response {
    if !authorised(&headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "Invalid or missing API key",
            "UNAUTHORIZED",
        );
    }
    app.call(&conn, |app| {
        app.lookup_response(&Lookup::Any(key.trim()), |orders| match orders.first() {
            Some(o) => json(StatusCode::OK, status_json(o)),
            None => error(
                StatusCode::NOT_FOUND,
                "Transaction not found",
                "TRANSACTION_NOT_FOUND",
            ),
        })
    })
    .await
}

async fn validate(headers: HeaderMap, body: Bytes) -> Response {
    if !authorised(&headers) {
        return error(
            StatusCode::UNAUTHORIZED,
            "Invalid or missing API key",
            "UNAUTHORIZED",
        );
    }
    let t: TransferIn = serde_json::from_slice(&body).unwrap_or_default();
    let valid = t
        .phone_number
        .or(t.account_number)
        .is_some_and(|r| !r.trim().is_empty());
    json(
        StatusCode::OK,
        json!({
            "success": valid,
            "valid": valid,
            "message": if valid { "Beneficiary is valid" } else { "Beneficiary not found" },
            "accountName": if valid { Some("Fake Beneficiary") } else { None },
        }),
    )
}
