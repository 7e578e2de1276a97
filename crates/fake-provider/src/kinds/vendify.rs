//! Vendify (eVend): `POST /api/v1/orders`, `GET|POST /api/v1/order/status` (by
//! `transactionReference`, `x-nonce` or `customerReference`), `GET /api/v1/Report/AccountBalance`
//! and `GET /api/v1/Product/{id}` (a quote), all in the `authenticated`/`sysErr`/`response`
//! envelope. Idempotency: a repeated `customerReference` (or, without one, X-Nonce) answers
//! the existing order and charges nothing.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;
use serde_json::value::RawValue;
use serde_json::Value;

use super::{json, money, raw_amount, raw_text, stamp};
use crate::app::{App, Ask, Conn, Done, Item, Shared};
use crate::store::{Lookup, Order, Refusal, Status};

pub const WALLET_ID: &str = "NGN-1001";
const CURRENCY: &str = "NGN";

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/api/v1/orders", post(order))
        .route("/api/v1/order/status", get(status_get).post(status_post))
        .route("/api/v1/Report/AccountBalance", get(balance))
        .route("/api/v1/Product/{id}", get(product))
}

fn envelope(response: Value) -> Response {
    json(
        StatusCode::OK,
        json!({
            "authenticated": true,
            "sysDate": "2026-01-01T00:00:00.000Z",
            "sysErr": 200,
            "sysId": 250_000_000_000_000_000u64,
            "sessionUid": "S:FAKEPROVIDER",
            "requestStatus": "PROCESSED",
            "message": "REQUEST OK",
            "response": response,
        }),
    )
}

fn refusal(sys_err: u16, message: &str) -> Response {
    let status = StatusCode::from_u16(sys_err).unwrap_or(StatusCode::BAD_REQUEST);
    json(
        status,
        json!({
            "authenticated": sys_err != 401,
            "sysErr": sys_err,
            "requestStatus": "FAILED",
            "message": message,
            "response": null,
        }),
    )
}

fn authorised(headers: &HeaderMap) -> bool {
    let has = |h: &str| {
        headers
            .get(h)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !v.trim().is_empty())
    };
    has("x-api-key") && has("x-nonce") && has("x-signature")
}

fn word(s: Status) -> &'static str {
    match s {
        Status::Succeeded => "SUCCESS",
        Status::Pending => "PENDING",
        // The document's words are SUCCESS, FAILED and PENDING: a reversed order is FAILED.
        Status::Failed | Status::Reversed => "FAILED",
    }
}

