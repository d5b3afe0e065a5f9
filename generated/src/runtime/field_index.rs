//! Custom fields by name: a [`FieldIndex`] holds a resource's field definitions, loaded
//! once, and turns the names people know ("Budget") into codes, an option's label
//! ("EMEA") into its id and back, and reads an item's value by field name
//! ([`CustomField`]). It reads each definition through [`FieldDefinition`], which the
//! generated definition models implement (the spec marks them) and any type of the
//! caller's may.

use std::collections::HashMap;

use futures::{Stream, StreamExt as _};
use serde_json::Value;

use super::custom_fields::{
    CustomFieldError, CustomFields, Money, option_key, read_date, read_id, read_ids, read_money,
    read_number, read_text, unwrap, wrong,
};
use super::error::{Error, ItemError};

/// A field definition as an index reads it: the definition models of the field
/// resources implement it (the generator writes the impls), and a type of the caller's
/// may too.
///
/// ```
/// use pipedrive::{DefinitionRef, FieldDefinition, FieldIndex};
///
/// struct Known {
///     code: &'static str,
///     name: &'static str,
/// }
///
/// impl FieldDefinition for Known {
///     fn field_definition(&self) -> DefinitionRef<'_> {
///         DefinitionRef::new(self.code).name(self.name).field_type("varchar")
///     }
/// }
///
/// let index = FieldIndex::new([Known { code: "abc123", name: "Notes" }]);
/// assert_eq!(index.code("Notes")?, "abc123");
/// # Ok::<(), pipedrive::CustomFieldError>(())
/// ```
pub trait FieldDefinition {
    /// The definition's code, name, type and options.
    fn field_definition(&self) -> DefinitionRef<'_>;
}

impl<T: FieldDefinition + ?Sized> FieldDefinition for &T {
    fn field_definition(&self) -> DefinitionRef<'_> {
        (**self).field_definition()
    }
}

/// What a [`FieldDefinition`] tells an index: the field's code, and its name, type and
/// options where it has them, borrowed from the definition.
///
/// ```
/// use pipedrive::{DefinitionRef, FieldDefinition, FieldIndex};
///
/// struct Region;
///
/// impl FieldDefinition for Region {
///     fn field_definition(&self) -> DefinitionRef<'_> {
///         DefinitionRef::new("abc123")
///             .name("Region")
///             .field_type("enum")
///             .option(&7, "EMEA")
///             .option(&8, "APAC")
///     }
/// }
///
/// let index = FieldIndex::new([Region]);
/// assert_eq!(index.option_id("Region", "APAC")?, 8);
/// # Ok::<(), pipedrive::CustomFieldError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionRef<'a> {
    code: &'a str,
    name: Option<&'a str>,
    field_type: Option<&'a str>,
    /// Each option's id, as text, and its label.
    options: Vec<(String, Option<&'a str>)>,
}

impl<'a> DefinitionRef<'a> {
    /// A field of this code, so far without a name, type or options.
    pub fn new(code: &'a str) -> Self {
        Self {
            code,
            name: None,
            field_type: None,
            options: Vec::new(),
        }
    }

    /// The name users know the field by.
    pub fn name(mut self, name: impl Into<Option<&'a str>>) -> Self {
        self.name = name.into();
        self
    }

    /// The field's type as the API writes it (`varchar`, `enum`, `monetary`, ...).
    pub fn field_type(mut self, field_type: impl Into<Option<&'a str>>) -> Self {
        self.field_type = field_type.into();
        self
    }

    /// An option of the field: its id (an integer, or text for some built-in fields), by
    /// reference, since the index keeps its text (`&7`, `"won"`), and its label.
    pub fn option(
        mut self,
        id: &(impl std::fmt::Display + ?Sized),
        label: impl Into<Option<&'a str>>,
    ) -> Self {
        self.options.push((id.to_string(), label.into()));
        self
    }
}

