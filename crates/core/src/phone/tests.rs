//! Tests of recipient numbers: a table of typed inputs with exact results, every network
//! prefix, product checks, and properties over arbitrary input.

use proptest::prelude::*;

use super::*;

const NG_SHORT: &str = "0803 123 456 is one digit short for a Nigerian mobile number: it should \
                        have 11 digits, like 0803 123 4567";

/// What a cashier types, the country the product is for, and exactly what comes back.
#[test]
fn normalize_table() {
    use Country::*;
    let ok = |e164: &str| Ok::<String, String>(e164.to_owned());
    let err = |msg: &str| Err::<String, String>(msg.to_owned());
    let ng = "+2348031234567";
    let uk = "+447700900123";
    let ug = "+256772123456";
    let cases: Vec<(&str, Country, Result<String, String>)> =
        vec![
        // Nigeria, every way it gets typed.
        ("08031234567", Nga, ok(ng)),
        ("0803 123 4567", Nga, ok(ng)),
        ("+234 803 123 4567", Nga, ok(ng)),
        ("2348031234567", Nga, ok(ng)),
        ("002348031234567", Nga, ok(ng)),
        ("(0803) 123-4567", Nga, ok(ng)),
        ("8031234567", Nga, ok(ng)),
        ("+234 (0) 803 123 4567", Nga, ok(ng)),
        ("(+234) 803-123-4567", Nga, ok(ng)),
        ("  0803.123.4567  ", Nga, ok(ng)),
        ("0803\u{2013}123\u{2013}4567", Nga, ok(ng)),
        ("0803\u{a0}123\u{a0}4567", Nga, ok(ng)),
        ("07025 123456", Nga, ok("+2347025123456")),
        ("0915 123 4567", Nga, ok("+2349151234567")),
        // United Kingdom.
        ("07700 900123", Gbr, ok(uk)),
        ("+44 7700 900123", Gbr, ok(uk)),
        ("+44 (0)7700 900123", Gbr, ok(uk)),
        // Uganda.
        ("0772 123456", Uga, ok(ug)),
        ("256772123456", Uga, ok(ug)),
        ("+256 772 123 456", Uga, ok(ug)),
        ("000256772123456", Uga, ok(ug)),
        ("0392 123456", Uga, ok("+256392123456")),
        // International forms win over the default country.
        ("+44 7700 900123", Nga, ok(uk)),
        ("256772123456", Nga, ok(ug)),
        ("447700900123", Nga, ok(uk)),
        ("2348031234567", Gbr, ok(ng)),
        // The other countries we know.
        ("(201) 555-0123", Usa, ok("+12015550123")),
        ("1 201 555 0123", Usa, ok("+12015550123")),
        ("011 44 7700 900123", Usa, ok(uk)),
        ("0712 123456", Ken, ok("+254712123456")),
        ("024 123 4567", Gha, ok("+233241234567")),
        ("231234567", Gha, ok("+233231234567")),
        ("071 123 4567", Zaf, ok("+27711234567")),
        // Elsewhere: the E.164 length rule only.
        ("+91 98765 43210", Nga, ok("+919876543210")),
        // Refused, with what to do.
        ("0803 123 456", Nga, err(NG_SHORT)),
        (
            "0803 123 45678",
            Nga,
            err("0803 123 45678 is one digit too long for a Nigerian mobile number: it should \
                 have 11 digits, like 0803 123 4567"),
        ),
        (
            "080312345",
            Nga,
            err("080312345 is two digits short for a Nigerian mobile number: it should have 11 \
                 digits, like 0803 123 4567"),
        ),
        (
            "+234 803 123 45",
            Nga,
            err("+234 803 123 45 is two digits short for a Nigerian mobile number: it should \
                 have 10 digits after +234, like +234 803 123 4567"),
        ),
        (
            "+234 803 123 45678",
            Nga,
            err("+234 803 123 45678 is one digit too long for a Nigerian mobile number: it \
                 should have 10 digits after +234, like +234 803 123 4567"),
        ),
        (
            "80312345678",
            Nga,
            err("80312345678 should start with 0 (or +234): a Nigerian mobile number has 11 \
                 digits, like 0803 123 4567"),
        ),
        (
            "0603 123 4567",
            Nga,
            err("0603 123 4567 is not a Nigerian mobile number: Nigerian mobile numbers start \
                 070, 080, 081, 090 or 091, like 0803 123 4567"),
        ),
        (
            "0800 123 4567",
            Nga,
            err("0800 123 4567 is not a Nigerian mobile number: Nigerian mobile numbers start \
                 070, 080, 081, 090 or 091, like 0803 123 4567"),
        ),
        (
            "0803 ABC 4567",
            Nga,
            err("0803 ABC 4567 has a letter (A) in it: a phone number is digits only, like \
                 0803 123 4567"),
        ),
        (
            "08O3 123 4567",
            Nga,
            err("08O3 123 4567 has the letter O in it: type the digit 0 (zero) instead, like \
                 0803 123 4567"),
        ),
        (
            "0803 123 4567 ext 2",
            Nga,
            err("0803 123 4567 ext 2 has a letter (e) in it: a phone number is digits only, \
                 like 0803 123 4567"),
        ),
        (
            "0803#1234567",
            Nga,
            err("0803#1234567 has a \"#\" in it: type digits only (spaces, dashes and brackets \
                 are fine), like 0803 123 4567"),
        ),
        (
            "0803+1234567",
            Nga,
            err("0803+1234567 has a + in the wrong place: + may only come first, before the \
                 country code, like +234 803 123 4567"),
        ),
        (
            "+0803 123 4567",
            Nga,
            err("+0803 123 4567 has a 0 where the country code should be: write + and the \
                 country code, like +234 803 123 4567, or leave out the + and type the local \
                 number, like 0803 123 4567"),
        ),
        (
            "",
            Nga,
            err("The recipient's phone number is empty: type the number to send to, starting \
                 with 0 or with + and the country code, like 0803 123 4567 or +256 772 123456"),
        ),
        (
            " - ",
            Gbr,
            err("The recipient's phone number is empty: type the number to send to, starting \
                 with 0 or with + and the country code, like 0803 123 4567 or +256 772 123456"),
        ),
        (
            "07700 90012",
            Gbr,
            err("07700 90012 is one digit short for a UK mobile number: it should have 11 \
                 digits, like 07700 900123"),
        ),
        (
            "0161 496 0000",
            Gbr,
            err("0161 496 0000 is not a UK mobile number: UK mobile numbers start 071 to 075 \
                 or 077 to 079, like 07700 900123"),
        ),
        (
            "0772 12345",
            Uga,
            err("0772 12345 is one digit short for a Ugandan mobile number: it should have 10 \
                 digits, like 0772 123456"),
        ),
        (
            "+256 772 123 4567",
            Uga,
            err("+256 772 123 4567 is one digit too long for a Ugandan mobile number: it should \
                 have 9 digits after +256, like +256 772 123456"),
        ),
        (
            "0414 123456",
            Uga,
            err("0414 123456 is not a Ugandan mobile number: Ugandan mobile numbers start 07 \
                 (or 020, 031, 039), like 0772 123456"),
        ),
        (
            "555 0123",
            Usa,
            err("555 0123 is three digits short for a US phone number: it should have 10 \
                 digits, like (201) 555-0123"),
        ),
        (
            "+99 123",
            Nga,
            err("+99 123 has five digits after the +: an international number has 8 to 15, \
                 country code first, like +44 7700 900123"),
        ),
        (
            "+99 1234 5678 9012 34",
            Nga,
            err("+99 1234 5678 9012 34 has 16 digits after the +: an international number \
                 has 8 to 15, country code first, like +44 7700 900123"),
        ),
        (
            "+",
            Nga,
            err("+ has no digits after the +: an international number has 8 to 15, country \
                 code first, like +44 7700 900123"),
        ),
    ];
    assert!(cases.len() >= 30);
    for (input, country, want) in cases {
        let got = normalize(input, country)
            .map(|n| n.e164().to_owned())
            .map_err(|e| e.to_string());
        assert_eq!(got, want, "normalize({input:?}, {country})");
    }
}

