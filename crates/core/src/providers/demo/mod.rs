//! The built-in demo provider: in-process, no account needed, with the seeds' catalogue
//! and sandbox behaviour, so every feature can be tried (and tested) without a wholesaler.
//!
//! Sandbox numbers (any country, matched on the last seven digits of the recipient):
//! `…0000001` fails at once; `…0000002` goes pending and succeeds [`SETTLE_AFTER_SECS`]
//! later; `…0000003` goes pending and then fails (the charge is refunded); `…0000004`
//! succeeds at once but its answer takes [`SLOW_ANSWER_SECS`] to arrive, longer than the
//! app's sweeper waits before its first look (the race a slow provider causes). Any other
//! number succeeds. Smartcard `0000000000` and meter `00000000000` do not validate.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::Duration;
use rust_decimal::{Decimal, RoundingStrategy};
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;

use super::{
    AccountValidation, Capabilities, CatalogueQuery, Category, Delivery, EsimDelivery, ExtraField,
    OutcomeStatus, PinCode, Product, Provider, ProviderContext, ProviderError, ProviderKind,
    PurchaseOutcome, PurchaseRequest, StatusLookup, ValidateRequest, WalletBalance,
};
use crate::clock::{parse_stamp, stamp, Clock};
use crate::money::{from_ledger_units, to_ledger_units, Currency, Money};

pub mod catalogue;
mod state;

pub use state::FILE_NAME as STATE_FILE;

use catalogue::{DeliveryStyle, DemoProduct, PRODUCTS};

/// How long a sandbox-pending order stays pending.
pub const SETTLE_AFTER_SECS: i64 = 5;
/// How long the answer to a `…0000004` purchase takes (wall time: it is a network delay).
pub const SLOW_ANSWER_SECS: u64 = 12;

const KIND: ProviderKind = ProviderKind::Demo;

/// Cheap to clone: the pool and the clock are shared handles.
#[derive(Clone)]
pub struct DemoProvider {
    pool: SqlitePool,
    clock: Arc<dyn Clock>,
}

fn storage(e: sqlx::Error) -> ProviderError {
    ProviderError::bad_response(KIND, format!("demo state: {e}"))
}

/// What a sandbox number does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SandboxBehaviour {
    Succeed,
    FailNow,
    PendingThenSucceed,
    PendingThenFail,
    /// Done at once, answered late.
    SlowAnswer,
    /// Taken as pending, then no longer found.
    PendingThenLost,
}

pub fn sandbox_behaviour(recipient: &str) -> SandboxBehaviour {
    let digits: String = recipient.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 7 {
        return SandboxBehaviour::Succeed;
    }
    match &digits[digits.len() - 7..] {
        "0000001" => SandboxBehaviour::FailNow,
        "0000002" => SandboxBehaviour::PendingThenSucceed,
        "0000003" => SandboxBehaviour::PendingThenFail,
        "0000004" => SandboxBehaviour::SlowAnswer,
        "0000008" => SandboxBehaviour::PendingThenLost,
        _ => SandboxBehaviour::Succeed,
    }
}

impl DemoProvider {
    pub async fn open(ctx: &ProviderContext) -> Result<Self, ProviderError> {
        let pool = state::open(&ctx.data_dir).await.map_err(storage)?;
        Ok(Self {
            pool,
            clock: ctx.clock.clone(),
        })
    }

