//! RukkyStore's signed VTU webhooks: `X-Webhook-Signature` is the hex HMAC-SHA256 of the
//! raw body under the webhook secret; only a body that verifies is parsed.
//!
//! Signature header handling (the document only says `<hmac_sha256(payload_json,
//! webhook_secret)>`): surrounding whitespace is trimmed (proxies and header folding add
//! it), hex digits are accepted in either case (they encode the same bytes), and nothing
//! else is accepted: no `sha256=` prefix, no inner spaces, no base64. The comparison is
//! constant-time (`Mac::verify_slice`).

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rust_decimal::Decimal;
use sha2::Sha256;

use super::naira;
use super::outcome::vtu_status;
use super::wire::{parse_json, Json, Obj};
use crate::money::Money;
use crate::providers::{Delivery, OutcomeStatus, PurchaseOutcome};
use crate::secrets::Secret;

/// The VTU events RukkyStore documents; others are kept by name so a new event type is
/// acknowledged rather than bounced back for ever.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookEventKind {
    StatusChanged,
    Processing,
    Success,
    Failed,
    Other(String),
}

impl WebhookEventKind {
    fn parse(s: &str) -> Self {
        match s.trim() {
            "vtu.status_changed" => Self::StatusChanged,
            "vtu.processing" => Self::Processing,
            "vtu.success" => Self::Success,
            "vtu.failed" => Self::Failed,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// The `vtu` object of a webhook. Amounts carry no currency in the payload; RukkyStore
/// wallets are naira, so they are NGN.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WebhookVtu {
    pub id: Option<String>,
    pub trx: String,
    pub category: Option<String>,
    pub service_name: Option<String>,
    pub phone: Option<String>,
    pub amount: Option<Decimal>,
    pub base_amount: Option<Decimal>,
    pub profit_amount: Option<Decimal>,
    pub provider: Option<String>,
    pub provider_ref: Option<String>,
    /// As sent; see [`WebhookEvent::outcome`] for the mapped status.
    pub status: Option<String>,
    /// Raw JSON of `meta` (its shape is not documented).
    pub meta: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// A verified webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEvent {
    pub kind: WebhookEventKind,
    pub occurred_at: Option<DateTime<Utc>>,
    pub vtu: WebhookVtu,
}

impl WebhookEvent {
    /// What the event says about the order `vtu.trx`, for the same path a status query
    /// takes. `None` when neither the status nor the event name says anything known.
    pub fn outcome(&self) -> Option<PurchaseOutcome> {
        let status = self
            .vtu
            .status
            .as_deref()
            .and_then(vtu_status)
            .or(match self.kind {
                WebhookEventKind::Success => Some(OutcomeStatus::Succeeded),
                WebhookEventKind::Failed => Some(OutcomeStatus::Failed),
                WebhookEventKind::Processing => Some(OutcomeStatus::Pending),
                _ => None,
            })?;
        Some(PurchaseOutcome {
            status,
            provider_reference: Some(self.vtu.trx.clone()),
            charged: self
                .vtu
                .amount
                .filter(|_| status != OutcomeStatus::Failed)
                .map(|a| Money::new(a, naira())),
            balance_after: None,
            delivery: Delivery::default(),
            message: self
                .vtu
                .provider_ref
                .as_ref()
                .map(|r| format!("upstream reference {r}")),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("No RukkyStore webhook secret is stored. Copy it from Developer Portal into the account's Webhook secret field.")]
    NoSecret,
    #[error("The X-Webhook-Signature header is missing or not hex. The request was ignored; it did not come from RukkyStore as documented.")]
    MalformedSignature,
    #[error("The webhook signature does not match. The request was ignored: it was altered, or the stored webhook secret is not the one in Developer Portal.")]
    SignatureMismatch,
    #[error(
        "The webhook is signed correctly but cannot be read ({0}). Send the log file to support."
    )]
    BadPayload(String),
}

/// Checks the signature over the exact bytes received, then reads the payload.
pub fn verify_webhook(
    raw_body: &[u8],
    signature_header: &str,
    secret: &Secret,
) -> Result<WebhookEvent, WebhookError> {
    if secret.is_empty() {
        return Err(WebhookError::NoSecret);
    }
    let sig = signature_header.trim();
    if sig.is_empty() {
        return Err(WebhookError::MalformedSignature);
    }
    let expected = hex::decode(sig).map_err(|_| WebhookError::MalformedSignature)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose().as_bytes())
        .map_err(|_| WebhookError::NoSecret)?;
    mac.update(raw_body);
    mac.verify_slice(&expected)
        .map_err(|_| WebhookError::SignatureMismatch)?;
    parse_event(raw_body)
}

fn parse_event(raw_body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let text = std::str::from_utf8(raw_body)
        .map_err(|_| WebhookError::BadPayload("the body is not UTF-8".into()))?;
    let Json::Object(top) = parse_json(text).map_err(WebhookError::BadPayload)? else {
        return Err(WebhookError::BadPayload(
            "the body is not a JSON object".into(),
        ));
    };
    let kind = top
        .text(&["event"])
        .map(|e| WebhookEventKind::parse(&e))
        .ok_or_else(|| WebhookError::BadPayload("no event name".into()))?;
    let v = top
        .obj(&["vtu"])
        .ok_or_else(|| WebhookError::BadPayload("no vtu object".into()))?;
    let trx = v
        .text(&["trx"])
        .ok_or_else(|| WebhookError::BadPayload("the vtu has no trx".into()))?;
    let amount = |key: &str| -> Result<Option<Decimal>, WebhookError> {
        v.amount(&[key])
            .transpose()
            .map_err(|e| WebhookError::BadPayload(format!("{key}: {e}")))
    };
    Ok(WebhookEvent {
        kind,
        occurred_at: time(&top, "occurred_at"),
        vtu: WebhookVtu {
            id: v.text(&["id"]),
            trx,
            category: v.text(&["category"]),
            service_name: v.text(&["service_name"]),
            phone: v.text(&["phone"]),
            amount: amount("amount")?,
            base_amount: amount("base_amount")?,
            profit_amount: amount("profit_amount")?,
            provider: v.text(&["provider"]),
            provider_ref: v.text(&["provider_ref"]),
            status: v.text(&["status"]),
            meta: v.raw_json("meta"),
            created_at: time(&v, "created_at"),
            updated_at: time(&v, "updated_at"),
        },
    })
}

fn time(o: &Obj, key: &str) -> Option<DateTime<Utc>> {
    let t = o.text(&[key])?;
    DateTime::parse_from_rfc3339(&t)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}