#[test]
fn long_input_is_cut_in_the_message() {
    let typed = "0803 123 4567 and please also send to 0805 123 4567";
    let e = normalize(typed, Country::Nga).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "0803 123 4567 and please also se… has a letter (a) in it: a phone number is digits \
         only, like 0803 123 4567"
    );
}

#[test]
fn national_and_display() {
    let cases = [
        ("+2348031234567", "08031234567"),
        ("+256772123456", "0772123456"),
        ("+447700900123", "07700900123"),
        ("+12015550123", "2015550123"),
        ("+254712123456", "0712123456"),
        ("+233241234567", "0241234567"),
        ("+27711234567", "0711234567"),
        ("+919876543210", "+919876543210"),
    ];
    for (e164, national) in cases {
        let n = normalize(e164, Country::Nga).expect("accepted");
        assert_eq!(n.national(), national);
        assert_eq!(n.to_string(), e164);
        assert_eq!(n.e164(), e164);
    }
    let n = normalize("0803 123 4567", Country::Nga).expect("accepted");
    assert_eq!(n.country(), Some(Country::Nga));
    assert_eq!(
        normalize("+91 98765 43210", Country::Nga)
            .expect("accepted")
            .country(),
        None
    );
}

#[test]
fn country_codes() {
    for c in Country::ALL {
        assert_eq!(Country::from_alpha3(c.as_str()), Some(c));
        assert_eq!(
            Country::from_alpha3(&format!(" {} ", c.as_str().to_lowercase())),
            Some(c)
        );
    }
    assert_eq!(Country::from_alpha3("IND"), None);
    assert_eq!(Country::from_alpha3("NG"), None);
    assert_eq!(Country::Gbr.name(), "United Kingdom");
    assert_eq!(Country::Nga.calling_code(), "234");
}

