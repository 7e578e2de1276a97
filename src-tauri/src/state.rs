//! What the shell keeps between commands: the opened `Console`, or why it could not open
//! (the UI then shows that reason full-screen instead of a half-working app).

use std::time::Instant;

use reseller_core::{Console, ErrorView};

pub struct AppState {
    console: Result<Console, ErrorView>,
    started: Instant,
    bench: bool,
}

impl AppState {
    pub fn new(console: Result<Console, ErrorView>, started: Instant) -> Self {
        let bench = std::env::var_os("RESELLER_BENCH").is_some();
        Self {
            console,
            started,
            bench,
        }
    }

    pub fn console(&self) -> Result<&Console, ErrorView> {
        self.console.as_ref().map_err(Clone::clone)
    }

    /// Prints a startup marker for the benchmark (only when RESELLER_BENCH is set).
    pub fn mark(&self, what: &str) {
        if self.bench {
            println!("bench:{what} {}", self.started.elapsed().as_millis());
        }
    }

    pub fn mark_painted(&self, view: &str) {
        let clean: String = view
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(32)
            .collect();
        self.mark(&format!("painted_{clean}"));
    }
}
