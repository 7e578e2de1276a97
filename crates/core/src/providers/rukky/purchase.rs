//! The form each purchase sends (fields in the document's order) and the checks that
//! refuse a purchase before anything leaves the machine.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::errors::refuse;
use super::naira;
use super::products::RukkyProduct;
use crate::providers::{ProviderError, PurchaseRequest};

/// A purchase's form fields after `action`, in the document's order (the PIN is added by
/// the caller, last, for VTU actions only).
pub(super) type Fields = Vec<(&'static str, String)>;

/// RukkyStore's samples use local numbers (`08012345678`); the app keeps E.164.
pub(super) fn local_phone(phone: &str) -> String {
    let p: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    let digits = p.strip_prefix('+').unwrap_or(&p);
    match digits.strip_prefix("234") {
        Some(rest) if rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()) => {
            format!("0{rest}")
        }
        _ => p,
    }
}

/// The request's PREPAID / POSTPAID wins over the product id's meter type. Sent lower
/// case, as our product ids spell it (the document names no values).
pub(super) fn meter_type_of(service_type: Option<&str>, from_id: &str) -> String {
    service_type
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(from_id)
        .to_ascii_lowercase()
}

/// The action and fields that buy `product` for `req`.
pub(super) fn fields(
    product: &RukkyProduct,
    req: &PurchaseRequest,
) -> Result<(&'static str, Fields), ProviderError> {
    let amount = || naira_amount(req);
    let recipient = || local_phone(&req.recipient);
    Ok(match product {
        RukkyProduct::Airtime { service_name } => (
            "vtu_airtime",
            vec![
                ("service_name", service_name.clone()),
                ("phone", recipient()),
                ("amount", amount()?),
            ],
        ),
        RukkyProduct::Data { plan_id } => (
            "vtu_data",
            vec![("plan_id", plan_id.clone()), ("phone", recipient())],
        ),
        RukkyProduct::Sme { plan_id } => (
            "vtu_sme",
            vec![("plan_id", plan_id.clone()), ("phone", recipient())],
        ),
        RukkyProduct::Cable { plan_id, .. } => {
            let plan = plan_id
                .clone()
                .or_else(|| req.product_code.clone())
                .ok_or_else(|| {
                    refuse(
                        "MISSING_PLAN",
                        "pick the bouquet to pay for, then try again",
                    )
                })?;
            (
                "vtu_cable",
                vec![
                    ("plan_id", plan),
                    ("customer_id", req.recipient.trim().to_owned()),
                    ("phone", customer_phone(req)?),
                ],
            )
        }
        RukkyProduct::Electricity {
            service_name,
            meter_type,
        } => (
            "vtu_electricity",
            vec![
                ("service_name", service_name.clone()),
                (
                    "meter_type",
                    meter_type_of(req.service_type.as_deref(), meter_type),
                ),
                ("meter_number", req.recipient.trim().to_owned()),
                ("phone", customer_phone(req)?),
                ("amount", amount()?),
            ],
        ),
        RukkyProduct::Education { .. } => (
            "vtu_education",
            vec![("phone", recipient()), ("amount", amount()?)],
        ),
        // One card per order: PurchaseRequest has no quantity, and one order per card
        // keeps each charge and its PIN on one ledger line.
        RukkyProduct::RechargeCard { network } => (
            "vtu_recharge_card",
            vec![
                ("card_network", network.clone()),
                ("value", amount()?),
                ("quantity", "1".to_owned()),
            ],
        ),
        RukkyProduct::Smm { service } => ("add", smm_fields(service, req)?),
    })
}

/// VTU amounts: naira, above zero, sent as written without trailing zeros (`3500`).
fn naira_amount(req: &PurchaseRequest) -> Result<String, ProviderError> {
    let a = &req.face_value;
    if a.currency != naira() {
        return Err(refuse(
            "CURRENCY",
            format!(
                "RukkyStore sells in NGN, not {}; enter the amount in naira",
                a.currency
            ),
        ));
    }
    if a.amount <= Decimal::ZERO {
        return Err(refuse(
            "INVALID_AMOUNT",
            "the amount must be more than zero",
        ));
    }
    Ok(a.amount.normalize().to_string())
}

/// Cable and electricity send the smartcard / meter as the recipient, so the customer's
/// phone comes from `req.phone`.
fn customer_phone(req: &PurchaseRequest) -> Result<String, ProviderError> {
    req.phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(local_phone)
        .ok_or_else(|| {
            refuse(
                "MISSING_PHONE",
                "RukkyStore needs the customer's phone number for cable and electricity; \
                 enter it and try again",
            )
        })
}

/// SMM `add`: the link is the recipient and the quantity travels as the face value's
/// amount (units, not money), which must be a whole number.
fn smm_fields(service: &str, req: &PurchaseRequest) -> Result<Fields, ProviderError> {
    let q = req.face_value.amount;
    let quantity = q
        .is_integer()
        .then(|| q.to_u64())
        .flatten()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            refuse(
                "INVALID_QUANTITY",
                format!("the quantity {q} is not a whole number above zero"),
            )
        })?;
    let link = req.recipient.trim();
    if link.is_empty() {
        return Err(refuse(
            "MISSING_LINK",
            "enter the link the SMM order is for",
        ));
    }
    Ok(vec![
        ("service", service.to_owned()),
        ("link", link.to_owned()),
        ("quantity", quantity.to_string()),
    ])
}