    fn product(&self, id: &str) -> Result<&'static DemoProduct, ProviderError> {
        catalogue::find(id).ok_or_else(|| ProviderError::Rejected {
            provider: KIND,
            message: format!("product {id} does not exist"),
            code: Some("PRODUCT_NOT_FOUND".to_owned()),
            body: None,
        })
    }

    /// The wallet that pays when none is named: one in the product's currency, else NGN.
    async fn default_wallet(&self, currency: &str) -> Result<String, ProviderError> {
        let wallets = state::wallets(&self.pool).await.map_err(storage)?;
        Ok(wallets
            .iter()
            .find(|(_, c, _)| c == currency)
            .or_else(|| wallets.iter().find(|(_, c, _)| c == "NGN"))
            .map(|(id, _, _)| id.clone())
            .unwrap_or_else(|| "NGN-DEMO".to_owned()))
    }

    fn to_product(&self, p: &DemoProduct, wallet: Option<(&str, &str)>) -> Product {
        let face_cur = catalogue::currency(p.currency);
        let denoms = catalogue::denominations(p);
        let min_face = denoms.first().map(|d| d.min).unwrap_or_default();
        let (cost, fx, wallet_id) = match wallet {
            Some((wid, wcur)) => match cost_of(p, min_face, wcur) {
                Some((cost, rate)) => (
                    Some(Money::new(
                        cost,
                        Currency::new(wcur).unwrap_or_else(|_| face_cur.clone()),
                    )),
                    Some(rate),
                    Some(wid.to_owned()),
                ),
                None => (None, None, Some(wid.to_owned())),
            },
            None => (None, None, None),
        };
        Product {
            id: p.id.to_owned(),
            code: Some(p.code.to_owned()),
            name: p.name.to_owned(),
            category_code: p.category_code.to_owned(),
            category: p.category.to_owned(),
            sub_category_code: Some(p.sub_category_code.to_owned()),
            sub_category: Some(p.sub_category.to_owned()),
            brand_code: Some(p.brand_code.to_owned()),
            brand_family: Some(p.brand_family.to_owned()),
            operator: Some(p.operator.to_owned()),
            country_codes: p.countries.iter().map(|c| (*c).to_owned()).collect(),
            denominations: denoms,
            cost,
            face_value: Some(Money::new(min_face, face_cur)),
            fx_rate: fx,
            wallet_id,
            validity: Some(p.validity.to_owned()).filter(|v| !v.is_empty()),
            description: Some(p.description.to_owned()),
            requires_validation: p.requires_validation,
            // As Vendify: electricity orders carry the customer's phone.
            needs: if p.category_code == "electricity" {
                vec![ExtraField::CustomerPhone]
            } else {
                Vec::new()
            },
            active: true,
            provider_ref: Some("demo".to_owned()),
        }
    }

    async fn outcome_of(&self, t: &state::DemoTxn) -> Result<PurchaseOutcome, ProviderError> {
        let (currency, units) = state::wallet(&self.pool, &t.wallet_id)
            .await
            .map_err(storage)?
            .unwrap_or_else(|| ("NGN".to_owned(), 0));
        let cur = Currency::new(&currency).map_err(|e| ProviderError::bad_response(KIND, e))?;
        let status = match t.status.as_str() {
            "SUCCESS" => OutcomeStatus::Succeeded,
            "PENDING" => OutcomeStatus::Pending,
            "REVERSED" => OutcomeStatus::Reversed,
            _ => OutcomeStatus::Failed,
        };
        let delivery = if status == OutcomeStatus::Succeeded {
            self.product(&t.product_id)
                .map(|p| deliver(p, &t.reference))
                .unwrap_or_default()
        } else {
            Delivery::default()
        };
        Ok(PurchaseOutcome {
            status,
            provider_reference: Some(t.transaction_id.clone()),
            charged: (status != OutcomeStatus::Failed)
                .then(|| Money::new(from_ledger_units(t.cost_units), cur.clone())),
            balance_after: Some(WalletBalance {
                wallet_id: t.wallet_id.clone(),
                balance: Money::new(from_ledger_units(units), cur),
            }),
            delivery,
            message: Some(t.message.clone()),
        })
    }
}

