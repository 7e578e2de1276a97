//! `products` and `catalogues`: each account's saved catalogue, replaced whole by a refresh
//! and filtered in SQL by the rules every provider shares (see [`Filter`]).

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool};

use super::LedgerError;
use crate::money::{Currency, Money};
use crate::providers::{
    CatalogueQuery, Category, Denomination, DenominationKind, ExtraField, Product,
};

/// When an account's catalogue was saved, and how many products it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedCatalogue {
    pub fetched_at: String,
    pub product_count: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// A row written by another version of the app, or edited by hand. The caller fetches
    /// the catalogue anew rather than show part of it.
    #[error("saved product {product_id} of account {account_id} cannot be read ({reason})")]
    Unreadable {
        account_id: String,
        product_id: String,
        reason: String,
    },
}

impl From<sqlx::Error> for CacheError {
    fn from(e: sqlx::Error) -> Self {
        CacheError::Ledger(e.into())
    }
}

/// A [`CatalogueQuery`] as the saved catalogue applies it, by the demo provider's rules
/// (Vendify's server-side filters and RukaPay's follow the same): a comma list matches any
/// of its codes, ignoring ASCII case; an empty value or `ALL` filters nothing; `search` is
/// a case-insensitive part of the name, operator, brand family, brand code or product code.
/// `phone` and `wallet_id` are not filters: they change what the provider lists, so such
/// queries are answered live.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub categories: Vec<String>,
    pub countries: Vec<String>,
    pub sub_categories: Vec<String>,
    pub brand_families: Vec<String>,
    pub brand_codes: Vec<String>,
    /// Trimmed and lower-cased; `None` when blank.
    pub search: Option<String>,
}

impl From<&CatalogueQuery> for Filter {
    fn from(q: &CatalogueQuery) -> Self {
        Filter {
            categories: codes(q.category.as_deref()),
            countries: codes(q.country.as_deref()),
            sub_categories: codes(q.sub_category.as_deref()),
            brand_families: codes(q.brand_family.as_deref()),
            brand_codes: codes(q.brand_code.as_deref()),
            search: q
                .search
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_lowercase),
        }
    }
}

