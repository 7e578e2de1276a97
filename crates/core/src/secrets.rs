//! Secrets: the OS keychain, and a value type that never prints or serializes itself.
//!
//! API keys, PINs, tokens, passwords and signing secrets live only in the keychain (or, for
//! one automation run, in environment variables). They never reach SQLite, logs, IPC
//! responses, exports or error messages.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

/// A secret value. `Debug` and `Display` print `<redacted>`; there is no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    /// The only way to read the value: name the call site when you use it.
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Replaces every occurrence of each secret (and its URL-encoded form) in `text`.
/// Used on provider bodies and transport errors before they are kept in an error.
pub fn redact(text: &str, secrets: &[&Secret]) -> String {
    let mut out = text.to_owned();
    for s in secrets {
        let v = s.expose();
        if v.len() < 3 {
            continue; // a 1-2 character secret would shred the text; PINs are 4 digits
        }
        out = out.replace(v, "<redacted>");
        let enc: String = url::form_urlencoded::byte_serialize(v.as_bytes()).collect();
        if enc != v {
            out = out.replace(&enc, "<redacted>");
        }
    }
    out
}

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error(
        "The OS keychain is not available ({reason}). On Linux start a Secret Service \
         (GNOME Keyring or KWallet) and unlock it; on Windows and macOS sign in to your user \
         account. Reseller Console will not keep provider secrets anywhere else."
    )]
    Unavailable { reason: String },
    #[error(
        "This build's keychain keeps secrets only in memory, so they would be lost on exit. \
         Reseller Console refuses to run that way: use a build for Windows, macOS or Linux \
         with the OS keychain enabled."
    )]
    MemoryOnly,
    #[error("The keychain refused to store the secret ({reason}). Unlock it and try again.")]
    Write { reason: String },
}

/// Where secrets are kept. The app uses [`Keychain`]; tests may use [`MemoryStore`].
pub trait SecretStore: Send + Sync {
    fn get(&self, key: &str) -> Result<Option<Secret>, SecretError>;
    fn set(&self, key: &str, value: &Secret) -> Result<(), SecretError>;
    fn delete(&self, key: &str) -> Result<(), SecretError>;
    /// Fails unless secrets written now survive the process.
    fn check_persistent(&self) -> Result<(), SecretError>;
}

/// The keychain service name every entry is filed under.
pub const SERVICE: &str = "reseller-console";

/// The OS keychain: Secret Service on Linux, Keychain on macOS, Credential Manager on
/// Windows, selected per OS in Cargo.toml (keyring without a platform feature would keep
/// secrets in memory, which [`SecretStore::check_persistent`] refuses).
pub struct Keychain {
    service: String,
}

impl Keychain {
    pub fn new() -> Self {
        Self::with_service(SERVICE)
    }
    /// `RESELLER_KEYCHAIN_SERVICE` names another service, so test runs stay out of a
    /// person's real entries.
    pub fn from_env() -> Self {
        match std::env::var("RESELLER_KEYCHAIN_SERVICE") {
            Ok(s) if !s.trim().is_empty() => Self::with_service(s.trim()),
            _ => Self::new(),
        }
    }
    /// A separate service name keeps test runs out of a person's real entries.
    pub fn with_service(service: &str) -> Self {
        Self {
            service: service.to_owned(),
        }
    }
    fn entry(&self, key: &str) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, key).map_err(|e| SecretError::Unavailable {
            reason: describe(&e),
        })
    }
}

impl Default for Keychain {
    fn default() -> Self {
        Self::new()
    }
}

/// Keyring errors can carry the credential itself (`BadEncoding`); describe, never echo.
fn describe(e: &keyring::Error) -> String {
    match e {
        keyring::Error::PlatformFailure(inner) => format!("platform failure: {inner}"),
        keyring::Error::NoStorageAccess(inner) => format!("no access: {inner}"),
        keyring::Error::NoEntry => "no entry".to_owned(),
        keyring::Error::BadEncoding(_) => "stored value is not text".to_owned(),
        keyring::Error::TooLong(name, limit) => format!("{name} longer than {limit}"),
        keyring::Error::Invalid(name, why) => format!("{name} invalid: {why}"),
        keyring::Error::Ambiguous(_) => "several entries match".to_owned(),
        _ => "unknown keychain error".to_owned(),
    }
}

