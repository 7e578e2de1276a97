use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use super::*;
use crate::ledger::{accounts, Ledger, FILE_NAME};

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

fn ngn() -> Currency {
    Currency::new("NGN").expect("currency")
}

/// Every field set, amounts with trailing zeros and ten decimals.
fn full(id: &str, name: &str) -> Product {
    Product {
        id: id.to_owned(),
        code: Some("RW001827".into()),
        name: name.to_owned(),
        category_code: "giftcard".into(),
        category: "Gift Card".into(),
        sub_category_code: Some("E-Commerce-Online-Shopping".into()),
        sub_category: Some("E-Commerce & Online Shopping".into()),
        brand_code: Some("amazon-uk".into()),
        brand_family: Some("Amazon".into()),
        operator: Some("Amazon UK".into()),
        country_codes: vec!["GBR".into(), "IRL".into()],
        denominations: vec![
            Denomination {
                kind: DenominationKind::Fixed,
                min: dec("5.00"),
                max: dec("5.00"),
                currency: Currency::new("GBP").expect("gbp"),
            },
            Denomination {
                kind: DenominationKind::Range,
                min: dec("2"),
                max: dec("1000.5"),
                currency: Currency::new("GBP").expect("gbp"),
            },
        ],
        cost: Some(Money::new(dec("10988.1800"), ngn())),
        face_value: Some(Money::new(dec("5.00"), Currency::new("GBP").expect("gbp"))),
        fx_rate: Some(dec("2313.3000000000")),
        wallet_id: Some("NGN-143".into()),
        validity: Some("10 years".into()),
        description: Some("A £5 voucher, \"realtime\".".into()),
        requires_validation: true,
        needs: vec![crate::providers::ExtraField::CustomerPhone],
        active: false,
        provider_ref: Some("17".into()),
    }
}

fn bare(id: &str) -> Product {
    Product {
        id: id.to_owned(),
        code: None,
        name: format!("Product {id}"),
        category_code: "airtime".into(),
        category: "Airtime".into(),
        sub_category_code: None,
        sub_category: None,
        brand_code: None,
        brand_family: None,
        operator: None,
        country_codes: vec![],
        denominations: vec![],
        cost: None,
        face_value: None,
        fx_rate: None,
        wallet_id: None,
        validity: None,
        description: None,
        requires_validation: false,
        needs: Vec::new(),
        active: true,
        provider_ref: None,
    }
}

async fn ledger() -> (Ledger, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tmp");
    let ledger = Ledger::open(&dir.path().join(FILE_NAME))
        .await
        .expect("opens");
    accounts::ensure_demo(ledger.writer(), "t")
        .await
        .expect("demo");
    (ledger, dir)
}

async fn save(ledger: &Ledger, list: &[Product], at: &str) -> u32 {
    let mut tx = ledger.begin_write().await.expect("tx");
    let n = replace(&mut tx, "demo", list, at).await.expect("replace");
    tx.commit().await.expect("commit");
    n
}

#[tokio::test]
async fn a_saved_product_reads_back_exactly() {
    let (ledger, _dir) = ledger().await;
    let list = vec![full("4300", "Amazon UK £5"), bare("9418")];
    assert_eq!(save(&ledger, &list, "2026-12-03T09:00:00.000000Z").await, 2);
    let back = find(ledger.reader(), "demo", &Filter::default())
        .await
        .expect("find");
    assert_eq!(back, list);
    // Equal decimals can differ in scale ("5" == "5.00"); the saved copy keeps the scale.
    assert_eq!(format!("{back:?}"), format!("{list:?}"));
    let saved = saved(ledger.reader(), "demo")
        .await
        .expect("saved")
        .expect("row");
    assert_eq!(
        saved,
        SavedCatalogue {
            fetched_at: "2026-12-03T09:00:00.000000Z".into(),
            product_count: 2
        }
    );
}

#[tokio::test]
async fn amounts_are_saved_as_decimal_text_never_as_json_numbers() {
    let (ledger, _dir) = ledger().await;
    save(&ledger, &[full("4300", "Amazon UK £5")], "t").await;
    let data: String = sqlx::query_scalar("SELECT data FROM products WHERE product_id = '4300'")
        .fetch_one(ledger.reader())
        .await
        .expect("row");
    let v: serde_json::Value = serde_json::from_str(&data).expect("json");
    fn numbers(v: &serde_json::Value) -> usize {
        match v {
            serde_json::Value::Number(_) => 1,
            serde_json::Value::Array(a) => a.iter().map(numbers).sum(),
            serde_json::Value::Object(o) => o.values().map(numbers).sum(),
            _ => 0,
        }
    }
    assert_eq!(numbers(&v), 0, "{data}");
    assert_eq!(v["cost"]["amount"], "10988.1800");
    assert_eq!(v["fx_rate"], "2313.3000000000");
    assert_eq!(v["denominations"][1]["max"], "1000.5");
}

