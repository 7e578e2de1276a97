//! Step 5 of the spine: turn what the provider said into a status move, an event and
//! ledger entries, all in one writer transaction. Every move is compare-and-set, so a
//! repeated answer (a second sweep, a webhook racing a status query) changes nothing.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::views::DeliveryView;
use super::OrderStatus;
use crate::clock::stamp;
use crate::error::{Error, Result};
use crate::ledger::entries::{self, EntryKind, NewEntry};
use crate::ledger::orders::{self, Move, NewEvent, OrderRow};
use crate::ledger::{balances, Ledger, LedgerError};
use crate::providers::{OutcomeStatus, ProviderError, PurchaseOutcome};

/// How long to wait before the next status query, after `checks` queries.
pub(crate) fn backoff(checks: i64) -> chrono::Duration {
    const STEPS: [i64; 6] = [5, 15, 30, 60, 120, 300];
    let secs = usize::try_from(checks)
        .ok()
        .and_then(|i| STEPS.get(i).copied())
        .unwrap_or(900);
    chrono::Duration::seconds(secs)
}

/// After success, when to ask the provider about the order again: a provider may reverse
/// a completed order later (a refund it books after the fact), and only a status query
/// tells us. Three late looks, then the order is left alone.
pub(crate) const REVIEW_AFTER_HOURS: [i64; 3] = [1, 24, 72];

/// The `n`th late look after success (counted from the success).
pub(crate) fn review_after(n: usize) -> chrono::Duration {
    chrono::Duration::hours(REVIEW_AFTER_HOURS.get(n).copied().unwrap_or(0))
}

/// One status move with its event and (for `failed`, `succeeded`, `reversed`) the entry
/// that moves the money. False when the order was no longer in `order.status`.
pub(crate) struct Step<'a> {
    pub to: OrderStatus,
    pub event: &'a str,
    pub detail: serde_json::Value,
    pub moved: Move<'a>,
}

pub(crate) async fn step(
    tx: &mut SqliteConnection,
    order: &OrderRow,
    mut s: Step<'_>,
    at: &str,
) -> Result<bool> {
    let from = order.status;
    if from != s.to && !from.can_move_to(s.to) {
        return Err(Error::internal(format!(
            "moving order {} from {from} to {}",
            order.id, s.to
        )));
    }
    let held = entries::held_for_order(&mut *tx, &order.id).await?;
    let succeeds = s.to == OrderStatus::Succeeded && from != OrderStatus::Succeeded;
    if succeeds {
        // What the provider took: its word when it gave one, else what we held (or, for an
        // order given up whose hold was released, what we had held: its cost).
        let fallback = if held > 0 { held } else { order.cost_units };
        s.moved.charged_units = Some(s.moved.charged_units.unwrap_or(fallback));
    }
    if !orders::move_status(tx, &order.id, from, s.to, at, &s.moved).await? {
        return Ok(false);
    }
    let mut money: Vec<(EntryKind, i64)> = Vec::new();
    match (from, s.to) {
        (f, OrderStatus::Failed) if f != OrderStatus::Failed => {
            money.push((EntryKind::Release, held));
        }
        _ if succeeds => {
            // The hold becomes the charge. A provider that took less (eStoreSMS
            // `amount_charged` below list price) gets the rest released; one that took more
            // (RukaPay's fee on top of a face-value hold) gets the excess as an adjustment.
            let charged = s.moved.charged_units.unwrap_or(held);
            money.push((EntryKind::Settle, held.min(charged)));
            money.push((EntryKind::Release, held - charged));
            money.push((EntryKind::Adjustment, charged - held));
        }
        (OrderStatus::Succeeded, OrderStatus::Reversed) => money.push((
            EntryKind::Reversal,
            entries::settled_for_order(&mut *tx, &order.id).await?,
        )),
        _ => {}
    }
    for (kind, units) in money.into_iter().filter(|(_, u)| *u > 0) {
        entries::add(
            &mut *tx,
            &NewEntry {
                account_id: &order.account_id,
                wallet_id: &order.wallet_id,
                currency: &order.wallet_currency,
                order_id: &order.id,
                kind,
                units,
                note: Some(s.event),
                at,
            },
        )
        .await?;
    }
    if from != s.to || s.event == "found_pending" {
        orders::add_event(
            &mut *tx,
            &NewEvent {
                order_id: &order.id,
                kind: s.event,
                from: Some(from),
                to: Some(s.to),
                detail: s.detail,
                at,
            },
        )
        .await?;
    }
    Ok(true)
}

