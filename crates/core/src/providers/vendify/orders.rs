//! Orders and order status. A purchase is `POST orders` with `faceValue` (the face value in
//! the product's currency) and `value` 0, as the document recommends; it is sent once with
//! the nonce the ledger committed, so a lost answer is found again by `order/status?x-nonce=`.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::catalogue::VALIDATION_PLACEHOLDER;
use super::envelope::Answer;
use super::wire::{de_lenient_amount, de_opt_text, money, url_or_none};
use super::{numeric_id, refused, Call, VendifyClient, KIND};
use crate::providers::http::{HttpClient, Safety};
use crate::providers::{
    Delivery, EsimDelivery, OutcomeStatus, ProviderError, PurchaseOutcome, PurchaseRequest,
    StatusLookup,
};

/// `accountTelephone` is "in international format": spaces and dashes dropped, a Nigerian
/// local number (`08031234567`, the utilities' country) written `+2348031234567`.
fn international_phone(phone: &str) -> String {
    let p: String = phone
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    match p.strip_prefix('0') {
        Some(rest) if rest.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()) => {
            format!("+234{rest}")
        }
        _ => p,
    }
}

/// Vendify's limit on `customerReference`.
pub const MAX_CUSTOMER_REFERENCE: usize = 50;

/// Which of the two documented forms of the status query to use. Both answer alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusVia {
    /// `GET order/status?transactionReference=…` or `?x-nonce=…`.
    Get,
    /// `POST order/status` with `{"transactionReference": …}` or `{"x-nonce": …}`.
    Post,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderBody<'a> {
    product_id: u64,
    provider_id: u64,
    /// Always 0: the document forbids sending both `value` and `faceValue`.
    value: u8,
    /// The exact decimal text, never a float.
    face_value: Box<RawValue>,
    wallet_id: &'a str,
    unique_account_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    product_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    account_telephone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    beneficiary_email: Option<&'a str>,
    customer_reference: &'a str,
}

/// The `response` of `POST orders` and of `order/status`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireOrder {
    #[serde(default, deserialize_with = "de_opt_text")]
    response_status: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    order_status: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    response_message: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    request_comment: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    transaction_reference: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    voucher_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    redemption_url: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    redemption_info: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    qr_code_data: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    expiration_date: Option<String>,
    #[serde(default, deserialize_with = "de_lenient_amount")]
    product_cost: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    product_cost_currency_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    android_install_url: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    ios_install_url: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    e_sim_data_usage_url: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    iccid: Option<String>,
}

/// Maps a status word. Only the documented words are known; anything else leaves the order
/// unknown (never failed), to be asked again.
pub fn outcome_status(word: &str) -> Result<OutcomeStatus, ProviderError> {
    match word.trim().to_ascii_uppercase().as_str() {
        // "SUCCESSFUL" is how the sandbox section words it.
        "SUCCESS" | "SUCCESSFUL" => Ok(OutcomeStatus::Succeeded),
        "PENDING" => Ok(OutcomeStatus::Pending),
        "FAILED" => Ok(OutcomeStatus::Failed),
        other => Err(ProviderError::BadResponse {
            provider: KIND,
            reason: format!(
                "unknown order status \"{other}\"; the order's outcome stays unknown until its status is checked again"
            ),
            body: None,
        }),
    }
}

impl WireOrder {
    /// `orderStatus` (the order's own state) wins over `responseStatus` (which, in a status
    /// answer, may only say the query itself worked).
    fn status(&self, http: &HttpClient, raw: &str) -> Result<OutcomeStatus, ProviderError> {
        let word = self
            .order_status
            .as_deref()
            .or(self.response_status.as_deref())
            .ok_or_else(|| ProviderError::BadResponse {
                provider: KIND,
                reason: "the order answer has no responseStatus; its outcome is unknown".to_owned(),
                body: http.keep_body(raw),
            })?;
        outcome_status(word).map_err(|e| match e {
            ProviderError::BadResponse {
                provider, reason, ..
            } => ProviderError::BadResponse {
                provider,
                reason,
                body: http.keep_body(raw),
            },
            other => other,
        })
    }

