//! RukkyStore: one form-POST endpoint (`/api/v1` or `/`) where `action=` picks the call:
//! `balance`, the VTU purchases (`vtu_airtime`, `vtu_data`, `vtu_sme`, `vtu_cable`,
//! `vtu_electricity`, `vtu_education`, `vtu_recharge_card`; `pin` required), `vtu_status`
//! by `trx`, and `vtu_data_plans`. RukkyStore takes no reference of ours, so nothing is
//! deduplicated: every purchase request is a new order (each is recorded).

use std::collections::HashMap;

use axum::extract::{ConnectInfo, Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use rust_decimal::Decimal;
use serde_json::json;

use super::{json, money};
use crate::app::{Ask, Conn, Done, Item, Shared};
use crate::store::{Lookup, Order, Refusal, Status};

/// Data/SME plan prices by `plan_id`.
const PLANS: [(&str, &str, i64); 3] = [
    ("1", "MTN 1GB 30 days", 300),
    ("2", "MTN 2GB 30 days", 600),
    ("3", "Airtel 1GB 30 days", 350),
];

pub fn router() -> Router<Shared> {
    Router::new()
        .route("/", post(action))
        .route("/api/v1", post(action))
        .route("/api/v1/", post(action))
}

fn error(status: StatusCode, message: &str) -> Response {
    json(status, json!({ "status": "failed", "error": message }))
}

fn word(s: Status) -> &'static str {
    match s {
        Status::Succeeded => "success",
        Status::Pending => "processing",
        // VTU answers say success, processing or failed; a reversed order is failed.
        Status::Failed | Status::Reversed => "failed",
    }
}

fn category(action: &str) -> &str {
    action.strip_prefix("vtu_").unwrap_or(action)
}

fn vtu_json(o: &Order, balance: Decimal) -> Response {
    let message = match o.status {
        Status::Succeeded => "Transaction successful",
        Status::Pending => "Transaction is processing",
        Status::Failed => "Transaction failed",
        Status::Reversed => "Transaction reversed and refunded",
    };
    let mut v = json!({
        "status": word(o.status),
        "category": category(&o.product),
        "trx": o.provider_ref,
        "amount": money(o.amount),
        "balance": money(balance),
        "currency": "NGN",
        "message": message,
    });
    if o.product == "vtu_recharge_card" && o.status == Status::Succeeded {
        v["cards"] = json!([{ "pin": format!("{:016}", 7_000_000_000u64 + o.id), "serial": format!("SN{:010}", o.id) }]);
    }
    json(StatusCode::OK, v)
}

async fn action(
    State(app): State<Shared>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let keyed = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| !v.trim().is_empty())
        || field("key").is_some();
    let action = field("action").unwrap_or_default();
    let purchase = action.starts_with("vtu_")
        && !matches!(
            action.as_str(),
            "vtu_status" | "vtu_data_plans" | "vtu_verify"
        );
    if purchase {
        return vtu_purchase(app, conn, keyed, &action, &field).await;
    }
    if !keyed {
        return error(StatusCode::UNAUTHORIZED, "Invalid API key");
    }
    match action.as_str() {
        "balance" => {
            app.call(&conn, |app| {
                let b = app.store().balance();
                json(
                    StatusCode::OK,
                    json!({ "status": "success", "balance": money(b), "currency": "NGN" }),
                )
            })
            .await
        }
        "vtu_status" => {
            let Some(trx) = field("trx") else {
                return error(StatusCode::BAD_REQUEST, "trx is required");
            };
            app.call(&conn, |app| {
                app.lookup_response(&Lookup::ProviderRef(&trx), |orders| match orders.first() {
                    Some(o) => {
                        let b = app.store().balance();
                        vtu_json(o, b)
                    }
                    None => error(StatusCode::NOT_FOUND, "Transaction not found"),
                })
            })
            .await
        }
        // Under the faults like every other call (latency with `faults_all`).
        "vtu_data_plans" => {
            app.call(&conn, |_| {
                json(
                    StatusCode::OK,
                    json!({
                        "status": "success",
                        "plans": PLANS.iter().map(|(id, name, price)| json!({
                            "plan_id": id, "name": name, "price": price.to_string(), "network": "MTN", "validity": "30 days",
                        })).collect::<Vec<_>>(),
                    }),
                )
            })
            .await
        }
        _ => error(StatusCode::BAD_REQUEST, "Invalid action"),
    }
}

async fn vtu_purchase(
    app: Shared,
    conn: Conn,
    keyed: bool,
    action: &str,
    field: &(dyn Fn(&str) -> Option<String> + Sync),
) -> Response {
    let recipient = field("phone")
        .or_else(|| field("meter_number"))
        .or_else(|| field("customer_id"))
        .unwrap_or_default();
    let plan = field("plan_id");
    let amount = match action {
        "vtu_data" | "vtu_sme" => plan.as_deref().and_then(|p| {
            PLANS
                .iter()
                .find(|(id, _, _)| *id == p)
                .map(|(_, _, price)| Decimal::from(*price))
        }),
        "vtu_cable" => Some(Decimal::from(5000)),
        "vtu_recharge_card" => field("value").and_then(|v| v.parse().ok()),
        _ => field("amount").and_then(|v| v.parse().ok()),
    };
    let ask = Ask {
        endpoint: "rukky/vtu",
        reference: None,
        nonce: None,
        wallet: None,
        fee: Decimal::ZERO,
        items: vec![Item {
            product: action.to_owned(),
            recipient: recipient.clone(),
            amount: amount.unwrap_or_default(),
        }],
    };
    if !keyed {
        return app.refused(
            &ask,
            "auth",
            error(StatusCode::UNAUTHORIZED, "Invalid API key"),
        );
    }
    let problem = if field("pin").is_none_or(|p| p.len() != 4) {
        Some("A valid 4-digit transaction PIN is required")
    } else if recipient.is_empty() {
        Some("phone is required")
    } else if amount.is_none_or(|a| a <= Decimal::ZERO) {
        Some(if plan.is_some() {
            "Invalid plan_id"
        } else {
            "amount is required"
        })
    } else {
        None
    };
    if let Some(p) = problem {
        return app.refused(&ask, "invalid", error(StatusCode::BAD_REQUEST, p));
    }
    app.purchase(&conn, ask, |app, done| {
        let balance = app.store().balance();
        match done {
            Done::Existing(orders) => match orders.first() {
                Some(o) => vtu_json(o, balance),
                None => error(StatusCode::INTERNAL_SERVER_ERROR, "no order"),
            },
            Done::New(results) => match results.first() {
                Some(Ok(o)) => vtu_json(o, balance),
                Some(Err(Refusal::Insufficient)) => {
                    error(StatusCode::BAD_REQUEST, "Insufficient balance")
                }
                None => error(StatusCode::INTERNAL_SERVER_ERROR, "no order"),
            },
        }
    })
    .await
}
