//! Recipient phone numbers: what a cashier typed, normalised to E.164 and checked against the
//! product before any purchase is written or sent.
//!
//! The rules are written out by hand instead of pulling in libphonenumber: the app sells to a
//! handful of countries, and the cashier needs errors that say exactly what is wrong ("one
//! digit short for a Nigerian mobile number") rather than "invalid number". Nigeria, Uganda
//! and the United Kingdom (where resellers work) have their mobile ranges checked; Kenya,
//! Ghana, South Africa and the US get length and leading-digit checks; any other country is
//! accepted in international form by the E.164 length rule alone, and the provider has the
//! last word on it.

use std::fmt;

mod networks;
#[cfg(test)]
mod tests;

pub use networks::network_of;

/// The field name recipient errors are reported under, so the UI marks the right box.
pub const FIELD: &str = "recipient";

/// Countries whose numbering plans we know. Named by ISO 3166 alpha-3, as the catalogue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Country {
    Nga,
    Uga,
    Gbr,
    Usa,
    Ken,
    Gha,
    Zaf,
}

impl Country {
    pub const ALL: [Country; 7] = [
        Country::Nga,
        Country::Uga,
        Country::Gbr,
        Country::Usa,
        Country::Ken,
        Country::Gha,
        Country::Zaf,
    ];

    /// The ISO 3166 alpha-3 code, as in `Product.country_codes`.
    pub fn as_str(self) -> &'static str {
        match self {
            Country::Nga => "NGA",
            Country::Uga => "UGA",
            Country::Gbr => "GBR",
            Country::Usa => "USA",
            Country::Ken => "KEN",
            Country::Gha => "GHA",
            Country::Zaf => "ZAF",
        }
    }

    /// Reads a catalogue country code; `None` for countries whose plan we do not know.
    pub fn from_alpha3(code: &str) -> Option<Country> {
        let code = code.trim();
        Country::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(code))
    }

    /// The English name, as the cashier reads it in messages.
    pub fn name(self) -> &'static str {
        match self {
            Country::Nga => "Nigeria",
            Country::Uga => "Uganda",
            Country::Gbr => "United Kingdom",
            Country::Usa => "United States",
            Country::Ken => "Kenya",
            Country::Gha => "Ghana",
            Country::Zaf => "South Africa",
        }
    }

    /// "the United Kingdom": the name as it reads inside a sentence.
    fn in_sentence(self) -> &'static str {
        match self {
            Country::Gbr => "the United Kingdom",
            Country::Usa => "the United States",
            other => other.name(),
        }
    }

    /// "Nigerian", "UK": as in "a Nigerian number".
    fn adjective(self) -> &'static str {
        match self {
            Country::Nga => "Nigerian",
            Country::Uga => "Ugandan",
            Country::Gbr => "UK",
            Country::Usa => "US",
            Country::Ken => "Kenyan",
            Country::Gha => "Ghanaian",
            Country::Zaf => "South African",
        }
    }

    /// The calling code without the `+`.
    pub fn calling_code(self) -> &'static str {
        self.plan().calling_code
    }

    fn plan(self) -> &'static Plan {
        match self {
            Country::Nga => &NGA,
            Country::Uga => &UGA,
            Country::Gbr => &GBR,
            Country::Usa => &USA,
            Country::Ken => &KEN,
            Country::Gha => &GHA,
            Country::Zaf => &ZAF,
        }
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The mobile networks whose prefixes we know (Nigeria and Uganda).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Network {
    Mtn,
    Airtel,
    Glo,
    NineMobile,
}

