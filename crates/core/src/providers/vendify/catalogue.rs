//! Vendify's product catalogue: categories, products by category with the `filters` JSON
//! query parameter, and one product priced for a chosen value (`Product/{id}`).

use rust_decimal::Decimal;
use serde::Deserialize;

use super::envelope::{Answer, LooseItem};
use super::wire::{currency, de_lenient, de_lenient_amount, de_opt_text, money, pick};
use super::{Call, VendifyClient, KIND};
use crate::money::{Currency, Money};
use crate::providers::http::HttpClient;
use crate::providers::{
    CatalogueQuery, Category, Denomination, DenominationKind, ExtraField, Product, ProviderError,
};

/// The placeholder product code of products whose real code comes from a validation.
pub const VALIDATION_PLACEHOLDER: &str = "USE_VALIDATION_PRODUCT_CODE";

/// What value to price a product at (`Product/{id}` query parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceAsk {
    /// `requestFaceValue`: the face value in the product's own currency.
    Face(Decimal),
    /// `requestTargetValue`: the amount in the paying wallet's currency.
    Target(Decimal),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireProduct {
    #[serde(default, deserialize_with = "de_opt_text")]
    product_id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    product_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    provider_id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    category: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    category_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    sub_category: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    sub_category_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    brand_family: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    brand_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    provider_name: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    description: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    validity: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    wallet_id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "de_lenient_amount")]
    original_value: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    original_currency_code: Option<String>,
    /// Deprecated twin of `originalValue`, read when that is missing.
    #[serde(default, deserialize_with = "de_lenient_amount")]
    value: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    value_currency_code: Option<String>,
    #[serde(default, deserialize_with = "de_lenient_amount")]
    product_cost: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    product_cost_currency_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    target_currency_code: Option<String>,
    #[serde(default, deserialize_with = "de_lenient")]
    fx_rate: Option<WireFx>,
    #[serde(default, deserialize_with = "de_lenient")]
    denominations: Option<Vec<WireDenomination>>,
    #[serde(default, deserialize_with = "de_lenient")]
    redeemable_country_codes: Option<Vec<String>>,
}

#[derive(Deserialize)]
pub(super) struct WireFx {
    #[serde(default, deserialize_with = "de_lenient_amount")]
    rate: Option<Decimal>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireDenomination {
    #[serde(default, rename = "type", deserialize_with = "de_opt_text")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "de_lenient_amount")]
    min_value: Option<Decimal>,
    #[serde(default, deserialize_with = "de_lenient_amount")]
    max_value: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    currency_code: Option<String>,
}

impl WireProduct {
    /// The shared product, or `None` when the entry has no id or name (it cannot be sold).
    pub(super) fn into_product(self) -> Option<Product> {
        let id = self.product_id?;
        let name = self.name?;
        let face_code = self.original_currency_code.or(self.value_currency_code);
        let face_currency = currency(face_code.as_deref());
        let face_amount = self.original_value.or(self.value);
        let mut denominations: Vec<Denomination> = self
            .denominations
            .unwrap_or_default()
            .into_iter()
            .filter_map(|d| d.into_shared(face_currency.as_ref()))
            .collect();
        if denominations.is_empty() {
            // No denomination list: the listed face value is the one value on sale.
            if let (Some(v), Some(c)) = (face_amount, face_currency.clone()) {
                denominations.push(Denomination {
                    kind: DenominationKind::Fixed,
                    min: v,
                    max: v,
                    currency: c,
                });
            }
        }
        let placeholder = self
            .product_code
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case(VALIDATION_PLACEHOLDER));
        let category_code = self.category_code.unwrap_or_default();
        // "I am getting an error asking for customer phone number when processing a utility
        // (electricity) transaction": electricity orders carry `accountTelephone`.
        let needs = if is_electricity(&category_code) {
            vec![ExtraField::CustomerPhone]
        } else {
            Vec::new()
        };
        let cost_code = self
            .product_cost_currency_code
            .or(self.target_currency_code);
        Some(Product {
            id,
            code: self.product_code.filter(|_| !placeholder),
            name,
            category_code,
            category: self.category.unwrap_or_default(),
            sub_category_code: self.sub_category_code,
            sub_category: self.sub_category,
            brand_code: self.brand_code,
            brand_family: self.brand_family,
            operator: self.provider_name,
            country_codes: self.redeemable_country_codes.unwrap_or_default(),
            denominations,
            cost: money(self.product_cost, cost_code.as_deref()),
            face_value: face_amount
                .zip(face_currency)
                .map(|(a, c)| Money::new(a, c)),
            fx_rate: self.fx_rate.and_then(|f| f.rate),
            wallet_id: self.wallet_id,
            validity: self.validity,
            description: self.description,
            requires_validation: placeholder,
            needs,
            // `status` appears only in some listings: 1 active, 0 inactive.
            active: self
                .status
                .as_deref()
                .and_then(super::wire::flag)
                .unwrap_or(true),
            provider_ref: self.provider_id,
        })
    }
}