/// Wallet-currency cost of `face` units of the product, rounded up to the wallet's minor
/// unit (providers never round in the reseller's favour), and the rate used.
fn cost_of(p: &DemoProduct, face: Decimal, wallet_currency: &str) -> Option<(Decimal, Decimal)> {
    let rate = catalogue::rate(p.currency, wallet_currency)?;
    let pct = catalogue::dec(p.price_percent);
    let digits = Currency::new(wallet_currency)
        .map(|c| c.minor_digits())
        .unwrap_or(2);
    let raw = face
        .checked_mul(rate)?
        .checked_mul(pct)?
        .checked_div(Decimal::ONE_HUNDRED)?;
    Some((
        raw.round_dp_with_strategy(digits, RoundingStrategy::AwayFromZero),
        rate,
    ))
}

fn digest(reference: &str, salt: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(reference.as_bytes());
    h.finalize().to_vec()
}

fn digits_from(bytes: &[u8], n: usize) -> String {
    bytes
        .iter()
        .cycle()
        .take(n)
        .map(|b| char::from(b'0' + b % 10))
        .collect()
}

fn letters_from(bytes: &[u8], n: usize) -> String {
    const ALPHA: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    bytes
        .iter()
        .cycle()
        .take(n)
        .map(|b| char::from(ALPHA[usize::from(*b) % ALPHA.len()]))
        .collect()
}

fn group(s: &str, size: usize, sep: &str) -> String {
    s.as_bytes()
        .chunks(size)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(sep)
}

/// The deterministic delivery of a demo order, derived from our reference.
fn deliver(p: &DemoProduct, reference: &str) -> Delivery {
    let h = digest(reference, p.id);
    match p.delivery {
        DeliveryStyle::Topup | DeliveryStyle::Subscription => Delivery::default(),
        DeliveryStyle::Voucher => Delivery {
            voucher_code: Some(group(&letters_from(&h, 16), 4, "-")),
            redemption_url: Some("https://www.amazon.co.uk/gc/redeem".to_owned()),
            redemption_info: Some(
                "Sign in to Amazon.co.uk, open Gift Cards and enter the code.".to_owned(),
            ),
            expiration_date: Some("2035-12-09".to_owned()),
            ..Delivery::default()
        },
        DeliveryStyle::Pin => Delivery {
            pins: vec![PinCode {
                pin: digits_from(&h, 12),
                serial: Some(format!("WRN{}", digits_from(&h[6..], 9))),
                expires: Some("1 year".to_owned()),
            }],
            ..Delivery::default()
        },
        DeliveryStyle::Token => Delivery {
            token: Some(group(&digits_from(&h, 20), 4, "-")),
            ..Delivery::default()
        },
        DeliveryStyle::Esim => {
            let lpa = format!(
                "LPA:1$rsp.truphone.com$JQ-{}-{}",
                letters_from(&h, 6),
                letters_from(&h[8..], 7)
            );
            let iccid = format!("89431081650{}", digits_from(&h[12..], 8));
            Delivery {
                qr_code_data: Some(lpa.clone()),
                expiration_date: Some("2026-12-09".to_owned()),
                esim: Some(EsimDelivery {
                    activation_code: Some(lpa.clone()),
                    iccid: Some(iccid.clone()),
                    android_install_url: Some(format!(
                        "https://demo.resellerconsole.invalid/esim/esimsetup?card={lpa}"
                    )),
                    ios_install_url: Some(format!(
                        "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata={lpa}"
                    )),
                    usage_url: Some(format!(
                        "https://demo.resellerconsole.invalid/esim/esimbalance?iccid={iccid}"
                    )),
                }),
                ..Delivery::default()
            }
        }
    }
}

#[async_trait]
impl Provider for DemoProvider {
    fn kind(&self) -> ProviderKind {
        KIND
    }
    fn capabilities(&self) -> Capabilities {
        KIND.capabilities()
    }

