//! How values travel as JSON: [`Decode`] and [`Encode`], their impls for the types
//! models are made of, the pieces each generated model's impls call, and the bridges
//! that give every model its public `serde` impls.
//!
//! A generated model implements `Decode` and `Encode` with one ordinary function each
//! (no generic parameters), built from [`object`], [`field`] and [`required`] and from
//! [`ObjectWriter`]'s methods; the reader and writer do the rest. The crate decodes
//! responses and encodes bodies through these alone.
//!
//! Its `Serialize` and `Deserialize` impls, for callers who store or send models with
//! serde, go through JSON: [`serialize`] encodes the model and hands the value to the
//! serializer, [`deserialize`] takes a `serde_json::Value` from the deserializer and
//! decodes that. They cost a second pass, which is why the crate itself never uses them.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize as _, Serialize as _};
use serde_json::Value;

use super::extra::{Extra, ExtraBuilder};
use super::json::{Failure, FailureKind, Kind, Read, Reader};
use super::nullable::Nullable;
use super::time::{FromWire, Lenient, TimeFormat, v1_datetime};
use super::write::{ObjectWriter, Writer, Written};

/// The most list entries and object members one document may hold, unless the client
/// is configured otherwise: a page of 500 items with 500 values each.
pub(crate) const DEFAULT_MAX_ENTRIES: u64 = 250_000;

