//! Which purchase endpoint a product goes to and how its item is written, carried from the
//! product list to the purchase in `Product::provider_ref` / `PurchaseRequest::provider_ref`.
//!
//! eStoreSMS sells airtime and data through different endpoints, sends `amount` only for open
//! range products and `country` only with airtime, yet a purchase request carries only the
//! product id. The list knows all three, so it writes them as `kind/range|fixed[/COUNTRY]`
//! (e.g. `airtime/range/US`, `data/fixed`). Without that text the id is guessed from the
//! document's examples: `D-...` ids are data, `...-OR` ids are open range airtime. A wrong
//! guess is answered `P012 Product does not exist` or `P007 Amount is required`, both
//! refusals before any charge.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Airtime,
    Data,
}

impl Kind {
    pub fn list_path(self) -> &'static str {
        match self {
            Kind::Airtime => "network_list/v/2",
            Kind::Data => "data_list/v/2",
        }
    }
    pub fn purchase_path(self) -> &'static str {
        match self {
            Kind::Airtime => "network_processing/v/2",
            Kind::Data => "data_processing/v/2",
        }
    }
    pub fn category_code(self) -> &'static str {
        match self {
            Kind::Airtime => super::catalogue::AIRTIME,
            Kind::Data => super::catalogue::DATA,
        }
    }
    pub fn category_name(self) -> &'static str {
        match self {
            Kind::Airtime => "Airtime",
            Kind::Data => "Data bundle",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Kind::Airtime => "airtime",
            Kind::Data => "data",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Route {
    pub kind: Kind,
    pub open_range: bool,
    /// The country code the list was asked with, sent again with airtime items.
    pub country: Option<String>,
}

impl Route {
    pub fn encode(&self) -> String {
        let mut s = format!(
            "{}/{}",
            self.kind.label(),
            if self.open_range { "range" } else { "fixed" }
        );
        if let Some(c) = self
            .country
            .as_deref()
            .map(clean_country)
            .filter(|c| !c.is_empty())
        {
            s.push('/');
            s.push_str(&c);
        }
        s
    }

    pub fn decode(text: &str) -> Option<Route> {
        let mut parts = text.trim().split('/');
        let kind = match parts.next()? {
            "airtime" => Kind::Airtime,
            "data" => Kind::Data,
            _ => return None,
        };
        let open_range = match parts.next()? {
            "range" => true,
            "fixed" => false,
            _ => return None,
        };
        let country = parts.next().map(clean_country).filter(|c| !c.is_empty());
        if parts.next().is_some() {
            return None;
        }
        Some(Route {
            kind,
            open_range,
            country,
        })
    }

    /// The route for a purchase: the list's text when present, else a guess from the id.
    pub fn for_purchase(provider_ref: Option<&str>, product_id: &str) -> Route {
        if let Some(r) = provider_ref.and_then(Route::decode) {
            return r;
        }
        let id = product_id.trim().to_ascii_uppercase();
        if id.starts_with("D-") {
            Route {
                kind: Kind::Data,
                open_range: false,
                country: None,
            }
        } else {
            Route {
                kind: Kind::Airtime,
                open_range: id.ends_with("-OR"),
                country: None,
            }
        }
    }
}

/// Country codes are letters; anything else typed into the filter is dropped.
fn clean_country(c: &str) -> String {
    c.trim()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase()
}
