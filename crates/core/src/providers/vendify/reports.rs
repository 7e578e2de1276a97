//! Account reports: wallet balances, transaction history (split into the 2-month windows
//! Vendify allows), the transaction summary (24-month windows, merged), and eSIM details.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::envelope::Answer;
use super::windows::{windows, HISTORY_WINDOW_MONTHS, SUMMARY_WINDOW_MONTHS};
use super::wire::{date, de_opt_count, de_opt_text, money, pick, raw_text};
use super::{refused, Call, VendifyClient, KIND};
use crate::money::{amount_from_raw, de_opt_amount, Currency, Money};
use crate::providers::http::HttpClient;
use crate::providers::{ProviderError, WalletBalance};

/// The `status` parameter of the transaction history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HistoryStatus {
    /// Every voucher, redeemed or not.
    #[default]
    All,
    /// Vouchers bought and redeemed.
    Used,
    /// Vouchers bought and not yet redeemed.
    Unused,
}

impl HistoryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryStatus::All => "all",
            HistoryStatus::Used => "used",
            HistoryStatus::Unused => "unused",
        }
    }
}

/// One history row. Vendify masks personal data (`"+**********77"`); it is kept as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub transaction_reference: String,
    pub date: Option<NaiveDate>,
    /// The date as Vendify wrote it (`2023/04/09`).
    pub date_text: Option<String>,
    pub voucher: Option<String>,
    pub voucher_value: Option<Money>,
    pub transacted: Option<Money>,
    /// `Some(true)` for "Redeemed", `Some(false)` for "Not Redeemed", else `None`.
    pub redeemed: Option<bool>,
    pub redeemed_status: Option<String>,
    pub buyer_first_name: Option<String>,
    pub buyer_last_name: Option<String>,
    pub buyer_telephone: Option<String>,
    pub buyer_email: Option<String>,
    pub beneficiary_telephone: Option<String>,
    pub beneficiary_email: Option<String>,
}

/// Sales of one product over the asked range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    pub product_code: String,
    pub product_name: Option<String>,
    pub transaction_count: u64,
    pub total_voucher_value: Money,
    pub currency_country: Option<String>,
    pub report_from: Option<NaiveDate>,
    pub report_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EsimDetails {
    pub id: Option<String>,
    pub iccid: String,
    pub plan_name: Option<String>,
    /// e.g. "Pending Activation", "Data started", "Expired".
    pub status: Option<String>,
    pub last_updated: Option<String>,
    pub validity_days: Option<u64>,
    pub total_data_gb: Option<Decimal>,
    pub remaining_data_gb: Option<Decimal>,
    pub message: Option<String>,
}