fn order_json(o: &Order, comment: Option<&str>) -> Value {
    let message = match o.status {
        Status::Succeeded => "Product purchased successfully. Email receipt sent.",
        Status::Pending => "Order is being processed",
        Status::Failed => "Order failed at the supplier",
        Status::Reversed => "Order reversed at the supplier; the wallet was refunded",
    };
    let mut v = json!({
        "responseStatus": word(o.status),
        "orderStatus": word(o.status),
        "responseMessage": message,
        "transactionReference": o.provider_ref,
        "customerReference": o.reference,
        "productId": o.product.parse::<u64>().unwrap_or(0),
        "name": "Fake product",
        "value": money(o.amount),
        "valueCurrencyCode": CURRENCY,
        "productCost": money(o.amount),
        "productCostCurrencyCode": CURRENCY,
        "transactionDate": stamp(o.created_at).replace(' ', "T"),
    });
    if o.status == Status::Succeeded {
        v["voucherCode"] = json!(format!("FAKE-VOUCHER-{:08}", o.id));
        v["redemptionUrl"] = json!("#");
    }
    if let Some(c) = comment {
        v["requestComment"] = json!(c);
    }
    v
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct OrderIn {
    #[serde(default)]
    product_id: Option<Box<RawValue>>,
    #[serde(default)]
    provider_id: Option<Box<RawValue>>,
    #[serde(default)]
    value: Option<Box<RawValue>>,
    #[serde(default)]
    face_value: Option<Box<RawValue>>,
    #[serde(default)]
    wallet_id: Option<String>,
    #[serde(default)]
    unique_account_id: Option<String>,
    #[serde(default)]
    customer_reference: Option<String>,
}

async fn order(
    State(app): State<Shared>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let nonce = headers
        .get("x-nonce")
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let parsed: Result<OrderIn, _> = serde_json::from_slice(&body);
    let o = parsed.as_ref().ok();
    let reference = o
        .and_then(|o| o.customer_reference.clone())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let recipient = o
        .and_then(|o| o.unique_account_id.clone())
        .unwrap_or_default();
    let face = o.and_then(|o| raw_amount(o.face_value.as_deref()));
    let value = o.and_then(|o| raw_amount(o.value.as_deref()));
    let amount = face
        .filter(|a| !a.is_zero())
        .or(value.filter(|a| !a.is_zero()));
    let product = o
        .and_then(|o| raw_text(o.product_id.as_deref()))
        .unwrap_or_default();
    let mut ask = Ask {
        endpoint: "vendify/orders",
        reference,
        nonce,
        wallet: None,
        fee: Decimal::ZERO,
        items: vec![Item {
            product,
            recipient: recipient.clone(),
            amount: amount.unwrap_or_default(),
        }],
    };
    if !authorised(&headers) {
        return app.refused(
            &ask,
            "auth",
            refusal(
                401,
                "Authentication failed: X-Api-Key, X-Nonce and X-Signature are required",
            ),
        );
    }
    let Some(o) = o else {
        return app.refused(
            &ask,
            "body",
            refusal(400, "The request body is not valid JSON"),
        );
    };
    let problem = if face.is_some_and(|f| !f.is_zero()) && value.is_some_and(|v| !v.is_zero()) {
        Some("Send either value or faceValue, not both")
    } else if amount.is_none_or(|a| a <= rust_decimal::Decimal::ZERO) {
        Some("A value or faceValue above zero is required")
    } else if recipient.trim().is_empty() {
        Some("uniqueAccountId is required")
    } else if raw_text(o.provider_id.as_deref()).is_none() || ask.items[0].product.is_empty() {
        Some("productId and providerId are required")
    } else if o.wallet_id.as_deref().is_none_or(|w| w.trim().is_empty()) {
        Some("walletId is required")
    } else {
        None
    };
    if let Some(p) = problem {
        return app.refused(&ask, "invalid", refusal(400, p));
    }
    ask.items[0].recipient = recipient.trim().to_owned();
    app.purchase(&conn, ask, |_, done| match done {
        Done::Existing(orders) => match orders.first() {
            Some(o) => envelope(order_json(o, Some("Existing order for this reference"))),
            None => refusal(500, "no order"),
        },
        Done::New(results) => match results.first() {
            Some(Ok(o)) => envelope(order_json(o, None)),
            Some(Err(Refusal::Insufficient)) => envelope(json!({
                "responseStatus": "FAILED",
                "responseMessage": "Insufficient wallet balance",
            })),
            None => refusal(500, "no order"),
        },
    })
    .await
}

fn status_answer(app: &App, params: &HashMap<String, String>) -> Response {
    let get = |k: &str| {
        params
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let key = if let Some(r) = get("transactionReference") {
        Lookup::ProviderRef(r)
    } else if let Some(n) = get("x-nonce") {
        Lookup::Nonce(n)
    } else if let Some(c) = get("customerReference") {
        Lookup::Reference(c)
    } else {
        return refusal(400, "transactionReference or x-nonce is required");
    };
    app.lookup_response(&key, |orders| match orders.first() {
        Some(o) => envelope(order_json(o, Some("Transaction record retrieved"))),
        None => envelope(json!({
            "responseStatus": "FAILED",
            "responseMessage": "Transaction not found",
            "requestComment": "No transaction record found",
        })),
    })
}

async fn status_get(
    State(app): State<Shared>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if !authorised(&headers) {
        return refusal(401, "Authentication failed");
    }
    app.call(&conn, |app| status_answer(app, &params)).await
}

async fn status_post(
    State(app): State<Shared>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !authorised(&headers) {
        return refusal(401, "Authentication failed");
    }
    let fields: HashMap<String, Box<RawValue>> = serde_json::from_slice(&body).unwrap_or_default();
    let params: HashMap<String, String> = fields
        .iter()
        .filter_map(|(k, v)| raw_text(Some(v)).map(|t| (k.clone(), t)))
        .collect();
    app.call(&conn, |app| status_answer(app, &params)).await
}

async fn balance(
    State(app): State<Shared>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    headers: HeaderMap,
) -> Response {
    if !authorised(&headers) {
        return refusal(401, "Authentication failed");
    }
    app.call(&conn, |app| {
        let b = app.store().balance();
        envelope(json!([{
            "walletId": WALLET_ID,
            "currency": CURRENCY,
            "availableBalance": money(b),
            "balance": money(b),
        }]))
    })
    .await
}

/// A quote in the document's `GET /api/v1/Product/{productId}` shape: the product at the
/// face value asked (`requestFaceValue`), a range denomination, cost = face value (no FX:
/// the wallet and the product are both in NGN).
async fn product(
    State(app): State<Shared>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    if !authorised(&headers) {
        return refusal(401, "Authentication failed");
    }
    let face = params
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("requestFaceValue"))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "500".to_owned());
    app.call(&conn, |_| {
        envelope(json!({
            "productId": id.parse::<u64>().unwrap_or(0),
            "productCode": format!("FAKE{id}"),
            "providerId": 123,
            "name": "Fake airtime",
            "targetValue": face,
            "targetCurrencyCode": CURRENCY,
            "originalValue": face,
            "originalCurrencyCode": CURRENCY,
            "value": face,
            "valueCurrencyCode": CURRENCY,
            "productCost": face,
            "productCostCurrencyCode": CURRENCY,
            "walletId": WALLET_ID,
            "category": "Airtime",
            "categoryCode": "airtime",
            "subCategory": "",
            "subCategoryCode": "",
            "serviceCode": "",
            "brandCode": "fake-ng",
            "providerName": "FAKE NG",
            "description": "Airtime from the fake provider.",
            "validity": "",
            "fxRate": { "rate": 1.0, "currencyCode": CURRENCY },
            "denominations": [
                { "type": "range", "minValue": 50.0, "maxValue": 50000.0, "currencyCode": CURRENCY }
            ],
            "redeemableCountryCodes": ["NGA"],
        }))
    })
    .await
}