impl Network {
    pub const ALL: [Network; 4] = [
        Network::Mtn,
        Network::Airtel,
        Network::Glo,
        Network::NineMobile,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Network::Mtn => "MTN",
            Network::Airtel => "Airtel",
            Network::Glo => "Glo",
            Network::NineMobile => "9mobile",
        }
    }

    /// The network a product's operator names, e.g. "MTN", "MTN NG", "Airtel Uganda",
    /// "Globacom", "Etisalat" (9mobile's old name). Whole words only, so "Global Gift Cards"
    /// is not Glo and "EE" is nothing.
    pub fn from_operator(operator: &str) -> Option<Network> {
        operator
            .split(|c: char| !c.is_ascii_alphanumeric())
            .find_map(|word| match word.to_ascii_lowercase().as_str() {
                "mtn" => Some(Network::Mtn),
                "airtel" => Some(Network::Airtel),
                "glo" | "globacom" => Some(Network::Glo),
                "9mobile" | "etisalat" => Some(Network::NineMobile),
                _ => None,
            })
    }

    /// "an MTN", "a Glo": MTN and Airtel are read with a vowel sound.
    fn with_article(self) -> String {
        match self {
            Network::Mtn | Network::Airtel => format!("an {}", self.as_str()),
            Network::Glo | Network::NineMobile => format!("a {}", self.as_str()),
        }
    }
}

impl fmt::Display for Network {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A number in E.164 form. Only [`normalize`] and [`check_recipient`] make one, so it is
/// always valid for its country's rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber {
    e164: String,
    /// `None` when the calling code is not one we know the plan of.
    country: Option<Country>,
}

impl PhoneNumber {
    /// `+2348031234567`.
    pub fn e164(&self) -> &str {
        &self.e164
    }

    /// The country by calling code; `None` for countries we accept by length alone. `+1` is
    /// always the United States: telling Canada or the Caribbean apart needs area-code tables.
    pub fn country(&self) -> Option<Country> {
        self.country
    }

    /// The form dialled inside the country, for providers that want it: `08031234567`,
    /// `0772123456`, `07700900123`, `2015550123` (US, no leading 1). For a country we do not
    /// know the plan of there is no safe local form, so it is the E.164 form.
    pub fn national(&self) -> String {
        match (self.country, self.significant()) {
            (Some(c), Some(nsn)) => match c.plan().trunk {
                Some(t) => format!("{}{nsn}", char::from(t)),
                None => nsn.to_owned(),
            },
            _ => self.e164.clone(),
        }
    }

    /// The national significant number: the digits after the calling code.
    fn significant(&self) -> Option<&str> {
        let cc = self.country?.calling_code();
        self.e164.strip_prefix('+')?.strip_prefix(cc)
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.e164)
    }
}

/// A number ready to send to, with the network its prefix belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub number: PhoneNumber,
    /// The network by prefix: a best guess, since Nigerian numbers can be ported.
    pub network: Option<Network>,
    /// Set when the prefix belongs to another network than the product's. A warning to show,
    /// not an error: the number may have been ported.
    pub network_mismatch: Option<String>,
}

/// Why a typed number was refused. Every message names the number as typed (the E.164 form
/// for a wrong country), says what is wrong, and shows how to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    /// No digits at all: nothing typed, or only spaces and separators.
    Empty,
    /// A letter or symbol that is not a separator.
    BadCharacter {
        input: String,
        found: char,
        country: Option<Country>,
    },
    /// A `+` after the first digit, or two of them.
    MisplacedPlus {
        input: String,
        country: Option<Country>,
    },
    /// `+0...` or `00 0...`: a 0 where the calling code belongs.
    ZeroCountryCode {
        input: String,
        country: Option<Country>,
    },
    TooShort {
        input: String,
        country: Country,
        missing: usize,
        /// Typed with the calling code, so the count is of the digits after it.
        international: bool,
    },
    TooLong {
        input: String,
        country: Country,
        extra: usize,
        international: bool,
    },
    /// The right number of digits for the local form, but without its leading 0.
    MissingTrunk { input: String, country: Country },
    /// The right length, but not a mobile range (a landline, toll-free, pager...).
    NotMobile { input: String, country: Country },
    /// International form for a country we check by length only, outside 8 to 15 digits.
    InternationalLength { input: String, digits: usize },
    /// A local number and no way to tell which country it is from.
    NeedsCountryCode { input: String },
    /// A valid number from a country the product is not for.
    WrongCountry {
        number: String,
        country: Option<Country>,
        allowed: Vec<String>,
        operator: Option<String>,
    },
}

