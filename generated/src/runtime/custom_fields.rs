//! Custom field values: [`CustomFields`], the values of one item keyed by each field's
//! code (a 40-character hash), in the order they came, with typed readers and a setter
//! that takes plain Rust values ([`FieldValue`], [`Money`]). What maps the names people
//! know to codes is `field_index.rs`.
//!
//! Nothing here fails a response: a value is kept as the JSON that came, and only the
//! reader that asks for it as something it is not gets a [`CustomFieldError`].
//!
//! The shapes the readers take are those of API v2 (numbers as numbers, an option as
//! its id, a multiple option field as a list of ids, a date as `YYYY-MM-DD`, a monetary
//! value as `{"value": 10, "currency": "EUR"}`), and the looser ones Pipedrive also
//! sends: an option as `{"id": 1, "label": "EMEA"}` (with `include_option_labels`), a
//! number or an id as text, several options as comma-joined text (v1), and a value
//! wrapped in an object's `value` (a composite field such as an address or a date
//! range, whose `value` is its main part).

use std::fmt;

use serde::ser::{SerializeMap as _, Serializer};
use serde_json::{Map, Number, Value};

use super::error::excerpt;
use super::extra::{Extra, ExtraBuilder};
use super::json::{Failure, FailureKind, Kind, Read, Reader};
use super::time::{FromWire as _, Lenient};
use super::wire::{Decode, Encode};
use super::write::{ObjectWriter, Writer, Written};

// ---------------------------------------------------------------------- values

/// The custom field values of one item, keyed by each field's code, in the order the
/// API sent them (or they were set). A value is the JSON as it came: any shape decodes,
/// and the typed readers say when one is not what they read.
///
/// A model's `custom_fields` is one: empty when the API left the object out or sent
/// null, and left out of a request body while empty. Set a value with the model's
/// `custom_field(code, value)` or with [`insert`](Self::insert); a value of `None` or
/// [`FieldValue::NULL`] is sent as null, which clears that field.
///
/// Each reader returns `Ok(None)` for a field that is absent or null, the value when it
/// has the reader's shape, and [`CustomFieldError::WrongShape`] when it has another.
///
/// ```
/// use pipedrive::deals::{Deal, NewDeal};
/// use pipedrive::{FieldValue, FromJson, Money, ToJson};
///
/// let deal = Deal::from_json(br#"{"id": 1, "custom_fields": {
///     "budget": {"value": 5000, "currency": "EUR"},
///     "region": 7,
///     "tags": [1, 3],
///     "renewal": "2025-03-31",
///     "notes": "Call back"
/// }}"#)?;
/// let fields = &deal.custom_fields;
/// assert_eq!(fields.money("budget")?, Some(Money::new(5000.0, "EUR")));
/// assert_eq!(fields.option("region")?, Some(7));
/// assert_eq!(fields.options("tags")?, [1, 3]);
/// assert_eq!(fields.date("renewal")?, Some(pipedrive::jiff::civil::date(2025, 3, 31)));
/// assert_eq!(fields.text("notes")?, Some("Call back"));
/// assert_eq!(fields.text("missing")?, None);
/// assert!(fields.number("notes").is_err(), "text is not a number");
///
/// let body = NewDeal::new("Renewal")
///     .custom_field("budget", Money::new(7500.0, "EUR"))
///     .custom_field("tags", [1, 2])
///     .custom_field("renewal", pipedrive::jiff::civil::date(2026, 3, 31))
///     .custom_field("notes", FieldValue::NULL);
/// assert_eq!(
///     body.to_json()?,
///     br#"{"title":"Renewal","custom_fields":{"budget":{"currency":"EUR","value":7500.0},"tags":[1,2],"renewal":"2026-03-31","notes":null}}"#,
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct CustomFields {
    values: Extra,
    /// The values set that JSON cannot hold (a number that is not finite), by code, with
    /// why: encoding refuses them rather than send null, which would clear the field.
    refused: Vec<(String, String)>,
}

