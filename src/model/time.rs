//! Moments in UTC for the products' dates: the issue date, or `SOURCE_DATE_EPOCH`, never the
//! clock.

use std::fmt;

use super::Date;

/// A moment in UTC, whole seconds since 1970-01-01T00:00:00Z, between the years 1980 and 9999
/// (ZIP entry times start in 1980; `dcterms:modified` wants a four-digit year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    secs: i64,
}

/// 1980-01-01T00:00:00Z, the earliest time a ZIP entry can carry (MS-DOS date, APPNOTE 4.4.6).
const FIRST_SECOND: i64 = 315_532_800;
/// 9999-12-31T23:59:59Z.
const LAST_SECOND: i64 = 253_402_300_799;
const SECONDS_PER_DAY: i64 = 86_400;

impl Timestamp {
    /// The moment `secs` seconds after the Unix epoch, if it lies in 1980–9999.
    pub fn from_unix_seconds(secs: i64) -> Option<Timestamp> {
        (FIRST_SECOND..=LAST_SECOND)
            .contains(&secs)
            .then_some(Timestamp { secs })
    }

    /// Midnight UTC at the start of `date` (clamped to 1980-01-01 for older issues).
    pub fn from_date(date: Date) -> Timestamp {
        let secs = date.days_since_epoch() * SECONDS_PER_DAY;
        Timestamp {
            secs: secs.clamp(FIRST_SECOND, LAST_SECOND),
        }
    }

    /// The time a `SOURCE_DATE_EPOCH` value gives (reproducible-builds.org: decimal seconds
    /// since 1970): `None` for no value or an empty one, an error for anything else that is not
    /// a time in 1980–9999. The one reading of the variable, for every product.
    pub fn from_source_date_epoch(value: Option<&str>) -> Result<Option<Timestamp>, BadSourceDateEpoch> {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok(None);
        };
        value
            .parse::<i64>()
            .ok()
            .and_then(Timestamp::from_unix_seconds)
            .map(Some)
            .ok_or_else(|| BadSourceDateEpoch {
                value: value.to_string(),
            })
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(self) -> i64 {
        self.secs
    }

    /// Year, month, day, hour, minute, second in UTC.
    pub fn civil(self) -> (u16, u8, u8, u8, u8, u8) {
        let days = self.secs.div_euclid(SECONDS_PER_DAY);
        let rest = self.secs.rem_euclid(SECONDS_PER_DAY);
        // Howard Hinnant's civil_from_days, the inverse of `Date::days_since_epoch`.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // The range check in the constructors keeps every part within its type.
        (
            year as u16,
            month as u8,
            day as u8,
            (rest / 3600) as u8,
            (rest / 60 % 60) as u8,
            (rest % 60) as u8,
        )
    }

    /// `YYYY-MM-DDThh:mm:ssZ`, the form `dcterms:modified` requires (EPUB 3.3 §5.5.6).
    pub fn to_w3cdtf(self) -> String {
        let (y, mo, d, h, mi, s) = self.civil();
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

/// A `SOURCE_DATE_EPOCH` that is not whole seconds since 1970 for a time in 1980–9999.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSourceDateEpoch {
    /// The value as given.
    pub value: String,
}

impl fmt::Display for BadSourceDateEpoch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SOURCE_DATE_EPOCH is `{}`; expected seconds since 1970 for a time in 1980–9999",
            self.value
        )
    }
}

impl std::error::Error for BadSourceDateEpoch {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_date_epoch_values() {
        assert_eq!(
            Timestamp::from_source_date_epoch(Some(" 1609113600\n"))
                .expect("valid")
                .map(Timestamp::to_w3cdtf),
            Some("2020-12-28T00:00:00Z".to_string())
        );
        assert_eq!(Timestamp::from_source_date_epoch(None), Ok(None));
        assert_eq!(Timestamp::from_source_date_epoch(Some(" ")), Ok(None));
        assert!(Timestamp::from_source_date_epoch(Some("yesterday")).is_err());
        assert!(Timestamp::from_source_date_epoch(Some("-5")).is_err(), "before 1970");
        assert!(Timestamp::from_source_date_epoch(Some("0")).is_err(), "before 1980");
    }

    #[test]
    fn timestamps_round_trip_dates() {
        let date = Date::new(2020, 12, 28).expect("date");
        let t = Timestamp::from_date(date);
        assert_eq!(t.to_w3cdtf(), "2020-12-28T00:00:00Z");
        let t = Timestamp::from_unix_seconds(1_609_459_199).expect("in range");
        assert_eq!(t.to_w3cdtf(), "2020-12-31T23:59:59Z");
        assert!(Timestamp::from_unix_seconds(0).is_none());
        assert_eq!(
            Timestamp::from_date(Date::new(1970, 1, 1).expect("date")).to_w3cdtf(),
            "1980-01-01T00:00:00Z"
        );
    }
}