/// A value read from JSON.
pub(crate) trait Decode: Sized {
    /// Reads one value.
    fn decode(reader: &mut Reader<'_>) -> Read<Self>;
}

/// A value written as JSON.
pub(crate) trait Encode {
    /// Writes one value.
    fn encode(&self, writer: &mut Writer) -> Written;
}

/// Decodes a whole document, which must hold one value and nothing after it.
pub(crate) fn decode_document<T: Decode>(bytes: &[u8], max_entries: u64) -> Read<T> {
    let mut reader = Reader::new(bytes, max_entries);
    let value = T::decode(&mut reader)?;
    reader.end()?;
    Ok(value)
}

/// Encodes a value as a document.
pub(crate) fn encode_document<T: Encode + ?Sized>(value: &T) -> Result<Vec<u8>, Box<Failure>> {
    let mut writer = Writer::new();
    value.encode(&mut writer)?;
    Ok(writer.into_bytes())
}

// ---------------------------------------------------------------------- public

/// A value of this crate read from JSON bytes as the client reads a response: in one
/// pass, scalars read leniently where the API is loose about them, unknown keys kept,
/// and at most 250,000 list entries and object members in all.
///
/// Every model, enum, id and list of them implements it. Use it for bodies that do not
/// come through a call, such as the `data` of a webhook delivery. (The models'
/// `serde::Deserialize` impls read the same way, but through a `serde_json::Value`
/// first.)
///
/// ```
/// use pipedrive::FromJson;
/// use pipedrive::organizations::Organization;
///
/// let organization = Organization::from_json(br#"{"id": 7, "name": "Acme", "tier": "gold"}"#)?;
/// assert_eq!(organization.id.get(), 7);
/// assert_eq!(organization.extra.get("tier"), Some(&"gold".into()));
/// # Ok::<(), pipedrive::JsonError>(())
/// ```
pub trait FromJson: Sized {
    /// Reads one value, which must be all the text holds.
    fn from_json(json: &[u8]) -> Result<Self, JsonError>;
}

impl<T: Decode> FromJson for T {
    fn from_json(json: &[u8]) -> Result<Self, JsonError> {
        decode_document(json, DEFAULT_MAX_ENTRIES).map_err(|failure| JsonError::from(*failure))
    }
}

/// A value of this crate written as JSON, as the client writes a request body: compact,
/// fields in the order the API lists them, then `extra`.
///
/// ```
/// use pipedrive::ToJson;
/// use pipedrive::organizations::NewOrganization;
///
/// let json = NewOrganization::new("Acme").to_json()?;
/// assert_eq!(json, br#"{"name":"Acme"}"#);
/// # Ok::<(), pipedrive::JsonError>(())
/// ```
pub trait ToJson {
    /// The value's JSON. It fails only for a value the API would not accept, such as
    /// an `extra` that repeats a field of the model.
    fn to_json(&self) -> Result<Vec<u8>, JsonError>;
}

impl<T: Encode + ?Sized> ToJson for T {
    fn to_json(&self) -> Result<Vec<u8>, JsonError> {
        encode_document(self).map_err(|failure| JsonError::from(*failure))
    }
}

/// Why [`FromJson`] or [`ToJson`] failed, and where.
///
/// ```
/// use pipedrive::FromJson;
/// use pipedrive::organizations::Organization;
///
/// // A webhook delivery whose `owner_id` is not an ID.
/// let error = Organization::from_json(br#"{"id": 7, "owner_id": {"id": 5}}"#).unwrap_err();
/// assert_eq!(error.path, "owner_id");
/// eprintln!("the delivery does not decode {error}"); // at `owner_id`: …
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct JsonError {
    /// The path to the value that failed, for example `owner.id`; `.` for the whole.
    pub path: String,
    /// What was wrong with it.
    pub message: String,
}

impl From<Failure> for JsonError {
    fn from(failure: Failure) -> Self {
        Self {
            path: failure.path(),
            message: failure.message().to_owned(),
        }
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for JsonError {}

// ---------------------------------------------------------------------- models

/// Reads an object member by member: `member` reads the fields the model lists and
/// returns `false` for any other key, whose value is kept in the returned [`Extra`].
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
#[inline]
pub(crate) fn object<'a>(
    reader: &mut Reader<'a>,
    member: impl FnMut(&mut Reader<'a>, &str) -> Read<bool>,
) -> Read<Extra> {
    let mut extra = ExtraBuilder::default();
    reader.object(member, |reader, key| {
        let value = reader.value()?;
        extra.insert(key.into_owned(), value);
        Ok(())
    })?;
    Ok(extra.finish())
}

/// Reads a field's value into its slot; a key sent twice is a failure. Returns `true`,
/// as an [`object`] member that read its value does.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
#[inline]
pub(crate) fn field<T: Decode>(reader: &mut Reader<'_>, slot: &mut Option<T>) -> Read<bool> {
    if slot.is_some() {
        return Err(Failure::new(
            FailureKind::Duplicate,
            "the key appears twice in the object",
        ));
    }
    *slot = Some(T::decode(reader)?);
    Ok(true)
}

/// Reads text that is one of a few known words, without allocating for those: `known`
/// maps a word to its value, `other` keeps anything else as sent. String enums are read
/// with it.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
#[inline]
pub(crate) fn word<T>(
    reader: &mut Reader<'_>,
    known: fn(&str) -> Option<T>,
    other: fn(String) -> T,
) -> Read<T> {
    let text = reader.str()?;
    Ok(match known(&text) {
        Some(value) => value,
        None => other(text.into_owned()),
    })
}

/// The value of a field that must be there.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
#[inline]
pub(crate) fn required<T>(slot: Option<T>, name: &str) -> Read<T> {
    slot.ok_or_else(|| Failure::missing(name))
}

impl ObjectWriter<'_> {
    /// Writes a field that is always there.
    #[allow(
        dead_code,
        reason = "part of the contract with generated code, which uses what its spec needs"
    )]
    pub(crate) fn field<T: Encode + ?Sized>(&mut self, key: &'static str, value: &T) -> Written {
        value.encode(self.key(key))
    }