/// One status move in its own transaction, for the sweeper's own decisions.
pub(crate) async fn close(
    ledger: &Ledger,
    order: &OrderRow,
    s: Step<'_>,
    now: DateTime<Utc>,
) -> Result<bool> {
    let at = stamp(now);
    let mut tx = ledger.begin_write().await?;
    if !step(&mut tx, order, s, &at).await? {
        return Ok(false);
    }
    tx.commit().await.map_err(LedgerError::from)?;
    Ok(true)
}

/// Records the answer to the one purchase request, from whatever state the order reached
/// meanwhile (a sweep may have looked at it if this process was slow), then ends the lease.
pub(crate) async fn after_submit(
    ledger: &Ledger,
    order_id: &str,
    answer: &std::result::Result<PurchaseOutcome, ProviderError>,
    now: DateTime<Utc>,
) -> Result<()> {
    match answer {
        Ok(outcome) => {
            apply(ledger, order_id, outcome, now, Source::Purchase).await?;
        }
        Err(e) => after_error(ledger, order_id, e, now).await?,
    }
    let mut tx = ledger.begin_write().await?;
    orders::end_lease(&mut *tx, order_id, ledger.lease().token()).await?;
    tx.commit().await.map_err(LedgerError::from)?;
    Ok(())
}

/// What the cashier reads when nobody knows whether the provider took the order: it may
/// have gone through, the app is finding out, and buying again could buy twice.
pub(crate) fn unknown_reason(e: &ProviderError, reference: &str) -> String {
    let cause = match e {
        ProviderError::Timeout { seconds, .. } => format!("did not answer within {seconds} s"),
        ProviderError::Server { status, .. } => format!("answered with a server error ({status})"),
        ProviderError::Unreachable { .. } => "broke off the connection".to_owned(),
        _ => "sent an answer that could not be read".to_owned(),
    };
    format!(
        "This order may have gone through: {} {cause}. Reseller Console is checking with {} by \
         reference {reference} and will show the result here. Do not buy it again for this \
         customer until then.",
        e.provider(),
        e.provider()
    )
}

async fn after_error(
    ledger: &Ledger,
    order_id: &str,
    e: &ProviderError,
    now: DateTime<Utc>,
) -> Result<()> {
    use OrderStatus as S;
    let order = orders::get(ledger.writer(), order_id)
        .await?
        .ok_or_else(|| Error::internal(format!("reading order {order_id}")))?;
    let next = stamp(now + backoff(0));
    let unknown = e.outcome_unknown();
    let reason = if unknown {
        unknown_reason(e, &order.reference)
    } else {
        e.to_string()
    };
    let detail = serde_json::json!({ "error": e.to_string() });
    let s = match (order.status, unknown) {
        (S::Submitted, true) => Step {
            to: S::Unknown,
            event: "outcome_unknown",
            detail,
            moved: Move {
                failure_reason: Some(&reason),
                next_check_at: Some(Some(&next)),
                ..Move::default()
            },
        },
        // A refusal is the provider's last word on a request it did not take: it closes the
        // order from any state a sweep may have left it in while we waited.
        (S::Submitted | S::Unknown | S::NeedsAttention, false) => Step {
            to: S::Failed,
            event: "refused",
            detail,
            moved: Move {
                failure_reason: Some(&reason),
                next_check_at: Some(None),
                ..Move::default()
            },
        },
        // An unknown outcome adds nothing to what a sweep already found out, and a refusal
        // after the provider said "pending" or "done" contradicts it: keep a trace only.
        (from, _) => {
            let mut tx = ledger.begin_write().await?;
            orders::add_event(
                &mut *tx,
                &NewEvent {
                    order_id: &order.id,
                    kind: if unknown {
                        "late_error"
                    } else {
                        "conflicting_answer"
                    },
                    from: Some(from),
                    to: Some(from),
                    detail,
                    at: &stamp(now),
                },
            )
            .await?;
            tx.commit().await.map_err(LedgerError::from)?;
            return Ok(());
        }
    };
    close(ledger, &order, s, now).await?;
    Ok(())
}