impl CustomFields {
    /// No values; allocates nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many fields have a value here (null counts: it clears the field).
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether no field has a value here.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.refused.is_empty()
    }

    /// The value of the field `code` as the API sent it; `Some(&Value::Null)` when it
    /// sent null.
    pub fn get(&self, code: &str) -> Option<&Value> {
        self.values.get(code)
    }

    /// Whether the field `code` has a value here, null included.
    pub fn contains(&self, code: &str) -> bool {
        self.values.contains_key(code)
    }

    /// Sets the field `code` to `value`, returning the value it replaces; a new code goes
    /// last. `None` and [`FieldValue::NULL`] are null, which clears the field when sent.
    pub fn insert(
        &mut self,
        code: impl Into<String>,
        value: impl Into<FieldValue>,
    ) -> Option<Value> {
        let code = code.into();
        self.refused.retain(|(refused, _)| *refused != code);
        match value.into().0 {
            Repr::Json(value) => self.values.insert(code, value),
            Repr::NotFinite(number) => {
                let replaced = self.values.remove(&code);
                let reason = format!("{number} is not a number the API accepts");
                self.refused.push((code, reason));
                replaced
            }
        }
    }

    /// Takes the field `code` out, so that it is not sent.
    pub fn remove(&mut self, code: &str) -> Option<Value> {
        self.refused.retain(|(refused, _)| refused != code);
        self.values.remove(code)
    }

    /// The codes and values, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> + '_ {
        self.values.iter()
    }

    /// The codes, in order.
    pub fn codes(&self) -> impl Iterator<Item = &str> + '_ {
        self.values.keys()
    }

    /// The value of a text field (`varchar`, `varchar_auto`, `text`, `phone`), or the
    /// `value` of a composite one (an address as typed).
    pub fn text(&self, code: &str) -> Result<Option<&str>, CustomFieldError> {
        read_text(code, self.get(code))
    }

    /// The value of a numeric field (`double`), or the amount of a monetary one; text
    /// that spells a number is read as that number.
    pub fn number(&self, code: &str) -> Result<Option<f64>, CustomFieldError> {
        read_number(code, self.get(code))
    }

    /// The value of a date field (`date`, `YYYY-MM-DD`), or the start of a date range.
    pub fn date(&self, code: &str) -> Result<Option<jiff::civil::Date>, CustomFieldError> {
        read_date(code, self.get(code))
    }

    /// The ID of the chosen option of a single option field (`enum`); the label is the
    /// [`FieldIndex`](crate::FieldIndex)'s to tell ([`CustomField::label`](crate::CustomField::label)).
    pub fn option(&self, code: &str) -> Result<Option<i64>, CustomFieldError> {
        read_id(code, self.get(code), "an option id")
    }

    /// The IDs of the chosen options of a multiple option field (`set`); empty when none
    /// is chosen.
    pub fn options(&self, code: &str) -> Result<Vec<i64>, CustomFieldError> {
        read_ids(code, self.get(code))
    }

    /// The amount and currency of a monetary field (`monetary`); a bare number (as v1
    /// sends the amount) has no currency.
    pub fn money(&self, code: &str) -> Result<Option<Money>, CustomFieldError> {
        read_money(code, self.get(code))
    }

    /// The ID held by a user, organization or person field (`user`, `org`, `people`).
    pub fn id(&self, code: &str) -> Result<Option<i64>, CustomFieldError> {
        read_id(code, self.get(code), "an id")
    }
}

impl fmt::Debug for CustomFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Into<String>, V: Into<FieldValue>> Extend<(K, V)> for CustomFields {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, pairs: I) {
        for (code, value) in pairs {
            self.insert(code, value);
        }
    }
}

impl<K: Into<String>, V: Into<FieldValue>> FromIterator<(K, V)> for CustomFields {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut fields = Self::new();
        fields.extend(pairs);
        fields
    }
}

/// The values of a JSON object, by code.
impl From<Map<String, Value>> for CustomFields {
    fn from(map: Map<String, Value>) -> Self {
        Self {
            values: Extra::from(map),
            refused: Vec::new(),
        }
    }
}