#[test]
fn phone_error_becomes_invalid_input_on_recipient() {
    let e: crate::Error = normalize("0803 123 456", Country::Nga)
        .expect_err("refused")
        .into();
    assert_eq!(e.to_string(), format!("recipient: {NG_SHORT}"));
}

/// The prefixes as the operators publish them, written out again rather than read from the
/// table, so a typo in either shows up.
const NG_PREFIXES: &[(Network, &[&str])] = &[
    (
        Network::Mtn,
        &[
            "0803", "0806", "0703", "0706", "0813", "0816", "0810", "0814", "0903", "0906", "0913",
            "0916", "07025", "07026", "0704", "0707",
        ],
    ),
    (
        Network::Airtel,
        &[
            "0802", "0808", "0708", "0812", "0701", "0902", "0901", "0904", "0907", "0912", "0911",
        ],
    ),
    (
        Network::Glo,
        &["0805", "0807", "0705", "0815", "0811", "0905", "0915"],
    ),
    (
        Network::NineMobile,
        &["0809", "0818", "0817", "0909", "0908"],
    ),
];

const UG_PREFIXES: &[(Network, &[&str])] = &[
    (
        Network::Mtn,
        &["077", "078", "076", "079", "031", "039", "0724"],
    ),
    (
        Network::Airtel,
        &["070", "075", "074", "020", "0730", "0731", "0795"],
    ),
];

/// A whole local number: the prefix, then 1s up to the country's length.
fn local(prefix: &str, len: usize) -> String {
    format!("{prefix}{}", "1".repeat(len - prefix.len()))
}

