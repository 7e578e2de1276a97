//! Each kind spoken over plain HTTP: charge once, duplicates not charged, status by our
//! reference, pending orders settling (and refunds), restarts keeping state, and faults.

mod common;

use std::time::Duration;

use common::Server;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// `base` with its last 7 digits replaced by `tail`.
fn number(kind: &str, tail: &str) -> String {
    let base = match kind {
        "rukapay" => "256701234567",
        "rukky" => "08031234567",
        _ => "+2348031234567",
    };
    format!("{}{tail}", &base[..base.len() - 7])
}

async fn buy(s: &Server, kind: &str, reference: &str, phone: &str) -> (StatusCode, Value) {
    let c = reqwest::Client::new();
    let rb = match kind {
        "vendify" => c
            .post(format!("{}/api/v1/orders", s.base))
            .header("X-Api-Key", "k")
            .header("X-Nonce", format!("nonce-{reference}-{}", rand_suffix()))
            .header("X-Signature", "sig")
            .header("X-Wallet-Id", "NGN-1001")
            .json(&json!({
                "productId": 9418, "providerId": 123, "value": 0, "faceValue": 500,
                "walletId": "NGN-1001", "uniqueAccountId": phone, "customerReference": reference,
            })),
        "estoresms" => c
            .post(format!("{}/network_processing/v/2", s.base))
            .json(&json!({
                "username": "u", "ref": reference, "hash": "h",
                "request": [{ "product": "NG-MTN-OR", "phone": phone, "amount": 500 }],
            })),
        "rukapay" => c
            .post(format!("{}/api/v1/gateway/process-transfer", s.base))
            .header("x-api-key", "k")
            .json(&json!({
                "transactionMode": "PARTNER_AIRTIME", "amount": 500, "currency": "UGX",
                "narration": "test", "partnerReference": reference, "phoneNumber": phone,
                "mnoProvider": "MTN",
            })),
        _ => c
            .post(format!("{}/api/v1", s.base))
            .header("X-API-KEY", "k")
            .form(&[
                ("action", "vtu_airtime"),
                ("service_name", "mtn"),
                ("phone", phone),
                ("amount", "500"),
                ("pin", "1234"),
            ]),
    };
    let resp = rb.send().await.expect("purchase answered");
    let status = resp.status();
    (status, resp.json().await.expect("purchase json"))
}

fn rand_suffix() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::SeqCst)
}

/// The order's state in the purchase answer: success, pending or failed.
fn purchase_word(kind: &str, v: &Value) -> String {
    let w = match kind {
        "vendify" => v["response"]["orderStatus"].as_str(),
        "estoresms" => v["result"][0]["response"].as_str(),
        "rukapay" => v["transaction"]["status"].as_str(),
        _ => v["status"].as_str(),
    };
    normalise(w.unwrap_or("?"))
}

fn normalise(w: &str) -> String {
    match w.to_ascii_lowercase().as_str() {
        "success" | "ok" | "approved" => "success",
        "pending" | "processing" => "pending",
        "failed" | "p009" => "failed",
        other => return other.to_owned(),
    }
    .to_owned()
}

fn provider_ref(kind: &str, v: &Value) -> String {
    let r = match kind {
        "vendify" => &v["response"]["transactionReference"],
        "estoresms" => &v["result"][0]["transaction_id"],
        "rukapay" => &v["transaction"]["transactionId"],
        _ => &v["trx"],
    };
    r.as_str().expect("a provider reference").to_owned()
}

/// Status by our reference (RukkyStore: by trx, it has no reference of ours).
async fn status(s: &Server, kind: &str, reference: &str, trx: &str) -> String {
    let c = reqwest::Client::new();
    let v: Value = match kind {
        "vendify" => c
            .get(format!("{}/api/v1/order/status", s.base))
            .query(&[("customerReference", reference)])
            .header("X-Api-Key", "k")
            .header("X-Nonce", "n")
            .header("X-Signature", "s"),
        "estoresms" => c
            .post(format!("{}/api_query", s.base))
            .json(&json!({ "username": "u", "hash": "h", "ref": reference })),
        "rukapay" => c
            .get(format!(
                "{}/api/v1/gateway/transactions/{reference}/status",
                s.base
            ))
            .header("x-api-key", "k"),
        _ => c
            .post(format!("{}/api/v1", s.base))
            .header("X-API-KEY", "k")
            .form(&[("action", "vtu_status"), ("trx", trx)]),
    }
    .send()
    .await
    .expect("status answered")
    .json()
    .await
    .expect("status json");
    let w = match kind {
        "vendify" => v["response"]["orderStatus"].as_str(),
        "estoresms" => v[0]["status"].as_str(),
        "rukapay" => v["transaction"]["status"].as_str(),
        _ => v["status"].as_str(),
    };
    normalise(w.unwrap_or("?"))
}

