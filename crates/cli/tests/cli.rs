//! resellerctl as a user runs it: a real process, a real data folder, the real OS keychain
//! (scripts/with-keyring.sh provides one on headless Linux).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const SERVICE: &str = "reseller-console-test";

fn ctl(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_resellerctl"));
    c.arg("--data-dir")
        .arg(data)
        .env("RESELLER_KEYCHAIN_SERVICE", SERVICE)
        .env_remove("RESELLER_DATA_DIR");
    for (k, _) in std::env::vars() {
        if k.starts_with("RESELLER_VENDIFY_") || k.starts_with("RESELLER_RUKKY_") {
            c.env_remove(k);
        }
    }
    c
}

fn run(mut c: Command, stdin: Option<&str>) -> Output {
    c.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = c.spawn().expect("spawn resellerctl");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write");
    }
    child.wait_with_output().expect("wait")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A one-shot HTTP server that answers 401 and echoes the whole request (headers included)
/// back in the body, as a careless provider would.
fn echo_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(16) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 8192];
            let n = s.read(&mut buf).unwrap_or(0);
            let req = String::from_utf8_lossy(&buf[..n]).replace('"', "'");
            let body = format!(
                "{{\"error\": \"Invalid api key\", \"echo\": \"{}\"}}",
                req.replace(['\r', '\n'], " ")
            );
            let _ = write!(s, "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
        }
    });
    format!("http://{addr}")
}

#[test]
fn every_subcommand_has_help() {
    let dir = tempfile::tempdir().expect("tmp");
    for args in [
        vec!["--help"],
        vec!["accounts", "--help"],
        vec!["accounts", "add", "--help"],
        vec!["accounts", "list", "--help"],
        vec!["accounts", "test", "--help"],
        vec!["accounts", "remove", "--help"],
        vec!["dashboard", "--help"],
        vec!["catalog", "--help"],
        vec!["providers", "--help"],
        vec!["buy", "--help"],
        vec!["validate", "--help"],
        vec!["orders", "--help"],
        vec!["orders", "list", "--help"],
        vec!["orders", "show", "--help"],
        vec!["orders", "resolve", "--help"],
        vec!["reconcile", "--help"],
        vec!["doctor", "--help"],
    ] {
        let mut c = ctl(dir.path());
        c.args(&args);
        let o = run(c, None);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Usage:"),
            "{args:?}"
        );
    }
}

#[test]
fn dashboard_shows_the_demo_wallets_and_the_data_dir_env_var_works() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut c = ctl(dir.path());
    c.arg("dashboard");
    let o = run(c, None);
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("NGN-DEMO") && out.contains("NGN 1,250,000.00"),
        "{out}"
    );
    assert!(out.contains("UGX 4,500,000"), "{out}");
    assert!(dir.path().join("ledger.sqlite3").exists());

    // RESELLER_DATA_DIR picks the folder when --data-dir is absent.
    let other = tempfile::tempdir().expect("tmp");
    let mut c = Command::new(env!("CARGO_BIN_EXE_resellerctl"));
    c.env("RESELLER_DATA_DIR", other.path())
        .env("RESELLER_KEYCHAIN_SERVICE", SERVICE)
        .args(["--json", "dashboard"]);
    let o = run(c, None);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["accounts"][0]["account"]["provider"], "demo");
    assert!(other.path().join("ledger.sqlite3").exists());
}

#[test]
fn catalog_filters_like_the_app() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut c = ctl(dir.path());
    c.args([
        "--json",
        "catalog",
        "--category",
        "giftcard",
        "--country",
        "GBR",
    ]);
    let o = run(c, None);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let names: Vec<&str> = v["products"]
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.contains("Amazon")));
    assert_eq!(v["from_cache"], false, "the first call fetches and saves");
    let mut c = ctl(dir.path());
    c.args(["catalog", "--categories"]);
    let o = run(c, None);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("esim"),
        "{}",
        text(&o)
    );
}

