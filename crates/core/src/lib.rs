//! reseller-core: the whole backend of Reseller Console — money, the ledger, provider
//! adapters, purchases, reports. The desktop shell and `resellerctl` are thin layers over
//! [`Console`]. This crate never imports tauri.

pub mod access;
pub mod clock;
pub mod console;
pub mod error;
pub mod ledger;
pub mod logging;
pub mod money;
pub mod orders;
pub mod owner_only;
pub mod paths;
pub mod phone;
pub mod providers;
pub mod secrets;
pub mod views;

pub use console::{Console, OpenOptions};
pub use error::{Error, ErrorCode, ErrorView, Result};
