//! The demo provider's catalogue: the products of the seed documents (Vendify's Nigerian
//! airtime, DSTV, Amazon UK vouchers and the "Middle East 1GB" eSIM; eStoreSMS's data
//! bundles and UK top-ups) plus a few everyday items, with the seeds' FX rates.

use rust_decimal::Decimal;

use crate::money::Currency;
use crate::providers::{Denomination, DenominationKind, ProductOption};

/// How a purchase is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStyle {
    /// Airtime and data land on the line: a confirmation only.
    Topup,
    Voucher,
    Pin,
    Token,
    Esim,
    /// Cable subscriptions renew the decoder: a confirmation only.
    Subscription,
}

pub struct DemoProduct {
    pub id: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    pub category_code: &'static str,
    pub category: &'static str,
    pub sub_category_code: &'static str,
    pub sub_category: &'static str,
    pub brand_code: &'static str,
    pub brand_family: &'static str,
    pub operator: &'static str,
    pub countries: &'static [&'static str],
    pub currency: &'static str,
    /// (min, max) for a range; equal for a fixed value. Text, parsed exactly.
    pub denominations: &'static [(&'static str, &'static str)],
    /// Percentage of face value the reseller pays, e.g. "97" for a 3% commission.
    pub price_percent: &'static str,
    pub validity: &'static str,
    pub description: &'static str,
    pub requires_validation: bool,
    pub delivery: DeliveryStyle,
}

const NGA: &[&str] = &["NGA"];

macro_rules! ng_airtime {
    ($id:expr, $code:expr, $name:expr, $sub:expr, $subname:expr, $brand:expr, $op:expr) => {
        DemoProduct {
            id: $id,
            code: $code,
            name: $name,
            category_code: "airtime",
            category: "Airtime",
            sub_category_code: $sub,
            sub_category: $subname,
            brand_code: $brand,
            brand_family: $op,
            operator: $op,
            countries: NGA,
            currency: "NGN",
            denominations: &[("500", "500"), ("500", "50000")],
            price_percent: "97",
            validity: "",
            description: "Airtime credited to the line within seconds.",
            requires_validation: false,
            delivery: DeliveryStyle::Topup,
        }
    };
}

macro_rules! ng_data {
    ($id:expr, $name:expr, $sub:expr, $subname:expr, $brand:expr, $op:expr, $price:expr, $validity:expr) => {
        DemoProduct {
            id: $id,
            code: $id,
            name: $name,
            category_code: "data-bundle",
            category: "Data bundle",
            sub_category_code: $sub,
            sub_category: $subname,
            brand_code: $brand,
            brand_family: $op,
            operator: $op,
            countries: NGA,
            currency: "NGN",
            denominations: &[($price, $price)],
            price_percent: "96",
            validity: $validity,
            description: "Data bundle added to the line.",
            requires_validation: false,
            delivery: DeliveryStyle::Topup,
        }
    };
}

