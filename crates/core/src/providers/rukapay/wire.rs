//! RukaPay's JSON as it travels, private to the adapter: the transfer body we send and the
//! answers we read, turned into [`TransferRecord`]s by pure functions the proptests drive.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::record::{Party, TransferRecord, TransferStatus, WalletMovement};
use crate::money::{de_opt_amount, Currency, Money};
use crate::providers::AccountValidation;

/// The `process-transfer` body (also sent, without the money fields, to
/// `validate-beneficiary`). Absent fields are left out, not sent as `null`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(super) struct TransferBody {
    pub transaction_mode: String,
    /// Whole shillings: UGX has no minor unit, and an integer never goes through a float.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    pub currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub narration: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wallet_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mno_provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bank_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub biller_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
}

/// `{success, message, transaction, walletBalance}`: the transfer answer, the status answer
/// and (we assume) the callback all share this envelope.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    #[serde(default)]
    success: Option<bool>,
    #[serde(default, deserialize_with = "de_opt_text")]
    message: Option<String>,
    #[serde(default)]
    transaction: Option<TransactionWire>,
    #[serde(default)]
    wallet_balance: Option<WalletWire>,
}

/// Both transaction shapes in one: the transfer answer says `transactionId`/`totalCharged`/
/// `recipient`, the status answer `id`/`totalAmount`/`destination`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TransactionWire {
    #[serde(default, deserialize_with = "de_opt_text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    transaction_id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    reference: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    partner_reference: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    mno_id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    mno_transaction_id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    amount: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    fee: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    total_charged: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    total_amount: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    currency: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    failure_reason: Option<String>,
    /// Named by the document for callbacks ("See failureReason or callback errorMessage").
    #[serde(default, deserialize_with = "de_opt_text")]
    error_message: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    destination_type: Option<String>,
    #[serde(default)]
    destination: Option<Value>,
    #[serde(default)]
    recipient: Option<Value>,
    #[serde(default, deserialize_with = "de_opt_text")]
    created_at: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    completed_at: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WalletWire {
    #[serde(default, deserialize_with = "de_opt_text")]
    wallet_id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    wallet_type: Option<String>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    balance_before: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_amount")]
    balance_after: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    currency: Option<String>,
}

/// Text that may come as a string, a number, or (NestJS validation style) a list of strings.
/// Objects and booleans are dropped rather than failing a whole answer over a side field.
fn de_opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v: Option<Value> = Deserialize::deserialize(d)?;
    Ok(v.as_ref().and_then(value_text))
}

