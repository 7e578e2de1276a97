//! One purchase, start to answer: validate, commit the intent with its hold, mark it
//! submitted, send it once, record what the provider said.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::record::{self, backoff};
use super::views::{money, OrderView};
use super::OrderStatus;
use crate::clock::stamp;
use crate::error::{Error, Result};
use crate::ledger::accounts::{self, AccountRow};
use crate::ledger::entries::{self, EntryKind, NewEntry};
use crate::ledger::lease::LEASE_SECS;
use crate::ledger::orders::{self, Move, NewEvent, OrderRow};
use crate::ledger::products::{self, CacheError};
use crate::ledger::{balances, Ledger, LedgerError};
use crate::money::{parse_amount, to_ledger_units, Currency, Money};
use crate::providers::{
    ExtraField, Product, Provider, ProviderError, PurchaseRequest, WalletBalance,
};
use crate::views::MoneyView;
use crate::Console;

/// A purchase as the Buy form and `resellerctl buy` ask for it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, specta::Type)]
pub struct PlaceRequest {
    pub account_id: String,
    pub product_id: String,
    /// Phone number for airtime and data; smartcard or meter number for utilities.
    pub recipient: String,
    /// Face value as exact decimal text, in the product's currency.
    pub amount: String,
    /// The face value's currency; the product's when absent.
    pub currency: Option<String>,
    /// The paying wallet; the provider's choice for the product when absent.
    pub wallet_id: Option<String>,
    /// The product code or bouquet to buy, when the product needs one.
    pub product_code: Option<String>,
    /// The cost the cashier confirmed (decimal text in the paying wallet's currency, as the
    /// preview showed it). A higher price at the moment of buying refuses the order.
    #[serde(default)]
    pub confirmed_cost: Option<String>,
    /// The cashier saw that an identical order is still being checked or went through a
    /// few minutes ago, and buys again on purpose.
    #[serde(default)]
    pub allow_duplicate: bool,
    /// The customer's phone number, for products whose recipient is a smartcard or meter
    /// and whose provider wants the phone too (the product's `needs` say so).
    #[serde(default)]
    pub customer_phone: Option<String>,
    /// The name on the receiving bank account (RukaPay bank transfers).
    #[serde(default)]
    pub account_name: Option<String>,
    /// PREPAID or POSTPAID, for electricity; the product's own when absent.
    #[serde(default)]
    pub service_type: Option<String>,
}

/// The optional extra fields, trimmed; blank is absent.
fn extra(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// The extra fields' own checks (no provider needed): a phone made of digits, a name of
/// sensible length, a service type that is PREPAID or POSTPAID.
fn check_extras(req: &PlaceRequest) -> Result<()> {
    if let Some(phone) = extra(&req.customer_phone) {
        let digits = phone
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
            .collect::<String>();
        let body = digits.strip_prefix('+').unwrap_or(&digits);
        if body.len() < 7 || body.len() > 15 || !body.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid(
                "customer_phone",
                format!("\"{phone}\" is not a phone number: use digits, e.g. +2348031234567"),
            ));
        }
    }
    if extra(&req.account_name).is_some_and(|n| n.chars().count() > 100) {
        return Err(Error::invalid("account_name", "use at most 100 characters"));
    }
    if let Some(t) = extra(&req.service_type) {
        if !t.eq_ignore_ascii_case("PREPAID") && !t.eq_ignore_ascii_case("POSTPAID") {
            return Err(Error::invalid(
                "service_type",
                format!("\"{t}\" is not a meter type: use prepaid or postpaid"),
            ));
        }
    }
    Ok(())
}

/// Refuses, before anything is written or sent, an order without a field its product's
/// provider requires, naming the field.
fn check_needs(provider: &dyn Provider, listed: &Product, req: &PlaceRequest) -> Result<()> {
    for need in &listed.needs {
        let given = match need {
            ExtraField::CustomerPhone => extra(&req.customer_phone),
            ExtraField::AccountName => extra(&req.account_name),
        };
        if given.is_none() {
            return Err(Error::invalid(
                need.field_name(),
                format!(
                    "{} needs {} for {}; enter it",
                    provider.kind(),
                    need.label(),
                    listed.name
                ),
            ));
        }
    }
    Ok(())
}