#[test]
fn every_nigerian_prefix() {
    for (network, prefixes) in NG_PREFIXES {
        for prefix in *prefixes {
            let n = normalize(&local(prefix, 11), Country::Nga).expect("accepted");
            assert_eq!(network_of(&n), Some(*network), "{prefix}");
        }
    }
    assert_eq!(
        networks::NIGERIA.len(),
        NG_PREFIXES.iter().map(|(_, p)| p.len()).sum::<usize>()
    );
}

#[test]
fn every_ugandan_prefix() {
    for (network, prefixes) in UG_PREFIXES {
        for prefix in *prefixes {
            let n = normalize(&local(prefix, 10), Country::Uga).expect("accepted");
            assert_eq!(network_of(&n), Some(*network), "{prefix}");
        }
    }
}

#[test]
fn prefixes_of_no_listed_network() {
    let none = [
        ("0702 011 1111", Country::Nga), // Smile, inside 0702
        ("07028 111111", Country::Nga),  // Starcomms
        ("0804 111 1111", Country::Nga), // Ntel
        ("0712 111111", Country::Uga),   // UTL
        ("0720 111111", Country::Uga),   // Smile
        ("0798 111111", Country::Uga),   // Africell, closed
        ("07700 900123", Country::Gbr),
        ("0712 123456", Country::Ken),
        ("+91 98765 43210", Country::Nga),
    ];
    for (typed, country) in none {
        let n = normalize(typed, country).expect("accepted");
        assert_eq!(network_of(&n), None, "{typed}");
    }
}

#[test]
fn operators_name_networks() {
    let cases = [
        ("MTN", Some(Network::Mtn)),
        ("mtn", Some(Network::Mtn)),
        ("MTN NG", Some(Network::Mtn)),
        ("mtn-nigeria", Some(Network::Mtn)),
        ("Airtel", Some(Network::Airtel)),
        ("AIRTEL Uganda", Some(Network::Airtel)),
        ("Glo", Some(Network::Glo)),
        ("GLO", Some(Network::Glo)),
        ("Globacom", Some(Network::Glo)),
        ("9mobile", Some(Network::NineMobile)),
        ("9MOBILE", Some(Network::NineMobile)),
        ("Etisalat", Some(Network::NineMobile)),
        ("Global Gift Cards", None),
        ("Everything Everywhere EE", None),
        ("DStv", None),
        ("", None),
    ];
    for (operator, want) in cases {
        assert_eq!(Network::from_operator(operator), want, "{operator}");
    }
    for n in Network::ALL {
        assert_eq!(Network::from_operator(n.as_str()), Some(n));
    }
}

fn codes(list: &[&str]) -> Vec<String> {
    list.iter().map(|c| (*c).to_owned()).collect()
}

#[test]
fn recipient_on_the_operators_network() {
    let r = check_recipient("0803 123 4567", &codes(&["NGA"]), Some("MTN")).expect("accepted");
    assert_eq!(r.number.e164(), "+2348031234567");
    assert_eq!(r.number.national(), "08031234567");
    assert_eq!(r.network, Some(Network::Mtn));
    assert_eq!(r.network_mismatch, None);
}

#[test]
fn recipient_on_another_network_is_a_warning() {
    let r = check_recipient("0805 123 4567", &codes(&["NGA"]), Some("MTN")).expect("accepted");
    assert_eq!(r.network, Some(Network::Glo));
    assert_eq!(
        r.network_mismatch.as_deref(),
        Some(
            "0805 is a Glo prefix: choose a Glo product instead, or continue if the number was \
             ported to MTN"
        )
    );
    let r = check_recipient("07025 123456", &codes(&["NGA"]), Some("airtel")).expect("accepted");
    assert_eq!(
        r.network_mismatch.as_deref(),
        Some(
            "07025 is an MTN prefix: choose an MTN product instead, or continue if the number \
             was ported to Airtel"
        )
    );
    let r =
        check_recipient("0772 123456", &codes(&["UGA"]), Some("Airtel Uganda")).expect("accepted");
    assert_eq!(r.number.e164(), "+256772123456");
    assert_eq!(
        r.network_mismatch.as_deref(),
        Some(
            "077 is an MTN prefix: choose an MTN product instead, or continue if the number \
             was ported to Airtel"
        )
    );
}

