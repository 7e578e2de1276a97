//! Vendify's lookup lists: sub categories, countries, brands, brand families, the voucher
//! service providers assigned to the account, and the all-in FX rates.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::catalogue::filters;
use super::envelope::{Answer, LooseItem};
use super::wire::{currency, de_opt_count, de_opt_flag, de_opt_text, pick};
use super::{Call, VendifyClient};
use crate::money::Currency;
use crate::providers::http::HttpClient;
use crate::providers::ProviderError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubCategory {
    pub id: Option<String>,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166 alpha-3, as the `countryCode` filter takes it.
    pub code: String,
    pub name: Option<String>,
}

/// Filters of the brand and brand-family lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrandFilter {
    pub country_code: Option<String>,
    pub category_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    pub id: Option<String>,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub country_code: Option<String>,
    pub country: Option<String>,
    pub logo_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandFamily {
    pub code: String,
    pub name: String,
    pub product_count: Option<u64>,
    pub country_count: Option<u64>,
    /// ISO alpha-3 codes, from the comma-separated `availableInCountries`.
    pub countries: Vec<String>,
}

/// A voucher service provider the reseller is assigned to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceProvider {
    pub code: String,
    pub name: String,
    pub url: Option<String>,
    pub description: Option<String>,
    pub email: Option<String>,
    pub telephone: Option<String>,
    /// `requestStatus` 1.
    pub active: bool,
}

/// One all-in rate: `product_value` units of `product_currency` cost `all_in_rate` units of
/// `transacting_currency` (FX, Vendify's charges and our commission included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FxRate {
    pub product_currency: Currency,
    pub product_value: Decimal,
    pub transacting_currency: Currency,
    pub all_in_rate: Decimal,
}