impl PhoneError {
    /// What the UI shows under the box; the same as `to_string()`.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// Wrong length or range for the country it was read in: the number may be another's.
    fn is_shape(&self) -> bool {
        matches!(
            self,
            PhoneError::TooShort { .. }
                | PhoneError::TooLong { .. }
                | PhoneError::MissingTrunk { .. }
                | PhoneError::NotMobile { .. }
        )
    }
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneError::Empty => write!(
                f,
                "The recipient's phone number is empty: type the number to send to, starting \
                 with 0 or with + and the country code, like 0803 123 4567 or +256 772 123456"
            ),
            PhoneError::BadCharacter {
                input,
                found,
                country,
            } => {
                let example = local_example(*country);
                if matches!(found, 'o' | 'O') {
                    write!(
                        f,
                        "{input} has the letter {found} in it: type the digit 0 (zero) \
                         instead, like {example}"
                    )
                } else if found.is_alphabetic() {
                    write!(
                        f,
                        "{input} has a letter ({found}) in it: a phone number is digits only, \
                         like {example}"
                    )
                } else {
                    write!(
                        f,
                        "{input} has a \"{found}\" in it: type digits only (spaces, dashes and \
                         brackets are fine), like {example}"
                    )
                }
            }
            PhoneError::MisplacedPlus { input, country } => write!(
                f,
                "{input} has a + in the wrong place: + may only come first, before the \
                 country code, like {}",
                international_example(*country)
            ),
            PhoneError::ZeroCountryCode { input, country } => write!(
                f,
                "{input} has a 0 where the country code should be: write + and the country \
                 code, like {}, or leave out the + and type the local number, like {}",
                international_example(*country),
                local_example(*country)
            ),
            PhoneError::TooShort {
                input,
                country,
                missing,
                international,
            } => {
                let plan = country.plan();
                write!(
                    f,
                    "{input} is {} short for {}: {}",
                    count(*missing, "digit"),
                    plan.singular,
                    plan.length_hint(*international)
                )
            }
            PhoneError::TooLong {
                input,
                country,
                extra,
                international,
            } => {
                let plan = country.plan();
                write!(
                    f,
                    "{input} is {} too long for {}: {}",
                    count(*extra, "digit"),
                    plan.singular,
                    plan.length_hint(*international)
                )
            }
            PhoneError::MissingTrunk { input, country } => {
                let plan = country.plan();
                write!(
                    f,
                    "{input} should start with 0 (or +{}): {} has {} digits, like {}",
                    plan.calling_code,
                    plan.singular,
                    plan.local_len(),
                    plan.local_example
                )
            }
            PhoneError::NotMobile { input, country } => {
                let plan = country.plan();
                write!(
                    f,
                    "{input} is not {}: {} start {}, like {}",
                    plan.singular, plan.plural, plan.starts, plan.local_example
                )
            }
            PhoneError::InternationalLength { input, digits } => write!(
                f,
                "{input} has {} after the +: an international number has 8 to 15, country \
                 code first, like +44 7700 900123",
                count(*digits, "digit")
            ),
            PhoneError::NeedsCountryCode { input } => write!(
                f,
                "{input} could be from more than one country: write it with + and the country \
                 code, like +234 803 123 4567 or +256 772 123456"
            ),
            PhoneError::WrongCountry {
                number,
                country,
                allowed,
                operator,
            } => {
                let product = match operator {
                    Some(op) => format!("this {op} product"),
                    None => "this product".to_owned(),
                };
                let places = country_list(allowed);
                match country {
                    Some(c) => write!(
                        f,
                        "{number} is a {} number; {product} is for {places}: check the number, \
                         or choose a product for {}",
                        c.adjective(),
                        c.in_sentence()
                    ),
                    None => write!(
                        f,
                        "{number} is not from {places}, which {product} is for: check the \
                         number, or choose a product for its country"
                    ),
                }
            }
        }
    }
}

impl std::error::Error for PhoneError {}

impl From<PhoneError> for crate::Error {
    fn from(e: PhoneError) -> Self {
        crate::Error::invalid(FIELD, e.to_string())
    }
}

/// Normalises what a cashier typed to E.164. A local number (`0803 123 4567`, or without its
/// 0) is read in `default_country`; `+`, `00` (and Uganda's `000`, the US `011`) or a bare
/// calling code (`2348031234567`) mark an international one, whatever the default.
pub fn normalize(input: &str, default_country: Country) -> Result<PhoneNumber, PhoneError> {
    parse(input, Some(default_country))
}