/// Null is no values; `[]` too, as PHP writes an empty object. Any other list, or a
/// scalar, is not an object of values and fails like any field of the wrong type.
impl Decode for CustomFields {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        match reader.peek()? {
            Kind::Null => {
                reader.null()?;
                return Ok(Self::new());
            }
            Kind::Array => {
                reader.list(|_, _| {
                    Err(Failure::new(
                        FailureKind::Type,
                        "expected an object of custom field values, found a list with items",
                    ))
                })?;
                return Ok(Self::new());
            }
            _ => {}
        }
        let mut values = ExtraBuilder::default();
        reader.object(
            |_, _| Ok(false),
            |reader, code| {
                let value = reader.value()?;
                values.insert(code.into_owned(), value);
                Ok(())
            },
        )?;
        Ok(Self {
            values: values.finish(),
            refused: Vec::new(),
        })
    }
}

impl Encode for CustomFields {
    fn encode(&self, writer: &mut Writer) -> Written {
        if let Some((code, reason)) = self.refused.first() {
            return Err(Failure::new(FailureKind::Invalid, reason.clone()).in_key(code));
        }
        let none = Extra::new();
        let mut object = writer.object(&none);
        for (code, value) in self.iter() {
            object.dynamic_key(code).value(value);
        }
        object.end()
    }
}

impl ObjectWriter<'_> {
    /// Writes a model's custom fields, when there are any: an empty object changes
    /// nothing, so it is left out.
    #[allow(
        dead_code,
        reason = "part of the contract with generated code, which uses what its spec needs"
    )]
    pub(crate) fn custom_fields(&mut self, key: &'static str, value: &CustomFields) -> Written {
        if value.is_empty() {
            self.list_key(key);
            return Ok(());
        }
        value.encode(self.key(key))
    }
}

impl serde::Serialize for CustomFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some((code, reason)) = self.refused.first() {
            return Err(serde::ser::Error::custom(format!("at `{code}`: {reason}")));
        }
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (code, value) in self.iter() {
            map.serialize_entry(code, value)?;
        }
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for CustomFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::wire::deserialize(deserializer)
    }
}

/// A value to set a custom field to: text, a number, a boolean, a date
/// (`jiff::civil::Date`, sent as `YYYY-MM-DD`), an option's id (`i64`), a list of them
/// for a multiple option field, [`Money`], any `serde_json::Value`, or `None` (null,
/// which clears the field).
///
/// ```
/// use pipedrive::{FieldValue, Money};
///
/// let values: Vec<FieldValue> = vec![
///     "text".into(),
///     12.5.into(),
///     7.into(),
///     vec![1, 2].into(),
///     pipedrive::jiff::civil::date(2025, 1, 31).into(),
///     Money::new(10.0, "USD").into(),
///     None::<i64>.into(),
///     FieldValue::NULL,
/// ];
/// assert_eq!(values[4].as_json(), Some(&"2025-01-31".into()));
/// assert_eq!(values[6], FieldValue::NULL);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FieldValue(Repr);

#[derive(Debug, Clone, PartialEq)]
enum Repr {
    Json(Value),
    /// A number JSON cannot hold, refused when it is sent.
    NotFinite(f64),
}

impl FieldValue {
    /// Null: sent, it clears the field.
    pub const NULL: FieldValue = FieldValue(Repr::Json(Value::Null));

    /// The value as JSON; `None` for a number that JSON cannot hold (infinite or not a
    /// number), which a body refuses to send.
    pub fn as_json(&self) -> Option<&Value> {
        match &self.0 {
            Repr::Json(value) => Some(value),
            Repr::NotFinite(_) => None,
        }
    }

    fn json(value: impl Into<Value>) -> Self {
        Self(Repr::Json(value.into()))
    }

    /// The JSON list of `items`, or the first item JSON cannot hold.
    fn list(items: impl IntoIterator<Item = FieldValue>) -> Self {
        let mut list = Vec::new();
        for item in items {
            match item.0 {
                Repr::Json(value) => list.push(value),
                refused @ Repr::NotFinite(_) => return Self(refused),
            }
        }
        Self::json(Value::Array(list))
    }
}

impl From<Value> for FieldValue {
    fn from(value: Value) -> Self {
        Self::json(value)
    }
}

impl From<&str> for FieldValue {
    fn from(value: &str) -> Self {
        Self::json(value)
    }
}

impl From<String> for FieldValue {
    fn from(value: String) -> Self {
        Self::json(value)
    }
}

impl From<&String> for FieldValue {
    fn from(value: &String) -> Self {
        Self::json(value.as_str())
    }
}

