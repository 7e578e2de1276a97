//! RukaPay's products: a fixed list (the Gateway API has no catalogue call), the transfer
//! modes behind them, and the checks a transfer must pass before anything is sent.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::money::{Currency, Money};
use crate::providers::{Denomination, DenominationKind, ExtraField, Product};

/// Documented mode: pay out to a mobile money wallet.
pub const MODE_SEND_MNO: &str = "PARTNER_SEND_MNO";
/// Documented mode: pull money from a customer's mobile money wallet (needs a callback URL).
pub const MODE_COLLECT_MNO: &str = "PARTNER_COLLECT_MNO";
// The document describes request fields for airtime, bank sends and bill payments but names
// only the two MNO mode codes. These three are our inference from that naming pattern; each
// can be replaced per account with the settings `mode_airtime`, `mode_bank_send` and
// `mode_bill_payment` once RukaPay confirms the real codes.
/// Inferred, configurable (`mode_airtime`).
pub const DEFAULT_MODE_AIRTIME: &str = "PARTNER_AIRTIME";
/// Inferred, configurable (`mode_bank_send`).
pub const DEFAULT_MODE_BANK_SEND: &str = "PARTNER_SEND_BANK";
/// Inferred, configurable (`mode_bill_payment`).
pub const DEFAULT_MODE_BILL_PAYMENT: &str = "PARTNER_BILL_PAYMENT";

/// "Amount in UGX (minimum 100)."
pub const MIN_AMOUNT_UGX: i64 = 100;
/// The document gives no maximum. This cap exists only so that the shared range check has an
/// upper end and a mistyped amount with extra zeros is caught; RukaPay enforces real limits.
pub const MAX_AMOUNT_UGX: i64 = 100_000_000;

/// What kind of transfer a product is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    MnoSend,
    MnoCollect,
    Airtime,
    BankSend,
    BillPayment,
}

impl Service {
    fn prefix(self) -> &'static str {
        match self {
            Service::MnoSend => "mno-send",
            Service::MnoCollect => "mno-collect",
            Service::Airtime => "airtime",
            Service::BankSend => "bank",
            Service::BillPayment => "bill",
        }
    }
    /// Whether the recipient is a phone number (the rest take an account number).
    pub fn to_phone(self) -> bool {
        matches!(
            self,
            Service::MnoSend | Service::MnoCollect | Service::Airtime
        )
    }
}

/// A product id taken apart: `mno-send:MTN`, `bank:STANBIC`, `bill:UMEME`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub service: Service,
    /// The network (MTN, AIRTEL), bank code or biller code, upper case.
    pub code: String,
}

/// The transfer modes an account sends, the inferred ones overridable in its settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modes {
    pub airtime: String,
    pub bank_send: String,
    pub bill_payment: String,
}

impl Default for Modes {
    fn default() -> Self {
        Self {
            airtime: DEFAULT_MODE_AIRTIME.to_owned(),
            bank_send: DEFAULT_MODE_BANK_SEND.to_owned(),
            bill_payment: DEFAULT_MODE_BILL_PAYMENT.to_owned(),
        }
    }
}

impl Modes {
    pub fn mode(&self, service: Service) -> &str {
        match service {
            Service::MnoSend => MODE_SEND_MNO,
            Service::MnoCollect => MODE_COLLECT_MNO,
            Service::Airtime => &self.airtime,
            Service::BankSend => &self.bank_send,
            Service::BillPayment => &self.bill_payment,
        }
    }
}

const NETWORKS: [&str; 2] = ["MTN", "AIRTEL"];

/// Reads a product id. Banks and billers are open lists (any code RukaPay knows works);
/// networks are the two the document names.
pub fn parse_product_id(id: &str) -> Option<Target> {
    let (prefix, code) = id.trim().split_once(':')?;
    let service = [
        Service::MnoSend,
        Service::MnoCollect,
        Service::Airtime,
        Service::BankSend,
        Service::BillPayment,
    ]
    .into_iter()
    .find(|s| s.prefix().eq_ignore_ascii_case(prefix.trim()))?;
    let code = code.trim().to_ascii_uppercase();
    let code_ok = !code.is_empty()
        && code.len() <= 32
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !code_ok || (service.to_phone() && !NETWORKS.contains(&code.as_str())) {
        return None;
    }
    Some(Target { service, code })
}

/// Turns an E.164 Ugandan number (`+256700000000`) into RukaPay's `256XXXXXXXXX`. Numbers
/// already in that form pass; anything else (local `07…`, other countries) is refused.
pub fn to_msisdn(number: &str) -> Option<String> {
    let t = number.trim();
    let digits = t.strip_prefix('+').unwrap_or(t);
    let ok = digits.len() == 12
        && digits.starts_with("256")
        && digits.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| digits.to_owned())
}