/// What a purchase will cost and leave, shown before the user confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PlacePreview {
    pub account_label: String,
    pub product_name: String,
    pub recipient: String,
    pub face_value: MoneyView,
    pub cost: MoneyView,
    pub wallet_id: String,
    /// The provider's last reported balance minus what open orders hold; `None` when the
    /// provider reports no balance.
    pub available: Option<MoneyView>,
    pub balance_after: Option<MoneyView>,
    /// `cost` is the face value held until the provider says what it charged.
    pub cost_is_estimate: bool,
    /// For the cashier to read before confirming: a number that looks like another
    /// network's, a price that is only an estimate.
    pub warnings: Vec<String>,
    /// Why the order cannot go out as it stands: the wallet does not cover it. The same
    /// words `buy` would refuse it with.
    pub shortfall: Option<String>,
    /// An identical order (same account, product, recipient and amount) is still open or
    /// succeeded a few minutes ago: buying again needs `allow_duplicate`. The words say which.
    pub duplicate_of: Option<String>,
}

/// A request that passed every check and has its price.
#[derive(Debug, Clone)]
pub(crate) struct Validated {
    pub account: AccountRow,
    pub product: Product,
    pub product_code: Option<String>,
    pub recipient: String,
    pub face: Money,
    pub face_units: i64,
    pub cost: Money,
    pub cost_units: i64,
    /// No quote: `cost` is the face value, held until the provider says what it charged.
    pub cost_is_estimate: bool,
    pub wallet_id: String,
    /// Things the cashier should read before confirming (a ported number, an estimate).
    pub warnings: Vec<String>,
}

/// Input checks that need no provider: they run first, so bad input costs no call.
struct Fields {
    account: AccountRow,
    product_id: String,
    recipient: String,
    face: Decimal,
    currency: Option<Currency>,
    wallet_id: Option<String>,
}

async fn fields(console: &Console, req: &PlaceRequest) -> Result<Fields> {
    let account_id = req.account_id.trim();
    let account = accounts::get(console.ledger().reader(), account_id)
        .await?
        .ok_or_else(|| {
            Error::invalid(
                "account",
                format!("there is no provider account \"{account_id}\"; choose one from the list"),
            )
        })?;
    let product_id = req.product_id.trim();
    if product_id.is_empty() {
        return Err(Error::invalid("product", "choose a product to buy"));
    }
    let recipient = normalise_recipient(&req.recipient)?;
    check_extras(req)?;
    let face = parse_amount(&req.amount).map_err(|e| Error::invalid("amount", e.to_string()))?;
    if face <= Decimal::ZERO {
        return Err(Error::invalid("amount", "enter an amount above zero"));
    }
    let currency = match req.currency.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(Currency::new(c).map_err(|e| Error::invalid("currency", e.to_string()))?),
    };
    let wallet_id = match req.wallet_id.as_deref().map(str::trim) {
        None => None,
        Some("") => return Err(Error::invalid("wallet", "name the wallet or leave it out")),
        Some(w) => Some(w.to_owned()),
    };
    Ok(Fields {
        account,
        product_id: product_id.to_owned(),
        recipient,
        face,
        currency,
        wallet_id,
    })
}

/// Categories whose recipient is a mobile number.
const PHONE_CATEGORIES: &[&str] = &["airtime", "data-bundle", "data", "sme"];

/// The seam for E.164: for now the number is trimmed, inner spaces and dashes dropped (not
/// in a link or an email), and an empty one refused. Country rules and the `+` prefix come with phone validation.
fn normalise_recipient(raw: &str) -> Result<String> {
    let raw = raw.trim();
    // A link (an SMM order's profile or post) or an email keeps its dashes and dots.
    let r: String = if raw.contains('/') || raw.contains('@') {
        raw.to_owned()
    } else {
        raw.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect()
    };
    if r.is_empty() {
        return Err(Error::invalid(
            "recipient",
            "enter the phone, smartcard or meter number to send to",
        ));
    }
    if r.chars().count() > 64 {
        return Err(Error::invalid("recipient", "use at most 64 characters"));
    }
    Ok(r)
}

