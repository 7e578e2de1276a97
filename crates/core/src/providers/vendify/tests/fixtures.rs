//! Every sample response of the Vendify document, read verbatim from its fixture file into
//! the shared and public types, with the mapped values checked exactly.

use super::*;
use crate::providers::vendify::{catalogue, lookups, orders, reports, validations, vouchers};
use crate::providers::{DenominationKind, OutcomeStatus};

#[test]
fn fx_rates_keep_all_ten_decimals() {
    let rates = lookups::parse_fx_rates(&http(), &answer(&fixture("fx_rate_response.json")))
        .expect("parses");
    assert_eq!(rates.len(), 4);
    assert_eq!(rates[0].product_currency.code(), "HKD");
    assert_eq!(rates[0].transacting_currency.code(), "NGN");
    assert_eq!(rates[0].product_value, d("1"));
    assert_eq!(rates[0].all_in_rate.to_string(), "203.7913350000");
    assert_eq!(rates[1].all_in_rate, d("437.28003"));
    assert_eq!(rates[2].all_in_rate, d("2313.3"));
    assert_eq!(rates[3].product_currency.code(), "USD");
    assert_eq!(rates[3].all_in_rate, d("1721.5"));
}

#[test]
fn esim_order_answer_maps_to_a_success_with_its_activation_code() {
    let out = orders::parse_order(&http(), &answer(&fixture("order_esim_response.json")))
        .expect("parses");
    assert_eq!(out.status, OutcomeStatus::Succeeded);
    assert_eq!(
        out.provider_reference.as_deref(),
        Some("250311224805113784:S:LGBYBJIYTURUDUQBFTXQWQBCW")
    );
    assert_eq!(out.charged, Some(m("5.904", "GBP")));
    assert_eq!(
        out.message.as_deref(),
        Some("Product purchased successfully.")
    );
    let del = &out.delivery;
    assert_eq!(del.voucher_code.as_deref(), Some("8943 1081 6100 0326 169"));
    assert_eq!(del.redemption_url, None, "\"#\" is no link");
    assert_eq!(
        del.qr_code_data.as_deref(),
        Some("LPA:1$rsp.truphone.com$JQ-1PKHOV-3C8K4V")
    );
    assert_eq!(del.expiration_date.as_deref(), Some("2026-12-09"));
    let esim = del.esim.as_ref().expect("an eSIM delivery");
    assert_eq!(
        esim.activation_code.as_deref(),
        Some("LPA:1$rsp.truphone.com$JQ-1PKHOV-3C8K4V")
    );
    assert_eq!(esim.ios_install_url, None);
    assert_eq!(out.balance_after, None);
}

#[test]
fn airtime_order_answer_maps_to_a_success_in_naira() {
    let out = orders::parse_order(&http(), &answer(&fixture("order_airtime_response.json")))
        .expect("parses");
    assert_eq!(out.status, OutcomeStatus::Succeeded);
    assert_eq!(
        out.provider_reference.as_deref(),
        Some("250129115711054438:S:BAXPCIDRKCCQDUHEFAYMWKVOD")
    );
    assert_eq!(out.charged, Some(m("500.0", "NGN")));
    assert_eq!(
        out.delivery.voucher_code.as_deref(),
        Some("AIRT 2501 2911 5711 0544 38:S :BAX PCID RKCC QDUH EFAY MWKV OD")
    );
    assert_eq!(out.delivery.esim, None);
    assert_eq!(out.delivery.expiration_date.as_deref(), Some("2035-12-09"));
    assert_eq!(
        out.message.as_deref(),
        Some("Product purchased successfully. Email receipt sent.")
    );
}

#[test]
fn status_answer_maps_to_a_success_with_its_redemption_details() {
    let out = orders::parse_status(
        &http(),
        &answer(&fixture("order_status_response.json")),
        "x",
    )
    .expect("parses");
    assert_eq!(out.status, OutcomeStatus::Succeeded);
    assert_eq!(
        out.provider_reference.as_deref(),
        Some("250315235931835041:S:QRKUOSODRMCYMLTXBQHGMLOQH")
    );
    assert_eq!(out.charged, Some(m("110.00", "GBP")));
    assert_eq!(out.delivery.voucher_code.as_deref(), Some("CODE-1013"));
    assert_eq!(
        out.delivery.redemption_url.as_deref(),
        Some("https://trailexample.com")
    );
    assert!(out
        .delivery
        .redemption_info
        .as_deref()
        .is_some_and(|i| i.starts_with("This is a Sample Test Product")));
    assert_eq!(
        out.delivery.qr_code_data, None,
        "an empty qrCodeData is no QR code"
    );
    assert_eq!(out.delivery.esim, None);
    assert_eq!(
        out.message.as_deref(),
        Some("Transaction completed successfully")
    );
}

