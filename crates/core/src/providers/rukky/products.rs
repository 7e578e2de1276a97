//! RukkyStore product ids: each id names the action that buys it and carries the fields
//! that action needs, so a purchase needs nothing but the id and the request.
//!
//! | id                                      | buys with             | from                   |
//! |-----------------------------------------|-----------------------|------------------------|
//! | `airtime:<service_name>`                | `vtu_airtime`         | static (mtn, glo, ...) |
//! | `data:<plan_id>`                        | `vtu_data`            | `vtu_data_plans`       |
//! | `sme:<plan_id>`                         | `vtu_sme`             | `vtu_sme_plans`        |
//! | `cable:<service_id>[:<plan_id>]`        | `vtu_cable`           | `vtu_cable_plans`      |
//! | `electricity:<service_name>:<meter_type>` | `vtu_electricity`   | `vtu_electric_discos`  |
//! | `education:waec`                        | `vtu_education`       | static                 |
//! | `recharge_card:<network>`               | `vtu_recharge_card`   | static                 |
//! | `smm:<service>`                         | `add`                 | `services`             |
//!
//! Cable ids carry the `service_id` because `vtu_cable_verify` needs it and `vtu_cable`
//! only takes a `plan_id`; `cable:<service_id>` alone validates a smartcard and buys the
//! plan named by the request's `product_code` (the bouquet picked after validation).

use std::fmt;

use super::KIND;
use crate::providers::ProviderError;

/// What a RukkyStore product id says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RukkyProduct {
    Airtime {
        service_name: String,
    },
    Data {
        plan_id: String,
    },
    Sme {
        plan_id: String,
    },
    Cable {
        service_id: String,
        plan_id: Option<String>,
    },
    Electricity {
        service_name: String,
        meter_type: String,
    },
    /// The document offers WAEC only; the exam name is not sent.
    Education {
        exam: String,
    },
    RechargeCard {
        network: String,
    },
    Smm {
        service: String,
    },
}

impl RukkyProduct {
    /// Reads a product id; anything else is a definite refusal made before sending.
    pub fn parse(id: &str) -> Result<Self, ProviderError> {
        let (kind, rest) = id.trim().split_once(':').ok_or_else(|| unknown(id))?;
        let rest = rest.trim();
        if rest.is_empty() {
            return Err(unknown(id));
        }
        let two = || {
            rest.split_once(':')
                .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
                .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        };
        let product = match kind {
            "airtime" => Self::Airtime {
                service_name: rest.to_owned(),
            },
            "data" => Self::Data {
                plan_id: rest.to_owned(),
            },
            "sme" => Self::Sme {
                plan_id: rest.to_owned(),
            },
            "cable" => match rest.split_once(':') {
                Some(_) => {
                    let (service_id, plan_id) = two().ok_or_else(|| unknown(id))?;
                    Self::Cable {
                        service_id,
                        plan_id: Some(plan_id),
                    }
                }
                None => Self::Cable {
                    service_id: rest.to_owned(),
                    plan_id: None,
                },
            },
            "electricity" => {
                let (service_name, meter_type) = two().ok_or_else(|| unknown(id))?;
                Self::Electricity {
                    service_name,
                    meter_type,
                }
            }
            "education" if rest.eq_ignore_ascii_case("waec") => Self::Education {
                exam: "waec".to_owned(),
            },
            "recharge_card" => Self::RechargeCard {
                network: rest.to_owned(),
            },
            "smm" => Self::Smm {
                service: rest.to_owned(),
            },
            _ => return Err(unknown(id)),
        };
        Ok(product)
    }

    /// Whether the purchase goes through a `vtu_*` action (and so needs the PIN).
    pub fn is_vtu(&self) -> bool {
        !matches!(self, Self::Smm { .. })
    }
}

impl fmt::Display for RukkyProduct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Airtime { service_name } => write!(f, "airtime:{service_name}"),
            Self::Data { plan_id } => write!(f, "data:{plan_id}"),
            Self::Sme { plan_id } => write!(f, "sme:{plan_id}"),
            Self::Cable {
                service_id,
                plan_id: Some(p),
            } => write!(f, "cable:{service_id}:{p}"),
            Self::Cable {
                service_id,
                plan_id: None,
            } => write!(f, "cable:{service_id}"),
            Self::Electricity {
                service_name,
                meter_type,
            } => {
                write!(f, "electricity:{service_name}:{meter_type}")
            }
            Self::Education { exam } => write!(f, "education:{exam}"),
            Self::RechargeCard { network } => write!(f, "recharge_card:{network}"),
            Self::Smm { service } => write!(f, "smm:{service}"),
        }
    }
}

fn unknown(id: &str) -> ProviderError {
    ProviderError::Rejected {
        provider: KIND,
        message: format!(
            "\"{id}\" is not a RukkyStore product (expected airtime:<network>, data:<plan_id>, \
             sme:<plan_id>, cable:<service_id>:<plan_id>, electricity:<disco>:<meter_type>, \
             education:waec, recharge_card:<network> or smm:<service>). Reload the catalogue \
             and pick the product again."
        ),
        code: Some("UNKNOWN_PRODUCT".to_owned()),
        body: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_round_trips() {
        for id in [
            "airtime:mtn",
            "data:1",
            "sme:42",
            "cable:dstv:7",
            "cable:gotv",
            "electricity:ikeja-electric:prepaid",
            "education:waec",
            "recharge_card:glo",
            "smm:123",
        ] {
            let p = RukkyProduct::parse(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(p.to_string(), id);
        }
    }

    #[test]
    fn plan_ids_may_contain_colons_after_the_kind() {
        assert_eq!(
            RukkyProduct::parse("data:mtn:1GB").ok(),
            Some(RukkyProduct::Data {
                plan_id: "mtn:1GB".into()
            })
        );
    }

    #[test]
    fn malformed_ids_are_refused_before_sending() {
        for id in [
            "",
            "airtime",
            "airtime:",
            "gift:1",
            "electricity:ikeja",
            "education:neco",
            "cable::1",
        ] {
            let err = RukkyProduct::parse(id).expect_err(id);
            assert!(!err.outcome_unknown(), "{id}");
            assert!(matches!(err, ProviderError::Rejected { .. }), "{id}");
        }
    }
}
