//! The `--faults` spec: `latency=200ms:0.3,error500=0.1,timeout=0.05,drop_after_charge=0.1,
//! slow_charge=0.05` (probabilities 0..=1, held as parts per million: no floats), plus
//! `faults_all=1` to apply them to every call instead of purchases only.

use std::time::Duration;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

pub const MILLION: u32 = 1_000_000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults {
    pub latency: Option<(Duration, u32)>,
    pub error500: u32,
    pub timeout: u32,
    pub drop_after_charge: u32,
    pub slow_charge: u32,
    pub all: bool,
}

/// The fault picked for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    None,
    /// Answer 500 without charging.
    Error500,
    /// Hang past the client's timeout without charging.
    Timeout,
    /// Charge, then close the connection without an answer.
    DropAfterCharge,
    /// Charge, then answer only after `--slow-ms` (longer than the client waits): the
    /// client gives up with the outcome unknown while the order is charged.
    SlowCharge,
}

impl Action {
    pub fn name(self) -> Option<&'static str> {
        match self {
            Action::None => None,
            Action::Error500 => Some("error500"),
            Action::Timeout => Some("timeout"),
            Action::DropAfterCharge => Some("drop_after_charge"),
            Action::SlowCharge => Some("slow_charge"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Draw {
    pub latency: Option<Duration>,
    pub action: Action,
}

impl Draw {
    pub const NONE: Draw = Draw {
        latency: None,
        action: Action::None,
    };
}

fn probability(text: &str) -> Result<u32, String> {
    let p: Decimal = text
        .trim()
        .parse()
        .map_err(|_| format!("\"{text}\" is not a probability"))?;
    if p < Decimal::ZERO || p > Decimal::ONE {
        return Err(format!("probability {p} is not between 0 and 1"));
    }
    (p * Decimal::from(MILLION))
        .round()
        .to_u32()
        .ok_or_else(|| format!("probability {p} is out of range"))
}

/// `200ms`, `2s` or a bare number of milliseconds.
pub fn duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (num, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 1)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1000)
    } else {
        (t, 1)
    };
    let n: u64 = num
        .trim()
        .parse()
        .map_err(|_| format!("\"{text}\" is not a duration (use 200ms or 2s)"))?;
    Ok(Duration::from_millis(n.saturating_mul(scale)))
}

impl Faults {
    pub fn parse(spec: &str) -> Result<Faults, String> {
        let mut f = Faults::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("\"{part}\" is not key=value"))?;
            match key.trim() {
                "latency" => {
                    let (d, p) = value.split_once(':').ok_or_else(|| {
                        format!("latency needs DURATION:PROBABILITY, got \"{value}\"")
                    })?;
                    f.latency = Some((duration(d)?, probability(p)?));
                }
                "error500" => f.error500 = probability(value)?,
                "timeout" => f.timeout = probability(value)?,
                "drop_after_charge" => f.drop_after_charge = probability(value)?,
                "slow_charge" => f.slow_charge = probability(value)?,
                "faults_all" => f.all = matches!(value.trim(), "1" | "true" | "yes"),
                other => return Err(format!("unknown fault \"{other}\"")),
            }
        }
        Ok(f)
    }

    /// Picks the faults for one request from two draws in `0..MILLION`.
    pub fn pick(&self, latency_draw: u32, action_draw: u32) -> Draw {
        let latency = self
            .latency
            .filter(|(_, p)| latency_draw < *p)
            .map(|(d, _)| d);
        let mut edge = self.error500;
        let action = if action_draw < edge {
            Action::Error500
        } else {
            edge = edge.saturating_add(self.timeout);
            if action_draw < edge {
                Action::Timeout
            } else {
                edge = edge.saturating_add(self.drop_after_charge);
                if action_draw < edge {
                    Action::DropAfterCharge
                } else {
                    edge = edge.saturating_add(self.slow_charge);
                    if action_draw < edge {
                        Action::SlowCharge
                    } else {
                        Action::None
                    }
                }
            }
        };
        Draw { latency, action }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_spec() {
        let f = Faults::parse("latency=200ms:0.3,error500=0.1,timeout=0.05,drop_after_charge=0.1")
            .expect("parses");
        assert_eq!(f.latency, Some((Duration::from_millis(200), 300_000)));
        assert_eq!(
            (f.error500, f.timeout, f.drop_after_charge, f.all),
            (100_000, 50_000, 100_000, false)
        );
        assert!(Faults::parse("faults_all=1").expect("parses").all);
        assert!(Faults::parse("error500=1.5").is_err());
        assert!(Faults::parse("bogus=0.1").is_err());
        assert_eq!(duration("2s"), Ok(Duration::from_secs(2)));
    }

    #[test]
    fn draws_map_to_actions_by_cumulative_probability() {
        let f = Faults::parse("error500=0.1,timeout=0.1,drop_after_charge=0.1").expect("parses");
        assert_eq!(f.pick(0, 0).action, Action::Error500);
        assert_eq!(f.pick(0, 150_000).action, Action::Timeout);
        assert_eq!(f.pick(0, 250_000).action, Action::DropAfterCharge);
        assert_eq!(f.pick(0, 300_000).action, Action::None);
        let f = Faults::parse("drop_after_charge=0.1,slow_charge=0.1").expect("parses");
        assert_eq!(f.pick(0, 150_000).action, Action::SlowCharge);
        assert_eq!(f.pick(0, 200_000).action, Action::None);
        assert_eq!(Faults::default().pick(0, 0), Draw::NONE);
    }
}
