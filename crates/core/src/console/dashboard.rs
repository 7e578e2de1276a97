//! The dashboard: every account's wallets, fresh where the provider answers in time and
//! the last reported balances otherwise, and the balance bookkeeping behind it.

use std::time::Duration;

use rust_decimal::Decimal;

use super::accounts::account_view;
use super::Console;
use crate::error::{Error, Result};
use crate::ledger::{accounts, balances};
use crate::money::Money;
use crate::providers::{self, WalletBalance};
use crate::views::{Dashboard, DashboardAccount, MoneyView, WalletView};

/// How long the dashboard waits for one provider's balances before showing the last known.
const DASHBOARD_TIMEOUT: Duration = Duration::from_secs(8);

impl Console {
    async fn record_balances(
        &self,
        account_id: &str,
        wallets: &[WalletBalance],
        source: &str,
    ) -> Result<()> {
        let now = self.now();
        let mut tx = self.ledger.begin_write().await?;
        for w in wallets {
            balances::record(&mut *tx, account_id, &w.wallet_id, &w.balance, source, &now).await?;
        }
        tx.commit()
            .await
            .map_err(crate::ledger::LedgerError::from)?;
        Ok(())
    }

    pub(super) async fn fresh_balances(
        &self,
        account_id: &str,
        test: bool,
    ) -> Result<Vec<WalletView>> {
        let provider = self.provider(account_id).await?;
        let wallets = if test {
            provider.test_connection().await?
        } else if provider.capabilities().balance {
            provider.balances().await?
        } else {
            return self.last_known(account_id).await;
        };
        self.record_balances(account_id, &wallets, "balance")
            .await?;
        let now = self.now();
        Ok(wallets
            .iter()
            .map(|w| wallet_view(&w.wallet_id, &w.balance, &now, false))
            .collect())
    }

    /// Every account with its wallets: fresh where the provider answers in time, else the
    /// last balances it told us, marked stale with the reason.
    pub async fn dashboard(&self) -> Result<Dashboard> {
        let rows = accounts::list(self.ledger.reader()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let fresh =
                tokio::time::timeout(DASHBOARD_TIMEOUT, self.fresh_balances(&row.id, false)).await;
            let (wallets, error) = match fresh {
                Ok(Ok(w)) => (w, None),
                Ok(Err(e)) => (self.last_known(&row.id).await?, Some(e.view())),
                Err(_) => (
                    self.last_known(&row.id).await?,
                    Some(
                        Error::Provider(providers::ProviderError::Timeout {
                            provider: row.provider,
                            seconds: DASHBOARD_TIMEOUT.as_secs(),
                        })
                        .view(),
                    ),
                ),
            };
            // A provider with no balance call (RukaPay) still shows the wallet its orders pay
            // from; if it cannot be built, `error` already says why.
            let expected = match self.provider(&row.id).await {
                Ok(p) => p.expected_wallets(),
                Err(_) => Vec::new(),
            };
            let unreported_wallets = expected
                .into_iter()
                .filter(|w| !wallets.iter().any(|v| v.wallet_id == *w))
                .collect();
            out.push(DashboardAccount {
                account: account_view(row),
                stale: error.is_some(),
                wallets,
                unreported_wallets,
                error,
            });
        }
        Ok(Dashboard {
            accounts: out,
            generated_at: self.now(),
        })
    }

    pub(super) async fn last_known(&self, account_id: &str) -> Result<Vec<WalletView>> {
        Ok(balances::latest(self.ledger.reader(), account_id)
            .await?
            .iter()
            .map(|b| wallet_view(&b.wallet_id, &b.balance, &b.observed_at, true))
            .collect())
    }
}

/// Below this a wallet shows a low-balance warning.
pub fn low_balance_threshold(currency: &str) -> Decimal {
    match currency {
        "NGN" => Decimal::from(20_000),
        "UGX" => Decimal::from(50_000),
        _ => Decimal::from(20),
    }
}

fn wallet_view(
    wallet_id: &str,
    balance: &Money,
    observed_at: &str,
    last_reported: bool,
) -> WalletView {
    WalletView {
        wallet_id: wallet_id.to_owned(),
        balance: MoneyView::from(balance),
        observed_at: observed_at.to_owned(),
        last_reported,
        low: balance.amount < low_balance_threshold(balance.currency.code()),
    }
}
