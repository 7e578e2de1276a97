//! The catalogue across RukkyStore's categories: one listing call per plan list (each
//! also public on the client), static products for what no call lists, and which list
//! failures a whole-catalogue view may skip.

use super::catalogue::{self, PlanList};
use super::errors::{self, refuse};
use super::{RukkyClient, RukkyProduct, KIND};
use crate::providers::{CatalogueQuery, Product, ProviderError};

impl RukkyClient {
    /// `vtu_data_plans`: the data plans of one service (e.g. `mtn-data`).
    pub async fn data_plans(&self, service_id: &str) -> Result<Vec<Product>, ProviderError> {
        let json = self
            .listing("vtu_data_plans", &[("service_id", service_id)])
            .await?;
        catalogue::plans(&self.http, PlanList::Data, service_id, &json)
    }

    /// `vtu_sme_plans`: the SME data plans of one network (e.g. `mtn`).
    pub async fn sme_plans(&self, network: &str) -> Result<Vec<Product>, ProviderError> {
        let json = self
            .listing("vtu_sme_plans", &[("network", network)])
            .await?;
        catalogue::plans(&self.http, PlanList::Sme, network, &json)
    }

    /// `vtu_cable_plans`: the bouquets of one cable service (e.g. `dstv`).
    pub async fn cable_plans(&self, service_id: &str) -> Result<Vec<Product>, ProviderError> {
        let json = self
            .listing("vtu_cable_plans", &[("service_id", service_id)])
            .await?;
        catalogue::plans(&self.http, PlanList::Cable, service_id, &json)
    }

    /// `vtu_electric_discos`: one product per disco and meter type.
    pub async fn electricity_discos(&self) -> Result<Vec<Product>, ProviderError> {
        let json = self.listing("vtu_electric_discos", &[]).await?;
        catalogue::discos(&self.http, &json)
    }

    /// `services`: the SMM services with their quantity limits and rate per 1000.
    pub async fn smm_services(&self) -> Result<Vec<Product>, ProviderError> {
        let json = self.listing("services", &[]).await?;
        catalogue::smm_services(&self.http, &json)
    }

    /// The product `product_id` names, from the one list that holds it: a static product
    /// with no request, cable plans of the id's service, discos, SMM services; data and SME
    /// plans (whose ids do not say the network) network by network, stopping at the list
    /// that has the plan, so a plan of the first network costs one request.
    pub(super) async fn find_listed(
        &self,
        product_id: &str,
    ) -> Result<Option<Product>, ProviderError> {
        let wanted = RukkyProduct::parse(product_id)?;
        let id = product_id.trim();
        let walk = match &wanted {
            RukkyProduct::Data { .. } => Some(PlanList::Data),
            RukkyProduct::Sme { .. } => Some(PlanList::Sme),
            _ => None,
        };
        if let Some(list) = walk {
            let mut skipped = None;
            let mut answered = false;
            for n in catalogue::NETWORKS {
                let got = match list {
                    PlanList::Data => self.data_plans(&format!("{n}-data")).await,
                    _ => self.sme_plans(n).await,
                };
                answered |= got.is_ok();
                let mut found = Vec::new();
                keep(got, false, &mut found, &mut skipped)?;
                if let Some(p) = found.into_iter().find(|p| p.id == id) {
                    return Ok(Some(p));
                }
            }
            // Not listed anywhere is "no such product"; every list refused says why.
            return match skipped {
                Some(e) if !answered => Err(e),
                _ => Ok(None),
            };
        }
        let (category, sub_category) = match &wanted {
            RukkyProduct::Airtime { .. } => ("airtime", None),
            RukkyProduct::Cable { service_id, .. } => ("cable", Some(service_id.clone())),
            RukkyProduct::Electricity { .. } => ("electricity", None),
            RukkyProduct::Education { .. } => ("education", None),
            RukkyProduct::RechargeCard { .. } => ("recharge_card", None),
            RukkyProduct::Smm { .. } => ("smm", None),
            RukkyProduct::Data { .. } | RukkyProduct::Sme { .. } => return Ok(None),
        };
        let list = self
            .browse(&CatalogueQuery {
                category: Some(category.to_owned()),
                sub_category,
                ..CatalogueQuery::default()
            })
            .await?;
        Ok(list.into_iter().find(|p| p.id == id))
    }