    async fn balances(&self) -> Result<Vec<WalletBalance>, ProviderError> {
        let wallets = state::wallets(&self.pool).await.map_err(storage)?;
        wallets
            .into_iter()
            .map(|(id, cur, units)| {
                let cur = Currency::new(&cur).map_err(|e| ProviderError::bad_response(KIND, e))?;
                Ok(WalletBalance {
                    wallet_id: id,
                    balance: Money::new(from_ledger_units(units), cur),
                })
            })
            .collect()
    }

    async fn categories(&self) -> Result<Vec<Category>, ProviderError> {
        let mut out: Vec<Category> = Vec::new();
        for p in PRODUCTS {
            if !out.iter().any(|c| c.code == p.category_code) {
                out.push(Category {
                    code: p.category_code.to_owned(),
                    name: p.category.to_owned(),
                });
            }
        }
        Ok(out)
    }

    async fn catalogue(&self, q: &CatalogueQuery) -> Result<Vec<Product>, ProviderError> {
        let wallets = state::wallets(&self.pool).await.map_err(storage)?;
        let wallet_for = |p: &DemoProduct| -> Option<(String, String)> {
            let pick = match &q.wallet_id {
                Some(w) => wallets.iter().find(|(id, _, _)| id == w),
                None => wallets
                    .iter()
                    .find(|(_, c, _)| c == p.currency)
                    .or_else(|| wallets.iter().find(|(_, c, _)| c == "NGN")),
            };
            pick.map(|(id, c, _)| (id.clone(), c.clone()))
        };
        let matches_list = |value: &str, filter: &Option<String>| match filter {
            None => true,
            Some(f) if f.trim().is_empty() || f.eq_ignore_ascii_case("ALL") => true,
            Some(f) => f.split(',').any(|x| x.trim().eq_ignore_ascii_case(value)),
        };
        let needle = q
            .search
            .as_deref()
            .map(str::to_lowercase)
            .filter(|s| !s.trim().is_empty());
        Ok(PRODUCTS
            .iter()
            .filter(|p| matches_list(p.category_code, &q.category))
            .filter(|p| matches_list(p.sub_category_code, &q.sub_category))
            .filter(|p| matches_list(p.brand_family, &q.brand_family))
            .filter(|p| matches_list(p.brand_code, &q.brand_code))
            .filter(|p| match &q.country {
                None => true,
                Some(c) if c.trim().is_empty() || c.eq_ignore_ascii_case("ALL") => true,
                Some(c) => c.split(',').any(|c| {
                    p.countries
                        .iter()
                        .any(|pc| pc.eq_ignore_ascii_case(c.trim()))
                }),
            })
            // The fields Vendify's search looks in, and the saved catalogue's.
            .filter(|p| match &needle {
                None => true,
                Some(n) => [p.name, p.operator, p.brand_family, p.brand_code, p.code]
                    .iter()
                    .any(|f| f.to_lowercase().contains(n.trim())),
            })
            .map(|p| {
                let w = wallet_for(p);
                self.to_product(p, w.as_ref().map(|(a, b)| (a.as_str(), b.as_str())))
            })
            .collect())
    }

    async fn quote(
        &self,
        product_id: &str,
        face: Option<&Money>,
    ) -> Result<Product, ProviderError> {
        let p = self.product(product_id)?;
        let wallet = self.default_wallet(p.currency).await?;
        let (wcur, _) = state::wallet(&self.pool, &wallet)
            .await
            .map_err(storage)?
            .unwrap_or_else(|| ("NGN".to_owned(), 0));
        let mut product = self.to_product(p, Some((&wallet, &wcur)));
        if let Some(face) = face {
            if let Some((cost, rate)) = cost_of(p, face.amount, &wcur) {
                product.cost = Currency::new(&wcur).ok().map(|c| Money::new(cost, c));
                product.fx_rate = Some(rate);
                product.face_value = Some(face.clone());
            }
        }
        Ok(product)
    }

