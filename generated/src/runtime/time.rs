//! Times and dates as the API writes them, typed with [`jiff`].
//!
//! v2 writes timestamps in RFC 3339 (`2025-01-01T10:20:00Z`), v1 as
//! `YYYY-MM-DD HH:MM:SS` in UTC, and dates as `YYYY-MM-DD`. A response field holds a
//! [`Lenient`] value: the parsed time when the text parses, else the text as sent, so
//! one malformed value (or Pipedrive's zero date `0000-00-00 00:00:00`) never fails a
//! page of 500 items. Query parameters take plain `jiff` values.

use std::fmt;

use jiff::Timestamp as JiffTimestamp;
use jiff::civil::Date as JiffDate;
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// A value the API sent as text in a known format: [`Valid`](Self::Valid) when the text
/// parses, else [`Invalid`](Self::Invalid) with the text as it came.
///
/// ```
/// use pipedrive::Timestamp;
///
/// let sent: Timestamp = serde_json::from_str("\"2025-01-01T10:20:00Z\"").unwrap();
/// assert_eq!(sent.get().map(|t| t.as_second()), Some(1_735_726_800));
///
/// let zero: Timestamp = serde_json::from_str("\"0000-00-00 00:00:00\"").unwrap();
/// assert_eq!(zero.get(), None);
/// assert_eq!(zero.raw(), Some("0000-00-00 00:00:00"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lenient<T> {
    /// The text parsed.
    Valid(T),
    /// The text did not parse; here it is as the API sent it.
    Invalid(String),
}

/// A point in time the API sent (RFC 3339 in v2, `YYYY-MM-DD HH:MM:SS` UTC in v1).
///
/// ```
/// use pipedrive::{FromJson, Timestamp};
/// use pipedrive::organizations::Organization;
///
/// let organization = Organization::from_json(br#"{"id": 1, "update_time": "2025-01-01 10:20:00"}"#)?;
/// match organization.update_time {
///     Some(Timestamp::Valid(at)) => assert_eq!(at.to_string(), "2025-01-01T10:20:00Z"),
///     Some(Timestamp::Invalid(sent)) => println!("not a time, kept as sent: {sent}"),
///     None => println!("never updated"),
/// }
/// # Ok::<(), pipedrive::JsonError>(())
/// ```
pub type Timestamp = Lenient<JiffTimestamp>;

/// A calendar date the API sent (`YYYY-MM-DD`).
///
/// ```
/// use pipedrive::jiff::civil::date;
/// use pipedrive::{Date, FromJson};
/// use pipedrive::organizations::OrganizationDeal;
///
/// let deal = OrganizationDeal::from_json(br#"{"id": 3, "expected_close_date": "2026-03-31"}"#)?;
/// assert_eq!(deal.expected_close_date.as_ref().and_then(Date::get), Some(date(2026, 3, 31)));
/// // Setters take a `jiff` date.
/// let deal = OrganizationDeal::new(4).expected_close_date(date(2026, 6, 30));
/// # let _ = deal;
/// # Ok::<(), pipedrive::JsonError>(())
/// ```
pub type Date = Lenient<JiffDate>;

impl<T> Lenient<T> {
    /// The parsed value, unless the text did not parse.
    pub fn valid(&self) -> Option<&T> {
        match self {
            Self::Valid(value) => Some(value),
            Self::Invalid(_) => None,
        }
    }

    /// The parsed value, unless the text did not parse.
    pub fn into_valid(self) -> Option<T> {
        match self {
            Self::Valid(value) => Some(value),
            Self::Invalid(_) => None,
        }
    }

    /// The text as sent, when it did not parse.
    pub fn raw(&self) -> Option<&str> {
        match self {
            Self::Valid(_) => None,
            Self::Invalid(text) => Some(text),
        }
    }

    /// Whether the text parsed.
    pub fn is_valid(&self) -> bool {
        matches!(self, Self::Valid(_))
    }
}

impl<T: Copy> Lenient<T> {
    /// The parsed value, copied, unless the text did not parse.
    pub fn get(&self) -> Option<T> {
        self.valid().copied()
    }
}

impl<T> From<T> for Lenient<T> {
    fn from(value: T) -> Self {
        Self::Valid(value)
    }
}

impl<T: fmt::Display> fmt::Display for Lenient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Valid(value) => value.fmt(f),
            Self::Invalid(text) => f.write_str(text),
        }
    }
}

/// Parses what the API writes for a point in time: RFC 3339, or v1's
/// `YYYY-MM-DD HH:MM:SS`, which is UTC.
pub(crate) fn parse_timestamp(text: &str) -> Option<JiffTimestamp> {
    if let Ok(timestamp) = text.parse::<JiffTimestamp>() {
        return Some(timestamp);
    }
    let datetime = jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", text).ok()?;
    jiff::tz::Offset::UTC.to_timestamp(datetime).ok()
}