/// Normalises `input` for a product sold in `countries` (alpha-3, first is the default for
/// local numbers) by `operator`, refuses numbers from other countries, and warns when the
/// prefix belongs to another network than the operator's.
pub fn check_recipient(
    input: &str,
    countries: &[String],
    operator: Option<&str>,
) -> Result<Recipient, PhoneError> {
    // The first country we know the plan of: a leading unknown code ("IND") gives no rule
    // for local numbers, and a later known one still does.
    let default = countries.iter().find_map(|c| Country::from_alpha3(c));
    let number = match parse(input, default) {
        Ok(number) => number,
        // A product for Uganda and Nigeria takes "0803 123 4567" as Nigerian. Only a listed
        // country is tried: for any other, a typo would too often pass for a foreign number
        // ("0703 123 456" is a valid Ugandan one), so the cashier gets the length error.
        Err(e) if e.is_shape() => match parse(input, None) {
            Ok(n) if n.country.is_some() && sold_to(&n, countries) => n,
            _ => return Err(e),
        },
        Err(e) => return Err(e),
    };
    if !sold_to(&number, countries) {
        return Err(PhoneError::WrongCountry {
            number: number.e164,
            country: number.country,
            allowed: countries.iter().map(|c| c.trim().to_owned()).collect(),
            operator: operator.map(str::trim).map(str::to_owned),
        });
    }
    let network = network_of(&number);
    let wanted = operator.and_then(Network::from_operator);
    let network_mismatch = match (networks::prefix_of(&number), wanted) {
        (Some((prefix, Some(has))), Some(wanted)) if has != wanted => Some(format!(
            "{prefix} is {} prefix: choose {} product instead, or continue if the number was \
             ported to {}",
            has.with_article(),
            has.with_article(),
            wanted.as_str()
        )),
        _ => None,
    };
    Ok(Recipient {
        number,
        network,
        network_mismatch,
    })
}

/// Whether the product's countries include the number's. An empty list restricts nothing
/// (some providers leave it out). When we cannot name the number's country exactly (an
/// unknown calling code, or +1 which Canada and the Caribbean share with the US) a listed
/// country we know nothing about may be it, so we let the provider decide.
fn sold_to(number: &PhoneNumber, countries: &[String]) -> bool {
    if countries.is_empty() {
        return true;
    }
    let listed = |c: Country| countries.iter().any(|l| Country::from_alpha3(l) == Some(c));
    let unknown_listed = || countries.iter().any(|l| Country::from_alpha3(l).is_none());
    match number.country {
        Some(c) if listed(c) => true,
        Some(Country::Usa) | None => unknown_listed(),
        Some(_) => false,
    }
}

/// One country's rules for the numbers we top up.
struct Plan {
    country: Country,
    calling_code: &'static str,
    /// Digits after the calling code.
    nsn_len: usize,
    /// The digit dialled before a local number (`0`); the US has none worth writing.
    trunk: Option<u8>,
    /// "a Nigerian mobile number": what the number should be, for messages.
    singular: &'static str,
    /// "Nigerian mobile numbers".
    plural: &'static str,
    /// The starts `is_mobile` accepts, in local form, for messages.
    starts: &'static str,
    local_example: &'static str,
    international_example: &'static str,
    /// Checks the leading digits of a national significant number of the right length.
    is_mobile: fn(&[u8]) -> bool,
}

impl Plan {
    fn local_len(&self) -> usize {
        self.nsn_len + usize::from(self.trunk.is_some())
    }

    fn length_hint(&self, international: bool) -> String {
        if international {
            format!(
                "it should have {} digits after +{}, like {}",
                self.nsn_len, self.calling_code, self.international_example
            )
        } else {
            format!(
                "it should have {} digits, like {}",
                self.local_len(),
                self.local_example
            )
        }
    }

    fn number(&self, nsn: &str) -> PhoneNumber {
        PhoneNumber {
            e164: format!("+{}{nsn}", self.calling_code),
            country: Some(self.country),
        }
    }
}

