//! A person closes an order the app cannot finish on its own (`needs_attention`: RukkyStore
//! lost its transaction id, a provider that no longer finds an order) after checking the
//! provider's portal: succeeded with the provider's reference and what it charged, or failed
//! with the hold released. Recorded as an order event and an audit entry naming who did it;
//! the money moves as ordinary entries, never as an edit.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::record::{self, Step};
use super::views::OrderView;
use super::OrderStatus;
use crate::clock::stamp;
use crate::error::{Error, Result};
use crate::ledger::orders::{self, Move};
use crate::ledger::{audit, Ledger, LedgerError};
use crate::money::{parse_amount, to_ledger_units};

/// What the person found in the provider's portal.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, specta::Type)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Resolution {
    /// The provider has it as done: its reference, and what it took from the wallet
    /// (decimal text in the wallet's currency).
    Succeeded {
        provider_reference: String,
        charged: String,
    },
    /// The provider does not have it, or has it as failed: the hold is released.
    Failed { note: String },
}

/// Closes order `key` (id or reference) as `resolution` says, by `actor`.
pub async fn resolve(
    ledger: &Ledger,
    key: &str,
    resolution: &Resolution,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<OrderView> {
    let actor = actor.trim();
    if actor.is_empty() {
        return Err(Error::invalid("actor", "say who is resolving the order"));
    }
    let order = orders::find(ledger.reader(), key.trim())
        .await?
        .ok_or_else(|| {
            Error::not_found(
                format!("Order \"{}\"", key.trim()),
                "Check the reference (RC-...) in the orders list.",
            )
        })?;
    if order.status != OrderStatus::NeedsAttention {
        return Err(Error::invalid(
            "order",
            format!(
                "{} is {}, not waiting for a person: only an order that needs attention is \
                 resolved by hand (the app finishes the others by asking the provider)",
                order.reference, order.status
            ),
        ));
    }
    let at = stamp(now);
    let (step, detail) = match resolution {
        Resolution::Succeeded {
            provider_reference,
            charged,
        } => {
            let provider_reference = provider_reference.trim();
            if provider_reference.is_empty() {
                return Err(Error::invalid(
                    "provider_reference",
                    "enter the provider's reference for this order, as its portal shows it",
                ));
            }
            let amount =
                parse_amount(charged).map_err(|e| Error::invalid("charged", e.to_string()))?;
            if amount < Decimal::ZERO {
                return Err(Error::invalid(
                    "charged",
                    "enter what the provider took from the wallet, zero or more",
                ));
            }
            let units = to_ledger_units(amount)
                .map_err(|_| Error::invalid("charged", "use at most four decimals"))?;
            let detail = serde_json::json!({
                "by": actor,
                "provider_reference": provider_reference,
                "charged": format!("{} {}", order.wallet_currency, amount),
            });
            (
                Step {
                    to: OrderStatus::Succeeded,
                    event: "resolved_succeeded",
                    detail: detail.clone(),
                    moved: Move {
                        provider_reference: Some(provider_reference),
                        next_check_at: Some(None),
                        settled: true,
                        charged_units: Some(units),
                        ..Move::default()
                    },
                },
                detail,
            )
        }
        Resolution::Failed { note } => {
            let note = note.trim();
            if note.is_empty() {
                return Err(Error::invalid(
                    "note",
                    "say what the provider's portal shows (e.g. \"not in the portal\")",
                ));
            }
            let detail = serde_json::json!({ "by": actor, "note": note });
            (
                Step {
                    to: OrderStatus::Failed,
                    event: "resolved_failed",
                    detail: detail.clone(),
                    moved: Move {
                        failure_reason: Some(note),
                        next_check_at: Some(None),
                        ..Move::default()
                    },
                },
                detail,
            )
        }
    };
    let mut tx = ledger.begin_write().await?;
    if !record::step(&mut tx, &order, step, &at).await? {
        return Err(Error::invalid(
            "order",
            format!(
                "{} changed while you were resolving it: look at it again",
                order.reference
            ),
        ));
    }
    audit::record(
        &mut *tx,
        &at,
        actor,
        "order.resolve",
        Some(&order.reference),
        &detail,
    )
    .await?;
    tx.commit().await.map_err(LedgerError::from)?;
    let row = orders::get(ledger.writer(), &order.id)
        .await?
        .ok_or_else(|| Error::internal(format!("reading order {} back", order.id)))?;
    OrderView::from_row(&row)
}