#[test]
fn voucher_details_answer_is_a_resend() {
    let r = vouchers::parse_resend(&http(), &answer(&fixture("voucher_details_response.json")))
        .expect("parses");
    assert_eq!(r.masked_code.as_deref(), Some("XCJ*********UYV"));
    assert_eq!(
        r.message.as_deref(),
        Some("Details sent successfully. Email and SMS Message sent.")
    );
    assert_eq!(r.expiration_date.as_deref(), Some("2024/04/03"));
}

#[test]
fn history_amount_with_thousands_separator() {
    let rows = reports::parse_history(
        &http(),
        &answer(&fixture("transaction_history_response.json")),
    )
    .expect("parses");
    assert_eq!(rows.len(), 3);
    let first = &rows[0];
    assert_eq!(first.transaction_reference, "2023040ikhkumwxxykymhjm");
    assert_eq!(first.date, chrono::NaiveDate::from_ymd_opt(2023, 4, 9));
    assert_eq!(first.date_text.as_deref(), Some("2023/04/09"));
    assert_eq!(first.voucher.as_deref(), Some("GEJ*********KDB"));
    assert_eq!(first.voucher_value, Some(m("100.00", "NGN")));
    assert_eq!(first.transacted, Some(m("100.00", "NGN")));
    assert_eq!(first.redeemed, Some(false));
    assert_eq!(first.buyer_first_name.as_deref(), Some("Harry"));
    assert_eq!(first.buyer_telephone.as_deref(), Some("+**********77"));
    assert_eq!(rows[1].voucher_value, Some(m("100.00", "GBP")));
    assert_eq!(rows[1].transacted, Some(m("0.00", "NGN")));
    assert_eq!(
        rows[2].transacted.as_ref().map(|t| t.amount),
        Some(d("57191.70"))
    );
    assert_eq!(
        rows[2].transacted.as_ref().map(|t| t.amount.to_string()),
        Some("57191.70".to_owned())
    );
}

#[test]
fn summary_totals_with_thousands_separators() {
    let rows = reports::parse_summary(
        &http(),
        &answer(&fixture("transaction_summary_response.json")),
    )
    .expect("parses");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].product_code, "F5A500GB");
    assert_eq!(rows[0].product_name.as_deref(), Some("Five Star Airtime"));
    assert_eq!(rows[0].transaction_count, 2);
    assert_eq!(rows[0].total_voucher_value, m("1000.00", "GBP"));
    assert_eq!(rows[0].currency_country.as_deref(), Some("United Kingdom"));
    assert_eq!(
        rows[0].report_from,
        chrono::NaiveDate::from_ymd_opt(2021, 1, 1)
    );
    assert_eq!(
        rows[0].report_to,
        chrono::NaiveDate::from_ymd_opt(2023, 9, 1)
    );
    assert_eq!(rows[2].total_voucher_value, m("1000.00", "USD"));
    assert_eq!(
        rows[3].product_name.as_deref(),
        Some("PROMAX 10,000 Naira Gift Voucher")
    );
    assert_eq!(rows[3].transaction_count, 1);
    assert_eq!(rows[3].total_voucher_value, m("10000.00", "NGN"));
}

#[test]
fn update_delivery_answer_maps() {
    let u = vouchers::parse_update(&http(), &answer(&fixture("update_delivery_response.json")))
        .expect("parses");
    assert_eq!(u.masked_code.as_deref(), Some("LV***********LB"));
    assert_eq!(
        u.message.as_deref(),
        Some("Delivery details has been updated.")
    );
    assert_eq!(u.expiration_date.as_deref(), Some("2024-03-23"));
}

#[test]
fn providers_answer_maps() {
    let p = lookups::parse_providers(&http(), &answer(&fixture("providers_response.json")))
        .expect("parses");
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].code, "sandboxservicep");
    assert_eq!(p[0].name, "Sandbox Service Provider Ltd");
    assert_eq!(p[0].url.as_deref(), Some("www.servicep.com"));
    assert_eq!(p[0].telephone.as_deref(), Some("+44000000000"));
    assert!(p[0].active);
    assert_eq!(p[1].code, "servpath");
}

