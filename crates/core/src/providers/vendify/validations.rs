//! Utility validations (`POST validations`): checks a smartcard or meter number and lists
//! the bouquets it can buy. Products whose code is `USE_VALIDATION_PRODUCT_CODE` are bought
//! with a `productCode` from this list.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::envelope::Answer;
use super::wire::{de_lenient, de_opt_count, de_opt_flag, de_opt_text};
use super::{numeric_id, refused, Call, VendifyClient, KIND};
use crate::money::Money;
use crate::providers::http::{HttpClient, Safety};
use crate::providers::{AccountValidation, ProductOption, ProviderError, ValidateRequest};

/// A `POST validations` request: the product id, or the service/brand/type triple.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationQuery {
    pub unique_account_id: String,
    pub product_id: Option<String>,
    pub service_code: Option<String>,
    pub brand_code: Option<String>,
    /// PREPAID or POSTPAID for utilities.
    pub service_type: Option<String>,
}

/// One bouquet or plan a validated account can buy, priced in the product's currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationOption {
    pub product_code: String,
    pub product_name: String,
    pub months: Option<u32>,
    pub value: Decimal,
}

/// Vendify's answer to a validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    pub valid: bool,
    pub product_id: Option<String>,
    pub provider_id: Option<String>,
    pub account_name: Option<String>,
    pub unique_account_id: Option<String>,
    pub brand_code: Option<String>,
    pub product_code: Option<String>,
    pub status: Option<String>,
    pub message: Option<String>,
    pub transaction_reference: Option<String>,
    pub options: Vec<ValidationOption>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ValidationBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    service_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    product_id: Option<u64>,
    unique_account_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    brand_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_type: Option<&'a str>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireValidation {
    #[serde(default, deserialize_with = "de_opt_text")]
    product_id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    provider_id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    message: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    account_name: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    unique_account_id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    brand_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    product_code: Option<String>,
    #[serde(default, deserialize_with = "de_lenient")]
    product_options: Option<Vec<WireOption>>,
    #[serde(default, deserialize_with = "de_opt_text")]
    transaction_reference: Option<String>,
    #[serde(default, deserialize_with = "de_opt_flag")]
    validated: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireOption {
    #[serde(default, deserialize_with = "de_opt_text")]
    product_name: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    product_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_count")]
    no_of_months: Option<u64>,
    // The price a bouquet is bought at: read strictly, an unreadable one is no option.
    #[serde(default, deserialize_with = "crate::money::de_opt_amount")]
    value: Option<Decimal>,
}

pub(super) fn parse_validation(
    http: &HttpClient,
    answer: &Answer,
) -> Result<Validation, ProviderError> {
    let w: WireValidation = answer.parse(http, "validation")?;
    let status_ok = w
        .status
        .as_deref()
        .is_some_and(|s| s == "200" || s.eq_ignore_ascii_case("successful"));
    Ok(Validation {
        valid: w.validated.unwrap_or(status_ok),
        options: w
            .product_options
            .unwrap_or_default()
            .into_iter()
            .filter_map(|o| {
                let product_code = o.product_code?;
                Some(ValidationOption {
                    product_name: o.product_name.unwrap_or_else(|| product_code.clone()),
                    product_code,
                    months: o.no_of_months.and_then(|m| u32::try_from(m).ok()),
                    value: o.value?,
                })
            })
            .collect(),
        product_id: w.product_id,
        provider_id: w.provider_id,
        account_name: w.account_name,
        unique_account_id: w.unique_account_id,
        brand_code: w.brand_code,
        product_code: w.product_code,
        status: w.status,
        message: w.message,
        transaction_reference: w.transaction_reference,
    })
}

impl VendifyClient {
    /// `POST validations`: checks an account number and lists what it can buy.
    pub async fn validate(&self, q: &ValidationQuery) -> Result<Validation, ProviderError> {
        let product_id = match q
            .product_id
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(p) => Some(numeric_id(p, "product id")?),
            None => None,
        };
        let body = ValidationBody {
            service_code: q.service_code.as_deref(),
            product_id,
            unique_account_id: q.unique_account_id.trim(),
            brand_code: q.brand_code.as_deref(),
            service_type: q.service_type.as_deref(),
        };
        let text = serde_json::to_string(&body)
            .map_err(|e| refused(format!("the validation cannot be written: {e}"), "INTERNAL"))?;
        // A validation looks up an account and changes nothing: safe to repeat.
        let call = Call::with_body(
            reqwest::Method::POST,
            self.endpoint(&["validations"]),
            text,
            Safety::Idempotent,
        )
        .wallet(self.wallet(None));
        let a = self.fetch(&call).await?;
        parse_validation(&self.http, &a)
    }

    /// The trait's validation. Option prices come without a currency: they are in the
    /// product's face currency, read from the product itself.
    pub(super) async fn account_validation(
        &self,
        req: &ValidateRequest,
    ) -> Result<AccountValidation, ProviderError> {
        let q = ValidationQuery {
            unique_account_id: req.account_number.clone(),
            product_id: Some(req.product_id.clone()),
            service_type: req.service_type.clone(),
            ..ValidationQuery::default()
        };
        let v = match self.validate(&q).await {
            Ok(v) => v,
            // Vendify refuses an unknown smartcard or meter number: that is an answer.
            Err(ProviderError::Rejected { message, .. })
            | Err(ProviderError::NotFound { what: message, .. }) => {
                return Ok(AccountValidation {
                    valid: false,
                    account_name: None,
                    options: vec![],
                    message: Some(message),
                })
            }
            Err(e) => return Err(e),
        };
        let options = if v.options.is_empty() {
            vec![]
        } else {
            let product = self
                .product_details(v.product_id.as_deref().unwrap_or(&req.product_id), None)
                .await?;
            let currency = product
                .denominations
                .first()
                .map(|d| d.currency.clone())
                .or_else(|| product.face_value.map(|m| m.currency))
                .ok_or_else(|| ProviderError::BadResponse {
                    provider: KIND,
                    reason: format!(
                        "product {} has no currency, so the validation's prices cannot be read",
                        product.id
                    ),
                    body: None,
                })?;
            v.options
                .iter()
                .map(|o| ProductOption {
                    code: o.product_code.clone(),
                    name: o.product_name.clone(),
                    price: Money::new(o.value, currency.clone()),
                    months: o.months,
                })
                .collect()
        };
        Ok(AccountValidation {
            valid: v.valid,
            account_name: v.account_name,
            options,
            message: v.message,
        })
    }
}