/// `product/countries` has no sample answer: objects with `countryCode`/`code`/`iso3` and
/// `country`/`countryName`/`name` (the brand list's names), or plain codes.
pub(super) fn parse_countries(
    http: &HttpClient,
    answer: &Answer,
) -> Result<Vec<Country>, ProviderError> {
    Ok(answer
        .parse_loose_list(http, "country list")?
        .into_iter()
        .filter_map(|item| match item {
            LooseItem::Text(code) => Some(Country { code, name: None }),
            LooseItem::Object(m) => Some(Country {
                code: pick(&m, &["countryCode", "code", "iso3", "isoCode"])?,
                name: pick(&m, &["country", "countryName", "name"]),
            }),
        })
        .collect())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireSubCategory {
    #[serde(default, deserialize_with = "de_opt_text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    sub_category: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    sub_category_code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireBrand {
    #[serde(default, deserialize_with = "de_opt_text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    brand_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    description: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    country_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    country: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    logo_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireBrandFamily {
    #[serde(default, deserialize_with = "de_opt_text")]
    brand_family_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    brand_family: Option<String>,
    #[serde(default, deserialize_with = "de_opt_count")]
    product_count: Option<u64>,
    #[serde(default, deserialize_with = "de_opt_count")]
    country_count: Option<u64>,
    #[serde(default, deserialize_with = "de_opt_text")]
    available_in_countries: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireServiceProvider {
    #[serde(default, deserialize_with = "de_opt_text")]
    provider_code: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    url: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    description: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    email: Option<String>,
    #[serde(default, deserialize_with = "de_opt_text")]
    telephone: Option<String>,
    #[serde(default, deserialize_with = "de_opt_flag")]
    request_status: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireFxRate {
    #[serde(default, deserialize_with = "de_opt_text")]
    product_currency: Option<String>,
    // FX amounts are read strictly: a rate we cannot read must not price anything.
    #[serde(default, deserialize_with = "crate::money::de_opt_amount")]
    product_value: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_text")]
    transacting_currency: Option<String>,
    #[serde(default, deserialize_with = "crate::money::de_opt_amount")]
    all_in_rate: Option<Decimal>,
}

pub(super) fn parse_sub_categories(
    http: &HttpClient,
    a: &Answer,
) -> Result<Vec<SubCategory>, ProviderError> {
    Ok(a.parse_list::<WireSubCategory>(http, "sub-category list")?
        .into_iter()
        .filter_map(|w| {
            let code = w.sub_category_code?;
            Some(SubCategory {
                id: w.id,
                name: w.sub_category.unwrap_or_else(|| code.clone()),
                code,
            })
        })
        .collect())
}

pub(super) fn parse_brands(http: &HttpClient, a: &Answer) -> Result<Vec<Brand>, ProviderError> {
    Ok(a.parse_list::<WireBrand>(http, "brand list")?
        .into_iter()
        .filter_map(|w| {
            let code = w.brand_code?;
            Some(Brand {
                id: w.id,
                name: w.name.unwrap_or_else(|| code.clone()),
                code,
                description: w.description,
                country_code: w.country_code,
                country: w.country,
                logo_url: w.logo_url,
            })
        })
        .collect())
}

pub(super) fn parse_brand_families(
    http: &HttpClient,
    a: &Answer,
) -> Result<Vec<BrandFamily>, ProviderError> {
    Ok(a.parse_list::<WireBrandFamily>(http, "brand family list")?
        .into_iter()
        .filter_map(|w| {
            let code = w.brand_family_code.or_else(|| w.brand_family.clone())?;
            Some(BrandFamily {
                name: w.brand_family.unwrap_or_else(|| code.clone()),
                code,
                product_count: w.product_count,
                country_count: w.country_count,
                countries: w
                    .available_in_countries
                    .unwrap_or_default()
                    .split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect(),
            })
        })
        .collect())
}

pub(super) fn parse_providers(
    http: &HttpClient,
    a: &Answer,
) -> Result<Vec<ServiceProvider>, ProviderError> {
    Ok(a.parse_list::<WireServiceProvider>(http, "provider list")?
        .into_iter()
        .filter_map(|w| {
            let code = w.provider_code?;
            Some(ServiceProvider {
                name: w.name.unwrap_or_else(|| code.clone()),
                code,
                url: w.url,
                description: w.description,
                email: w.email,
                telephone: w.telephone,
                active: w.request_status.unwrap_or(false),
            })
        })
        .collect())
}

pub(super) fn parse_fx_rates(http: &HttpClient, a: &Answer) -> Result<Vec<FxRate>, ProviderError> {
    Ok(a.parse_list::<WireFxRate>(http, "FX rate list")?
        .into_iter()
        .filter_map(|w| {
            Some(FxRate {
                product_currency: currency(w.product_currency.as_deref())?,
                product_value: w.product_value.unwrap_or(Decimal::ONE),
                transacting_currency: currency(w.transacting_currency.as_deref())?,
                all_in_rate: w.all_in_rate?,
            })
        })
        .collect())
}

impl VendifyClient {
    /// `Product/SubCategory/{categoryCode}`.
    pub async fn sub_categories(
        &self,
        category_code: &str,
    ) -> Result<Vec<SubCategory>, ProviderError> {
        let a = self
            .fetch(&Call::get(self.endpoint(&[
                "Product",
                "SubCategory",
                category_code.trim(),
            ])))
            .await?;
        parse_sub_categories(&self.http, &a)
    }

    /// `product/countries`: the codes the `countryCode` filter accepts.
    pub async fn countries(&self) -> Result<Vec<Country>, ProviderError> {
        let a = self
            .fetch(&Call::get(self.endpoint(&["product", "countries"])))
            .await?;
        parse_countries(&self.http, &a)
    }

    /// `product/brands`, optionally for one country and/or category.
    pub async fn brands(&self, filter: &BrandFilter) -> Result<Vec<Brand>, ProviderError> {
        let a = self.fetch(&self.brand_call("brands", filter)).await?;
        parse_brands(&self.http, &a)
    }

    /// `product/brand-families`, optionally for one country and/or category.
    pub async fn brand_families(
        &self,
        filter: &BrandFilter,
    ) -> Result<Vec<BrandFamily>, ProviderError> {
        let a = self
            .fetch(&self.brand_call("brand-families", filter))
            .await?;
        parse_brand_families(&self.http, &a)
    }

    fn brand_call(&self, list: &str, filter: &BrandFilter) -> Call<'_> {
        let call = Call::get(self.endpoint(&["product", list]));
        match filters(&[
            ("countryCode", filter.country_code.as_deref()),
            ("categoryCode", filter.category_code.as_deref()),
        ]) {
            Some(f) => call.query("filters", f),
            None => call,
        }
    }

    /// `reseller/providers`: the voucher service providers this account may sell.
    pub async fn providers(&self) -> Result<Vec<ServiceProvider>, ProviderError> {
        let a = self
            .fetch(&Call::get(self.endpoint(&["reseller", "providers"])))
            .await?;
        parse_providers(&self.http, &a)
    }

    /// `Report/FxRate`: the all-in rates for the account's wallet (X-Wallet-Id).
    pub async fn fx_rates(&self) -> Result<Vec<FxRate>, ProviderError> {
        let call = Call::get(self.endpoint(&["Report", "FxRate"])).wallet(self.wallet(None));
        let a = self.fetch(&call).await?;
        parse_fx_rates(&self.http, &a)
    }
}