pub static PRODUCTS: &[DemoProduct] = &[
    ng_airtime!("9418", "MFIN5OR", "MTN Airtime", "Africa-Nigeria-MTN", "Africa - Nigeria - MTN", "mtn-nigeria", "MTN"),
    ng_airtime!("9419", "MFIN1OR", "Airtel NG Airtime", "Africa-Nigeria-AIRTEL", "Africa - Nigeria - AIRTEL", "airtel-nigeria", "Airtel"),
    ng_airtime!("9420", "MFIN6OR", "Glo NG Airtime", "Africa-Nigeria-GLO", "Africa - Nigeria - GLO", "glo-nigeria", "Glo"),
    ng_airtime!("9421", "MFIN2OR", "9mobile NG Airtime", "Africa-Nigeria-9Mobile", "Africa - Nigeria - 9Mobile", "nigeria-9mobile", "9mobile"),
    ng_data!("D-MFIN-5-50MB", "MTN 50MB (1 day)", "Africa-Nigeria-MTN", "Africa - Nigeria - MTN", "mtn-nigeria", "MTN", "100", "1 day"),
    ng_data!("D-MFIN-5-150MB", "MTN 150MB (7 days)", "Africa-Nigeria-MTN", "Africa - Nigeria - MTN", "mtn-nigeria", "MTN", "200", "7 days"),
    ng_data!("D-MFIN-5-750MB", "MTN 750MB (30 days)", "Africa-Nigeria-MTN", "Africa - Nigeria - MTN", "mtn-nigeria", "MTN", "500", "30 days"),
    ng_data!("D-MFIN-1-100MB", "Airtel 100MB (1 day)", "Africa-Nigeria-AIRTEL", "Africa - Nigeria - AIRTEL", "airtel-nigeria", "Airtel", "100", "1 day"),
    ng_data!("D-MFIN-1-1GB", "Airtel 1GB (30 days)", "Africa-Nigeria-AIRTEL", "Africa - Nigeria - AIRTEL", "airtel-nigeria", "Airtel", "1000", "30 days"),
    ng_data!("D-MFIN-6-200MB", "Glo 200MB (7 days)", "Africa-Nigeria-GLO", "Africa - Nigeria - GLO", "glo-nigeria", "Glo", "200", "7 days"),
    ng_data!("D-MFIN-6-1GB", "Glo 1GB (30 days)", "Africa-Nigeria-GLO", "Africa - Nigeria - GLO", "glo-nigeria", "Glo", "500", "30 days"),
    ng_data!("D-MFIN-2-500MB", "9mobile 500MB (30 days)", "Africa-Nigeria-9Mobile", "Africa - Nigeria - 9Mobile", "nigeria-9mobile", "9mobile", "500", "30 days"),
    DemoProduct {
        id: "9422",
        code: "USE_VALIDATION_PRODUCT_CODE",
        name: "DStv Subscription",
        category_code: "cable-tv",
        category: "Cable TV",
        sub_category_code: "Africa-Nigeria-DSTV",
        sub_category: "Africa - Nigeria - DSTV",
        brand_code: "DSTV",
        brand_family: "DStv",
        operator: "DStv",
        countries: NGA,
        currency: "NGN",
        denominations: &[("5100", "57500")],
        price_percent: "100",
        validity: "1 month",
        description: "Validate the smartcard number first, then pick a bouquet.",
        requires_validation: true,
        delivery: DeliveryStyle::Subscription,
    },
    DemoProduct {
        id: "9423",
        code: "PHEDC-PREPAID",
        name: "PHED Prepaid Electricity",
        category_code: "electricity",
        category: "Electricity",
        sub_category_code: "Africa-Nigeria-PHED",
        sub_category: "Africa - Nigeria - PHED",
        brand_code: "PHEDC",
        brand_family: "PHED",
        operator: "Port Harcourt Electricity",
        countries: NGA,
        currency: "NGN",
        denominations: &[("1000", "500000")],
        price_percent: "99",
        validity: "",
        description: "Validate the meter number first; the token is shown on success.",
        requires_validation: true,
        delivery: DeliveryStyle::Token,
    },
    DemoProduct {
        id: "7001",
        code: "WAEC-RC",
        name: "WAEC Result Checker PIN",
        category_code: "exam-pin",
        category: "Exam PIN",
        sub_category_code: "Africa-Nigeria-WAEC",
        sub_category: "Africa - Nigeria - WAEC",
        brand_code: "waec",
        brand_family: "WAEC",
        operator: "WAEC",
        countries: NGA,
        currency: "NGN",
        denominations: &[("3900", "3900")],
        price_percent: "98",
        validity: "5 checks",
        description: "A PIN and serial number for checking a WAEC result.",
        requires_validation: false,
        delivery: DeliveryStyle::Pin,
    },
    DemoProduct {
        id: "4299",
        code: "RW001827",
        name: "Amazon UK eGift Voucher (Realtime)",
        category_code: "giftcard",
        category: "Gift Card",
        sub_category_code: "E-Commerce-Online-Shopping",
        sub_category: "E-Commerce & Online Shopping",
        brand_code: "amazon-uk",
        brand_family: "Amazon",
        operator: "Amazon UK",
        countries: &["GBR"],
        currency: "GBP",
        denominations: &[("2", "1000")],
        price_percent: "95",
        validity: "10 years",
        description: "Amazon a leading online retailer of products that inform, educate, and inspire.",
        requires_validation: false,
        delivery: DeliveryStyle::Voucher,
    },
    DemoProduct {
        id: "4300",
        code: "RW001827",
        name: "Amazon UK eGift Voucher £5",
        category_code: "giftcard",
        category: "Gift Card",
        sub_category_code: "E-Commerce-Online-Shopping",
        sub_category: "E-Commerce & Online Shopping",
        brand_code: "amazon-uk",
        brand_family: "Amazon",
        operator: "Amazon UK",
        countries: &["GBR"],
        currency: "GBP",
        denominations: &[("5", "5")],
        price_percent: "95",
        validity: "10 years",
        description: "A fixed £5 Amazon UK voucher.",
        requires_validation: false,
        delivery: DeliveryStyle::Voucher,
    },
    DemoProduct {
        id: "5906",
        code: "RB00001",
        name: "Middle East 1GB",
        category_code: "esim",
        category: "eSim",
        sub_category_code: "Middle-East",
        sub_category: "Middle East",
        brand_code: "esim-middle-east",
        brand_family: "eSim",
        operator: "Truphone",
        countries: &["ISR", "JOR", "KWT", "OMN", "SAU", "ARE"],
        currency: "USD",
        denominations: &[("7.20", "7.20")],
        price_percent: "100",
        validity: "7 days",
        description: "Usable in following (6) contries: Israel, Jordan, Kuwait, Oman, Saudi Arabia, United Arab Emirates. PLEASE NOTE: Plan is Valid for 7 days after activation.",
        requires_validation: false,
        delivery: DeliveryStyle::Esim,
    },
    DemoProduct {
        id: "UKBL-1755",
        code: "UKBL-1755",
        name: "EE UK Top-up",
        category_code: "airtime",
        category: "Airtime",
        sub_category_code: "Europe-UK-EE",
        sub_category: "Europe - United Kingdom - EE",
        brand_code: "ee-uk",
        brand_family: "EE",
        operator: "Everything Everywhere EE",
        countries: &["GBR"],
        currency: "GBP",
        denominations: &[("5", "5"), ("10", "10"), ("15", "15")],
        price_percent: "100",
        validity: "",
        description: "EE pay-as-you-go credit.",
        requires_validation: false,
        delivery: DeliveryStyle::Topup,
    },
    DemoProduct {
        id: "UG-MTN-AIR",
        code: "PARTNER_AIRTIME",
        name: "MTN Uganda Airtime",
        category_code: "airtime",
        category: "Airtime",
        sub_category_code: "Africa-Uganda-MTN",
        sub_category: "Africa - Uganda - MTN",
        brand_code: "mtn-uganda",
        brand_family: "MTN",
        operator: "MTN",
        countries: &["UGA"],
        currency: "UGX",
        denominations: &[("500", "500000")],
        price_percent: "98",
        validity: "",
        description: "Airtime for MTN Uganda lines.",
        requires_validation: false,
        delivery: DeliveryStyle::Topup,
    },
];

