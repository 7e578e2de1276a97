//! Batch purchases (`network_processing/v/2`, `data_processing/v/2`): the checks made before
//! anything is sent, the `request` items, and the per-item answers mapped to outcomes.

use rust_decimal::prelude::ToPrimitive;

use super::errors::{bad, classify, invalid, refusal, short, Code};
use super::route::{Kind, Route};
use super::wire::{PurchaseAnswer, PurchaseItemOut, PurchaseResult};
use crate::money::{Currency, Money};
use crate::providers::http::HttpClient;
use crate::providers::{
    Delivery, OutcomeStatus, PinCode, ProviderError, PurchaseOutcome, PurchaseRequest,
};

/// "P014 => Maximum of 5 requests allowed".
pub const MAX_BATCH: usize = 5;

/// What eStoreSMS said about a batch.
#[derive(Debug, Clone)]
pub struct BatchResult {
    /// The provider's `failed` count (counted from the items when it sends none).
    pub failed: u32,
    /// One entry per request item, in request order.
    pub items: Vec<BatchItem>,
}

/// The outcome of one item: `Ok` with the outcome (a `Failed` one for `FAIL`/`P009`), or
/// the typed refusal (`P003`, `P008`, ...), or an `outcome_unknown()` error when the answer
/// does not say what happened to this item.
#[derive(Debug, Clone)]
pub struct BatchItem {
    pub product_id: String,
    pub recipient: String,
    pub outcome: Result<PurchaseOutcome, ProviderError>,
}

/// One checked item, owned so the request body can borrow from it.
#[derive(Debug)]
pub(super) struct Planned {
    pub product: String,
    pub phone: String,
    pub amount: Option<u64>,
    pub country: Option<String>,
}

impl Planned {
    pub fn wire(&self) -> PurchaseItemOut<'_> {
        PurchaseItemOut {
            product: &self.product,
            phone: &self.phone,
            amount: self.amount,
            country: self.country.as_deref(),
        }
    }
}

/// Checks a batch before it is sent: 1 to 5 items, one endpoint for all of them, a phone and
/// a product on each, and a whole positive amount for open range products.
pub(super) fn plan(items: &[PurchaseRequest]) -> Result<(Kind, Vec<Planned>), ProviderError> {
    if items.is_empty() {
        return Err(invalid(
            "items",
            "The batch is empty: add at least one purchase.",
        ));
    }
    if items.len() > MAX_BATCH {
        return Err(invalid(
            "P014",
            format!(
                "eStoreSMS takes at most {MAX_BATCH} items per request (P014) and this batch has {}: split it into batches of {MAX_BATCH} or fewer.",
                items.len()
            ),
        ));
    }
    let mut kind = None;
    let mut out = Vec::with_capacity(items.len());
    for req in items {
        let route = Route::for_purchase(req.provider_ref.as_deref(), &req.product_id);
        match kind {
            None => kind = Some(route.kind),
            Some(k) if k != route.kind => {
                return Err(invalid(
                    "product",
                    "Airtime and data are bought through different eStoreSMS endpoints: put them in separate batches.",
                ))
            }
            Some(_) => {}
        }
        let product = req.product_id.trim();
        if product.is_empty() {
            return Err(invalid(
                "product",
                "Choose a product: load the product list for the phone number first.",
            ));
        }
        let phone = req.recipient.trim();
        if phone.is_empty() {
            return Err(invalid("phone", "Enter the recipient phone number."));
        }
        let amount = if route.open_range {
            Some(whole_amount(&req.face_value)?)
        } else {
            None
        };
        let country = match route.kind {
            Kind::Airtime => route.country.clone(),
            Kind::Data => None,
        };
        out.push(Planned {
            product: product.to_owned(),
            phone: phone.to_owned(),
            amount,
            country,
        });
    }
    Ok((kind.unwrap_or(Kind::Airtime), out))
}

