//! RukkyStore's catalogue as shared `Product`s: plan lists (`vtu_data_plans`,
//! `vtu_sme_plans`, `vtu_cable_plans`), discos (`vtu_electric_discos`), SMM `services`,
//! and the products no call lists (airtime, WAEC, recharge cards).
//!
//! The document shows none of these list answers. Each row is read from the first key
//! present in the lists below; a row without an id or a price is skipped (it cannot be
//! bought or booked), and a non-empty list with no usable row is a `BadResponse`.

use rust_decimal::Decimal;
use serde_json::value::RawValue;

use super::wire::{raw_text, rows, Json, Obj, LIST_KEYS};
use super::{naira, KIND};
use crate::money::{Currency, Money};
use crate::providers::http::HttpClient;
use crate::providers::{
    Category, Denomination, DenominationKind, ExtraField, Product, ProviderError,
};

/// Every category this adapter offers and the call that lists it.
pub(super) const CATEGORIES: &[(&str, &str)] = &[
    ("airtime", "Airtime"),              // static list, bought with vtu_airtime
    ("data", "Data"),                    // vtu_data_plans per service_id
    ("sme", "SME data"),                 // vtu_sme_plans per network
    ("cable", "Cable TV"),               // vtu_cable_plans per service_id
    ("electricity", "Electricity"),      // vtu_electric_discos
    ("education", "Education PINs"),     // static (WAEC), vtu_education
    ("recharge_card", "Recharge cards"), // static, vtu_recharge_card
    ("smm", "Social media (SMM)"),       // services
];

pub(super) fn categories() -> Vec<Category> {
    CATEGORIES
        .iter()
        .map(|(code, name)| Category {
            code: (*code).to_owned(),
            name: (*name).to_owned(),
        })
        .collect()
}

/// Networks tried when no `sub_category` names one. Only `mtn-data` appears in the
/// document; the others follow its pattern and are skipped if RukkyStore refuses them.
pub(super) const NETWORKS: &[&str] = &["mtn", "glo", "airtel", "9mobile"];
pub(super) const CABLE_SERVICES: &[&str] = &["dstv", "gotv", "startimes"];
pub(super) const METER_TYPES: &[&str] = &["prepaid", "postpaid"];

// Amount limits RukkyStore does not publish. They only pre-check the form; RukkyStore's own
// answer ("Amount must be between X and Y", "Please follow the limit") is authoritative.
const AIRTIME_RANGE: (i64, i64) = (50, 50_000);
const ELECTRICITY_RANGE: (i64, i64) = (500, 500_000);
const EDUCATION_RANGE: (i64, i64) = (1, 100_000);
/// The card values Nigerian networks print.
const RECHARGE_CARD_VALUES: &[i64] = &[100, 200, 500, 1000];

// Keys read from undocumented list rows, in order of preference.
const ID_KEYS: &[&str] = &["plan_id", "id", "variation_code", "code", "plan_code"];
const NAME_KEYS: &[&str] = &[
    "name",
    "plan_name",
    "plan",
    "title",
    "variation_name",
    "description",
];
const PRICE_KEYS: &[&str] = &[
    "price",
    "amount",
    "plan_amount",
    "variation_amount",
    "selling_price",
    "rate",
    "cost",
];
const VALIDITY_KEYS: &[&str] = &["validity", "duration", "days"];
const DISCO_ID_KEYS: &[&str] = &["service_name", "service_id", "id", "code", "disco", "slug"];
const DISCO_NAME_KEYS: &[&str] = &["name", "title", "disco_name", "label", "service_name"];

/// The operator's usual spelling for a network or service id (`mtn-data` -> `MTN`).
pub(super) fn display(id: &str) -> String {
    let base = id
        .trim()
        .trim_end_matches("-data")
        .trim_end_matches("_data");
    match base.to_ascii_lowercase().as_str() {
        "mtn" => "MTN".to_owned(),
        "glo" => "Glo".to_owned(),
        "airtel" => "Airtel".to_owned(),
        "9mobile" | "etisalat" => "9mobile".to_owned(),
        "dstv" => "DStv".to_owned(),
        "gotv" => "GOtv".to_owned(),
        "startimes" => "StarTimes".to_owned(),
        _ => base.to_owned(),
    }
}

fn product(id: String, name: String, category_code: &str) -> Product {
    let category = CATEGORIES
        .iter()
        .find(|(c, _)| *c == category_code)
        .map_or(category_code, |(_, n)| n);
    Product {
        id,
        code: None,
        name,
        category_code: category_code.to_owned(),
        category: category.to_owned(),
        sub_category_code: None,
        sub_category: None,
        brand_code: None,
        brand_family: None,
        operator: None,
        country_codes: vec!["NGA".to_owned()],
        denominations: Vec::new(),
        cost: None,
        face_value: None,
        fx_rate: None,
        wallet_id: None,
        validity: None,
        description: None,
        requires_validation: false,
        needs: Vec::new(),
        active: true,
        provider_ref: None,
    }
}