impl From<bool> for FieldValue {
    fn from(value: bool) -> Self {
        Self::json(value)
    }
}

impl From<i64> for FieldValue {
    fn from(value: i64) -> Self {
        Self::json(value)
    }
}

impl From<i32> for FieldValue {
    fn from(value: i32) -> Self {
        Self::json(value)
    }
}

impl From<u32> for FieldValue {
    fn from(value: u32) -> Self {
        Self::json(value)
    }
}

/// A number that is not finite is refused when the body is sent, rather than sent as
/// null (which would clear the field).
impl From<f64> for FieldValue {
    fn from(value: f64) -> Self {
        match Number::from_f64(value) {
            Some(number) => Self::json(number),
            None => Self(Repr::NotFinite(value)),
        }
    }
}

/// `YYYY-MM-DD`.
impl From<jiff::civil::Date> for FieldValue {
    fn from(value: jiff::civil::Date) -> Self {
        Self::json(value.to_string())
    }
}

/// A date as read from a model: `YYYY-MM-DD`, or the text as it came when it did not
/// parse.
impl From<Lenient<jiff::civil::Date>> for FieldValue {
    fn from(value: Lenient<jiff::civil::Date>) -> Self {
        Self::json(value.to_string())
    }
}

/// `{"value": amount, "currency": code}`, the currency left out when there is none.
impl From<Money> for FieldValue {
    fn from(money: Money) -> Self {
        let Money { amount, currency } = money;
        let Some(amount) = Number::from_f64(amount) else {
            return Self(Repr::NotFinite(amount));
        };
        let mut object = Map::new();
        object.insert("value".to_owned(), Value::Number(amount));
        if let Some(currency) = currency {
            object.insert("currency".to_owned(), Value::String(currency));
        }
        Self::json(Value::Object(object))
    }
}

/// `None` is null, which clears the field.
impl<T: Into<FieldValue>> From<Option<T>> for FieldValue {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::NULL, Into::into)
    }
}

/// A list, such as the option ids of a multiple option field.
impl<T: Into<FieldValue>> From<Vec<T>> for FieldValue {
    fn from(items: Vec<T>) -> Self {
        Self::list(items.into_iter().map(Into::into))
    }
}

/// A list, such as the option ids of a multiple option field.
impl<T: Into<FieldValue>, const N: usize> From<[T; N]> for FieldValue {
    fn from(items: [T; N]) -> Self {
        Self::list(items.into_iter().map(Into::into))
    }
}

/// A list, such as the option ids of a multiple option field.
impl<T: Clone + Into<FieldValue>> From<&[T]> for FieldValue {
    fn from(items: &[T]) -> Self {
        Self::list(items.iter().cloned().map(Into::into))
    }
}

/// The value of a monetary field: an amount and its currency (a 3-letter code, or the
/// code of a custom currency).
///
/// ```
/// use pipedrive::Money;
///
/// let budget = Money::new(5000.0, "EUR");
/// assert_eq!((budget.amount, budget.currency.as_deref()), (5000.0, Some("EUR")));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Money {
    /// The amount, sent as `value`.
    pub amount: f64,
    /// The currency; `None` when the value came without one.
    pub currency: Option<String>,
}

impl Money {
    /// An amount in a currency.
    pub fn new(amount: f64, currency: impl Into<String>) -> Self {
        Self {
            amount,
            currency: Some(currency.into()),
        }
    }
}

// ---------------------------------------------------------------------- readers

/// The value itself, or, for an object, its member `key` (a composite field's main
/// part): what a scalar reader reads.
pub(super) fn unwrap<'v>(value: &'v Value, key: &str) -> &'v Value {
    match value {
        Value::Object(object) => object.get(key).unwrap_or(value),
        other => other,
    }
}

pub(super) fn wrong(code: &str, expected: &'static str, found: &Value) -> CustomFieldError {
    CustomFieldError::WrongShape {
        code: code.to_owned(),
        expected,
        found: excerpt(&found.to_string(), 80),
    }
}

pub(super) fn read_text<'v>(
    code: &str,
    value: Option<&'v Value>,
) -> Result<Option<&'v str>, CustomFieldError> {
    let Some(value) = value else { return Ok(None) };
    match unwrap(value, "value") {
        Value::Null => Ok(None),
        Value::String(text) => Ok(Some(text)),
        _ => Err(wrong(code, "text", value)),
    }
}

