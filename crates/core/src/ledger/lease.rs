//! Who is placing an order right now. Every process that opens the ledger is a lease holder:
//! it holds an exclusive OS lock on its own file in `<ledger>.leases/` for as long as it
//! runs, and the OS drops that lock when the process ends, however it ends (a SIGKILL, a
//! closed laptop, a crash). An order in flight names its holder and an expiry
//! (`orders.lease_holder`, `lease_until`); a sweep skips it while the holder's lock is taken
//! and the lease has time left, so the app's sweeper, `resellerctl reconcile` or a second
//! till never give up on a purchase whose answer is still on its way, and a dead process's
//! orders are finished at once instead of after the expiry.

use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use super::LedgerError;

/// How long a lease protects an order even while its holder lives: longer than any one
/// purchase request (30 s timeout, 10 s to connect, request spacing), so only a holder
/// that hangs lets the sweeper in.
pub const LEASE_SECS: i64 = 300;

/// This process's lease: a random token and the lock that proves it is alive.
#[derive(Debug)]
pub struct LeaseHolder {
    token: String,
    dir: PathBuf,
    // Held for the life of the holder; the OS releases it when the process ends.
    _lock: File,
}

impl LeaseHolder {
    /// Takes a fresh token next to the ledger at `ledger_path`.
    pub fn take(ledger_path: &Path) -> Result<Self, LedgerError> {
        let dir = dir_for(ledger_path);
        std::fs::create_dir_all(&dir).map_err(|e| LedgerError::Storage {
            reason: format!("cannot create {}: {e}", dir.display()),
        })?;
        let token = uuid::Uuid::new_v4().simple().to_string();
        let lock = open_lock(&dir, &token)?;
        lock.try_lock().map_err(|e| LedgerError::Storage {
            reason: format!("cannot lock {}: {e}", dir.join(&token).display()),
        })?;
        Ok(Self {
            token,
            dir,
            _lock: lock,
        })
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// Whether each holder in `holders` is still running: ours always is; another one is
    /// when its lock file is locked. A holder whose lock can be taken died: its file is
    /// removed so the folder does not grow.
    pub fn alive(&self, holders: &[String]) -> HashMap<String, bool> {
        holders
            .iter()
            .map(|h| (h.clone(), h == &self.token || self.other_alive(h)))
            .collect()
    }

    fn other_alive(&self, token: &str) -> bool {
        // A token is our own hex: anything else cannot name a file of ours.
        if token.is_empty() || !token.chars().all(|c| c.is_ascii_hexdigit()) {
            return false;
        }
        let path = self.dir.join(token);
        let Ok(file) = OpenOptions::new().read(true).write(true).open(&path) else {
            return false; // no file: the holder is long gone
        };
        match file.try_lock() {
            Ok(()) => {
                let _ = std::fs::remove_file(&path);
                false
            }
            Err(TryLockError::WouldBlock) => true,
            // Cannot tell: treat as alive; the lease's expiry still frees the order.
            Err(TryLockError::Error(_)) => true,
        }
    }
}

impl Drop for LeaseHolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.dir.join(&self.token));
    }
}

fn dir_for(ledger_path: &Path) -> PathBuf {
    let mut name = ledger_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".leases");
    ledger_path.with_file_name(name)
}

fn open_lock(dir: &Path, token: &str) -> Result<File, LedgerError> {
    let path = dir.join(token);
    let mut opts = OpenOptions::new();
    opts.create_new(true).read(true).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(&path).map_err(|e| LedgerError::Storage {
        reason: format!("cannot create {}: {e}", path.display()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_holder_is_alive_while_it_lives_and_dead_after() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("ledger.sqlite3");
        let me = LeaseHolder::take(&path).expect("me");
        let other = LeaseHolder::take(&path).expect("other");
        let token = other.token().to_owned();
        let alive = me.alive(std::slice::from_ref(&token));
        assert_eq!(
            alive.get(&token),
            Some(&true),
            "a live holder's lock is taken"
        );
        assert_eq!(
            me.alive(&[me.token().to_owned()]).get(me.token()),
            Some(&true)
        );
        drop(other);
        assert_eq!(
            me.alive(std::slice::from_ref(&token)).get(&token),
            Some(&false)
        );
        // A holder that died without cleaning up (its file is left, unlocked).
        std::fs::write(dir.path().join("ledger.sqlite3.leases").join("abc123"), b"").expect("file");
        assert_eq!(
            me.alive(&["abc123".to_owned()]).get("abc123"),
            Some(&false),
            "an unlocked file is a dead holder"
        );
        assert!(!dir.path().join("ledger.sqlite3.leases/abc123").exists());
        assert_eq!(me.alive(&["../x".to_owned()]).get("../x"), Some(&false));
    }
}