#[test]
fn javascript_style_giftcard_listing_parses_exactly() {
    let body = fixture("category_giftcard_response.json");
    assert!(
        serde_json::from_str::<serde_json::Value>(&body).is_err(),
        "the sample is not JSON"
    );
    let products = catalogue::parse_products(&http(), &answer(&body)).expect("parses after repair");
    assert_eq!(products.len(), 2);
    let p = &products[0];
    assert_eq!(p.id, "4299");
    assert_eq!(p.code.as_deref(), Some("RW001827"));
    assert_eq!(p.provider_ref.as_deref(), Some("8"));
    assert_eq!(p.name, "Amazon UK eGift Voucher (Realtime)");
    assert_eq!(
        (p.category_code.as_str(), p.category.as_str()),
        ("giftcard", "Gift Card")
    );
    assert_eq!(
        p.sub_category_code.as_deref(),
        Some("E-Commerce-Online-Shopping")
    );
    assert_eq!(p.brand_family.as_deref(), Some("Amazon"));
    assert_eq!(p.brand_code.as_deref(), Some("amazon-uk"));
    assert_eq!(p.operator.as_deref(), Some("amazon-uk"));
    assert_eq!(p.cost, Some(m("2197.6350", "NGN")));
    assert_eq!(p.face_value, Some(m("1.00", "GBP")));
    assert_eq!(p.fx_rate, Some(d("2313.30")));
    assert_eq!(p.wallet_id.as_deref(), Some("NGN-59"));
    assert_eq!(p.validity, None);
    assert_eq!(p.denominations.len(), 1);
    let den = &p.denominations[0];
    assert_eq!(
        (den.kind, den.min, den.max, den.currency.code()),
        (DenominationKind::Range, d("2"), d("1000"), "GBP")
    );
    assert!(p.active && !p.requires_validation);
    assert!(p.country_codes.is_empty());
    let fixed = &products[1].denominations[0];
    assert_eq!(
        (fixed.kind, fixed.min, fixed.max),
        (DenominationKind::Fixed, d("5"), d("5"))
    );
    assert_eq!(products[1].cost, Some(m("10988.1750", "NGN")));
}

#[test]
fn brace_less_product_details_parse_exactly() {
    let body = fixture("product_details_response.json");
    assert!(
        serde_json::from_str::<serde_json::Value>(&body).is_err(),
        "the sample is not JSON"
    );
    let p = catalogue::parse_product(&http(), &answer(&body)).expect("parses after repair");
    assert_eq!(p.id, "8746");
    assert_eq!(p.code.as_deref(), Some("RW000045"));
    assert_eq!(p.provider_ref.as_deref(), Some("112"));
    assert_eq!(p.name, "Test Proudct (Code/PIN/URL)");
    assert_eq!(p.brand_code.as_deref(), Some("USA-Trial-Test"));
    assert_eq!(p.brand_family, None);
    assert_eq!(p.country_codes, vec!["KEN", "NGA", "ZAF"]);
    assert_eq!(p.cost, Some(m("100.0", "USD")));
    assert_eq!(p.face_value, Some(m("100.0", "USD")));
    assert_eq!(p.fx_rate, Some(d("1.0")));
    assert_eq!(p.wallet_id.as_deref(), Some("USD-104"));
    assert_eq!(
        p.description.as_deref(),
        Some("This is sample product and this could be an html description.")
    );
    assert_eq!(p.denominations.len(), 1);
    assert_eq!(p.denominations[0].kind, DenominationKind::Fixed);
    assert_eq!(p.denominations[0].min, d("100"));
}

