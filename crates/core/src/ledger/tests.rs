use sha2::{Digest, Sha256};

use super::*;

fn digest(path: &Path) -> Vec<u8> {
    Sha256::digest(std::fs::read(path).expect("read")).to_vec()
}

fn siblings(path: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(path.parent().expect("dir"))
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_new_ledger_has_the_schema_and_the_money_pragmas() {
    let dir = tempfile::tempdir().expect("tmp");
    let ledger = Ledger::open(&dir.path().join(FILE_NAME))
        .await
        .expect("opens");
    let w = ledger.writer();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(w)
        .await
        .expect("q");
    assert_eq!(mode, "wal");
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(w)
        .await
        .expect("q");
    assert_eq!(sync, 2, "synchronous=FULL");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(w)
        .await
        .expect("q");
    assert_eq!(fk, 1);
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(w)
        .await
        .expect("q");
    assert!(timeout >= 5000);
    for table in [
        "provider_accounts",
        "products",
        "orders",
        "order_events",
        "entries",
        "deliveries",
        "batches",
        "audit_log",
        "fx_rates",
        "wallet_balances",
    ] {
        let n: i64 =
            sqlx::query_scalar("SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?")
                .bind(table)
                .fetch_one(ledger.reader())
                .await
                .expect("q");
        assert_eq!(n, 1, "table {table}");
    }
    // No REAL column anywhere: money is INTEGER units or decimal TEXT.
    let reals: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master m, pragma_table_info(m.name) c
          WHERE m.type = 'table' AND upper(c.type) IN ('REAL', 'FLOAT', 'DOUBLE')",
    )
    .fetch_one(ledger.reader())
    .await
    .expect("q");
    assert_eq!(reals, 0);
    assert_eq!(ledger.integrity_check().await.expect("check"), "ok");
}

#[tokio::test]
async fn the_reader_cannot_write() {
    let dir = tempfile::tempdir().expect("tmp");
    let ledger = Ledger::open(&dir.path().join(FILE_NAME))
        .await
        .expect("opens");
    let err = sqlx::query("INSERT INTO audit_log (at, actor, action) VALUES ('t', 'a', 'b')")
        .execute(ledger.reader())
        .await;
    assert!(err.is_err(), "only the single writer may write");
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(FILE_NAME);
    let junk: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &junk).expect("write");
    let before = digest(&path);
    let err = Ledger::open(&path).await.err().expect("refused");
    assert!(matches!(err, LedgerError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("left untouched"));
    assert_eq!(digest(&path), before);
    assert_eq!(
        siblings(&path),
        vec![FILE_NAME.to_owned()],
        "no -wal or -shm created"
    );
}

#[tokio::test]
async fn a_truncated_ledger_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(FILE_NAME);
    {
        let ledger = Ledger::open(&path).await.expect("opens");
        for i in 0..300 {
            audit::record(
                ledger.writer(),
                "2026-01-01T00:00:00.000000Z",
                "test",
                "fill",
                Some(&format!("{i:0>200}")),
                &serde_json::json!({}),
            )
            .await
            .expect("insert");
        }
        ledger.close().await;
    }
    let bytes = std::fs::read(&path).expect("read");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).expect("truncate");
    let before = digest(&path);
    let err = Ledger::open(&path).await.err().expect("refused");
    assert!(matches!(err, LedgerError::Corrupt { .. }), "{err:?}");
    assert_eq!(digest(&path), before);
}

#[tokio::test]
async fn another_programs_database_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(FILE_NAME);
    {
        let pool = SqlitePoolOptions::new()
            .connect_with(
                SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true),
            )
            .await
            .expect("create");
        sqlx::query("CREATE TABLE photos (id INTEGER)")
            .execute(&pool)
            .await
            .expect("create");
        pool.close().await;
    }
    let before = digest(&path);
    let err = Ledger::open(&path).await.err().expect("refused");
    assert!(err.to_string().contains("another program"), "{err}");
    assert_eq!(digest(&path), before);
}

#[tokio::test]
async fn a_ledger_from_a_newer_app_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(FILE_NAME);
    {
        let ledger = Ledger::open(&path).await.expect("opens");
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
             VALUES (99991231000000, 'from the future', 1, x'00', 1)",
        )
        .execute(ledger.writer())
        .await
        .expect("insert");
        ledger.close().await;
    }
    let before = digest(&path);
    let err = Ledger::open(&path).await.err().expect("refused");
    match &err {
        LedgerError::Newer { found, .. } => assert_eq!(*found, 99_991_231_000_000),
        other => panic!("expected Newer, got {other:?}"),
    }
    assert_eq!(err.code(), ErrorCode::DatabaseNewer);
    assert!(err.to_string().contains("Update the app"));
    assert_eq!(digest(&path), before);
}

