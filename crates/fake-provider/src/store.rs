//! Durable state: the wallets (one, or RukaPay's ESCROW and COMMISSION), the orders, and the
//! append-only JSON-lines records (`charges.jsonl`, `requests.jsonl`, `orders.jsonl`), each
//! line fsynced before returning.

use std::collections::{BTreeMap, HashMap};
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Where an order stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Succeeded,
    Pending,
    Failed,
    /// Succeeded, then reversed by the provider (the charge refunded): each kind answers
    /// it with its own word for a failed, refunded or reversed transaction.
    Reversed,
}

/// What will happen to an order, decided when it arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    Succeed,
    Fail,
    PendingThenSucceed,
    PendingThenFail,
}

/// One order (one batch item for eStoreSMS).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Order {
    pub id: u64,
    /// Our reference (customerReference, ref, partnerReference); RukkyStore has none.
    pub reference: Option<String>,
    /// Vendify's X-Nonce.
    pub nonce: Option<String>,
    /// The provider's id for it (transactionReference, transaction_id, id, trx).
    pub provider_ref: String,
    pub product: String,
    pub recipient: String,
    pub amount: Decimal,
    /// Charged on top of `amount` (RukaPay's `fee`); the wallet pays `amount + fee`.
    #[serde(default)]
    pub fee: Decimal,
    /// The wallet charged; empty (state from before wallets) means the default one.
    #[serde(default)]
    pub wallet: String,
    pub fate: Fate,
    /// Picked to be reversed after it succeeded (see [`Store::observe`]).
    #[serde(default)]
    pub reverse: bool,
    pub status: Status,
    pub status_queries: u32,
    pub charged: bool,
    pub refunded: bool,
    /// The wallet balance before and after this order's charge.
    pub balance_before: Decimal,
    pub balance_after: Decimal,
    pub created_at: u64,
}

/// One line of `charges.jsonl`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChargeLine {
    pub seq: u64,
    /// `charge` or `refund`.
    pub kind: String,
    pub reference: Option<String>,
    pub provider_ref: String,
    pub order_id: u64,
    /// What the wallet paid (or got back): the order's amount plus its fee.
    pub amount: Decimal,
    /// The wallet moved; empty (state from before wallets) means the default one.
    #[serde(default)]
    pub wallet: String,
    pub balance_after: Decimal,
    pub at: u64,
    /// A refund of an order that had succeeded: the provider reversed it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reversal: bool,
}

/// One line of `requests.jsonl`: a purchase request as received.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestLine {
    pub seq: u64,
    pub endpoint: String,
    pub reference: Option<String>,
    pub nonce: Option<String>,
    /// An order with this reference (or nonce) already existed: nothing was charged.
    pub duplicate: bool,
    pub order_ids: Vec<u64>,
    pub recipients: Vec<String>,
    /// The fault injected into this request, if any.
    pub fault: Option<String>,
    /// What came of it: `charged`, `failed`, `insufficient`, `duplicate`, `refused`, a fault.
    pub outcome: String,
    pub at: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    kind: String,
    /// The default wallet's.
    opening_balance: Decimal,
    /// The other wallets' (RukaPay's COMMISSION).
    #[serde(default)]
    other_openings: BTreeMap<String, Decimal>,
}

/// The wallets a new state directory opens with: the default one (charged when a request
/// names none) and any others the provider has.
#[derive(Debug, Clone)]
pub struct Wallets {
    pub default: String,
    pub opening: Decimal,
    pub others: BTreeMap<String, Decimal>,
}

/// What `GET /__fake/summary` shows.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub kind: String,
    pub charges: u64,
    pub refunds: u64,
    pub charged_total: Decimal,
    pub refunded_total: Decimal,
    pub opening_balance: Decimal,
    /// The default wallet's balance.
    pub balance: Decimal,
    /// Every wallet's balance, the default one included.
    pub balances: BTreeMap<String, Decimal>,
    pub purchases_received: u64,
    pub duplicates: u64,
    pub orders: u64,
}

/// A new order to create.
pub struct NewOrder<'a> {
    pub reference: Option<&'a str>,
    pub nonce: Option<&'a str>,
    pub product: &'a str,
    pub recipient: &'a str,
    pub amount: Decimal,
    pub fee: Decimal,
    /// `None`: the default wallet.
    pub wallet: Option<&'a str>,
    pub fate: Fate,
    /// Reverse it later, once it has succeeded.
    pub reverse: bool,
}

