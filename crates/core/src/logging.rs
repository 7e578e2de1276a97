//! Logs through `tracing` to a daily rolling file in the OS log directory. Nothing logged
//! carries a secret: secrets are `Secret` values that print `<redacted>`.

use std::path::Path;

pub use tracing_appender::non_blocking::WorkerGuard as LogGuard;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, EnvFilter};

/// Starts file logging for `program` (`app` or `cli`); keep the guard alive until exit so
/// the last lines are flushed. `RESELLER_LOG` sets the filter (default `info`).
pub fn init(dir: &Path, program: &str) -> Option<WorkerGuard> {
    if std::fs::create_dir_all(dir).is_err() {
        return None;
    }
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