    async fn validate_account(
        &self,
        req: &ValidateRequest,
    ) -> Result<AccountValidation, ProviderError> {
        let p = self.product(&req.product_id)?;
        let number: String = req
            .account_number
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let (len, kind) = match p.category_code {
            "cable-tv" => (10, "smartcard"),
            "electricity" => (11, "meter"),
            _ => {
                return Err(ProviderError::unsupported(
                    KIND,
                    "account validation for this product",
                ))
            }
        };
        let well_formed = number.len() == len && number.chars().all(|c| c.is_ascii_digit());
        if !well_formed || number.chars().all(|c| c == '0') {
            return Ok(AccountValidation {
                valid: false,
                account_name: None,
                options: vec![],
                message: Some(format!(
                    "No {kind} with number {number} was found. Check the {len}-digit number."
                )),
            });
        }
        const NAMES: &[&str] = &[
            "Test User",
            "Adaeze Okafor",
            "Musa Bello",
            "Chinedu Eze",
            "Funmi Adeyemi",
        ];
        let idx = if number == "4222863979" || number == "25112401374" {
            0
        } else {
            usize::from(digest(&number, "name")[0]) % NAMES.len()
        };
        Ok(AccountValidation {
            valid: true,
            account_name: Some(NAMES[idx].to_owned()),
            options: if p.category_code == "cable-tv" {
                catalogue::bouquets()
            } else {
                vec![]
            },
            message: Some("successful".to_owned()),
        })
    }

    async fn submit(&self, req: &PurchaseRequest) -> Result<PurchaseOutcome, ProviderError> {
        if let Some(existing) = state::find(&self.pool, &req.reference)
            .await
            .map_err(storage)?
        {
            return self.outcome_of(&existing).await;
        }
        let p = self.product(&req.product_id)?;
        let rejected = |message: String| ProviderError::Rejected {
            provider: KIND,
            message,
            code: Some("VALIDATION".to_owned()),
            body: None,
        };
        if req.face_value.currency.code() != p.currency {
            return Err(rejected(format!(
                "{} is sold in {}, not {}",
                p.name, p.currency, req.face_value.currency
            )));
        }
        // As Vendify's FAQ: an electricity order without the customer's phone is refused.
        if p.category_code == "electricity" && req.phone.as_deref().is_none_or(str::is_empty) {
            return Err(rejected(
                "accountTelephone is required for this product: add the customer's phone number"
                    .to_owned(),
            ));
        }
        let face = req.face_value.amount;
        let denoms = catalogue::denominations(p);
        if !denoms.iter().any(|d| face >= d.min && face <= d.max) {
            return Err(rejected(format!(
                "{} {} is not a value {} is sold at",
                p.currency, face, p.name
            )));
        }
        let wallet_id = match &req.wallet_id {
            Some(w) => w.clone(),
            None => self.default_wallet(p.currency).await?,
        };
        let (wcur, _) = state::wallet(&self.pool, &wallet_id)
            .await
            .map_err(storage)?
            .ok_or_else(|| rejected(format!("wallet {wallet_id} does not exist")))?;
        let (cost, _) = cost_of(p, face, &wcur)
            .ok_or_else(|| rejected(format!("no exchange rate from {} to {wcur}", p.currency)))?;
        let cost_units = to_ledger_units(cost).map_err(|e| rejected(e.to_string()))?;
        let now = self.clock.now();
        let behaviour = sandbox_behaviour(&req.recipient);
        if behaviour == SandboxBehaviour::SlowAnswer {
            // A slow provider: nothing is booked (a status query finds nothing) until it
            // answers, well after the sweeper's first look.
            tokio::time::sleep(std::time::Duration::from_secs(SLOW_ANSWER_SECS)).await;
        }
        let txn_id = format!(
            "DEMO-{}",
            hex::encode(&digest(&req.reference, "txn")[..8]).to_uppercase()
        );
        let mut txn = state::DemoTxn {
            reference: req.reference.clone(),
            nonce: req.nonce.clone(),
            transaction_id: txn_id,
            product_id: p.id.to_owned(),
            recipient: req.recipient.clone(),
            face: face.to_string(),
            face_currency: p.currency.to_owned(),
            wallet_id: wallet_id.clone(),
            cost_units,
            status: "SUCCESS".to_owned(),
            final_status: None,
            settle_at: None,
            message: "Product purchased successfully.".to_owned(),
            created_at: stamp(now),
        };
        if behaviour == SandboxBehaviour::FailNow {
            txn.status = "FAILED".to_owned();
            txn.message = "Transaction failed: the recipient number is barred (sandbox number ending 0000001)."
                .to_owned();
            state::insert(&self.pool, &txn).await.map_err(storage)?;
            return self.outcome_of(&txn).await;
        }
        if !state::debit(&self.pool, &wallet_id, cost_units)
            .await
            .map_err(storage)?
        {
            let (cur, have) = state::wallet(&self.pool, &wallet_id)
                .await
                .map_err(storage)?
                .unwrap_or_else(|| (wcur.clone(), 0));
            return Err(ProviderError::InsufficientBalance {
                provider: KIND,
                message: format!(
                    "wallet {wallet_id} holds {cur} {} and this costs {cur} {}",
                    state::units_to_text(have),
                    state::units_to_text(cost_units)
                ),
            });
        }
        if matches!(
            behaviour,
            SandboxBehaviour::PendingThenSucceed
                | SandboxBehaviour::PendingThenFail
                | SandboxBehaviour::PendingThenLost
        ) {
            txn.status = "PENDING".to_owned();
            txn.final_status = Some(
                if behaviour == SandboxBehaviour::PendingThenSucceed {
                    "SUCCESS"
                } else {
                    "FAILED"
                }
                .to_owned(),
            );
            txn.settle_at = Some(stamp(now + Duration::seconds(SETTLE_AFTER_SECS)));
            txn.message = "Transaction is being processed.".to_owned();
        }
        if let Err(e) = state::insert(&self.pool, &txn).await {
            // Give the money back: the order was not recorded, so it did not happen.
            let _ = state::credit(&self.pool, &wallet_id, cost_units).await;
            return Err(storage(e));
        }
        self.outcome_of(&txn).await
    }

