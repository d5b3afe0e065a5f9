//! Booleans that the API writes as `true`/`false` in some places and `0`/`1` in others.
//!
//! Generated models use these through `#[serde(deserialize_with = ...)]` on fields
//! whose spec type is `flag`.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

struct Flag(bool);

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

/// Decodes a required flag.
#[allow(dead_code, reason = "part of the contract with generated code, which uses what its spec needs")]
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    Flag::deserialize(deserializer).map(|flag| flag.0)
}

/// Decodes an optional flag: absent or `null` is `None`.
#[allow(dead_code, reason = "part of the contract with generated code, which uses what its spec needs")]
pub(crate) fn deserialize_option<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Option::<Flag>::deserialize(deserializer).map(|flag| flag.map(|flag| flag.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "deserialize_option")]
        flag: Option<bool>,
    }

    fn decode(json: &str) -> Result<Option<bool>, serde_json::Error> {
        serde_json::from_str::<Probe>(json).map(|probe| probe.flag)
    }

    #[test]
    fn accepts_every_spelling_pipedrive_uses() {
        assert_eq!(decode(r#"{"flag": true}"#).unwrap(), Some(true));
        assert_eq!(decode(r#"{"flag": 0}"#).unwrap(), Some(false));
        assert_eq!(decode(r#"{"flag": 1}"#).unwrap(), Some(true));
        assert_eq!(decode(r#"{"flag": "1"}"#).unwrap(), Some(true));
        assert_eq!(decode(r#"{"flag": null}"#).unwrap(), None);
        assert_eq!(decode(r#"{}"#).unwrap(), None);
    }

    #[test]
    fn decodes_required_flags() {
        #[derive(serde::Deserialize)]
        struct Required {
            #[serde(deserialize_with = "deserialize")]
            flag: bool,
        }
        assert!(serde_json::from_str::<Required>(r#"{"flag": 1}"#).unwrap().flag);
        assert!(serde_json::from_str::<Required>(r#"{"flag": null}"#).is_err());
    }

    #[test]
    fn rejects_other_values() {
        assert!(decode(r#"{"flag": 2}"#).is_err());
        assert!(decode(r#"{"flag": "yes"}"#).is_err());
        assert!(decode(r#"{"flag": -1}"#).is_err());
    }
}
