//! The JSON writer request bodies are encoded with: the counterpart of [`super::json`],
//! with one non-generic function per model rather than a `Serialize` impl per
//! serializer.
//!
//! Its output is what `serde_json::to_vec` writes for the same value: compact, keys in
//! the order given, strings escaped as serde_json escapes them, floats in their
//! shortest round-trip form, and a float that is not finite as `null`.

use std::io::Write as _;

use serde_json::Value;

use super::extra::Extra;
use super::json::{Failure, FailureKind};

/// What encoding returns; it fails only on a value the API would not accept.
pub(crate) type Written = Result<(), Box<Failure>>;

/// A JSON document being written.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    out: Vec<u8>,
}

impl Writer {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The document written so far.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    pub(crate) fn null(&mut self) {
        self.out.extend_from_slice(b"null");
    }

    pub(crate) fn bool(&mut self, value: bool) {
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    pub(crate) fn integer(&mut self, value: i64) {
        // Writing to a `Vec` cannot fail.
        let _ = write!(self.out, "{value}");
    }

    /// A float in its shortest round-trip form, with serde_json's `e+` for a positive
    /// exponent; one that is not finite is `null`, as serde_json writes it.
    pub(crate) fn number(&mut self, value: f64) {
        if !value.is_finite() {
            self.null();
            return;
        }
        let text = format!("{value:?}");
        match text.split_once('e') {
            Some((mantissa, exponent)) if !exponent.starts_with('-') => {
                let _ = write!(self.out, "{mantissa}e+{exponent}");
            }
            _ => self.out.extend_from_slice(text.as_bytes()),
        }
    }

    /// A string, escaped.
    pub(crate) fn str(&mut self, text: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.out.reserve(text.len().saturating_add(2));
        self.out.push(b'"');
        let bytes = text.as_bytes();
        let mut run = 0;
        for (at, &byte) in bytes.iter().enumerate() {
            let escape: &[u8] = match byte {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0c => b"\\f",
                0x00..=0x1f => &[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xf)],
                ],
                _ => continue,
            };
            self.out
                .extend_from_slice(bytes.get(run..at).unwrap_or_default());
            self.out.extend_from_slice(escape);
            run = at.saturating_add(1);
        }
        self.out
            .extend_from_slice(bytes.get(run..).unwrap_or_default());
        self.out.push(b'"');
    }

    /// Any JSON value.
    pub(crate) fn value(&mut self, value: &Value) {
        match value {
            Value::Null => self.null(),
            Value::Bool(value) => self.bool(*value),
            Value::Number(number) => {
                let _ = write!(self.out, "{number}");
            }
            Value::String(text) => self.str(text),
            Value::Array(items) => {
                self.out.push(b'[');
                for (at, item) in items.iter().enumerate() {
                    if at > 0 {
                        self.out.push(b',');
                    }
                    self.value(item);
                }
                self.out.push(b']');
            }
            Value::Object(map) => {
                self.out.push(b'{');
                for (at, (key, item)) in map.iter().enumerate() {
                    if at > 0 {
                        self.out.push(b',');
                    }
                    self.str(key);
                    self.out.push(b':');
                    self.value(item);
                }
                self.out.push(b'}');
            }
        }
    }

    /// Starts a list; [`ListWriter::item`] before each item.
    pub(crate) fn list(&mut self) -> ListWriter<'_> {
        self.out.push(b'[');
        ListWriter {
            writer: self,
            first: true,
        }
    }

    /// Starts an object whose unlisted keys are `extra`: write each field through the
    /// [`ObjectWriter`], then [`end`](ObjectWriter::end) it.
    pub(crate) fn object<'w>(&'w mut self, extra: &'w Extra) -> ObjectWriter<'w> {
        self.out.push(b'{');
        ObjectWriter {
            writer: self,
            extra,
            first: true,
            listed: Vec::new(),
        }
    }
}

/// A list being written.
pub(crate) struct ListWriter<'w> {
    writer: &'w mut Writer,
    first: bool,
}

impl ListWriter<'_> {
    /// The writer for the next item.
    pub(crate) fn item(&mut self) -> &mut Writer {
        if !self.first {
            self.writer.out.push(b',');
        }
        self.first = false;
        self.writer
    }

    pub(crate) fn end(self) {
        self.writer.out.push(b']');
    }
}