#[test]
fn catalog_reads_the_saved_copy_until_refresh() {
    let dir = tempfile::tempdir().expect("tmp");
    let catalog = |extra: &[&str]| {
        let mut c = ctl(dir.path());
        c.args(["--json", "catalog"]).args(extra);
        let o = run(c, None);
        assert!(o.status.success(), "{}", text(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("json")
    };
    let first = catalog(&[]);
    let saved_at = first["fetched_at"].as_str().expect("saved").to_owned();
    // Another process answers from the same saved copy.
    let again = catalog(&["--search", "amazon"]);
    assert_eq!(again["from_cache"], true);
    assert_eq!(again["fetched_at"], saved_at.as_str());
    let refreshed = catalog(&["--refresh"]);
    let new_at = refreshed["fetched_at"].as_str().expect("saved");
    assert!(new_at > saved_at.as_str(), "{new_at} after {saved_at}");
    assert_eq!(
        refreshed["products"].as_array().map(Vec::len),
        first["products"].as_array().map(Vec::len)
    );
    // People are told where the list came from and how to renew it.
    let mut c = ctl(dir.path());
    c.args(["catalog", "--category", "esim"]);
    let o = run(c, None);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(&format!(
            "From the catalogue saved at {new_at}; --refresh fetches it anew."
        )),
        "{out}"
    );
}

#[test]
fn an_account_and_its_secret_survive_a_restart() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut c = ctl(dir.path());
    c.args([
        "accounts",
        "add",
        "--provider",
        "vendify",
        "--label",
        "Vendify NGN",
        "--environment",
        "sandbox",
        "--setting",
        "wallet_id=NGN-143",
        "--secrets-stdin",
    ]);
    let o = run(c, Some("api_key=persisted-secret-1234\n"));
    assert!(o.status.success(), "{}", text(&o));
    // A new process sees it.
    let mut c = ctl(dir.path());
    c.args(["--json", "accounts", "list"]);
    let o = run(c, None);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let acc = v
        .as_array()
        .expect("list")
        .iter()
        .find(|a| a["label"] == "Vendify NGN")
        .expect("listed")
        .clone();
    assert_eq!(acc["stored_secrets"], serde_json::json!(["api_key"]));
    assert_eq!(acc["settings"]["wallet_id"], "NGN-143");
    // The secret is in the OS keychain (read back from this separate process).
    let store = reseller_core::secrets::Keychain::with_service(SERVICE);
    let key = reseller_core::secrets::account_key(acc["id"].as_str().expect("id"), "api_key");
    let got = reseller_core::secrets::SecretStore::get(&store, &key).expect("keychain answers");
    assert_eq!(
        got.as_ref().map(|s| s.expose()),
        Some("persisted-secret-1234")
    );
    // Removing the account deletes it from the keychain.
    let mut c = ctl(dir.path());
    c.args(["accounts", "remove", "Vendify NGN"]);
    assert!(run(c, None).status.success());
    assert!(reseller_core::secrets::SecretStore::get(&store, &key)
        .expect("answers")
        .is_none());
}

#[test]
fn bad_input_gets_a_specific_error_and_exit_code_2() {
    let dir = tempfile::tempdir().expect("tmp");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["accounts", "add", "--provider", "paypal", "--label", "x"],
            "--provider",
        ),
        (
            vec![
                "accounts",
                "add",
                "--provider",
                "vendify",
                "--label",
                "x",
                "--environment",
                "staging",
            ],
            "--environment",
        ),
        (
            vec![
                "accounts",
                "add",
                "--provider",
                "vendify",
                "--label",
                "x",
                "--environment",
                "custom",
            ],
            "base_url",
        ),
        (
            vec![
                "accounts",
                "add",
                "--provider",
                "vendify",
                "--label",
                "x",
                "--setting",
                "nokey",
            ],
            "--setting",
        ),
        (
            vec![
                "accounts",
                "add",
                "--provider",
                "vendify",
                "--label",
                "x",
                "--environment",
                "sandbox",
            ],
            "api_key",
        ),
        (vec!["accounts", "test", "nobody"], "nobody"),
    ];
    for (args, mention) in cases {
        let mut c = ctl(dir.path());
        c.args(&args);
        let o = run(c, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(mention), "{args:?}: {err}");
    }
    let mut c = ctl(dir.path());
    c.args(["--json", "accounts", "list"]);
    let v: serde_json::Value = serde_json::from_slice(&run(c, None).stdout).expect("json");
    assert_eq!(
        v.as_array().map(Vec::len),
        Some(1),
        "nothing but the demo account was written"
    );
}