    async fn status(&self, lookup: &StatusLookup) -> Result<PurchaseOutcome, ProviderError> {
        let found = match state::find(&self.pool, &lookup.reference)
            .await
            .map_err(storage)?
        {
            Some(t) => Some(t),
            None => match &lookup.provider_reference {
                Some(r) => state::find(&self.pool, r).await.map_err(storage)?,
                None => None,
            },
        };
        let not_found = || ProviderError::NotFound {
            provider: KIND,
            what: format!("transaction {}", lookup.reference),
        };
        let mut t = found.ok_or_else(not_found)?;
        if sandbox_behaviour(&t.recipient) == SandboxBehaviour::PendingThenLost {
            return Err(not_found());
        }
        if t.status == "PENDING" {
            let due = t.settle_at.as_deref().and_then(parse_stamp);
            if due.is_some_and(|d| self.clock.now() >= d) {
                let fin = t
                    .final_status
                    .clone()
                    .unwrap_or_else(|| "SUCCESS".to_owned());
                state::settle(&self.pool, &t, &fin).await.map_err(storage)?;
                t = state::find(&self.pool, &t.reference)
                    .await
                    .map_err(storage)?
                    .ok_or_else(|| ProviderError::bad_response(KIND, "transaction vanished"))?;
                if t.status == "FAILED" {
                    t.message = "Transaction failed at the network; the charge was refunded (sandbox number ending 0000003).".to_owned();
                } else {
                    t.message = "Transaction completed successfully".to_owned();
                }
            }
        }
        self.outcome_of(&t).await
    }
}

#[cfg(test)]
mod tests;