/// Open range amounts must be whole: the provider rounds 20.6 up to 21 and charges for 21,
/// so a fractional amount is refused here rather than bought at a price the order does not show.
fn whole_amount(face: &Money) -> Result<u64, ProviderError> {
    let a = face.amount;
    if a <= rust_decimal::Decimal::ZERO {
        return Err(invalid("amount", "Enter an amount greater than zero."));
    }
    if !a.fract().is_zero() {
        return Err(invalid(
            "amount",
            format!(
                "eStoreSMS takes whole amounts only and would round {a} up to {}: enter {} {}.",
                a.ceil(),
                a.ceil(),
                face.currency
            ),
        ));
    }
    a.to_u64()
        .ok_or_else(|| invalid("amount", format!("{a} is too large an amount.")))
}

/// Maps a purchase answer onto the request items. Results are matched by position when the
/// counts agree and every `phone` matches its item; otherwise each item takes the first
/// unused result with its phone number. An item left without a result is unknown.
pub(super) fn map_answer(
    http: &HttpClient,
    body: &str,
    reference: &str,
    items: &[PurchaseRequest],
) -> Result<BatchResult, ProviderError> {
    let answer: PurchaseAnswer = serde_json::from_str(body).map_err(|e| {
        bad(
            http,
            format!("the purchase answer is not valid JSON ({e})"),
            body,
        )
    })?;
    let n = items.len();
    let results = match answer.result {
        Some(r) if !r.is_empty() => r,
        _ => return whole_batch(http, &answer, body, items),
    };
    let parsed: Vec<(&str, Result<PurchaseResult, String>)> = results
        .iter()
        .map(|raw| {
            (
                raw.get(),
                serde_json::from_str::<PurchaseResult>(raw.get()).map_err(|e| e.to_string()),
            )
        })
        .collect();
    let phones: Vec<Option<String>> = parsed
        .iter()
        .map(|(_, r)| {
            r.as_ref()
                .ok()
                .and_then(|r| r.phone.as_deref())
                .map(phone_key)
        })
        .collect();
    let by_position = parsed.len() == n
        && items
            .iter()
            .zip(&phones)
            .all(|(it, p)| p.as_ref().is_none_or(|p| *p == phone_key(&it.recipient)));
    let mut taken = vec![false; parsed.len()];
    let mut out = Vec::with_capacity(n);
    for (i, req) in items.iter().enumerate() {
        let slot = if by_position {
            Some(i)
        } else {
            let key = phone_key(&req.recipient);
            (0..parsed.len()).find(|&j| !taken[j] && phones[j].as_deref() == Some(key.as_str()))
        };
        let outcome = match slot {
            Some(j) => {
                taken[j] = true;
                let (raw, r) = &parsed[j];
                match r {
                    Ok(r) => item_outcome(http, r, reference, raw),
                    Err(e) => Err(bad(
                        http,
                        format!("an unreadable result for this item ({e})"),
                        raw,
                    )),
                }
            }
            None => Err(bad(
                http,
                "the answer has no result for this item; check its status by reference",
                body,
            )),
        };
        out.push(BatchItem {
            product_id: req.product_id.clone(),
            recipient: req.recipient.clone(),
            outcome,
        });
    }
    let counted = out.iter().filter(|i| definitely_failed(&i.outcome)).count();
    let unknown = out
        .iter()
        .filter(|i| {
            i.outcome
                .as_ref()
                .err()
                .is_some_and(ProviderError::outcome_unknown)
        })
        .count();
    let reported = answer.failed.map(|f| f as usize).unwrap_or(counted);
    // `failed` says more items failed than the results explain: the OK/PENDING ones cannot
    // be trusted, so they become unknown and are settled by a status query.
    if reported > counted + unknown {
        for item in &mut out {
            if item
                .outcome
                .as_ref()
                .is_ok_and(|o| o.status != OutcomeStatus::Failed)
            {
                item.outcome = Err(bad(
                    http,
                    format!("eStoreSMS reported {reported} failed items but its results show {counted}; check the status by reference"),
                    body,
                ));
            }
        }
    }
    Ok(BatchResult {
        failed: u32::try_from(reported).unwrap_or(u32::MAX),
        items: out,
    })
}