/// Where the listing a purchase is checked against came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Listing {
    /// The account's saved catalogue: no request.
    Saved,
    /// A quote without a face value (the provider quotes live).
    Quoted,
    /// The provider's narrowest listing that holds it (the provider has no quote).
    Listed,
}

/// A provider's "no such product" is the user's input problem, said in its words.
fn product_error(e: ProviderError) -> Error {
    match e {
        e @ (ProviderError::Rejected { .. } | ProviderError::NotFound { .. }) => {
            Error::invalid("product", e.to_string())
        }
        e => e.into(),
    }
}

/// The product as listed, for the checks that need no price (on sale, currency, values,
/// phone): the account's saved catalogue when it holds the product, with no request; else
/// one quote where the provider quotes; else the one listing that holds it. `recipient`
/// matters to providers whose list depends on the number (eStoreSMS).
///
/// The quote is asked for `amount` already (in `currency` when the request named one,
/// else in ISO "XXX", no currency: a quote is asked by the amount alone, and the answer
/// says the product's currency), so that when the answer is for this face value it is
/// also the price and no second quote is needed. A provider that refuses that amount is
/// asked once more without it, so the cashier reads which values the product is sold at.
async fn product(
    console: &Console,
    provider: &dyn Provider,
    account_id: &str,
    id: &str,
    recipient: &str,
    amount: Decimal,
    currency: Option<&Currency>,
) -> Result<(Product, Listing)> {
    match products::get(console.ledger().reader(), account_id, id).await {
        Ok(Some(p)) => return Ok((p, Listing::Saved)),
        Ok(None) => {}
        Err(CacheError::Ledger(e)) => return Err(e.into()),
        Err(e @ CacheError::Unreadable { .. }) => {
            tracing::warn!(account = account_id, error = %e, "saved product unreadable; asking the provider");
        }
    }
    let asked = Money::new(
        amount,
        currency.cloned().unwrap_or_else(|| Currency::known("XXX")),
    );
    match provider.quote(id, Some(&asked)).await {
        Ok(p) => Ok((p, Listing::Quoted)),
        Err(ProviderError::Rejected { .. }) => match provider.quote(id, None).await {
            Ok(p) => Ok((p, Listing::Quoted)),
            Err(e) => Err(product_error(e)),
        },
        Err(ProviderError::Unsupported { .. }) => provider
            .listed_product(id, recipient)
            .await
            .map_err(product_error)?
            .map(|p| (p, Listing::Listed))
            .ok_or_else(|| {
                Error::invalid(
                    "product",
                    format!("{} has no product {id}", provider.kind()),
                )
            }),
        Err(e) => Err(product_error(e)),
    }
}

/// The product priced for `face`: one live quote where the provider quotes (none when the
/// listing was itself quoted for this face), else the listing's own price, asked no more.
async fn priced_product(
    provider: &dyn Provider,
    id: &str,
    listed: &Product,
    listing: Listing,
    face: &Money,
) -> Result<Product> {
    let quoted_for_face = listing == Listing::Quoted
        && listed.cost.is_some()
        && listed.face_value.as_ref() == Some(face);
    if quoted_for_face || listing == Listing::Listed {
        return Ok(listed.clone());
    }
    match provider.quote(id, Some(face)).await {
        Ok(p) => Ok(p),
        Err(ProviderError::Unsupported { .. }) => Ok(listed.clone()),
        Err(e) => Err(product_error(e)),
    }
}