#[test]
fn brands_answer_maps() {
    let b =
        lookups::parse_brands(&http(), &answer(&fixture("brands_response.json"))).expect("parses");
    assert_eq!(b.len(), 5);
    assert_eq!(b[0].id.as_deref(), Some("33"));
    assert_eq!(b[0].code, "adidas-uk");
    assert_eq!(b[0].name, "Adidas UK");
    assert_eq!(b[0].country_code.as_deref(), Some("GBR"));
    assert_eq!(b[0].country.as_deref(), Some("United Kingdom"));
    assert!(b[0]
        .logo_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://evend-assets")));
    assert_eq!(b[4].code, "aldi-uk");
}

#[test]
fn brand_families_split_their_country_list() {
    let f =
        lookups::parse_brand_families(&http(), &answer(&fixture("brand_families_response.json")))
            .expect("parses");
    assert_eq!(f.len(), 4);
    assert_eq!(f[0].code, "Amazon");
    assert_eq!(f[0].product_count, Some(4));
    assert_eq!(f[0].country_count, Some(3));
    assert_eq!(f[0].countries, vec!["AED", "GBR", "USA"]);
    assert_eq!(f[2].code, "Gift-Me-Crypto");
    assert_eq!(f[3].countries, vec!["GBR", "USA"]);
}

#[test]
fn javascript_style_sub_categories_parse() {
    let s =
        lookups::parse_sub_categories(&http(), &answer(&fixture("sub_categories_response.json")))
            .expect("parses");
    assert_eq!(s.len(), 4);
    assert_eq!(s[0].id.as_deref(), Some("2"));
    assert_eq!(s[0].code, "Charity-Donations");
    assert_eq!(s[0].name, "Charity & Donations");
    assert_eq!(s[3].name, "Fashion, Beauty & Lifestyle");
}

#[test]
fn javascript_style_airtime_listing_parses_exactly() {
    let products =
        catalogue::parse_products(&http(), &answer(&fixture("category_airtime_response.json")))
            .expect("parses");
    assert_eq!(products.len(), 4);
    let mtn = &products[0];
    assert_eq!(mtn.id, "9418");
    assert_eq!(mtn.code.as_deref(), Some("MFIN5OR"));
    assert_eq!(mtn.provider_ref.as_deref(), Some("123"));
    assert_eq!(mtn.category_code, "airtime");
    assert_eq!(mtn.category, "AirTime");
    assert_eq!(mtn.sub_category_code.as_deref(), Some("Africa-Nigeria-MTN"));
    assert_eq!(mtn.operator.as_deref(), Some("eVend Data Store"));
    assert_eq!(mtn.face_value, Some(m("500.00", "NGN")));
    assert_eq!(mtn.cost, Some(m("0.278000", "USD")));
    assert_eq!(mtn.fx_rate, None);
    assert!(mtn.active);
    assert_eq!(mtn.denominations.len(), 2);
    assert_eq!(mtn.denominations[0].kind, DenominationKind::Fixed);
    assert_eq!(mtn.denominations[1].kind, DenominationKind::Range);
    assert_eq!(
        (mtn.denominations[1].min, mtn.denominations[1].max),
        (d("500"), d("50000"))
    );
    assert_eq!(mtn.denominations[1].currency.code(), "NGN");
    assert_eq!(products[3].name, "9mobile NG Airtime");
}

#[test]
fn esim_details_answer_maps() {
    let e = reports::parse_esim(
        &http(),
        &answer(&fixture("esim_details_response.json")),
        "x",
    )
    .expect("parses");
    assert_eq!(e.id.as_deref(), Some("4528"));
    assert_eq!(e.iccid, "8943108165011804478");
    assert_eq!(e.plan_name.as_deref(), Some("Demo eSim Plan 1GB"));
    assert_eq!(e.status.as_deref(), Some("Data started"));
    assert_eq!(e.last_updated.as_deref(), Some("2025-11-28T13:44:47.542Z"));
    assert_eq!(e.validity_days, Some(7));
    assert_eq!(e.total_data_gb, Some(d("1.02")));
    assert_eq!(e.remaining_data_gb, Some(d("1.02")));
    assert_eq!(e.message.as_deref(), Some("Esim Details"));
}

#[test]
fn validation_answer_lists_the_bouquets() {
    let v = validations::parse_validation(&http(), &answer(&fixture("validation_response.json")))
        .expect("parses");
    assert!(v.valid);
    assert_eq!(v.product_id.as_deref(), Some("9422"));
    assert_eq!(v.provider_id.as_deref(), Some("123"));
    assert_eq!(v.status.as_deref(), Some("200"));
    assert_eq!(v.message.as_deref(), Some("successful"));
    assert_eq!(v.account_name.as_deref(), Some("Test User"));
    assert_eq!(v.unique_account_id.as_deref(), Some("4111ZZZZ863979"));
    assert_eq!(v.brand_code.as_deref(), Some("DSTV"));
    assert_eq!(
        v.transaction_reference.as_deref(),
        Some("20250106103944daauwrodttxydpjhcnbidspgq")
    );
    assert_eq!(v.options.len(), 8);
    let first = &v.options[0];
    assert_eq!(first.product_code, "ng_dstv_showcompe36");
    assert_eq!(first.product_name, "Compact + Showmax_");
    assert_eq!(first.months, Some(1));
    assert_eq!(first.value, d("17450"));
    assert_eq!(v.options[7].value, d("26750"));
}

#[test]
fn every_response_fixture_reads_through_the_envelope() {
    let dir = format!("{}/fixtures/vendify", env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fixture dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with("_response.json") {
            let a = answer(&fixture(&name));
            assert!(a.response.is_some(), "{name} has a response");
            seen += 1;
        }
    }
    assert_eq!(seen, 17, "every sample response has a fixture");
}
