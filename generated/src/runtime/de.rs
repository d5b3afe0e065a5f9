//! The pieces generated `Serialize` and `Deserialize` impls are made of.
//!
//! The generator writes each model's impls itself rather than deriving them, so that a
//! struct keeps the keys it does not list in `extra` without `#[serde(flatten)]` (which
//! buffers every object before decoding it), and so that each field is read and written
//! in its own wire format. What those impls share is here: reading a field once,
//! requiring one, keeping an unknown key, reading keys and enum values without
//! allocating for the known ones, and the booleans the API writes as `0`/`1`.

use std::fmt;

use super::extra::{Extra, ExtraBuilder};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Error as _, Serializer};

/// Reads the value of a field into its slot; a key that appears twice is an error.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The value of a field that must be there.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn required<T, E: de::Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// Keeps the value of a key the model does not list.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn other<'de, A: MapAccess<'de>>(
    map: &mut A,
    extra: &mut ExtraBuilder,
    key: String,
) -> Result<(), A::Error> {
    let value = map.next_value()?;
    extra.insert(key, value);
    Ok(())
}

/// Reads a string that is one of a few known words, without allocating for those:
/// `known` maps a word to its value, `other` keeps anything else as sent. Object keys
/// and string enums are read with it.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn word<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    known: impl Fn(&str) -> Option<T>,
    other: impl Fn(String) -> T,
) -> Result<T, D::Error> {
    // Generic rather than function pointers, so that each model's key match is inlined
    // into its visitor: keys are read once per field of every object of a page.
    struct WordVisitor<K, O> {
        known: K,
        other: O,
    }

    impl<T, K: Fn(&str) -> Option<T>, O: Fn(String) -> T> Visitor<'_> for WordVisitor<K, O> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            Ok((self.known)(text).unwrap_or_else(|| (self.other)(text.to_owned())))
        }

        fn visit_string<E: de::Error>(self, text: String) -> Result<T, E> {
            Ok(match (self.known)(&text) {
                Some(value) => value,
                None => (self.other)(text),
            })
        }
    }

    deserializer.deserialize_str(WordVisitor { known, other })
}

/// Reads an integer code, as v2 writes it (`3`) or as v1 does (`"3"`).
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn code<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    from_code: fn(i64) -> T,
) -> Result<T, D::Error> {
    struct CodeVisitor<T>(fn(i64) -> T);

    impl<T> Visitor<'_> for CodeVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an integer code, or one written as a string")
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
            Ok((self.0)(value))
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
            i64::try_from(value)
                .map(self.0)
                .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(value), &self))
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            text.trim()
                .parse::<i64>()
                .map(self.0)
                .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &self))
        }
    }

    deserializer.deserialize_any(CodeVisitor(from_code))
}

/// Fails when `extra` holds a key the model lists: the typed field says what is sent,
/// and a second, untyped value for the same key would send it twice.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn no_listed_keys<S: Serializer>(
    extra: &Extra,
    listed: &[&str],
) -> Result<(), S::Error> {
    if extra.is_empty() {
        return Ok(());
    }
    match listed.iter().find(|key| extra.contains_key(key)) {
        Some(key) => Err(S::Error::custom(format!(
            "`extra` holds `{key}`, which is a field of its own: set the field instead"
        ))),
        None => Ok(()),
    }
}

/// A boolean the API writes as `true`/`false` in some places and `0`/`1` in others.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flag(bool);

impl Flag {
    /// The boolean.
    #[allow(
        dead_code,
        reason = "part of the contract with generated code, which uses what its spec needs"
    )]
    pub(crate) fn get(self) -> bool {
        self.0
    }
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FlagVisitor;

        impl Visitor<'_> for FlagVisitor {
            type Value = Flag;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean, 0 or 1")
            }

            fn visit_bool<E: de::Error>(self, value: bool) -> Result<Flag, E> {
                Ok(Flag(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Flag, E> {
                match value {
                    0 => Ok(Flag(false)),
                    1 => Ok(Flag(true)),
                    _ => Err(E::invalid_value(de::Unexpected::Unsigned(value), &self)),
                }
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Flag, E> {
                match u64::try_from(value) {
                    Ok(value) => self.visit_u64(value),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Signed(value), &self)),
                }
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Flag, E> {
                match value {
                    "0" | "false" => Ok(Flag(false)),
                    "1" | "true" => Ok(Flag(true)),
                    _ => Err(E::invalid_value(de::Unexpected::Str(value), &self)),
                }
            }
        }

        deserializer.deserialize_any(FlagVisitor)
    }
}

/// What every generated struct's `Deserialize` says it expects.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn expecting(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    write!(f, "an object `{name}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Probe(Option<bool>);

    impl<'de> Deserialize<'de> for Probe {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            Option::<Flag>::deserialize(deserializer).map(|flag| Probe(flag.map(Flag::get)))
        }
    }

    fn flag(json: &str) -> Result<Option<bool>, serde_json::Error> {
        serde_json::from_str::<Probe>(json).map(|probe| probe.0)
    }

    #[test]
    fn flags_accept_every_spelling_pipedrive_uses_and_nothing_else() {
        assert_eq!(flag("true").unwrap(), Some(true));
        assert_eq!(flag("0").unwrap(), Some(false));
        assert_eq!(flag("1").unwrap(), Some(true));
        assert_eq!(flag("\"1\"").unwrap(), Some(true));
        assert_eq!(flag("null").unwrap(), None);
        for bad in ["2", "\"yes\"", "-1", "1.0"] {
            assert!(flag(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_come_as_numbers_or_as_text() {
        let read = |json: &str| code(&mut serde_json::Deserializer::from_str(json), |n| n);
        assert_eq!(read("7").unwrap(), 7);
        assert_eq!(read("\"3\"").unwrap(), 3);
        assert!(read("\"three\"").is_err());
        assert!(read("18446744073709551615").is_err());
    }

    #[test]
    fn extra_may_not_repeat_a_listed_key() {
        let mut extra = Extra::new();
        assert!(no_listed_keys::<serde_json::value::Serializer>(&extra, &["name"]).is_ok());
        extra.insert("other", serde_json::Value::Null);
        assert!(no_listed_keys::<serde_json::value::Serializer>(&extra, &["name"]).is_ok());
        extra.insert("name", serde_json::Value::Null);
        let error = no_listed_keys::<serde_json::value::Serializer>(&extra, &["name"]).unwrap_err();
        assert!(error.to_string().contains("`name`"), "{error}");
    }
}