    /// `category` picks one of `catalogue::CATEGORIES` (none: all of them); `sub_category`
    /// names the service id / network for data, sme and cable (`mtn-data`, `mtn`, `dstv`);
    /// `search` filters names. Other filters do not apply to RukkyStore.
    pub(super) async fn browse(
        &self,
        query: &CatalogueQuery,
    ) -> Result<Vec<Product>, ProviderError> {
        let named = query
            .sub_category
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let codes: Vec<String> = match query.category.as_deref().map(str::trim) {
            Some(c) if !c.is_empty() => vec![c.to_ascii_lowercase()],
            _ => catalogue::CATEGORIES
                .iter()
                .map(|(c, _)| (*c).to_owned())
                .collect(),
        };
        let mut found = Vec::new();
        let mut skipped = None;
        for code in &codes {
            self.category(code, named, &mut found, &mut skipped).await?;
        }
        if let Some(s) = query
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let s = s.to_lowercase();
            found.retain(|p| p.name.to_lowercase().contains(&s));
        }
        match skipped {
            Some(e) if found.is_empty() => Err(e),
            _ => Ok(found),
        }
    }

    /// The lists one catalogue category needs. `named` (the query's `sub_category`) picks
    /// one service id / network; without it every known one is tried.
    async fn category(
        &self,
        code: &str,
        named: Option<&str>,
        found: &mut Vec<Product>,
        skipped: &mut Option<ProviderError>,
    ) -> Result<(), ProviderError> {
        let networks: Vec<&str> = named.map_or_else(|| catalogue::NETWORKS.to_vec(), |n| vec![n]);
        let strict = named.is_some();
        let lists: Vec<(PlanList, String)> = match code {
            "airtime" => {
                found.extend(catalogue::airtime(&networks));
                return Ok(());
            }
            "recharge_card" => {
                found.extend(catalogue::recharge_cards(&networks));
                return Ok(());
            }
            "education" => {
                found.extend(catalogue::education());
                return Ok(());
            }
            "electricity" => {
                let got = self.electricity_discos().await;
                return keep(got, false, found, skipped);
            }
            "smm" => {
                let got = self.smm_services().await;
                return keep(got, false, found, skipped);
            }
            "data" => match named {
                Some(n) => vec![(PlanList::Data, n.to_owned())],
                None => catalogue::NETWORKS
                    .iter()
                    .map(|n| (PlanList::Data, format!("{n}-data")))
                    .collect(),
            },
            "sme" => networks
                .iter()
                .map(|n| (PlanList::Sme, (*n).to_owned()))
                .collect(),
            "cable" => named
                .map_or_else(|| catalogue::CABLE_SERVICES.to_vec(), |n| vec![n])
                .into_iter()
                .map(|s| (PlanList::Cable, s.to_owned()))
                .collect(),
            other => {
                return Err(refuse(
                    "UNKNOWN_CATEGORY",
                    format!(
                        "\"{other}\" is not a RukkyStore category; use one of {}",
                        catalogue::CATEGORIES
                            .iter()
                            .map(|(c, _)| *c)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ))
            }
        };
        for (list, group) in lists {
            let got = match list {
                PlanList::Data => self.data_plans(&group).await,
                PlanList::Sme => self.sme_plans(&group).await,
                PlanList::Cable => self.cable_plans(&group).await,
            };
            keep(got, strict, found, skipped)?;
        }
        Ok(())
    }
}

/// Adds a list's products, or decides whether its failure ends the catalogue. Lists the
/// user did not name (guessed network ids, product lines the key's scope excludes) are
/// skipped on a refusal; a transport, server or answer problem always ends it.
fn keep(
    got: Result<Vec<Product>, ProviderError>,
    strict: bool,
    found: &mut Vec<Product>,
    skipped: &mut Option<ProviderError>,
) -> Result<(), ProviderError> {
    match got {
        Ok(p) => {
            found.extend(p);
            Ok(())
        }
        Err(e)
            if !strict
                && (matches!(
                    e,
                    ProviderError::Rejected { .. } | ProviderError::NotFound { .. }
                ) || errors::is_scope_refusal(&e)) =>
        {
            tracing::warn!(provider = %KIND, error = %e, "skipping a catalogue list");
            skipped.get_or_insert(e);
            Ok(())
        }
        Err(e) => Err(e),
    }
}