    /// Writes a field when it is set.
    #[allow(
        dead_code,
        reason = "part of the contract with generated code, which uses what its spec needs"
    )]
    pub(crate) fn option<T: Encode>(&mut self, key: &'static str, value: &Option<T>) -> Written {
        match value {
            Some(value) => value.encode(self.key(key)),
            None => {
                self.list_key(key);
                Ok(())
            }
        }
    }

    /// Writes a field that can be left out (absent), cleared (null) or set.
    #[allow(
        dead_code,
        reason = "part of the contract with generated code, which uses what its spec needs"
    )]
    pub(crate) fn nullable<T: Encode>(
        &mut self,
        key: &'static str,
        value: &Nullable<T>,
    ) -> Written {
        match value {
            Nullable::Absent => {
                self.list_key(key);
                Ok(())
            }
            Nullable::Null => {
                self.key(key).null();
                Ok(())
            }
            Nullable::Value(value) => value.encode(self.key(key)),
        }
    }

    /// Writes a timestamp field in its format.
    #[allow(
        dead_code,
        reason = "part of the contract with generated code, which uses what its spec needs"
    )]
    pub(crate) fn time(
        &mut self,
        key: &'static str,
        value: &Lenient<jiff::Timestamp>,
        format: TimeFormat,
    ) -> Written {
        write_time(self.key(key), value, format);
        Ok(())
    }

    /// Writes a timestamp field in its format, when it is set.
    #[allow(
        dead_code,
        reason = "part of the contract with generated code, which uses what its spec needs"
    )]
    pub(crate) fn option_time(
        &mut self,
        key: &'static str,
        value: &Option<Lenient<jiff::Timestamp>>,
        format: TimeFormat,
    ) -> Written {
        match value {
            Some(value) => self.time(key, value, format),
            None => {
                self.list_key(key);
                Ok(())
            }
        }
    }

    /// Writes a timestamp field that can be left out, cleared or set.
    #[allow(
        dead_code,
        reason = "part of the contract with generated code, which uses what its spec needs"
    )]
    pub(crate) fn nullable_time(
        &mut self,
        key: &'static str,
        value: &Nullable<Lenient<jiff::Timestamp>>,
        format: TimeFormat,
    ) -> Written {
        match value {
            Nullable::Absent => {
                self.list_key(key);
                Ok(())
            }
            Nullable::Null => {
                self.key(key).null();
                Ok(())
            }
            Nullable::Value(value) => self.time(key, value, format),
        }
    }
}

fn write_time(writer: &mut Writer, value: &Lenient<jiff::Timestamp>, format: TimeFormat) {
    match (value, format) {
        (Lenient::Valid(timestamp), TimeFormat::Rfc3339) => writer.str(&timestamp.to_string()),
        (Lenient::Valid(timestamp), TimeFormat::V1) => writer.str(&v1_datetime(*timestamp)),
        (Lenient::Invalid(text), _) => writer.str(text),
    }
}

/// A value whose bounds a request body checks before it is sent: a number against its
/// `minimum` and `maximum`, a list against its `max_items`; what is left out or null is
/// not checked.
pub(crate) trait Limited {
    /// Why the value is outside the bounds, if it is.
    fn outside(
        &self,
        minimum: Option<i64>,
        maximum: Option<i64>,
        max_items: Option<u32>,
    ) -> Option<String>;
}

impl Limited for i64 {
    fn outside(
        &self,
        minimum: Option<i64>,
        maximum: Option<i64>,
        _: Option<u32>,
    ) -> Option<String> {
        match (minimum, maximum) {
            (Some(min), _) if *self < min => Some(format!("{self} is below the minimum {min}")),
            (_, Some(max)) if *self > max => Some(format!("{self} is above the maximum {max}")),
            _ => None,
        }
    }
}

impl Limited for f64 {
    fn outside(
        &self,
        minimum: Option<i64>,
        maximum: Option<i64>,
        _: Option<u32>,
    ) -> Option<String> {
        // The bounds are integers the spec wrote; every one of them a float can hold
        // closely enough for a bound.
        match (minimum, maximum) {
            (Some(min), _) if *self < min as f64 => {
                Some(format!("{self} is below the minimum {min}"))
            }
            (_, Some(max)) if *self > max as f64 => {
                Some(format!("{self} is above the maximum {max}"))
            }
            _ if !self.is_finite() => Some(format!("{self} is not a number the API accepts")),
            _ => None,
        }
    }
}

