//! The crash run's verdict: the fake provider's durable records (`charges.jsonl`,
//! `requests.jsonl`, `orders.jsonl`) against the ledger as `resellerctl --json orders list`
//! and `orders show` (events, entries) show it.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::harness::{status, Kind};

/// What the checks read.
pub struct Books<'a> {
    /// `orders list`, every page.
    pub orders: &'a [Value],
    /// `orders show` by reference, for every order that did not end `succeeded`.
    pub details: &'a BTreeMap<String, Value>,
    pub charges: &'a [Value],
    pub requests: &'a [Value],
    /// The fake's `orders.jsonl` (every state each order went through).
    pub fake_orders: &'a [Value],
}

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
    /// Refunds the fake marked as reversals of an order that had succeeded.
    pub reversals: usize,
    /// Of those, booked `reversed` with charged - reversal = 0.
    pub reversals_booked: usize,
    /// Of those, reversed before the ledger heard of the success: booked `failed`, nothing
    /// spent (the status query after an unknown outcome already said failed).
    pub reversals_before_success: usize,
    /// Purchase requests the fake answered only after the client had given up.
    pub slow_charges: usize,
    /// How the ledger ended those orders.
    pub slow_outcomes: BTreeMap<String, usize>,
    /// Purchase requests that map to exactly one ledger order.
    pub requests_mapped: usize,
    pub double_charges: usize,
    pub missing_charges: usize,
    pub failed_but_charged: usize,
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

/// An intent the sweeper failed because no process ever sent it: its `never_sent` event.
pub fn never_sent(o: &Value, details: &BTreeMap<String, Value>) -> bool {
    status(o) == "failed"
        && o["reference"]
            .as_str()
            .and_then(|r| details.get(r))
            .and_then(|d| d["events"].as_array())
            .is_some_and(|events| events.iter().any(|e| e["kind"] == "never_sent"))
}

/// The sum of an order's ledger entries of one kind (amounts taken as positive).
fn entries(detail: Option<&Value>, kind: &str) -> Decimal {
    detail
        .and_then(|d| d["entries"].as_array())
        .map(|es| {
            es.iter()
                .filter(|e| e["kind"] == kind)
                .filter_map(|e| amount(&e["amount"]["amount"]))
                .map(|a| a.abs())
                .sum()
        })
        .unwrap_or_default()
}

