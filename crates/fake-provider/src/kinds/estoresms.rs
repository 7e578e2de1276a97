//! eStoreSMS v2: `POST network_processing/v/2` and `data_processing/v/2` (batches of up to 5
//! under one `ref`), `POST api_query` (by `transaction_id` or `ref`), `GET smsapi.php`
//! (balance, plain number) and `POST network_list/v/2` / `data_list/v/2` (one product each).
//! Idempotency: a repeated `ref` answers the existing results and charges nothing.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::{json, money, raw_amount, raw_text, stamp};
use crate::app::{Ask, Conn, Done, Item, Shared};
use crate::store::{Lookup, Order, Refusal, Status};

/// The open-range airtime product and the fixed data product the lists offer.
pub const AIRTIME_PRODUCT: &str = "NG-MTN-OR";
pub const DATA_PRODUCT: &str = "D-MTN-1GB";
const DATA_PRICE: i64 = 300;

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/network_processing/v/2", post(airtime))
        .route("/data_processing/v/2", post(data))
        .route("/api_query", post(query))
        .route("/smsapi.php", get(balance))
        .route("/network_list/v/2", post(airtime_list))
        .route("/data_list/v/2", post(data_list))
}

fn code(code: &str, message: &str) -> Response {
    json(
        StatusCode::OK,
        json!({ "response": code, "message": message }),
    )
}

#[derive(Deserialize, Default)]
struct PurchaseIn {
    #[serde(default)]
    username: Option<String>,
    #[serde(default, rename = "ref")]
    reference: Option<String>,
    #[serde(default)]
    hash: Option<String>,
    #[serde(default)]
    request: Option<Vec<ItemIn>>,
}

#[derive(Deserialize)]
struct ItemIn {
    #[serde(default)]
    product: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    amount: Option<Box<RawValue>>,
}

async fn airtime(state: State<Shared>, conn: ConnectInfo<Conn>, body: Bytes) -> Response {
    purchase(state, conn, body, "estoresms/network_processing").await
}

async fn data(state: State<Shared>, conn: ConnectInfo<Conn>, body: Bytes) -> Response {
    purchase(state, conn, body, "estoresms/data_processing").await
}

fn item_json(o: &Order) -> Value {
    let (response, message) = match o.status {
        Status::Succeeded => ("OK", "Successful"),
        Status::Pending => ("PENDING", "Transaction is pending"),
        Status::Failed | Status::Reversed => ("P009", "Operation Failed"),
    };
    let mut v = json!({
        "response": response,
        "message": message,
        "ref": o.reference,
        "transaction_id": o.provider_ref,
        "phone": o.recipient,
        "amount": money(o.amount),
    });
    if !matches!(o.status, Status::Failed | Status::Reversed) {
        v["amount_charged"] = json!(money(o.amount));
        v["pins"] = json!([]);
    }
    v
}

fn batch_json(results: &[Value]) -> Response {
    let failed = results
        .iter()
        .filter(|r| !matches!(r["response"].as_str(), Some("OK" | "PENDING")))
        .count();
    json(
        StatusCode::OK,
        json!({ "failed": failed, "result": results }),
    )
}

async fn purchase(
    State(app): State<Shared>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    body: Bytes,
    endpoint: &'static str,
) -> Response {
    let parsed: Option<PurchaseIn> = serde_json::from_slice(&body).ok();
    let p = parsed.unwrap_or_default();
    let items_in = p.request.unwrap_or_default();
    let reference = p
        .reference
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let mut items = Vec::new();
    let mut problem: Option<(&str, &str)> = None;
    for it in &items_in {
        let product = it.product.clone().unwrap_or_default().trim().to_owned();
        let phone = it.phone.clone().unwrap_or_default().trim().to_owned();
        let amount = raw_amount(it.amount.as_deref());
        if phone.is_empty() {
            problem = problem.or(Some(("P005", "Phone number is required")));
        }
        if product.is_empty() {
            problem = problem.or(Some(("P006", "Product ID is required")));
        }
        let amount = match amount {
            Some(a) if a <= Decimal::ZERO || !a.fract().is_zero() => {
                problem = problem.or(Some(("P008", "Invalid Amount")));
                a
            }
            Some(a) => a,
            None if product.to_ascii_uppercase().ends_with("-OR") => {
                problem = problem.or(Some(("P007", "Amount is required")));
                Decimal::ZERO
            }
            None => Decimal::from(DATA_PRICE),
        };
        items.push(Item {
            product,
            recipient: phone,
            amount,
        });
    }
    let ask = Ask {
        endpoint,
        reference,
        nonce: None,
        wallet: None,
        fee: Decimal::ZERO,
        items,
    };
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    if blank(&p.username) || blank(&p.hash) || ask.reference.is_none() || ask.items.is_empty() {
        return app.refused(&ask, "P000", code("P000", "Incomplete information"));
    }
    if ask.items.len() > 5 {
        return app.refused(&ask, "P014", code("P014", "Maximum of 5 requests allowed"));
    }
    if let Some((c, m)) = problem {
        return app.refused(&ask, c, code(c, m));
    }
    app.purchase(&conn, ask, |_, done| match done {
        Done::Existing(orders) => batch_json(&orders.iter().map(item_json).collect::<Vec<_>>()),
        Done::New(results) => {
            if results.iter().all(Result::is_err) {
                return code("P013", "Insufficient Balance");
            }
            let items: Vec<Value> = results
                .iter()
                .map(|r| match r {
                    Ok(o) => item_json(o),
                    Err(Refusal::Insufficient) => {
                        json!({ "response": "P013", "message": "Insufficient Balance" })
                    }
                })
                .collect();
            batch_json(&items)
        }
    })
    .await
}

