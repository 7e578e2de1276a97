//! Startup and memory benchmark of the release app (not a test: it prints figures).
//!
//! Run under a display with a keychain, after building the release app:
//!   scripts/bench.sh
//! It launches the app several times with RESELLER_BENCH=1 and reads the markers the app
//! prints: `bench:window` (the main window exists) and `bench:painted_dashboard` (the UI
//! has painted the dashboard with the demo balances). Then it leaves one instance idle for
//! 10 s and sums RSS and PSS over the whole process tree (the app and its WebKit processes).

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The empty Tauri app on the reference machine (issue 2).
const BASE_WINDOW_MS: u128 = 510;
const BASE_PAINT_MS: u128 = 800;
const BASE_RSS_MIB: u64 = 421;
const BASE_PSS_MIB: u64 = 181;
/// Goals.
const GOAL_PAINT_WARM_MS: u128 = 1200;
const GOAL_PSS_MIB: u64 = 235;

struct Launch {
    child: Child,
    window_ms: Option<u128>,
    painted_ms: Option<u128>,
}

fn app_path() -> PathBuf {
    std::env::var_os("RESELLER_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/reseller-console")
        })
}

fn launch(app: &Path, data_dir: &Path) -> Launch {
    let start = Instant::now();
    let mut child = Command::new(app)
        .env("RESELLER_BENCH", "1")
        .env("RESELLER_DATA_DIR", data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", app.display()));
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send((line, start.elapsed().as_millis()));
        }
    });
    let mut out = Launch {
        child,
        window_ms: None,
        painted_ms: None,
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while out.painted_ms.is_none() && Instant::now() < deadline {
        if let Ok((line, at)) = rx.recv_timeout(Duration::from_millis(200)) {
            if line.starts_with("bench:window") {
                out.window_ms = Some(at);
            } else if line.starts_with("bench:painted_dashboard") {
                out.painted_ms = Some(at);
            }
        }
    }
    out
}

fn stop(mut l: Launch) {
    let _ = l.child.kill();
    let _ = l.child.wait();
    std::thread::sleep(Duration::from_millis(300));
}

/// The pid and every descendant, from /proc.
fn tree(root: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for e in entries.flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // The ppid is the 2nd field after the parenthesised command name.
            let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
                continue;
            };
            let ppid = rest
                .split_whitespace()
                .nth(1)
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            parents.push((pid, ppid));
        }
    }
    let mut seen: HashSet<u32> = HashSet::from([root]);
    loop {
        let before = seen.len();
        for (pid, ppid) in &parents {
            if seen.contains(ppid) {
                seen.insert(*pid);
            }
        }
        if seen.len() == before {
            break;
        }
    }
    seen.into_iter().collect()
}

fn rollup_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn median(mut v: Vec<u128>) -> Option<u128> {
    v.sort_unstable();
    v.get(v.len() / 2).copied()
}

fn ratio(a: u128, b: u128) -> String {
    // Integer arithmetic only: hundredths of the ratio.
    let hundredths = a * 100 / b.max(1);
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` and test discovery
    }
    let app = app_path();
    if !app.exists() {
        eprintln!(
            "build the release app first: {} is missing (scripts/bench.sh does it)",
            app.display()
        );
        std::process::exit(2);
    }
    let dir = std::env::temp_dir().join(format!("reseller-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);

    // First run: an empty data folder (creates the ledger).
    let first = launch(&app, &dir);
    let (fw, fp) = (first.window_ms, first.painted_ms);
    stop(first);

    // Warm runs: the same data folder, files in the page cache.
    let mut windows = Vec::new();
    let mut paints = Vec::new();
    for _ in 0..5 {
        let l = launch(&app, &dir);
        windows.extend(l.window_ms);
        paints.extend(l.painted_ms);
        stop(l);
    }

    // Memory after 10 s idle.
    let idle = launch(&app, &dir);
    std::thread::sleep(Duration::from_secs(10));
    let pids = tree(idle.child.id());
    let rss: u64 = pids.iter().map(|p| rollup_kib(*p, "Rss:")).sum::<u64>() / 1024;
    let pss: u64 = pids.iter().map(|p| rollup_kib(*p, "Pss:")).sum::<u64>() / 1024;
    let nproc = pids.len();
    stop(idle);
    let _ = std::fs::remove_dir_all(&dir);

    let show = |v: Option<u128>| {
        v.map(|m| format!("{m} ms"))
            .unwrap_or_else(|| "not reached".into())
    };
    let wm = median(windows);
    let pm = median(paints);
    println!(
        "Reseller Console startup benchmark (release build, {})",
        app.display()
    );
    println!(
        "  first run   window {:>12}   dashboard painted with data {:>12}",
        show(fw),
        show(fp)
    );
    println!(
        "  warm median window {:>12}   dashboard painted with data {:>12}   (5 runs)",
        show(wm),
        show(pm)
    );
    if let Some(w) = wm {
        println!(
            "  window vs empty Tauri app ({BASE_WINDOW_MS} ms): x{}",
            ratio(w, BASE_WINDOW_MS)
        );
    }
    if let Some(p) = pm {
        println!(
            "  warm paint vs empty Tauri first paint ({BASE_PAINT_MS} ms): x{}; vs goal {GOAL_PAINT_WARM_MS} ms: x{} {}",
            ratio(p, BASE_PAINT_MS),
            ratio(p, GOAL_PAINT_WARM_MS),
            if p <= GOAL_PAINT_WARM_MS { "MET" } else { "MISSED" }
        );
    }
    println!("  after 10 s idle, {nproc} processes: RSS {rss} MiB (empty app {BASE_RSS_MIB} MiB, x{}), PSS {pss} MiB (empty app {BASE_PSS_MIB} MiB, x{}; goal {GOAL_PSS_MIB} MiB, x{} {})",
        ratio(u128::from(rss), u128::from(BASE_RSS_MIB)),
        ratio(u128::from(pss), u128::from(BASE_PSS_MIB)),
        ratio(u128::from(pss), u128::from(GOAL_PSS_MIB)),
        if pss <= GOAL_PSS_MIB { "MET" } else { "MISSED" });
}
