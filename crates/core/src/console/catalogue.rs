//! The catalogue as the app and `resellerctl catalog` browse it: answered from the account's
//! saved copy in SQLite, which is fetched whole from the provider on first use and on
//! refresh; live only where the provider's list depends on the request itself.
//!
//! One set of filter rules serves every provider ([`products::Filter`]). Where an adapter
//! ignored a filter when asked live (RukkyStore's country or brand, RukaPay's brand), the
//! saved catalogue now applies it.

use super::Console;
use crate::error::{Error, Result};
use crate::ledger::products::{self, CacheError, Filter, SavedCatalogue};
use crate::ledger::LedgerError;
use crate::providers::{CatalogueQuery, Provider, ProviderError, ProviderKind};
use crate::views::{CatalogueRefresh, CatalogueView, CategoryView, ProductView};

/// eStoreSMS lists products per phone number (`network_list` and `data_list` answer for
/// the number's network): no account-wide list exists, so there is nothing to save. With a
/// phone the list is asked live every time, since a list saved for one customer's network
/// is wrong for the next customer's; without one the adapter says, before sending anything,
/// that a number is needed.
fn lists_by_phone(kind: ProviderKind) -> bool {
    kind == ProviderKind::Estoresms
}

/// The saved catalogue is priced the way a default query is (Vendify from the account's
/// wallet, the demo provider from a wallet in each product's currency); a query naming
/// another wallet wants other prices, so it is asked live.
fn answered_live(kind: ProviderKind, q: &CatalogueQuery) -> bool {
    lists_by_phone(kind) || q.wallet_id.as_deref().is_some_and(|w| !w.trim().is_empty())
}

/// The provider a call was given (tests), or the account's own, connected only when needed:
/// browsing a saved catalogue needs neither the network nor the keychain.
enum Connected<'a> {
    Given(&'a dyn Provider),
    Own(std::sync::Arc<dyn Provider>),
}

impl Connected<'_> {
    fn get(&self) -> &dyn Provider {
        match self {
            Connected::Given(p) => *p,
            Connected::Own(p) => p.as_ref(),
        }
    }
}

fn product_views(list: &[crate::providers::Product]) -> Vec<ProductView> {
    list.iter().map(ProductView::from).collect()
}

