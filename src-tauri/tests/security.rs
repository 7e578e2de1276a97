//! The webview's rights: a strict CSP and no plugin permissions beyond what the UI uses.

use serde_json::Value;

fn read(rel: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json")
}

#[test]
fn the_csp_allows_only_our_own_code() {
    let conf = read("tauri.conf.json");
    let csp = &conf["app"]["security"]["csp"];
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(
        csp["script-src"], "'self'",
        "no inline or remote scripts, no eval"
    );
    assert_eq!(csp["object-src"], "'none'");
    assert_eq!(csp["frame-ancestors"], "'none'");
    let all = csp.to_string();
    assert!(!all.contains("unsafe-eval"));
    assert!(
        !all.contains("http:") || all.contains("http://ipc.localhost"),
        "no remote origins: {all}"
    );
    assert!(!all.contains("https:"), "no remote origins: {all}");
    assert_eq!(conf["app"]["withGlobalTauri"], false);
}

#[test]
fn the_window_has_no_fs_shell_or_http_rights() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    for entry in std::fs::read_dir(dir).expect("capabilities") {
        let path = entry.expect("entry").path();
        let cap: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        for p in cap["permissions"].as_array().expect("permissions") {
            let id = p
                .as_str()
                .or_else(|| p["identifier"].as_str())
                .unwrap_or_default();
            for forbidden in ["fs:", "shell:", "http:", "process:", "opener:", "dialog:"] {
                assert!(!id.starts_with(forbidden), "{} grants {id}", path.display());
            }
        }
    }
}

#[test]
fn only_one_instance_may_open_the_ledger() {
    let lib = include_str!("../src/lib.rs");
    assert!(
        lib.contains("tauri_plugin_single_instance::init"),
        "the single-instance plugin is registered"
    );
}
