//! Where data and logs live. The app and `resellerctl` resolve them the same way, so both
//! see one ledger: `--data-dir`, else `RESELLER_DATA_DIR`, else the OS data directory.

use std::path::{Path, PathBuf};

/// The app identifier (tauri.conf.json `identifier`), used as the folder name.
pub const APP_ID: &str = "com.resellerconsole.desktop";
pub const DATA_DIR_ENV: &str = "RESELLER_DATA_DIR";

/// Linux `~/.local/share/com.resellerconsole.desktop`, macOS
/// `~/Library/Application Support/com.resellerconsole.desktop`, Windows
/// `%APPDATA%\com.resellerconsole.desktop`.
pub fn default_data_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join(APP_ID))
}

pub fn resolve_data_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_owned());
    }
    if let Some(p) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    default_data_dir()
}

/// Logs: macOS `~/Library/Logs/<id>`, elsewhere `<data dir>/logs`. With an overridden data
/// directory they stay inside it, so a test run never writes to the user's folders.
pub fn log_dir(data_dir: &Path, overridden: bool) -> PathBuf {
    if !overridden && cfg!(target_os = "macos") {
        if let Some(home) = dirs::home_dir() {
            return home.join("Library/Logs").join(APP_ID);
        }
    }
    data_dir.join("logs")
}