pub(super) fn value_text(v: &Value) -> Option<String> {
    let text = match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .filter_map(value_text)
            .collect::<Vec<_>>()
            .join("; "),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// What a 2xx answer from the transfer or status endpoint says.
#[derive(Debug)]
pub(super) enum Answer {
    /// The transaction, whatever its status.
    Record(Box<TransferRecord>),
    /// `success: false` and no transaction: a refusal, read from the body like a 4xx.
    Refused,
}

/// Reads a transfer or status answer. `Err` carries the reason it cannot be read.
pub(super) fn read_answer(body: &str) -> Result<Answer, String> {
    let env: Envelope = serde_json::from_str(body)
        .map_err(|e| format!("the answer is not the expected JSON: {e}"))?;
    match env.transaction {
        Some(tx) => {
            record(tx, env.wallet_balance, env.message).map(|r| Answer::Record(Box::new(r)))
        }
        None if env.success == Some(false) => Ok(Answer::Refused),
        None => Err("the answer has no transaction".to_owned()),
    }
}

/// Reads a callback: the status envelope, or (if RukaPay posts it bare) the transaction.
pub(super) fn read_callback(body: &str) -> Result<TransferRecord, String> {
    if let Ok(Answer::Record(r)) = read_answer(body) {
        return Ok(*r);
    }
    let tx: TransactionWire = serde_json::from_str(body)
        .map_err(|e| format!("the callback is not the expected JSON: {e}"))?;
    if tx.status.is_none() {
        return Err("the callback has no transaction status".to_owned());
    }
    record(tx, None, None)
}

fn status_of(raw: Option<&str>) -> Result<TransferStatus, String> {
    let raw = raw.ok_or("the transaction has no status")?;
    match raw.trim().to_ascii_uppercase().as_str() {
        "SUCCESS" => Ok(TransferStatus::Success),
        "PENDING" => Ok(TransferStatus::Pending),
        "PROCESSING" => Ok(TransferStatus::Processing),
        "FAILED" => Ok(TransferStatus::Failed),
        _ => Err(format!(
            "transaction status \"{}\" is not one RukaPay documents (SUCCESS, PENDING, PROCESSING, FAILED)",
            raw.chars().take(40).collect::<String>()
        )),
    }
}

fn currency(code: Option<&str>) -> Result<Currency, String> {
    // Every documented amount is UGX; the status answer names it, the transfer answer only
    // under walletBalance.
    Currency::new(code.unwrap_or("UGX")).map_err(|e| e.to_string())
}

fn record(
    tx: TransactionWire,
    wallet: Option<WalletWire>,
    message: Option<String>,
) -> Result<TransferRecord, String> {
    let status = status_of(tx.status.as_deref())?;
    let wallet_cur = wallet.as_ref().and_then(|w| w.currency.as_deref());
    let cur = currency(tx.currency.as_deref().or(wallet_cur))?;
    let money = |d: Option<Decimal>| d.map(|a| Money::new(a, cur.clone()));
    let wallet = match wallet {
        Some(w) => wallet_movement(w)?,
        None => None,
    };
    let party = tx
        .recipient
        .as_ref()
        .or(tx.destination.as_ref())
        .map(party)
        .unwrap_or_default();
    Ok(TransferRecord {
        id: tx.id.or(tx.transaction_id),
        reference: tx.reference,
        partner_reference: tx.partner_reference,
        mno_transaction_id: tx.mno_transaction_id.or(tx.mno_id),
        status,
        amount: money(tx.amount),
        fee: money(tx.fee),
        total: money(tx.total_charged.or(tx.total_amount)),
        destination_type: tx.destination_type,
        recipient: party,
        created_at: tx.created_at,
        completed_at: tx.completed_at,
        failure_reason: tx.failure_reason.or(tx.error_message),
        message,
        wallet,
    })
}

fn wallet_movement(w: WalletWire) -> Result<Option<WalletMovement>, String> {
    let Some(after) = w.balance_after else {
        return Ok(None);
    };
    let cur = currency(w.currency.as_deref())?;
    // walletId is in the sample; without it the wallet type still names the wallet.
    let wallet_id = w
        .wallet_id
        .or_else(|| w.wallet_type.clone())
        .unwrap_or_else(|| "ESCROW".to_owned());
    Ok(Some(WalletMovement {
        wallet_id,
        // Upper case, as orders name the wallet: a balance keyed "escrow" would not be seen.
        wallet_type: w.wallet_type.map(|t| t.to_ascii_uppercase()),
        balance_before: w.balance_before.map(|b| Money::new(b, cur.clone())),
        balance_after: Money::new(after, cur),
    }))
}

/// `recipient {name, account, provider}` or `destination {phoneNumber | accountNumber, provider}`.
fn party(v: &Value) -> Party {
    let text = |keys: &[&str]| keys.iter().find_map(|k| v.get(*k).and_then(value_text));
    Party {
        name: text(&["name", "recipientName", "accountName"]),
        account: text(&["account", "phoneNumber", "accountNumber"]),
        provider: text(&["provider", "mnoProvider", "bankCode", "billerCode"]),
    }
}

/// Reads a validate-beneficiary answer. Its shape is undocumented; we assume the usual
/// `{success, message, data?}` with the holder's name under one of the common keys, at the
/// top or under `data`, `beneficiary`, `recipient` or `transaction(.recipient)`.
pub(super) fn read_validation(body: &str) -> Result<AccountValidation, String> {
    let v: Value = serde_json::from_str(body)
        .map_err(|e| format!("the validation answer is not JSON: {e}"))?;
    if !v.is_object() {
        return Err("the validation answer is not a JSON object".to_owned());
    }
    let tx = v.get("transaction");
    let scopes: Vec<&Value> = [
        Some(&v),
        v.get("data"),
        v.get("beneficiary"),
        v.get("recipient"),
        tx,
        tx.and_then(|t| t.get("recipient")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let flag = |keys: &[&str]| {
        scopes
            .iter()
            .find_map(|s| keys.iter().find_map(|k| s.get(*k).and_then(Value::as_bool)))
    };
    let success = v.get("success").and_then(Value::as_bool);
    let valid_flag = flag(&["valid", "isValid", "exists"]);
    if success.is_none() && valid_flag.is_none() {
        return Err("the validation answer says neither success nor valid".to_owned());
    }
    let account_name = scopes.iter().find_map(|s| {
        [
            "accountName",
            "recipientName",
            "beneficiaryName",
            "customerName",
            "name",
        ]
        .iter()
        .find_map(|k| s.get(*k).and_then(value_text))
    });
    Ok(AccountValidation {
        valid: success != Some(false) && valid_flag != Some(false),
        account_name,
        options: Vec::new(),
        message: v.get("message").and_then(value_text),
    })
}
