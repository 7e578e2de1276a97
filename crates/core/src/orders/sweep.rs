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
/// A cutoff after every stamp: "whatever the schedule says".
const FAR_FUTURE: &str = "9999-12-31T23:59:59.999999Z";

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
    /// `reconcile --reviews`: see [`Sweeper::force_reviews`].
    force_reviews: bool,
}

impl<'c> Sweeper<'c> {
    pub fn new(console: &'c Console) -> Self {
        Self {
            console,
            providers: HashMap::new(),
            ignore_backoff: false,
            force_reviews: false,
        }
    }

    /// Checks every open order once, whatever its `next_check_at`, and takes `prepared`
    /// intents as never sent at once (no [`PREPARED_GRACE_SECS`] wait). Orders a live
    /// process still has in flight (its lease) are left alone all the same, so this is safe
    /// while the app is buying. For `resellerctl reconcile --now` and the crash tests.
    pub fn ignore_backoff(mut self, yes: bool) -> Self {
        self.ignore_backoff = yes;
        self
    }

    /// Takes every pending late look at closed orders now (a reversal after success, a
    /// booking after a give-up) instead of at 1 h, 24 h and 72 h: for operators who heard
    /// of a refund, and for tests. Each order is looked at once per run; its schedule stays.
    pub fn force_reviews(mut self, yes: bool) -> Self {
        self.force_reviews = yes;
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
        let p: Arc<dyn Provider> = self.console.provider(account_id).await?;
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
        // open orders, and asking about every succeeded order at once helps no one. Forced,
        // every scheduled look is taken once (one unbounded pass: a forced look leaves the
        // order "due" under a far cutoff, so batching would meet it again).
        let (cutoff, limit) = if self.force_reviews {
            (FAR_FUTURE.to_owned(), i64::MAX)
        } else {
            (stamp(now), BATCH)
        };
        for _ in 0..1000 {
            let due = orders::due_reviews(self.console.ledger().reader(), &cutoff, limit).await?;
            for order in &due {
                self.review(order, now, &mut report).await?;
            }
            if self.force_reviews || i64::try_from(due.len()).unwrap_or(i64::MAX) < BATCH {
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
            to: order.status,
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
                    record::apply(ledger, &order.id, &outcome, now, record::Source::Review).await?
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
            (FAR_FUTURE.to_owned(), stamp(now), i64::MAX)
        } else {
            (
                stamp(now),
                stamp(now - chrono::Duration::seconds(PREPARED_GRACE_SECS)),
                BATCH,
            )
        };
        // Orders a live process is still placing are not ours to judge: its answer may be
        // on the way (a slow provider, a request near its timeout).
        let ledger = self.console.ledger();
        let at = stamp(now);
        let holders = orders::lease_holders(ledger.reader(), &at).await?;
        let alive: Vec<String> = ledger
            .lease()
            .alive(&holders)
            .into_iter()
            .filter_map(|(h, alive)| alive.then_some(h))
            .collect();
        let due = orders::due(
            ledger.reader(),
            &due_by,
            &prepared_before,
            &at,
            &alive,
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
                if let Some((_, to)) =
                    record::apply(ledger, &order.id, &outcome, now, record::Source::Status).await?
                {
                    change(to, outcome.message.unwrap_or_default());
                }
            }
            Err(ProviderError::NotFound { .. }) if order.not_found_checks + 1 < NOT_FOUND_LIMIT => {
                let s = Step {
                    event: "not_found",
                    moved: Move {
                        not_found_checks: Some(order.not_found_checks + 1),
                        ..later.moved
                    },
                    ..later
                };
                record::close(ledger, order, s, now).await?;
            }
            Err(ProviderError::NotFound { .. }) => {
                let misses = order.not_found_checks + 1;
                // Asked by the reference we committed before sending: a provider that can
                // find orders by it and still has none never received this one.
                let arrived = order.status == OrderStatus::Pending;
                let (to, event, reason) = if caps.status_by_reference && !arrived {
                    (
                        OrderStatus::Failed,
                        "never_arrived",
                        format!(
                            "{} answered {misses} times in a row that it has no order {}: it \
                             never arrived, and the hold was released. Reseller Console will \
                             look again later in case {} books it late.",
                            provider.kind(),
                            order.reference,
                            provider.kind()
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
                // A give-up gets the same late looks as a success: a provider that books
                // the order late must not leave money spent while the ledger says failed.
                let review = stamp(now + record::review_after(0));
                let s = Step {
                    to,
                    event,
                    detail: serde_json::json!({ "reason": reason, "not_found": misses }),
                    moved: Move {
                        failure_reason: Some(&reason),
                        next_check_at: Some((to == OrderStatus::Failed).then_some(review.as_str())),
                        status_checks: Some(checks),
                        not_found_checks: Some(misses),
                        settled: to == OrderStatus::Failed,
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