/// Why an order was not created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Insufficient,
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Appends one JSON line and syncs it to disk.
fn append<T: Serialize>(file: &mut File, value: &T) -> io::Result<()> {
    let mut line = serde_json::to_vec(value).map_err(io::Error::other)?;
    line.push(b'\n');
    file.write_all(&line)?;
    file.sync_data()
}

fn read_lines<T: for<'de> Deserialize<'de>>(path: &Path) -> io::Result<Vec<T>> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for line in BufReader::new(file).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        // A torn last line (the server killed mid-write) is skipped.
        match serde_json::from_str(&line) {
            Ok(v) => out.push(v),
            Err(e) => eprintln!("fake-provider: skipped an unreadable line in {path:?}: {e}"),
        }
    }
    Ok(out)
}

fn open_append(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

pub struct Store {
    kind: String,
    opening: Decimal,
    default_wallet: String,
    balances: BTreeMap<String, Decimal>,
    settle_after: u32,
    orders: Vec<Order>,
    by_reference: HashMap<String, Vec<usize>>,
    by_nonce: HashMap<String, usize>,
    by_provider_ref: HashMap<String, usize>,
    charges_file: File,
    requests_file: File,
    orders_file: File,
    charges: u64,
    refunds: u64,
    charged_total: Decimal,
    refunded_total: Decimal,
    purchases_received: u64,
    duplicates: u64,
    charge_seq: u64,
    request_seq: u64,
}

impl Store {
    /// Opens (or creates) the state in `dir`. A directory used before keeps its opening
    /// balances; `wallets` openings apply only to a new one.
    pub fn open(dir: &Path, kind: &str, wallets: Wallets, settle_after: u32) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let meta_path = dir.join("meta.json");
        let Wallets {
            default: default_wallet,
            opening,
            others,
        } = wallets;
        let (opening, others) = match std::fs::read(&meta_path) {
            Ok(bytes) => {
                let meta: Meta = serde_json::from_slice(&bytes).map_err(io::Error::other)?;
                if meta.kind != kind {
                    return Err(io::Error::other(format!(
                        "{} holds the state of a {} server, not {kind}",
                        dir.display(),
                        meta.kind
                    )));
                }
                (meta.opening_balance, meta.other_openings)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let meta = Meta {
                    kind: kind.to_owned(),
                    opening_balance: opening,
                    other_openings: others.clone(),
                };
                let tmp = dir.join("meta.json.tmp");
                let mut f = File::create(&tmp)?;
                f.write_all(&serde_json::to_vec(&meta).map_err(io::Error::other)?)?;
                f.sync_all()?;
                std::fs::rename(&tmp, &meta_path)?;
                (opening, others)
            }
            Err(e) => return Err(e),
        };

        let charges_path = dir.join("charges.jsonl");
        let requests_path = dir.join("requests.jsonl");
        let orders_path = dir.join("orders.jsonl");
        let charge_lines: Vec<ChargeLine> = read_lines(&charges_path)?;
        let request_lines: Vec<RequestLine> = read_lines(&requests_path)?;
        let order_lines: Vec<Order> = read_lines(&orders_path)?;

        let mut balances = others;
        balances.insert(default_wallet.clone(), opening);
        let mut store = Store {
            kind: kind.to_owned(),
            opening,
            default_wallet,
            balances,
            settle_after,
            orders: Vec::new(),
            by_reference: HashMap::new(),
            by_nonce: HashMap::new(),
            by_provider_ref: HashMap::new(),
            charges_file: open_append(&charges_path)?,
            requests_file: open_append(&requests_path)?,
            orders_file: open_append(&orders_path)?,
            charges: 0,
            refunds: 0,
            charged_total: Decimal::ZERO,
            refunded_total: Decimal::ZERO,
            purchases_received: 0,
            duplicates: 0,
            charge_seq: 0,
            request_seq: 0,
        };
        for c in &charge_lines {
            store.charge_seq = store.charge_seq.max(c.seq);
            let wallet = store.wallet_name(&c.wallet);
            let balance = store.balances.entry(wallet).or_default();
            if c.kind == "refund" {
                *balance += c.amount;
                store.refunds += 1;
                store.refunded_total += c.amount;
            } else {
                *balance -= c.amount;
                store.charges += 1;
                store.charged_total += c.amount;
            }
        }
        for r in &request_lines {
            store.request_seq = store.request_seq.max(r.seq);
            store.purchases_received += 1;
            if r.duplicate {
                store.duplicates += 1;
            }
        }
        // The last line of each order is its latest state.
        let mut latest: Vec<Order> = Vec::new();
        let mut at: HashMap<u64, usize> = HashMap::new();
        for o in order_lines {
            match at.get(&o.id) {
                Some(&i) => latest[i] = o,
                None => {
                    at.insert(o.id, latest.len());
                    latest.push(o);
                }
            }
        }
        latest.sort_by_key(|o| o.id);
        for o in latest {
            store.index(o);
        }
        Ok(store)
    }

    fn index(&mut self, o: Order) {
        let i = self.orders.len();
        if let Some(r) = &o.reference {
            self.by_reference.entry(r.clone()).or_default().push(i);
        }
        if let Some(n) = &o.nonce {
            self.by_nonce.entry(n.clone()).or_insert(i);
        }
        self.by_provider_ref.insert(o.provider_ref.clone(), i);
        self.orders.push(o);
    }

    /// The default wallet's balance.
    pub fn balance(&self) -> Decimal {
        self.wallet_balance(&self.default_wallet)
    }

    /// A wallet's balance; zero for one the provider does not have.
    pub fn wallet_balance(&self, wallet: &str) -> Decimal {
        self.balances.get(wallet).copied().unwrap_or_default()
    }

    /// Whether the provider has this wallet.
    pub fn has_wallet(&self, wallet: &str) -> bool {
        self.balances.contains_key(wallet)
    }

    /// The wallet a request or a record names; empty means the default one.
    fn wallet_name(&self, wallet: &str) -> String {
        if wallet.is_empty() {
            self.default_wallet.clone()
        } else {
            wallet.to_owned()
        }
    }

    pub fn orders(&self) -> &[Order] {
        &self.orders
    }

    /// Orders already made under this reference, else under this nonce.
    pub fn existing(&self, reference: Option<&str>, nonce: Option<&str>) -> Vec<Order> {
        if let Some(ixs) = reference.and_then(|r| self.by_reference.get(r)) {
            return ixs.iter().map(|&i| self.orders[i].clone()).collect();
        }
        nonce
            .and_then(|n| self.by_nonce.get(n))
            .map(|&i| vec![self.orders[i].clone()])
            .unwrap_or_default()
    }

    /// Indexes of the orders a status query names.
    pub fn find(&self, key: &Lookup<'_>) -> Vec<usize> {
        match key {
            Lookup::Reference(r) => self.by_reference.get(*r).cloned().unwrap_or_default(),
            Lookup::Nonce(n) => self.by_nonce.get(*n).map(|&i| vec![i]).unwrap_or_default(),
            Lookup::ProviderRef(p) => self
                .by_provider_ref
                .get(*p)
                .map(|&i| vec![i])
                .unwrap_or_default(),
            Lookup::Any(k) => {
                let mut v = self.find(&Lookup::ProviderRef(k));
                if v.is_empty() {
                    v = self.find(&Lookup::Reference(k));
                }
                v
            }
        }
    }

    fn provider_ref(&self, id: u64) -> String {
        match self.kind.as_str() {
            "vendify" => format!("{:018}:S:FAKEPROVIDER", 250_000_000_000_000_000u64 + id),
            "estoresms" => format!("api_fake{id:08x}"),
            "rukapay" => format!("cmfake{id:010}"),
            _ => format!("TRXFAKE{id:010}"),
        }
    }

    /// Creates an order: charged now (durably) unless it fails at once or the wallet is short.
    pub fn create(&mut self, n: &NewOrder<'_>) -> io::Result<Result<Order, Refusal>> {
        let charge = n.fate != Fate::Fail;
        let wallet = self.wallet_name(n.wallet.unwrap_or(""));
        let before = self.wallet_balance(&wallet);
        let total = n.amount + n.fee;
        // A wallet the provider does not have holds nothing: handlers refuse it first.
        if charge && (total > before || !self.has_wallet(&wallet)) {
            return Ok(Err(Refusal::Insufficient));
        }
        let id = self.orders.last().map(|o| o.id + 1).unwrap_or(1);
        let status = match n.fate {
            Fate::Succeed => Status::Succeeded,
            Fate::Fail => Status::Failed,
            Fate::PendingThenSucceed | Fate::PendingThenFail => Status::Pending,
        };
        let order = Order {
            id,
            reference: n.reference.map(str::to_owned),
            nonce: n.nonce.map(str::to_owned),
            provider_ref: self.provider_ref(id),
            product: n.product.to_owned(),
            recipient: n.recipient.to_owned(),
            amount: n.amount,
            fee: n.fee,
            wallet: wallet.clone(),
            fate: n.fate,
            reverse: n.reverse && charge,
            status,
            status_queries: 0,
            charged: charge,
            refunded: false,
            balance_before: before,
            balance_after: if charge { before - total } else { before },
            created_at: now(),
        };
        if charge {
            self.money_line("charge", &order)?;
        }
        append(&mut self.orders_file, &order)?;
        self.index(order.clone());
        Ok(Ok(order))
    }

    fn money_line(&mut self, kind: &str, o: &Order) -> io::Result<()> {
        let refund = kind == "refund";
        let wallet = self.wallet_name(&o.wallet);
        let amount = o.amount + o.fee;
        let before = self.wallet_balance(&wallet);
        let balance_after = if refund {
            before + amount
        } else {
            before - amount
        };
        self.charge_seq += 1;
        let line = ChargeLine {
            seq: self.charge_seq,
            kind: kind.to_owned(),
            reference: o.reference.clone(),
            provider_ref: o.provider_ref.clone(),
            order_id: o.id,
            amount,
            wallet: wallet.clone(),
            balance_after,
            at: now(),
            reversal: refund && o.status == Status::Reversed,
        };
        append(&mut self.charges_file, &line)?;
        self.balances.insert(wallet, balance_after);
        if refund {
            self.refunds += 1;
            self.refunded_total += amount;
        } else {
            self.charges += 1;
            self.charged_total += amount;
        }
        Ok(())
    }

    /// A status query saw the order: a pending one settles on its `settle_after`-th query
    /// (a failed one is refunded); a succeeded one picked for a reversal, asked about at
    /// least `reverse_after` seconds after it was created, is reversed now (refunded in
    /// `charges.jsonl` like any refund) and answered as such. All durably.
    pub fn observe(&mut self, i: usize, reverse_after: u64) -> io::Result<Order> {
        let Some(mut o) = self.orders.get(i).cloned() else {
            return Err(io::Error::other("no such order"));
        };
        match o.status {
            Status::Succeeded
                if o.reverse
                    && o.charged
                    && !o.refunded
                    && now() >= o.created_at.saturating_add(reverse_after) =>
            {
                o.status = Status::Reversed;
                self.money_line("refund", &o)?;
                o.refunded = true;
            }
            Status::Pending => {
                o.status_queries += 1;
                if o.status_queries >= self.settle_after {
                    match o.fate {
                        Fate::PendingThenFail => {
                            o.status = Status::Failed;
                            if o.charged && !o.refunded {
                                self.money_line("refund", &o)?;
                                o.refunded = true;
                            }
                        }
                        _ => o.status = Status::Succeeded,
                    }
                }
            }
            _ => return Ok(o),
        }
        append(&mut self.orders_file, &o)?;
        self.orders[i] = o.clone();
        Ok(o)
    }

    pub fn record_request(&mut self, mut line: RequestLine) -> io::Result<()> {
        self.request_seq += 1;
        line.seq = self.request_seq;
        line.at = now();
        append(&mut self.requests_file, &line)?;
        self.purchases_received += 1;
        if line.duplicate {
            self.duplicates += 1;
        }
        Ok(())
    }

    pub fn summary(&self) -> Summary {
        Summary {
            kind: self.kind.clone(),
            charges: self.charges,
            refunds: self.refunds,
            charged_total: self.charged_total,
            refunded_total: self.refunded_total,
            opening_balance: self.opening,
            balance: self.balance(),
            balances: self.balances.clone(),
            purchases_received: self.purchases_received,
            duplicates: self.duplicates,
            orders: self.orders.len() as u64,
        }
    }
}

/// How a status query names an order.
pub enum Lookup<'a> {
    Reference(&'a str),
    Nonce(&'a str),
    ProviderRef(&'a str),
    /// The provider's id, else our reference (RukaPay's `{transactionIdOrReference}`).
    Any(&'a str),
}