/// An answer without per-item results: the `{"response":"P013",...}` form refuses the whole
/// batch; `FAIL`/`P009` fails every item; a `failed` count equal to the batch size does too.
fn whole_batch(
    http: &HttpClient,
    answer: &PurchaseAnswer,
    body: &str,
    items: &[PurchaseRequest],
) -> Result<BatchResult, ProviderError> {
    let code = answer.response.as_deref().unwrap_or_default();
    let all_failed = match classify(code) {
        Code::Refused => return Err(refusal(http, code, answer.message.as_deref(), body)),
        Code::Failed => true,
        _ => answer.failed.is_some_and(|f| f as usize == items.len()),
    };
    if !all_failed {
        return Err(bad(http, "a purchase answer without results", body));
    }
    let message = answer
        .message
        .as_deref()
        .map(|m| short(&http.scrub(m)))
        .unwrap_or_else(|| "eStoreSMS reported the purchase failed".to_owned());
    let failed = answer
        .failed
        .unwrap_or(u32::try_from(items.len()).unwrap_or(u32::MAX));
    let items = items
        .iter()
        .map(|req| BatchItem {
            product_id: req.product_id.clone(),
            recipient: req.recipient.clone(),
            outcome: Ok(failed_outcome(None, message.clone())),
        })
        .collect();
    Ok(BatchResult { failed, items })
}

fn item_outcome(
    http: &HttpClient,
    r: &PurchaseResult,
    reference: &str,
    raw: &str,
) -> Result<PurchaseOutcome, ProviderError> {
    if r.reference
        .as_deref()
        .is_some_and(|x| x.trim() != reference)
    {
        // An answer about another order cannot tell us what happened to this one.
        return Err(bad(
            http,
            "a result carrying another reference; check the status by reference",
            raw,
        ));
    }
    let code = r.response.as_deref().unwrap_or_default();
    let status = match classify(code) {
        Code::Ok => OutcomeStatus::Succeeded,
        Code::Pending => OutcomeStatus::Pending,
        Code::Failed => {
            let said = r
                .message
                .as_deref()
                .map(|m| short(&http.scrub(m)))
                .unwrap_or_else(|| "Operation Failed".to_owned());
            return Ok(failed_outcome(
                r.transaction_id.clone(),
                format!("{said} ({})", code.trim().to_ascii_uppercase()),
            ));
        }
        Code::Refused => return Err(refusal(http, code, r.message.as_deref(), raw)),
        Code::Unknown if code.is_empty() => {
            return Err(bad(http, "an item without a response code", raw))
        }
        Code::Unknown => return Err(refusal(http, code, r.message.as_deref(), raw)),
    };
    let pins = r
        .pins
        .iter()
        .flatten()
        .filter_map(|p| {
            p.pin.as_ref().map(|pin| PinCode {
                pin: pin.clone(),
                serial: p.serial_number.clone(),
                expires: p.expires_on.clone(),
            })
        })
        .collect();
    Ok(PurchaseOutcome {
        status,
        provider_reference: r.transaction_id.clone(),
        // `amount` is the list price; `amount_charged` is what the wallet paid.
        charged: r
            .amount_charged
            .map(|a| Money::new(a, Currency::known("NGN"))),
        balance_after: None,
        delivery: Delivery {
            pins,
            ..Delivery::default()
        },
        message: r.message.as_deref().map(|m| short(&http.scrub(m))),
    })
}

fn failed_outcome(provider_reference: Option<String>, message: String) -> PurchaseOutcome {
    PurchaseOutcome {
        status: OutcomeStatus::Failed,
        provider_reference,
        charged: None,
        balance_after: None,
        delivery: Delivery::default(),
        message: Some(message),
    }
}

fn definitely_failed(o: &Result<PurchaseOutcome, ProviderError>) -> bool {
    match o {
        Ok(o) => o.status == OutcomeStatus::Failed,
        Err(e) => !e.outcome_unknown(),
    }
}

/// Phone numbers compared as their letters and digits (the document masks them with `x`).
fn phone_key(p: &str) -> String {
    p.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}