pub(super) fn read_number(
    code: &str,
    value: Option<&Value>,
) -> Result<Option<f64>, CustomFieldError> {
    let Some(value) = value else { return Ok(None) };
    match unwrap(value, "value") {
        Value::Null => Ok(None),
        Value::Number(number) => number
            .as_f64()
            .map(Some)
            .ok_or_else(|| wrong(code, "a number", value)),
        Value::String(text) => text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|number| number.is_finite())
            .map(Some)
            .ok_or_else(|| wrong(code, "a number", value)),
        _ => Err(wrong(code, "a number", value)),
    }
}

pub(super) fn read_date(
    code: &str,
    value: Option<&Value>,
) -> Result<Option<jiff::civil::Date>, CustomFieldError> {
    let Some(value) = value else { return Ok(None) };
    match unwrap(value, "value") {
        Value::Null => Ok(None),
        Value::String(text) => jiff::civil::Date::from_wire(text)
            .map(Some)
            .ok_or_else(|| wrong(code, "a date (YYYY-MM-DD)", value)),
        _ => Err(wrong(code, "a date (YYYY-MM-DD)", value)),
    }
}

/// An integer as JSON writes one: a number without a fraction, or text that spells one.
fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64().or_else(|| {
            let float = number.as_f64()?;
            // 2^63 is exactly representable; every float below it in magnitude with no
            // fraction converts exactly.
            const LIMIT: f64 = 9_223_372_036_854_775_808.0;
            (float.fract() == 0.0 && (-LIMIT..LIMIT).contains(&float)).then_some(float as i64)
        }),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// An id: an integer, or an object's `id` (an option with its label, a v1 user), else its
/// `value`.
fn id_of(value: &Value) -> Option<Option<i64>> {
    let inner = match value {
        Value::Object(object) => object.get("id").or_else(|| object.get("value"))?,
        other => other,
    };
    match inner {
        Value::Null => Some(None),
        other => integer(other).map(Some),
    }
}

pub(super) fn read_id(
    code: &str,
    value: Option<&Value>,
    expected: &'static str,
) -> Result<Option<i64>, CustomFieldError> {
    let Some(value) = value else { return Ok(None) };
    id_of(value).ok_or_else(|| wrong(code, expected, value))
}

pub(super) fn read_ids(code: &str, value: Option<&Value>) -> Result<Vec<i64>, CustomFieldError> {
    const EXPECTED: &str = "a list of option ids";
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let fail = || wrong(code, EXPECTED, value);
    match unwrap(value, "value") {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => {
            let mut ids = Vec::with_capacity(items.len());
            for item in items {
                match id_of(item) {
                    Some(Some(id)) => ids.push(id),
                    Some(None) => {}
                    None => return Err(fail()),
                }
            }
            Ok(ids)
        }
        // v1 joins the ids with commas.
        Value::String(text) if text.trim().is_empty() => Ok(Vec::new()),
        Value::String(text) => text
            .split(',')
            .map(|id| id.trim().parse::<i64>().map_err(|_| fail()))
            .collect(),
        single => match id_of(single) {
            Some(id) => Ok(id.into_iter().collect()),
            None => Err(fail()),
        },
    }
}

pub(super) fn read_money(
    code: &str,
    value: Option<&Value>,
) -> Result<Option<Money>, CustomFieldError> {
    const EXPECTED: &str = "a monetary value ({\"value\": amount, \"currency\": code})";
    let Some(value) = value else { return Ok(None) };
    let (amount, currency) = match value {
        Value::Object(object) => (
            object
                .get("value")
                .ok_or_else(|| wrong(code, EXPECTED, value))?,
            object.get("currency").unwrap_or(&Value::Null),
        ),
        other => (other, &Value::Null),
    };
    let Some(amount) = read_number(code, Some(amount)).map_err(|_| wrong(code, EXPECTED, value))?
    else {
        return Ok(None);
    };
    let currency = match currency {
        Value::Null => None,
        Value::String(currency) => Some(currency.clone()),
        _ => return Err(wrong(code, EXPECTED, value)),
    };
    Ok(Some(Money { amount, currency }))
}

