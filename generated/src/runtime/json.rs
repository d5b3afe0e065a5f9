//! The JSON reader every response is decoded with: one pass over the body, no generics
//! per model, and failures that say where they happened.
//!
//! serde's derives monomorphize a visitor per model and per deserializer, and a second
//! copy when a path-tracking deserializer wraps the first: that was most of the crate's
//! build time. Here the reader is an ordinary struct over the body's bytes; a model's
//! [`Decode`](super::wire::Decode) impl is one non-generic function that asks it for
//! what each field holds. Three things follow that a generic deserializer cannot give:
//!
//! - **A failure knows its path** (`data[3].owner.id`) without a second decode: each
//!   object and list adds its key or index to the failure as it passes back up.
//! - **One bad item costs one item.** A failure inside a value leaves the reader able to
//!   go back to where the value started and skip it whole ([`Reader::rewind`],
//!   [`Reader::skip`]), so a page keeps every item that decodes and the raw text of the
//!   ones that do not. Only text that is not JSON at all fails the whole body.
//! - **Decoded size is bounded, not only the body's bytes.** Every list entry and every
//!   object member at every depth draws on one budget per body, so a small body of
//!   `[{},{},…]` nested inside an item cannot grow into millions of values, and nesting
//!   is limited to [`MAX_DEPTH`] levels.
//!
//! Scalars are read leniently where Pipedrive is loose about them: an integer or number
//! may come as text (`"5"`), text may come as a number (kept as written), and a boolean
//! may come as `0`/`1` or as text. What cannot be read as the asked-for kind is a
//! [`Failure`] of kind [`FailureKind::Type`].

use std::borrow::Cow;
use std::fmt;

/// The deepest nesting of arrays and objects the reader follows, as serde_json's.
pub(crate) const MAX_DEPTH: u32 = 128;

/// What went wrong while reading a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FailureKind {
    /// The text is not JSON; nothing after this point can be read.
    Syntax,
    /// A value of the wrong kind, or out of range, for what was asked.
    Type,
    /// A required field is missing or null.
    Missing,
    /// A key sent twice in one object, where the model reads it once.
    Duplicate,
    /// More entries or deeper nesting than the reader allows.
    Limit,
    /// A value to send that the API would not accept (out of its bounds, say).
    Invalid,
}

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(Box<str>),
    Index(usize),
}

/// Why a value could not be read, and where.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    kind: FailureKind,
    message: String,
    /// The path from the failing value outwards: the innermost step first.
    steps: Vec<Step>,
}

/// What the reader's methods return; the failure is boxed so that `Ok` stays small.
pub(crate) type Read<T> = Result<T, Box<Failure>>;

impl Failure {
    pub(crate) fn new(kind: FailureKind, message: impl Into<String>) -> Box<Self> {
        Box::new(Self {
            kind,
            message: message.into(),
            steps: Vec::new(),
        })
    }

    /// A required field that is missing or null.
    pub(crate) fn missing(name: &str) -> Box<Self> {
        let mut failure = Self::new(FailureKind::Missing, "a required field is missing or null");
        failure.steps.push(Step::Key(name.into()));
        failure
    }

    #[cfg(test)]
    pub(crate) fn kind(&self) -> FailureKind {
        self.kind
    }

    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    /// Whether the value can be skipped and reading go on after it: everything but
    /// text that is not JSON and a spent budget.
    pub(crate) fn is_local(&self) -> bool {
        matches!(
            self.kind,
            FailureKind::Type | FailureKind::Missing | FailureKind::Duplicate
        )
    }

    /// Adds the key of the object member the failure happened in.
    pub(crate) fn in_key(mut self: Box<Self>, key: &str) -> Box<Self> {
        self.steps.push(Step::Key(key.into()));
        self
    }

    /// Adds the index of the list entry the failure happened in.
    pub(crate) fn in_index(mut self: Box<Self>, index: usize) -> Box<Self> {
        self.steps.push(Step::Index(index));
        self
    }

    /// The path from the document's root, as `data[3].owner.id`; `.` for the root.
    pub(crate) fn path(&self) -> String {
        let mut path = String::new();
        for step in self.steps.iter().rev() {
            match step {
                Step::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Step::Index(index) => {
                    path.push('[');
                    path.push_str(&index.to_string());
                    path.push(']');
                }
            }
        }
        if path.is_empty() {
            path.push('.');
        }
        path
    }
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} at `{}`: {}", self.kind, self.path(), self.message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path(), self.message)
    }
}

/// The kind of the next value, from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    /// The kind, as an error message names it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool => "a boolean",
            Self::Number => "a number",
            Self::String => "a string",
            Self::Array => "a list",
            Self::Object => "an object",
        }
    }
}

/// A number as written: an integer when it has no fraction or exponent and fits.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Number {
    Negative(i64),
    Positive(u64),
    Float(f64),
}

/// A reader over one JSON document.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
    /// List entries and object members still allowed.
    budget: u64,
}

impl<'a> Reader<'a> {
    /// A reader over `bytes` that allows at most `budget` list entries and object
    /// members in all.
    pub(crate) fn new(bytes: &'a [u8], budget: u64) -> Self {
        Self {
            bytes,
            pos: 0,
            depth: 0,
            budget,
        }
    }

    /// Where the reader is, as a byte offset, after any whitespace.
    pub(crate) fn position(&mut self) -> usize {
        self.skip_whitespace();
        self.pos
    }

    /// Goes back to `position`, an offset this reader returned, to read or skip the
    /// value there again. The budget is not given back.
    pub(crate) fn rewind(&mut self, position: usize, depth: u32) {
        self.pos = position;
        self.depth = depth;
    }