async fn scenario(kind: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start(kind, dir.path(), &["--balance", "100000", "--seed", "7"]);

    // A plain purchase is charged once.
    let (code, v) = buy(&s, kind, "ref-a", &number(kind, "4567890")).await;
    assert_eq!(code, StatusCode::OK, "{kind}: {v}");
    assert_eq!(purchase_word(kind, &v), "success", "{kind}: {v}");
    let trx_a = provider_ref(kind, &v);
    let sum = s.summary().await;
    assert_eq!(sum["charges"], 1, "{kind}: {sum}");
    assert_eq!(sum["balance"], "99500", "{kind}: {sum}");

    // The same reference again: not charged, recorded as a duplicate.
    if kind != "rukky" {
        let (code, v) = buy(&s, kind, "ref-a", &number(kind, "4567890")).await;
        if kind == "rukapay" {
            assert_eq!(code, StatusCode::BAD_REQUEST, "{v}");
            assert!(
                v["message"].as_str().unwrap_or("").contains("duplicate"),
                "{v}"
            );
        } else {
            assert_eq!(code, StatusCode::OK, "{kind}: {v}");
            assert_eq!(provider_ref(kind, &v), trx_a, "{kind}: the existing order");
        }
        let sum = s.summary().await;
        assert_eq!(sum["charges"], 1, "{kind}: {sum}");
        assert_eq!(sum["duplicates"], 1, "{kind}: {sum}");
        assert_eq!(sum["purchases_received"], 2, "{kind}: {sum}");
        let reqs = s.lines("requests.jsonl");
        assert_eq!(reqs.len(), 2);
        assert_eq!(reqs[1]["duplicate"], true);
        assert_eq!(reqs[1]["reference"], "ref-a");
    }
    assert_eq!(status(&s, kind, "ref-a", &trx_a).await, "success", "{kind}");

    // Pending, then success on the 2nd status query.
    let (_, v) = buy(&s, kind, "ref-p", &number(kind, "0000002")).await;
    assert_eq!(purchase_word(kind, &v), "pending", "{kind}: {v}");
    let trx_p = provider_ref(kind, &v);
    assert_eq!(status(&s, kind, "ref-p", &trx_p).await, "pending", "{kind}");
    assert_eq!(status(&s, kind, "ref-p", &trx_p).await, "success", "{kind}");
    assert_eq!(status(&s, kind, "ref-p", &trx_p).await, "success", "{kind}");

    // Pending, then failed and refunded.
    let (_, v) = buy(&s, kind, "ref-f", &number(kind, "0000003")).await;
    assert_eq!(purchase_word(kind, &v), "pending", "{kind}: {v}");
    let trx_f = provider_ref(kind, &v);
    assert_eq!(status(&s, kind, "ref-f", &trx_f).await, "pending", "{kind}");
    assert_eq!(status(&s, kind, "ref-f", &trx_f).await, "failed", "{kind}");

    // Failed at once: not charged.
    let (_, v) = buy(&s, kind, "ref-x", &number(kind, "0000001")).await;
    assert_eq!(purchase_word(kind, &v), "failed", "{kind}: {v}");

    let before = s.summary().await;
    assert_eq!(before["charges"], 3, "{kind}: {before}");
    assert_eq!(before["refunds"], 1, "{kind}: {before}");
    assert_eq!(before["balance"], "99000", "{kind}: {before}");
    let charges = s.lines("charges.jsonl");
    assert_eq!(charges.len(), 4);
    assert_eq!(charges[0]["kind"], "charge");
    assert_eq!(charges[0]["amount"], "500");
    assert_eq!(charges[3]["kind"], "refund");

    // A restart on the same directory keeps everything.
    s.stop();
    let s = Server::start(kind, dir.path(), &["--balance", "5", "--seed", "7"]);
    let after = s.summary().await;
    assert_eq!(after, before, "{kind}: state kept across a restart");
    assert_eq!(status(&s, kind, "ref-a", &trx_a).await, "success", "{kind}");
    assert_eq!(status(&s, kind, "ref-p", &trx_p).await, "success", "{kind}");
    if kind != "rukky" {
        let (_, v) = buy(&s, kind, "ref-a", &number(kind, "4567890")).await;
        if kind != "rukapay" {
            assert_eq!(provider_ref(kind, &v), trx_a, "{kind}");
        }
        assert_eq!(
            s.summary().await["charges"],
            3,
            "{kind}: no charge after restart"
        );
    }
}