// History and summary amounts are read strictly: a report row whose money cannot be read
// fails the report rather than showing a wrong total.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireHistory {
    #[serde(default, deserialize_with = "de_opt_text")]
    transaction_reference: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    transaction_date: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    voucher: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    currency: Option<String>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    voucher_value: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    transacted_currency: Option<String>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    transacted_value: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    redeemed_status: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    buyer_firstname: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    buyer_lastname: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    buyer_telephone: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    buyer_email: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    beneficiary_telephone: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    beneficiary_email: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireSummary {
    #[serde(default, deserialize_with = "de_opt_text")]
    product_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    product_name: Option<String>,
    #[serde(default, deserialize_with = "de_opt_count")]
    transaction_count: Option<u64>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    total_voucher_value: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    voucher_currency: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    currency_country: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    report_from_date: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    report_to_date: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireEsim {
    #[serde(default, deserialize_with = "de_opt_text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    iccid: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    plan_name: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    last_updated: Option<String>,
    #[serde(default, deserialize_with = "de_opt_count")]
    validity_in_days: Option<u64>,
    #[serde(default, deserialize_with = "super::wire::de_lenient_amount")]
    total_data_allowance_gb: Option<Decimal>,
    #[serde(default, deserialize_with = "super::wire::de_lenient_amount")]
    remaining_data_gb: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    message: Option<String>,
}

fn bad(http: &HttpClient, reason: String, raw: &str) -> ProviderError {
    ProviderError::BadResponse {
        provider: KIND,
        reason,
        body: http.keep_body(raw),
    }
}

/// `Report/AccountBalance` has no sample answer in the document. Assumed: a list of wallet
/// objects (or one object, or an object holding such a list), each with a wallet id
/// (`walletId`, else `walletID`/`wallet_id`/`id`/`walletCode`), a currency (`currency`,
/// `currencyCode`, `walletCurrency`...; else the `NGN` of a `NGN-143` wallet id, the shape
/// every documented wallet id has) and a balance (`availableBalance` first: it is what a
/// purchase can spend; then `balance`, `walletBalance`, `currentBalance`, `amount`). Field
/// names are matched case-insensitively; entries without an id or a readable balance are
/// skipped, and an answer with entries but no readable wallet is an error.
pub(super) fn parse_balances(
    http: &HttpClient,
    answer: &Answer,
) -> Result<Vec<WalletBalance>, ProviderError> {
    let raw = answer.require(http, "balance")?;
    let entries = wallet_entries(raw).ok_or_else(|| {
        bad(
            http,
            "the balance answer is not a list of wallets".to_owned(),
            raw.get(),
        )
    })?;
    let total = entries.len();
    let wallets: Vec<WalletBalance> = entries.iter().filter_map(wallet_of).collect();
    if wallets.is_empty() && total > 0 {
        return Err(bad(
            http,
            "no wallet in the balance answer has an id, a currency and a readable balance"
                .to_owned(),
            raw.get(),
        ));
    }
    Ok(wallets)
}

type Fields = BTreeMap<String, Box<RawValue>>;

fn wallet_entries(raw: &RawValue) -> Option<Vec<Fields>> {
    if let Ok(list) = serde_json::from_str::<Vec<Box<RawValue>>>(raw.get()) {
        return Some(
            list.iter()
                .filter_map(|r| serde_json::from_str::<Fields>(r.get()).ok())
                .collect(),
        );
    }
    let obj: Fields = serde_json::from_str(raw.get()).ok()?;
    if pick(&obj, WALLET_ID).is_some() {
        return Some(vec![obj]);
    }
    // `{"wallets": [...]}` or similar: the first member that is a list of objects.
    obj.values().find_map(|v| {
        let list: Vec<Fields> = serde_json::from_str(v.get()).ok()?;
        (!list.is_empty()).then_some(list)
    })
}

const WALLET_ID: &[&str] = &["walletId", "wallet_id", "id", "walletCode", "wallet"];
const CURRENCY: &[&str] = &[
    "currency",
    "currencyCode",
    "walletCurrency",
    "walletCurrencyCode",
    "currencyIso",
];
const BALANCE: &[&str] = &[
    "availableBalance",
    "balance",
    "walletBalance",
    "currentBalance",
    "amount",
];

fn wallet_of(f: &Fields) -> Option<WalletBalance> {
    let wallet_id = pick(f, WALLET_ID)?;
    let balance = BALANCE.iter().find_map(|n| {
        let (_, v) = f.iter().find(|(k, _)| k.eq_ignore_ascii_case(n))?;
        raw_text(v.get())
            .is_some()
            .then(|| amount_from_raw(v.get()).ok())
            .flatten()
    })?;
    let currency = pick(f, CURRENCY)
        .and_then(|c| Currency::new(&c).ok())
        .or_else(|| {
            wallet_id
                .split_once('-')
                .and_then(|(c, _)| Currency::new(c).ok())
        })?;
    Some(WalletBalance {
        wallet_id,
        balance: Money::new(balance, currency),
    })
}

pub(super) fn parse_history(
    http: &HttpClient,
    answer: &Answer,
) -> Result<Vec<HistoryEntry>, ProviderError> {
    // Strict per row (see WireHistory): a row that cannot be read fails the report.
    let rows: Vec<WireHistory> = answer.parse(http, "transaction history")?;
    Ok(rows
        .into_iter()
        .map(|w| HistoryEntry {
            transaction_reference: w.transaction_reference.unwrap_or_default(),
            date: date(w.transaction_date.as_deref()),
            date_text: w.transaction_date,
            voucher: w.voucher,
            voucher_value: money(w.voucher_value, w.currency.as_deref()),
            transacted: money(w.transacted_value, w.transacted_currency.as_deref()),
            redeemed: match w
                .redeemed_status
                .as_deref()
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("redeemed") | Some("used") => Some(true),
                Some("not redeemed") | Some("unredeemed") | Some("unused") => Some(false),
                _ => None,
            },
            redeemed_status: w.redeemed_status,
            buyer_first_name: w.buyer_firstname,
            buyer_last_name: w.buyer_lastname,
            buyer_telephone: w.buyer_telephone,
            buyer_email: w.buyer_email,
            beneficiary_telephone: w.beneficiary_telephone,
            beneficiary_email: w.beneficiary_email,
        })
        .collect())
}

pub(super) fn parse_summary(
    http: &HttpClient,
    answer: &Answer,
) -> Result<Vec<SummaryRow>, ProviderError> {
    let rows: Vec<WireSummary> = answer.parse(http, "transaction summary")?;
    rows.into_iter()
        .map(|w| {
            let code = w
                .product_code
                .ok_or_else(|| bad(http, "a summary row has no productCode".to_owned(), ""))?;
            let total =
                money(w.total_voucher_value, w.voucher_currency.as_deref()).ok_or_else(|| {
                    bad(
                        http,
                        format!("the summary row for {code} has no readable total and currency"),
                        "",
                    )
                })?;
            Ok(SummaryRow {
                product_code: code,
                product_name: w.product_name,
                transaction_count: w.transaction_count.unwrap_or(0),
                total_voucher_value: total,
                currency_country: w.currency_country,
                report_from: date(w.report_from_date.as_deref()),
                report_to: date(w.report_to_date.as_deref()),
            })
        })
        .collect()
}