#[tokio::test]
async fn reopening_keeps_data_and_does_not_rerun_migrations() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(FILE_NAME);
    let ledger = Ledger::open(&path).await.expect("opens");
    accounts::ensure_demo(ledger.writer(), "2026-01-01T00:00:00.000000Z")
        .await
        .expect("demo");
    ledger.close().await;
    let again = Ledger::open(&path).await.expect("reopens");
    let list = accounts::list(again.reader()).await.expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, accounts::DEMO_ACCOUNT_ID);
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(again.reader())
        .await
        .expect("q");
    assert_eq!(applied as usize, MIGRATOR.iter().count());
}

#[tokio::test]
async fn history_tables_are_append_only() {
    let dir = tempfile::tempdir().expect("tmp");
    let ledger = Ledger::open(&dir.path().join(FILE_NAME))
        .await
        .expect("opens");
    let w = ledger.writer();
    accounts::ensure_demo(w, "t").await.expect("demo");
    audit::record(w, "t", "user", "x", None, &serde_json::json!({}))
        .await
        .expect("audit");
    assert!(sqlx::query("UPDATE audit_log SET actor = 'someone else'")
        .execute(w)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM audit_log")
        .execute(w)
        .await
        .is_err());
    sqlx::query("INSERT INTO entries (account_id, wallet_id, currency, kind, units, created_at) VALUES ('demo', 'NGN-DEMO', 'NGN', 'adjustment', 1, 't')")
        .execute(w)
        .await
        .expect("entry");
    assert!(sqlx::query("UPDATE entries SET units = 2")
        .execute(w)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM entries").execute(w).await.is_err());
    // Foreign keys are enforced: an entry for an account that does not exist is refused.
    assert!(sqlx::query("INSERT INTO entries (account_id, wallet_id, currency, kind, units, created_at) VALUES ('ghost', 'W', 'NGN', 'adjustment', 1, 't')")
        .execute(w)
        .await
        .is_err());
}

#[test]
fn shipped_migrations_never_change() {
    // A shipped migration is immutable: add a new file instead. Update this list only when
    // adding a migration, never to bless an edit of an old one.
    let shipped: &[(i64, &str)] = &[
        (20_261_123_000_001, "initial"),
        (20_261_203_000_001, "catalogue cache"),
        (20_261_203_000_002, "order charges"),
    ];
    let ours: Vec<(i64, String)> = MIGRATOR
        .iter()
        .map(|m| (m.version, m.description.to_string()))
        .collect();
    for (v, d) in shipped {
        assert!(
            ours.iter().any(|(ov, od)| ov == v && od == d),
            "migration {v} {d} is missing or renamed"
        );
    }
    let checksum = MIGRATOR
        .iter()
        .find(|m| m.version == 20_261_123_000_001)
        .map(|m| hex::encode(&*m.checksum));
    assert_eq!(
        checksum.as_deref(),
        Some(INITIAL_CHECKSUM),
        "migrations/20261123000001_initial.sql was edited"
    );
}

const INITIAL_CHECKSUM: &str = "930276869caefde5b4b9b099c72a037fdee3219193a0428bb5cf719c9e1d615719827d0a1a6329f35271d5a683bc883c";

#[cfg(unix)]
#[tokio::test]
async fn a_fresh_ledger_and_its_wal_files_are_private_to_the_user() {
    use crate::owner_only::mode_of;
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    let path = dir.join(FILE_NAME);
    let ledger = Ledger::open(&path).await.expect("opens");
    sqlx::query("CREATE TABLE t (x)")
        .execute(ledger.writer())
        .await
        .expect("write");
    assert_eq!(mode_of(&dir), 0o700, "data folder");
    for name in [FILE_NAME, "ledger.sqlite3-wal", "ledger.sqlite3-shm"] {
        let p = dir.join(name);
        assert!(p.exists(), "{name} exists");
        assert_eq!(mode_of(&p), 0o600, "{name}");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn a_ledger_left_readable_by_others_is_tightened_on_open() {
    use std::os::unix::fs::PermissionsExt;

    use crate::owner_only::mode_of;
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("data");
    let path = dir.join(FILE_NAME);
    Ledger::open(&path).await.expect("opens").close().await;
    let chmod = |p: &Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod")
    };
    chmod(&dir, 0o755);
    chmod(&path, 0o644);
    let _ledger = Ledger::open(&path).await.expect("reopens");
    assert_eq!(mode_of(&dir), 0o700);
    assert_eq!(mode_of(&path), 0o600);
}
