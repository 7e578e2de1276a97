//! Which mobile network a Nigerian or Ugandan number's prefix was allocated to.
//!
//! Prefixes are in local form (with the leading 0), from the operators' published lists,
//! checked against libphonenumber's carrier data. Nigeria has number portability since 2013,
//! so the answer is a best guess: it drives a warning, never a refusal.

use super::{Country, Network, PhoneNumber};

/// `None` entries are ranges of other operators inside a listed prefix, so the longest match
/// wins over the shorter one (0798 is not MTN although 079 is).
type Table = &'static [(&'static str, Option<Network>)];

const MTN: Option<Network> = Some(Network::Mtn);
const AIRTEL: Option<Network> = Some(Network::Airtel);
const GLO: Option<Network> = Some(Network::Glo);
const NINE: Option<Network> = Some(Network::NineMobile);

pub(super) const NIGERIA: Table = &[
    ("0803", MTN),
    ("0806", MTN),
    ("0703", MTN),
    ("0706", MTN),
    ("0813", MTN),
    ("0816", MTN),
    ("0810", MTN),
    ("0814", MTN),
    ("0903", MTN),
    ("0906", MTN),
    ("0913", MTN),
    ("0916", MTN),
    // Visafone's ranges, taken over by MTN; the rest of 0702 is Smile, Ntel, Starcomms...
    ("07025", MTN),
    ("07026", MTN),
    ("0704", MTN),
    ("0707", MTN),
    ("0802", AIRTEL),
    ("0808", AIRTEL),
    ("0708", AIRTEL),
    ("0812", AIRTEL),
    ("0701", AIRTEL),
    ("0902", AIRTEL),
    ("0901", AIRTEL),
    ("0904", AIRTEL),
    ("0907", AIRTEL),
    ("0912", AIRTEL),
    ("0911", AIRTEL),
    ("0805", GLO),
    ("0807", GLO),
    ("0705", GLO),
    ("0815", GLO),
    ("0811", GLO),
    ("0905", GLO),
    ("0915", GLO),
    ("0809", NINE),
    ("0818", NINE),
    ("0817", NINE),
    ("0909", NINE),
    ("0908", NINE),
];

pub(super) const UGANDA: Table = &[
    ("077", MTN),
    ("078", MTN),
    ("076", MTN),
    ("079", MTN),
    // MTN's fixed-wireless ranges.
    ("031", MTN),
    ("039", MTN),
    ("0724", MTN),
    // Inside 079: Airtel's block, and Africell's, which closed in 2021.
    ("0795", AIRTEL),
    ("0798", None),
    ("0799", None),
    ("070", AIRTEL),
    ("075", AIRTEL),
    ("074", AIRTEL),
    ("0730", AIRTEL),
    ("0731", AIRTEL),
    // Airtel's fixed-wireless range.
    ("020", AIRTEL),
];

/// The network the number's prefix belongs to; `None` outside Nigeria and Uganda, and for
/// smaller operators (Smile, Ntel, UTL, Lycamobile...).
pub fn network_of(number: &PhoneNumber) -> Option<Network> {
    prefix_of(number).and_then(|(_, network)| network)
}

/// The longest listed prefix the number starts with, as written locally, and its network.
pub(super) fn prefix_of(number: &PhoneNumber) -> Option<(&'static str, Option<Network>)> {
    let table = match number.country()? {
        Country::Nga => NIGERIA,
        Country::Uga => UGANDA,
        _ => return None,
    };
    let local = number.national();
    table
        .iter()
        .filter(|(prefix, _)| local.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .copied()
}