#[test]
fn recipient_without_a_network_gets_no_warning() {
    // Smile's range, a non-network operator, and no operator at all.
    let r = check_recipient("07020 111111", &codes(&["NGA"]), Some("MTN")).expect("accepted");
    assert_eq!((r.network, r.network_mismatch), (None, None));
    let r = check_recipient("0805 123 4567", &codes(&["NGA"]), Some("DStv")).expect("accepted");
    assert_eq!((r.network, r.network_mismatch), (Some(Network::Glo), None));
    let r = check_recipient("0805 123 4567", &codes(&["NGA"]), None).expect("accepted");
    assert_eq!(r.network_mismatch, None);
}

#[test]
fn recipient_from_another_country_is_refused() {
    let e = check_recipient("+44 7700 900123", &codes(&["NGA"]), Some("MTN")).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "+447700900123 is a UK number; this MTN product is for Nigeria: check the number, or \
         choose a product for the United Kingdom"
    );
    let e =
        check_recipient("+234 803 123 4567", &codes(&["UGA", "KEN"]), None).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "+2348031234567 is a Nigerian number; this product is for Uganda or Kenya: check the \
         number, or choose a product for Nigeria"
    );
    let e = check_recipient("447700900123", &codes(&["NGA"]), Some("Glo")).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "+447700900123 is a UK number; this Glo product is for Nigeria: check the number, or \
         choose a product for the United Kingdom"
    );
    // A local number is read in the product's country: a typo must not pass for a foreign
    // number, so the length error stands.
    let e = check_recipient("0803 123 4567", &codes(&["UGA", "KEN"]), None).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "0803 123 4567 is one digit too long for a Ugandan mobile number: it should have 10 \
         digits, like 0772 123456"
    );
    let e = check_recipient(
        "+1 201 555 0123",
        &codes(&["KEN", "NGA", "ZAF"]),
        Some("Airtel"),
    )
    .expect_err("refused");
    assert_eq!(
        e.to_string(),
        "+12015550123 is a US number; this Airtel product is for Kenya, Nigeria or South \
         Africa: check the number, or choose a product for the United States"
    );
    let e = check_recipient("+91 98765 43210", &codes(&["NGA", "GBR"]), None).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "+919876543210 is not from Nigeria or the United Kingdom, which this product is for: \
         check the number, or choose a product for its country"
    );
}

#[test]
fn recipient_country_rules() {
    // The first country is the default for local numbers.
    let r = check_recipient("0772 123456", &codes(&["UGA", "NGA"]), None).expect("accepted");
    assert_eq!(r.number.e164(), "+256772123456");
    // A local number that fits another listed country is that country's.
    let r =
        check_recipient("0803 123 4567", &codes(&["UGA", "NGA"]), Some("MTN")).expect("accepted");
    assert_eq!(r.number.e164(), "+2348031234567");
    assert_eq!(r.network, Some(Network::Mtn));
    // A leading code we cannot read does not hide a known one after it.
    let r = check_recipient("0803 123 4567", &codes(&["IND", "NGA"]), None).expect("accepted");
    assert_eq!(r.number.e164(), "+2348031234567");
    // Countries we have no plan for: international numbers go to the provider to judge.
    let r = check_recipient("+91 98765 43210", &codes(&["IND"]), None).expect("accepted");
    assert_eq!((r.number.country(), r.network), (None, None));
    // +1 is shared by the US, Canada and the Caribbean.
    let r = check_recipient("+1 416 555 0123", &codes(&["CAN"]), None).expect("accepted");
    assert_eq!(r.number.e164(), "+14165550123");
    // A Nigerian number for a product for India only.
    let e = check_recipient("0803 123 4567", &codes(&["IND"]), None).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "+2348031234567 is a Nigerian number; this product is for IND: check the number, or \
         choose a product for Nigeria"
    );
}

