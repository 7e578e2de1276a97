//! Step 6 of the spine: the sweeper finishes orders `place` could not. It fails intents a
//! crash left unsent, and asks the provider about sent orders by our reference, with
//! backoff, until they are final. It never resubmits. It also takes a few late looks at
//! succeeded orders (`REVIEW_AFTER_HOURS`), so a reversal the provider books after the fact
//! becomes a correcting entry.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::record::{self, backoff, Step, REVIEW_AFTER_HOURS};
use super::OrderStatus;
use crate::clock::{parse_stamp, stamp};
use crate::error::Result;
use crate::ledger::orders::{self, Move, OrderRow};
use crate::providers::{Provider, ProviderError, StatusLookup};
use crate::Console;

/// An intent this old with no `submitted` mark was left by a process that stopped: nothing
/// was sent. The wait lets a purchase running in another process reach `submitted`.
pub const PREPARED_GRACE_SECS: i64 = 60;
/// Not-found answers in a row before an order that never showed up is given up.
pub const NOT_FOUND_LIMIT: i64 = 3;
const BATCH: i64 = 100;

/// One order that changed status in a sweep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SweepChange {
    pub order_id: String,
    pub reference: String,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct SweepReport {
    /// Status queries sent.
    pub checked: u32,
    pub changes: Vec<SweepChange>,
    /// Checks that could not be made (the order is asked about again later).
    pub errors: Vec<String>,
}

pub struct Sweeper<'c> {
    console: &'c Console,
    providers: HashMap<String, Arc<dyn Provider>>,
    /// `reconcile --now` (operators and the crash tests): see [`Sweeper::ignore_backoff`].
    ignore_backoff: bool,
}

impl<'c> Sweeper<'c> {
    pub fn new(console: &'c Console) -> Self {
        Self {
            console,
            providers: HashMap::new(),
            ignore_backoff: false,
        }
    }

    /// Checks every open order once, whatever its `next_check_at`, and takes `prepared`
    /// intents as never sent at once (no [`PREPARED_GRACE_SECS`] wait). Only safe when no
    /// other process is placing orders on this ledger: a purchase in flight elsewhere could
    /// still be between its intent and its `submitted` mark. For `resellerctl reconcile
    /// --now` (operators) and the crash tests.
    pub fn ignore_backoff(mut self, yes: bool) -> Self {
        self.ignore_backoff = yes;
        self
    }

    /// Uses `provider` for an account's orders instead of connecting (tests, or a caller
    /// that already holds one).
    pub fn with_provider(mut self, account_id: &str, provider: Arc<dyn Provider>) -> Self {
        self.providers.insert(account_id.to_owned(), provider);
        self
    }

    async fn provider(&mut self, account_id: &str) -> Result<Arc<dyn Provider>> {
        if let Some(p) = self.providers.get(account_id) {
            return Ok(p.clone());
        }
        let p: Arc<dyn Provider> = Arc::from(self.console.provider(account_id).await?);
        self.providers.insert(account_id.to_owned(), p.clone());
        Ok(p)
    }

    /// Looks at every order due by `now`, once. Orders checked get their next check later
    /// than `now`, so a second run at the same `now` finds nothing more to ask.
    pub async fn run_until_idle(&mut self, now: DateTime<Utc>) -> Result<SweepReport> {
        let mut report = SweepReport::default();
        for _ in 0..1000 {
            let (batch, full) = self.batch(now).await?;
            report.checked += batch.checked;
            report.changes.extend(batch.changes);
            report.errors.extend(batch.errors);
            if !full {
                break;
            }
        }
        // Late looks run on the real schedule even under `ignore_backoff`: they are not
        // open orders, and asking about every succeeded order at once helps no one.
        for _ in 0..1000 {
            let due =
                orders::due_reviews(self.console.ledger().reader(), &stamp(now), BATCH).await?;
            for order in &due {
                self.review(order, now, &mut report).await?;
            }
            if i64::try_from(due.len()).unwrap_or(i64::MAX) < BATCH {
                break;
            }
        }
        Ok(report)
    }

    /// One late look at a succeeded order: a reversal is recorded; otherwise the next look
    /// is booked, or none after the last.
    async fn review(
        &mut self,
        order: &OrderRow,
        now: DateTime<Utc>,
        report: &mut SweepReport,
    ) -> Result<()> {
        let ledger = self.console.ledger();
        let since = order
            .settled_at
            .as_deref()
            .and_then(parse_stamp)
            .unwrap_or(now);
        let next = REVIEW_AFTER_HOURS
            .iter()
            .map(|h| since + chrono::Duration::hours(*h))
            .find(|t| *t > now)
            .map(stamp);
        let later = Step {
            to: OrderStatus::Succeeded,
            event: "reviewed",
            detail: serde_json::json!({}),
            moved: Move {
                next_check_at: Some(next.as_deref()),
                ..Move::default()
            },
        };
        let provider = match self.provider(&order.account_id).await {
            Ok(p) => p,
            Err(e) => {
                report.errors.push(format!("{}: {e}", order.reference));
                record::close(ledger, order, later, now).await?;
                return Ok(());
            }
        };
        if !provider.capabilities().status_by_reference && order.provider_reference.is_none() {
            let never = Step {
                moved: Move {
                    next_check_at: Some(None),
                    ..Move::default()
                },
                ..later
            };
            record::close(ledger, order, never, now).await?;
            return Ok(());
        }
        report.checked += 1;
        let lookup = lookup(order);
        match provider.status(&lookup).await {
            Ok(outcome) => {
                if let Some((from, to)) =
                    record::apply(ledger, &order.id, &outcome, now, false).await?
                {
                    report.changes.push(SweepChange {
                        order_id: order.id.clone(),
                        reference: order.reference.clone(),
                        from,
                        to,
                        note: outcome.message.unwrap_or_default(),
                    });
                    return Ok(());
                }
            }
            Err(e) => report.errors.push(format!("{}: {e}", order.reference)),
        }
        record::close(ledger, order, later, now).await?;
        Ok(())
    }