impl<T> Limited for Vec<T> {
    fn outside(&self, _: Option<i64>, _: Option<i64>, max_items: Option<u32>) -> Option<String> {
        let max = usize::try_from(max_items?).unwrap_or(usize::MAX);
        (self.len() > max).then(|| {
            format!(
                "{} items are more than the {max} the API accepts",
                self.len()
            )
        })
    }
}

impl<T: Limited> Limited for Option<T> {
    fn outside(
        &self,
        minimum: Option<i64>,
        maximum: Option<i64>,
        max_items: Option<u32>,
    ) -> Option<String> {
        self.as_ref()?.outside(minimum, maximum, max_items)
    }
}

impl<T: Limited> Limited for Nullable<T> {
    fn outside(
        &self,
        minimum: Option<i64>,
        maximum: Option<i64>,
        max_items: Option<u32>,
    ) -> Option<String> {
        self.value()?.outside(minimum, maximum, max_items)
    }
}

/// Checks a request body's field against its bounds before it is written.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn limits<T: Limited>(
    key: &'static str,
    value: &T,
    minimum: Option<i64>,
    maximum: Option<i64>,
    max_items: Option<u32>,
) -> Written {
    match value.outside(minimum, maximum, max_items) {
        Some(reason) => Err(Failure::new(FailureKind::Invalid, reason).in_key(key)),
        None => Ok(()),
    }
}

/// A member type of a scalar union.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnionMember {
    Integer,
    Number,
    String,
    Boolean,
}

/// A scalar union's value as read: one of the members it was asked for.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    Integer(i64),
    Number(f64),
    String(String),
    Boolean(bool),
}

impl Scalar {
    /// The failure for a value of a type the union does not have; [`union`] never
    /// returns one, but a union's `Decode` must say what it would be.
    #[allow(
        dead_code,
        reason = "part of the contract with generated code, which uses what its spec needs"
    )]
    pub(crate) fn unexpected(self) -> Box<Failure> {
        Failure::new(
            FailureKind::Type,
            format!("{self:?} is none of the union's types"),
        )
    }
}

/// Reads a scalar union's value by the kind of JSON value that comes: a number is an
/// integer when the union has one and it has no fraction, else a number, else text as
/// written; text is text when the union has it, else the number or boolean it spells;
/// a boolean is a boolean when the union has one, else text.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn union(reader: &mut Reader<'_>, members: &[UnionMember]) -> Read<Scalar> {
    use UnionMember::{Boolean, Integer, Number, String};
    let kind = reader.peek()?;
    let start = reader.position();
    let depth = reader.depth();
    let order: &[UnionMember] = match kind {
        Kind::Number => &[Integer, Number, String],
        Kind::String => &[String, Integer, Number, Boolean],
        Kind::Bool => &[Boolean, String],
        Kind::Null | Kind::Array | Kind::Object => &[],
    };
    for member in order.iter().filter(|member| members.contains(member)) {
        reader.rewind(start, depth);
        let read = match (member, kind) {
            (Integer, _) => reader.integer().map(Scalar::Integer),
            (Number, _) => reader.number().map(Scalar::Number),
            (String, Kind::Bool) => reader
                .boolean()
                .map(|value| Scalar::String(value.to_string())),
            (String, _) => reader.string().map(Scalar::String),
            (Boolean, _) => reader.boolean().map(Scalar::Boolean),
        };
        match read {
            Ok(value) => return Ok(value),
            // Text that does not spell a number is tried as the next member.
            Err(failure) if failure.is_local() => {}
            Err(failure) => return Err(failure),
        }
    }
    reader.rewind(start, depth);
    let names: Vec<&str> = members
        .iter()
        .map(|member| match member {
            Integer => "an integer",
            Number => "a number",
            String => "text",
            Boolean => "a boolean",
        })
        .collect();
    Err(Failure::new(
        FailureKind::Type,
        format!("expected {}, found {}", names.join(" or "), kind.name()),
    ))
}

// ---------------------------------------------------------------------- serde

/// `Serialize` for a model: its JSON, handed to `serializer` with its keys in order.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn serialize<T: Encode + ?Sized, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let json = encode_document(value).map_err(S::Error::custom)?;
    let value: Ordered = serde_json::from_slice(&json).map_err(S::Error::custom)?;
    value.serialize(serializer)
}

