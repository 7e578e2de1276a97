//! What RukaPay says about one transfer, in shared money types: the public result of
//! `RukaPayClient::transaction` and `parse_callback`, and how it becomes a `PurchaseOutcome`.

use crate::money::Money;
use crate::providers::{Delivery, OutcomeStatus, PurchaseOutcome, WalletBalance};

/// The four documented statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferStatus {
    Success,
    /// Awaiting customer approval (collections) or provider processing.
    Pending,
    /// Being processed by the payment network: still pending for the ledger.
    Processing,
    Failed,
}

/// Who received (or, for a collection, paid): `recipient` in the transfer answer,
/// `destination` in the status answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    pub name: Option<String>,
    /// Phone number (256XXXXXXXXX) or bank/bill account number.
    pub account: Option<String>,
    /// MTN, AIRTEL, a bank code or a biller code.
    pub provider: Option<String>,
}

/// The wallet movement the transfer answer reports (`walletBalance`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalletMovement {
    pub wallet_id: String,
    /// ESCROW or COMMISSION.
    pub wallet_type: Option<String>,
    pub balance_before: Option<Money>,
    pub balance_after: Money,
}

/// One RukaPay transaction, from a transfer answer, a status answer or a callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRecord {
    /// RukaPay's id (`transactionId` / `id`), accepted by the status endpoint.
    pub id: Option<String>,
    /// RukaPay's human reference (`RKP-…`), in transfer answers only.
    pub reference: Option<String>,
    /// Our reference, echoed by status answers.
    pub partner_reference: Option<String>,
    /// The network's receipt (`mnoTransactionId`, else `mnoId`): proof of payment for the
    /// customer.
    pub mno_transaction_id: Option<String>,
    pub status: TransferStatus,
    pub amount: Option<Money>,
    pub fee: Option<Money>,
    /// What the wallet was charged: `totalCharged` (transfer) or `totalAmount` (status).
    pub total: Option<Money>,
    /// MNO, BANK, BILL… as RukaPay names it.
    pub destination_type: Option<String>,
    pub recipient: Party,
    pub created_at: Option<String>,
    pub completed_at: Option<String>,
    /// `failureReason` (status) or `errorMessage` (callback).
    pub failure_reason: Option<String>,
    /// The envelope's `message`.
    pub message: Option<String>,
    pub wallet: Option<WalletMovement>,
}

impl TransferRecord {
    /// The shared view of this transaction. PROCESSING is pending; a failed transfer reports
    /// no charge (RukaPay does not say one stays) and its failure reason as the message.
    pub fn outcome(&self) -> PurchaseOutcome {
        let status = match self.status {
            TransferStatus::Success => OutcomeStatus::Succeeded,
            TransferStatus::Pending | TransferStatus::Processing => OutcomeStatus::Pending,
            TransferStatus::Failed => OutcomeStatus::Failed,
        };
        let message = match self.status {
            TransferStatus::Failed => self.failure_reason.clone().or_else(|| self.message.clone()),
            _ => self.message.clone(),
        };
        PurchaseOutcome {
            status,
            provider_reference: self.id.clone().or_else(|| self.reference.clone()),
            charged: (status != OutcomeStatus::Failed)
                .then(|| self.total.clone())
                .flatten(),
            // Keyed by the wallet type (ESCROW / COMMISSION) when the answer names it: that
            // is the name an order picks its wallet by before any answer has shown the
            // provider's own wallet id (see `RukaPayClient::wallet`).
            balance_after: self.wallet.as_ref().map(|w| WalletBalance {
                wallet_id: w.wallet_type.clone().unwrap_or_else(|| w.wallet_id.clone()),
                balance: w.balance_after.clone(),
            }),
            // Money transfers deliver nothing to hand over; the MNO receipt is on the record.
            delivery: Delivery::default(),
            message,
        }
    }
}