fn range(min: Decimal, max: Decimal, currency: Currency) -> Denomination {
    Denomination {
        kind: DenominationKind::Range,
        min,
        max,
        currency,
    }
}

fn fixed(value: Decimal, currency: Currency) -> Denomination {
    Denomination {
        kind: DenominationKind::Fixed,
        min: value,
        max: value,
        currency,
    }
}

fn with_network(mut p: Product, network: &str) -> Product {
    p.sub_category_code = Some(network.to_owned());
    p.sub_category = Some(display(network));
    p.brand_code = Some(network.to_owned());
    p.operator = Some(display(network));
    p
}

pub(super) fn airtime(networks: &[&str]) -> Vec<Product> {
    networks
        .iter()
        .map(|n| {
            let mut p = product(
                format!("airtime:{n}"),
                format!("{} airtime", display(n)),
                "airtime",
            );
            let (lo, hi) = AIRTIME_RANGE;
            p.denominations = vec![range(lo.into(), hi.into(), naira())];
            p.description =
                Some("Any amount; the limits shown are a guide, RukkyStore's apply.".into());
            with_network(p, n)
        })
        .collect()
}

pub(super) fn recharge_cards(networks: &[&str]) -> Vec<Product> {
    networks
        .iter()
        .map(|n| {
            let mut p = product(
                format!("recharge_card:{n}"),
                format!("{} recharge card", display(n)),
                "recharge_card",
            );
            p.denominations = RECHARGE_CARD_VALUES
                .iter()
                .map(|v| fixed((*v).into(), naira()))
                .collect();
            p.description =
                Some("One printed card per order; the PIN and serial are delivered.".into());
            with_network(p, n)
        })
        .collect()
}

pub(super) fn education() -> Vec<Product> {
    let mut p = product(
        "education:waec".into(),
        "WAEC result checker PIN".into(),
        "education",
    );
    let (lo, hi) = EDUCATION_RANGE;
    p.denominations = vec![range(lo.into(), hi.into(), naira())];
    p.brand_code = Some("waec".into());
    p.operator = Some("WAEC".into());
    vec![p]
}

/// Which plan list a call answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PlanList {
    Data,
    Sme,
    Cable,
}

/// Maps one plan list; `group` is the service_id or network it was asked for.
pub(super) fn plans(
    http: &HttpClient,
    list: PlanList,
    group: &str,
    json: &Json,
) -> Result<Vec<Product>, ProviderError> {
    let items = list_rows(json, "plan list")?;
    let mut out = Vec::new();
    for item in &items {
        let Some(o) = Obj::from_raw(item) else {
            continue;
        };
        let (Some(id), Some(Ok(price))) = (o.text(ID_KEYS), o.amount(PRICE_KEYS)) else {
            tracing::warn!(provider = %KIND, group, "skipping a plan without an id or a price");
            continue;
        };
        let currency = o
            .text(&["currency"])
            .and_then(|c| Currency::new(&c).ok())
            .unwrap_or_else(naira);
        let name = o.text(NAME_KEYS).unwrap_or_else(|| format!("Plan {id}"));
        let (pid, cat) = match list {
            PlanList::Data => (format!("data:{id}"), "data"),
            PlanList::Sme => (format!("sme:{id}"), "sme"),
            PlanList::Cable => (format!("cable:{group}:{id}"), "cable"),
        };
        let mut p = with_network(product(pid, http.scrub(&name), cat), group);
        p.code = Some(id);
        p.denominations = vec![fixed(price, currency.clone())];
        p.cost = Some(Money::new(price, currency.clone()));
        p.face_value = Some(Money::new(price, currency));
        p.validity = o.text(VALIDITY_KEYS);
        p.requires_validation = list == PlanList::Cable;
        if list == PlanList::Cable {
            // `vtu_cable` requires the customer's phone besides the smartcard.
            p.needs = vec![ExtraField::CustomerPhone];
        }
        out.push(p);
    }
    usable(out, items.len(), "plan")
}

/// `vtu_electric_discos`: rows may be objects or bare names. Each disco becomes one
/// product per meter type, since `vtu_electricity` takes the type as a field.
pub(super) fn discos(http: &HttpClient, json: &Json) -> Result<Vec<Product>, ProviderError> {
    let items = list_rows(json, "disco list")?;
    let mut out = Vec::new();
    for item in &items {
        let (id, name, lo, hi) = match Obj::from_raw(item) {
            Some(o) => {
                let Some(id) = o.text(DISCO_ID_KEYS) else {
                    continue;
                };
                let name = o.text(DISCO_NAME_KEYS).unwrap_or_else(|| id.clone());
                let lo = o
                    .amount(&["min", "minimum", "min_amount", "minimum_amount"])
                    .and_then(Result::ok);
                let hi = o
                    .amount(&["max", "maximum", "max_amount", "maximum_amount"])
                    .and_then(Result::ok);
                (id, name, lo, hi)
            }
            None => match raw_text(item) {
                Some(id) => (id.clone(), id, None, None),
                None => continue,
            },
        };
        let lo = lo.unwrap_or_else(|| ELECTRICITY_RANGE.0.into());
        let hi = hi.unwrap_or_else(|| ELECTRICITY_RANGE.1.into()).max(lo);
        for meter in METER_TYPES {
            let mut p = product(
                format!("electricity:{id}:{meter}"),
                format!("{} {meter}", http.scrub(&name)),
                "electricity",
            );
            p.code = Some(id.clone());
            p.sub_category_code = Some(id.clone());
            p.sub_category = Some(http.scrub(&name));
            p.operator = Some(http.scrub(&name));
            p.denominations = vec![range(lo, hi, naira())];
            p.requires_validation = true;
            // `vtu_electricity` requires the customer's phone besides the meter.
            p.needs = vec![ExtraField::CustomerPhone];
            out.push(p);
        }
    }
    usable(out, items.len(), "disco")
}