    /// One batch of due orders (at most a hundred).
    pub async fn run_once(&mut self, now: DateTime<Utc>) -> Result<SweepReport> {
        Ok(self.batch(now).await?.0)
    }

    async fn batch(&mut self, now: DateTime<Utc>) -> Result<(SweepReport, bool)> {
        let (due_by, prepared_before, limit) = if self.ignore_backoff {
            // One pass over every open order (a checked order stays "due" under a cutoff
            // this far out, so batching would meet it again): one batch, no limit.
            (
                "9999-12-31T23:59:59.999999Z".to_owned(),
                stamp(now),
                i64::MAX,
            )
        } else {
            (
                stamp(now),
                stamp(now - chrono::Duration::seconds(PREPARED_GRACE_SECS)),
                BATCH,
            )
        };
        let due = orders::due(
            self.console.ledger().reader(),
            &due_by,
            &prepared_before,
            limit,
        )
        .await?;
        let full = !self.ignore_backoff && i64::try_from(due.len()).unwrap_or(i64::MAX) >= BATCH;
        let mut report = SweepReport::default();
        for order in &due {
            self.one(order, now, &mut report).await?;
        }
        Ok((report, full))
    }

    async fn one(
        &mut self,
        order: &OrderRow,
        now: DateTime<Utc>,
        report: &mut SweepReport,
    ) -> Result<()> {
        let ledger = self.console.ledger();
        let mut change = |to: OrderStatus, note: String| {
            report.changes.push(SweepChange {
                order_id: order.id.clone(),
                reference: order.reference.clone(),
                from: order.status,
                to,
                note,
            })
        };
        if order.status == OrderStatus::Prepared {
            let reason = "never sent: Reseller Console stopped before the order was submitted; \
                          the hold was released";
            let s = Step {
                to: OrderStatus::Failed,
                event: "never_sent",
                detail: serde_json::json!({ "reason": reason }),
                moved: Move {
                    failure_reason: Some(reason),
                    next_check_at: Some(None),
                    ..Move::default()
                },
            };
            if record::close(ledger, order, s, now).await? {
                change(OrderStatus::Failed, reason.to_owned());
            }
            return Ok(());
        }
        let checks = order.status_checks + 1;
        let next = stamp(now + backoff(checks));
        let later = Step {
            to: order.status,
            event: "check_later",
            detail: serde_json::json!({}),
            moved: Move {
                next_check_at: Some(Some(&next)),
                status_checks: Some(checks),
                ..Move::default()
            },
        };
        let provider = match self.provider(&order.account_id).await {
            Ok(p) => p,
            Err(e) => {
                report.errors.push(format!("{}: {e}", order.reference));
                record::close(ledger, order, later, now).await?;
                return Ok(());
            }
        };
        let caps = provider.capabilities();
        if !caps.status_by_reference && order.provider_reference.is_none() {
            let reason = format!(
                "{} cannot look an order up by our reference and gave no transaction id: check \
                 {} in its portal before buying again",
                provider.kind(),
                order.reference
            );
            let s = Step {
                to: OrderStatus::NeedsAttention,
                event: "cannot_check",
                detail: serde_json::json!({ "reason": reason }),
                moved: Move {
                    failure_reason: Some(&reason),
                    next_check_at: Some(None),
                    ..Move::default()
                },
            };
            if record::close(ledger, order, s, now).await? {
                change(OrderStatus::NeedsAttention, reason.clone());
            }
            return Ok(());
        }
        let lookup = lookup(order);
        report.checked += 1;
        match provider.status(&lookup).await {
            Ok(outcome) => {
                if let Some((_, to)) = record::apply(ledger, &order.id, &outcome, now, true).await?
                {
                    change(to, outcome.message.unwrap_or_default());
                }
            }
            Err(ProviderError::NotFound { .. }) if checks >= NOT_FOUND_LIMIT => {
                // Asked by the reference we committed before sending: a provider that can
                // find orders by it and still has none never received this one.
                let arrived = order.status == OrderStatus::Pending;
                let (to, event, reason) = if caps.status_by_reference && !arrived {
                    (
                        OrderStatus::Failed,
                        "never_arrived",
                        format!(
                            "{} has no order {} after {checks} checks: it never arrived; the hold \
                             was released",
                            provider.kind(),
                            order.reference
                        ),
                    )
                } else {
                    (
                        OrderStatus::NeedsAttention,
                        "not_found",
                        format!(
                            "{} no longer finds order {}: check it in its portal",
                            provider.kind(),
                            order.reference
                        ),
                    )
                };
                let s = Step {
                    to,
                    event,
                    detail: serde_json::json!({ "reason": reason, "checks": checks }),
                    moved: Move {
                        failure_reason: Some(&reason),
                        next_check_at: Some(None),
                        status_checks: Some(checks),
                        ..Move::default()
                    },
                };
                if record::close(ledger, order, s, now).await? {
                    change(to, reason.clone());
                }
            }
            Err(e) => {
                report.errors.push(format!("{}: {e}", order.reference));
                record::close(ledger, order, later, now).await?;
            }
        }
        Ok(())
    }
}

/// How the provider finds an order: our reference, our nonce, its id once it gave one.
fn lookup(order: &OrderRow) -> StatusLookup {
    StatusLookup {
        reference: order.reference.clone(),
        nonce: order.nonce.clone(),
        provider_reference: order.provider_reference.clone(),
    }
}
