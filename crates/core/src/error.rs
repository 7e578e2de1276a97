//! The error every core call returns, and the closed list of codes the UI acts on.
//!
//! A code exists only because the UI does something different for it; the message always
//! says what happened and what to do next. Messages never contain a secret.

use serde::Serialize;

use crate::ledger::LedgerError;
use crate::providers::ProviderError;
use crate::secrets::SecretError;

/// What the UI (and the CLI's exit status) acts on. Closed: add one only with a UI action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A field the user typed is wrong: the UI marks `field`.
    InvalidInput,
    /// The account, product or order is gone: the UI reloads the list.
    NotFound,
    /// The provider could not be reached or timed out: the UI offers "try again".
    ProviderUnreachable,
    /// The provider rejected the credentials: the UI links to the account's settings.
    ProviderAuth,
    /// The provider refused the request and said why: the UI shows its words.
    ProviderRejected,
    /// Too many requests: the UI waits before it lets the user retry.
    RateLimited,
    /// Not enough money in the wallet: the UI shows the shortfall and how to top up.
    InsufficientBalance,
    /// The provider answered something we cannot read: the UI says to contact support.
    ProviderBadResponse,
    /// The account's provider cannot do this: the UI hides or disables the action.
    Unsupported,
    /// A secret the account needs is not stored: the UI opens the account to add it.
    MissingCredentials,
    /// The OS keychain is missing, locked or memory-only: the UI shows how to fix it.
    SecretStoreUnavailable,
    /// The data file was written by a newer Reseller Console: update the app.
    DatabaseNewer,
    /// The data file is damaged or not ours: restore a backup or choose another folder.
    DatabaseCorrupt,
    /// The disk refused a read or write: free space or check permissions.
    Storage,
    /// The price went up after the cashier confirmed: the UI shows the new price and asks
    /// again.
    PriceChanged,
    /// An identical order is still being checked or just went through: the UI asks "buy
    /// again anyway?" and only then sends `allow_duplicate`.
    DuplicateOrder,
    /// A bug: the UI says to send the log file to support.
    Internal,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{field}: {reason}")]
    InvalidInput { field: String, reason: String },
    #[error("{what} was not found. {hint}")]
    NotFound { what: String, hint: String },
    /// Our own funds check, before anything is written or sent: the message names the
    /// wallet and the shortfall ("Insufficient balance in the Vendify NGN wallet: ₦1,250.00
    /// short").
    #[error("{message}")]
    InsufficientFunds { message: String },
    /// The confirmed cost is below the price now: nothing was written or sent.
    #[error("{message}")]
    PriceChanged { message: String },
    /// An identical order is open or just succeeded, and the request did not say "again".
    #[error("{message}")]
    DuplicateOrder { message: String },
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error(transparent)]
    Secrets(#[from] SecretError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error("Internal error while {context}. Please send the log file to support.")]
    Internal { context: String },
}

impl Error {
    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.to_owned(),
            reason: reason.into(),
        }
    }
    pub fn not_found(what: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::NotFound {
            what: what.into(),
            hint: hint.into(),
        }
    }
    pub fn internal(context: impl Into<String>) -> Self {
        Error::Internal {
            context: context.into(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::InsufficientFunds { .. } => ErrorCode::InsufficientBalance,
            Error::PriceChanged { .. } => ErrorCode::PriceChanged,
            Error::DuplicateOrder { .. } => ErrorCode::DuplicateOrder,
            Error::Provider(p) => p.code(),
            Error::Secrets(_) => ErrorCode::SecretStoreUnavailable,
            Error::Ledger(l) => l.code(),
            Error::Internal { .. } => ErrorCode::Internal,
        }
    }

    /// The form field to mark, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. } => Some(field),
            Error::Provider(ProviderError::MissingCredential { field, .. }) => Some(field),
            _ => None,
        }
    }

    pub fn view(&self) -> ErrorView {
        ErrorView {
            code: self.code(),
            message: self.to_string(),
            field: self.field().map(str::to_owned),
        }
    }
}

/// What crosses IPC and what the CLI prints as JSON: `{code, message, field}`.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ErrorView {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