#[tokio::test]
async fn vendify_protocol() {
    scenario("vendify").await;
}

#[tokio::test]
async fn estoresms_protocol() {
    scenario("estoresms").await;
}

#[tokio::test]
async fn rukapay_protocol() {
    scenario("rukapay").await;
}

#[tokio::test]
async fn rukky_protocol() {
    scenario("rukky").await;
}

#[tokio::test]
async fn charge_then_drop_gives_a_connection_error_and_a_durable_charge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start("vendify", dir.path(), &["--faults", "drop_after_charge=1"]);
    let c = reqwest::Client::new();
    let result = c
        .post(format!("{}/api/v1/orders", s.base))
        .header("X-Api-Key", "k")
        .header("X-Nonce", "n-drop")
        .header("X-Signature", "s")
        .json(&json!({
            "productId": 9418, "providerId": 123, "value": 0, "faceValue": 250,
            "walletId": "NGN-1001", "uniqueAccountId": "+2348039999999", "customerReference": "ref-drop",
        }))
        .send()
        .await;
    let err = match result {
        Ok(resp) => panic!("expected a connection error, got HTTP {}", resp.status()),
        Err(e) => e,
    };
    assert!(!err.is_timeout(), "{err}");
    assert!(
        err.is_request() || err.is_connect() || err.is_body(),
        "{err:?}"
    );
    let charges = s.lines("charges.jsonl");
    assert_eq!(charges.len(), 1, "{charges:?}");
    assert_eq!(charges[0]["reference"], "ref-drop");
    assert_eq!(charges[0]["amount"], "250");
    let reqs = s.lines("requests.jsonl");
    assert_eq!(reqs[0]["fault"], "drop_after_charge");
    // Status calls are not faulted: the order is found.
    assert_eq!(status(&s, "vendify", "ref-drop", "").await, "success");
}

#[tokio::test]
async fn error500_and_timeout_charge_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start("estoresms", dir.path(), &["--faults", "error500=1"]);
    let (code, _) = {
        let resp = reqwest::Client::new()
            .post(format!("{}/network_processing/v/2", s.base))
            .json(&json!({"username":"u","ref":"r1","hash":"h","request":[{"product":"NG-MTN-OR","phone":"+2348031111111","amount":100}]}))
            .send()
            .await
            .expect("answered");
        (resp.status(), ())
    };
    assert_eq!(code, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(s.summary().await["charges"], 0);
    assert_eq!(s.lines("requests.jsonl")[0]["fault"], "error500");
    s.stop();

    let dir = tempfile::tempdir().expect("tempdir");
    let s = Server::start(
        "rukapay",
        dir.path(),
        &["--faults", "timeout=1", "--hang-ms", "3000"],
    );
    let err = reqwest::Client::builder()
        .timeout(Duration::from_millis(400))
        .build()
        .expect("client")
        .post(format!("{}/api/v1/gateway/process-transfer", s.base))
        .header("x-api-key", "k")
        .json(&json!({"transactionMode":"PARTNER_AIRTIME","amount":500,"currency":"UGX","partnerReference":"t1","phoneNumber":"256701111111","mnoProvider":"MTN"}))
        .send()
        .await
        .expect_err("the client times out");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(s.summary().await["charges"], 0);
    assert!(s.lines("charges.jsonl").is_empty());
}

#[tokio::test]
async fn seeded_rates_are_deterministic() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let dir = tempfile::tempdir().expect("tempdir");
        let s = Server::start(
            "rukky",
            dir.path(),
            &["--seed", "42", "--fail-rate", "30", "--pending-rate", "30"],
        );
        let mut words = Vec::new();
        for i in 0..12 {
            let (_, v) = buy(&s, "rukky", "", &format!("0803{:07}", 1_000_000 + i)).await;
            words.push(purchase_word("rukky", &v));
        }
        runs.push(words);
    }
    assert_eq!(runs[0], runs[1]);
    assert!(runs[0].iter().any(|w| w == "failed"), "{:?}", runs[0]);
    assert!(runs[0].iter().any(|w| w == "pending"), "{:?}", runs[0]);
    assert!(runs[0].iter().any(|w| w == "success"), "{:?}", runs[0]);
}
