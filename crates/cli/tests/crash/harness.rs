//! The crash run for one provider kind: a fake provider with faults, an account pointing at
//! it, `buy --yes` processes of which many are SIGKILLed while a sweeper runs `reconcile`
//! next to them (as the app does), then `reconcile --now` until nothing is open, then
//! `reconcile --now --reviews` until nothing changes (late reversals), then the checks of
//! `check.rs`.

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::check;
use crate::fake;

/// The keychain service the crash runs store their (fake) secrets under.
const SERVICE: &str = "reseller-console-crash-test";
/// Faults on every purchase the fake receives.
const FAULTS: &str =
    "latency=200ms:0.3,error500=0.1,timeout=0.05,drop_after_charge=0.1,slow_charge=0.05";
/// The `timeout` fault hangs this long, then answers 504 (not charged). Far below the
/// client's 30 s timeout so the run stays short; a kill often lands inside the hang.
const HANG_MS: &str = "1500";
/// Every resellerctl of the run waits this long for a provider answer
/// (`RESELLER_HTTP_TIMEOUT_SECS`) instead of 30 s ...
const CLIENT_TIMEOUT_SECS: &str = "3";
/// ... and the `slow_charge` fault charges, then answers after this: the client has given up
/// (outcome unknown) while the order is charged, and only a status query can settle it.
const SLOW_MS: &str = "5000";
/// Percent of orders bound to succeed that the fake reverses later ...
const REVERSE_RATE: &str = "10";
/// ... at the first status query this long after the order was made: in practice the
/// final `reconcile --now --reviews`, after the ledger booked the success.
const REVERSE_AFTER_SECS: u64 = 10;
/// The concurrent sweeper runs `reconcile` this often (the app's sweeper ticks every few
/// seconds), `reconcile --now` every `NOW_EVERY`th round, and SIGKILLs every `KILL_EVERY`th
/// round at a random point.
const SWEEP_EVERY: Duration = Duration::from_secs(2);
const NOW_EVERY: u64 = 3;
const KILL_EVERY: u64 = 5;
/// `reconcile --now --reviews` rounds before giving up on the books settling.
const REVIEW_ROUNDS: u32 = 6;
/// RukaPay's fee per transfer in the crash run (UGX).
const RUKAPAY_FEE: &str = "50";
/// The least span of kill delays, in ms (a buy is timed first; see `kill_delay`).
const KILL_WINDOW_MS: u64 = 400;
/// A buy that was not picked for a kill but runs this long is killed anyway (and counted
/// apart): nothing in the fake should make it hang.
const WATCHDOG: Duration = Duration::from_secs(45);
/// `reconcile --now` rounds before giving up on orders that stay open.
const RECONCILE_ROUNDS: u32 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Vendify,
    Rukky,
    Estoresms,
    Rukapay,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Vendify => "vendify",
            Kind::Rukky => "rukky",
            Kind::Estoresms => "estoresms",
            Kind::Rukapay => "rukapay",
        }
    }

    /// Non-secret settings for `accounts add` (as in crates/fake-provider/tests/adapters.rs).
    fn settings(self) -> &'static [&'static str] {
        match self {
            Kind::Vendify => &["wallet_id=NGN-1001"],
            Kind::Estoresms => &["username=reseller", "email=reseller@example.com"],
            Kind::Rukky | Kind::Rukapay => &[],
        }
    }

    /// Secret lines for `--secrets-stdin`; the fake accepts any non-empty value.
    fn secrets(self) -> &'static str {
        match self {
            Kind::Vendify | Kind::Rukapay => "api_key=fake-key\n",
            Kind::Estoresms => "api_token=fake-token\npassword=fake-password\n",
            Kind::Rukky => "api_key=fake-key\npin=1234\n",
        }
    }

    /// Product id and face value. RukkyStore: a data plan, the one kind of its products
    /// with a price `buy` can validate (airtime has none).
    fn product(self) -> (&'static str, &'static str) {
        match self {
            Kind::Vendify => ("9418", "500"),
            Kind::Estoresms => ("NG-MTN-OR", "500"),
            Kind::Rukapay => ("airtime:MTN", "500"),
            Kind::Rukky => ("data:1", "300"),
        }
    }

    /// A phone number ending in the 7 digits the fake decides an order's fate by.
    fn phone(self, tail: &str) -> String {
        match self {
            Kind::Rukapay => format!("+25670{tail}"),
            _ => format!("+234803{tail}"),
        }
    }

    /// Whether the provider can find an order by our reference (all but RukkyStore).
    pub fn keyed_by_reference(self) -> bool {
        self != Kind::Rukky
    }
}