impl WireDenomination {
    fn into_shared(self, face_currency: Option<&Currency>) -> Option<Denomination> {
        let min = self.min_value.or(self.max_value)?;
        let max = self.max_value.unwrap_or(min);
        if min > max {
            tracing::warn!(%min, %max, "Vendify denomination with min above max; skipped");
            return None;
        }
        let currency =
            currency(self.currency_code.as_deref()).or_else(|| face_currency.cloned())?;
        // Only "fixed" and "range" are documented; any other word is judged by its bounds.
        let kind = match self.kind.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("fixed") => DenominationKind::Fixed,
            Some("range") => DenominationKind::Range,
            _ if min == max => DenominationKind::Fixed,
            _ => DenominationKind::Range,
        };
        Some(Denomination {
            kind,
            min,
            max,
            currency,
        })
    }
}

/// The `filters` query value, keys in the document's order, each value trimmed (a comma
/// list stays a comma list); `None` when nothing filters.
pub fn filters(pairs: &[(&str, Option<&str>)]) -> Option<String> {
    let parts: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| {
            let v = v.map(str::trim).filter(|v| !v.is_empty())?;
            let list: Vec<&str> = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            let text = serde_json::to_string(&list.join(",")).ok()?;
            Some(format!("\"{k}\":{text}"))
        })
        .collect();
    (!parts.is_empty()).then(|| format!("{{{}}}", parts.join(",")))
}

pub(super) fn parse_products(
    http: &HttpClient,
    answer: &Answer,
) -> Result<Vec<Product>, ProviderError> {
    let items: Vec<WireProduct> = answer.parse_list(http, "product list")?;
    Ok(items
        .into_iter()
        .filter_map(WireProduct::into_product)
        .collect())
}

pub(super) fn parse_product(http: &HttpClient, answer: &Answer) -> Result<Product, ProviderError> {
    let raw = answer.require(http, "product")?;
    // One product is an object; tolerate a one-item list.
    let wire: WireProduct = if raw.get().trim_start().starts_with('[') {
        answer
            .parse_list::<WireProduct>(http, "product")?
            .into_iter()
            .next()
            .ok_or_else(|| ProviderError::NotFound {
                provider: KIND,
                what: "the product".to_owned(),
            })?
    } else {
        answer.parse(http, "product")?
    };
    wire.into_product()
        .ok_or_else(|| ProviderError::BadResponse {
            provider: KIND,
            reason: "the product has no productId or name".to_owned(),
            body: http.keep_body(raw.get()),
        })
}

/// `Product/Categories` has no sample answer; the product listings call the same pair
/// `categoryCode` / `category`, so those names are read first, then `code` / `name`.
pub(super) fn parse_categories(
    http: &HttpClient,
    answer: &Answer,
) -> Result<Vec<Category>, ProviderError> {
    Ok(answer
        .parse_loose_list(http, "category list")?
        .into_iter()
        .filter_map(|item| match item {
            LooseItem::Text(code) => Some(Category {
                name: code.clone(),
                code,
            }),
            LooseItem::Object(m) => {
                let code = pick(&m, &["categoryCode", "code"])?;
                let name = pick(&m, &["category", "categoryName", "name", "description"])
                    .unwrap_or_else(|| code.clone());
                Some(Category { code, name })
            }
        })
        .collect())
}

impl VendifyClient {
    pub(super) async fn product_categories(&self) -> Result<Vec<Category>, ProviderError> {
        let a = self
            .fetch(&Call::get(self.endpoint(&["Product", "Categories"])))
            .await?;
        parse_categories(&self.http, &a)
    }

