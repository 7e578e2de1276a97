//! The `process-transfer` body built from an order, and the refusals made before sending:
//! what RukaPay would refuse anyway never leaves the machine.

use super::products::{self, Service, Target};
use super::wire::TransferBody;
use super::{RukaPayClient, KIND};
use crate::providers::{ProviderError, PurchaseRequest};

/// A transfer we refuse before sending: nothing left the machine.
fn not_sent(code: &str, message: String) -> ProviderError {
    ProviderError::Rejected {
        provider: KIND,
        message: format!("{message} (nothing was sent)"),
        code: Some(code.to_owned()),
        body: None,
    }
}

impl RukaPayClient {
    /// The body fields that say where money goes, for a transfer or a validation.
    pub(super) fn destination(
        &self,
        target: &Target,
        recipient: &str,
    ) -> Result<(TransferBody, String), ProviderError> {
        let mut body = TransferBody {
            transaction_mode: self.modes.mode(target.service).to_owned(),
            currency: "UGX".to_owned(),
            ..TransferBody::default()
        };
        let shown = if target.service.to_phone() {
            let msisdn = products::to_msisdn(recipient).ok_or_else(|| {
                not_sent(
                    "INVALID_PHONE_NUMBER",
                    format!(
                        "\"{}\" is not a Ugandan mobile number: write it as +256XXXXXXXXX",
                        recipient.trim()
                    ),
                )
            })?;
            body.phone_number = Some(msisdn.clone());
            body.mno_provider = Some(target.code.clone());
            msisdn
        } else {
            let account = recipient.trim();
            if account.is_empty() {
                return Err(not_sent(
                    "INVALID_ACCOUNT_NUMBER",
                    "the account number is empty".to_owned(),
                ));
            }
            body.account_number = Some(account.to_owned());
            match target.service {
                Service::BankSend => body.bank_code = Some(target.code.clone()),
                _ => body.biller_code = Some(target.code.clone()),
            }
            account.to_owned()
        };
        Ok((body, shown))
    }

    pub(super) fn target(product_id: &str) -> Result<Target, ProviderError> {
        products::parse_product_id(product_id).ok_or_else(|| {
            not_sent(
                "UNKNOWN_PRODUCT",
                format!("\"{product_id}\" is not a RukaPay product: use one like mno-send:MTN, airtime:AIRTEL, bank:STANBIC or bill:UMEME"),
            )
        })
    }

    /// The process-transfer body for an order, refusing before sending what RukaPay would
    /// refuse anyway (amount under UGX 100, a number not in 256XXXXXXXXX form).
    pub(super) fn transfer_body(
        &self,
        req: &PurchaseRequest,
    ) -> Result<TransferBody, ProviderError> {
        let target = Self::target(&req.product_id)?;
        let amount =
            products::whole_ugx(&req.face_value).map_err(|m| not_sent("INVALID_AMOUNT", m))?;
        if req.reference.trim().is_empty() {
            return Err(not_sent(
                "MISSING_REFERENCE",
                "the order has no reference".to_owned(),
            ));
        }
        if target.service == Service::MnoCollect && self.callback_url.is_none() {
            return Err(not_sent(
                "CALLBACK_URL_REQUIRED",
                "RukaPay requires a callback URL for collections: add one to the account in Providers".to_owned(),
            ));
        }
        let (mut body, shown) = self.destination(&target, &req.recipient)?;
        let name = req
            .account_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        match target.service {
            Service::MnoSend | Service::Airtime => body.recipient_name = name,
            Service::BankSend => body.account_name = name,
            Service::MnoCollect | Service::BillPayment => {}
        }
        body.amount = Some(amount);
        body.narration = Some(products::narration(&target, &shown));
        body.partner_reference = Some(req.reference.clone());
        // The order's wallet when it names one (the pipeline always does: the ledger holds
        // the money against it), else the account's; RukaPay's own default is ESCROW.
        body.wallet_type = match req.wallet_id.as_deref() {
            Some(w) => Some(
                super::wallet_type(w).map_err(|m| not_sent(super::errors::UNKNOWN_WALLET, m))?,
            ),
            None => self.wallet_type.clone(),
        };
        body.callback_url = self.callback_url.clone();
        Ok(body)
    }
}
