//! `vtu_cable_verify` / `vtu_electricity_verify`: the calls and their answers as
//! `AccountValidation`.
//!
//! The document lists the calls but shows no answer. The customer's name is read from the
//! usual keys at the top level or inside `data` / `content` / `details` / `customer`;
//! `status` (success / failed, true / false) decides validity when present, otherwise a
//! name means valid.

use super::products::RukkyProduct;
use super::purchase::meter_type_of;
use super::wire::{Json, Obj};
use super::{RukkyClient, KIND};
use crate::providers::http::{HttpClient, Safety};
use crate::providers::{AccountValidation, ProductOption, ProviderError, ValidateRequest};

const NAME_KEYS: &[&str] = &[
    "customer_name",
    "Customer_Name",
    "name",
    "account_name",
    "customerName",
    "full_name",
];
const NESTED: &[&str] = &["data", "content", "details", "customer", "result"];

pub(super) fn account(http: &HttpClient, json: &Json) -> Result<AccountValidation, ProviderError> {
    let Json::Object(top) = json else {
        return Err(ProviderError::BadResponse {
            provider: KIND,
            reason: "the verification answer is not a JSON object".into(),
            body: None,
        });
    };
    let inner = top.obj(NESTED);
    let find = |keys: &[&str]| {
        top.text(keys)
            .or_else(|| inner.as_ref().and_then(|i| i.text(keys)))
    };
    let name = find(NAME_KEYS).map(|n| http.scrub(&n));
    let message = find(&["message", "msg"]).map(|m| http.scrub(&m));
    let valid = match status_says(top).or_else(|| inner.as_ref().and_then(status_says)) {
        Some(v) => v,
        None => name.is_some(),
    };
    Ok(AccountValidation {
        valid,
        account_name: name.filter(|_| valid),
        options: Vec::new(),
        message,
    })
}

fn status_says(o: &Obj) -> Option<bool> {
    let s = o.text(&["status", "valid", "success"])?;
    match s.to_ascii_lowercase().as_str() {
        "success" | "successful" | "true" | "1" | "ok" | "valid" => Some(true),
        "failed" | "fail" | "false" | "0" | "error" | "invalid" => Some(false),
        _ => None,
    }
}

/// A refusal that means "this number is not valid" rather than a problem with the key,
/// the balance or the service: field errors (422) and unrecognised messages.
pub(super) fn is_invalid_number(e: &ProviderError) -> bool {
    matches!(e, ProviderError::Rejected { code, .. }
        if code.is_none() || code.as_deref() == Some("VALIDATION"))
        || matches!(e, ProviderError::NotFound { .. })
}

impl RukkyClient {
    /// `vtu_cable_verify` / `vtu_electricity_verify`. A valid smartcard also lists the
    /// service's bouquets as options (their codes are plan ids for `product_code`).
    pub(super) async fn verify_account(
        &self,
        req: &ValidateRequest,
    ) -> Result<AccountValidation, ProviderError> {
        let number = req.account_number.trim();
        let (answer, cable) = match RukkyProduct::parse(&req.product_id)? {
            RukkyProduct::Cable { service_id, .. } => {
                let fields = [("service_id", service_id.as_str()), ("customer_id", number)];
                (
                    self.call(Safety::Idempotent, "vtu_cable_verify", &fields)
                        .await,
                    Some(service_id),
                )
            }
            RukkyProduct::Electricity {
                service_name,
                meter_type,
            } => {
                let meter = meter_type_of(req.service_type.as_deref(), &meter_type);
                let fields = [
                    ("service_name", service_name.as_str()),
                    ("meter_type", meter.as_str()),
                    ("meter_number", number),
                ];
                (
                    self.call(Safety::Idempotent, "vtu_electricity_verify", &fields)
                        .await,
                    None,
                )
            }
            _ => {
                return Err(ProviderError::Unsupported {
                    provider: KIND,
                    capability: "account validation for this product (only cable smartcards and \
                                 electricity meters are verified)",
                })
            }
        };
        let mut result = match answer {
            Ok((_, json)) => account(&self.http, &json)?,
            Err(e) if is_invalid_number(&e) => {
                let message = match &e {
                    ProviderError::Rejected { message, .. } => message.clone(),
                    other => other.to_string(),
                };
                return Ok(AccountValidation {
                    valid: false,
                    account_name: None,
                    options: Vec::new(),
                    message: Some(message),
                });
            }
            Err(e) => return Err(e),
        };
        if let (true, Some(service_id)) = (result.valid, cable) {
            // Best effort: the bouquets are also in the catalogue.
            match self.cable_plans(&service_id).await {
                Ok(plans) => {
                    result.options = plans
                        .into_iter()
                        .filter_map(|p| {
                            Some(ProductOption {
                                code: p.code?,
                                name: p.name,
                                price: p.cost?,
                                months: None,
                            })
                        })
                        .collect();
                }
                Err(e) => {
                    tracing::warn!(provider = %KIND, error = %e, "no bouquets for the smartcard")
                }
            }
        }
        Ok(result)
    }
}
