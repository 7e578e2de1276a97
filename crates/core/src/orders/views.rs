//! What an order looks like across IPC and in `resellerctl --json`: amounts as decimal
//! strings (see `crate::views`), statuses as snake_case names.

use serde::{Deserialize, Serialize};

use super::OrderStatus;
use crate::error::{Error, Result};
use crate::ledger::entries::EntryRow;
use crate::ledger::orders::{EventRow, OrderRow};
use crate::money::{from_ledger_units, Currency, Money};
use crate::providers::Delivery;
use crate::views::MoneyView;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct OrderView {
    pub id: String,
    pub account_id: String,
    /// Our reference, sent to the provider and used to ask about the order.
    pub reference: String,
    pub status: OrderStatus,
    pub product_id: String,
    pub product_name: String,
    pub category_code: String,
    pub recipient: String,
    pub face_value: MoneyView,
    /// What was held for the order: the provider's quote, or the face value when it
    /// quotes nothing.
    pub cost: MoneyView,
    /// What the provider took, once the order succeeded (may differ from `cost`: a discount
    /// below list price, or a fee on top).
    pub charged: Option<MoneyView>,
    pub wallet_id: String,
    pub provider_reference: Option<String>,
    pub failure_reason: Option<String>,
    pub status_checks: u32,
    pub next_check_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub settled_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct OrderEventView {
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub detail: serde_json::Value,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct EntryView {
    /// hold, release, settle, reversal or adjustment.
    pub kind: String,
    pub amount: MoneyView,
    pub wallet_id: String,
    pub note: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub struct PinView {
    pub pin: String,
    pub serial: Option<String>,
    pub expires: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub struct EsimView {
    pub activation_code: Option<String>,
    pub iccid: Option<String>,
    pub android_install_url: Option<String>,
    pub ios_install_url: Option<String>,
    pub usage_url: Option<String>,
}

/// What the customer received; also the JSON stored in `deliveries.data`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub struct DeliveryView {
    pub voucher_code: Option<String>,
    pub pins: Vec<PinView>,
    pub token: Option<String>,
    pub redemption_url: Option<String>,
    pub redemption_info: Option<String>,
    pub qr_code_data: Option<String>,
    pub expiration_date: Option<String>,
    pub esim: Option<EsimView>,
}

impl From<&Delivery> for DeliveryView {
    fn from(d: &Delivery) -> Self {
        DeliveryView {
            voucher_code: d.voucher_code.clone(),
            pins: d
                .pins
                .iter()
                .map(|p| PinView {
                    pin: p.pin.clone(),
                    serial: p.serial.clone(),
                    expires: p.expires.clone(),
                })
                .collect(),
            token: d.token.clone(),
            redemption_url: d.redemption_url.clone(),
            redemption_info: d.redemption_info.clone(),
            qr_code_data: d.qr_code_data.clone(),
            expiration_date: d.expiration_date.clone(),
            esim: d.esim.as_ref().map(|e| EsimView {
                activation_code: e.activation_code.clone(),
                iccid: e.iccid.clone(),
                android_install_url: e.android_install_url.clone(),
                ios_install_url: e.ios_install_url.clone(),
                usage_url: e.usage_url.clone(),
            }),
        }
    }
}

impl DeliveryView {
    /// The `deliveries.kind` this delivery is stored under.
    pub fn kind(&self) -> &'static str {
        if self.esim.is_some() {
            "esim"
        } else if self.voucher_code.is_some() {
            "voucher"
        } else if !self.pins.is_empty() {
            "pin"
        } else if self.token.is_some() {
            "token"
        } else if self.redemption_url.is_some() {
            "url"
        } else {
            "none"
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct OrderDetailView {
    pub order: OrderView,
    pub events: Vec<OrderEventView>,
    pub entries: Vec<EntryView>,
    pub delivery: Option<DeliveryView>,
}

pub(crate) fn money(units: i64, currency: &str) -> Result<Money> {
    let cur = Currency::new(currency)
        .map_err(|_| Error::internal(format!("reading an amount in \"{currency}\"")))?;
    Ok(Money::new(from_ledger_units(units), cur))
}

pub(crate) fn money_view(units: i64, currency: &str) -> Result<MoneyView> {
    Ok(MoneyView::from(&money(units, currency)?))
}

impl OrderView {
    pub(crate) fn from_row(o: &OrderRow) -> Result<Self> {
        Ok(OrderView {
            id: o.id.clone(),
            account_id: o.account_id.clone(),
            reference: o.reference.clone(),
            status: o.status,
            product_id: o.product_id.clone(),
            product_name: o.product_name.clone(),
            category_code: o.category_code.clone(),
            recipient: o.recipient.clone(),
            face_value: money_view(o.face_units, &o.face_currency)?,
            cost: money_view(o.cost_units, &o.wallet_currency)?,
            charged: o
                .charged_units
                .map(|u| money_view(u, &o.wallet_currency))
                .transpose()?,
            wallet_id: o.wallet_id.clone(),
            provider_reference: o.provider_reference.clone(),
            failure_reason: o.failure_reason.clone(),
            status_checks: u32::try_from(o.status_checks).unwrap_or(u32::MAX),
            next_check_at: o.next_check_at.clone(),
            created_at: o.created_at.clone(),
            updated_at: o.updated_at.clone(),
            settled_at: o.settled_at.clone(),
        })
    }
}

impl OrderEventView {
    pub(crate) fn from_row(e: &EventRow) -> Self {
        OrderEventView {
            kind: e.kind.clone(),
            from_status: e.from_status.clone(),
            to_status: e.to_status.clone(),
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
            created_at: e.created_at.clone(),
        }
    }
}

impl EntryView {
    pub(crate) fn from_row(e: &EntryRow) -> Result<Self> {
        Ok(EntryView {
            kind: e.kind.clone(),
            amount: money_view(e.units, &e.currency)?,
            wallet_id: e.wallet_id.clone(),
            note: e.note.clone(),
            created_at: e.created_at.clone(),
        })
    }
}
