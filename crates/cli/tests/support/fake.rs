//! Shared by the crash test and the purchase benchmark: the address a freshly spawned
//! `fake-provider` says it listens on (its first line on stdout).

use std::io::{BufRead, BufReader};
use std::process::Child;

/// Reads `listening on HOST:PORT` from the child's stdout; panics with what it printed
/// instead (a test or benchmark cannot go on without its fake).
pub fn listening_addr(child: &mut Child) -> String {
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("the fake's stdout is piped"))
        .read_line(&mut line)
        .expect("read the fake's listening line");
    line.trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("fake-provider printed {line:?}"))
        .to_owned()
}