pub(crate) async fn validate(
    console: &Console,
    provider: &dyn Provider,
    req: &PlaceRequest,
) -> Result<Validated> {
    let f = fields(console, req).await?;
    if !provider.capabilities().purchase {
        return Err(ProviderError::unsupported(provider.kind(), "purchases").into());
    }
    let (listed, listing) = product(
        console,
        provider,
        &f.account.id,
        &f.product_id,
        &f.recipient,
        f.face,
        f.currency.as_ref(),
    )
    .await?;
    if !listed.active {
        return Err(Error::invalid(
            "product",
            format!("{} is not on sale now", listed.name),
        ));
    }
    // A validation-first product with no code to buy yet (Vendify's placeholder): the plan
    // comes from the validation. One whose code is known (a RukkyStore bouquet, a disco)
    // is bought as listed; the provider checks the number.
    let code_known = listed.code.as_deref().is_some_and(|c| {
        !c.eq_ignore_ascii_case(crate::providers::vendify::VALIDATION_PLACEHOLDER)
    });
    if listed.requires_validation && req.product_code.is_none() && !code_known {
        return Err(Error::invalid(
            "product",
            format!(
                "{} needs the account number validated and a plan chosen first: validate it in \
                 the Buy form, or run `resellerctl validate` and buy with --plan",
                listed.name
            ),
        ));
    }
    check_needs(provider, &listed, req)?;
    let sold_in = listed
        .denominations
        .first()
        .map(|d| d.currency.clone())
        .ok_or_else(|| Error::invalid("product", format!("{} lists no values", listed.name)))?;
    let face_currency = f.currency.clone().unwrap_or_else(|| sold_in.clone());
    if face_currency != sold_in {
        return Err(Error::invalid(
            "currency",
            format!("{} is sold in {sold_in}, not {face_currency}", listed.name),
        ));
    }
    if !listed
        .denominations
        .iter()
        .any(|d| f.face >= d.min && f.face <= d.max)
    {
        let values: Vec<String> = listed
            .denominations
            .iter()
            .map(|d| {
                if d.min == d.max {
                    Money::new(d.min, d.currency.clone()).to_string()
                } else {
                    format!(
                        "{} to {}",
                        Money::new(d.min, d.currency.clone()),
                        Money::new(d.max, d.currency.clone())
                    )
                }
            })
            .collect();
        return Err(Error::invalid(
            "amount",
            format!(
                "{} is sold at {}; {} is not one of them",
                listed.name,
                values.join(" or "),
                Money::new(f.face, face_currency.clone())
            ),
        ));
    }
    let face = Money::new(f.face, face_currency);
    let face_units = to_ledger_units(face.amount)
        .map_err(|_| Error::invalid("amount", "use at most four decimals"))?;
    // Airtime and data go to a phone: normalise it to E.164 and refuse a number from a
    // country the product is not for. A network mismatch is allowed (numbers get ported).
    // Checked before the price is asked: a wrong number costs no request.
    let mut warnings = Vec::new();
    let recipient = if PHONE_CATEGORIES.contains(&listed.category_code.as_str()) {
        let checked = crate::phone::check_recipient(
            &f.recipient,
            &listed.country_codes,
            listed.operator.as_deref(),
        )?;
        warnings.extend(checked.network_mismatch.clone());
        checked.number.e164().to_owned()
    } else {
        f.recipient
    };
    let priced = priced_product(provider, &f.product_id, &listed, listing, &face).await?;
    // A provider that quotes no price (RukaPay adds its fee only in the answer; RukkyStore
    // airtime) is held at the face value, in the face currency, and settled with what the
    // answer says was charged: the hold never claims to know the fee.
    let (cost, cost_is_estimate) = match priced.cost_for(&face) {
        Some(cost) => (cost, false),
        None if priced.cost.is_none() => (face.clone(), true),
        None => {
            return Err(ProviderError::bad_response(
                provider.kind(),
                format!("no price for {} at {}", priced.name, display_amount(&face)),
            )
            .into())
        }
    };
    let cost_units = to_ledger_units(cost.amount)
        .map_err(|e| ProviderError::bad_response(provider.kind(), format!("price {cost}: {e}")))?;
    let wallet_id = match (&f.wallet_id, &priced.wallet_id) {
        (Some(w), _) => w.clone(),
        (None, Some(w)) => w.clone(),
        (None, None) => only_wallet(console, provider, &f.account.id)
            .await?
            .ok_or_else(|| {
                Error::invalid("wallet", "choose the wallet that pays for this order")
            })?,
    };
    // The provider's spelling of the wallet (RukaPay: ESCROW, COMMISSION), or a wallet it
    // does not have refused here, before the intent: the ledger names what the provider charges.
    let wallet_id = provider.paying_wallet(&wallet_id).map_err(|e| match e {
        ProviderError::Rejected { message, .. } => Error::invalid("wallet", message),
        e => Error::from(e),
    })?;
    // The quote is priced in one wallet's currency; another wallet must hold the same one.
    if let Some((_, cur)) =
        entries::latest_balance(console.ledger().reader(), &f.account.id, &wallet_id).await?
    {
        if cur != cost.currency.code() {
            return Err(Error::invalid(
                "wallet",
                format!(
                    "{wallet_id} holds {cur} and this product is priced in {}; choose a {} wallet",
                    cost.currency, cost.currency
                ),
            ));
        }
    }
    if cost_is_estimate {
        warnings.push(format!(
            "{} quotes no price before the order: {} is held, and the order is settled at what \
             {} reports it charged (any fee included)",
            provider.kind(),
            display_amount(&cost),
            provider.kind()
        ));
    }
    Ok(Validated {
        account: f.account,
        product_code: req.product_code.clone().or_else(|| priced.code.clone()),
        product: priced,
        recipient,
        face,
        face_units,
        cost,
        cost_units,
        cost_is_estimate,
        wallet_id,
        warnings,
    })
}

