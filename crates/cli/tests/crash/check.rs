//! The crash run's verdict: the fake provider's durable records (`charges.jsonl`,
//! `requests.jsonl`) against the ledger as `resellerctl --json orders list` shows it.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::harness::{status, Kind};

pub struct Report {
    /// Purchase requests the fake took up (not refused as malformed).
    pub purchases: usize,
    /// Requests the fake refused before any order: RukkyStore's catalogue calls that the
    /// fake files as purchases (`vtu_*` actions it does not know) land here.
    pub refused: usize,
    pub charges: usize,
    pub refunds: usize,
    pub duplicates: usize,
    /// RukkyStore: net charges whose transaction id no ledger order holds.
    pub unmatched_charges: usize,
    pub problems: Vec<String>,
}

fn text(v: &Value) -> Option<&str> {
    v.as_str().filter(|s| !s.is_empty())
}

fn amount(v: &Value) -> Option<Decimal> {
    match v {
        Value::String(s) => Decimal::from_str(s).ok(),
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    }
}

/// Charges minus refunds of one order at the fake.
#[derive(Default)]
struct Net {
    charged: u32,
    refunded: u32,
    amount: Option<Decimal>,
    order_id: u64,
}

impl Net {
    fn kept(&self) -> bool {
        self.charged > self.refunded
    }
}

/// A phone number's last nine digits: the ledger keeps +234803..., RukkyStore 0803....
fn number(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(9)..].iter().collect()
}