/// Seed FX rates: wallet-currency units per one product-currency unit.
pub static FX: &[(&str, &str, &str)] = &[
    ("HKD", "NGN", "203.7913350000"),
    ("AED", "NGN", "437.2800300000"),
    ("GBP", "NGN", "2313.3000000000"),
    ("USD", "NGN", "1721.5000000000"),
    ("USD", "GBP", "0.8200000000"),
    ("NGN", "GBP", "0.0004322830"),
    ("UGX", "NGN", "0.4650000000"),
];

/// The demo wallets and their opening balances.
pub static WALLETS: &[(&str, &str, &str)] = &[
    ("NGN-DEMO", "NGN", "1250000.00"),
    ("GBP-DEMO", "GBP", "850.00"),
    ("USD-DEMO", "USD", "1200.00"),
    ("UGX-DEMO", "UGX", "4500000"),
];

/// DStv bouquets offered after a smartcard validates (the seed's productOptions).
pub static DSTV_BOUQUETS: &[(&str, &str, &str)] = &[
    ("ng_dstv_showcompe36", "Compact + Showmax", "17450"),
    ("ng_dstv_showasiae36", "ASIAE36 + SHOWMAXE36", "15900"),
    ("ng_dstv_asiae36", "DStv Indian", "12400"),
    ("ng_dstv_nnj1e36", "DStv Yanga", "5100"),
    ("ng_dstv_showprwfrnse36", "PremiumFrench + Showmax", "57500"),
    ("ng_dstv_comple36", "DStv Compact Plus", "25000"),
    ("ng_dstv_frn7e36", "DStv French Touch", "5800"),
    ("ng_dstv_showcomple36", "CompactPlus + Showmax", "26750"),
];

pub fn find(id: &str) -> Option<&'static DemoProduct> {
    PRODUCTS.iter().find(|p| p.id == id)
}

/// Exact decimal from a literal in this file.
pub fn dec(s: &str) -> Decimal {
    crate::money::parse_amount(s).unwrap_or_default()
}

pub fn currency(code: &'static str) -> Currency {
    Currency::known(code)
}

pub fn denominations(p: &DemoProduct) -> Vec<Denomination> {
    p.denominations
        .iter()
        .map(|(min, max)| Denomination {
            kind: if min == max {
                DenominationKind::Fixed
            } else {
                DenominationKind::Range
            },
            min: dec(min),
            max: dec(max),
            currency: currency(p.currency),
        })
        .collect()
}

pub fn rate(from: &str, to: &str) -> Option<Decimal> {
    if from == to {
        return Some(Decimal::ONE);
    }
    FX.iter()
        .find(|(f, t, _)| *f == from && *t == to)
        .map(|(_, _, r)| dec(r))
}

pub fn bouquets() -> Vec<ProductOption> {
    DSTV_BOUQUETS
        .iter()
        .map(|(code, name, price)| ProductOption {
            code: (*code).to_owned(),
            name: (*name).to_owned(),
            price: crate::money::Money::new(dec(price), currency("NGN")),
            months: Some(1),
        })
        .collect()
}
