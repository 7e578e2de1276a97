//! Reseller Console's desktop shell: window, single instance, state, and the commands in
//! `commands.rs`. All behaviour lives in `reseller_core`.

use std::sync::Arc;
use std::time::Instant;

use reseller_core::secrets::Keychain;
use reseller_core::{paths, Console, OpenOptions};
use tauri::Manager;

pub mod bindings;
pub mod commands;
pub mod state;

use state::AppState;

/// Opens the data directory the way the CLI does (RESELLER_DATA_DIR overrides the default).
fn open_console() -> (
    Result<Console, reseller_core::ErrorView>,
    Option<reseller_core::logging::LogGuard>,
) {
    let overridden = std::env::var_os(paths::DATA_DIR_ENV).is_some();
    let Some(data_dir) = paths::resolve_data_dir(None) else {
        let err = reseller_core::Error::invalid(
            "data_dir",
            "no home folder was found; set RESELLER_DATA_DIR",
        );
        return (Err(err.view()), None);
    };
    let log_dir = paths::log_dir(&data_dir, overridden);
    let guard = reseller_core::logging::init(&log_dir, "app");
    let opts = OpenOptions::new(data_dir, log_dir, Arc::new(Keychain::from_env()));
    let console = tauri::async_runtime::block_on(Console::open(opts)).map_err(|e| {
        tracing::error!(code = ?e.code(), "cannot start: {e}");
        eprintln!("Reseller Console cannot start: {e}");
        e.view()
    });
    (console, guard)
}

/// How often open orders are checked while the app runs (each order still waits for its
/// own backoff; this is only how often the due ones are looked for).
const SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Resolves pending and unknown orders: once at start, then every few seconds.
fn spawn_sweeper(app: tauri::AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            if let Ok(console) = app.state::<AppState>().console() {
                match console.reconcile().await {
                    Ok(report) if !report.changes.is_empty() => {
                        tracing::info!(changed = report.changes.len(), "sweeper settled orders");
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!("sweeper: {e}"),
                }
            }
            tokio::time::sleep(SWEEP_EVERY).await;
        }
    });
}

pub fn run() {
    let started = Instant::now();
    let (console, guard) = open_console();
    let specta = bindings::builder::<tauri::Wry>();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            // A second launch focuses the running window: two processes never share the ledger.
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        .manage(AppState::new(console, started))
        .invoke_handler(specta.invoke_handler())
        .setup(move |app| {
            specta.mount_events(app);
            app.state::<AppState>().mark("window");
            spawn_sweeper(app.handle().clone());
            Ok(())
        })
        .run(tauri::generate_context!());
    drop(guard);
    if let Err(e) = result {
        eprintln!("Reseller Console stopped: {e}");
        std::process::exit(1);
    }
}