#[tokio::test]
async fn a_refresh_replaces_every_row_and_keeps_the_listing_order() {
    let (ledger, _dir) = ledger().await;
    save(&ledger, &[bare("a"), bare("b"), bare("c")], "t1").await;
    save(&ledger, &[bare("z"), bare("b")], "t2").await;
    let ids: Vec<String> = find(ledger.reader(), "demo", &Filter::default())
        .await
        .expect("find")
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, vec!["z", "b"]);
    let stamps: Vec<String> = sqlx::query_scalar("SELECT DISTINCT fetched_at FROM products")
        .fetch_all(ledger.reader())
        .await
        .expect("q");
    assert_eq!(stamps, vec!["t2"]);
}

#[tokio::test]
async fn a_replace_that_is_not_committed_changes_nothing() {
    let (ledger, _dir) = ledger().await;
    save(&ledger, &[bare("a")], "t1").await;
    {
        let mut tx = ledger.begin_write().await.expect("tx");
        replace(&mut tx, "demo", &[bare("b")], "t2")
            .await
            .expect("replace");
        // Dropped without commit, as when a refresh fails after the delete.
    }
    let ids: Vec<String> = find(ledger.reader(), "demo", &Filter::default())
        .await
        .expect("find")
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, vec!["a"]);
    let saved = saved(ledger.reader(), "demo")
        .await
        .expect("q")
        .expect("row");
    assert_eq!(saved.fetched_at, "t1");
}

#[tokio::test]
async fn a_product_listed_twice_keeps_its_first_listing() {
    let (ledger, _dir) = ledger().await;
    let mut again = bare("a");
    again.name = "Second listing".into();
    assert_eq!(save(&ledger, &[bare("a"), bare("b"), again], "t").await, 2);
    let names: Vec<String> = find(ledger.reader(), "demo", &Filter::default())
        .await
        .expect("find")
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, vec!["Product a", "Product b"]);
}

#[tokio::test]
async fn search_ignores_unicode_case_and_takes_wildcards_literally() {
    let (ledger, _dir) = ledger().await;
    let mut ee = bare("ee");
    ee.name = "ÉLAN 50% Top-up".into();
    save(&ledger, &[ee, bare("x")], "t").await;
    let found = |s: &str| {
        let f = Filter {
            search: Some(s.to_lowercase()),
            ..Filter::default()
        };
        let r = ledger.reader().clone();
        async move {
            find(&r, "demo", &f)
                .await
                .expect("find")
                .into_iter()
                .map(|p| p.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(found("élan").await, vec!["ee"]);
    assert_eq!(found("50%").await, vec!["ee"]);
    assert!(found("5_%").await.is_empty(), "`_` is not a wildcard");
    assert!(found("product ee").await.is_empty());
}

#[tokio::test]
async fn categories_come_from_the_saved_products_in_listing_order() {
    let (ledger, _dir) = ledger().await;
    let mut esim = bare("e");
    esim.category_code = "esim".into();
    esim.category = "eSim".into();
    let mut untitled = bare("u");
    untitled.category_code = String::new();
    save(&ledger, &[esim, bare("a"), bare("b"), untitled], "t").await;
    let list = categories(ledger.reader(), "demo")
        .await
        .expect("categories");
    assert_eq!(
        list,
        vec![
            Category {
                code: "esim".into(),
                name: "eSim".into()
            },
            Category {
                code: "airtime".into(),
                name: "Airtime".into()
            },
        ]
    );
}

#[tokio::test]
async fn the_catalogue_migration_upgrades_a_ledger_with_old_product_rows() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(FILE_NAME);
    // A ledger as the first release left it: only the initial migration applied.
    let first = tempfile::tempdir().expect("tmp");
    let name = "20261123000001_initial.sql";
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    std::fs::copy(source.join(name), first.path().join(name)).expect("copy");
    {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true),
            )
            .await
            .expect("create");
        sqlx::migrate::Migrator::new(first.path())
            .await
            .expect("migrator")
            .run(&pool)
            .await
            .expect("initial schema");
        accounts::ensure_demo(&pool, "t").await.expect("demo");
        sqlx::query(
            "INSERT INTO products (account_id, product_id, category_code, name, search_text, data, fetched_at)
             VALUES ('demo', 'old', 'airtime', 'Old', 'old', '{}', 't')",
        )
        .execute(&pool)
        .await
        .expect("old row");
        pool.close().await;
    }
    let ledger = Ledger::open(&path).await.expect("upgrades");
    let position: i64 =
        sqlx::query_scalar("SELECT position FROM products WHERE product_id = 'old'")
            .fetch_one(ledger.reader())
            .await
            .expect("kept");
    assert_eq!(position, 0);
    // Nothing says when that row was fetched: the account counts as not saved, so its
    // catalogue is fetched (and the old row replaced) on first use.
    assert!(saved(ledger.reader(), "demo").await.expect("q").is_none());
    save(&ledger, &[bare("new")], "t2").await;
    let ids: Vec<String> = find(ledger.reader(), "demo", &Filter::default())
        .await
        .expect("find")
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, vec!["new"]);
}
