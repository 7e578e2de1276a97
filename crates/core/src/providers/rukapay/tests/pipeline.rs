//! A RukaPay account through the whole app: `Console::buy` (validate, intent, submit,
//! record) and the dashboard, against a wiremock RukaPay. Pins issue #8 item 4: the wallet
//! the ledger records is the wallet RukaPay is asked to charge, and an account with no
//! purchase yet still shows its wallet.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::json;
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::Mock;

use super::*;
use crate::console::OpenOptions;
use crate::error::Error;
use crate::ledger::balances;
use crate::orders::PlaceRequest;
use crate::secrets::MemoryStore;
use crate::views::NewAccount;
use crate::Console;

struct Shop {
    console: Console,
    account_id: String,
    _dir: tempfile::TempDir,
}

async fn shop(server: &MockServer, settings: &[(&str, &str)]) -> Shop {
    let dir = tempfile::tempdir().expect("tmp");
    let mut opts = OpenOptions::new(
        dir.path().to_owned(),
        dir.path().join("logs"),
        Arc::new(MemoryStore::default()),
    );
    opts.allow_memory_secrets = true;
    let console = Console::open(opts).await.expect("opens");
    let view = console
        .add_account(NewAccount {
            provider: ProviderKind::Rukapay,
            label: "RukaPay UGX".to_owned(),
            environment: Environment::Custom,
            base_url: Some(server.uri()),
            settings: settings
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>(),
            secrets: BTreeMap::from([("api_key".to_owned(), KEY.to_owned())]),
        })
        .await
        .expect("account added");
    Shop {
        console,
        account_id: view.id,
        _dir: dir,
    }
}

fn buy(account_id: &str, wallet: Option<&str>) -> PlaceRequest {
    PlaceRequest {
        account_id: account_id.to_owned(),
        product_id: "mno-send:MTN".to_owned(),
        recipient: "+256770000000".to_owned(),
        amount: "5000".to_owned(),
        currency: None,
        wallet_id: wallet.map(str::to_owned),
        product_code: None,
        confirmed_cost: None,
        allow_duplicate: true,
        customer_phone: None,
        account_name: None,
        service_type: None,
    }
}

async fn order_count(console: &Console) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM orders")
        .fetch_one(console.ledger().reader())
        .await
        .expect("count")
}

#[tokio::test]
async fn an_order_paying_from_commission_asks_rukapay_to_charge_commission() {
    let server = MockServer::start().await;
    let mut answer = transfer_answer("SUCCESS", "cm-com-1");
    answer["walletBalance"] = json!({ "walletId": "wal_partner_commission",
        "walletType": "COMMISSION", "balanceBefore": 80000, "balanceAfter": 74900, "currency": "UGX" });
    Mock::given(method("POST"))
        .and(path(TRANSFER))
        .and(body_partial_json(json!({ "walletType": "COMMISSION" })))
        .respond_with(json_answer(200, &answer))
        .expect(1)
        .mount(&server)
        .await;
    let s = shop(&server, &[]).await;
    let order = s
        .console
        .buy(buy(&s.account_id, Some("commission")))
        .await
        .expect("placed");
    assert_eq!(
        order.wallet_id, "COMMISSION",
        "recorded as RukaPay spells it"
    );
    assert_eq!(order.charged.map(|c| c.amount).as_deref(), Some("5100"));
    let seen = balances::latest(s.console.ledger().reader(), &s.account_id)
        .await
        .expect("balances");
    let wallets: Vec<(&str, String)> = seen
        .iter()
        .map(|b| {
            (
                b.wallet_id.as_str(),
                b.balance.amount.normalize().to_string(),
            )
        })
        .collect();
    assert_eq!(wallets, vec![("COMMISSION", "74900".to_owned())]);
}

#[tokio::test]
async fn a_wallet_rukapay_does_not_have_is_refused_before_the_order_is_written() {
    let server = MockServer::start().await;
    let s = shop(&server, &[]).await;
    let err = s
        .console
        .buy(buy(&s.account_id, Some("FOO")))
        .await
        .expect_err("refused");
    match &err {
        Error::InvalidInput { field, reason } => {
            assert_eq!(field, "wallet");
            assert_eq!(
                reason,
                "RukaPay pays from ESCROW or COMMISSION; FOO is not a RukaPay wallet"
            );
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
    assert_eq!(order_count(&s.console).await, 0, "no intent written");
    let sent = server.received_requests().await.expect("recording");
    assert!(
        sent.iter()
            .all(|r| !r.url.path().contains("process-transfer")),
        "no transfer sent: {sent:?}"
    );
}

/// Issue #8 item 4, second half: RukaPay has no balance call, so a new account showed no
/// wallet at all, and after a purchase its balance read as freshly fetched.
#[tokio::test]
async fn the_dashboard_shows_a_rukapay_wallet_before_any_report_and_the_last_reported_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TRANSFER))
        .respond_with(json_answer(200, &transfer_answer("SUCCESS", "cm-dash-1")))
        .mount(&server)
        .await;
    let s = shop(&server, &[]).await;
    let entry = |d: crate::views::Dashboard| {
        d.accounts
            .into_iter()
            .find(|a| a.account.id == s.account_id)
            .expect("listed")
    };

    let before = entry(s.console.dashboard().await.expect("dashboard"));
    assert!(
        before.error.is_none() && !before.stale,
        "{:?}",
        before.error
    );
    assert!(before.wallets.is_empty());
    assert_eq!(before.unreported_wallets, vec!["ESCROW".to_owned()]);

    s.console
        .buy(buy(&s.account_id, None))
        .await
        .expect("placed");
    let after = entry(s.console.dashboard().await.expect("dashboard"));
    assert!(after.unreported_wallets.is_empty());
    let w = after.wallets.first().expect("the answer's balance");
    assert_eq!(w.wallet_id, "ESCROW");
    assert_eq!(w.balance.amount, "994900");
    assert!(
        w.last_reported,
        "from the transfer answer, not a balance call"
    );
    assert!(!w.observed_at.is_empty());
}