#[test]
fn recipient_with_no_countries_listed() {
    // Some providers list no countries: a local number is taken when exactly one of the home
    // countries' plans fits it.
    let none: &[String] = &[];
    let cases = [
        ("0803 123 4567", "+2348031234567"),
        ("0772 123456", "+256772123456"),
        ("07700 900123", "+447700900123"),
        ("+254 712 123456", "+254712123456"),
        ("256772123456", "+256772123456"),
    ];
    for (typed, want) in cases {
        let r = check_recipient(typed, none, None).expect("accepted");
        assert_eq!(r.number.e164(), want, "{typed}");
    }
    // 071 is a mobile range in both Nigeria and the UK.
    let e = check_recipient("07123 456789", none, None).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "07123 456789 could be from more than one country: write it with + and the country \
         code, like +234 803 123 4567 or +256 772 123456"
    );
    let e = check_recipient("0803 123 456", none, None).expect_err("refused");
    assert!(matches!(e, PhoneError::NeedsCountryCode { .. }), "{e}");
    // Bad input is still named precisely when no country is known.
    let e = check_recipient("0803 12E 4567", none, None).expect_err("refused");
    assert_eq!(
        e.to_string(),
        "0803 12E 4567 has a letter (E) in it: a phone number is digits only, like 0803 123 4567"
    );
}

fn any_country() -> impl Strategy<Value = Country> {
    proptest::sample::select(Country::ALL.to_vec())
}

/// Numbers close to real ones, so many of them parse.
fn phone_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "[+0-9 ()-]{0,20}",
        "(\\+|00)?(234|256|44|1|254|233|27|91|99)?0?[1-9][0-9]{5,12}",
        "0[0-9]{8,11}",
        // Valid shapes for each plan, in every form.
        "(\\+234|234|00234|0)[789][01][0-9]{8}",
        "(\\+256|256|000256|0)(7|20|31|39)[0-9]{7}",
        "(\\+44|44|0044|0)(7[1-57-9]|7624)[0-9]{6,7}",
        "(\\+1|1|011)?[2-9][0-9]{2}[2-9][0-9]{6}",
        "(\\+254|0)(7|1[0-4])[0-9]{7,8}",
        "(\\+233|0)[25][0-9]{8}",
        "(\\+27|0)[6-8][0-9]{8}",
    ]
}

fn is_e164(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|d| {
        (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
    })
}

proptest! {
    // No regression files: they would land outside this module's folder.
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn normalize_never_panics(s in any::<String>(), c in any_country()) {
        let _ = normalize(&s, c);
        let _ = check_recipient(&s, &[c.as_str().to_owned()], Some("MTN"));
        let _ = check_recipient(&s, &[], None);
    }

    #[test]
    fn normalized_numbers_are_stable(s in phone_like(), c in any_country(), again in any_country()) {
        if let Ok(n) = normalize(&s, c) {
            prop_assert!(is_e164(n.e164()), "{} from {:?}", n, s);
            // The E.164 form reads back the same whatever the default country.
            prop_assert_eq!(normalize(n.e164(), again), Ok(n.clone()));
            // So does the local form, in its own country.
            if let Some(home) = n.country() {
                prop_assert_eq!(normalize(&n.national(), home), Ok(n.clone()));
            }
            let _ = network_of(&n);
        }
    }

    #[test]
    fn errors_name_what_was_typed(s in phone_like(), c in any_country()) {
        if let Err(e) = normalize(&s, c) {
            let msg = e.to_string();
            let typed = s.trim();
            prop_assert!(
                e == PhoneError::Empty || msg.starts_with(typed),
                "{msg}"
            );
        }
    }
}