/// SplitMix64: a seeded, dependency-free random source.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a whole number")),
        Err(_) => default,
    }
}

struct Settings {
    orders: u64,
    min_kills: u64,
    seed: u64,
    parallel: u64,
}

impl Settings {
    fn from_env() -> Self {
        let orders = env_u64("CRASH_ORDERS", 200).max(1);
        Settings {
            orders,
            // 50 at the default size and above; a quarter of a small run.
            min_kills: env_u64("CRASH_MIN_KILLS", (orders / 4).max(50.min(orders * 2 / 5))),
            seed: env_u64("CRASH_SEED", 1),
            parallel: env_u64("CRASH_PARALLEL", 4).clamp(1, 16),
        }
    }
}

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_resellerctl"))
        .parent()
        .expect("resellerctl has a folder")
        .to_owned()
}

fn fake_provider_bin() -> PathBuf {
    let p = bin_dir().join("fake-provider");
    assert!(
        p.exists(),
        "{} is missing: build it first with `cargo build -p fake-provider` (or run \
         tests/crash/run.sh, or `cargo test --workspace`, which build it)",
        p.display()
    );
    p
}

/// The fake provider process (ours: killed on drop).
struct Fake {
    child: Child,
    base: String,
    dir: PathBuf,
}

impl Fake {
    fn start(kind: Kind, dir: &Path, seed: u64) -> Fake {
        let mut cmd = Command::new(fake_provider_bin());
        if kind == Kind::Rukapay {
            // RukaPay adds its fee only in the answer: every charge is above the face value
            // held, so the run books fees as adjustments under kills and reversals.
            cmd.args(["--rukapay-fee", RUKAPAY_FEE]);
        }
        let mut child = cmd
            .args(["--kind", kind.name(), "--port", "0", "--state"])
            .arg(dir)
            .args(["--faults", FAULTS, "--seed", &seed.to_string()])
            .args(["--balance", "100000000", "--settle-after", "2"])
            .args([
                "--pending-rate",
                "10",
                "--fail-rate",
                "5",
                "--hang-ms",
                HANG_MS,
                "--slow-ms",
                SLOW_MS,
                "--reverse-rate",
                REVERSE_RATE,
                "--reverse-after-secs",
                &REVERSE_AFTER_SECS.to_string(),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn fake-provider");
        let addr = fake::listening_addr(&mut child);
        Fake {
            child,
            base: format!("http://{addr}"),
            dir: dir.to_owned(),
        }
    }

    fn lines(&self, file: &str) -> Vec<Value> {
        std::fs::read_to_string(self.dir.join(file))
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{file}: {e}: {l}")))
            .collect()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ctl(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_resellerctl"));
    c.arg("--data-dir")
        .arg(data)
        .env("RESELLER_KEYCHAIN_SERVICE", SERVICE)
        .env("RESELLER_HTTP_TIMEOUT_SECS", CLIENT_TIMEOUT_SECS)
        .env_remove("RESELLER_DATA_DIR");
    for (k, _) in std::env::vars() {
        if ["VENDIFY", "RUKKY", "ESTORESMS", "RUKAPAY"]
            .iter()
            .any(|p| k.starts_with(&format!("RESELLER_{p}_")))
        {
            c.env_remove(k);
        }
    }
    c.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Runs resellerctl to the end and parses its JSON output.
fn json(data: &Path, args: &[&str]) -> Value {
    let o = ctl(data).args(args).output().expect("run resellerctl");
    assert!(
        o.status.success(),
        "resellerctl {args:?} failed: {}",
        text(&o)
    );
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("resellerctl {args:?}: not JSON ({e}): {}", text(&o)))
}

fn add_account(kind: Kind, data: &Path, base: &str) -> (String, String) {
    let label = format!("crash-{}", kind.name());
    let mut c = ctl(data);
    c.args(["--json", "accounts", "add", "--provider", kind.name()])
        .args([
            "--label",
            &label,
            "--environment",
            "custom",
            "--base-url",
            base,
        ])
        .arg("--secrets-stdin")
        .stdin(Stdio::piped());
    for s in kind.settings() {
        c.args(["--setting", s]);
    }
    let mut child = c.spawn().expect("spawn accounts add");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(kind.secrets().as_bytes())
        .expect("write secrets");
    let o = child.wait_with_output().expect("accounts add");
    assert!(o.status.success(), "accounts add: {}", text(&o));
    // The paying wallet: the first the provider reports (RukaPay reports none: its
    // balance comes only with transfer answers, keyed by wallet type: ESCROW by default).
    let t = json(data, &["--json", "accounts", "test", &label]);
    let wallet = match t["wallets"][0]["wallet_id"].as_str() {
        Some(w) => w.to_owned(),
        None if kind == Kind::Rukapay => "ESCROW".to_owned(),
        None => panic!("accounts test {label} names no wallet: {t}"),
    };
    (label, wallet)
}

/// Every order in the ledger, paging through `orders list`.
pub fn all_orders(data: &Path) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let mut args = vec!["--json", "orders", "list", "--limit", "500"];
        if let Some(a) = &after {
            args.extend(["--after", a.as_str()]);
        }
        let page = json(data, &args);
        out.extend(page["orders"].as_array().cloned().unwrap_or_default());
        match page["next"].as_str() {
            Some(n) => after = Some(n.to_owned()),
            None => return out,
        }
    }
}

pub fn status(o: &Value) -> &str {
    o["status"].as_str().unwrap_or("?")
}

fn is_open(o: &Value) -> bool {
    matches!(status(o), "prepared" | "submitted" | "pending" | "unknown")
}

/// What became of one buy process.
enum Ended {
    /// Exited by itself with this code (`None`: a signal we did not send).
    Exited(Option<i32>, String),
    /// Our SIGKILL found it alive.
    Killed,
    /// The watchdog's SIGKILL.
    Watchdog,
}

/// One buy: recipient and kill delay drawn from the order's own seeded stream.
fn buy(
    kind: Kind,
    data: &Path,
    label: &str,
    wallet: &str,
    rng: &mut Rng,
    kill_after: Option<Duration>,
) -> Ended {
    // A mix of fates: 10% fail at once, 10% pending then succeed, 5% pending then fail,
    // the rest ordinary numbers (of which the fake fails 5% and holds 10% pending).
    let tail = match rng.below(100) {
        0..=9 => "0000001".to_owned(),
        10..=19 => "0000002".to_owned(),
        20..=24 => "0000003".to_owned(),
        _ => format!("{}", 1_000_000 + rng.below(8_999_999)),
    };
    let (product, amount) = kind.product();
    let mut child = ctl(data)
        .args(["--json", "buy", "--account", label, "--product", product])
        .args(["--to", &kind.phone(&tail), "--amount", amount])
        // Identical orders (the fate numbers repeat) are meant: each is its own purchase.
        .args(["--wallet", wallet, "--yes", "--allow-duplicate"])
        .spawn()
        .expect("spawn buy");
    let start = Instant::now();
    let deadline = kill_after.unwrap_or(WATCHDOG);
    loop {
        match child.try_wait().expect("try_wait") {
            Some(_) => break,
            None if start.elapsed() >= deadline => {
                let _ = child.kill(); // SIGKILL on Unix
                let o = child.wait_with_output().expect("wait");
                // Only a process our signal ended counts as killed.
                return match o.status.signal() {
                    Some(9) if kill_after.is_some() => Ended::Killed,
                    Some(9) => Ended::Watchdog,
                    _ => Ended::Exited(o.status.code(), text(&o)),
                };
            }
            None => std::thread::sleep(Duration::from_millis(2)),
        }
    }
    let o = child.wait_with_output().expect("wait");
    Ended::Exited(o.status.code(), text(&o))
}

/// What the sweeper running next to the buys did.
#[derive(Default)]
struct Sweeps {
    rounds: u64,
    now_rounds: u64,
    /// Our SIGKILL found it alive.
    killed: u64,
    /// Exit codes of the rounds that ended by themselves.
    exits: BTreeMap<String, u64>,
    /// Rounds that could not read the throwaway keychain (the private Secret Service does
    /// not answer in time under load): they change nothing, like a buy that exits 4.
    keychain: u64,
    /// Rounds that ended otherwise than 0 (done), 3 (some checks could not be made) or a
    /// keychain that did not answer.
    errors: Vec<String>,
}

/// The app's sweeper, as a process: `reconcile` every `SWEEP_EVERY` against the same data
/// folder while the buys (and kills) go on, `--now` every `NOW_EVERY`th round, itself
/// SIGKILLed at a random point every `KILL_EVERY`th round.
fn sweeper(data: &Path, done: &AtomicBool, seed: u64, tally: &Mutex<Sweeps>) {
    let mut rng = Rng::new(seed ^ 0x5EED_5EED);
    let mut round = 0u64;
    loop {
        let wake = Instant::now() + SWEEP_EVERY;
        while Instant::now() < wake {
            if done.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        round += 1;
        let now = round.is_multiple_of(NOW_EVERY);
        let kill_after = round
            .is_multiple_of(KILL_EVERY)
            .then(|| Duration::from_millis(rng.below(1500)));
        let mut c = ctl(data);
        c.args(["--json", "reconcile"]);
        if now {
            c.arg("--now");
        }
        let mut child = c.spawn().expect("spawn reconcile");
        let start = Instant::now();
        let deadline = kill_after.unwrap_or(WATCHDOG);
        let ended_by_us = loop {
            match child.try_wait().expect("try_wait") {
                Some(_) => break false,
                None if start.elapsed() >= deadline => {
                    let _ = child.kill();
                    break true;
                }
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        };
        let o = child.wait_with_output().expect("wait reconcile");
        let mut t = tally.lock().unwrap_or_else(|p| p.into_inner());
        t.rounds += 1;
        if now {
            t.now_rounds += 1;
        }
        if ended_by_us && o.status.signal() == Some(9) {
            if kill_after.is_some() {
                t.killed += 1;
            } else {
                t.errors.push(format!("reconcile ran past {WATCHDOG:?}"));
            }
            continue;
        }
        let key = o
            .status
            .code()
            .map_or_else(|| "signal".to_owned(), |c| c.to_string());
        *t.exits.entry(key).or_default() += 1;
        let out = text(&o);
        if o.status.code() == Some(4) && out.contains("keychain is not available") {
            t.keychain += 1;
        } else if !matches!(o.status.code(), Some(0 | 3)) && t.errors.len() < 5 {
            t.errors.push(format!(
                "reconcile{} exited {:?}: {}",
                if now { " --now" } else { "" },
                o.status.code(),
                error_line(&out).unwrap_or_else(|| out.chars().take(300).collect())
            ));
        }
    }
}

/// The order's full record (`orders show`): events and ledger entries.
fn detail(data: &Path, reference: &str) -> Value {
    json(data, &["--json", "orders", "show", reference])
}

/// When to kill a buy that takes about `typical` ms unharmed (the median of the buys so
/// far that ran to the end). A third of the kills land anywhere from start-up to past the
/// answer; two thirds land in the last 400 ms or just after, where the intent is committed,
/// the request is in flight (the latency fault stretches it by 200 ms) and the answer is
/// recorded: the window that matters, and only a sliver of a buy's time when validation
/// makes several catalogue calls first.
fn kill_delay(rng: &mut Rng, typical: u64) -> Duration {
    let typical = typical.max(KILL_WINDOW_MS);
    let ms = if rng.below(3) == 0 {
        rng.below(typical * 6 / 5 + 1)
    } else {
        (typical + rng.below(451)).saturating_sub(400)
    };
    Duration::from_millis(ms)
}

#[derive(Default)]
struct Tally {
    kills_tried: u64,
    kills: u64,
    watchdog: u64,
    exits: BTreeMap<String, u64>,
    /// A few distinct error texts, to explain a run where nothing could be bought.
    errors: Vec<String>,
    /// Milliseconds of the buys that ran to the end unharmed: the kills are placed by them.
    durations: Vec<u64>,
}

impl Tally {
    fn typical(&self) -> u64 {
        let mut d = self.durations.clone();
        d.sort_unstable();
        d.get(d.len() / 2).copied().unwrap_or(KILL_WINDOW_MS)
    }
}

/// The `error:` line resellerctl printed, if any.
fn error_line(out: &str) -> Option<String> {
    out.lines()
        .find(|l| l.starts_with("error:"))
        .map(|l| l.chars().take(300).collect())
}

pub fn run(kind: Kind) {
    let started = Instant::now();
    let s = Settings::from_env();
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let fake = Fake::start(kind, &tmp.path().join("fake"), s.seed);
    let (label, wallet) = add_account(kind, &data, &fake.base);

    let tally = Mutex::new(Tally::default());
    let record = |ended: Ended, tried: bool, took: Duration| {
        let mut t = tally.lock().unwrap_or_else(|p| p.into_inner());
        if let Ended::Exited(Some(0), _) = &ended {
            t.durations
                .push(u64::try_from(took.as_millis()).unwrap_or(u64::MAX));
        }
        if tried {
            t.kills_tried += 1;
        }
        match ended {
            Ended::Killed => t.kills += 1,
            Ended::Watchdog => t.watchdog += 1,
            Ended::Exited(code, out) => {
                let key = code.map_or_else(|| "signal".to_owned(), |c| c.to_string());
                *t.exits.entry(key).or_default() += 1;
                if let Some(line) = error_line(&out) {
                    if t.errors.len() < 5 && !t.errors.contains(&line) {
                        t.errors.push(line);
                    }
                }
            }
        }
    };
    let order_rng = |i: u64| Rng::new(s.seed.wrapping_mul(0x1000_0001) ^ (i + 1));

    // Preflight: three buys left alone. If none of them leaves an order in the ledger, the
    // pipeline cannot buy from this fake at all and 200 more would prove nothing.
    // They also time a buy, which places the first kills.
    let preflight = s.orders.min(3);
    for i in 0..preflight {
        let t0 = Instant::now();
        let ended = buy(kind, &data, &label, &wallet, &mut order_rng(i), None);
        record(ended, false, t0.elapsed());
    }
    if all_orders(&data).is_empty() {
        let t = tally.lock().unwrap_or_else(|p| p.into_inner());
        panic!(
            "crash {}: resellerctl could not place a single order against the fake \
             (exit codes {:?}); errors: {:#?}",
            kind.name(),
            t.exits,
            t.errors
        );
    }

    // The run: `parallel` buyers; each order draws whether and when it is killed. The kill
    // rate rises when the kills so far lag behind the minimum. A sweeper runs `reconcile`
    // next to them the whole time, as the app does.
    let next = AtomicUsize::new(usize::try_from(preflight).unwrap_or(0));
    let total = usize::try_from(s.orders).unwrap_or(usize::MAX);
    let done = AtomicBool::new(false);
    let sweeps = Mutex::new(Sweeps::default());
    std::thread::scope(|scope| {
        scope.spawn(|| sweeper(&data, &done, s.seed, &sweeps));
        let buyers: Vec<_> = (0..s.parallel)
            .map(|_| {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= total {
                        return;
                    }
                    let i = i as u64;
                    let mut rng = order_rng(i);
                    let (kills, typical) = {
                        let t = tally.lock().unwrap_or_else(|p| p.into_inner());
                        (t.kills, t.typical())
                    };
                    let needed = s.min_kills.saturating_sub(kills);
                    let left = s.orders - i;
                    // Percent: at least 40, more when behind (aim at 2.5x what is missing).
                    let pct = (needed * 250 / left.max(1)).clamp(40, 100);
                    let kill = rng.below(100) < pct;
                    let after = kill.then(|| kill_delay(&mut rng, typical));
                    let t0 = Instant::now();
                    let ended = buy(kind, &data, &label, &wallet, &mut rng, after);
                    record(ended, kill, t0.elapsed());
                })
            })
            .collect();
        for b in buyers {
            let _ = b.join();
        }
        done.store(true, Ordering::SeqCst);
    });
    let buys_done = started.elapsed();
    let buys_ended = Instant::now();

    // Reconcile until nothing is open: pending orders settle at the fake's 2nd status
    // query, and an order the provider never got is given up after 3 not-found answers.
    let mut rounds = 0;
    let mut orders = all_orders(&data);
    while orders.iter().any(is_open) && rounds < RECONCILE_ROUNDS {
        rounds += 1;
        reconcile(&data, &["--now"]);
        orders = all_orders(&data);
    }

    // The late looks: every succeeded order is asked about again (`--reviews`), which is
    // when the fake reverses the ones it picked (once REVERSE_AFTER_SECS have passed since
    // the last buy). Until two rounds in a row change neither the ledger nor the fake.
    let reverse_from = buys_ended + Duration::from_secs(REVERSE_AFTER_SECS + 1);
    if let Some(wait) = reverse_from.checked_duration_since(Instant::now()) {
        std::thread::sleep(wait);
    }
    let snapshot = |orders: &[Value]| -> (Vec<String>, usize) {
        let states = orders
            .iter()
            .map(|o| format!("{}={}", o["reference"], status(o)))
            .collect();
        (states, fake.lines("charges.jsonl").len())
    };
    let mut review_rounds = 0;
    let mut last = snapshot(&orders);
    while review_rounds < REVIEW_ROUNDS {
        review_rounds += 1;
        reconcile(&data, &["--now", "--reviews"]);
        orders = all_orders(&data);
        let now = snapshot(&orders);
        if now == last && review_rounds >= 2 {
            break;
        }
        last = now;
    }

    let doctor = json(&data, &["--json", "doctor"]);
    let integrity = doctor["integrity_check"].as_str().unwrap_or("?").to_owned();
    let charges = fake.lines("charges.jsonl");
    let requests = fake.lines("requests.jsonl");
    let fake_orders = fake.lines("orders.jsonl");
    // Events and entries of every order that did not simply succeed: `never_sent` events
    // and reversal entries are read from there.
    let details: BTreeMap<String, Value> = orders
        .iter()
        .filter(|o| status(o) != "succeeded")
        .filter_map(|o| o["reference"].as_str())
        .map(|r| (r.to_owned(), detail(&data, r)))
        .collect();
    let report = check::check(
        kind,
        &check::Books {
            orders: &orders,
            details: &details,
            charges: &charges,
            requests: &requests,
            fake_orders: &fake_orders,
        },
    );

    let t = tally.lock().unwrap_or_else(|p| p.into_inner());
    let sw = sweeps.lock().unwrap_or_else(|p| p.into_inner());
    let mut states: BTreeMap<&str, u64> = BTreeMap::new();
    for o in &orders {
        *states.entry(status(o)).or_default() += 1;
    }
    // Where the kills (and faults) left orders: intents never sent, and sent orders whose
    // answer was lost, finished by reconcile (or left needs_attention).
    let never_sent = orders
        .iter()
        .filter(|o| check::never_sent(o, &details))
        .count();
    let lost = orders
        .iter()
        .filter(|o| {
            !check::never_sent(o, &details)
                && (o["status_checks"].as_u64().unwrap_or(0) > 0 || status(o) == "needs_attention")
        })
        .count();
    let name = kind.name();
    println!(
        "crash {name} buys: {} buys (one takes ~{} ms), {} SIGKILLs hit a live process ({} \
         tried, {} watchdog), exits {:?}; {:.1} s",
        s.orders,
        t.typical(),
        t.kills,
        t.kills_tried,
        t.watchdog,
        t.exits,
        buys_done.as_secs_f64(),
    );
    println!(
        "crash {name} sweeps: {} reconcile runs next to the buys ({} --now, {} SIGKILLed), \
         exits {:?} ({} could not read the test keychain in time); then reconcile --now rounds \
         {rounds}, --now --reviews rounds {review_rounds}",
        sw.rounds, sw.now_rounds, sw.killed, sw.exits, sw.keychain,
    );
    println!(
        "crash {name} fake: {} purchase requests (+{} refused), {} charges, {} refunds ({} \
         reversals), {} slow charges (client gave up; ledger: {:?}), {} duplicates, {} charges \
         held by no order",
        report.purchases,
        report.refused,
        report.charges,
        report.refunds,
        report.reversals,
        report.slow_charges,
        report.slow_outcomes,
        report.duplicates,
        report.unmatched_charges,
    );
    println!(
        "crash {name} ledger: {} orders ({never_sent} never sent, {lost} finished by \
         reconcile), final states {states:?}; reversals booked {} (charged - reversal = 0), \
         reversed before the ledger saw success (booked failed) {}; requests to ledger orders \
         {} mapped; double charges {}, charges missing {}, failed but charged {}; \
         integrity_check {integrity}; {:.1} s",
        orders.len(),
        report.reversals_booked,
        report.reversals_before_success,
        report.requests_mapped,
        report.double_charges,
        report.missing_charges,
        report.failed_but_charged,
        started.elapsed().as_secs_f64(),
    );

    if !t.errors.is_empty() {
        println!(
            "crash {name}: buys that exited with an error said: {:?}",
            t.errors
        );
    }
    let mut problems = report.problems;
    problems.extend(sw.errors.iter().map(|e| format!("concurrent sweeper: {e}")));
    if t.kills < s.min_kills {
        problems.push(format!(
            "only {} kills hit a live process; at least {} are required",
            t.kills, s.min_kills
        ));
    }
    if integrity != "ok" {
        problems.push(format!("PRAGMA integrity_check: {integrity}"));
    }
    if !problems.is_empty() {
        drop(fake);
        let kept = tmp.keep();
        panic!(
            "crash {} found {} problem(s):\n  {}\nledger and fake state kept in {}",
            kind.name(),
            problems.len(),
            problems.join("\n  "),
            kept.display()
        );
    }
}

/// One `reconcile` after the buys. Exit 3: some checks could not be made; they are asked
/// again next round.
fn reconcile(data: &Path, flags: &[&str]) {
    // The throwaway keychain may not answer in time under load: that run did nothing, so
    // it is made again (a few times).
    let mut o = ctl(data)
        .args(["--json", "reconcile"])
        .args(flags)
        .output()
        .expect("reconcile");
    for _ in 0..3 {
        if !(o.status.code() == Some(4) && text(&o).contains("keychain is not available")) {
            break;
        }
        std::thread::sleep(Duration::from_secs(1));
        o = ctl(data)
            .args(["--json", "reconcile"])
            .args(flags)
            .output()
            .expect("reconcile");
    }
    assert!(
        matches!(o.status.code(), Some(0 | 3)),
        "reconcile {flags:?}: {}",
        text(&o)
    );
}
