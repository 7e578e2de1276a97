//! The read side: order history pages (keyset on `(created_at, id)`, newest first) and one
//! order with its events, entries and delivery. Read-only connections only.

use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use super::views::{DeliveryView, EntryView, OrderDetailView, OrderEventView, OrderView};
use super::OrderStatus;
use crate::error::{Error, Result};
use crate::ledger::{entries, orders};

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, specta::Type)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub account_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, specta::Type)]
pub struct PageRequest {
    /// 1 to 500.
    pub limit: u32,
    /// The `next` of the previous page.
    pub after: Option<String>,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            limit: 50,
            after: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct OrderPage {
    pub orders: Vec<OrderView>,
    /// Pass as `after` for the next page; `None` on the last one.
    pub next: Option<String>,
}

const CURSOR_SEP: char = '|';

pub async fn list(
    reader: &SqlitePool,
    filter: &OrderFilter,
    page: &PageRequest,
) -> Result<OrderPage> {
    if page.limit == 0 || page.limit > 500 {
        return Err(Error::invalid("limit", "ask for 1 to 500 orders at a time"));
    }
    let after = match page.after.as_deref() {
        None | Some("") => None,
        Some(c) => Some(c.split_once(CURSOR_SEP).ok_or_else(|| {
            Error::invalid("after", "this is not a page cursor from a previous list")
        })?),
    };
    let limit = i64::from(page.limit);
    let mut rows = orders::page(
        reader,
        filter.status,
        filter.account_id.as_deref(),
        after,
        limit + 1,
    )
    .await?;
    let more = i64::try_from(rows.len()).unwrap_or(i64::MAX) > limit;
    rows.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    let next = more
        .then(|| {
            rows.last()
                .map(|o| format!("{}{CURSOR_SEP}{}", o.created_at, o.id))
        })
        .flatten();
    Ok(OrderPage {
        orders: rows
            .iter()
            .map(OrderView::from_row)
            .collect::<Result<_>>()?,
        next,
    })
}

/// One order by id or by our reference, with everything that happened to it.
pub async fn show(reader: &SqlitePool, id_or_reference: &str) -> Result<OrderDetailView> {
    let key = id_or_reference.trim();
    let order = orders::find(reader, key).await?.ok_or_else(|| {
        Error::not_found(
            format!("Order \"{key}\""),
            "Use the id or the reference shown in the order list.",
        )
    })?;
    let events = orders::events(reader, &order.id).await?;
    let entries = entries::for_order(reader, &order.id).await?;
    let delivery = match orders::delivery(reader, &order.id).await? {
        Some(text) => Some(
            serde_json::from_str::<DeliveryView>(&text)
                .map_err(|_| Error::internal(format!("reading the delivery of {key}")))?,
        ),
        None => None,
    };
    Ok(OrderDetailView {
        order: OrderView::from_row(&order)?,
        events: events.iter().map(OrderEventView::from_row).collect(),
        entries: entries
            .iter()
            .map(EntryView::from_row)
            .collect::<Result<_>>()?,
        delivery,
    })
}

/// How far back a reversal stays on the dashboard.
pub const REVERSED_SHOWN_DAYS: i64 = 7;

/// Orders a person should look at (the dashboard's list): those that need attention, and
/// those the provider reversed in the last [`REVERSED_SHOWN_DAYS`] days, at most 20.
pub async fn attention(
    reader: &SqlitePool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<OrderView>> {
    let since = crate::clock::stamp(now - chrono::Duration::days(REVERSED_SHOWN_DAYS));
    orders::attention(reader, &since, 20)
        .await?
        .iter()
        .map(OrderView::from_row)
        .collect()
}