#[test]
fn credentials_from_the_environment_are_used_for_one_run_and_never_stored() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut c = ctl(dir.path());
    c.env("RESELLER_VENDIFY_API_KEY", "env-only-secret-99")
        .args([
            "--json",
            "accounts",
            "add",
            "--provider",
            "vendify",
            "--label",
            "CI",
            "--environment",
            "sandbox",
        ]);
    let o = run(c, None);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v[0]["stored_secrets"], serde_json::json!([]));
    let store = reseller_core::secrets::Keychain::with_service(SERVICE);
    let key = reseller_core::secrets::account_key(v[0]["id"].as_str().expect("id"), "api_key");
    assert!(reseller_core::secrets::SecretStore::get(&store, &key)
        .expect("answers")
        .is_none());
    for f in walk(dir.path()) {
        let bytes = std::fs::read(&f).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("env-only-secret-99"),
            "{}",
            f.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("ls").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn canary_secrets_appear_in_no_output_log_or_database_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let canaries = [
        "CANARY-api-0x51",
        "CANARY-sign-0x52",
        "CANARY-pin-0x53",
        "CANARY-pw-0x54",
        "CANARY-token-0x55",
    ];
    let url = echo_server();
    let mut outputs = Vec::new();
    let add = |provider: &str, label: &str, settings: &[&str], secrets: &str| {
        let mut c = ctl(dir.path());
        c.env("RESELLER_LOG", "trace").args([
            "accounts",
            "add",
            "--provider",
            provider,
            "--label",
            label,
            "--environment",
            "custom",
            "--base-url",
            &url,
            "--secrets-stdin",
        ]);
        for s in settings {
            c.args(["--setting", s]);
        }
        run(c, Some(secrets))
    };
    outputs.push(add(
        "vendify",
        "V",
        &[],
        &format!("api_key={}\nsigning_secret={}\n", canaries[0], canaries[1]),
    ));
    outputs.push(add(
        "rukky",
        "R",
        &[],
        &format!("api_key={}\npin={}\n", canaries[0], canaries[2]),
    ));
    outputs.push(add(
        "estoresms",
        "E",
        &["username=shop", "email=a@b.c"],
        &format!("api_token={}\npassword={}\n", canaries[4], canaries[3]),
    ));
    outputs.push(add(
        "rukapay",
        "P",
        &[],
        &format!("api_key={}\n", canaries[0]),
    ));
    // An input error whose bad line carries a secret.
    outputs.push(add("vendify", "V2", &[], &format!("{}\n", canaries[0])));
    for args in [
        vec!["accounts", "test", "V"],
        vec!["accounts", "test", "R"],
        vec!["accounts", "test", "E"],
        vec!["accounts", "test", "P"],
        vec!["--json", "accounts", "test", "V"],
        vec!["dashboard"],
        vec!["--json", "dashboard"],
        vec!["--json", "accounts", "list"],
        vec!["catalog", "--account", "V"],
        vec!["catalog", "--account", "E", "--phone", "+2348031234567"],
    ] {
        let mut c = ctl(dir.path());
        c.env("RESELLER_LOG", "trace").args(&args);
        outputs.push(run(c, None));
    }
    for o in &outputs {
        let t = text(o);
        for canary in canaries {
            assert!(!t.contains(canary), "CLI output leaked {canary}: {t}");
        }
    }
    let files = walk(dir.path());
    assert!(
        files.iter().any(|f| f.to_string_lossy().contains("logs")),
        "a log file was written"
    );
    assert!(files.iter().any(|f| f.ends_with("ledger.sqlite3")));
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_default();
        let content = String::from_utf8_lossy(&bytes);
        for canary in canaries {
            assert!(
                !content.contains(canary),
                "{canary} found in {}",
                f.display()
            );
        }
    }
}

#[test]
fn without_a_keychain_the_cli_works_until_a_secret_must_be_kept() {
    let dir = tempfile::tempdir().expect("tmp");
    let no_keychain = |c: &mut Command| {
        c.env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
    };
    // The demo dashboard needs no secret: it works on a headless machine.
    let mut c = ctl(dir.path());
    no_keychain(&mut c);
    c.arg("dashboard");
    let o = run(c, None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("NGN-DEMO"), "{}", text(&o));
    // Storing a secret does: refused with the same clear message, nothing kept.
    let mut c = ctl(dir.path());
    no_keychain(&mut c);
    c.args([
        "accounts",
        "add",
        "--provider",
        "vendify",
        "--label",
        "Vendify NGN",
        "--environment",
        "sandbox",
        "--setting",
        "wallet_id=NGN-143",
        "--secrets-stdin",
    ]);
    let o = run(c, Some("api_key=headless-secret-1234\n"));
    assert_eq!(o.status.code(), Some(4), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("keychain is not available"),
        "{}",
        text(&o)
    );
    let mut c = ctl(dir.path());
    no_keychain(&mut c);
    c.args(["--json", "accounts", "list"]);
    let listed = json(&run(c, None));
    assert!(
        !listed.to_string().contains("Vendify NGN"),
        "the account was not written: {listed}"
    );
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(o)))
}