impl SecretStore for Keychain {
    fn get(&self, key: &str) -> Result<Option<Secret>, SecretError> {
        match self.entry(key)?.get_password() {
            Ok(v) => Ok(Some(Secret::new(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(SecretError::Unavailable {
                reason: describe(&e),
            }),
        }
    }
    fn set(&self, key: &str, value: &Secret) -> Result<(), SecretError> {
        self.entry(key)?
            .set_password(value.expose())
            .map_err(|e| SecretError::Write {
                reason: describe(&e),
            })
    }
    fn delete(&self, key: &str) -> Result<(), SecretError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(SecretError::Write {
                reason: describe(&e),
            }),
        }
    }
    fn check_persistent(&self) -> Result<(), SecretError> {
        use keyring::credential::CredentialPersistence as P;
        match keyring::default::default_credential_builder().persistence() {
            P::UntilDelete => {}
            _ => return Err(SecretError::MemoryOnly),
        }
        // The store exists in this build; prove it answers (a missing or locked Secret
        // Service daemon shows up here, at start, not at the first purchase).
        let id = uuid::Uuid::new_v4();
        let probe = Secret::new(format!("probe-{id}"));
        // A key per process: two processes starting at once must not delete each other's.
        let key = format!("startup-probe-{id}");
        let unavailable = |e: SecretError| match e {
            SecretError::Write { reason } => SecretError::Unavailable { reason },
            other => other,
        };
        self.set(&key, &probe).map_err(unavailable)?;
        let back = self.get(&key).map_err(unavailable)?;
        self.delete(&key).map_err(unavailable)?;
        if back.as_ref() != Some(&probe) {
            return Err(SecretError::Unavailable {
                reason: "a value written could not be read back".to_owned(),
            });
        }
        Ok(())
    }
}

/// Secrets in process memory, for tests only: it fails `check_persistent`, so the app
/// and the CLI refuse to start on it.
#[derive(Default)]
pub struct MemoryStore {
    map: Mutex<HashMap<String, Secret>>,
}

impl SecretStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<Secret>, SecretError> {
        Ok(self.map.lock().map_err(|_| poisoned())?.get(key).cloned())
    }
    fn set(&self, key: &str, value: &Secret) -> Result<(), SecretError> {
        self.map
            .lock()
            .map_err(|_| poisoned())?
            .insert(key.to_owned(), value.clone());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<(), SecretError> {
        self.map.lock().map_err(|_| poisoned())?.remove(key);
        Ok(())
    }
    fn check_persistent(&self) -> Result<(), SecretError> {
        Err(SecretError::MemoryOnly)
    }
}

fn poisoned() -> SecretError {
    SecretError::Unavailable {
        reason: "internal lock poisoned".to_owned(),
    }
}

/// The keychain key of one secret field of one provider account.
pub fn account_key(account_id: &str, field: &str) -> String {
    format!("account/{account_id}/{field}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("sk_live_canary_123");
        assert_eq!(format!("{s:?} {s}"), "<redacted> <redacted>");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Holder {
            key: Secret,
        }
        assert!(!format!("{:?}", Holder { key: s }).contains("canary"));
    }

    #[test]
    fn redact_strips_plain_and_url_encoded_forms() {
        let s = Secret::new("p@ss word&1");
        let text = "https://x/smsapi.php?password=p%40ss+word%261&balance=true body p@ss word&1";
        let out = redact(text, &[&s]);
        assert!(!out.contains("p%40ss"), "{out}");
        assert!(!out.contains("p@ss"), "{out}");
        assert_eq!(out.matches("<redacted>").count(), 2);
    }

    #[test]
    fn memory_store_is_refused_as_not_persistent() {
        assert!(matches!(
            MemoryStore::default().check_persistent(),
            Err(SecretError::MemoryOnly)
        ));
    }
}
