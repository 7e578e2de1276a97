//! A scripted RukkyStore behind wiremock: answers every action the adapter uses, checks
//! the key and PIN, and settles pending VTU orders when told to.
//!
//! Sandbox phones (local form): `08000000001` fails at once, `08000000002` goes pending
//! then succeeds, `08000000003` goes pending then fails; any other number succeeds. The
//! trx of an order is `TRX-<phone>`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{form_of, json, KEY, PIN};

#[derive(Clone, Default)]
pub(super) struct FakeRukky {
    pub settled: Arc<AtomicBool>,
}

const PLANS_MTN: &str = r#"{"status":"success","data":[
  {"plan_id":1,"name":"MTN 1GB (SME) 30 days","price":"280.00","validity":"30 days"},
  {"plan_id":"2","name":"MTN 2GB","price":560.5,"validity":"30 days"}]}"#;
const SME_MTN: &str = r#"[{"id":11,"name":"MTN SME 500MB","amount":"140"}]"#;
const CABLE_DSTV: &str = r#"{"plans":[{"plan_id":"dstv-padi","name":"DStv Padi","price":"3950.00"},
  {"plan_id":"dstv-yanga","name":"DStv Yanga","price":"5100.00"}]}"#;
const DISCOS: &str =
    r#"{"data":[{"service_name":"ikeja-electric","name":"Ikeja Electric"},"abuja-electric"]}"#;
const SERVICES: &str = r#"[{"service":1,"name":"Instagram Followers","type":"Default",
  "category":"Instagram","rate":"900.00","min":"50","max":"10000","refill":true,"cancel":false}]"#;

fn vtu(status: &str, trx: &str, category: &str, extra: &str) -> String {
    format!(
        r#"{{"status":"{status}","category":"{category}","trx":"{trx}","provider_ref":"UP-{trx}",
"amount":"100.00","balance":"24900.00","currency":"NGN","message":"{status}"{extra}}}"#
    )
}

impl FakeRukky {
    pub async fn mount(&self, server: &MockServer) {
        Mock::given(method("POST"))
            .and(path("/api/v1"))
            .respond_with(self.clone())
            .mount(server)
            .await;
    }

    fn purchase(&self, f: &HashMap<String, String>, action: &str) -> ResponseTemplate {
        if f.get("pin").map(String::as_str) != Some(PIN) {
            return json(403, r#"{"error":"Incorrect PIN"}"#);
        }
        let who = f
            .get("phone")
            .or_else(|| f.get("card_network"))
            .cloned()
            .unwrap_or_default();
        let trx = format!("TRX-{who}");
        let category = action.trim_start_matches("vtu_");
        let cards = if action == "vtu_recharge_card" || action == "vtu_education" {
            r#","cards":[{"pin":"1234-5678-9012","serial":"SN0001"}]"#
        } else {
            ""
        };
        let body = match who.as_str() {
            "08000000001" => vtu("failed", &trx, category, ""),
            "08000000002" | "08000000003" => vtu("pending", &trx, category, ""),
            _ => vtu("success", &trx, category, cards),
        };
        json(200, &body)
    }

    fn status(&self, trx: &str) -> ResponseTemplate {
        let settled = self.settled.load(Ordering::SeqCst);
        let status = match trx {
            "TRX-08000000002" if settled => "success",
            "TRX-08000000003" if settled => "failed",
            "TRX-08000000002" | "TRX-08000000003" => "processing",
            "TRX-08000000001" => "failed",
            t if t.starts_with("TRX-") => "success",
            _ => {
                return json(
                    404,
                    r#"{"status":"failed","message":"Transaction not found"}"#,
                )
            }
        };
        json(200, &vtu(status, trx, "airtime", ""))
    }
}

impl Respond for FakeRukky {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let key = req.headers.get("x-api-key").and_then(|v| v.to_str().ok());
        if key != Some(KEY) {
            return json(403, r#"{"error":"Invalid api key"}"#);
        }
        let f: HashMap<String, String> = form_of(&req.body).into_iter().collect();
        let get = |k: &str| f.get(k).map(String::as_str).unwrap_or_default();
        match get("action") {
            "balance" => json(200, r#"{"balance":"25000.00","currency":"NGN"}"#),
            "services" => json(200, SERVICES),
            "vtu_data_plans" if get("service_id") == "mtn-data" => json(200, PLANS_MTN),
            "vtu_sme_plans" if get("network") == "mtn" => json(200, SME_MTN),
            "vtu_cable_plans" if get("service_id") == "dstv" => json(200, CABLE_DSTV),
            "vtu_data_plans" | "vtu_sme_plans" | "vtu_cable_plans" => {
                json(400, r#"{"error":"Invalid Service Id"}"#)
            }
            "vtu_electric_discos" => json(200, DISCOS),
            "vtu_cable_verify" if get("customer_id") == "7012345678" => json(
                200,
                r#"{"status":"success","data":{"customer_name":"ADA OBI","current_bouquet":"Padi"}}"#,
            ),
            "vtu_cable_verify" => json(
                422,
                r#"{"errors":{"customer_id":["Invalid smartcard number"]}}"#,
            ),
            "vtu_electricity_verify" if get("meter_number") == "45012345678" => json(
                200,
                r#"{"status":true,"customer_name":"BOLA ADE","address":"1 Marina"}"#,
            ),
            "vtu_electricity_verify" => {
                json(400, r#"{"status":"failed","message":"Meter not valid"}"#)
            }
            a @ ("vtu_airtime" | "vtu_data" | "vtu_sme" | "vtu_cable" | "vtu_electricity"
            | "vtu_education" | "vtu_recharge_card") => self.purchase(&f, a),
            "vtu_status" => self.status(get("trx")),
            "add" => json(200, r#"{"order":4488}"#),
            "status" => json(
                200,
                r#"{"charge":"450.00","start_count":"120","status":"2","remains":"0","currency":"NGN"}"#,
            ),
            _ => json(400, r#"{"error":"Invalid action"}"#),
        }
    }
}