    /// The nesting depth now, to [`rewind`](Self::rewind) to.
    pub(crate) fn depth(&self) -> u32 {
        self.depth
    }

    /// The text between two offsets this reader returned.
    pub(crate) fn text(&self, from: usize, to: usize) -> &'a str {
        // Every offset the reader stops at is outside a string or at its quotes, so on a
        // character boundary; a string's bytes were checked when it was read or skipped.
        self.bytes
            .get(from..to)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .unwrap_or("")
    }

    /// Fails unless only whitespace follows.
    pub(crate) fn end(&mut self) -> Read<()> {
        self.skip_whitespace();
        if self.pos < self.bytes.len() {
            return Err(self.syntax("trailing characters after the value"));
        }
        Ok(())
    }

    fn skip_whitespace(&mut self) {
        while let Some(&byte) = self.bytes.get(self.pos) {
            if !matches!(byte, b' ' | b'\n' | b'\r' | b'\t') {
                break;
            }
            self.pos = self.pos.wrapping_add(1);
        }
    }

    fn byte(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Moves past `by` bytes the caller has looked at, so never past the end.
    fn advance(&mut self, by: usize) {
        self.pos = self.pos.wrapping_add(by);
    }

    fn syntax(&self, message: &str) -> Box<Failure> {
        Failure::new(
            FailureKind::Syntax,
            format!("{message} (byte {})", self.pos),
        )
    }

    fn mismatch(&self, found: Kind, expected: &str) -> Box<Failure> {
        Failure::new(
            FailureKind::Type,
            format!("expected {expected}, found {}", found.name()),
        )
    }

    /// The kind of the next value; the end of the text is a syntax failure.
    pub(crate) fn peek(&mut self) -> Read<Kind> {
        self.skip_whitespace();
        match self.byte() {
            Some(b'n') => Ok(Kind::Null),
            Some(b't' | b'f') => Ok(Kind::Bool),
            Some(b'-' | b'0'..=b'9') => Ok(Kind::Number),
            Some(b'"') => Ok(Kind::String),
            Some(b'[') => Ok(Kind::Array),
            Some(b'{') => Ok(Kind::Object),
            Some(_) => Err(self.syntax("expected a value")),
            None => Err(self.syntax("the text ends where a value should be")),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Read<()> {
        let end = self.pos.saturating_add(word.len());
        if self.bytes.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            Err(self.syntax("expected `null`, `true` or `false`"))
        }
    }

    /// Reads `null` if it is next; otherwise leaves the value for the caller.
    pub(crate) fn null(&mut self) -> Read<bool> {
        if self.peek()? == Kind::Null {
            self.literal(b"null")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn read_bool(&mut self) -> Read<bool> {
        if self.byte() == Some(b't') {
            self.literal(b"true").map(|()| true)
        } else {
            self.literal(b"false").map(|()| false)
        }
    }

    /// Reads a number token, or fails with a syntax failure.
    fn read_number(&mut self) -> Read<(Number, usize)> {
        let start = self.pos;
        let negative = self.byte() == Some(b'-');
        if negative {
            self.advance(1);
        }
        let mut magnitude: Option<u64> = Some(0);
        match self.byte() {
            Some(b'0') => {
                self.advance(1);
                if matches!(self.byte(), Some(b'0'..=b'9')) {
                    return Err(self.syntax("a number may not have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => {
                while let Some(digit @ b'0'..=b'9') = self.byte() {
                    magnitude = magnitude
                        .and_then(|m| m.checked_mul(10))
                        .and_then(|m| m.checked_add(u64::from(digit.wrapping_sub(b'0'))));
                    self.advance(1);
                }
            }
            _ => return Err(self.syntax("invalid number")),
        }
        let mut float = magnitude.is_none();
        if self.byte() == Some(b'.') {
            float = true;
            self.advance(1);
            if !matches!(self.byte(), Some(b'0'..=b'9')) {
                return Err(self.syntax("invalid number: a digit must follow `.`"));
            }
            while matches!(self.byte(), Some(b'0'..=b'9')) {
                self.advance(1);
            }
        }
        if matches!(self.byte(), Some(b'e' | b'E')) {
            float = true;
            self.advance(1);
            if matches!(self.byte(), Some(b'+' | b'-')) {
                self.advance(1);
            }
            if !matches!(self.byte(), Some(b'0'..=b'9')) {
                return Err(self.syntax("invalid number: a digit must follow the exponent"));
            }
            while matches!(self.byte(), Some(b'0'..=b'9')) {
                self.advance(1);
            }
        }
        let number = match (float, magnitude, negative) {
            // `-0` is a float, as serde_json reads it.
            (false, Some(0), true) => Number::Float(-0.0),
            (false, Some(m), false) => Number::Positive(m),
            (false, Some(m), true) => match 0i64.checked_sub_unsigned(m) {
                Some(n) => Number::Negative(n),
                None => Number::Float(self.float_at(start)?),
            },
            _ => Number::Float(self.float_at(start)?),
        };
        Ok((number, start))
    }

    fn float_at(&self, start: usize) -> Read<f64> {
        let text = self.text(start, self.pos);
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() => Ok(value),
            _ => Err(Failure::new(
                FailureKind::Type,
                format!("the number `{text}` is out of range"),
            )),
        }
    }

    /// Reads a string token: the text, borrowed from the body when it has no escapes.
    fn read_str(&mut self) -> Read<Cow<'a, str>> {
        // Past the opening quote.
        let start = self.pos.wrapping_add(1);
        let end = find_special(self.bytes, start);
        self.pos = end;
        match self.byte() {
            Some(b'"') => {
                let bytes = self.bytes.get(start..end).unwrap_or_default();
                self.pos = end.wrapping_add(1);
                self.utf8(bytes).map(Cow::Borrowed)
            }
            Some(b'\\') => self.read_escaped(start),
            Some(_) => Err(self.syntax("a control character inside a string")),
            None => Err(self.syntax("the text ends inside a string")),
        }
    }

    fn utf8(&self, bytes: &'a [u8]) -> Read<&'a str> {
        std::str::from_utf8(bytes).map_err(|_| self.syntax("invalid UTF-8 inside a string"))
    }

    /// The rest of a string that has an escape at `self.pos`, unescaped.
    fn read_escaped(&mut self, start: usize) -> Read<Cow<'a, str>> {
        let head = self.bytes.get(start..self.pos).unwrap_or_default();
        let head = self.utf8(head)?;
        let mut text = String::with_capacity(head.len().saturating_add(16));
        text.push_str(head);
        loop {
            let run_start = self.pos;
            self.pos = find_special(self.bytes, run_start);
            let run = self.bytes.get(run_start..self.pos).unwrap_or_default();
            text.push_str(self.utf8(run)?);
            match self.byte() {
                Some(b'"') => {
                    self.advance(1);
                    return Ok(Cow::Owned(text));
                }
                Some(b'\\') => {
                    self.advance(1);
                    let escape = self.byte();
                    self.advance(1);
                    match escape {
                        Some(b'"') => text.push('"'),
                        Some(b'\\') => text.push('\\'),
                        Some(b'/') => text.push('/'),
                        Some(b'b') => text.push('\u{8}'),
                        Some(b'f') => text.push('\u{c}'),
                        Some(b'n') => text.push('\n'),
                        Some(b'r') => text.push('\r'),
                        Some(b't') => text.push('\t'),
                        Some(b'u') => text.push(self.read_unicode_escape()?),
                        _ => return Err(self.syntax("an invalid escape inside a string")),
                    }
                }
                Some(_) => return Err(self.syntax("a control character inside a string")),
                None => return Err(self.syntax("the text ends inside a string")),
            }
        }
    }

    fn hex4(&mut self) -> Read<u16> {
        let digits = self
            .bytes
            .get(self.pos..self.pos.saturating_add(4))
            .ok_or_else(|| self.syntax("the text ends inside a `\\u` escape"))?;
        let mut value: u16 = 0;
        for &digit in digits {
            let nibble = match digit {
                b'0'..=b'9' => digit.wrapping_sub(b'0'),
                b'a'..=b'f' => digit.wrapping_sub(b'a').wrapping_add(10),
                b'A'..=b'F' => digit.wrapping_sub(b'A').wrapping_add(10),
                _ => return Err(self.syntax("an invalid `\\u` escape")),
            };
            value = (value << 4) | u16::from(nibble);
        }
        self.advance(4);
        Ok(value)
    }

    /// The character of a `\uXXXX` escape (the `\u` read), joining a surrogate pair.
    fn read_unicode_escape(&mut self) -> Read<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos.saturating_add(2)) != Some(b"\\u") {
                    return Err(self.syntax("a lone surrogate in a `\\u` escape"));
                }
                self.advance(2);
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.syntax("a lone surrogate in a `\\u` escape"));
                }
                // Both halves are in range, so none of this can overflow.
                let high = u32::from(first).wrapping_sub(0xD800);
                let low = u32::from(second).wrapping_sub(0xDC00);
                0x10000u32.wrapping_add(high << 10).wrapping_add(low)
            }
            0xDC00..=0xDFFF => return Err(self.syntax("a lone surrogate in a `\\u` escape")),
            other => u32::from(other),
        };
        char::from_u32(code).ok_or_else(|| self.syntax("an invalid `\\u` escape"))
    }

    /// Takes one entry from the budget.
    fn spend(&mut self) -> Read<()> {
        match self.budget.checked_sub(1) {
            Some(left) => {
                self.budget = left;
                Ok(())
            }
            None => Err(Failure::new(
                FailureKind::Limit,
                "the body holds more list entries and object members than the client accepts \
                 (see `ClientBuilder::max_decoded_entries`)",
            )),
        }
    }

    fn enter(&mut self) -> Read<()> {
        if self.depth >= MAX_DEPTH {
            return Err(Failure::new(
                FailureKind::Limit,
                format!("the body nests deeper than {MAX_DEPTH} levels"),
            ));
        }
        self.depth = self.depth.saturating_add(1);
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    // ------------------------------------------------------------------ typed reads

    /// An integer: a JSON integer, a number with no fraction, or text holding one.
    pub(crate) fn integer(&mut self) -> Read<i64> {
        match self.peek()? {
            Kind::Number => {
                let (number, start) = self.read_number()?;
                match number {
                    Number::Positive(n) => i64::try_from(n).ok(),
                    Number::Negative(n) => Some(n),
                    Number::Float(f) => float_to_i64(f),
                }
                .ok_or_else(|| {
                    Failure::new(
                        FailureKind::Type,
                        format!(
                            "expected an integer, found `{}`",
                            self.text(start, self.pos)
                        ),
                    )
                })
            }
            Kind::String => {
                let text = self.read_str()?;
                let trimmed = text.trim();
                trimmed
                    .parse::<i64>()
                    .ok()
                    .or_else(|| trimmed.parse::<f64>().ok().and_then(float_to_i64))
                    .ok_or_else(|| {
                        Failure::new(
                            FailureKind::Type,
                            format!("expected an integer, found the text {:?}", shorten(&text)),
                        )
                    })
            }
            other => Err(self.mismatch(other, "an integer")),
        }
    }

    /// A number: a JSON number, or text holding one.
    pub(crate) fn number(&mut self) -> Read<f64> {
        match self.peek()? {
            Kind::Number => {
                let (number, _) = self.read_number()?;
                Ok(match number {
                    Number::Positive(n) => n as f64,
                    Number::Negative(n) => n as f64,
                    Number::Float(f) => f,
                })
            }
            Kind::String => {
                let text = self.read_str()?;
                match text.trim().parse::<f64>() {
                    Ok(value) if value.is_finite() => Ok(value),
                    _ => Err(Failure::new(
                        FailureKind::Type,
                        format!("expected a number, found the text {:?}", shorten(&text)),
                    )),
                }
            }
            other => Err(self.mismatch(other, "a number")),
        }
    }

    /// A boolean: `true`/`false`, `0`/`1`, or one of those as text.
    pub(crate) fn boolean(&mut self) -> Read<bool> {
        match self.peek()? {
            Kind::Bool => self.read_bool(),
            Kind::Number => {
                let (number, start) = self.read_number()?;
                match number {
                    Number::Positive(0) => Ok(false),
                    Number::Positive(1) => Ok(true),
                    _ => Err(Failure::new(
                        FailureKind::Type,
                        format!(
                            "expected a boolean, 0 or 1, found `{}`",
                            self.text(start, self.pos)
                        ),
                    )),
                }
            }
            Kind::String => {
                let text = self.read_str()?;
                match &*text {
                    "0" | "false" => Ok(false),
                    "1" | "true" => Ok(true),
                    _ => Err(Failure::new(
                        FailureKind::Type,
                        format!(
                            "expected a boolean, 0 or 1, found the text {:?}",
                            shorten(&text)
                        ),
                    )),
                }
            }
            other => Err(self.mismatch(other, "a boolean")),
        }
    }

    /// Text: a JSON string, or a number as it is written.
    pub(crate) fn str(&mut self) -> Read<Cow<'a, str>> {
        match self.peek()? {
            Kind::String => self.read_str(),
            Kind::Number => {
                let (_, start) = self.read_number()?;
                Ok(Cow::Borrowed(self.text(start, self.pos)))
            }
            other => Err(self.mismatch(other, "text")),
        }
    }

    /// Text, owned.
    pub(crate) fn string(&mut self) -> Read<String> {
        self.str().map(Cow::into_owned)
    }

    /// A JSON string and nothing else: an object key, say.
    pub(crate) fn strict_str(&mut self) -> Read<Cow<'a, str>> {
        match self.peek()? {
            Kind::String => self.read_str(),
            other => Err(self.mismatch(other, "a string")),
        }
    }

    /// Reads a list, calling `entry` for each entry with its index; a failure inside an
    /// entry gains the index in its path.
    pub(crate) fn list(&mut self, mut entry: impl FnMut(&mut Self, usize) -> Read<()>) -> Read<()> {
        match self.peek()? {
            Kind::Array => {}
            other => return Err(self.mismatch(other, "a list")),
        }
        self.enter()?;
        self.advance(1);
        let mut index = 0usize;
        self.skip_whitespace();
        if self.byte() == Some(b']') {
            self.advance(1);
            self.leave();
            return Ok(());
        }
        loop {
            self.spend()?;
            entry(self, index).map_err(|failure| failure.in_index(index))?;
            index = index.saturating_add(1);
            self.skip_whitespace();
            match self.byte() {
                Some(b',') => self.advance(1),
                Some(b']') => {
                    self.advance(1);
                    self.leave();
                    return Ok(());
                }
                _ => return Err(self.syntax("expected `,` or `]` in a list")),
            }
        }
    }

    /// Reads an object, calling `member` with each key; it reads the value and returns
    /// `true`, or returns `false` without reading it, and then `other` gets the value.
    /// A failure inside a member gains the key in its path.
    pub(crate) fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, &str) -> Read<bool>,
        mut other: impl FnMut(&mut Self, Cow<'a, str>) -> Read<()>,
    ) -> Read<()> {
        match self.peek()? {
            Kind::Object => {}
            found => return Err(self.mismatch(found, "an object")),
        }
        self.enter()?;
        self.advance(1);
        self.skip_whitespace();
        if self.byte() == Some(b'}') {
            self.advance(1);
            self.leave();
            return Ok(());
        }
        loop {
            self.spend()?;
            self.skip_whitespace();
            if self.byte() != Some(b'"') {
                return Err(self.syntax("expected a key in an object"));
            }
            let key = self.read_str()?;
            self.skip_whitespace();
            if self.byte() != Some(b':') {
                return Err(self.syntax("expected `:` after a key"));
            }
            self.advance(1);
            match member(self, &key) {
                Ok(true) => {}
                Ok(false) => other(self, key.clone()).map_err(|f| f.in_key(&key))?,
                Err(failure) => return Err(failure.in_key(&key)),
            }
            self.skip_whitespace();
            match self.byte() {
                Some(b',') => self.advance(1),
                Some(b'}') => {
                    self.advance(1);
                    self.leave();
                    return Ok(());
                }
                _ => return Err(self.syntax("expected `,` or `}` in an object")),
            }
        }
    }

    /// Skips one value, checking that it is JSON; its entries draw on the budget.
    pub(crate) fn skip(&mut self) -> Read<()> {
        match self.peek()? {
            Kind::Null => self.literal(b"null"),
            Kind::Bool => self.read_bool().map(drop),
            Kind::Number => self.read_number().map(drop),
            Kind::String => self.skip_str(),
            Kind::Array => self.list(|reader, _| reader.skip()),
            Kind::Object => self.object(|reader, _| reader.skip().map(|()| true), |_, _| Ok(())),
        }
    }

    /// Skips a string without unescaping it, checking its escapes and its UTF-8.
    fn skip_str(&mut self) -> Read<()> {
        let start = self.pos;
        self.advance(1);
        loop {
            self.pos = find_special(self.bytes, self.pos);
            match self.byte() {
                Some(b'"') => {
                    self.advance(1);
                    let bytes = self.bytes.get(start..self.pos).unwrap_or_default();
                    return std::str::from_utf8(bytes)
                        .map(drop)
                        .map_err(|_| self.syntax("invalid UTF-8 inside a string"));
                }
                Some(b'\\') => {
                    self.advance(1);
                    match self.byte() {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.advance(1)
                        }
                        Some(b'u') => {
                            self.advance(1);
                            self.read_unicode_escape()?;
                        }
                        _ => return Err(self.syntax("an invalid escape inside a string")),
                    }
                }
                Some(_) => return Err(self.syntax("a control character inside a string")),
                None => return Err(self.syntax("the text ends inside a string")),
            }
        }
    }

    /// Reads any value as a `serde_json::Value`; its entries draw on the budget.
    pub(crate) fn value(&mut self) -> Read<serde_json::Value> {
        use serde_json::Value;
        Ok(match self.peek()? {
            Kind::Null => {
                self.literal(b"null")?;
                Value::Null
            }
            Kind::Bool => Value::Bool(self.read_bool()?),
            Kind::Number => match self.read_number()?.0 {
                Number::Positive(n) => Value::Number(n.into()),
                Number::Negative(n) => Value::Number(n.into()),
                Number::Float(f) => serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .unwrap_or(Value::Null),
            },
            Kind::String => Value::String(self.read_str()?.into_owned()),
            Kind::Array => {
                let mut items = Vec::new();
                self.list(|reader, _| {
                    items.push(reader.value()?);
                    Ok(())
                })?;
                Value::Array(items)
            }
            Kind::Object => {
                let mut map = serde_json::Map::new();
                self.object(
                    |_, _| Ok(false),
                    |reader, key| {
                        let value = reader.value()?;
                        map.insert(key.into_owned(), value);
                        Ok(())
                    },
                )?;
                Value::Object(map)
            }
        })
    }
}