#[test]
fn an_order_the_provider_lost_is_resolved_by_hand_and_an_identical_buy_asks_first() {
    let dir = tempfile::tempdir().expect("tmp");
    let buy = |extra: &[&str]| {
        let mut c = ctl(dir.path());
        c.args([
            "--json",
            "buy",
            "--yes",
            "--product",
            "9418",
            "--to",
            "08030000008",
            "--amount",
            "1000",
        ])
        .args(extra);
        run(c, None)
    };
    let first = buy(&[]);
    assert!(first.status.success(), "{}", text(&first));
    let order = json(&first);
    assert_eq!(order["status"], "pending", "{order}");
    let reference = order["reference"].as_str().expect("reference").to_owned();

    // The same sale again while the first is open: refused, nothing bought.
    let again = buy(&[]);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(
        text(&again).contains("still being checked"),
        "{}",
        text(&again)
    );

    // The demo no longer finds it: three not-founds in a row hand it to a person.
    for _ in 0..3 {
        let mut c = ctl(dir.path());
        c.args(["reconcile", "--now"]);
        run(c, None);
    }
    let mut c = ctl(dir.path());
    c.args(["--json", "orders", "show", &reference]);
    let shown = json(&run(c, None));
    assert_eq!(shown["order"]["status"], "needs_attention", "{shown}");

    // A person who checked the portal: refused without the charge, then done.
    let mut c = ctl(dir.path());
    c.args([
        "orders",
        "resolve",
        &reference,
        "--succeeded",
        "--provider-reference",
        "T-1",
    ]);
    let refused = run(c, None);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    let mut c = ctl(dir.path());
    c.args([
        "--json",
        "orders",
        "resolve",
        &reference,
        "--succeeded",
        "--provider-reference",
        "DEMO-PORTAL-1",
        "--charged",
        "970",
        "--by",
        "Ada",
    ]);
    let resolved = run(c, None);
    assert!(resolved.status.success(), "{}", text(&resolved));
    let resolved = json(&resolved);
    assert_eq!(resolved["status"], "succeeded", "{resolved}");
    assert_eq!(resolved["charged"]["amount"], "970.00", "{resolved}");
    let mut c = ctl(dir.path());
    c.args(["orders", "show", &reference]);
    let shown = text(&run(c, None));
    assert!(shown.contains("resolved_succeeded"), "{shown}");
    // Resolving it again is refused: it no longer waits for a person.
    let mut c = ctl(dir.path());
    c.args([
        "orders", "resolve", &reference, "--failed", "--note", "oops",
    ]);
    let twice = run(c, None);
    assert_eq!(twice.status.code(), Some(2), "{}", text(&twice));
    assert!(
        text(&twice).contains("not waiting for a person"),
        "{}",
        text(&twice)
    );
    // Buying it again now asks first (it just succeeded), unless the cashier says so.
    assert_eq!(buy(&[]).status.code(), Some(2));
    let second = buy(&["--allow-duplicate"]);
    assert!(second.status.success(), "{}", text(&second));
}

#[test]
fn reconcile_reviews_takes_the_late_looks_now() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut c = ctl(dir.path());
    c.args([
        "--json",
        "buy",
        "--yes",
        "--product",
        "9418",
        "--to",
        "08031234567",
        "--amount",
        "1000",
    ]);
    let o = run(c, None);
    assert!(o.status.success(), "{}", text(&o));
    let mut c = ctl(dir.path());
    c.args(["--json", "reconcile", "--reviews"]);
    let report = json(&run(c, None));
    assert_eq!(
        report["checked"], 1,
        "the succeeded order was looked at now: {report}"
    );
    let mut c = ctl(dir.path());
    c.args(["--json", "reconcile"]);
    let report = json(&run(c, None));
    assert_eq!(report["checked"], 0, "not due for an hour: {report}");
}