/// `Deserialize` for a model: the value `deserializer` holds, written as JSON with its
/// keys in order, and decoded.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn deserialize<'de, T: Decode, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let value = Ordered::deserialize(deserializer)?;
    let mut writer = Writer::new();
    value.write(&mut writer);
    decode_document(&writer.into_bytes(), u64::MAX).map_err(D::Error::custom)
}

/// A JSON value whose objects keep their keys in the order they came, which a
/// `serde_json::Value` does not: what the serde bridges carry a model through, so that
/// `extra` keeps its order both ways.
enum Ordered {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Ordered>),
    Object(Vec<(String, Ordered)>),
}

impl Ordered {
    fn write(&self, writer: &mut Writer) {
        match self {
            Self::Null => writer.null(),
            Self::Bool(value) => writer.bool(*value),
            Self::Number(number) => writer.value(&Value::Number(number.clone())),
            Self::String(text) => writer.str(text),
            Self::Array(items) => {
                let mut list = writer.list();
                for item in items {
                    item.write(list.item());
                }
                list.end();
            }
            Self::Object(members) => {
                let empty = Extra::new();
                let mut object = writer.object(&empty);
                for (key, value) in members {
                    value.write(object.dynamic_key(key));
                }
                // An object with no `extra` has nothing to refuse.
                let _ = object.end();
            }
        }
    }
}

impl serde::Serialize for Ordered {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap as _, SerializeSeq as _};
        match self {
            Self::Null => serializer.serialize_unit(),
            Self::Bool(value) => serializer.serialize_bool(*value),
            Self::Number(number) => number.serialize(serializer),
            Self::String(text) => serializer.serialize_str(text),
            Self::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Self::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (key, value) in members {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Ordered;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_unit<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Null)
            }

            fn visit_none<E>(self) -> Result<Ordered, E> {
                Ok(Ordered::Null)
            }

            fn visit_some<D: serde::Deserializer<'de>>(
                self,
                inner: D,
            ) -> Result<Ordered, D::Error> {
                Ordered::deserialize(inner)
            }

            fn visit_bool<E>(self, value: bool) -> Result<Ordered, E> {
                Ok(Ordered::Bool(value))
            }

            fn visit_i64<E>(self, value: i64) -> Result<Ordered, E> {
                Ok(Ordered::Number(value.into()))
            }

            fn visit_u64<E>(self, value: u64) -> Result<Ordered, E> {
                Ok(Ordered::Number(value.into()))
            }

            fn visit_f64<E>(self, value: f64) -> Result<Ordered, E> {
                Ok(serde_json::Number::from_f64(value).map_or(Ordered::Null, Ordered::Number))
            }

            fn visit_str<E>(self, value: &str) -> Result<Ordered, E> {
                Ok(Ordered::String(value.to_owned()))
            }

            fn visit_string<E>(self, value: String) -> Result<Ordered, E> {
                Ok(Ordered::String(value))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Ordered, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Ordered::Array(items))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Ordered, A::Error> {
                let mut members = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    members.push(entry);
                }
                Ok(Ordered::Object(members))
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

// ---------------------------------------------------------------------- decode

impl Decode for i64 {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        reader.integer()
    }
}

impl Decode for f64 {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        reader.number()
    }
}

impl Decode for bool {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        reader.boolean()
    }
}

impl Decode for String {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        reader.string()
    }
}

impl Decode for Value {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        reader.value()
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        if reader.null()? {
            Ok(None)
        } else {
            T::decode(reader).map(Some)
        }
    }
}

/// Null clears the field; anything else is its value. A field left out of the body
/// stays `Absent`, which is its slot's default.
impl<T: Decode> Decode for Nullable<T> {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        if reader.null()? {
            Ok(Nullable::Null)
        } else {
            T::decode(reader).map(Nullable::Value)
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        let mut items = Vec::new();
        reader.list(|reader, _| {
            items.push(T::decode(reader)?);
            Ok(())
        })?;
        Ok(items)
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        let mut map = BTreeMap::new();
        reader.object(
            |_, _| Ok(false),
            |reader, key| {
                let value = T::decode(reader)?;
                map.insert(key.into_owned(), value);
                Ok(())
            },
        )?;
        Ok(map)
    }
}

