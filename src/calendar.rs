//! Calendar arithmetic: days since the Unix epoch to a Gregorian date, and ISO 8601 UTC times.

/// The proleptic Gregorian date `(year, month, day)` that is `days` after
/// 1970-01-01 (Howard Hinnant's `civil_from_days`: eras of 400 years, years
/// counted from March so leap days fall at the end).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Seconds since the Unix epoch as an ISO 8601 UTC time (`2024-02-29T23:59:59Z`).
pub fn iso_utc(seconds: i64) -> String {
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let of_day = seconds.rem_euclid(86_400);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", of_day / 3600, of_day % 3600 / 60, of_day % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(iso_utc(-1), "1969-12-31T23:59:59Z");
        assert_eq!(iso_utc(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn every_day_of_four_centuries_follows_the_previous() {
        let mut previous = civil_from_days(-146_097 - 1);
        for days in -146_097..146_097 * 2 {
            let (year, month, day) = civil_from_days(days);
            let (y, m, d) = previous;
            let next_day = (year, month, day) == (y, m, d + 1);
            let next_month = day == 1 && ((year, month) == (y, m + 1) || (year, month, m) == (y + 1, 1, 12));
            assert!(next_day || next_month, "{previous:?} then {:?}", (year, month, day));
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let length = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m as usize - 1];
            assert!(next_day || d == length, "{previous:?} is not the last day of its month");
            previous = (year, month, day);
        }
    }
}
