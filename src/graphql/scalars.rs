//! `DateTime`: an instant, always written as RFC 3339 in UTC with milliseconds and `Z`
//! (`2026-12-02T12:54:21.123Z`), the same width every time, so clients can sort and compare
//! the strings. Input accepts any RFC 3339 time with an offset.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime, SecondsFormat, Utc};

/// An instant in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub DateTime<Utc>);

impl From<DateTime<Utc>> for Timestamp {
    fn from(t: DateTime<Utc>) -> Self {
        Self(t)
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(t: Timestamp) -> Self {
        t.0
    }
}

impl std::ops::Deref for Timestamp {
    type Target = DateTime<Utc>;
    fn deref(&self) -> &DateTime<Utc> {
        &self.0
    }
}

/// The one output form.
pub fn format(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// An instant: RFC 3339 in UTC with millisecond precision and `Z`, e.g.
/// `2026-12-02T12:54:21.123Z`. Inputs may carry any offset.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339"
)]
impl ScalarType for Timestamp {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => DateTime::parse_from_rfc3339(s)
                .map(|t| Self(t.with_timezone(&Utc)))
                .map_err(|e| InputValueError::custom(format!("not an RFC 3339 time: {e}"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(format(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn every_instant_has_the_same_width() {
        let whole = Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap();
        assert_eq!(format(&whole), "2026-12-02T12:00:00.000Z");
        let fine = whole + chrono::Duration::nanoseconds(123_456_789);
        assert_eq!(format(&fine), "2026-12-02T12:00:00.123Z");
    }

    #[test]
    fn inputs_may_carry_an_offset() {
        let t = Timestamp::parse(Value::String("2026-12-02T14:00:00+02:00".into())).unwrap();
        assert_eq!(format(&t.0), "2026-12-02T12:00:00.000Z");
        assert!(Timestamp::parse(Value::String("yesterday".into())).is_err());
    }
}