    fn delivery(&self) -> Delivery {
        let qr = self.qr_code_data.clone();
        let lpa = qr
            .as_deref()
            .filter(|q| q.to_ascii_uppercase().starts_with("LPA:"));
        let usage_url = url_or_none(self.e_sim_data_usage_url.clone());
        let is_esim = lpa.is_some()
            || self.android_install_url.is_some()
            || self.ios_install_url.is_some()
            || usage_url.is_some();
        Delivery {
            voucher_code: self.voucher_code.clone(),
            redemption_url: url_or_none(self.redemption_url.clone()),
            redemption_info: self.redemption_info.clone(),
            qr_code_data: qr.clone(),
            expiration_date: self.expiration_date.clone(),
            esim: is_esim.then(|| EsimDelivery {
                // On an eSIM order the QR code data is the activation code (`LPA:1$...`).
                activation_code: qr.clone(),
                // The usage link carries the ICCID (`esimbalance.aspx?iccid=…`).
                iccid: self
                    .iccid
                    .clone()
                    .or_else(|| usage_url.as_deref().and_then(iccid_from_url)),
                android_install_url: url_or_none(self.android_install_url.clone()),
                ios_install_url: url_or_none(self.ios_install_url.clone()),
                usage_url,
            }),
            ..Delivery::default()
        }
    }

    fn into_outcome(self, status: OutcomeStatus) -> PurchaseOutcome {
        let charged = if status == OutcomeStatus::Failed {
            None
        } else {
            money(
                self.product_cost,
                self.product_cost_currency_code.as_deref(),
            )
        };
        PurchaseOutcome {
            status,
            delivery: self.delivery(),
            provider_reference: self.transaction_reference,
            charged,
            balance_after: None,
            message: self.response_message.or(self.request_comment),
        }
    }
}

fn iccid_from_url(u: &str) -> Option<String> {
    let url = url::Url::parse(u).ok()?;
    let found = url
        .query_pairs()
        .find(|(k, _)| k.eq_ignore_ascii_case("iccid"));
    found.map(|(_, v)| v.into_owned()).filter(|v| !v.is_empty())
}

/// Reads a purchase answer.
pub(super) fn parse_order(
    http: &HttpClient,
    answer: &Answer,
) -> Result<PurchaseOutcome, ProviderError> {
    let raw = answer.require(http, "order")?.get().to_owned();
    let wire: WireOrder = answer.parse(http, "order")?;
    let status = wire.status(http, &raw)?;
    let message = wire.response_message.clone().unwrap_or_default();
    if status == OutcomeStatus::Failed && message.to_ascii_lowercase().contains("insufficient") {
        // A definite refusal the UI acts on (top up), not a generic failure.
        return Err(ProviderError::InsufficientBalance {
            provider: KIND,
            message,
        });
    }
    Ok(wire.into_outcome(status))
}

/// Reads a status answer for the order looked up by `key`.
pub(super) fn parse_status(
    http: &HttpClient,
    answer: &Answer,
    key: &str,
) -> Result<PurchaseOutcome, ProviderError> {
    let raw = answer.require(http, "order status")?.get().to_owned();
    let wire: WireOrder = answer.parse(http, "order status")?;
    // "FAILED" with no order behind it (no orderStatus, no transactionReference) is the
    // query failing, not the order: reporting it as a failed order could release money
    // for an order that went through.
    if wire.order_status.is_none()
        && wire.transaction_reference.is_none()
        && wire
            .response_status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("FAILED"))
    {
        let why = wire
            .response_message
            .or(wire.request_comment)
            .unwrap_or_else(|| "no such order".to_owned());
        return Err(ProviderError::NotFound {
            provider: KIND,
            what: format!("the order {key} ({why})"),
        });
    }
    let status = wire.status(http, &raw)?;
    Ok(wire.into_outcome(status))
}