pub fn check(kind: Kind, books: &Books<'_>) -> Report {
    let Books {
        orders,
        details,
        charges,
        requests,
        fake_orders,
    } = *books;
    let mut problems = Vec::new();
    let never_sent = |o: &Value| never_sent(o, details);
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
    let mut reversed_keys: Vec<String> = Vec::new();
    for c in charges {
        let Some(key) = charge_key(c) else {
            problems.push(format!("a charge line without a key: {c}"));
            continue;
        };
        let e = net.entry(key.clone()).or_default();
        e.order_id = c["order_id"].as_u64().unwrap_or(0);
        if c["kind"] == "refund" {
            n_refunds += 1;
            e.refunded += 1;
            if c["reversal"] == true {
                reversed_keys.push(key.clone());
            }
        } else {
            n_charges += 1;
            e.charged += 1;
            e.amount = amount(&c["amount"]);
        }
    }
    let mut double_charges = 0;
    for (key, n) in &net {
        if n.charged > 1 {
            double_charges += 1;
            problems.push(format!("{key} was charged {} times", n.charged));
        }
    }
    let (mut missing_charges, mut failed_but_charged) = (0, 0);

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
            [] => {
                missing_charges += 1;
                problems.push(format!("charge {key} is not in the ledger"));
            }
            [o] => {
                let st = status(o);
                if n.kept() {
                    if st == "failed" {
                        failed_but_charged += 1;
                    }
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
                _ => {
                    missing_charges += 1;
                    problems.push(format!(
                        "charge {key} (to {recipient}) is in no ledger order and no \
                         needs_attention order to that number is left to explain it"
                    ));
                }
            }
        }
    }

    // (2) nothing sent twice, and every purchase request is one ledger order.
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
    // The fake's own id for each of its orders (RukkyStore's trx).
    let provider_ref: HashMap<u64, String> = fake_orders
        .iter()
        .filter_map(|o| Some((o["id"].as_u64()?, text(&o["provider_ref"])?.to_owned())))
        .collect();
    // A purchase request's key: our reference, or (RukkyStore) the trx of the order it made;
    // None for a RukkyStore request that made no order (a fault answered first).
    let request_key = |r: &Value| -> Option<String> {
        if by_ref {
            text(&r["reference"]).map(str::to_owned)
        } else {
            r["order_ids"]
                .as_array()
                .and_then(|ids| ids.first())
                .and_then(Value::as_u64)
                .and_then(|id| provider_ref.get(&id).cloned())
        }
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in &requests {
        if let Some(k) = request_key(r) {
            *seen.entry(k).or_default() += 1;
        }
    }
    for (k, n) in &seen {
        if *n > 1 {
            problems.push(format!("{k} was sent {n} times"));
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
        if let Some(k) = order_key(o) {
            if seen.contains_key(&k) {
                problems.push(format!(
                    "{k} was declared never sent, but the provider received it"
                ));
            }
        }
    }
    // Each request maps to exactly one ledger order. RukkyStore: a request whose trx no
    // order holds (its answer was lost) or that made no order is "loose": there can be no
    // more loose requests than sent orders without a trx (needs_attention, or failed).
    let mut requests_mapped = 0;
    let mut loose = 0;
    for r in &requests {
        match request_key(r) {
            Some(k) => match ledger.get(&k).map(Vec::len).unwrap_or(0) {
                1 => requests_mapped += 1,
                0 if !by_ref => loose += 1,
                n => problems.push(format!(
                    "purchase request {} ({k}) maps to {n} ledger orders",
                    r["seq"]
                )),
            },
            None if !by_ref => loose += 1,
            None => problems.push(format!(
                "purchase request {} carries no reference of ours",
                r["seq"]
            )),
        }
    }
    if !by_ref {
        let without_trx = orders
            .iter()
            .filter(|o| !never_sent(o) && order_key(o).is_none())
            .filter(|o| matches!(status(o), "needs_attention" | "failed"))
            .count();
        if loose > without_trx {
            problems.push(format!(
                "{loose} purchase requests match no order by trx, but only {without_trx} sent \
                 orders have no trx"
            ));
        }
    }

    // (5) every late reversal is booked: the order is `reversed` and what it was charged
    // comes back in full (charged - reversal = 0); or the ledger never heard of the success
    // (the first answer it got was the reversal) and the order is `failed`, nothing spent.
    let (mut reversals_booked, mut reversals_before_success) = (0, 0);
    for key in &reversed_keys {
        let matches = ledger.get(key).map(Vec::as_slice).unwrap_or(&[]);
        let [o] = matches else {
            if by_ref || !matches.is_empty() {
                problems.push(format!(
                    "reversal of {key}: {} ledger orders",
                    matches.len()
                ));
            }
            continue;
        };
        let d = o["reference"].as_str().and_then(|r| details.get(r));
        let succeeded_once = d
            .and_then(|d| d["events"].as_array())
            .is_some_and(|es| es.iter().any(|e| e["to_status"] == "succeeded"));
        match status(o) {
            "reversed" => reversals_booked += 1,
            "failed" if !succeeded_once => reversals_before_success += 1,
            st => problems.push(format!(
                "{key} was reversed by the provider but is {st} here"
            )),
        }
    }
    for o in orders.iter().filter(|o| status(o) == "reversed") {
        let d = o["reference"].as_str().and_then(|r| details.get(r));
        let charged = amount(&o["charged"]["amount"]).unwrap_or_default();
        let back = entries(d, "reversal");
        if charged.is_zero() || charged != back {
            problems.push(format!(
                "{} is reversed, charged {charged} and reversed {back}: charged - reversal \
                 must be 0",
                o["reference"]
            ));
        }
    }

    // The slow charges: the client gave up; where did the ledger end them?
    let mut slow_outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let slow: Vec<&&Value> = requests
        .iter()
        .filter(|r| r["fault"] == "slow_charge")
        .collect();
    for r in &slow {
        let st = request_key(r)
            .and_then(|k| ledger.get(&k).and_then(|v| v.first().copied()))
            .map_or("no order by key", status);
        *slow_outcomes.entry(st.to_owned()).or_default() += 1;
    }

    Report {
        purchases: requests.len(),
        refused: refused.len(),
        charges: n_charges,
        refunds: n_refunds,
        duplicates,
        unmatched_charges: kept_unmatched.len(),
        reversals: reversed_keys.len(),
        reversals_booked,
        reversals_before_success,
        slow_charges: slow.len(),
        slow_outcomes,
        requests_mapped,
        double_charges,
        missing_charges,
        failed_but_charged,
        problems,
    }
}