/// A timestamp as v1 writes it: `YYYY-MM-DD HH:MM:SS` in UTC.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn v1_datetime(timestamp: JiffTimestamp) -> String {
    timestamp.strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// Types that [`Lenient`] can hold: they parse from the API's text.
pub(crate) trait FromWire: Sized {
    fn from_wire(text: &str) -> Option<Self>;
}

impl FromWire for JiffTimestamp {
    fn from_wire(text: &str) -> Option<Self> {
        parse_timestamp(text)
    }
}

impl FromWire for JiffDate {
    fn from_wire(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

impl<'de, T: FromWire> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LenientVisitor<T>(std::marker::PhantomData<T>);

        impl<T: FromWire> Visitor<'_> for LenientVisitor<T> {
            type Value = Lenient<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date or time as text")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Lenient<T>, E> {
                Ok(match T::from_wire(text) {
                    Some(value) => Lenient::Valid(value),
                    None => Lenient::Invalid(text.to_owned()),
                })
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Lenient<T>, E> {
                Ok(match T::from_wire(&text) {
                    Some(value) => Lenient::Valid(value),
                    None => Lenient::Invalid(text),
                })
            }
        }

        deserializer.deserialize_str(LenientVisitor(std::marker::PhantomData))
    }
}

/// How a timestamp field is written on the wire.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
#[derive(Debug, Clone, Copy)]
pub(crate) enum TimeFormat {
    /// `2025-01-01T10:20:00Z`.
    Rfc3339,
    /// `2025-01-01 10:20:00`, UTC.
    V1,
}

/// A timestamp field as its format writes it; an invalid one as it was sent.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) struct WireTimestamp<'a>(pub &'a Timestamp, pub TimeFormat);

impl Serialize for WireTimestamp<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.0, self.1) {
            (Lenient::Valid(timestamp), TimeFormat::Rfc3339) => serializer.collect_str(timestamp),
            (Lenient::Valid(timestamp), TimeFormat::V1) => {
                serializer.serialize_str(&v1_datetime(*timestamp))
            }
            (Lenient::Invalid(text), _) => serializer.serialize_str(text),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Valid(date) => serializer.collect_str(date),
            Self::Invalid(text) => serializer.serialize_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(json: &str) -> Timestamp {
        serde_json::from_str(json).expect("decodes")
    }

    #[test]
    fn parses_both_formats_and_keeps_what_does_not_parse() {
        let v2 = decode("\"2021-01-01T10:20:30Z\"");
        let v1 = decode("\"2021-01-01 10:20:30\"");
        assert!(v2.is_valid());
        assert_eq!(v1, v2, "v1's format is UTC");
        assert_eq!(decode("\"2021-01-01T12:20:30+02:00\""), v2);
        for bad in [
            "0000-00-00 00:00:00",
            "yesterday",
            "",
            "2021-13-01 00:00:00",
        ] {
            let value = decode(&format!("{bad:?}"));
            assert_eq!(value.raw(), Some(bad));
            assert_eq!(value.get(), None);
        }
        assert!(
            serde_json::from_str::<Timestamp>("17").is_err(),
            "a number is not a time"
        );
    }

    #[test]
    fn writes_each_format() {
        let value = decode("\"2021-01-01T10:20:30Z\"");
        let write =
            |format| serde_json::to_string(&WireTimestamp(&value, format)).expect("encodes");
        assert_eq!(write(TimeFormat::Rfc3339), "\"2021-01-01T10:20:30Z\"");
        assert_eq!(write(TimeFormat::V1), "\"2021-01-01 10:20:30\"");
        let invalid = decode("\"0000-00-00 00:00:00\"");
        assert_eq!(
            serde_json::to_string(&WireTimestamp(&invalid, TimeFormat::Rfc3339)).expect("encodes"),
            "\"0000-00-00 00:00:00\""
        );
        let date: Date = serde_json::from_str("\"2024-02-29\"").expect("decodes");
        assert_eq!(date.get(), Some(jiff::civil::date(2024, 2, 29)));
        assert_eq!(
            serde_json::to_string(&date).expect("encodes"),
            "\"2024-02-29\""
        );
    }

    #[test]
    fn the_accessors_and_display_tell_valid_from_invalid() {
        let valid = decode("\"2021-01-01T10:20:30Z\"");
        let invalid = decode("\"0000-00-00 00:00:00\"");
        assert!(!invalid.is_valid());
        assert_eq!(valid.to_string(), "2021-01-01T10:20:30Z");
        assert_eq!(invalid.to_string(), "0000-00-00 00:00:00");
        assert_eq!(valid.clone().into_valid(), valid.get());
        assert!(valid.into_valid().is_some());
        assert_eq!(invalid.into_valid(), None);
        let error = serde_json::from_str::<Timestamp>("17").unwrap_err();
        assert!(
            error.to_string().contains("a date or time as text"),
            "{error}"
        );
    }
}