/// The account's one wallet, when it has exactly one (RukkyStore, eStoreSMS): a cashier is
/// not asked to name it on every purchase. The wallets come from the last reported
/// balances, or from one balance call when none was reported yet.
async fn only_wallet(
    console: &Console,
    provider: &dyn Provider,
    account_id: &str,
) -> Result<Option<String>> {
    let known = balances::latest(console.ledger().reader(), account_id).await?;
    let wallets: Vec<String> = if !known.is_empty() || !provider.capabilities().balance {
        known.into_iter().map(|b| b.wallet_id).collect()
    } else {
        // Recorded, so the balance check that follows finds them without asking again.
        let wallets = provider.balances().await?;
        record_balances(console, account_id, &wallets).await?;
        wallets.into_iter().map(|w| w.wallet_id).collect()
    };
    Ok(match wallets.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    })
}

/// The wallet's last reported balance in units, asking the provider once when we have
/// never been told (the answer is recorded before any order uses it).
async fn known_balance(
    console: &Console,
    provider: &dyn Provider,
    v: &Validated,
) -> Result<Option<i64>> {
    let reader = console.ledger().reader();
    if let Some((units, _)) = entries::latest_balance(reader, &v.account.id, &v.wallet_id).await? {
        return Ok(Some(units));
    }
    if !provider.capabilities().balance {
        return Ok(None);
    }
    let wallets = provider.balances().await?;
    record_balances(console, &v.account.id, &wallets).await?;
    Ok(entries::latest_balance(reader, &v.account.id, &v.wallet_id)
        .await?
        .map(|(units, _)| units))
}

/// Records what the provider just reported for the account's wallets, in one transaction.
async fn record_balances(
    console: &Console,
    account_id: &str,
    wallets: &[WalletBalance],
) -> Result<()> {
    let at = stamp(console.clock().now());
    let mut tx = console.ledger().begin_write().await?;
    for w in wallets {
        balances::record(
            &mut *tx,
            account_id,
            &w.wallet_id,
            &w.balance,
            "balance",
            &at,
        )
        .await?;
    }
    tx.commit().await.map_err(LedgerError::from)?;
    Ok(())
}

/// Cost, available funds and the balance after, without writing an order.
pub async fn preview(console: &Console, req: &PlaceRequest) -> Result<PlacePreview> {
    let provider = console.provider(req.account_id.trim()).await?;
    preview_via(console, provider.as_ref(), req).await
}