/// One field of a [`FieldIndex`]: its code, name, type and options, as its definition
/// gave them.
///
/// ```
/// # use pipedrive::{DefinitionRef, FieldDefinition};
/// # struct Region;
/// # impl FieldDefinition for Region {
/// #     fn field_definition(&self) -> DefinitionRef<'_> {
/// #         DefinitionRef::new("abc123").name("Region").field_type("enum").option(&7, "EMEA")
/// #     }
/// # }
/// let index = pipedrive::FieldIndex::new([Region]);
/// let field = index.field("Region")?;
/// assert_eq!((field.code(), field.field_type()), ("abc123", Some("enum")));
/// assert_eq!(field.option_label(7)?, "EMEA");
/// # Ok::<(), pipedrive::CustomFieldError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedField {
    code: String,
    name: Option<String>,
    field_type: Option<String>,
    options: Vec<(String, Option<String>)>,
}

impl IndexedField {
    fn of(definition: DefinitionRef<'_>) -> Self {
        let DefinitionRef {
            code,
            name,
            field_type,
            options,
        } = definition;
        Self {
            code: code.to_owned(),
            name: name.map(str::to_owned),
            field_type: field_type.map(str::to_owned),
            options: options
                .into_iter()
                .map(|(id, label)| (id, label.map(str::to_owned)))
                .collect(),
        }
    }

    /// The field's code: the key of its value in an item.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The name users know the field by.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The field's type as the API writes it (`varchar`, `enum`, `monetary`, ...).
    pub fn field_type(&self) -> Option<&str> {
        self.field_type.as_deref()
    }

    /// The options of an option field: each id (as text) and label, in order.
    pub fn options(&self) -> impl Iterator<Item = (&str, Option<&str>)> + '_ {
        self.options
            .iter()
            .map(|(id, label)| (id.as_str(), label.as_deref()))
    }

    /// The label of the option `id`.
    pub fn option_label(&self, id: i64) -> Result<&str, CustomFieldError> {
        self.label_of(&id.to_string())
    }

    /// The id of the option labelled `label`; an option whose id is not a number (some
    /// built-in fields name theirs) has none to give.
    pub fn option_id(&self, label: &str) -> Result<i64, CustomFieldError> {
        let unknown = || CustomFieldError::UnknownOption {
            field: self.code.clone(),
            option: label.to_owned(),
        };
        let matching: Vec<&str> = self
            .options
            .iter()
            .filter(|(_, option)| option.as_deref() == Some(label))
            .map(|(id, _)| id.as_str())
            .collect();
        match matching.as_slice() {
            [] => Err(unknown()),
            [id] => id.parse().map_err(|_| unknown()),
            several => Err(CustomFieldError::AmbiguousOption {
                field: self.code.clone(),
                option: label.to_owned(),
                ids: several.iter().map(|id| (*id).to_owned()).collect(),
            }),
        }
    }

    fn label_of(&self, id: &str) -> Result<&str, CustomFieldError> {
        self.options
            .iter()
            .find(|(option, _)| option == id)
            .and_then(|(_, label)| label.as_deref())
            .ok_or_else(|| CustomFieldError::UnknownOption {
                field: self.code.clone(),
                option: id.to_owned(),
            })
    }
}

/// The fields of one kind of item (deals, persons, ...), loaded once from their
/// definitions: it turns the names people know into codes, an option's label into its
/// id and back, and reads an item's values by field name.
///
/// A field is found by its code first, then by its name, exactly as written; two fields
/// of one name are [`CustomFieldError::AmbiguousField`], and either is found by its
/// code.
///
/// ```
/// use pipedrive::FieldIndex;
/// use pipedrive::deal_fields::DealField;
/// use pipedrive::deals::{Deal, NewDeal};
/// use pipedrive::fields::{FieldOption, FieldType};
/// use pipedrive::mock::MockServer;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mock = MockServer::start().await;
/// mock.deal_fields().list().responds(vec![
///     DealField::new("f1e2d3").field_name("Region").field_type(FieldType::Enum).options([
///         FieldOption::new(1).label("EMEA"),
///         FieldOption::new(2).label("APAC"),
///     ]),
///     DealField::new("a9b8c7").field_name("Budget").field_type(FieldType::Monetary),
/// ]).await;
/// let client = mock.client();
///
/// // Once: every page of the definitions.
/// let index = FieldIndex::collect(client.deal_fields().list().all_items()).await?;
///
/// // Read by name.
/// let deal = Deal::new(1).custom_field("f1e2d3", 2).custom_field("a9b8c7", pipedrive::Money::new(900.0, "EUR"));
/// assert_eq!(index.get(&deal.custom_fields, "Region")?.label()?, Some("APAC"));
/// assert_eq!(index.get(&deal.custom_fields, "Budget")?.money()?.map(|m| m.amount), Some(900.0));
///
/// // Write by name.
/// let body = NewDeal::new("Expansion")
///     .custom_field(index.code("Region")?, index.option_id("Region", "EMEA")?);
/// assert_eq!(body.custom_fields.option("f1e2d3")?, Some(1));
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct FieldIndex {
    fields: Vec<IndexedField>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    failed: Vec<ItemError>,
}