#[tokio::test]
async fn the_dashboard_names_the_wallet_type_the_account_is_set_to() {
    let server = MockServer::start().await;
    let s = shop(&server, &[("wallet_type", "COMMISSION")]).await;
    let d = s.console.dashboard().await.expect("dashboard");
    let a = d
        .accounts
        .iter()
        .find(|a| a.account.id == s.account_id)
        .expect("listed");
    assert_eq!(a.unreported_wallets, vec!["COMMISSION".to_owned()]);
    assert!(
        server.received_requests().await.expect("rec").is_empty(),
        "the dashboard calls nothing"
    );
}

/// Issue #9: a bank transfer carries the account holder's name the cashier typed as
/// `accountName`, with the bank code from the product and the account number.
#[tokio::test]
async fn a_bank_transfer_sends_the_account_name_the_cashier_typed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TRANSFER))
        .and(body_partial_json(json!({
            "accountNumber": "9030012345678",
            "bankCode": "STANBIC",
            "accountName": "Acme Traders Ltd",
        })))
        .respond_with(json_answer(200, &transfer_answer("SUCCESS", "cm-bank-1")))
        .expect(1)
        .mount(&server)
        .await;
    let s = shop(&server, &[]).await;
    let req = PlaceRequest {
        product_id: "bank:STANBIC".to_owned(),
        recipient: "9030012345678".to_owned(),
        account_name: Some(" Acme Traders Ltd ".to_owned()),
        ..buy(&s.account_id, None)
    };
    s.console.buy(req).await.expect("placed");
}

/// Without the name, the transfer is refused by name before anything is written or sent.
#[tokio::test]
async fn a_bank_transfer_without_the_account_name_is_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TRANSFER))
        .respond_with(json_answer(200, &transfer_answer("SUCCESS", "cm-bank-2")))
        .expect(0)
        .mount(&server)
        .await;
    let s = shop(&server, &[]).await;
    let req = PlaceRequest {
        product_id: "bank:STANBIC".to_owned(),
        recipient: "9030012345678".to_owned(),
        ..buy(&s.account_id, None)
    };
    let err = s.console.buy(req).await.expect_err("refused");
    match &err {
        Error::InvalidInput { field, reason } => {
            assert_eq!(field, "account_name");
            assert!(
                reason.contains("RukaPay") && reason.contains("name"),
                "{reason}"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(order_count(&s.console).await, 0);
}

/// Bank transfers ask for the account holder's name; the bank and biller codes come with
/// the product (bank:STANBIC, bill:UMEME), so nothing else is asked.
#[test]
fn only_bank_transfers_need_an_extra_field() {
    for p in crate::providers::rukapay::products::products() {
        let want = if p.id.starts_with("bank:") {
            vec![crate::providers::ExtraField::AccountName]
        } else {
            Vec::new()
        };
        assert_eq!(p.needs, want, "{}", p.id);
    }
}

/// "callbackUrl: Required for PARTNER_COLLECT_MNO": a collection on an account without one
/// is refused while it is validated, so nothing is written or sent.
#[tokio::test]
async fn a_collection_without_a_callback_url_is_refused_before_anything_is_written() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TRANSFER))
        .respond_with(json_answer(200, &transfer_answer("PENDING", "cm-col-1")))
        .expect(0)
        .mount(&server)
        .await;
    let s = shop(&server, &[]).await;
    let req = PlaceRequest {
        product_id: "mno-collect:MTN".to_owned(),
        ..buy(&s.account_id, None)
    };
    let err = s.console.buy(req).await.expect_err("refused");
    match &err {
        Error::InvalidInput { field, reason } => {
            assert_eq!(field, "product");
            assert!(reason.contains("callback URL"), "{reason}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(order_count(&s.console).await, 0);
}