fn record_json(o: &Order) -> Value {
    let status = match o.status {
        Status::Succeeded => "Approved",
        Status::Pending => "Pending",
        Status::Failed => "Failed",
        // "Status can be Approved, Pending, Failed, Awaiting Confirmation, Cancelled or
        // Reversed."
        Status::Reversed => "Reversed",
    };
    let data = o.product.to_ascii_uppercase().starts_with("D-");
    json!({
        "transaction_id": o.provider_ref,
        "ref": o.reference,
        "category": if data { "data" } else { "airtime" },
        "network": "MTN",
        "phone": o.recipient,
        "status": status,
        "date": stamp(o.created_at),
        "topup_currency": "NGN",
        "topup_amount": money(o.amount),
        "price": money(o.amount),
        "amount_charged": if o.charged { money(o.amount) } else { "0".to_owned() },
    })
}

async fn query(
    State(app): State<Shared>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    body: Bytes,
) -> Response {
    let fields: HashMap<String, Box<RawValue>> = serde_json::from_slice(&body).unwrap_or_default();
    let text = |k: &str| fields.get(k).and_then(|v| raw_text(Some(v)));
    if text("username").is_none() || text("hash").is_none() {
        return code("P000", "Incomplete information");
    }
    let id = text("transaction_id");
    let reference = text("ref");
    app.call(&conn, |app| {
        let key = match (&id, &reference) {
            (Some(id), _) => Lookup::ProviderRef(id),
            (None, Some(r)) => Lookup::Reference(r),
            (None, None) => return code("P000", "Incomplete information"),
        };
        app.lookup_response(&key, |orders| {
            if orders.is_empty() {
                code("FAIL", "No record found")
            } else {
                json(
                    StatusCode::OK,
                    Value::Array(orders.iter().map(record_json).collect()),
                )
            }
        })
    })
    .await
}

async fn balance(
    State(app): State<Shared>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let given = |k: &str| params.get(k).is_some_and(|v| !v.trim().is_empty());
    if !given("username") || !given("password") {
        return (StatusCode::OK, "Authentication failed").into_response();
    }
    app.call(&conn, |app| {
        (StatusCode::OK, format!("{:.2}", app.store().balance())).into_response()
    })
    .await
}

fn list_answer(body: &Bytes, info: Value, product: Value) -> Response {
    let fields: HashMap<String, Box<RawValue>> = serde_json::from_slice(body).unwrap_or_default();
    let text = |k: &str| fields.get(k).and_then(|v| raw_text(Some(v)));
    if text("username").is_none() || text("hash").is_none() {
        return code("P000", "Incomplete information");
    }
    let Some(phone) = text("phone") else {
        return code("P005", "Phone number is required");
    };
    let mut info = info;
    info["msisdn"] = json!(phone.trim_start_matches('+'));
    json(
        StatusCode::OK,
        json!({ "response": "OK", "info": info, "products": [product] }),
    )
}

// The lists run under the faults like every other call (latency with `faults_all`).
async fn airtime_list(
    State(app): State<Shared>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    body: Bytes,
) -> Response {
    app.call(&conn, |_| {
        list_answer(
            &body,
            json!({ "openRange": true, "country": "Nigeria", "operator": "MTN" }),
            json!({ "id": AIRTIME_PRODUCT, "min": 50, "max": 50000, "topup_currency": "NGN", "rate": 1 }),
        )
    })
    .await
}

async fn data_list(
    State(app): State<Shared>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    body: Bytes,
) -> Response {
    app.call(&conn, |_| {
        list_answer(
            &body,
            json!({ "openRange": false, "country": "Nigeria", "operator": "MTN" }),
            json!({
                "id": DATA_PRODUCT, "topup_currency": "NGN", "topup_amount": DATA_PRICE,
                "price": DATA_PRICE, "data_amount": "1000", "validity": "30 days"
            }),
        )
    })
    .await
}