/// A time is read from text, kept as sent when it does not parse; a number is not a
/// time.
impl<T: FromWire> Decode for Lenient<T> {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        let text = reader.strict_str()?;
        Ok(match T::from_wire(&text) {
            Some(value) => Lenient::Valid(value),
            None => Lenient::Invalid(text.into_owned()),
        })
    }
}

// ---------------------------------------------------------------------- encode

impl Encode for i64 {
    fn encode(&self, writer: &mut Writer) -> Written {
        writer.integer(*self);
        Ok(())
    }
}

impl Encode for f64 {
    fn encode(&self, writer: &mut Writer) -> Written {
        writer.number(*self);
        Ok(())
    }
}

impl Encode for bool {
    fn encode(&self, writer: &mut Writer) -> Written {
        writer.bool(*self);
        Ok(())
    }
}

impl Encode for String {
    fn encode(&self, writer: &mut Writer) -> Written {
        writer.str(self);
        Ok(())
    }
}

impl Encode for str {
    fn encode(&self, writer: &mut Writer) -> Written {
        writer.str(self);
        Ok(())
    }
}

impl Encode for Value {
    fn encode(&self, writer: &mut Writer) -> Written {
        writer.value(self);
        Ok(())
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self, writer: &mut Writer) -> Written {
        match self {
            Some(value) => value.encode(writer),
            None => {
                writer.null();
                Ok(())
            }
        }
    }
}

impl<T: Encode> Encode for [T] {
    fn encode(&self, writer: &mut Writer) -> Written {
        let mut list = writer.list();
        for (index, item) in self.iter().enumerate() {
            item.encode(list.item())
                .map_err(|failure| failure.in_index(index))?;
        }
        list.end();
        Ok(())
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, writer: &mut Writer) -> Written {
        self.as_slice().encode(writer)
    }
}

impl<T: Encode> Encode for BTreeMap<String, T> {
    fn encode(&self, writer: &mut Writer) -> Written {
        let empty = Extra::new();
        let mut object = writer.object(&empty);
        for (key, value) in self {
            value
                .encode(object.dynamic_key(key))
                .map_err(|failure| failure.in_key(key))?;
        }
        object.end()
    }
}