// Mobile ranges from the national plans (as in libphonenumber's metadata), kept a little
// looser than the regulator's latest allocations: refusing a real new range blocks a sale,
// while a number that is not in service is refused by the provider without charging.

static NGA: Plan = Plan {
    country: Country::Nga,
    calling_code: "234",
    nsn_len: 10,
    trunk: Some(b'0'),
    singular: "a Nigerian mobile number",
    plural: "Nigerian mobile numbers",
    starts: "070, 080, 081, 090 or 091",
    local_example: "0803 123 4567",
    international_example: "+234 803 123 4567",
    // 070–072, 080–081, 090–091; 0700 and 0800 are corporate and toll-free numbers.
    is_mobile: |n| {
        matches!(
            n,
            [b'7', b'0' | b'1' | b'2', ..] | [b'8' | b'9', b'0' | b'1', ..]
        ) && !matches!(n, [b'7' | b'8', b'0', b'0', ..])
    },
};

static UGA: Plan = Plan {
    country: Country::Uga,
    calling_code: "256",
    nsn_len: 9,
    trunk: Some(b'0'),
    singular: "a Ugandan mobile number",
    plural: "Ugandan mobile numbers",
    starts: "07 (or 020, 031, 039)",
    local_example: "0772 123456",
    international_example: "+256 772 123456",
    // 07x is mobile; MTN's 031/039 and Airtel's 020 fixed-wireless lines are topped up too.
    is_mobile: |n| matches!(n, [b'7', ..] | [b'2', b'0', ..] | [b'3', b'1' | b'9', ..]),
};

static GBR: Plan = Plan {
    country: Country::Gbr,
    calling_code: "44",
    nsn_len: 10,
    trunk: Some(b'0'),
    singular: "a UK mobile number",
    plural: "UK mobile numbers",
    starts: "071 to 075 or 077 to 079",
    local_example: "07700 900123",
    international_example: "+44 7700 900123",
    // 070 is personal numbering and 076 pagers, except 07624 (Isle of Man mobiles).
    is_mobile: |n| matches!(n, [b'7', b'1'..=b'5' | b'7'..=b'9', ..] | [b'7', b'6', b'2', b'4', ..]),
};

static USA: Plan = Plan {
    country: Country::Usa,
    calling_code: "1",
    nsn_len: 10,
    trunk: None,
    singular: "a US phone number",
    plural: "US area codes and exchanges",
    starts: "with 2 to 9",
    local_example: "(201) 555-0123",
    international_example: "+1 201 555 0123",
    // US mobiles and landlines share ranges; area code and exchange never start 0 or 1.
    is_mobile: |n| matches!(n, [b'2'..=b'9', _, _, b'2'..=b'9', ..]),
};

static KEN: Plan = Plan {
    country: Country::Ken,
    calling_code: "254",
    nsn_len: 9,
    trunk: Some(b'0'),
    singular: "a Kenyan mobile number",
    plural: "Kenyan mobile numbers",
    starts: "07 or 010 to 014",
    local_example: "0712 123456",
    international_example: "+254 712 123456",
    is_mobile: |n| matches!(n, [b'7', ..] | [b'1', b'0'..=b'4', ..]),
};

static GHA: Plan = Plan {
    country: Country::Gha,
    calling_code: "233",
    nsn_len: 9,
    trunk: Some(b'0'),
    singular: "a Ghanaian mobile number",
    plural: "Ghanaian mobile numbers",
    starts: "02 or 05",
    local_example: "024 123 4567",
    international_example: "+233 24 123 4567",
    is_mobile: |n| matches!(n, [b'2' | b'5', ..]),
};

static ZAF: Plan = Plan {
    country: Country::Zaf,
    calling_code: "27",
    nsn_len: 9,
    trunk: Some(b'0'),
    singular: "a South African mobile number",
    plural: "South African mobile numbers",
    starts: "06, 07 or 081 to 084",
    local_example: "071 123 4567",
    international_example: "+27 71 123 4567",
    is_mobile: |n| matches!(n, [b'6' | b'7', ..] | [b'8', b'1'..=b'4', ..]),
};