impl Console {
    async fn connect<'a>(
        &self,
        given: Option<&'a dyn Provider>,
        account_id: &str,
    ) -> Result<Connected<'a>> {
        Ok(match given {
            Some(p) => Connected::Given(p),
            None => Connected::Own(self.provider(account_id).await?),
        })
    }

    /// The account's catalogue filtered by `query`: from the saved copy when there is one,
    /// else fetched whole, saved, then filtered.
    pub async fn catalogue(
        &self,
        account_id: &str,
        query: &CatalogueQuery,
    ) -> Result<CatalogueView> {
        self.catalogue_from(None, account_id, query).await
    }

    /// [`Console::catalogue`] through a given provider (tests count its calls).
    pub async fn catalogue_via(
        &self,
        provider: &dyn Provider,
        account_id: &str,
        query: &CatalogueQuery,
    ) -> Result<CatalogueView> {
        self.catalogue_from(Some(provider), account_id, query).await
    }

    async fn catalogue_from(
        &self,
        given: Option<&dyn Provider>,
        account_id: &str,
        query: &CatalogueQuery,
    ) -> Result<CatalogueView> {
        let row = self.account(account_id).await?;
        if answered_live(row.provider, query) {
            let provider = self.connect(given, account_id).await?;
            let list = provider.get().catalogue(query).await?;
            return Ok(CatalogueView {
                products: product_views(&list),
                fetched_at: None,
                from_cache: false,
            });
        }
        let (mut saved, mut fetched_now) = self.saved_catalogue(given, account_id).await?;
        let filter = Filter::from(query);
        let reader = self.ledger.reader();
        let list = match products::find(reader, account_id, &filter).await {
            Ok(list) => list,
            Err(CacheError::Ledger(e)) => return Err(e.into()),
            Err(e @ CacheError::Unreadable { .. }) => {
                // The copy is only a copy: fetch it anew rather than show part of it.
                tracing::warn!(account = account_id, error = %e, "saved catalogue unreadable; fetching it anew");
                let provider = self.connect(given, account_id).await?;
                saved = {
                    let _turn = self.catalogue_fetch.lock().await;
                    self.fetch_and_save(provider.get(), account_id).await?
                };
                fetched_now = true;
                products::find(reader, account_id, &filter)
                    .await
                    .map_err(|again| match again {
                        CacheError::Ledger(l) => Error::from(l),
                        other @ CacheError::Unreadable { .. } => {
                            tracing::error!(error = %other, "a catalogue just saved does not read back");
                            Error::internal("reading the catalogue just saved")
                        }
                    })?
            }
        };
        Ok(CatalogueView {
            products: product_views(&list),
            fetched_at: Some(saved.fetched_at),
            from_cache: !fetched_now,
        })
    }

    /// The account's categories: those of its saved products, in listing order, so every
    /// category offered has something in it and matches the saved list (no second request
    /// to the provider, no category the provider names but lists nothing under).
    pub async fn categories(&self, account_id: &str) -> Result<Vec<CategoryView>> {
        self.categories_from(None, account_id).await
    }

    /// [`Console::categories`] through a given provider (tests count its calls).
    pub async fn categories_via(
        &self,
        provider: &dyn Provider,
        account_id: &str,
    ) -> Result<Vec<CategoryView>> {
        self.categories_from(Some(provider), account_id).await
    }

    async fn categories_from(
        &self,
        given: Option<&dyn Provider>,
        account_id: &str,
    ) -> Result<Vec<CategoryView>> {
        let row = self.account(account_id).await?;
        let list = if lists_by_phone(row.provider) {
            // eStoreSMS's categories are fixed (airtime, data) and need no phone number.
            self.connect(given, account_id)
                .await?
                .get()
                .categories()
                .await?
        } else {
            self.saved_catalogue(given, account_id).await?;
            products::categories(self.ledger.reader(), account_id).await?
        };
        Ok(list
            .into_iter()
            .map(|c| CategoryView {
                code: c.code,
                name: c.name,
            })
            .collect())
    }

    /// Fetches the account's whole catalogue and replaces the saved one. If the provider
    /// cannot be reached (or the write fails) the saved catalogue stays as it was and the
    /// error says why.
    pub async fn refresh_catalogue(&self, account_id: &str) -> Result<CatalogueRefresh> {
        self.refresh_from(None, account_id).await
    }

    /// [`Console::refresh_catalogue`] through a given provider (tests change what it lists).
    pub async fn refresh_catalogue_via(
        &self,
        provider: &dyn Provider,
        account_id: &str,
    ) -> Result<CatalogueRefresh> {
        self.refresh_from(Some(provider), account_id).await
    }

    async fn refresh_from(
        &self,
        given: Option<&dyn Provider>,
        account_id: &str,
    ) -> Result<CatalogueRefresh> {
        let row = self.account(account_id).await?;
        if lists_by_phone(row.provider) {
            return Err(ProviderError::Unsupported {
                provider: row.provider,
                capability: "a saved catalogue: its products depend on the customer's phone number",
            }
            .into());
        }
        let provider = self.connect(given, account_id).await?;
        let saved = {
            let _turn = self.catalogue_fetch.lock().await;
            self.fetch_and_save(provider.get(), account_id).await?
        };
        Ok(CatalogueRefresh {
            account_id: account_id.to_owned(),
            product_count: saved.product_count,
            fetched_at: saved.fetched_at,
        })
    }

    /// The saved catalogue, fetched and saved first if there is none yet; `true` when it
    /// was fetched by this call.
    async fn saved_catalogue(
        &self,
        given: Option<&dyn Provider>,
        account_id: &str,
    ) -> Result<(SavedCatalogue, bool)> {
        let reader = self.ledger.reader();
        if let Some(s) = products::saved(reader, account_id).await? {
            return Ok((s, false));
        }
        let _turn = self.catalogue_fetch.lock().await;
        // The page asks for categories and products at once: whichever came second finds
        // the catalogue the first one saved while it waited.
        if let Some(s) = products::saved(reader, account_id).await? {
            return Ok((s, false));
        }
        let provider = self.connect(given, account_id).await?;
        Ok((self.fetch_and_save(provider.get(), account_id).await?, true))
    }

    /// Asks for everything and replaces the saved copy in one transaction. The caller holds
    /// `catalogue_fetch`, so two fetches never race to write.
    async fn fetch_and_save(
        &self,
        provider: &dyn Provider,
        account_id: &str,
    ) -> Result<SavedCatalogue> {
        // An empty query lists everything: each adapter treats an absent filter as none,
        // and Vendify and RukkyStore walk all their categories when none is named.
        let list = provider.catalogue(&CatalogueQuery::default()).await?;
        let fetched_at = self.now();
        let mut tx = self.ledger.begin_write().await?;
        let product_count = products::replace(&mut tx, account_id, &list, &fetched_at).await?;
        tx.commit().await.map_err(LedgerError::from)?;
        tracing::info!(
            account = account_id,
            products = product_count,
            "catalogue saved"
        );
        Ok(SavedCatalogue {
            fetched_at,
            product_count,
        })
    }
}

#[cfg(test)]
mod tests;
