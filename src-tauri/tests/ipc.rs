//! The shell's commands through Tauri's real IPC layer (mock runtime, no window): what the
//! UI receives, including that no secret ever comes back.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use reseller_console_lib::{bindings, state::AppState};
use reseller_core::secrets::MemoryStore;
use reseller_core::{Console, OpenOptions};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

const CANARY: &str = "CANARY-ipc-5e1d";

struct Shell {
    app: tauri::App<tauri::test::MockRuntime>,
    _dir: tempfile::TempDir,
}

fn shell() -> Shell {
    let dir = tempfile::tempdir().expect("tmp");
    let mut opts = OpenOptions::new(
        dir.path().to_owned(),
        dir.path().join("logs"),
        Arc::new(MemoryStore::default()),
    );
    opts.allow_memory_secrets = true;
    let console = tauri::async_runtime::block_on(Console::open(opts)).map_err(|e| e.view());
    let app = mock_builder()
        .manage(AppState::new(console, Instant::now()))
        .invoke_handler(bindings::builder().invoke_handler())
        .build(mock_context(noop_assets()))
        .expect("app");
    Shell { app, _dir: dir }
}

fn call(shell: &Shell, cmd: &str, args: Value) -> Result<Value, Value> {
    let webview = shell.app.get_webview_window("main").unwrap_or_else(|| {
        WebviewWindowBuilder::new(&shell.app, "main", Default::default())
            .build()
            .expect("window")
    });
    let res = get_ipc_response(
        &webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    );
    res.map(|b| b.deserialize::<Value>().expect("json"))
}

use tauri::Manager;

#[test]
fn dashboard_over_ipc_has_demo_balances_as_decimal_strings() {
    let s = shell();
    let d = call(&s, "dashboard", json!({})).expect("dashboard");
    let wallets = &d["accounts"][0]["wallets"];
    let ngn = wallets
        .as_array()
        .expect("array")
        .iter()
        .find(|w| w["wallet_id"] == "NGN-DEMO")
        .expect("NGN");
    assert_eq!(
        ngn["balance"],
        json!({ "amount": "1250000.00", "currency": "NGN" })
    );
}

#[test]
fn errors_cross_as_code_message_and_field() {
    let s = shell();
    let err = call(
        &s,
        "add_account",
        json!({ "input": { "provider": "vendify", "label": "", "environment": "sandbox", "base_url": null, "settings": {}, "secrets": { "api_key": CANARY } } }),
    )
    .expect_err("refused");
    assert_eq!(err["code"], "invalid_input");
    assert_eq!(err["field"], "label");
    assert!(!err.to_string().contains(CANARY));
}

#[test]
fn secrets_go_in_and_never_come_back() {
    let s = shell();
    let added = call(
        &s,
        "add_account",
        json!({ "input": { "provider": "vendify", "label": "Vendify", "environment": "custom", "base_url": "http://127.0.0.1:9", "settings": {}, "secrets": { "api_key": CANARY, "signing_secret": CANARY } } }),
    )
    .expect("added");
    let id = added["id"].as_str().expect("id").to_owned();
    let mut seen = vec![added];
    seen.push(call(&s, "list_accounts", json!({})).expect("list"));
    seen.push(call(&s, "test_account", json!({ "id": id })).expect("test"));
    seen.push(call(&s, "dashboard", json!({})).expect("dashboard"));
    seen.push(call(&s, "app_info", json!({})).expect("info"));
    seen.push(call(&s, "provider_kinds", json!({})).expect("kinds"));
    for v in &seen {
        assert!(
            !v.to_string().contains(CANARY),
            "secret leaked over IPC: {v}"
        );
    }
    assert_eq!(
        seen[1][1]["stored_secrets"],
        json!(["api_key", "signing_secret"])
    );
}

#[test]
fn catalogue_filters_apply_over_ipc() {
    let s = shell();
    let mut q = BTreeMap::new();
    for k in [
        "category",
        "country",
        "sub_category",
        "brand_family",
        "brand_code",
        "phone",
        "wallet_id",
        "search",
    ] {
        q.insert(k, Value::Null);
    }
    q.insert("category", json!("esim"));
    let view =
        call(&s, "catalogue", json!({ "accountId": "demo", "query": q })).expect("catalogue");
    let names: Vec<&str> = view["products"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, vec!["Middle East 1GB"]);
    assert!(view["fetched_at"].is_string(), "{view}");

    // A refresh saves the catalogue anew; the next answer comes from that copy.
    let refreshed = call(&s, "refresh_catalogue", json!({ "accountId": "demo" })).expect("refresh");
    assert!(
        refreshed["product_count"].as_u64().unwrap_or(0) > 1,
        "{refreshed}"
    );
    let again =
        call(&s, "catalogue", json!({ "accountId": "demo", "query": q })).expect("catalogue");
    assert_eq!(again["fetched_at"], refreshed["fetched_at"]);
    assert_eq!(again["from_cache"], true);
}

#[test]
fn a_console_that_failed_to_open_answers_every_command_with_the_reason() {
    let dir = tempfile::tempdir().expect("tmp");
    let opts = OpenOptions::new(
        dir.path().to_owned(),
        dir.path().join("logs"),
        Arc::new(MemoryStore::default()),
    );
    let console = tauri::async_runtime::block_on(Console::open(opts)).map_err(|e| e.view());
    assert!(console.is_err(), "memory-only keychain refused");
    let app = mock_builder()
        .manage(AppState::new(console, Instant::now()))
        .invoke_handler(bindings::builder().invoke_handler())
        .build(mock_context(noop_assets()))
        .expect("app");
    let s = Shell { app, _dir: dir };
    let err = call(&s, "app_info", json!({})).expect_err("refused");
    assert_eq!(err["code"], "secret_store_unavailable");
}

#[test]
fn typescript_bindings_are_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(bindings::BINDINGS_PATH);
    let on_disk = std::fs::read_to_string(&path).expect("bindings.ts exists");
    let fresh = bindings::typescript().expect("generate");
    assert!(
        on_disk == fresh,
        "ui/src/lib/bindings.ts is stale: run `cargo run -p reseller-console --bin export-bindings`"
    );
}