impl VendifyClient {
    /// The order body, or a refusal before anything is sent.
    fn order_body(&self, req: &PurchaseRequest) -> Result<(String, String), ProviderError> {
        if req.nonce.trim().is_empty() {
            return Err(refused(
                "the order has no nonce; it cannot be sent or traced",
                "NO_NONCE",
            ));
        }
        if req.reference.chars().count() > MAX_CUSTOMER_REFERENCE {
            return Err(refused(
                format!("our reference is longer than Vendify's {MAX_CUSTOMER_REFERENCE}-character customerReference"),
                "REFERENCE_TOO_LONG",
            ));
        }
        if req.face_value.amount <= Decimal::ZERO {
            return Err(refused(
                "the face value must be more than zero",
                "INVALID_AMOUNT",
            ));
        }
        let code = req
            .product_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if code.is_some_and(|c| c.eq_ignore_ascii_case(VALIDATION_PLACEHOLDER)) {
            return Err(refused(
                "this product must be validated first: validate the account number and buy one of the options it lists",
                "VALIDATION_REQUIRED",
            ));
        }
        let provider = req.provider_ref.as_deref().ok_or_else(|| {
            refused(
                "the product has no Vendify providerId; reload the catalogue and pick it again",
                "NO_PROVIDER",
            )
        })?;
        let wallet = self.wallet(req.wallet_id.as_deref()).ok_or_else(|| {
            refused(
                "no paying wallet: choose a wallet for the order or set the account's Wallet ID",
                "NO_WALLET",
            )
        })?;
        let face_value = RawValue::from_string(req.face_value.amount.to_string()).map_err(|e| {
            refused(
                format!("the face value cannot be written: {e}"),
                "INVALID_AMOUNT",
            )
        })?;
        let telephone = req.phone.as_deref().map(international_phone);
        let body = OrderBody {
            product_id: numeric_id(&req.product_id, "product id")?,
            provider_id: numeric_id(provider, "providerId")?,
            value: 0,
            face_value,
            wallet_id: wallet,
            unique_account_id: req.recipient.trim(),
            product_code: code,
            account_name: req.account_name.as_deref(),
            account_telephone: telephone.as_deref(),
            beneficiary_email: req.email.as_deref(),
            customer_reference: &req.reference,
        };
        let json = serde_json::to_string(&body)
            .map_err(|e| refused(format!("the order cannot be written: {e}"), "INTERNAL"))?;
        Ok((json, wallet.to_owned()))
    }

    pub(super) async fn place_order(
        &self,
        req: &PurchaseRequest,
    ) -> Result<PurchaseOutcome, ProviderError> {
        let (body, wallet) = self.order_body(req)?;
        let mut call = Call::with_body(
            reqwest::Method::POST,
            self.endpoint(&["orders"]),
            body,
            Safety::SendOnce,
        );
        // X-Wallet-Id must equal the body's walletId; X-Nonce is the committed nonce.
        call.wallet = Some(&wallet);
        call.nonce = Some(&req.nonce);
        let a = self.fetch(&call).await?;
        parse_order(&self.http, &a)
    }

    /// The order's state, by Vendify's transaction reference when we have it, else by the
    /// X-Nonce it was sent with.
    pub async fn order_status(
        &self,
        lookup: &StatusLookup,
        via: StatusVia,
    ) -> Result<PurchaseOutcome, ProviderError> {
        let by_reference = lookup
            .provider_reference
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        let (key, value) =
            match by_reference {
                Some(r) => ("transactionReference", r),
                None if !lookup.nonce.trim().is_empty() => ("x-nonce", lookup.nonce.trim()),
                None => return Err(refused(
                    "the order has neither a transaction reference nor a nonce to look it up by",
                    "NO_KEY",
                )),
            };
        let url = self.endpoint(&["order", "status"]);
        let call = match via {
            StatusVia::Get => Call::get(url).query(key, value),
            StatusVia::Post => {
                let mut body = serde_json::Map::new();
                body.insert(key.to_owned(), serde_json::Value::String(value.to_owned()));
                let text = serde_json::Value::Object(body).to_string();
                // A status query changes nothing: safe to repeat.
                Call::with_body(reqwest::Method::POST, url, text, Safety::Idempotent)
            }
        };
        let a = self.fetch(&call.wallet(self.wallet(None))).await?;
        parse_status(&self.http, &a, &format!("with {key} {value}"))
    }
}