impl FieldIndex {
    /// The index of these definitions.
    pub fn new<D: FieldDefinition>(definitions: impl IntoIterator<Item = D>) -> Self {
        let mut index = Self::default();
        for definition in definitions {
            index.insert(&definition);
        }
        index
    }

    /// The index of every definition a stream yields, such as a field resource's
    /// `list().all_items()`. A definition that did not decode ([`Error::Item`]) is left
    /// out and kept in [`failed`](Self::failed); any other error is returned.
    pub async fn collect<D: FieldDefinition>(
        definitions: impl Stream<Item = Result<D, Error>>,
    ) -> Result<Self, Error> {
        let mut definitions = std::pin::pin!(definitions);
        let mut index = Self::default();
        while let Some(next) = definitions.next().await {
            match next {
                Ok(definition) => index.insert(&definition),
                Err(Error::Item(item)) => index.failed.push(*item),
                Err(other) => return Err(other),
            }
        }
        Ok(index)
    }

    /// Adds a definition; one of a code the index has already replaces it.
    pub fn insert(&mut self, definition: &impl FieldDefinition) {
        let field = IndexedField::of(definition.field_definition());
        if let Some(&at) = self.by_code.get(&field.code) {
            if let Some(name) = self.fields[at].name.take() {
                if let Some(named) = self.by_name.get_mut(&name) {
                    named.retain(|&other| other != at);
                }
            }
            if let Some(name) = &field.name {
                self.by_name.entry(name.clone()).or_default().push(at);
            }
            self.fields[at] = field;
            return;
        }
        let at = self.fields.len();
        self.by_code.insert(field.code.clone(), at);
        if let Some(name) = &field.name {
            self.by_name.entry(name.clone()).or_default().push(at);
        }
        self.fields.push(field);
    }

    /// The definitions a stream could not decode, for [`collect`](Self::collect).
    pub fn failed(&self) -> &[ItemError] {
        &self.failed
    }

    /// How many fields the index knows.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether it knows none.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Every field, in the order the definitions came.
    pub fn fields(&self) -> impl Iterator<Item = &IndexedField> + '_ {
        self.fields.iter()
    }

    /// The field of this code or name.
    pub fn field(&self, field: &str) -> Result<&IndexedField, CustomFieldError> {
        if let Some(&at) = self.by_code.get(field) {
            return Ok(&self.fields[at]);
        }
        match self.by_name.get(field).map(Vec::as_slice) {
            Some([at]) => Ok(&self.fields[*at]),
            Some(several) if several.len() > 1 => Err(CustomFieldError::AmbiguousField {
                field: field.to_owned(),
                codes: several
                    .iter()
                    .map(|&at| self.fields[at].code.clone())
                    .collect(),
            }),
            _ => Err(CustomFieldError::UnknownField {
                field: field.to_owned(),
            }),
        }
    }

    /// The code of the field of this name (or code): the key to set its value under.
    pub fn code(&self, field: &str) -> Result<&str, CustomFieldError> {
        self.field(field).map(IndexedField::code)
    }

    /// The id of the option labelled `label` of the field `field`.
    pub fn option_id(&self, field: &str, label: &str) -> Result<i64, CustomFieldError> {
        self.field(field)?.option_id(label)
    }

    /// The ids of the options labelled `labels` of the field `field`, in that order: the
    /// value of a multiple option field.
    pub fn option_ids<L: AsRef<str>>(
        &self,
        field: &str,
        labels: impl IntoIterator<Item = L>,
    ) -> Result<Vec<i64>, CustomFieldError> {
        let field = self.field(field)?;
        labels
            .into_iter()
            .map(|label| field.option_id(label.as_ref()))
            .collect()
    }

    /// The label of the option `id` of the field `field`.
    pub fn option_label(&self, field: &str, id: i64) -> Result<&str, CustomFieldError> {
        self.field(field)?.option_label(id)
    }

    /// The value of the field `field` (a name or a code) among `values`, to read it as
    /// its type.
    pub fn get<'a>(
        &'a self,
        values: &'a CustomFields,
        field: &str,
    ) -> Result<CustomField<'a>, CustomFieldError> {
        let field = self.field(field)?;
        Ok(CustomField {
            value: values.get(&field.code),
            field,
        })
    }
}