pub(super) fn parse_esim(
    http: &HttpClient,
    answer: &Answer,
    iccid: &str,
) -> Result<EsimDetails, ProviderError> {
    let w: WireEsim = answer.parse(http, "eSIM details")?;
    Ok(EsimDetails {
        id: w.id,
        iccid: w.iccid.unwrap_or_else(|| iccid.to_owned()),
        plan_name: w.plan_name,
        status: w.status,
        last_updated: w.last_updated,
        validity_days: w.validity_in_days,
        total_data_gb: w.total_data_allowance_gb,
        remaining_data_gb: w.remaining_data_gb,
        message: w.message,
    })
}

/// Adds summary rows of consecutive windows into one row per product and currency, over
/// the whole asked range.
fn merge_summaries(
    rows: Vec<SummaryRow>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<SummaryRow>, ProviderError> {
    let mut merged: Vec<SummaryRow> = Vec::new();
    for row in rows {
        let same = merged.iter_mut().find(|m| {
            m.product_code == row.product_code
                && m.total_voucher_value.currency == row.total_voucher_value.currency
        });
        match same {
            Some(m) => {
                m.transaction_count = m.transaction_count.saturating_add(row.transaction_count);
                m.total_voucher_value = m
                    .total_voucher_value
                    .checked_add(&row.total_voucher_value)
                    .map_err(|e| {
                        ProviderError::bad_response(KIND, format!("summary totals: {e}"))
                    })?;
            }
            None => merged.push(SummaryRow {
                report_from: Some(from),
                report_to: Some(to),
                ..row
            }),
        }
    }
    Ok(merged)
}

fn range_error(from: NaiveDate, to: NaiveDate) -> ProviderError {
    refused(
        format!("the report would start on {from}, after its end on {to}; pick a start date on or before the end date"),
        "INVALID_RANGE",
    )
}

impl VendifyClient {
    pub(super) async fn wallet_balances(&self) -> Result<Vec<WalletBalance>, ProviderError> {
        let a = self
            .fetch(&Call::get(self.endpoint(&["Report", "AccountBalance"])))
            .await?;
        parse_balances(&self.http, &a)
    }

    /// `Report/Reseller/TransactionHistory` for any range: Vendify serves at most two months
    /// per call, so the range is asked for in consecutive windows and the rows joined.
    pub async fn transaction_history(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        status: HistoryStatus,
    ) -> Result<Vec<HistoryEntry>, ProviderError> {
        if from > to {
            return Err(range_error(from, to));
        }
        let mut out = Vec::new();
        for (start, end) in windows(from, to, HISTORY_WINDOW_MONTHS) {
            let call = Call::get(self.endpoint(&["Report", "Reseller", "TransactionHistory"]))
                .query("fromDate", start.to_string())
                .query("toDate", end.to_string())
                .query("status", status.as_str());
            let a = self.fetch(&call).await?;
            out.extend(parse_history(&self.http, &a)?);
        }
        Ok(out)
    }

    /// `Report/Reseller/TransactionSummary` for any range, in 24-month windows whose rows
    /// are added up per product and currency.
    pub async fn transaction_summary(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<SummaryRow>, ProviderError> {
        if from > to {
            return Err(range_error(from, to));
        }
        let ranges = windows(from, to, SUMMARY_WINDOW_MONTHS);
        let mut rows = Vec::new();
        for (start, end) in &ranges {
            let call = Call::get(self.endpoint(&["Report", "Reseller", "TransactionSummary"]))
                .query("fromDate", start.to_string())
                .query("toDate", end.to_string());
            let a = self.fetch(&call).await?;
            rows.extend(parse_summary(&self.http, &a)?);
        }
        if ranges.len() == 1 {
            return Ok(rows); // one call: keep Vendify's own report dates
        }
        merge_summaries(rows, from, to)
    }

    /// `report/esim/details/{iccid}`: plan, state and remaining data of one eSIM.
    pub async fn esim_details(&self, iccid: &str) -> Result<EsimDetails, ProviderError> {
        let iccid = iccid.trim();
        if iccid.is_empty() {
            return Err(refused(
                "no ICCID given; copy it from the order's eSIM details",
                "NO_ICCID",
            ));
        }
        let a = self
            .fetch(&Call::get(
                self.endpoint(&["report", "esim", "details", iccid]),
            ))
            .await?;
        parse_esim(&self.http, &a, iccid)
    }
}