/// Issue #9: DStv through the CLI as the app does it. `validate` prints the customer and
/// the plans; `buy --plan` buys one, the plan setting the amount; without a plan the buy
/// is refused naming `resellerctl validate`; an --amount that disagrees with the plan is
/// refused.
#[test]
fn dstv_is_validated_then_bought_by_plan_code() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut c = ctl(dir.path());
    c.args(["validate", "--product", "9422", "--number", "4222863979"]);
    let v = run(c, None);
    assert!(v.status.success(), "{}", text(&v));
    let out = text(&v);
    assert!(out.contains("Customer: Test User"), "{out}");
    assert!(out.contains("ng_dstv_showcompe36"), "{out}");
    assert!(out.contains("Compact + Showmax"), "{out}");

    let mut c = ctl(dir.path());
    c.args([
        "--json",
        "validate",
        "--product",
        "9422",
        "--number",
        "4222863979",
    ]);
    let plans = json(&run(c, None));
    assert_eq!(plans["account_name"], "Test User");
    let code = plans["options"][0]["code"]
        .as_str()
        .expect("a plan")
        .to_owned();
    let price = plans["options"][0]["price"]["amount"]
        .as_str()
        .expect("price")
        .to_owned();

    let buy = |extra: &[&str]| {
        let mut c = ctl(dir.path());
        c.args([
            "--json",
            "buy",
            "--yes",
            "--product",
            "9422",
            "--to",
            "4222863979",
        ])
        .args(extra);
        run(c, None)
    };
    let refused = buy(&["--amount", "17450"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(
        text(&refused).contains("resellerctl validate"),
        "{}",
        text(&refused)
    );

    let disagree = buy(&["--plan", &code, "--amount", "1"]);
    assert_eq!(disagree.status.code(), Some(2), "{}", text(&disagree));
    assert!(
        text(&disagree).contains("does not match the plan"),
        "{}",
        text(&disagree)
    );

    let unknown = buy(&["--plan", "no-such-plan"]);
    assert_eq!(unknown.status.code(), Some(2), "{}", text(&unknown));
    assert!(
        text(&unknown).contains(&code),
        "lists the codes: {}",
        text(&unknown)
    );

    let bought = buy(&["--plan", &code]);
    assert!(bought.status.success(), "{}", text(&bought));
    let order = json(&bought);
    assert_eq!(order["status"], "succeeded", "{order}");
    let norm = |t: &str| {
        if t.contains('.') {
            t.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            t.to_owned()
        }
    };
    assert_eq!(
        norm(order["face_value"]["amount"].as_str().expect("face")),
        norm(&price),
        "the plan's price is the amount: {order}"
    );
}

/// An electricity token needs the customer's phone: refused by name without it, nothing
/// bought; bought with --customer-phone and --service-type.
#[test]
fn an_electricity_token_needs_the_customer_phone() {
    let dir = tempfile::tempdir().expect("tmp");
    let buy = |extra: &[&str]| {
        let mut c = ctl(dir.path());
        c.args([
            "--json",
            "buy",
            "--yes",
            "--product",
            "9423",
            "--to",
            "25112401374",
            "--amount",
            "5000",
        ])
        .args(extra);
        run(c, None)
    };
    let refused = buy(&[]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(
        text(&refused).contains("customer's phone number"),
        "{}",
        text(&refused)
    );
    let mut c = ctl(dir.path());
    c.args(["--json", "orders", "list"]);
    let listed = text(&run(c, None));
    assert!(!listed.contains("9423"), "nothing bought: {listed}");

    let mut c = ctl(dir.path());
    c.args([
        "validate",
        "--product",
        "9423",
        "--number",
        "25112401374",
        "--service-type",
        "prepaid",
    ]);
    let v = run(c, None);
    assert!(v.status.success(), "{}", text(&v));
    assert!(text(&v).contains("Customer: Test User"), "{}", text(&v));
    assert!(text(&v).contains("buy with --amount"), "{}", text(&v));

    let bought = buy(&[
        "--customer-phone",
        "0803 123 4567",
        "--service-type",
        "prepaid",
    ]);
    assert!(bought.status.success(), "{}", text(&bought));
    let order = json(&bought);
    assert_eq!(order["status"], "succeeded", "{order}");
}