/// Why an amount cannot be sent; the text is shown to the user.
pub fn whole_ugx(face: &Money) -> Result<i64, String> {
    if face.currency.code() != "UGX" {
        return Err(format!(
            "RukaPay transfers are in UGX, not {}: enter the amount in Uganda shillings",
            face.currency
        ));
    }
    let amount = face.amount.normalize();
    if !amount.fract().is_zero() {
        return Err(format!(
            "UGX {amount} has decimals; Uganda shillings have none"
        ));
    }
    let whole = amount
        .to_i64()
        .ok_or_else(|| format!("UGX {amount} is too large"))?;
    if whole < MIN_AMOUNT_UGX {
        return Err(format!(
            "UGX {whole} is below RukaPay's minimum of UGX {MIN_AMOUNT_UGX}"
        ));
    }
    Ok(whole)
}

/// The line shown in RukaPay's records ("narration" is required).
pub fn narration(target: &Target, destination: &str) -> String {
    let code = &target.code;
    match target.service {
        Service::MnoSend => format!("Mobile money to {destination} ({code})"),
        Service::MnoCollect => format!("Mobile money collection from {destination} ({code})"),
        Service::Airtime => format!("{code} airtime for {destination}"),
        Service::BankSend => format!("Bank transfer to {code} account {destination}"),
        Service::BillPayment => format!("{code} bill payment for account {destination}"),
    }
}

struct Listed {
    service: Service,
    code: &'static str,
    name: &'static str,
    category_code: &'static str,
    category: &'static str,
    description: &'static str,
}

const LISTED: [Listed; 9] = [
    Listed { service: Service::MnoSend, code: "MTN", name: "MTN Mobile Money send", category_code: "mobile_money", category: "Mobile money", description: "Pays out to an MTN Uganda mobile money wallet." },
    Listed { service: Service::MnoSend, code: "AIRTEL", name: "Airtel Money send", category_code: "mobile_money", category: "Mobile money", description: "Pays out to an Airtel Uganda mobile money wallet." },
    Listed { service: Service::MnoCollect, code: "MTN", name: "MTN Mobile Money collection", category_code: "collection", category: "Collections", description: "Asks the customer to approve a payment from their MTN wallet; needs the account's callback URL. Stays pending until they approve." },
    Listed { service: Service::MnoCollect, code: "AIRTEL", name: "Airtel Money collection", category_code: "collection", category: "Collections", description: "Asks the customer to approve a payment from their Airtel wallet; needs the account's callback URL. Stays pending until they approve." },
    Listed { service: Service::Airtime, code: "MTN", name: "MTN Uganda airtime", category_code: "airtime", category: "Airtime", description: "Airtime top-up for an MTN Uganda number." },
    Listed { service: Service::Airtime, code: "AIRTEL", name: "Airtel Uganda airtime", category_code: "airtime", category: "Airtime", description: "Airtime top-up for an Airtel Uganda number." },
    Listed { service: Service::BankSend, code: "STANBIC", name: "Stanbic Bank transfer", category_code: "bank", category: "Bank transfer", description: "Transfer to a Stanbic Bank Uganda account; give the account holder's name." },
    Listed { service: Service::BillPayment, code: "NWSC", name: "NWSC water bill", category_code: "bill", category: "Bill payment", description: "National Water and Sewerage Corporation bill, paid to the customer account number." },
    Listed { service: Service::BillPayment, code: "UMEME", name: "UMEME electricity", category_code: "electricity", category: "Electricity", description: "UMEME electricity, paid to the meter or account number." },
];

/// The products this adapter can sell, in the shared shape.
pub fn products() -> Vec<Product> {
    let ugx = Currency::known("UGX");
    LISTED
        .iter()
        .map(|l| {
            let operator = l.service.to_phone().then(|| l.code.to_owned());
            Product {
                id: format!("{}:{}", l.service.prefix(), l.code),
                code: None,
                name: l.name.to_owned(),
                category_code: l.category_code.to_owned(),
                category: l.category.to_owned(),
                sub_category_code: None,
                sub_category: None,
                brand_code: Some(l.code.to_owned()),
                brand_family: None,
                operator,
                country_codes: vec!["UGA".to_owned()],
                denominations: vec![Denomination {
                    kind: DenominationKind::Range,
                    min: Decimal::from(MIN_AMOUNT_UGX),
                    max: Decimal::from(MAX_AMOUNT_UGX),
                    currency: ugx.clone(),
                }],
                cost: None,
                face_value: None,
                fx_rate: None,
                wallet_id: None,
                validity: None,
                description: Some(l.description.to_owned()),
                // validate-beneficiary exists but the document never makes it a prerequisite.
                requires_validation: false,
                // "accountName: Account holder name (bank send)". The bank and biller codes
                // are part of the product (bank:STANBIC, bill:UMEME), so never asked.
                needs: if l.service == Service::BankSend {
                    vec![ExtraField::AccountName]
                } else {
                    Vec::new()
                },
                active: true,
                provider_ref: None,
            }
        })
        .collect()
}