pub async fn preview_via(
    console: &Console,
    provider: &dyn Provider,
    req: &PlaceRequest,
) -> Result<PlacePreview> {
    let v = validate(console, provider, req).await?;
    let cur = v.cost.currency.code().to_owned();
    let available = match known_balance(console, provider, &v).await? {
        Some(units) => {
            let held =
                entries::outstanding_holds(console.ledger().reader(), &v.account.id, &v.wallet_id)
                    .await?;
            Some(units - held)
        }
        None => None,
    };
    let shortfall = available
        .filter(|a| *a < v.cost_units)
        .map(|free| shortfall(&v, free))
        .transpose()?;
    let now = console.clock().now();
    let duplicate_of = orders::identical(
        console.ledger().reader(),
        &identical_key(&v),
        &stamp(now - chrono::Duration::minutes(DUPLICATE_WINDOW_MINUTES)),
    )
    .await?
    .map(|o| duplicate_message(&o));
    Ok(PlacePreview {
        account_label: v.account.label.clone(),
        product_name: v.product.name.clone(),
        recipient: v.recipient.clone(),
        face_value: MoneyView::from(&v.face),
        cost: MoneyView::from(&v.cost),
        wallet_id: v.wallet_id.clone(),
        available: available
            .map(|a| money(a, &cur))
            .transpose()?
            .as_ref()
            .map(MoneyView::from),
        balance_after: available
            .map(|a| money(a - v.cost_units, &cur))
            .transpose()?
            .as_ref()
            .map(MoneyView::from),
        cost_is_estimate: v.cost_is_estimate,
        warnings: v.warnings.clone(),
        shortfall,
        duplicate_of,
    })
}

/// How long after an identical order succeeded a new one asks "are you sure?".
pub const DUPLICATE_WINDOW_MINUTES: i64 = 10;

fn identical_key(v: &Validated) -> orders::Identical<'_> {
    orders::Identical {
        account_id: &v.account.id,
        wallet_id: &v.wallet_id,
        product_id: &v.product.id,
        recipient: &v.recipient,
        face_units: v.face_units,
        face_currency: v.face.currency.code(),
    }
}

fn duplicate_message(o: &OrderRow) -> String {
    if o.status == OrderStatus::Succeeded {
        format!(
            "An identical order ({}) went through at {}. Buy again only if the customer asked \
             for a second one.",
            o.reference,
            o.created_at.get(11..16).unwrap_or(&o.created_at)
        )
    } else {
        format!(
            "An identical order ({}) is still being checked with the provider and may have gone \
             through. Wait for its result; buy again only if you are sure it failed.",
            o.reference
        )
    }
}

/// A higher price now than the one confirmed: ask again, never buy at a price nobody saw.
fn check_confirmed_cost(v: &Validated, confirmed: Option<&str>) -> Result<()> {
    let Some(text) = confirmed.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(());
    };
    let confirmed =
        parse_amount(text).map_err(|e| Error::invalid("confirmed_cost", e.to_string()))?;
    if v.cost.amount > confirmed {
        let was = Money::new(confirmed, v.cost.currency.clone());
        return Err(Error::PriceChanged {
            message: format!(
                "The price changed from {} to {} since you confirmed. Nothing was bought: review \
                 the new price and confirm again.",
                display_amount(&was),
                display_amount(&v.cost)
            ),
        });
    }
    Ok(())
}

/// Places one order with the account's provider. Returns the order as recorded, whatever
/// the provider answered; errors mean nothing was sent.
pub async fn place(console: &Console, req: PlaceRequest) -> Result<OrderView> {
    // Field checks first: a missing account must not be reported as a connection problem.
    fields(console, &req).await?;
    let provider = console.provider(req.account_id.trim()).await?;
    place_via(console, provider.as_ref(), req).await
}

/// [`place`] through a given provider (tests wrap the demo one to lose answers).
pub async fn place_via(
    console: &Console,
    provider: &dyn Provider,
    req: PlaceRequest,
) -> Result<OrderView> {
    let v = validate(console, provider, &req).await?;
    check_confirmed_cost(&v, req.confirmed_cost.as_deref())?;
    known_balance(console, provider, &v).await?;
    let order = intent(
        console.ledger(),
        &v,
        console.clock().now(),
        req.allow_duplicate,
    )
    .await?;
    let now = console.clock().now();
    if !mark_submitted(console.ledger(), &order, now).await? {
        // A sweep closed the intent first (it looked abandoned): it must not be sent now.
        return current(console.ledger(), &order.id).await;
    }
    let request = PurchaseRequest {
        reference: order.reference.clone(),
        nonce: order.nonce.clone(),
        product_id: order.product_id.clone(),
        product_code: order.product_code.clone(),
        provider_ref: v.product.provider_ref.clone(),
        recipient: order.recipient.clone(),
        face_value: v.face.clone(),
        wallet_id: Some(order.wallet_id.clone()),
        account_name: extra(&req.account_name),
        phone: extra(&req.customer_phone),
        email: None,
        service_type: extra(&req.service_type).map(|t| t.to_ascii_uppercase()),
    };
    tracing::info!(order = %order.id, reference = %order.reference, "submitting");
    let answer = provider.submit(&request).await;
    // The request has left: from here the caller gets the order as the ledger holds it,
    // never an error (an error would read as "nothing was bought" and invite a second
    // purchase). A failure to record the answer leaves the order open; the sweeper asks
    // the provider once the lease runs out.
    if let Err(e) =
        record::after_submit(console.ledger(), &order.id, &answer, console.clock().now()).await
    {
        tracing::error!(order = %order.id, error = %e, "recording the answer failed; the sweeper will ask the provider");
    }
    current(console.ledger(), &order.id).await
}