/// An option's id as the index keeps it: an integer in decimal, text as it is, an
/// object's `id`.
pub(super) fn option_key(value: &Value) -> Option<String> {
    match value {
        Value::Object(object) => object.get("id").and_then(option_key),
        Value::String(text) => Some(text.trim().to_owned()),
        other => integer(other).map(|id| id.to_string()),
    }
}

// ---------------------------------------------------------------------- errors

/// Why a custom field could not be found or read.
///
/// ```
/// use pipedrive::{CustomFieldError, DefinitionRef, FieldDefinition, FieldIndex};
///
/// struct Field(&'static str, &'static str);
///
/// impl FieldDefinition for Field {
///     fn field_definition(&self) -> DefinitionRef<'_> {
///         DefinitionRef::new(self.0).name(self.1)
///     }
/// }
///
/// // Two fields of one name: ask for either by its code.
/// let index = FieldIndex::new([Field("abc123", "Budget"), Field("def456", "Budget")]);
/// match index.code("Budget") {
///     Err(CustomFieldError::AmbiguousField { codes, .. }) => assert_eq!(codes.len(), 2),
///     other => panic!("{other:?}"),
/// }
/// assert!(matches!(index.code("Region"), Err(CustomFieldError::UnknownField { .. })));
/// assert_eq!(index.code("def456")?, "def456");
/// # Ok::<(), CustomFieldError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CustomFieldError {
    /// The index has no field of this name or code.
    #[error("no field is named `{}`", excerpt(.field, 80))]
    UnknownField {
        /// The name or code asked for.
        field: String,
    },
    /// More than one field has this name; ask for one by its code.
    #[error("several fields are named `{}`: {}", excerpt(.field, 80), .codes.join(", "))]
    AmbiguousField {
        /// The name asked for.
        field: String,
        /// The codes of the fields of that name.
        codes: Vec<String>,
    },
    /// The field has more than one option of this label; ask for one by its id.
    #[error("field `{field}` has several options labelled `{}`: {}", excerpt(.option, 80), .ids.join(", "))]
    AmbiguousOption {
        /// The field's code.
        field: String,
        /// The label asked for.
        option: String,
        /// The ids of the options of that label.
        ids: Vec<String>,
    },
    /// The field has no option of this label, or of this id.
    #[error("field `{field}` has no option `{}`", excerpt(.option, 80))]
    UnknownOption {
        /// The field's code.
        field: String,
        /// The label or id asked for.
        option: String,
    },
    /// The field's value is there, but not of the shape the reader reads.
    #[error("the value of field `{code}` is not {expected}: {found}")]
    WrongShape {
        /// The field's code.
        code: String,
        /// What the reader reads.
        expected: &'static str,
        /// The value as sent, cut to 80 characters.
        found: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: Value) -> CustomFields {
        match value {
            Value::Object(map) => CustomFields::from(map),
            other => panic!("not an object: {other}"),
        }
    }

    fn decode(json: &str) -> Read<CustomFields> {
        super::super::wire::decode_document(json.as_bytes(), u64::MAX)
    }

    fn encode(value: &CustomFields) -> Result<String, Box<Failure>> {
        super::super::wire::encode_document(value).map(|bytes| String::from_utf8(bytes).unwrap())
    }

    fn shape(result: Result<impl fmt::Debug, CustomFieldError>) -> &'static str {
        match result {
            Err(CustomFieldError::WrongShape { expected, .. }) => expected,
            other => panic!("expected a wrong shape, got {other:?}"),
        }
    }

    #[test]
    fn readers_take_the_v2_shapes_and_the_looser_ones() {
        let values = fields(json!({
            "text": "Call back",
            "address": {"value": "Main St 1, Tallinn", "locality": "Tallinn"},
            "double": 12.5,
            "double_text": " 7 ",
            "date": "2025-03-31",
            "daterange": {"value": "2025-01-01", "until": "2025-01-31"},
            "enum": 7,
            "enum_labelled": {"id": 8, "label": "APAC"},
            "enum_text": "9",
            "set": [1, 3],
            "set_labelled": [{"id": 1, "label": "a"}, {"id": 2, "label": "b"}],
            "set_v1": "4,5",
            "set_single": 6,
            "money": {"value": 5000, "currency": "EUR"},
            "money_text": {"value": "12.5", "currency": "USD"},
            "money_v1": 300,
            "user": 42,
            "user_v1": {"id": 43, "name": "Ann", "value": 43},
            "float_id": 5.0,
            "null": null,
        }));
        assert_eq!(values.text("text"), Ok(Some("Call back")));
        assert_eq!(values.text("address"), Ok(Some("Main St 1, Tallinn")));
        assert_eq!(values.number("double"), Ok(Some(12.5)));
        assert_eq!(values.number("double_text"), Ok(Some(7.0)));
        assert_eq!(values.number("money"), Ok(Some(5000.0)));
        let date = |y, m, d| Ok(Some(jiff::civil::date(y, m, d)));
        assert_eq!(values.date("date"), date(2025, 3, 31));
        assert_eq!(values.date("daterange"), date(2025, 1, 1));
        assert_eq!(values.option("enum"), Ok(Some(7)));
        assert_eq!(values.option("enum_labelled"), Ok(Some(8)));
        assert_eq!(values.option("enum_text"), Ok(Some(9)));
        assert_eq!(values.options("set"), Ok(vec![1, 3]));
        assert_eq!(values.options("set_labelled"), Ok(vec![1, 2]));
        assert_eq!(values.options("set_v1"), Ok(vec![4, 5]));
        assert_eq!(values.options("set_single"), Ok(vec![6]));
        assert_eq!(values.money("money"), Ok(Some(Money::new(5000.0, "EUR"))));
        assert_eq!(
            values.money("money_text"),
            Ok(Some(Money::new(12.5, "USD")))
        );
        assert_eq!(
            values.money("money_v1"),
            Ok(Some(Money {
                amount: 300.0,
                currency: None
            }))
        );
        assert_eq!(values.id("user"), Ok(Some(42)));
        assert_eq!(values.id("user_v1"), Ok(Some(43)));
        assert_eq!(values.id("float_id"), Ok(Some(5)));
        for code in ["null", "absent"] {
            assert_eq!(values.text(code), Ok(None));
            assert_eq!(values.number(code), Ok(None));
            assert_eq!(values.date(code), Ok(None));
            assert_eq!(values.option(code), Ok(None));
            assert_eq!(values.options(code), Ok(vec![]));
            assert_eq!(values.money(code), Ok(None));
            assert_eq!(values.id(code), Ok(None));
        }
        assert_eq!(values.get("null"), Some(&Value::Null));
        assert_eq!(values.get("absent"), None);
    }

    #[test]
    fn a_value_of_another_shape_is_a_typed_error_never_a_panic() {
        let values = fields(json!({
            "object": {"street": "Main"},
            "list": [1, "x"],
            "text": "twelve",
            "bool": true,
            "date": "31.03.2025",
            "huge": 1e300,
            "money": {"value": "lots", "currency": "EUR"},
            "money_currency": {"value": 1, "currency": 5},
            "set_text": "1,x",
        }));
        assert_eq!(shape(values.text("list")), "text");
        assert_eq!(shape(values.text("bool")), "text");
        assert_eq!(shape(values.text("object")), "text");
        assert_eq!(shape(values.number("text")), "a number");
        assert_eq!(shape(values.number("object")), "a number");
        assert_eq!(shape(values.date("date")), "a date (YYYY-MM-DD)");
        assert_eq!(shape(values.date("huge")), "a date (YYYY-MM-DD)");
        assert_eq!(shape(values.option("text")), "an option id");
        assert_eq!(shape(values.option("huge")), "an option id");
        assert_eq!(shape(values.option("object")), "an option id");
        assert_eq!(shape(values.id("list")), "an id");
        assert_eq!(shape(values.options("list")), "a list of option ids");
        assert_eq!(shape(values.options("set_text")), "a list of option ids");
        assert_eq!(shape(values.options("bool")), "a list of option ids");
        assert!(shape(values.money("money")).starts_with("a monetary value"));
        assert!(shape(values.money("money_currency")).starts_with("a monetary value"));
        assert!(shape(values.money("text")).starts_with("a monetary value"));
        let Err(error) = values.number("text") else {
            panic!("read text as a number")
        };
        assert_eq!(
            error.to_string(),
            "the value of field `text` is not a number: \"twelve\""
        );
    }

    #[test]
    fn decoding_keeps_any_value_and_reads_null_and_an_empty_list_as_empty() {
        let values = decode(r#"{"b": {"deep": [1, {"x": null}]}, "a": 1, "b": 2}"#).unwrap();
        assert_eq!(values.codes().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(values.get("b"), Some(&json!(2)));
        assert!(decode("null").unwrap().is_empty());
        assert!(decode("[]").unwrap().is_empty());
        for bad in ["[1]", "5", "\"x\"", "true"] {
            let failure = decode(bad).unwrap_err();
            assert_eq!(failure.kind(), FailureKind::Type, "{bad}");
        }
        let mut reader = Reader::new(br#"{"a": [1, 2, 3], "b": 1}"#, 3);
        assert_eq!(
            CustomFields::decode(&mut reader).unwrap_err().kind(),
            FailureKind::Limit,
            "every value draws on the reader's budget"
        );
    }

    #[test]
    fn values_are_written_as_set_and_a_number_json_cannot_hold_is_refused() {
        let mut values = CustomFields::new();
        values.insert("t", "x");
        values.insert("n", 1.5);
        values.insert("i", 2);
        values.insert("d", jiff::civil::date(2024, 2, 29));
        values.insert("m", Money::new(3.0, "EUR"));
        values.insert("s", vec![1, 2]);
        values.insert("c", None::<i64>);
        values.insert("raw", json!({"a": [true]}));
        assert_eq!(
            encode(&values).unwrap(),
            r#"{"t":"x","n":1.5,"i":2,"d":"2024-02-29","m":{"currency":"EUR","value":3.0},"s":[1,2],"c":null,"raw":{"a":[true]}}"#
        );
        assert_eq!(values.insert("t", FieldValue::NULL), Some(json!("x")));
        assert_eq!(
            serde_json::to_string(&values).unwrap(),
            encode(&values).unwrap()
        );
        let back: CustomFields = serde_json::from_str(&encode(&values).unwrap()).unwrap();
        assert_eq!(back, values);

        let mut refused = CustomFields::new();
        refused.insert("n", f64::NAN);
        refused.insert("m", Money::new(f64::INFINITY, "EUR"));
        assert!(!refused.is_empty());
        let failure = encode(&refused).unwrap_err();
        assert_eq!(failure.kind(), FailureKind::Invalid);
        assert_eq!(failure.path(), "n");
        assert!(serde_json::to_string(&refused).is_err());
        refused.remove("n");
        assert_eq!(encode(&refused).unwrap_err().path(), "m");
        refused.insert("m", 1);
        assert_eq!(
            encode(&refused).unwrap(),
            r#"{"m":1}"#,
            "a value replaces a refused one"
        );
        assert_eq!(FieldValue::from(vec![1.0, f64::NAN]).as_json(), None);
    }

    #[test]
    fn an_empty_map_is_left_out_of_a_body() {
        let none = Extra::new();
        let mut writer = Writer::new();
        let mut object = writer.object(&none);
        object.custom_fields("empty", &CustomFields::new()).unwrap();
        object
            .custom_fields("full", &[("a", 1)].into_iter().collect())
            .unwrap();
        object.end().unwrap();
        assert_eq!(
            String::from_utf8(writer.into_bytes()).unwrap(),
            r#"{"full":{"a":1}}"#
        );
    }

    #[test]
    fn the_accessors_see_what_is_there() {
        let values = fields(json!({"a": 1, "b": null, "tags": "", "spaces": " "}));
        assert_eq!(values.len(), 4);
        assert!(values.contains("b"), "null is a value: it clears the field");
        assert!(!values.contains("c"));
        assert_eq!(CustomFields::new().len(), 0);
        assert_eq!(
            format!("{values:?}"),
            r#"{"a": Number(1), "b": Null, "spaces": String(" "), "tags": String("")}"#
        );
        assert_eq!(
            values.options("tags"),
            Ok(vec![]),
            "v1 sends no options as \"\""
        );
        assert_eq!(values.options("spaces"), Ok(vec![]));
        assert_eq!(FieldValue::from("x").as_json(), Some(&json!("x")));
        assert_eq!(FieldValue::NULL.as_json(), Some(&Value::Null));
    }
}
