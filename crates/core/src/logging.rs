//! Logs through `tracing` to a daily rolling file in the OS log directory. Nothing logged
//! carries a secret: secrets are `Secret` values that print `<redacted>`.

use std::path::Path;

pub use tracing_appender::non_blocking::WorkerGuard as LogGuard;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, EnvFilter};

/// Starts file logging for `program` (`app` or `cli`); keep the guard alive until exit so
/// the last lines are flushed. `RESELLER_LOG` sets the filter (default `info`).
pub fn init(dir: &Path, program: &str) -> Option<WorkerGuard> {
    prepare_dir(dir).ok()?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(program)
        .filename_suffix("log")
        .max_log_files(14)
        .build(dir)
        .ok()?;
    // The default buffer of 128,000 lines is allocated and touched up front (~5 MiB of
    // resident memory for an app that logs a few lines a minute); a small one is plenty.
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(4096)
        .finish(appender);
    let filter = EnvFilter::try_from_env("RESELLER_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,hyper=warn,reqwest=warn"));
    let ok = fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .is_ok();
    ok.then_some(guard)
}

/// The log folder, private to the user: log lines name accounts, references and amounts.
/// Files the appender creates later take the default mode, but inside a 0700 folder no one
/// else can open them; files left by an older version are tightened here.
fn prepare_dir(dir: &Path) -> std::io::Result<()> {
    crate::owner_only::create_dir(dir)?;
    crate::owner_only::tighten_files_in(dir)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::owner_only::mode_of;

    #[test]
    fn the_log_folder_is_0700_and_old_log_files_0600() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("data/logs");
        prepare_dir(&dir).expect("fresh");
        assert_eq!(mode_of(&dir), 0o700);
        assert_eq!(
            mode_of(&tmp.path().join("data")),
            0o700,
            "the data folder too"
        );
        let old = dir.join("app.2026-01-01.log");
        std::fs::write(&old, b"line").expect("write");
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        prepare_dir(&dir).expect("again");
        assert_eq!(mode_of(&dir), 0o700);
        assert_eq!(mode_of(&old), 0o600);
    }
}