/// The order as the ledger holds it. Asked a few times: the request has already left, so
/// a busy database must not turn into an error the cashier reads as "not bought".
async fn current(ledger: &Ledger, id: &str) -> Result<OrderView> {
    let mut last = None;
    for attempt in 0..5u64 {
        match orders::get(ledger.writer(), id).await {
            Ok(Some(row)) => return OrderView::from_row(&row),
            Ok(None) => return Err(Error::internal(format!("reading order {id} back"))),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(std::time::Duration::from_millis(200 * (attempt + 1))).await;
    }
    Err(last.map_or_else(
        || Error::internal(format!("reading order {id} back")),
        Error::from,
    ))
}

/// Step 2 of the spine: in one writer transaction, check the funds, insert the order as
/// `prepared` with a fresh reference and nonce, hold the cost, and log the event. The one
/// writer connection serialises this, so two racing purchases see each other's holds.
pub(crate) async fn intent(
    ledger: &Ledger,
    v: &Validated,
    now: DateTime<Utc>,
    allow_duplicate: bool,
) -> Result<OrderRow> {
    let at = stamp(now);
    let cur = v.cost.currency.code().to_owned();
    let row = OrderRow {
        id: uuid::Uuid::new_v4().to_string(),
        account_id: v.account.id.clone(),
        reference: new_reference(now),
        nonce: uuid::Uuid::new_v4().simple().to_string(),
        product_id: v.product.id.clone(),
        product_code: v.product_code.clone(),
        product_name: v.product.name.clone(),
        category_code: v.product.category_code.clone(),
        recipient: v.recipient.clone(),
        face_units: v.face_units,
        face_currency: v.face.currency.code().to_owned(),
        cost_units: v.cost_units,
        wallet_id: v.wallet_id.clone(),
        wallet_currency: cur.clone(),
        status: OrderStatus::Prepared,
        provider_reference: None,
        failure_reason: None,
        status_checks: 0,
        next_check_at: None,
        created_at: at.clone(),
        updated_at: at.clone(),
        settled_at: None,
        charged_units: None,
        lease_holder: Some(ledger.lease().token().to_owned()),
        lease_until: Some(stamp(now + chrono::Duration::seconds(LEASE_SECS))),
        not_found_checks: 0,
    };
    let mut tx = ledger.begin_write().await?;
    if !allow_duplicate {
        let since = stamp(now - chrono::Duration::minutes(DUPLICATE_WINDOW_MINUTES));
        if let Some(o) = orders::identical(&mut *tx, &identical_key(v), &since).await? {
            return Err(Error::DuplicateOrder {
                message: duplicate_message(&o),
            });
        }
    }
    if let Some((balance, _)) =
        entries::latest_balance(&mut *tx, &row.account_id, &row.wallet_id).await?
    {
        let held = entries::outstanding_holds(&mut *tx, &row.account_id, &row.wallet_id).await?;
        let available = balance - held;
        if available < row.cost_units {
            return Err(Error::InsufficientFunds {
                message: shortfall(v, available)?,
            });
        }
    }
    orders::insert(&mut *tx, &row).await?;
    entries::add(
        &mut *tx,
        &NewEntry {
            account_id: &row.account_id,
            wallet_id: &row.wallet_id,
            currency: &cur,
            order_id: &row.id,
            kind: EntryKind::Hold,
            units: row.cost_units,
            note: None,
            at: &at,
        },
    )
    .await?;
    orders::add_event(
        &mut *tx,
        &NewEvent {
            order_id: &row.id,
            kind: "created",
            from: None,
            to: Some(OrderStatus::Prepared),
            detail: serde_json::json!({ "reference": row.reference, "cost": v.cost.to_string() }),
            at: &at,
        },
    )
    .await?;
    tx.commit().await.map_err(LedgerError::from)?;
    Ok(row)
}

/// "Insufficient balance in the Vendify NGN wallet: ₦1,250.00 short. ..." — what is
/// missing first, then the figures and what to do.
fn shortfall(v: &Validated, available: i64) -> Result<String> {
    let cur = v.cost.currency.code();
    let short = money(v.cost_units - available, cur)?;
    let free = money(available, cur)?;
    Ok(format!(
        "Insufficient balance in the {} wallet: {} short. {} is available in {} after open \
         orders and this order costs {}. Top up the wallet at {}, or choose a smaller amount.",
        v.account.label,
        display_amount(&short),
        display_amount(&free),
        v.wallet_id,
        display_amount(&v.cost),
        v.account.provider,
    ))
}

/// Commits `prepared -> submitted` immediately before sending; false if the order was
/// already closed, in which case it must not be sent.
async fn mark_submitted(ledger: &Ledger, order: &OrderRow, now: DateTime<Utc>) -> Result<bool> {
    let at = stamp(now);
    let next = stamp(now + backoff(0));
    let lease = stamp(now + chrono::Duration::seconds(LEASE_SECS));
    let mut tx = ledger.begin_write().await?;
    let moved = orders::move_status(
        &mut tx,
        &order.id,
        OrderStatus::Prepared,
        OrderStatus::Submitted,
        &at,
        &Move {
            next_check_at: Some(Some(&next)),
            lease_until: Some(Some(&lease)),
            ..Move::default()
        },
    )
    .await?;
    if !moved {
        return Ok(false);
    }
    orders::add_event(
        &mut *tx,
        &NewEvent {
            order_id: &order.id,
            kind: "submitted",
            from: Some(OrderStatus::Prepared),
            to: Some(OrderStatus::Submitted),
            detail: serde_json::json!({}),
            at: &at,
        },
    )
    .await?;
    tx.commit().await.map_err(LedgerError::from)?;
    Ok(true)
}

/// `RC-` + 10 characters of milliseconds + 16 random ones, Crockford base 32: sortable by
/// time, unique without coordination, 29 characters (providers allow 50).
fn new_reference(now: DateTime<Utc>) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut out = String::from("RC-");
    let ms = u64::try_from(now.timestamp_millis()).unwrap_or(0);
    for i in (0..10).rev() {
        out.push(char::from(ALPHABET[((ms >> (i * 5)) & 31) as usize]));
    }
    let random: u128 = rand::random();
    for i in 0..16 {
        out.push(char::from(ALPHABET[((random >> (i * 5)) & 31) as usize]));
    }
    out
}

/// "₦1,250.00": the currency's sign where it has a common one, grouped, at its minor digits.
pub(crate) fn display_amount(m: &Money) -> String {
    let text = m.amount_string();
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if !frac.is_empty() {
        grouped = format!("{grouped}.{frac}");
    }
    match m.currency.code() {
        "NGN" => format!("{sign}₦{grouped}"),
        "GBP" => format!("{sign}£{grouped}"),
        "USD" => format!("{sign}${grouped}"),
        "EUR" => format!("{sign}€{grouped}"),
        code => format!("{sign}{code} {grouped}"),
    }
}

#[cfg(test)]
mod recipient_tests {
    use super::normalise_recipient;

    #[test]
    fn a_link_keeps_its_dashes_and_a_number_loses_its_spaces() {
        assert_eq!(
            normalise_recipient(" https://instagram.com/my-shop ").ok(),
            Some("https://instagram.com/my-shop".to_owned())
        );
        assert_eq!(
            normalise_recipient("0803-123 4567").ok(),
            Some("08031234567".to_owned())
        );
        assert!(normalise_recipient("   ").is_err());
    }
}