/// An object being written: a member per field the model lists, then its `extra`.
pub(crate) struct ObjectWriter<'w> {
    writer: &'w mut Writer,
    extra: &'w Extra,
    first: bool,
    /// The model's keys, kept only when there is an `extra` to check against them.
    listed: Vec<&'static str>,
}

impl ObjectWriter<'_> {
    /// The writer for the value of `key`; `key` is listed whether or not it is written.
    pub(crate) fn key(&mut self, key: &'static str) -> &mut Writer {
        self.list_key(key);
        self.member(key)
    }

    /// Notes a key of the model that is not written (an absent optional field), so that
    /// `extra` cannot send it either.
    pub(crate) fn list_key(&mut self, key: &'static str) {
        if !self.extra.is_empty() {
            self.listed.push(key);
        }
    }

    /// The writer for the value of a key that is not a field of the model (a map's).
    pub(crate) fn dynamic_key(&mut self, key: &str) -> &mut Writer {
        self.member(key)
    }

    fn member(&mut self, key: &str) -> &mut Writer {
        if !self.first {
            self.writer.out.push(b',');
        }
        self.first = false;
        self.writer.str(key);
        self.writer.out.push(b':');
        self.writer
    }

    /// Writes `extra` and closes the object. A key of `extra` that the model lists is
    /// refused: the typed field says what is sent, and a second, untyped value for the
    /// same key would send it twice.
    pub(crate) fn end(mut self) -> Written {
        if let Some(key) = self.listed.iter().find(|key| self.extra.contains_key(key)) {
            return Err(Failure::new(
                FailureKind::Invalid,
                format!(
                    "`extra` holds `{key}`, which is a field of its own: set the field instead"
                ),
            ));
        }
        let extra = self.extra;
        for (key, value) in extra {
            self.member(key).value(value);
        }
        self.writer.out.push(b'}');
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn written(f: impl FnOnce(&mut Writer)) -> String {
        let mut writer = Writer::new();
        f(&mut writer);
        String::from_utf8(writer.into_bytes()).unwrap()
    }

    #[test]
    fn scalars_and_values_are_written_as_serde_json_writes_them() {
        let values = [
            json!(null),
            json!(true),
            json!(-12),
            json!(u64::MAX),
            json!(1.5),
            json!(0.1),
            json!(1e21),
            json!(1e-7),
            json!(
                "quote \" backslash \\ slash / nl \n cr \r tab \t bs \u{8} ff \u{c} nul \u{0} us \u{1f} del \u{7f} é 😀"
            ),
            json!([1, [2, {"a": null}], []]),
            json!({"b": 1, "a": {"c": [true]}}),
        ];
        for value in values {
            assert_eq!(
                written(|w| w.value(&value)),
                serde_json::to_string(&value).unwrap(),
                "{value}"
            );
        }
        for number in [
            0.0,
            -0.0,
            1.0,
            2.5,
            123456789.125,
            1e16,
            1.5e16,
            1e21,
            1e300,
            1e-7,
            5e-324,
            9007199254740993.0,
        ] {
            assert_eq!(
                written(|w| w.number(number)),
                serde_json::to_string(&number).unwrap(),
                "{number}"
            );
        }
        assert_eq!(written(|w| w.number(f64::NAN)), "null");
        assert_eq!(written(|w| w.number(f64::INFINITY)), "null");
        assert_eq!(written(|w| w.integer(i64::MIN)), i64::MIN.to_string());
    }

    #[test]
    fn objects_write_their_fields_then_their_extra() {
        let mut extra = Extra::new();
        extra.insert("unlisted", json!([1]));
        let text = written(|w| {
            let mut object = w.object(&extra);
            object.key("id").integer(1);
            object.list_key("absent");
            let mut list = object.key("tags").list();
            list.item().str("a");
            list.item().str("b");
            list.end();
            object.end().unwrap();
        });
        assert_eq!(text, r#"{"id":1,"tags":["a","b"],"unlisted":[1]}"#);
        let empty = Extra::new();
        assert_eq!(written(|w| w.object(&empty).end().unwrap()), "{}");
    }

    #[test]
    fn extra_may_not_send_a_listed_key_even_an_absent_one() {
        for listed in ["id", "absent"] {
            let mut extra = Extra::new();
            extra.insert(listed, json!(2));
            let mut writer = Writer::new();
            let mut object = writer.object(&extra);
            object.key("id").integer(1);
            object.list_key("absent");
            let failure = object.end().unwrap_err();
            assert!(
                failure.message().contains(&format!("`{listed}`")),
                "{failure}"
            );
        }
    }
}