/// A date is written as `YYYY-MM-DD`; one that did not parse as it was sent.
impl Encode for Lenient<jiff::civil::Date> {
    fn encode(&self, writer: &mut Writer) -> Written {
        match self {
            Lenient::Valid(date) => writer.str(&date.to_string()),
            Lenient::Invalid(text) => writer.str(text),
        }
        Ok(())
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode(&self, writer: &mut Writer) -> Written {
        (**self).encode(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode<T: Decode>(json: &str) -> Read<T> {
        decode_document(json.as_bytes(), u64::MAX)
    }

    fn encode<T: Encode + ?Sized>(value: &T) -> String {
        String::from_utf8(encode_document(value).unwrap()).unwrap()
    }

    #[test]
    fn containers_read_what_they_hold() {
        assert_eq!(decode::<Option<i64>>("null").unwrap(), None);
        assert_eq!(decode::<Option<i64>>("\"4\"").unwrap(), Some(4));
        assert_eq!(decode::<Vec<i64>>("[1, \"2\", 3.0]").unwrap(), [1, 2, 3]);
        assert_eq!(
            decode::<BTreeMap<String, bool>>(r#"{"a": 1, "b": false}"#).unwrap(),
            BTreeMap::from([("a".to_owned(), true), ("b".to_owned(), false)])
        );
        assert_eq!(decode::<Nullable<i64>>("null").unwrap(), Nullable::Null);
        assert_eq!(decode::<Nullable<i64>>("5").unwrap(), Nullable::Value(5));
        let failure = decode::<Vec<i64>>("[1, {}, 3]").unwrap_err();
        assert_eq!(failure.path(), "[1]");
    }

    #[test]
    fn times_keep_what_does_not_parse_and_refuse_what_is_not_text() {
        let time = decode::<Lenient<jiff::Timestamp>>("\"2021-01-01 10:20:30\"").unwrap();
        assert_eq!(time.get().map(|t| t.as_second()), Some(1_609_496_430));
        let zero = decode::<Lenient<jiff::Timestamp>>("\"0000-00-00 00:00:00\"").unwrap();
        assert_eq!(zero.raw(), Some("0000-00-00 00:00:00"));
        assert!(decode::<Lenient<jiff::Timestamp>>("17").is_err());
        let date = decode::<Lenient<jiff::civil::Date>>("\"2024-02-29\"").unwrap();
        assert_eq!(encode(&date), "\"2024-02-29\"");
    }

    #[test]
    fn times_are_written_in_their_field_format() {
        let time = Lenient::Valid("2021-01-01T10:20:30Z".parse::<jiff::Timestamp>().unwrap());
        let invalid = Lenient::Invalid("0000-00-00 00:00:00".to_owned());
        let empty = Extra::new();
        let mut writer = Writer::new();
        let mut object = writer.object(&empty);
        object.time("a", &time, TimeFormat::Rfc3339).unwrap();
        object
            .option_time("b", &Some(time.clone()), TimeFormat::V1)
            .unwrap();
        object.option_time("c", &None, TimeFormat::V1).unwrap();
        object
            .nullable_time("d", &Nullable::Null, TimeFormat::V1)
            .unwrap();
        object
            .nullable_time("e", &Nullable::Value(invalid), TimeFormat::V1)
            .unwrap();
        object.end().unwrap();
        assert_eq!(
            String::from_utf8(writer.into_bytes()).unwrap(),
            r#"{"a":"2021-01-01T10:20:30Z","b":"2021-01-01 10:20:30","d":null,"e":"0000-00-00 00:00:00"}"#
        );
    }

    #[test]
    fn encoding_writes_what_serde_json_writes() {
        assert_eq!(encode(&vec![1i64, 2]), "[1,2]");
        assert_eq!(encode(&Some("x".to_owned())), "\"x\"");
        assert_eq!(encode(&None::<i64>), "null");
        let map = BTreeMap::from([("b".to_owned(), json!([1])), ("a".to_owned(), json!(null))]);
        assert_eq!(encode(&map), serde_json::to_string(&map).unwrap());
    }

    #[test]
    fn unions_read_each_member_by_the_kind_of_value_that_comes() {
        use UnionMember::*;
        let read = |json: &str, members: &[UnionMember]| {
            let mut reader = Reader::new(json.as_bytes(), u64::MAX);
            union(&mut reader, members)
        };
        assert_eq!(read("5", &[Integer, String]).unwrap(), Scalar::Integer(5));
        assert_eq!(
            read("\"x\"", &[Integer, String]).unwrap(),
            Scalar::String("x".into())
        );
        assert_eq!(
            read("\"5\"", &[Integer, String]).unwrap(),
            Scalar::String("5".into())
        );
        assert_eq!(
            read("\"5\"", &[Integer, Boolean]).unwrap(),
            Scalar::Integer(5)
        );
        assert_eq!(
            read("5.5", &[Integer, String]).unwrap(),
            Scalar::String("5.5".into())
        );
        assert_eq!(
            read("5.5", &[Integer, Number]).unwrap(),
            Scalar::Number(5.5)
        );
        assert_eq!(
            read("true", &[Integer, String]).unwrap(),
            Scalar::String("true".into())
        );
        assert_eq!(
            read("true", &[Boolean, Integer]).unwrap(),
            Scalar::Boolean(true)
        );
        for bad in ["{}", "[]", "null", "true"] {
            let failure = read(bad, &[Integer, Number]).unwrap_err();
            assert_eq!(failure.kind(), FailureKind::Type, "{bad}");
            assert!(
                failure.message().contains("an integer or a number"),
                "{bad}: {failure}"
            );
        }
        assert_eq!(Scalar::Boolean(true).unexpected().kind(), FailureKind::Type);
    }

    #[test]
    fn bounds_are_checked_on_what_is_sent() {
        assert!(limits("n", &5i64, Some(1), Some(10), None).is_ok());
        let below = limits("n", &0i64, Some(1), Some(10), None).unwrap_err();
        assert_eq!(
            (below.path(), below.message()),
            ("n".to_owned(), "0 is below the minimum 1")
        );
        assert!(limits("n", &11i64, Some(1), Some(10), None).is_err());
        assert!(limits("n", &2.5f64, None, Some(2), None).is_err());
        assert!(limits("n", &f64::NAN, None, None, None).is_err());
        assert!(limits("n", &None::<i64>, Some(1), None, None).is_ok());
        assert!(limits("n", &Nullable::<i64>::Null, Some(1), None, None).is_ok());
        assert!(limits("n", &Nullable::Value(0i64), Some(1), None, None).is_err());
        assert!(limits("ids", &vec![1, 2, 3], None, None, Some(3)).is_ok());
        let long = limits("ids", &vec![1, 2, 3, 4], None, None, Some(3)).unwrap_err();
        assert!(long.message().contains("4 items"), "{long}");
    }

    #[test]
    fn fields_are_read_once() {
        let mut slot = None;
        let mut reader = Reader::new(b"1 2", u64::MAX);
        assert!(field::<i64>(&mut reader, &mut slot).unwrap());
        let failure = field::<i64>(&mut reader, &mut slot).unwrap_err();
        assert_eq!(failure.kind(), FailureKind::Duplicate);
        assert_eq!(required(slot, "id").unwrap(), 1);
        assert_eq!(required::<i64>(None, "id").unwrap_err().path(), "id");
    }

    #[test]
    fn a_bound_itself_is_inside_it() {
        for value in [1i64, 5, 10] {
            assert!(
                limits("n", &value, Some(1), Some(10), None).is_ok(),
                "{value}"
            );
        }
        for value in [1.0f64, 5.5, 10.0] {
            assert!(
                limits("n", &value, Some(1), Some(10), None).is_ok(),
                "{value}"
            );
        }
        let message = |value: f64| {
            limits("n", &value, Some(1), Some(10), None)
                .unwrap_err()
                .message()
                .to_owned()
        };
        assert_eq!(message(0.5), "0.5 is below the minimum 1");
        assert_eq!(message(10.5), "10.5 is above the maximum 10");
        assert_eq!(message(f64::INFINITY), "inf is above the maximum 10");
        assert_eq!(
            limits("n", &f64::NEG_INFINITY, None, None, None)
                .unwrap_err()
                .message(),
            "-inf is not a number the API accepts"
        );
        assert!(limits("n", &Some(0i64), Some(1), None, None).is_err());
        assert!(limits("n", &Some(0.0f64), Some(1), None, None).is_err());
    }

    #[test]
    fn a_union_passes_on_a_failure_that_is_not_the_value_s_own() {
        let mut reader = Reader::new(b"\"open", u64::MAX);
        let failure = union(&mut reader, &[UnionMember::Integer, UnionMember::Number]).unwrap_err();
        assert_eq!(failure.kind(), FailureKind::Syntax, "{failure}");
    }

    #[test]
    fn the_public_json_traits_write_and_say_where_they_failed() {
        assert_eq!(5i64.to_json().unwrap(), b"5");
        assert_eq!(vec![true].to_json().unwrap(), b"[true]");
        let error = Vec::<i64>::from_json(b"[1, \"x\"]").unwrap_err();
        assert_eq!(
            error.to_string(),
            "at `[1]`: expected an integer, found the text \"x\""
        );
        let bytes = serde::de::value::BytesDeserializer::<serde::de::value::Error>::new(b"x");
        let error = deserialize::<i64, _>(bytes).unwrap_err();
        assert!(
            error.to_string().contains("expected any JSON value"),
            "{error}"
        );
    }
}