/// SMM `services` (SMM panel shape: service, name, type, category, rate per 1000, min,
/// max). The denomination is the order QUANTITY, not money: the shared type needs a
/// currency, so it carries NGN; `cost` is the rate per 1000 units and `fx_rate` the price of
/// one unit, which prices an order of any quantity in range.
pub(super) fn smm_services(http: &HttpClient, json: &Json) -> Result<Vec<Product>, ProviderError> {
    let items = list_rows(json, "service list")?;
    let mut out = Vec::new();
    for item in &items {
        let Some(o) = Obj::from_raw(item) else {
            continue;
        };
        let Some(id) = o.text(&["service", "id", "service_id"]) else {
            continue;
        };
        let min = o.amount(&["min"]).and_then(Result::ok);
        let max = o.amount(&["max"]).and_then(Result::ok);
        let (Some(min), Some(max)) = (min, max) else {
            tracing::warn!(provider = %KIND, service = %id, "skipping an SMM service without min/max");
            continue;
        };
        let name = o.text(&["name"]).unwrap_or_else(|| format!("Service {id}"));
        let mut p = product(format!("smm:{id}"), http.scrub(&name), "smm");
        p.code = Some(id);
        p.sub_category = o.text(&["category"]).map(|c| http.scrub(&c));
        p.sub_category_code = p.sub_category.clone();
        p.denominations = vec![range(min.min(max), max.max(min), naira())];
        let rate = o.amount(&["rate", "price"]).and_then(Result::ok);
        p.cost = rate.map(|r| Money::new(r, naira()));
        // Priced per unit of quantity (the rate is per 1000), so `cost_for` prices any
        // quantity in range: quantity × rate / 1000, rounded up to the kobo.
        p.fx_rate = rate.and_then(|r| r.checked_div(Decimal::from(1000)));
        let mut about = vec![format!("quantity {min} to {max}")];
        if let Some(r) = rate {
            about.push(format!("NGN {r} per 1000"));
        }
        if let Some(t) = o.text(&["type"]) {
            about.push(http.scrub(&t));
        }
        if let Some(d) = o.text(&["description", "desc"]) {
            about.push(http.scrub(&d));
        }
        p.description = Some(about.join("; "));
        out.push(p);
    }
    usable(out, items.len(), "service")
}

fn list_rows(json: &Json, what: &str) -> Result<Vec<Box<RawValue>>, ProviderError> {
    rows(json, LIST_KEYS).ok_or_else(|| ProviderError::BadResponse {
        provider: KIND,
        reason: format!("the {what} is not a list"),
        body: None,
    })
}

fn usable(out: Vec<Product>, rows: usize, what: &str) -> Result<Vec<Product>, ProviderError> {
    if out.is_empty() && rows > 0 {
        return Err(ProviderError::BadResponse {
            provider: KIND,
            reason: format!("none of the {rows} {what} rows has the fields needed to sell it"),
            body: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod smm_prices {
    use super::*;
    use crate::providers::http::HttpPolicy;

    #[test]
    fn an_smm_service_is_priced_from_its_rate_per_1000() {
        let http = HttpClient::new(KIND, HttpPolicy::default(), vec![]).expect("client");
        let json = super::super::wire::parse_json(
            r#"[{"service": 1, "name": "Instagram Likes", "type": "Default",
                 "category": "Instagram", "rate": "0.90", "min": "50", "max": "10000"}]"#,
        )
        .expect("json");
        let services = smm_services(&http, &json).expect("services");
        let likes = &services[0];
        let qty = |n: i64| Money::new(rust_decimal::Decimal::from(n), naira());
        // Before: "no price for Instagram Likes".
        assert_eq!(
            likes.cost_for(&qty(1000)),
            Some(Money::new(rust_decimal::Decimal::new(90, 2), naira()))
        );
        assert_eq!(
            likes.cost_for(&qty(250)),
            Some(Money::new(rust_decimal::Decimal::new(23, 2), naira())),
            "0.225 rounded up to the kobo"
        );
        assert_eq!(likes.cost_for(&qty(20)), None, "below the minimum quantity");
    }
}
