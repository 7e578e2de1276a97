//! The purchase pipeline: validate, commit the intent, send once, record the outcome, and
//! reconcile pending and unknown orders by asking the provider about our reference.
//!
//! `place` is the spine of DESIGN.md: nothing is sent before the intent row, its reference
//! and its hold are committed; the request is sent once; every move appends an event; money
//! moves only as new ledger entries. `Sweeper` finishes what `place` could not: orders the
//! provider left pending, answers that were lost, and intents a crash left unsent.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

mod place;
mod read;
mod record;
mod resolve;
mod sweep;
mod views;

pub use place::{place, place_via, preview, preview_via, PlacePreview, PlaceRequest};
pub use read::{attention, list, show, OrderFilter, OrderPage, PageRequest, REVERSED_SHOWN_DAYS};
pub use resolve::{resolve, Resolution};
pub use sweep::{SweepChange, SweepReport, Sweeper};
pub use views::{
    DeliveryView, EntryView, EsimView, OrderDetailView, OrderEventView, OrderView, PinView,
};

#[cfg(test)]
pub(crate) use place::{intent, validate};

/// Where an order is. Moves only along [`OrderStatus::can_move_to`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Intent committed; not sent yet.
    Prepared,
    /// About to be sent, or sent without an answer yet.
    Submitted,
    /// The provider took it and has not finished.
    Pending,
    /// Sent, and we do not know whether the provider took it (timeout, 5xx, bad body).
    Unknown,
    Succeeded,
    Failed,
    /// Reseller Console cannot find out on its own: a person must look at it.
    NeedsAttention,
    /// Succeeded, then the provider refunded it.
    Reversed,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 8] = [
        OrderStatus::Prepared,
        OrderStatus::Submitted,
        OrderStatus::Pending,
        OrderStatus::Unknown,
        OrderStatus::Succeeded,
        OrderStatus::Failed,
        OrderStatus::NeedsAttention,
        OrderStatus::Reversed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Prepared => "prepared",
            OrderStatus::Submitted => "submitted",
            OrderStatus::Pending => "pending",
            OrderStatus::Unknown => "unknown",
            OrderStatus::Succeeded => "succeeded",
            OrderStatus::Failed => "failed",
            OrderStatus::NeedsAttention => "needs_attention",
            OrderStatus::Reversed => "reversed",
        }
    }

    /// Still waiting for the provider's final word.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            OrderStatus::Prepared
                | OrderStatus::Submitted
                | OrderStatus::Pending
                | OrderStatus::Unknown
        )
    }

    /// The legal moves of DESIGN.md, plus `unknown -> pending` (a status query can tell us
    /// the provider took the order and is still working on it), `prepared -> failed` (an
    /// intent a crash left unsent), `needs_attention -> pending` (a late answer gives the
    /// provider's id to ask with) and `failed -> succeeded` (an order given up as never
    /// arrived that the provider booked after all: the charge is real, so the ledger shows it).
    pub fn can_move_to(self, to: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, to),
            (Prepared, Submitted | Failed)
                | (
                    Submitted,
                    Succeeded | Failed | Pending | Unknown | NeedsAttention
                )
                | (Pending | Unknown, Succeeded | Failed | NeedsAttention)
                | (Unknown, Pending)
                | (NeedsAttention, Succeeded | Failed | Pending)
                | (Failed, Succeeded)
                | (Succeeded, Reversed)
        )
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrderStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrderStatus::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
                format!(
                    "\"{s}\" is not an order status; use one of {}",
                    names.join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests;
