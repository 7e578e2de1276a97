//! Orders: the purchase pipeline's entry points for the shell and the CLI (price a product,
//! check a meter number, preview, buy, reconcile, list and show). The work is in
//! `crate::orders`; these are thin so the commands stay a line each.

use super::Console;
use crate::error::{Error, Result};
use crate::money::Money;
use crate::providers;
use crate::views::{MoneyView, ProductView};

impl Console {
    /// Validates, commits and sends one purchase: see [`crate::orders::place`].
    pub async fn buy(&self, req: crate::orders::PlaceRequest) -> Result<crate::orders::OrderView> {
        crate::orders::place(self, req).await
    }

    /// Asks the provider about every order that is due now, once each.
    pub async fn reconcile(&self) -> Result<crate::orders::SweepReport> {
        crate::orders::Sweeper::new(self)
            .run_until_idle(self.clock.now())
            .await
    }

    /// One product priced for `face` (decimal text in the product's currency).
    pub async fn product(
        &self,
        account_id: &str,
        product_id: &str,
        face: Option<&str>,
    ) -> Result<ProductView> {
        let provider = self.provider(account_id).await?;
        let face = match face.map(str::trim).filter(|f| !f.is_empty()) {
            None => None,
            Some(text) => {
                let amount = crate::money::parse_amount(text)
                    .map_err(|e| Error::invalid("amount", e.to_string()))?;
                let listed = provider.quote(product_id, None).await?;
                let currency = listed
                    .denominations
                    .first()
                    .map(|d| d.currency.clone())
                    .ok_or_else(|| Error::invalid("product", "this product lists no values"))?;
                Some(Money::new(amount, currency))
            }
        };
        let product = provider.quote(product_id, face.as_ref()).await?;
        Ok(ProductView::from(&product))
    }

    /// Asks the provider whether a smartcard or meter number is real, before a purchase.
    pub async fn validate_account(
        &self,
        account_id: &str,
        product_id: &str,
        account_number: &str,
    ) -> Result<crate::views::ValidationView> {
        self.validate_account_as(account_id, product_id, account_number, None)
            .await
    }

    /// [`Console::validate_account`] for a PREPAID or POSTPAID meter (`resellerctl validate
    /// --service-type`); the product's own type when `None`.
    pub async fn validate_account_as(
        &self,
        account_id: &str,
        product_id: &str,
        account_number: &str,
        service_type: Option<&str>,
    ) -> Result<crate::views::ValidationView> {
        let service_type = match service_type.map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(t) if t.eq_ignore_ascii_case("PREPAID") || t.eq_ignore_ascii_case("POSTPAID") => {
                Some(t.to_ascii_uppercase())
            }
            Some(t) => {
                return Err(Error::invalid(
                    "service_type",
                    format!("\"{t}\" is not a meter type: use prepaid or postpaid"),
                ))
            }
        };
        let number = account_number.trim();
        if number.is_empty() {
            return Err(Error::invalid(
                "account_number",
                "enter the smartcard or meter number",
            ));
        }
        let provider = self.provider(account_id).await?;
        let v = provider
            .validate_account(&providers::ValidateRequest {
                product_id: product_id.to_owned(),
                account_number: number.to_owned(),
                service_type,
            })
            .await?;
        Ok(crate::views::ValidationView {
            valid: v.valid,
            account_name: v.account_name,
            options: v
                .options
                .iter()
                .map(|o| crate::views::ProductOptionView {
                    code: o.code.clone(),
                    name: o.name.clone(),
                    price: MoneyView::from(&o.price),
                    months: o.months,
                })
                .collect(),
            message: v.message,
        })
    }

    /// What a purchase would cost and leave, before the user confirms.
    pub async fn preview_order(
        &self,
        req: &crate::orders::PlaceRequest,
    ) -> Result<crate::orders::PlacePreview> {
        crate::orders::preview(self, req).await
    }

    pub async fn orders(
        &self,
        filter: &crate::orders::OrderFilter,
        page: &crate::orders::PageRequest,
    ) -> Result<crate::orders::OrderPage> {
        crate::orders::list(self.ledger.reader(), filter, page).await
    }

    pub async fn order(&self, id_or_reference: &str) -> Result<crate::orders::OrderDetailView> {
        crate::orders::show(self.ledger.reader(), id_or_reference).await
    }

    /// Orders a person should look at: needing attention, or reversed lately.
    pub async fn attention(&self) -> Result<Vec<crate::orders::OrderView>> {
        crate::orders::attention(self.ledger.reader(), self.clock.now()).await
    }

    /// Closes a `needs_attention` order as a person found it in the provider's portal;
    /// `actor` is who did it (recorded on the order and in the audit log).
    pub async fn resolve_order(
        &self,
        id_or_reference: &str,
        resolution: &crate::orders::Resolution,
        actor: &str,
    ) -> Result<crate::orders::OrderView> {
        crate::orders::resolve(
            &self.ledger,
            id_or_reference,
            resolution,
            actor,
            self.clock.now(),
        )
        .await
    }
}