/// Text cut to a length fit for an error message.
fn shorten(text: &str) -> String {
    const MAX: usize = 64;
    match text.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// An integer-valued float in `i64`'s range, as an `i64`.
fn float_to_i64(value: f64) -> Option<i64> {
    // 2^63 is exactly representable; every f64 below it in magnitude with no fraction
    // converts exactly.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (value.fract() == 0.0 && (-LIMIT..LIMIT).contains(&value)).then_some(value as i64)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` (read little-endian) that is a quote, a
/// backslash or a control byte (below 0x20), and perhaps of some bytes above the first
/// such byte: the lowest bit set always marks the first one (a borrow only runs
/// upwards), so `trailing_zeros() / 8` is its index.
fn special_bytes(word: u64) -> u64 {
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x;
    let quote = has_zero(word ^ (ONES.wrapping_mul(u64::from(b'"'))));
    let backslash = has_zero(word ^ (ONES.wrapping_mul(u64::from(b'\\'))));
    let control = word.wrapping_sub(ONES.wrapping_mul(0x20)) & !word;
    (quote | backslash | control) & HIGH_BITS
}

/// The offset of the first quote, backslash or control byte at or after `from`, or the
/// length of `bytes` when there is none: eight bytes at a time, then one at a time.
fn find_special(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    let mut offset = from;
    let mut chunks = rest.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or([0; 8]));
        let special = special_bytes(word);
        if special != 0 {
            return offset.wrapping_add((special.trailing_zeros() / 8) as usize);
        }
        offset = offset.wrapping_add(8);
    }
    for &byte in chunks.remainder() {
        if byte == b'"' || byte == b'\\' || byte < 0x20 {
            return offset;
        }
        offset = offset.wrapping_add(1);
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn read<'a, T>(json: &'a str, f: impl FnOnce(&mut Reader<'a>) -> Read<T>) -> Read<T> {
        let mut reader = Reader::new(json.as_bytes(), u64::MAX);
        let value = f(&mut reader)?;
        reader.end()?;
        Ok(value)
    }

    fn value(json: &str) -> Read<Value> {
        read(json, Reader::value)
    }

    #[test]
    fn values_read_as_serde_json_reads_them() {
        for json in [
            "null",
            "true",
            " false ",
            "0",
            "-0",
            "12",
            "-12",
            "18446744073709551615",
            "-9223372036854775808",
            "1.5",
            "-1.25e3",
            "1E-2",
            "123456789012345678901234567890",
            r#""""#,
            r#""plain""#,
            r#""esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00 end""#,
            r#""naïve ☃ 😀""#,
            "[]",
            "[1, [2, [3]], {}]",
            r#"{"a": 1, "b": {"c": [true, null]}, "a": 2}"#,
            r#"{"0123456789abcdef": "0123456789abcdef0123456789abcdef"}"#,
        ] {
            let expected: Value = serde_json::from_str(json).unwrap();
            assert_eq!(value(json).unwrap(), expected, "{json}");
        }
    }

    #[test]
    fn text_that_is_not_json_is_a_syntax_failure() {
        for json in [
            "",
            " ",
            "nul",
            "truth",
            "01",
            "1.",
            ".5",
            "1e",
            "-",
            "+1",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "{a:1}",
            "{\"a\":1]",
            "\"open",
            "\"bad \\x escape\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\u12\"",
            "\"tab\tinside\"",
            "[1] 2",
            "NaN",
        ] {
            let failure = value(json).unwrap_err();
            assert_eq!(failure.kind(), FailureKind::Syntax, "{json}: {failure:?}");
            assert!(serde_json::from_str::<Value>(json).is_err(), "{json}");
        }
        let invalid_utf8 = b"\"\xff\"";
        let mut reader = Reader::new(invalid_utf8, u64::MAX);
        assert_eq!(reader.value().unwrap_err().kind(), FailureKind::Syntax);
        let mut reader = Reader::new(invalid_utf8, u64::MAX);
        assert_eq!(reader.skip().unwrap_err().kind(), FailureKind::Syntax);
    }

    #[test]
    fn numbers_out_of_range_are_refused_as_serde_json_refuses_them() {
        assert_eq!(value("1e400").unwrap_err().kind(), FailureKind::Type);
        assert!(serde_json::from_str::<Value>("1e400").is_err());
    }

    #[test]
    fn scalars_are_read_leniently() {
        assert_eq!(read("5", Reader::integer).unwrap(), 5);
        assert_eq!(read("\"5\"", Reader::integer).unwrap(), 5);
        assert_eq!(read("\" 7 \"", Reader::integer).unwrap(), 7);
        assert_eq!(read("5.0", Reader::integer).unwrap(), 5);
        assert_eq!(
            read("-9223372036854775808", Reader::integer).unwrap(),
            i64::MIN
        );
        for bad in [
            "5.5",
            "\"five\"",
            "true",
            "[]",
            "{}",
            "9223372036854775808",
            "1e19",
        ] {
            let failure = read(bad, Reader::integer).unwrap_err();
            assert_eq!(failure.kind(), FailureKind::Type, "{bad}");
        }
        assert_eq!(read("2.5", Reader::number).unwrap(), 2.5);
        assert_eq!(read("\"2.5\"", Reader::number).unwrap(), 2.5);
        assert_eq!(read("3", Reader::number).unwrap(), 3.0);
        assert!(read("\"NaN\"", Reader::number).is_err());
        for (json, expected) in [
            ("true", true),
            ("false", false),
            ("1", true),
            ("0", false),
            ("\"1\"", true),
            ("\"false\"", false),
        ] {
            assert_eq!(read(json, Reader::boolean).unwrap(), expected, "{json}");
        }
        for bad in ["2", "-1", "\"yes\"", "1.0", "null", "[]"] {
            assert!(read(bad, Reader::boolean).is_err(), "{bad}");
        }
        assert_eq!(read("\"text\"", Reader::string).unwrap(), "text");
        assert_eq!(read("12.50", Reader::string).unwrap(), "12.50");
        assert_eq!(read("-3", Reader::string).unwrap(), "-3");
        for bad in ["true", "null", "[]", "{}"] {
            assert_eq!(
                read(bad, Reader::string).unwrap_err().kind(),
                FailureKind::Type,
                "{bad}"
            );
        }
    }

    #[test]
    fn a_failure_names_its_path_from_the_root() {
        let json = r#"{"data": [{"id": 1}, {"id": 2, "owner": {"id": "x"}}]}"#;
        let failure = read(json, |reader| {
            reader.object(
                |reader, key| {
                    assert_eq!(key, "data");
                    reader.list(|reader, _| {
                        reader.object(
                            |reader, key| match key {
                                "id" => reader.integer().map(|_| true),
                                "owner" => reader
                                    .object(
                                        |reader, _| reader.integer().map(|_| true),
                                        |_, _| Ok(()),
                                    )
                                    .map(|()| true),
                                _ => Ok(false),
                            },
                            |reader, _| reader.skip(),
                        )
                    })?;
                    Ok(true)
                },
                |reader, _| reader.skip(),
            )
        })
        .unwrap_err();
        assert_eq!(failure.path(), "data[1].owner.id");
        assert_eq!(failure.kind(), FailureKind::Type);
        assert_eq!(
            failure.to_string(),
            "at `data[1].owner.id`: expected an integer, found the text \"x\""
        );
        assert_eq!(
            format!("{failure:?}"),
            "Type at `data[1].owner.id`: expected an integer, found the text \"x\""
        );
        assert!(failure.message().contains("\"x\""), "{}", failure.message());
        assert_eq!(Failure::missing("id").path(), "id");
        assert_eq!(Failure::new(FailureKind::Type, "x").path(), ".");
    }

    #[test]
    fn a_mismatch_names_what_was_found() {
        for (json, found) in [
            ("null", "null"),
            ("true", "a boolean"),
            ("1", "a number"),
            ("\"x\"", "a string"),
            ("{}", "an object"),
        ] {
            let failure = read(json, |reader| reader.list(|reader, _| reader.skip())).unwrap_err();
            assert_eq!(failure.message(), format!("expected a list, found {found}"));
        }
        let failure = read("[]", Reader::boolean).unwrap_err();
        assert_eq!(failure.message(), "expected a boolean, found a list");
    }

    #[test]
    fn the_reader_says_where_it_is_and_how_deep() {
        let mut reader = Reader::new(b"  [ [ [1] ] ]", u64::MAX);
        assert_eq!(reader.position(), 2, "past the whitespace");
        assert_eq!(reader.depth(), 0);
        let mut depths = Vec::new();
        reader
            .list(|reader, _| {
                depths.push((reader.depth(), reader.position()));
                reader.list(|reader, _| {
                    depths.push((reader.depth(), reader.position()));
                    reader.skip()
                })
            })
            .unwrap();
        assert_eq!(depths, [(1, 4), (2, 6)]);
        assert_eq!(reader.depth(), 0);
    }

    #[test]
    fn a_value_that_fails_can_be_rewound_and_skipped() {
        let json = r#"[{"id": 1}, {"id": {"deep": [1, 2]}}, {"id": 3}]"#;
        let mut reader = Reader::new(json.as_bytes(), u64::MAX);
        let mut ids = Vec::new();
        let mut skipped = Vec::new();
        reader
            .list(|reader, index| {
                let start = reader.position();
                let depth = reader.depth();
                let item = reader.object(
                    |reader, _| {
                        reader.integer().map(|id| {
                            ids.push(id);
                            true
                        })
                    },
                    |_, _| Ok(()),
                );
                match item {
                    Ok(()) => Ok(()),
                    Err(failure) if failure.is_local() => {
                        reader.rewind(start, depth);
                        reader.skip()?;
                        let end = reader.position();
                        skipped.push((index, reader.text(start, end).to_owned()));
                        Ok(())
                    }
                    Err(failure) => Err(failure),
                }
            })
            .unwrap();
        reader.end().unwrap();
        assert_eq!(ids, [1, 3]);
        assert_eq!(skipped, [(1, r#"{"id": {"deep": [1, 2]}}"#.to_owned())]);
    }

    #[test]
    fn the_budget_counts_entries_at_every_depth() {
        let json = r#"[{"a": [1, 2, 3]}, {"b": {"c": 1}}]"#;
        // 2 items + 1 member + 3 entries + 1 member + 1 member = 8.
        let mut reader = Reader::new(json.as_bytes(), 8);
        reader.value().unwrap();
        let mut reader = Reader::new(json.as_bytes(), 7);
        let failure = reader.value().unwrap_err();
        assert_eq!(failure.kind(), FailureKind::Limit);
        assert!(!failure.is_local());
        let mut reader = Reader::new(json.as_bytes(), 7);
        assert_eq!(reader.skip().unwrap_err().kind(), FailureKind::Limit);
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(value(&deep).unwrap_err().kind(), FailureKind::Limit);
        let mut reader = Reader::new(deep.as_bytes(), u64::MAX);
        assert_eq!(reader.skip().unwrap_err().kind(), FailureKind::Limit);
        let fits = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(value(&fits).is_ok());
        // Depth is nesting, not a count of the lists and objects met.
        let wide = format!("[{}]", vec![r#"[{"a": {}}]"#; 200].join(","));
        assert!(value(&wide).is_ok());
        assert!(Reader::new(wide.as_bytes(), u64::MAX).skip().is_ok());
    }

    #[test]
    fn strings_borrow_unless_they_have_escapes() {
        let mut reader = Reader::new(br#""plain text, long enough for the fast scan""#, 1);
        assert!(matches!(reader.str().unwrap(), Cow::Borrowed(_)));
        let mut reader = Reader::new(br#""with \"escape\"""#, 1);
        let text = reader.str().unwrap();
        assert!(matches!(text, Cow::Owned(_)));
        assert_eq!(text, "with \"escape\"");
    }

    #[test]
    fn the_fast_scan_finds_the_first_byte_that_ends_a_run() {
        let plain = |at: usize, len: usize| {
            (0..len)
                .map(|i| {
                    if i % 3 == 0 {
                        0xc3
                    } else if i % 3 == 1 {
                        0xa9
                    } else {
                        b'z'
                    }
                })
                .chain(std::iter::empty())
                .take(at)
                .collect::<Vec<u8>>()
        };
        for special in [b'"', b'\\', 0x00, 0x01, 0x1f] {
            for len in 0..24 {
                for at in 0..len {
                    let mut bytes = plain(at, len);
                    bytes.push(special);
                    // What follows may hold more special bytes, or bytes a borrow could
                    // make look special.
                    bytes.extend_from_slice(&[0x01, b'"', 0x21, 0x20, 0x5c, 0x5d, 0x23]);
                    assert_eq!(find_special(&bytes, 0), at, "{special:#x} at {at}");
                    if at > 0 {
                        assert_eq!(find_special(&bytes, 1), at, "{special:#x} at {at} from 1");
                    }
                }
            }
        }
        for len in 0..20 {
            let bytes = plain(len, len);
            assert_eq!(find_special(&bytes, 0), len);
        }
        assert_eq!(find_special(b"ab", 5), 5, "from past the end");
        assert_eq!(special_bytes(u64::from_le_bytes(*b"abcdefgh")), 0);
        assert_eq!(
            special_bytes(u64::from_le_bytes([
                0xc3, 0xa9, b' ', 0x7f, 0xff, b'z', 0x20, b'!'
            ])),
            0
        );
    }

    /// SplitMix64: a small generator, seeded, so every run reads the same documents.
    struct Dice(u64);

    impl Dice {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn pick<'t>(&mut self, items: &[&'t str]) -> &'t str {
            items[self.below(items.len())]
        }
    }

    fn whitespace(dice: &mut Dice, out: &mut String) {
        out.push_str(dice.pick(&["", "", "", " ", "\n", "\t", "\r\n  "]));
    }

    fn digits(dice: &mut Dice, out: &mut String, most: usize) {
        for _ in 0..=dice.below(most) {
            out.push(char::from(b'0' + dice.below(10) as u8));
        }
    }

    /// A JSON text of any kind, written the ways JSON allows: escapes of every sort,
    /// runs longer and shorter than the reader's eight-byte scan, numbers at and past
    /// the integer limits, and whitespace between every token.
    fn document(dice: &mut Dice, depth: u32, out: &mut String) {
        whitespace(dice, out);
        let kinds = if depth == 0 { 5 } else { 7 };
        match dice.below(kinds) {
            0 => out.push_str(dice.pick(&["null", "true", "false"])),
            1 | 2 => {
                if dice.below(2) == 0 {
                    out.push('-');
                }
                match dice.below(4) {
                    0 => out.push('0'),
                    1 => out.push_str(dice.pick(&[
                        "9223372036854775807",
                        "9223372036854775808",
                        "18446744073709551615",
                        "18446744073709551616",
                    ])),
                    _ => {
                        out.push(char::from(b'1' + dice.below(9) as u8));
                        digits(dice, out, 24);
                    }
                }
                if dice.below(3) == 0 {
                    out.push('.');
                    digits(dice, out, 20);
                }
                if dice.below(4) == 0 {
                    out.push_str(dice.pick(&["e", "E", "e+", "e-", "E-"]));
                    digits(dice, out, 3);
                }
            }
            3 | 4 => {
                out.push('"');
                for _ in 0..dice.below(24) {
                    out.push_str(dice.pick(&[
                        "a",
                        "z",
                        " ",
                        "é",
                        "☃",
                        "😀",
                        "\\\"",
                        "\\\\",
                        "\\/",
                        "\\b",
                        "\\f",
                        "\\n",
                        "\\r",
                        "\\t",
                        "\\u00e9",
                        "\\u0000",
                        "\\u001F",
                        "\\uFFFF",
                        "\\ud83d\\ude00",
                        "\\uDBFF\\uDFFF",
                        "plain text run",
                    ]));
                }
                out.push('"');
            }
            5 => {
                out.push('[');
                for index in 0..dice.below(5) {
                    if index > 0 {
                        whitespace(dice, out);
                        out.push(',');
                    }
                    document(dice, depth - 1, out);
                }
                whitespace(dice, out);
                out.push(']');
            }
            _ => {
                out.push('{');
                for index in 0..dice.below(5) {
                    if index > 0 {
                        out.push(',');
                    }
                    whitespace(dice, out);
                    // Few keys, so that some repeat.
                    out.push_str(dice.pick(&["\"a\"", "\"b\"", "\"\\u0061\"", "\"ü\"", "\"\""]));
                    whitespace(dice, out);
                    out.push(':');
                    document(dice, depth - 1, out);
                }
                whitespace(dice, out);
                out.push('}');
            }
        }
        whitespace(dice, out);
    }

    /// The same value, numbers compared by kind and, for fractions, to the last bit or
    /// two (serde_json's default float parsing is not always correctly rounded).
    fn same(left: &Value, right: &Value) -> bool {
        match (left, right) {
            (Value::Number(l), Value::Number(r)) => {
                if l.is_f64() || r.is_f64() {
                    close(l.as_f64().unwrap_or(f64::NAN), r.as_f64().unwrap_or(0.0))
                } else {
                    l == r
                }
            }
            (Value::Array(l), Value::Array(r)) => {
                l.len() == r.len() && l.iter().zip(r).all(|(l, r)| same(l, r))
            }
            (Value::Object(l), Value::Object(r)) => {
                l.len() == r.len()
                    && l.iter()
                        .zip(r)
                        .all(|((lk, lv), (rk, rv))| lk == rk && same(lv, rv))
            }
            (l, r) => l == r,
        }
    }

    fn close(left: f64, right: f64) -> bool {
        left.is_sign_negative() == right.is_sign_negative()
            && (left == right || (left - right).abs() <= left.abs().max(right.abs()) * 1e-15)
    }

    /// Reads `bytes` as a value, and skips it, and checks both against serde_json: the
    /// same value when it accepts, a failure when it refuses.
    fn agrees_with_serde_json(bytes: &[u8]) {
        let shown = String::from_utf8_lossy(bytes);
        let expected = serde_json::from_slice::<Value>(bytes);
        let mut reader = Reader::new(bytes, u64::MAX);
        let read = reader
            .value()
            .and_then(|value| reader.end().map(|()| value));
        let mut skipper = Reader::new(bytes, u64::MAX);
        let skipped = skipper.skip().and_then(|()| skipper.end());
        match (&expected, &read) {
            (Ok(expected), Ok(read)) => {
                assert!(
                    same(expected, read),
                    "{shown:?}: {read:?}, not {expected:?}"
                )
            }
            (Err(_), Err(failure)) => assert!(
                failure.kind() == FailureKind::Syntax
                    || (failure.kind() == FailureKind::Type
                        && failure.message().contains("out of range")),
                "{shown:?}: {failure:?}"
            ),
            (expected, read) => panic!("{shown:?}: serde_json {expected:?}, the reader {read:?}"),
        }
        // Skipping checks the same text, numbers' range included.
        assert_eq!(
            skipped.as_ref().copied().map_err(|failure| failure.kind()),
            read.as_ref().map(drop).map_err(|failure| failure.kind()),
            "{shown:?}"
        );
        if let (Ok(()), Ok(_)) = (&skipped, &read) {
            assert_eq!(skipper.position(), reader.position(), "{shown:?}");
        }
    }

    #[test]
    fn random_documents_and_their_corruptions_read_as_serde_json_reads_them() {
        let mut dice = Dice(0x5eed);
        let mut accepted = 0;
        let mut refused = 0;
        for _ in 0..3000 {
            let mut text = String::new();
            document(&mut dice, 4, &mut text);
            agrees_with_serde_json(text.as_bytes());
            // One corruption of each sort: a byte cut, a byte changed, a byte added,
            // the text cut short. Some still parse; both readers must agree either way.
            let bytes = text.as_bytes();
            let at = dice.below(bytes.len());
            let noise = b"\"\\,:[]{}0-+.eE \x01\x7f\xc3a";
            let byte = noise[dice.below(noise.len())];
            let mut cut = bytes.to_vec();
            cut.remove(at);
            let mut changed = bytes.to_vec();
            changed[at] = byte;
            let mut added = bytes.to_vec();
            added.insert(at, byte);
            for variant in [&cut[..], &changed, &added, &bytes[..at]] {
                agrees_with_serde_json(variant);
                if serde_json::from_slice::<Value>(variant).is_ok() {
                    accepted += 1;
                } else {
                    refused += 1;
                }
            }
        }
        // Both outcomes are well represented, so neither side of the comparison is idle.
        assert!(
            accepted > 1000 && refused > 5000,
            "{accepted} accepted, {refused} refused"
        );
    }
}