/// An intent the sweeper failed because no process ever sent it.
pub fn never_sent(o: &Value) -> bool {
    status(o) == "failed"
        && o["failure_reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("never sent"))
}

pub fn check(kind: Kind, orders: &[Value], charges: &[Value], requests: &[Value]) -> Report {
    let mut problems = Vec::new();
    let by_ref = kind.keyed_by_reference();
    // The key a charge and an order share: our reference, or RukkyStore's trx.
    let charge_key = |c: &Value| -> Option<String> {
        if by_ref {
            text(&c["reference"]).map(str::to_owned)
        } else {
            text(&c["provider_ref"]).map(str::to_owned)
        }
    };
    let order_key = |o: &Value| -> Option<String> {
        if by_ref {
            text(&o["reference"]).map(str::to_owned)
        } else {
            text(&o["provider_reference"]).map(str::to_owned)
        }
    };

    // Net money per key at the fake.
    let mut net: BTreeMap<String, Net> = BTreeMap::new();
    let (mut n_charges, mut n_refunds) = (0, 0);
    for c in charges {
        let Some(key) = charge_key(c) else {
            problems.push(format!("a charge line without a key: {c}"));
            continue;
        };
        let e = net.entry(key).or_default();
        e.order_id = c["order_id"].as_u64().unwrap_or(0);
        if c["kind"] == "refund" {
            n_refunds += 1;
            e.refunded += 1;
        } else {
            n_charges += 1;
            e.charged += 1;
            e.amount = amount(&c["amount"]);
        }
    }
    for (key, n) in &net {
        if n.charged > 1 {
            problems.push(format!("{key} was charged {} times", n.charged));
        }
    }

    // Ledger orders per key.
    let mut ledger: HashMap<String, Vec<&Value>> = HashMap::new();
    for o in orders {
        if let Some(k) = order_key(o) {
            ledger.entry(k).or_default().push(o);
        }
    }

    // (3) every order final; RukkyStore alone may leave needs_attention.
    for o in orders {
        let st = status(o);
        let ok = matches!(st, "succeeded" | "failed" | "reversed")
            || (st == "needs_attention" && kind == Kind::Rukky);
        if !ok {
            problems.push(format!(
                "order {} is left {st}: {}",
                o["reference"], o["failure_reason"]
            ));
        }
    }

    // (1) every net charge is exactly one succeeded order of the same amount; a charge
    // refunded in full belongs to a failed (or reversed) order.
    let mut unmatched: Vec<(&String, &Net)> = Vec::new();
    for (key, n) in &net {
        let matches = ledger.get(key).map(Vec::as_slice).unwrap_or(&[]);
        match matches {
            [] if kind == Kind::Rukky => unmatched.push((key, n)),
            [] => problems.push(format!("charge {key} is not in the ledger")),
            [o] => {
                let st = status(o);
                if n.kept() {
                    if st != "succeeded" {
                        problems.push(format!("{key} is charged at the provider but {st} here"));
                    }
                    // `charged` is what the ledger settled: the provider's word when its
                    // answer had one, else the hold.
                    let charged = amount(&o["charged"]["amount"]);
                    if charged.is_none() || charged != n.amount {
                        problems.push(format!(
                            "{key}: charged {:?} at the provider, {:?} in the ledger",
                            n.amount, charged
                        ));
                    }
                } else if !matches!(st, "failed" | "reversed") {
                    problems.push(format!(
                        "{key} was refunded by the provider but is {st} here"
                    ));
                }
            }
            many => problems.push(format!("{key} is in the ledger {} times", many.len())),
        }
    }
    for o in orders.iter().filter(|o| status(o) == "succeeded") {
        let kept = order_key(o)
            .and_then(|k| net.get(&k))
            .is_some_and(Net::kept);
        if !kept {
            problems.push(format!(
                "order {} succeeded here with no charge kept at the provider",
                o["reference"]
            ));
        }
    }

    // RukkyStore takes no reference of ours: an order whose answer was lost (killed after
    // sending, or a dropped connection) has no trx and ends needs_attention. Each charge no
    // order holds must be one such order: its recipient is taken out of the multiset of
    // needs_attention recipients, and must be found there.
    let kept_unmatched: Vec<&(&String, &Net)> =
        unmatched.iter().filter(|(_, n)| n.kept()).collect();
    if kind == Kind::Rukky {
        let mut attention: HashMap<String, usize> = HashMap::new();
        for o in orders.iter().filter(|o| status(o) == "needs_attention") {
            let r = number(o["recipient"].as_str().unwrap_or(""));
            *attention.entry(r).or_default() += 1;
        }
        let recipient_of = |order_id: u64| -> Option<String> {
            requests
                .iter()
                .find(|r| {
                    r["order_ids"]
                        .as_array()
                        .is_some_and(|ids| ids.iter().any(|i| i.as_u64() == Some(order_id)))
                })
                .and_then(|r| r["recipients"][0].as_str().map(str::to_owned))
        };
        for (key, n) in &kept_unmatched {
            let recipient = recipient_of(n.order_id).unwrap_or_default();
            match attention.get_mut(&number(&recipient)) {
                Some(c) if *c > 0 => *c -= 1,
                _ => problems.push(format!(
                    "charge {key} (to {recipient}) is in no ledger order and no \
                     needs_attention order to that number is left to explain it"
                )),
            }
        }
    }

    // (2) nothing sent twice: no request the fake saw as a repeat, no reference in two
    // requests, no more purchase requests than orders that were sent, and no request for
    // an order the sweeper declared never sent.
    // Refused requests (a malformed or unauthorised call) created no order and charged
    // nothing; the rest are purchases the fake took up.
    let (refused, requests): (Vec<&Value>, Vec<&Value>) = requests.iter().partition(|r| {
        r["outcome"]
            .as_str()
            .is_some_and(|o| o.starts_with("refused"))
    });
    let duplicates = requests.iter().filter(|r| r["duplicate"] == true).count();
    if duplicates > 0 {
        problems.push(format!(
            "the provider received {duplicates} repeated request(s)"
        ));
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for r in &requests {
        if let Some(reference) = text(&r["reference"]) {
            *seen.entry(reference).or_default() += 1;
        }
    }
    for (reference, n) in &seen {
        if *n > 1 {
            problems.push(format!("{reference} was sent {n} times"));
        }
    }
    let sent = orders.iter().filter(|o| !never_sent(o)).count();
    if requests.len() > sent {
        problems.push(format!(
            "the provider received {} purchase requests for {sent} orders that were sent",
            requests.len()
        ));
    }
    for o in orders.iter().filter(|o| never_sent(o)) {
        if let Some(reference) = o["reference"].as_str() {
            if seen.contains_key(reference) {
                problems.push(format!(
                    "{reference} was declared never sent, but the provider received it"
                ));
            }
        }
    }

    Report {
        purchases: requests.len(),
        refused: refused.len(),
        charges: n_charges,
        refunds: n_refunds,
        duplicates,
        unmatched_charges: kept_unmatched.len(),
        problems,
    }
}