/// Where an answer came from: it decides what it may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// The answer to the purchase request itself.
    Purchase,
    /// A status query about an open order (counts for the backoff).
    Status,
    /// A late look at a closed order (a reversal, a late booking).
    Review,
}

/// Applies one provider answer to an order, from any state where it adds information: a
/// success that arrives after a sweep gave up (needs_attention, or failed as never arrived)
/// still books the charge, and a failure after success is a reversal. Returns the move made.
pub(crate) async fn apply(
    ledger: &Ledger,
    order_id: &str,
    outcome: &PurchaseOutcome,
    now: DateTime<Utc>,
    source: Source,
) -> Result<Option<(OrderStatus, OrderStatus)>> {
    let checked = source == Source::Status;
    use OrderStatus as S;
    let at = stamp(now);
    let mut tx = ledger.begin_write().await?;
    let order = orders::get(&mut *tx, order_id)
        .await?
        .ok_or_else(|| Error::internal(format!("reading order {order_id}")))?;
    if let Some(b) = &outcome.balance_after {
        balances::record(
            &mut *tx,
            &order.account_id,
            &b.wallet_id,
            &b.balance,
            "order",
            &at,
        )
        .await?;
    }
    let checks = order.status_checks + i64::from(checked);
    let next = stamp(now + backoff(checks));
    let message = outcome.message.clone().unwrap_or_default();
    let detail = serde_json::json!({
        "provider_status": outcome.status,
        "provider_reference": outcome.provider_reference,
        "charged": outcome.charged.as_ref().map(ToString::to_string),
        "message": outcome.message,
    });
    let provider_reference = outcome.provider_reference.as_deref();
    let charged_units = charged_units(&order, outcome);
    let sent = matches!(
        order.status,
        S::Submitted | S::Pending | S::Unknown | S::NeedsAttention
    );
    // Given up as never arrived, and still under a late look: a provider that booked it
    // after all has charged for it.
    let given_up = order.status == S::Failed && order.next_check_at.is_some();
    let open = |to: OrderStatus, event| Step {
        to,
        event,
        detail: detail.clone(),
        moved: Move {
            provider_reference,
            next_check_at: Some(Some(&next)),
            status_checks: Some(checks),
            not_found_checks: Some(0),
            ..Move::default()
        },
    };
    let reason = (!message.is_empty()).then_some(message.as_str());
    let reversed_reason = format!(
        "The provider reversed this order after it succeeded and refunded the wallet{}",
        reason.map(|r| format!(": {r}")).unwrap_or_default()
    );
    // A succeeded order is asked about again later, in case the provider reverses it.
    let review = stamp(now + review_after(0));
    let closed = |to: OrderStatus, event| Step {
        to,
        event,
        detail: detail.clone(),
        moved: Move {
            provider_reference,
            next_check_at: Some((to == S::Succeeded).then_some(review.as_str())),
            status_checks: Some(checks),
            settled: to == S::Succeeded,
            failure_reason: match to {
                S::Failed => reason,
                S::Reversed => Some(reversed_reason.as_str()),
                _ => None,
            },
            charged_units: if to == S::Succeeded {
                charged_units
            } else {
                None
            },
            not_found_checks: Some(0),
            ..Move::default()
        },
    };
    let s = match (order.status, outcome.status) {
        (_, OutcomeStatus::Succeeded) if sent => closed(S::Succeeded, "succeeded"),
        (_, OutcomeStatus::Succeeded) if given_up => closed(S::Succeeded, "booked_late"),
        (_, OutcomeStatus::Failed) if sent => closed(S::Failed, "failed"),
        // Charged and refunded before we heard it succeed: nothing was spent.
        (_, OutcomeStatus::Reversed) if sent => closed(S::Failed, "reversed_before_success"),
        (S::Submitted | S::Unknown | S::NeedsAttention, OutcomeStatus::Pending) => {
            open(S::Pending, "pending")
        }
        (S::Pending, OutcomeStatus::Pending) => open(S::Pending, "still_pending"),
        // Given up, and the provider has it after all but has not finished: look again
        // soon rather than in an hour, so its success is booked as soon as it is known.
        (S::Failed, OutcomeStatus::Pending) if given_up => Step {
            to: S::Failed,
            event: "found_pending",
            detail: detail.clone(),
            moved: Move {
                provider_reference,
                next_check_at: Some(Some(&next)),
                not_found_checks: Some(0),
                ..Move::default()
            },
        },
        // Done, then failed, refunded or cancelled: the provider reversed it and gave the
        // money back, whatever word its status uses for that.
        (S::Succeeded, OutcomeStatus::Reversed | OutcomeStatus::Failed) => {
            closed(S::Reversed, "reversed")
        }
        // The same final answer again, or a stale one: nothing to do.
        (S::Succeeded, OutcomeStatus::Succeeded | OutcomeStatus::Pending)
        | (S::Failed, OutcomeStatus::Failed | OutcomeStatus::Pending | OutcomeStatus::Reversed)
        | (S::Reversed, _) => {
            tx.commit().await.map_err(LedgerError::from)?;
            return Ok(None);
        }
        (from, to) => {
            // A final order contradicted (failed here, succeeded there): never flip money
            // on our own, leave a trace for a person.
            tracing::warn!(order = %order.id, %from, ?to, "conflicting provider answer");
            orders::add_event(
                &mut *tx,
                &NewEvent {
                    order_id: &order.id,
                    kind: "conflicting_answer",
                    from: Some(from),
                    to: Some(from),
                    detail,
                    at: &at,
                },
            )
            .await?;
            tx.commit().await.map_err(LedgerError::from)?;
            return Ok(None);
        }
    };
    let from = order.status;
    let to = s.to;
    if !step(&mut tx, &order, s, &at).await? {
        return Ok(None);
    }
    if to == S::Succeeded && from != S::Succeeded {
        let delivery = DeliveryView::from(&outcome.delivery);
        let data =
            serde_json::to_value(&delivery).map_err(|_| Error::internal("storing a delivery"))?;
        orders::add_delivery(
            &mut *tx,
            &order.id,
            delivery.kind(),
            &data,
            &order.recipient,
            &at,
        )
        .await?;
    }
    tx.commit().await.map_err(LedgerError::from)?;
    Ok((from != to).then_some((from, to)))
}

/// What the answer says the wallet paid, in the order's wallet units. `None` when it says
/// nothing usable: no amount, another currency (a face value, not a charge), or zero (a
/// provider that answers "0" for "not charged yet" must not turn a success into a free
/// order: the hold is settled instead).
fn charged_units(order: &OrderRow, outcome: &PurchaseOutcome) -> Option<i64> {
    let charged = outcome.charged.as_ref()?;
    if charged.currency.code() != order.wallet_currency {
        tracing::warn!(order = %order.id, %charged, "charge in another currency than the wallet");
        return None;
    }
    match crate::money::to_ledger_units(charged.amount) {
        Ok(units) if units > 0 => Some(units),
        _ => None,
    }
}