/// Countries tried, in order, when nothing says which country a local number is from: where
/// resellers work. Kenya is left out because its local numbers look like Uganda's.
const HOME: [Country; 3] = [Country::Nga, Country::Uga, Country::Gbr];

/// The longest input echoed in a message, so pasting a paragraph gives a readable error.
const SHOWN_CHARS: usize = 32;

fn parse(input: &str, default: Option<Country>) -> Result<PhoneNumber, PhoneError> {
    let input = input.trim();
    let shown = shown(input);
    let typed = scan(input, &shown, default)?;
    let digits = typed.digits.as_str();
    if typed.plus {
        return international(digits, &shown, default);
    }
    // 00 is the international prefix in Nigeria and the UK, 000 in Uganda, 011 in the US.
    if let Some(rest) = digits.strip_prefix("00") {
        let rest = rest.strip_prefix('0').unwrap_or(rest);
        return international(rest, &shown, default);
    }
    if default == Some(Country::Usa) {
        if let Some(rest) = digits.strip_prefix("011") {
            return international(rest, &shown, default);
        }
    }
    match default {
        Some(c) => national(digits, c.plan(), &shown),
        None => guess(digits, &shown),
    }
}

struct Typed {
    digits: String,
    plus: bool,
}

/// Keeps the digits and a leading `+`; drops what people put between groups.
fn scan(input: &str, shown: &str, country: Option<Country>) -> Result<Typed, PhoneError> {
    let mut typed = Typed {
        digits: String::new(),
        plus: false,
    };
    for c in input.chars() {
        match c {
            '0'..='9' => typed.digits.push(c),
            // "(+234) 803..." is fine: the + only has to come before the digits.
            '+' if !typed.plus && typed.digits.is_empty() => typed.plus = true,
            '+' => {
                return Err(PhoneError::MisplacedPlus {
                    input: shown.to_owned(),
                    country,
                })
            }
            '-' | '.' | '(' | ')' | '/' | '\u{2010}'..='\u{2015}' => {}
            c if c.is_whitespace() => {}
            found => {
                return Err(PhoneError::BadCharacter {
                    input: shown.to_owned(),
                    found,
                    country,
                })
            }
        }
    }
    if typed.digits.is_empty() && !typed.plus {
        return Err(PhoneError::Empty);
    }
    Ok(typed)
}

/// `digits` came after `+` or `00`: the calling code picks the plan.
fn international(
    digits: &str,
    shown: &str,
    default: Option<Country>,
) -> Result<PhoneNumber, PhoneError> {
    if digits.starts_with('0') {
        return Err(PhoneError::ZeroCountryCode {
            input: shown.to_owned(),
            country: default,
        });
    }
    for c in Country::ALL {
        let plan = c.plan();
        if let Some(rest) = digits.strip_prefix(plan.calling_code) {
            return significant(rest, plan, true, shown);
        }
    }
    // E.164 allows at most 15 digits; fewer than 8 is no country's full number.
    if (8..=15).contains(&digits.len()) {
        Ok(PhoneNumber {
            e164: format!("+{digits}"),
            country: None,
        })
    } else {
        Err(PhoneError::InternationalLength {
            input: shown.to_owned(),
            digits: digits.len(),
        })
    }
}

/// Digits typed without `+` or `00`, read in `plan`'s country unless they plainly are not.
fn national(digits: &str, plan: &Plan, shown: &str) -> Result<PhoneNumber, PhoneError> {
    if let Some(t) = plan.trunk {
        if let Some(rest) = digits.strip_prefix(char::from(t)) {
            return significant(rest, plan, false, shown);
        }
    }
    // The local number without its 0, as some forms ask for it (checked before the calling
    // code: a Ghanaian 023 number without its 0 starts 233, Ghana's calling code).
    if digits.len() == plan.nsn_len {
        return significant(digits, plan, false, shown);
    }
    // "2348031234567": the international form without the +.
    if let Some(rest) = digits.strip_prefix(plan.calling_code) {
        return significant(rest, plan, true, shown);
    }
    // "447700900123" typed for a Nigerian product: a whole number from another country we
    // know, which check_recipient then refuses by name instead of calling it too long.
    if let Some(number) = bare_international(digits, shown) {
        return number;
    }
    let typed = digits.len();
    let expected = plan.local_len();
    let shown = shown.to_owned();
    Err(if typed < expected {
        PhoneError::TooShort {
            input: shown,
            country: plan.country,
            missing: expected - typed,
            international: false,
        }
    } else if typed == expected {
        // Only plans with a trunk digit get here: the count is right but the 0 is missing.
        PhoneError::MissingTrunk {
            input: shown,
            country: plan.country,
        }
    } else {
        PhoneError::TooLong {
            input: shown,
            country: plan.country,
            extra: typed - expected,
            international: false,
        }
    })
}