impl<D: FieldDefinition> FromIterator<D> for FieldIndex {
    fn from_iter<I: IntoIterator<Item = D>>(definitions: I) -> Self {
        Self::new(definitions)
    }
}

/// One field of one item: its definition, from a [`FieldIndex`], and its value, from the
/// item's [`CustomFields`]. The readers are those of [`CustomFields`], and
/// [`label`](Self::label) and [`labels`](Self::labels) name the chosen options.
///
/// ```
/// use pipedrive::{CustomFields, FromJson as _};
/// # use pipedrive::{DefinitionRef, FieldDefinition};
/// # struct Region;
/// # impl FieldDefinition for Region {
/// #     fn field_definition(&self) -> DefinitionRef<'_> {
/// #         DefinitionRef::new("abc123").name("Region").field_type("enum").option(&7, "EMEA")
/// #     }
/// # }
/// let index = pipedrive::FieldIndex::new([Region]);
/// // A deal's `custom_fields`, as the API sends them.
/// let values = CustomFields::from_json(br#"{"abc123": 7}"#)?;
/// let region = index.get(&values, "Region")?;
/// assert_eq!((region.option()?, region.label()?), (Some(7), Some("EMEA")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CustomField<'a> {
    field: &'a IndexedField,
    value: Option<&'a Value>,
}