    /// Products of the query's categories (each comma-separated code, or every category
    /// when none is given), filtered by Vendify and then by `search` locally.
    pub(super) async fn products(&self, q: &CatalogueQuery) -> Result<Vec<Product>, ProviderError> {
        let codes: Vec<String> = match q
            .category
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty() && !c.eq_ignore_ascii_case("ALL"))
        {
            Some(c) => c
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            None => self
                .product_categories()
                .await?
                .into_iter()
                .map(|c| c.code)
                .collect(),
        };
        let filter = filters(&[
            ("countryCode", q.country.as_deref()),
            ("subCategoryCode", q.sub_category.as_deref()),
            ("brandFamily", q.brand_family.as_deref()),
            ("brandCode", q.brand_code.as_deref()),
        ]);
        let needle = q
            .search
            .as_deref()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty());
        let mut out = Vec::new();
        for code in &codes {
            let mut call = Call::get(self.endpoint(&["Product", "Category", code]))
                .wallet(self.wallet(q.wallet_id.as_deref()));
            if let Some(f) = &filter {
                call = call.query("filters", f.clone());
            }
            let a = self.fetch(&call).await?;
            out.extend(
                parse_products(&self.http, &a)?
                    .into_iter()
                    .filter(|p| matches_search(p, needle.as_deref())),
            );
        }
        Ok(out)
    }

    /// One product (`Product/{id}`), priced for `ask` when given.
    pub async fn product_details(
        &self,
        product_id: &str,
        ask: Option<PriceAsk>,
    ) -> Result<Product, ProviderError> {
        let id = super::numeric_id(product_id, "product id")?;
        let mut call =
            Call::get(self.endpoint(&["Product", &id.to_string()])).wallet(self.wallet(None));
        match ask {
            Some(PriceAsk::Face(v)) => call = call.query("requestFaceValue", v.to_string()),
            Some(PriceAsk::Target(v)) => call = call.query("requestTargetValue", v.to_string()),
            None => {}
        }
        let a = self.fetch(&call).await?;
        parse_product(&self.http, &a)
    }
}

fn matches_search(p: &Product, needle: Option<&str>) -> bool {
    let Some(n) = needle else { return true };
    p.search_fields().any(|f| f.to_lowercase().contains(n))
}

/// Vendify's electricity categories ("electricity", "ELECT" as the validation service code).
pub(crate) fn is_electricity(category_code: &str) -> bool {
    let c = category_code.to_ascii_lowercase();
    c.starts_with("elect") || c.contains("electricity")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_follow_the_documented_shape() {
        assert_eq!(
            filters(&[("countryCode", Some("GBR"))]).as_deref(),
            Some(r#"{"countryCode":"GBR"}"#)
        );
        assert_eq!(
            filters(&[("countryCode", Some(" USA, GBR "))]).as_deref(),
            Some(r#"{"countryCode":"USA,GBR"}"#)
        );
        assert_eq!(
            filters(&[
                ("countryCode", Some("ALL")),
                ("subCategoryCode", Some("Food-Beverage")),
                ("brandCode", None)
            ])
            .as_deref(),
            Some(r#"{"countryCode":"ALL","subCategoryCode":"Food-Beverage"}"#)
        );
        assert_eq!(
            filters(&[("countryCode", Some("  ")), ("brandFamily", None)]),
            None
        );
        // A quote in a value cannot break out of the JSON.
        assert_eq!(
            filters(&[("brandCode", Some("a\"b"))]).as_deref(),
            Some(r#"{"brandCode":"a\"b"}"#)
        );
    }

    #[test]
    fn unknown_denomination_types_are_judged_by_their_bounds() {
        let d = |kind: &str, min: i64, max: i64| WireDenomination {
            kind: Some(kind.to_owned()),
            min_value: Some(Decimal::from(min)),
            max_value: Some(Decimal::from(max)),
            currency_code: Some("NGN".to_owned()),
        };
        assert_eq!(
            d("open", 5, 5).into_shared(None).map(|d| d.kind),
            Some(DenominationKind::Fixed)
        );
        assert_eq!(
            d("open", 5, 50).into_shared(None).map(|d| d.kind),
            Some(DenominationKind::Range)
        );
        assert_eq!(
            d("RANGE", 5, 50).into_shared(None).map(|d| d.kind),
            Some(DenominationKind::Range)
        );
        assert!(d("range", 50, 5).into_shared(None).is_none());
    }
}