/// A calling code we know followed by exactly its number of digits.
fn bare_international(digits: &str, shown: &str) -> Option<Result<PhoneNumber, PhoneError>> {
    Country::ALL.into_iter().find_map(|c| {
        let plan = c.plan();
        let rest = digits.strip_prefix(plan.calling_code)?;
        (rest.len() == plan.nsn_len).then(|| significant(rest, plan, true, shown))
    })
}

/// No country to read a local number in: take it only if exactly one home country's rules
/// accept it, since guessing between two would send airtime abroad.
fn guess(digits: &str, shown: &str) -> Result<PhoneNumber, PhoneError> {
    if let Some(number) = bare_international(digits, shown) {
        return number;
    }
    let mut fits = HOME
        .into_iter()
        .filter_map(|c| national(digits, c.plan(), shown).ok());
    match (fits.next(), fits.next()) {
        (Some(number), None) => Ok(number),
        _ => Err(PhoneError::NeedsCountryCode {
            input: shown.to_owned(),
        }),
    }
}

/// Checks the digits after the calling code (or the trunk 0) against `plan`.
fn significant(
    nsn: &str,
    plan: &Plan,
    international: bool,
    shown: &str,
) -> Result<PhoneNumber, PhoneError> {
    // "+234 (0) 803 ..." and "+44 07700 ...": the local 0 written after the calling code.
    let nsn = match plan.trunk {
        // No significant number starts with 0, so the 0 can only be the local one.
        Some(t) if international => nsn.strip_prefix(char::from(t)).unwrap_or(nsn),
        _ => nsn,
    };
    let shown = shown.to_owned();
    if nsn.len() < plan.nsn_len {
        return Err(PhoneError::TooShort {
            input: shown,
            country: plan.country,
            missing: plan.nsn_len - nsn.len(),
            international,
        });
    }
    if nsn.len() > plan.nsn_len {
        return Err(PhoneError::TooLong {
            input: shown,
            country: plan.country,
            extra: nsn.len() - plan.nsn_len,
            international,
        });
    }
    if !(plan.is_mobile)(nsn.as_bytes()) {
        return Err(PhoneError::NotMobile {
            input: shown,
            country: plan.country,
        });
    }
    Ok(plan.number(nsn))
}

fn shown(input: &str) -> String {
    match input.char_indices().nth(SHOWN_CHARS) {
        Some((cut, _)) => format!("{}…", &input[..cut]),
        None => input.to_owned(),
    }
}

fn local_example(country: Option<Country>) -> &'static str {
    country.map_or("0803 123 4567", |c| c.plan().local_example)
}

fn international_example(country: Option<Country>) -> &'static str {
    country.map_or("+234 803 123 4567", |c| c.plan().international_example)
}

/// "one digit", "3 digits": words read faster than numerals for small counts.
fn count(n: usize, noun: &str) -> String {
    const WORDS: [&str; 10] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    let number = WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_owned());
    if n == 1 {
        format!("{number} {noun}")
    } else {
        format!("{number} {noun}s")
    }
}

/// "Nigeria", "Nigeria or Uganda", "Kenya, Nigeria or South Africa"; codes we cannot name
/// are shown as the catalogue has them.
fn country_list(codes: &[String]) -> String {
    let names: Vec<&str> = codes
        .iter()
        .map(|c| match Country::from_alpha3(c) {
            Some(known) => known.in_sentence(),
            None => c.trim(),
        })
        .collect();
    match names.as_slice() {
        [] => "no country".to_owned(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}