impl<'a> CustomField<'a> {
    /// The field's definition.
    pub fn definition(&self) -> &'a IndexedField {
        self.field
    }

    /// The value as the API sent it; `None` when the item has none.
    pub fn json(&self) -> Option<&'a Value> {
        self.value
    }

    /// See [`CustomFields::text`].
    pub fn text(&self) -> Result<Option<&'a str>, CustomFieldError> {
        read_text(&self.field.code, self.value)
    }

    /// See [`CustomFields::number`].
    pub fn number(&self) -> Result<Option<f64>, CustomFieldError> {
        read_number(&self.field.code, self.value)
    }

    /// See [`CustomFields::date`].
    pub fn date(&self) -> Result<Option<jiff::civil::Date>, CustomFieldError> {
        read_date(&self.field.code, self.value)
    }

    /// See [`CustomFields::option`].
    pub fn option(&self) -> Result<Option<i64>, CustomFieldError> {
        read_id(&self.field.code, self.value, "an option id")
    }

    /// See [`CustomFields::options`].
    pub fn options(&self) -> Result<Vec<i64>, CustomFieldError> {
        read_ids(&self.field.code, self.value)
    }

    /// See [`CustomFields::money`].
    pub fn money(&self) -> Result<Option<Money>, CustomFieldError> {
        read_money(&self.field.code, self.value)
    }

    /// See [`CustomFields::id`].
    pub fn id(&self) -> Result<Option<i64>, CustomFieldError> {
        read_id(&self.field.code, self.value, "an id")
    }

    /// The label of the chosen option of a single option field. An option the index
    /// does not know (added since it was loaded) is named by the label the value carries
    /// (`include_option_labels`), else it is [`CustomFieldError::UnknownOption`].
    pub fn label(&self) -> Result<Option<&'a str>, CustomFieldError> {
        let Some(value) = self.value else {
            return Ok(None);
        };
        if value.is_null() {
            return Ok(None);
        }
        self.label_of(value).map(Some)
    }

    /// The labels of the chosen options of a multiple option field, in the order of the
    /// value; empty when none is chosen.
    pub fn labels(&self) -> Result<Vec<&'a str>, CustomFieldError> {
        let code = &self.field.code;
        let Some(value) = self.value else {
            return Ok(Vec::new());
        };
        match unwrap(value, "value") {
            Value::Null => Ok(Vec::new()),
            Value::Array(items) => items
                .iter()
                .filter(|item| !item.is_null())
                .map(|item| self.label_of(item))
                .collect(),
            Value::String(_) => read_ids(code, Some(value))?
                .into_iter()
                .map(|id| self.field.option_label(id))
                .collect(),
            single => self.label_of(single).map(|label| vec![label]),
        }
    }

    fn label_of(&self, value: &'a Value) -> Result<&'a str, CustomFieldError> {
        let key =
            option_key(value).ok_or_else(|| wrong(&self.field.code, "an option id", value))?;
        match self.field.label_of(&key) {
            Ok(label) => Ok(label),
            Err(unknown) => match value.get("label") {
                Some(Value::String(label)) => Ok(label),
                _ => Err(unknown),
            },
        }
    }
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

    struct Definition {
        code: &'static str,
        name: Option<&'static str>,
        options: Vec<(i64, &'static str)>,
    }

    impl FieldDefinition for Definition {
        fn field_definition(&self) -> DefinitionRef<'_> {
            let mut definition = DefinitionRef::new(self.code)
                .name(self.name)
                .field_type("enum");
            for (id, label) in &self.options {
                definition = definition.option(id, *label);
            }
            definition
        }
    }

    fn index() -> FieldIndex {
        FieldIndex::new([
            Definition {
                code: "region",
                name: Some("Region"),
                options: vec![(1, "EMEA"), (2, "APAC")],
            },
            Definition {
                code: "twin1",
                name: Some("Twin"),
                options: vec![],
            },
            Definition {
                code: "twin2",
                name: Some("Twin"),
                options: vec![],
            },
            Definition {
                code: "Region2",
                name: Some("region"),
                options: vec![],
            },
            Definition {
                code: "nameless",
                name: None,
                options: vec![],
            },
        ])
    }

    #[test]
    fn the_index_finds_a_field_by_code_then_by_name() {
        let index = index();
        assert_eq!(index.len(), 5);
        assert_eq!(index.code("Region"), Ok("region"));
        assert_eq!(index.code("region"), Ok("region"), "a code comes first");
        assert_eq!(index.code("nameless"), Ok("nameless"));
        assert_eq!(
            index.code("Twin"),
            Err(CustomFieldError::AmbiguousField {
                field: "Twin".into(),
                codes: vec!["twin1".into(), "twin2".into()]
            })
        );
        assert_eq!(index.code("twin2"), Ok("twin2"));
        assert_eq!(
            index.code("Nope"),
            Err(CustomFieldError::UnknownField {
                field: "Nope".into()
            })
        );
        let region = index.field("Region").unwrap();
        assert_eq!(region.field_type(), Some("enum"));
        assert_eq!(
            region.options().collect::<Vec<_>>(),
            [("1", Some("EMEA")), ("2", Some("APAC"))]
        );
        assert_eq!(index.option_id("Region", "APAC"), Ok(2));
        assert_eq!(index.option_ids("Region", ["APAC", "EMEA"]), Ok(vec![2, 1]));
        assert_eq!(index.option_label("Region", 1), Ok("EMEA"));
        assert!(matches!(
            index.option_id("Region", "LATAM"),
            Err(CustomFieldError::UnknownOption { .. })
        ));
        assert!(matches!(
            index.option_label("Region", 3),
            Err(CustomFieldError::UnknownOption { .. })
        ));
    }

    #[test]
    fn a_definition_of_a_known_code_replaces_it() {
        let mut index = index();
        index.insert(&Definition {
            code: "twin1",
            name: Some("Renamed"),
            options: vec![],
        });
        assert_eq!(index.len(), 5);
        assert_eq!(index.code("Twin"), Ok("twin2"), "no longer ambiguous");
        assert_eq!(index.code("Renamed"), Ok("twin1"));
        assert_eq!(
            index.fields().next().map(IndexedField::code),
            Some("region")
        );
    }

    #[test]
    fn labels_come_from_the_index_or_from_the_value() {
        let index = index();
        let values = fields(json!({
            "region": 2,
            "twin1": [1, {"id": 2, "label": "x"}, null],
            "twin2": "1,2",
            "nameless": {"id": 5, "label": "New option"},
        }));
        let region = index.get(&values, "Region").unwrap();
        assert_eq!(region.label(), Ok(Some("APAC")));
        assert_eq!(region.option(), Ok(Some(2)));
        assert_eq!(region.json(), Some(&json!(2)));
        assert_eq!(region.definition().code(), "region");
        let with_labels = FieldIndex::new([Definition {
            code: "twin1",
            name: None,
            options: vec![(1, "one"), (2, "two")],
        }]);
        let set = with_labels.get(&values, "twin1").unwrap();
        assert_eq!(set.labels(), Ok(vec!["one", "two"]));
        assert_eq!(set.options(), Ok(vec![1, 2]));
        let unknown = index.get(&values, "nameless").unwrap();
        assert_eq!(unknown.label(), Ok(Some("New option")));
        assert!(matches!(
            index.get(&values, "twin2").unwrap().labels(),
            Err(CustomFieldError::UnknownOption { .. })
        ));
        let empty = CustomFields::new();
        let absent = index.get(&empty, "Region").unwrap();
        assert_eq!(absent.label(), Ok(None));
        assert_eq!(absent.labels(), Ok(vec![]));
        assert!(index.get(&values, "Nope").is_err());
    }

    #[test]
    fn collecting_keeps_what_did_not_decode_apart_and_stops_at_any_other_error() {
        let region = || Definition {
            code: "region",
            name: Some("Region"),
            options: vec![(1, "EMEA")],
        };
        let broken = || {
            Error::Item(Box::new(ItemError::new(
                "getFields",
                1,
                "field_code".into(),
                "a required field is missing or null".into(),
                "{}".into(),
            )))
        };
        let stream = futures::stream::iter([Ok(region()), Err(broken())]);
        let index = futures::executor::block_on(FieldIndex::collect(stream)).unwrap();
        assert_eq!(index.code("Region"), Ok("region"));
        assert_eq!(index.failed().len(), 1);
        assert_eq!(index.failed()[0].index, 1);

        let stream = futures::stream::iter([
            Ok(region()),
            Err(Error::Timeout {
                operation: "getFields",
            }),
            Ok(region()),
        ]);
        let error = futures::executor::block_on(FieldIndex::collect(stream)).unwrap_err();
        assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
        assert!(FieldIndex::default().is_empty());
    }

    #[test]
    fn a_field_reads_its_value_as_any_type_and_a_renamed_name_is_forgotten() {
        let mut index = index();
        assert!(!index.is_empty());
        assert_eq!(index.field("Region").unwrap().name(), Some("Region"));
        assert_eq!(index.field("nameless").unwrap().name(), None);
        // Its only field renamed, "Region" names nothing: not an ambiguity of none.
        index.insert(&Definition {
            code: "region",
            name: Some("Area"),
            options: vec![],
        });
        assert_eq!(
            index.code("Region"),
            Err(CustomFieldError::UnknownField {
                field: "Region".into()
            })
        );
        let collected: FieldIndex = [Definition {
            code: "c",
            name: Some("C"),
            options: vec![],
        }]
        .into_iter()
        .collect();
        assert_eq!(collected.code("C"), Ok("c"));

        let values = fields(json!({
            "twin1": "hello",
            "twin2": 12.5,
            "nameless": "2025-03-31",
            "Region2": {"value": 30, "currency": "EUR"},
            "region": 42,
        }));
        let read = |code| index.get(&values, code).unwrap();
        assert_eq!(read("twin1").text(), Ok(Some("hello")));
        assert_eq!(read("twin2").number(), Ok(Some(12.5)));
        assert_eq!(
            read("nameless").date(),
            Ok(Some(jiff::civil::date(2025, 3, 31)))
        );
        assert_eq!(read("Region2").money(), Ok(Some(Money::new(30.0, "EUR"))));
        assert_eq!(read("region").id(), Ok(Some(42)));
    }
}
