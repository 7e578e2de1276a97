//! Sold vouchers: resend one to its buyer and beneficiary (`Voucher/Details/{ref}`), and
//! change where it is delivered (`PATCH Voucher/UpdateDelivery`, an elevated action that
//! emails the company's administrator). Both are sent once: a retry would send the customer
//! or the administrator a second message.

use serde::{Deserialize, Serialize};

use super::envelope::Answer;
use super::wire::{de_opt_flag, de_opt_text};
use super::{refused, Call, VendifyClient, KIND};
use crate::providers::http::{HttpClient, Safety};
use crate::providers::ProviderError;

/// Vendify resent the voucher by email and SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherResend {
    /// The masked code (`XCJ*********UYV`); the real one went to the customer.
    pub masked_code: Option<String>,
    pub message: Option<String>,
    pub expiration_date: Option<String>,
}

/// New delivery details for a sold voucher; at least one must be given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beneficiary_email: Option<String>,
    /// International format; the voucher PIN is sent to this number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beneficiary_telephone: Option<String>,
    pub transaction_reference: String,
}

/// Vendify updated the delivery details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryUpdated {
    pub masked_code: Option<String>,
    pub message: Option<String>,
    pub expiration_date: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireVoucher {
    #[serde(default, deserialize_with = "de_opt_flag")]
    status: Option<bool>,
    #[serde(default, deserialize_with = "de_opt_text")]
    code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    voucher_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    description: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    request_response: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    expiration_date: Option<String>,
}

impl WireVoucher {
    /// `status` 1 is done, 0 refused; an answer without it is not trusted as done.
    fn check(&self, what: &str) -> Result<(), ProviderError> {
        let message = self
            .description
            .clone()
            .or_else(|| self.request_response.clone());
        match self.status {
            Some(true) => Ok(()),
            Some(false) => Err(ProviderError::Rejected {
                provider: KIND,
                message: message.unwrap_or_else(|| format!("the {what} was refused")),
                code: Some("STATUS_0".to_owned()),
                body: None,
            }),
            None => Err(ProviderError::bad_response(
                KIND,
                format!("the {what} answer has no status"),
            )),
        }
    }
}

pub(super) fn parse_resend(
    http: &HttpClient,
    answer: &Answer,
) -> Result<VoucherResend, ProviderError> {
    let w: WireVoucher = answer.parse(http, "voucher resend")?;
    w.check("voucher resend")?;
    Ok(VoucherResend {
        masked_code: w.code.or(w.voucher_code),
        message: w.description.or(w.request_response),
        expiration_date: w.expiration_date,
    })
}

pub(super) fn parse_update(
    http: &HttpClient,
    answer: &Answer,
) -> Result<DeliveryUpdated, ProviderError> {
    let w: WireVoucher = answer.parse(http, "delivery update")?;
    w.check("delivery update")?;
    Ok(DeliveryUpdated {
        masked_code: w.voucher_code.or(w.code),
        message: w.request_response.or(w.description),
        expiration_date: w.expiration_date,
    })
}

impl VendifyClient {
    /// Resends a sold voucher to its buyer and beneficiary by email and SMS.
    pub async fn resend_voucher(
        &self,
        transaction_reference: &str,
    ) -> Result<VoucherResend, ProviderError> {
        let reference = transaction_reference.trim();
        if reference.is_empty() {
            return Err(refused("no transaction reference given", "NO_REFERENCE"));
        }
        let mut call = Call::get(self.endpoint(&["Voucher", "Details", reference]));
        call.safety = Safety::SendOnce;
        let a = self.fetch(&call).await?;
        parse_resend(&self.http, &a)
    }

    /// Changes the email addresses and phone a sold voucher is delivered to.
    pub async fn update_delivery(
        &self,
        update: &DeliveryUpdate,
    ) -> Result<DeliveryUpdated, ProviderError> {
        if update.transaction_reference.trim().is_empty() {
            return Err(refused("no transaction reference given", "NO_REFERENCE"));
        }
        if update.buyer_email.is_none()
            && update.beneficiary_email.is_none()
            && update.beneficiary_telephone.is_none()
        {
            return Err(refused(
                "nothing to update: give a new email address or phone number",
                "NOTHING_TO_UPDATE",
            ));
        }
        let body =
            serde_json::to_string(update).map_err(|e| ProviderError::bad_response(KIND, e))?;
        let call = Call::with_body(
            reqwest::Method::PATCH,
            self.endpoint(&["Voucher", "UpdateDelivery"]),
            body,
            Safety::SendOnce,
        );
        let a = self.fetch(&call).await?;
        parse_update(&self.http, &a)
    }
}