fn codes(value: Option<&str>) -> Vec<String> {
    match value.map(str::trim) {
        None => Vec::new(),
        Some(v) if v.is_empty() || v.eq_ignore_ascii_case("ALL") => Vec::new(),
        Some(v) => v
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

/// What `search` looks in. Lower-cased here with Unicode rules (SQLite's `lower` knows only
/// ASCII), fields joined by a control character so a search cannot match across two.
fn search_text(p: &Product) -> String {
    p.search_fields()
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// A product as `products.data` keeps it: the shared [`Product`] with every amount as exact
/// decimal text, never a JSON number (a reader could take it for a float). Private, so the
/// shared type carries no storage concerns. Unknown fields are ignored and missing optional
/// ones default, so rows saved by a neighbouring version still read.
#[derive(Serialize, Deserialize)]
struct Stored {
    id: String,
    code: Option<String>,
    name: String,
    category_code: String,
    category: String,
    sub_category_code: Option<String>,
    sub_category: Option<String>,
    brand_code: Option<String>,
    brand_family: Option<String>,
    operator: Option<String>,
    #[serde(default)]
    country_codes: Vec<String>,
    #[serde(default)]
    denominations: Vec<StoredDenomination>,
    cost: Option<StoredMoney>,
    face_value: Option<StoredMoney>,
    fx_rate: Option<String>,
    wallet_id: Option<String>,
    validity: Option<String>,
    description: Option<String>,
    #[serde(default)]
    requires_validation: bool,
    #[serde(default)]
    needs: Vec<ExtraField>,
    #[serde(default = "active_by_default")]
    active: bool,
    provider_ref: Option<String>,
}

fn active_by_default() -> bool {
    true
}

#[derive(Serialize, Deserialize)]
struct StoredDenomination {
    kind: DenominationKind,
    min: String,
    max: String,
    currency: Currency,
}

#[derive(Serialize, Deserialize)]
struct StoredMoney {
    amount: String,
    currency: Currency,
}

impl From<&Money> for StoredMoney {
    fn from(m: &Money) -> Self {
        // `to_string` keeps the scale ("500.00"), so a product reads back exactly as listed.
        StoredMoney {
            amount: m.amount.to_string(),
            currency: m.currency.clone(),
        }
    }
}

fn decimal(text: &str) -> Result<Decimal, String> {
    Decimal::from_str_exact(text).map_err(|e| format!("amount \"{text}\": {e}"))
}

impl StoredMoney {
    fn into_money(self) -> Result<Money, String> {
        Ok(Money::new(decimal(&self.amount)?, self.currency))
    }
}

impl From<&Product> for Stored {
    fn from(p: &Product) -> Self {
        Stored {
            id: p.id.clone(),
            code: p.code.clone(),
            name: p.name.clone(),
            category_code: p.category_code.clone(),
            category: p.category.clone(),
            sub_category_code: p.sub_category_code.clone(),
            sub_category: p.sub_category.clone(),
            brand_code: p.brand_code.clone(),
            brand_family: p.brand_family.clone(),
            operator: p.operator.clone(),
            country_codes: p.country_codes.clone(),
            denominations: p
                .denominations
                .iter()
                .map(|d| StoredDenomination {
                    kind: d.kind,
                    min: d.min.to_string(),
                    max: d.max.to_string(),
                    currency: d.currency.clone(),
                })
                .collect(),
            cost: p.cost.as_ref().map(StoredMoney::from),
            face_value: p.face_value.as_ref().map(StoredMoney::from),
            fx_rate: p.fx_rate.map(|r| r.to_string()),
            wallet_id: p.wallet_id.clone(),
            validity: p.validity.clone(),
            description: p.description.clone(),
            requires_validation: p.requires_validation,
            needs: p.needs.clone(),
            active: p.active,
            provider_ref: p.provider_ref.clone(),
        }
    }
}

impl Stored {
    fn into_product(self) -> Result<Product, String> {
        let denominations = self
            .denominations
            .into_iter()
            .map(|d| {
                Ok(Denomination {
                    kind: d.kind,
                    min: decimal(&d.min)?,
                    max: decimal(&d.max)?,
                    currency: d.currency,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Product {
            id: self.id,
            code: self.code,
            name: self.name,
            category_code: self.category_code,
            category: self.category,
            sub_category_code: self.sub_category_code,
            sub_category: self.sub_category,
            brand_code: self.brand_code,
            brand_family: self.brand_family,
            operator: self.operator,
            country_codes: self.country_codes,
            denominations,
            cost: self.cost.map(StoredMoney::into_money).transpose()?,
            face_value: self.face_value.map(StoredMoney::into_money).transpose()?,
            fx_rate: self.fx_rate.as_deref().map(decimal).transpose()?,
            wallet_id: self.wallet_id,
            validity: self.validity,
            description: self.description,
            requires_validation: self.requires_validation,
            needs: self.needs,
            active: self.active,
            provider_ref: self.provider_ref,
        })
    }
}

/// Replaces the account's saved catalogue with `products`, in their order, stamped
/// `fetched_at`, and returns how many were saved. Call it inside one write transaction
/// (`Ledger::begin_write`): the delete, the inserts and the stamp commit together, so a
/// refresh that fails half way leaves the old catalogue whole.
///
/// A product id listed twice keeps its first listing: the id is the table's key, and the
/// purchase path finds a product by id alone.
pub async fn replace(
    conn: &mut SqliteConnection,
    account_id: &str,
    products: &[Product],
    fetched_at: &str,
) -> Result<u32, LedgerError> {
    sqlx::query("DELETE FROM products WHERE account_id = ?")
        .bind(account_id)
        .execute(&mut *conn)
        .await?;
    let mut seen = HashSet::new();
    let mut position: u32 = 0;
    for p in products {
        if !seen.insert(p.id.as_str()) {
            tracing::warn!(account = account_id, product = %p.id, "product listed twice; the first listing is kept");
            continue;
        }
        let data = serde_json::to_string(&Stored::from(p)).map_err(|e| LedgerError::Storage {
            reason: format!("product {} cannot be saved: {e}", p.id),
        })?;
        sqlx::query(
            "INSERT INTO products
               (account_id, product_id, category_code, name, search_text, data, fetched_at, position)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(account_id)
        .bind(&p.id)
        .bind(&p.category_code)
        .bind(&p.name)
        .bind(search_text(p))
        .bind(data)
        .bind(fetched_at)
        .bind(position)
        .execute(&mut *conn)
        .await?;
        position += 1;
    }
    sqlx::query(
        "INSERT INTO catalogues (account_id, fetched_at) VALUES (?, ?)
         ON CONFLICT (account_id) DO UPDATE SET fetched_at = excluded.fetched_at",
    )
    .bind(account_id)
    .bind(fetched_at)
    .execute(&mut *conn)
    .await?;
    Ok(position)
}

/// Drops the account's saved catalogue (the account was removed).
pub async fn forget(conn: &mut SqliteConnection, account_id: &str) -> Result<(), LedgerError> {
    for sql in [
        "DELETE FROM products WHERE account_id = ?",
        "DELETE FROM catalogues WHERE account_id = ?",
    ] {
        sqlx::query(sql)
            .bind(account_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// `None` until the account's catalogue was saved once.
pub async fn saved(
    r: &SqlitePool,
    account_id: &str,
) -> Result<Option<SavedCatalogue>, LedgerError> {
    let row = sqlx::query(
        "SELECT c.fetched_at,
                (SELECT count(*) FROM products p WHERE p.account_id = c.account_id) AS n
           FROM catalogues c WHERE c.account_id = ?",
    )
    .bind(account_id)
    .fetch_optional(r)
    .await?;
    row.map(|row| {
        let n: i64 = row.try_get("n")?;
        Ok(SavedCatalogue {
            fetched_at: row.try_get("fetched_at")?,
            product_count: u32::try_from(n).unwrap_or(u32::MAX),
        })
    })
    .transpose()
}

/// Appends `AND <column> IN (codes…)`, ignoring ASCII case as the providers do.
fn any_of(q: &mut QueryBuilder<'_, Sqlite>, column: &str, codes: &[String]) {
    if codes.is_empty() {
        return;
    }
    q.push(" AND ").push(column);
    in_list(q, codes);
}

/// ` COLLATE NOCASE IN (?, ?, …)`: NOCASE folds ASCII only, like `eq_ignore_ascii_case`.
fn in_list(q: &mut QueryBuilder<'_, Sqlite>, codes: &[String]) {
    q.push(" COLLATE NOCASE IN (");
    let mut list = q.separated(", ");
    for c in codes {
        list.push_bind(c.clone());
    }
    q.push(")");
}

/// The saved products of an account that pass `f`, in the provider's order.
pub async fn find(
    r: &SqlitePool,
    account_id: &str,
    f: &Filter,
) -> Result<Vec<Product>, CacheError> {
    let mut q =
        QueryBuilder::<Sqlite>::new("SELECT product_id, data FROM products WHERE account_id = ");
    q.push_bind(account_id.to_owned());
    any_of(&mut q, "category_code", &f.categories);
    any_of(
        &mut q,
        "json_extract(data, '$.sub_category_code')",
        &f.sub_categories,
    );
    any_of(
        &mut q,
        "json_extract(data, '$.brand_family')",
        &f.brand_families,
    );
    any_of(&mut q, "json_extract(data, '$.brand_code')", &f.brand_codes);
    if !f.countries.is_empty() {
        // A product is for several countries (an eSIM's region): any one of them matches.
        q.push(" AND EXISTS (SELECT 1 FROM json_each(products.data, '$.country_codes') c WHERE c.value");
        in_list(&mut q, &f.countries);
        q.push(")");
    }
    if let Some(needle) = &f.search {
        // instr, not LIKE: `%` and `_` in a search are plain characters.
        q.push(" AND instr(search_text, ")
            .push_bind(needle.clone())
            .push(") > 0");
    }
    q.push(" ORDER BY position");
    let rows = q.build().fetch_all(r).await?;
    rows.iter().map(|row| decode(account_id, row)).collect()
}

/// One saved product of an account by its id; `None` when the account has no saved
/// catalogue or the catalogue does not list it.
pub async fn get(
    r: &SqlitePool,
    account_id: &str,
    product_id: &str,
) -> Result<Option<Product>, CacheError> {
    let row = sqlx::query(
        "SELECT product_id, data FROM products WHERE account_id = ? AND product_id = ?",
    )
    .bind(account_id)
    .bind(product_id)
    .fetch_optional(r)
    .await?;
    row.map(|row| decode(account_id, &row)).transpose()
}

fn decode(account_id: &str, row: &SqliteRow) -> Result<Product, CacheError> {
    let product_id: String = row.try_get("product_id")?;
    let data: String = row.try_get("data")?;
    serde_json::from_str::<Stored>(&data)
        .map_err(|e| e.to_string())
        .and_then(Stored::into_product)
        .map_err(|reason| CacheError::Unreadable {
            account_id: account_id.to_owned(),
            product_id,
            reason,
        })
}

/// The categories of the saved products, in the order they first appear: the order the
/// demo provider, Vendify (one listing per category) and RukkyStore list them in.
pub async fn categories(r: &SqlitePool, account_id: &str) -> Result<Vec<Category>, LedgerError> {
    // SQLite takes the bare `name` from the row that holds min(position).
    let rows = sqlx::query(
        "SELECT category_code, json_extract(data, '$.category') AS name, min(position) AS first
           FROM products WHERE account_id = ? AND category_code <> ''
          GROUP BY category_code ORDER BY first",
    )
    .bind(account_id)
    .fetch_all(r)
    .await?;
    rows.iter()
        .map(|row| {
            let code: String = row.try_get("category_code")?;
            let name: Option<String> = row.try_get("name")?;
            Ok(Category {
                name: name
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| code.clone()),
                code,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
