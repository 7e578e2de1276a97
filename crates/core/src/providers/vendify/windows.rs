//! Splitting a date range into the windows Vendify's reports accept: transaction history
//! "can not pull more than 2 month's record at a time", the summary 24 months. Windows are
//! consecutive inclusive day ranges: no gap, no overlap, each at most `months` long.

use chrono::{Months, NaiveDate};

pub const HISTORY_WINDOW_MONTHS: u32 = 2;
pub const SUMMARY_WINDOW_MONTHS: u32 = 24;

/// `[from, to]` as consecutive inclusive windows, each ending the day before the same date
/// `months` later (1 Jan → 28/29 Feb for two months). Empty when `from > to`.
pub fn windows(from: NaiveDate, to: NaiveDate, months: u32) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let limit = start
            .checked_add_months(Months::new(months.max(1)))
            .and_then(|d| d.pred_opt())
            .unwrap_or(to);
        let end = limit.min(to);
        out.push((start, end));
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn seven_months_are_four_two_month_windows() {
        assert_eq!(
            windows(d(2024, 1, 1), d(2024, 7, 31), 2),
            vec![
                (d(2024, 1, 1), d(2024, 2, 29)),
                (d(2024, 3, 1), d(2024, 4, 30)),
                (d(2024, 5, 1), d(2024, 6, 30)),
                (d(2024, 7, 1), d(2024, 7, 31)),
            ]
        );
    }

    #[test]
    fn month_ends_are_clamped_not_skipped() {
        // 31 Jan + 2 months = 31 Mar; the window ends the day before.
        assert_eq!(
            windows(d(2023, 1, 31), d(2023, 5, 1), 2),
            vec![
                (d(2023, 1, 31), d(2023, 3, 30)),
                (d(2023, 3, 31), d(2023, 5, 1)),
            ]
        );
    }

    #[test]
    fn short_and_empty_ranges() {
        assert_eq!(
            windows(d(2021, 1, 1), d(2021, 2, 1), 2),
            vec![(d(2021, 1, 1), d(2021, 2, 1))]
        );
        assert_eq!(
            windows(d(2021, 1, 1), d(2021, 1, 1), 2),
            vec![(d(2021, 1, 1), d(2021, 1, 1))]
        );
        assert!(windows(d(2021, 2, 1), d(2021, 1, 1), 2).is_empty());
        assert_eq!(windows(d(2021, 1, 1), d(2023, 6, 30), 24).len(), 2);
    }

    proptest! {
        #[test]
        fn windows_cover_the_range_exactly(start in 0i64..20_000, len in 0i64..2_000, months in 1u32..30) {
            let base = d(1990, 1, 1);
            let from = base + chrono::Duration::days(start);
            let to = from + chrono::Duration::days(len);
            let w = windows(from, to, months);
            prop_assert!(!w.is_empty());
            prop_assert_eq!(w[0].0, from);
            prop_assert_eq!(w[w.len() - 1].1, to);
            for pair in w.windows(2) {
                prop_assert_eq!(pair[0].1.succ_opt(), Some(pair[1].0), "no gap, no overlap");
            }
            for (a, b) in &w {
                prop_assert!(a <= b);
                let limit = a.checked_add_months(Months::new(months)).expect("in range");
                prop_assert!(*b < limit, "at most {} months", months);
            }
        }
    }
}
