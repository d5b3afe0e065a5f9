//! The tests every operation of `spec/` gets, derived from the spec by
//! `cargo xtask generate` into `tests/tests/operations/` (see
//! `codegen/src/emit/tests.rs` and `tests/src/operations.rs`): with every parameter and
//! body field set, each operation sends the request the spec describes, decodes
//! Pipedrive's example body without losing an item, and answers the same through its
//! typed mock. Hand-written tests of what these cannot check are in `client.rs`.

#[rustfmt::skip]
#[path = "operations/mod.rs"]
mod generated;

/// One bad value costs one item, for every response model: each field of each model an
/// operation returns (and each field of the models inside it) is nulled, removed and
/// given a value of another kind, in the middle item of a page of three copies of
/// Pipedrive's example item. The other two items must decode exactly as before; the
/// middle one decodes when the change is one the model admits (an optional field
/// nulled or left out, anything in a `json` field), and otherwise is the page's one
/// failed item, its error naming the field. The models, their fields and which of them
/// are required come from the spec; the decoders from `generated::decoders()`.
mod properties {
    use std::collections::BTreeMap;

    use codegen::ir;
    use serde_json::{Value, json};

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Change {
        Null,
        Remove,
        Retype,
    }

    /// A value of a kind that `ty` cannot be read from.
    fn other_kind(ty: &ir::Type) -> Option<Value> {
        match ty {
            ir::Type::Json => None,
            // Custom fields are an object of any values (and `[]` is PHP's empty one).
            ir::Type::Map(_) | ir::Type::Struct(_) | ir::Type::CustomFields => Some(json!([1])),
            _ => Some(json!({"retyped": true})),
        }
    }

    fn model<'a>(api: &'a ir::Api, name: &ir::TypeName) -> Option<&'a ir::Struct> {
        api.resources
            .iter()
            .map(|r| (&r.module, &r.models))
            .chain(api.shared.iter().map(|f| (&f.module, &f.models)))
            .filter(|(module, _)| **module == name.module)
            .flat_map(|(_, models)| models)
            .find_map(|model| match model {
                ir::Model::Struct(s) if s.name == name.name => Some(s),
                _ => None,
            })
    }

    /// The example item of an operation: its `data`, or the first item of its page.
    fn example_item(operation: &ir::Operation) -> Option<Value> {
        let body = tests::operations::example(&operation.id);
        let data = body.get("data")?;
        match &operation.response.shape {
            ir::Shape::Page(page) => {
                let list = match &page.items_field {
                    Some(field) => data.get(field)?,
                    None => data,
                };
                list.as_array()?.first().cloned()
            }
            ir::Shape::Single { .. } | ir::Shape::Plain(_) => Some(data.clone()),
        }
        .filter(Value::is_object)
    }

    fn page(items: [&Value; 3]) -> Vec<u8> {
        serde_json::to_vec(
            &json!({"success": true, "data": items, "additional_data": {"next_cursor": null}}),
        )
        .expect("JSON")
    }

    /// `item` with `change` made to the value at `path` (one key, or a key of an object
    /// in a key); `None` when the path does not lead to an object.
    fn changed(item: &Value, path: &[&str], change: Change, ty: &ir::Type) -> Option<Value> {
        let mut item = item.clone();
        let (last, parents) = path.split_last()?;
        let mut object = item.as_object_mut()?;
        for parent in parents {
            object = object.get_mut(*parent)?.as_object_mut()?;
        }
        match change {
            Change::Null => {
                object.insert((*last).to_owned(), Value::Null);
            }
            Change::Remove => {
                object.remove(*last);
            }
            Change::Retype => {
                object.insert((*last).to_owned(), other_kind(ty)?);
            }
        }
        Some(item)
    }

    #[test]
    fn one_bad_field_costs_one_item_in_every_response_model() {
        let api = codegen::compile(&tests::real_spec()).expect("the spec compiles");
        let decoders: BTreeMap<&str, tests::operations::PageDecoder> =
            super::generated::decoders().into_iter().collect();
        let (mut models, mut changes, mut without_example) = (0, 0, Vec::new());
        for operation in api.resources.iter().flat_map(|r| &r.operations) {
            let Some(decode) = decoders.get(operation.id.as_str()) else {
                continue;
            };
            let item_type = match &operation.response.shape {
                ir::Shape::Page(page) => &page.item,
                ir::Shape::Single { data, .. } | ir::Shape::Plain(data) => data,
            };
            let Some(name) = item_type.named() else {
                continue;
            };
            let item_model = model(&api, name).expect("the model of a decoder");
            let Some(item) = example_item(operation) else {
                without_example.push(operation.id.clone());
                continue;
            };
            models += 1;
            let at = &operation.id;
            let baseline = decode(&page([&item, &item, &item]))
                .unwrap_or_else(|error| panic!("{at}: the example page: {error}"));
            assert!(
                baseline.failed.is_empty(),
                "{at}: the example item fails: {:?}",
                baseline.failed
            );
            assert_eq!(baseline.items.len(), 3, "{at}");
            // Each field, and each field of a model inside one, with whether it is required
            // and its type.
            let mut fields: Vec<(Vec<&str>, bool, &ir::Type)> = Vec::new();
            for field in &item_model.fields {
                fields.push((vec![field.wire.as_str()], field.required, &field.ty));
                if let ir::Type::Struct(inner) = &field.ty {
                    if item.get(&field.wire).is_some_and(Value::is_object) {
                        for nested in &model(&api, inner).expect("a nested model").fields {
                            fields.push((
                                vec![field.wire.as_str(), nested.wire.as_str()],
                                nested.required,
                                &nested.ty,
                            ));
                        }
                    }
                }
            }
            for (path, required, ty) in fields {
                for change in [Change::Null, Change::Remove, Change::Retype] {
                    let Some(bad) = changed(&item, &path, change, ty) else {
                        continue;
                    };
                    changes += 1;
                    let decoded = decode(&page([&item, &bad, &item])).unwrap_or_else(|error| {
                        panic!("{at} {path:?} {change:?}: the page failed: {error}")
                    });
                    let admitted = match change {
                        Change::Null | Change::Remove => !required,
                        Change::Retype => other_kind(ty).is_none(),
                    };
                    let field = path.join(".");
                    if admitted {
                        assert!(
                            decoded.failed.is_empty(),
                            "{at} {field} {change:?}: {:?}",
                            decoded.failed
                        );
                        assert_eq!(decoded.items.len(), 3, "{at} {field} {change:?}");
                    } else {
                        let [(index, failed_at)] = decoded.failed.as_slice() else {
                            panic!(
                                "{at} {field} {change:?}: one item should fail: {:?}",
                                decoded.failed
                            )
                        };
                        assert_eq!(*index, 1, "{at} {field} {change:?}");
                        assert!(
                            failed_at == &field
                                || failed_at.starts_with(&format!("{field}."))
                                || failed_at.starts_with(&format!("{field}[")),
                            "{at} {field} {change:?}: the error names `{failed_at}`"
                        );
                        assert_eq!(decoded.items.len(), 2, "{at} {field} {change:?}");
                    }
                    // The items around it are intact.
                    assert_eq!(
                        decoded.items.first(),
                        baseline.items.first(),
                        "{at} {field} {change:?}"
                    );
                    assert_eq!(
                        decoded.items.last(),
                        baseline.items.last(),
                        "{at} {field} {change:?}"
                    );
                }
            }
        }
        println!(
            "{models} response models, {changes} one-field changes; operations whose example has no item: {without_example:?}"
        );
        assert!(models > 0);
    }
}

/// Real data decodes: every operation's example, changed as real responses differ from
/// Pipedrive's examples (the facts of `../shared/reference/README.md`, written down in
/// `tests/fixtures/examples/README.md`), decodes with no error and no item lost. Each
/// change is made at every depth, as the spec's models say where:
///
/// - every field that is not required is null;
/// - every object has a key the model does not list;
/// - every enum field has a value the client does not know;
/// - every time is Pipedrive's zero date, and every date its zero date;
/// - every number is text, and every text a number where the value looks like one;
/// - for lists and pages, `data` is null, and `additional_data` is left out.
///
/// What the corpus of realistic bodies is: derived from the examples and the spec, so
/// that it covers every operation of every resource as they are added.
mod realistic {
    use std::collections::BTreeMap;

    use codegen::ir;
    use serde_json::{Value, json};

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Variant {
        Nulls,
        UnknownKeys,
        UnknownEnums,
        ZeroDates,
        NumbersAsText,
        TextAsNumbers,
    }

    const VARIANTS: [Variant; 6] = [
        Variant::Nulls,
        Variant::UnknownKeys,
        Variant::UnknownEnums,
        Variant::ZeroDates,
        Variant::NumbersAsText,
        Variant::TextAsNumbers,
    ];

    fn model<'a>(api: &'a ir::Api, name: &ir::TypeName) -> Option<&'a ir::Model> {
        api.resources
            .iter()
            .map(|r| (&r.module, &r.models))
            .chain(api.shared.iter().map(|f| (&f.module, &f.models)))
            .filter(|(module, _)| **module == name.module)
            .flat_map(|(_, models)| models)
            .find(|model| match model {
                ir::Model::Struct(s) => s.name == name.name,
                ir::Model::Enum(e) => e.name == name.name,
                ir::Model::Id(id) => id.name == name.name,
                ir::Model::Union(u) => u.name == name.name,
            })
    }

    /// `value`, of type `ty`, changed as `variant` says, at every depth.
    fn change(api: &ir::Api, ty: &ir::Type, value: &mut Value, variant: Variant) {
        if value.is_null() {
            return;
        }
        match ty {
            ir::Type::List(item) => {
                if let Value::Array(items) = value {
                    for item_value in items {
                        change(api, item, item_value, variant);
                    }
                }
            }
            ir::Type::Map(item) => {
                if let Value::Object(map) = value {
                    for item_value in map.values_mut() {
                        change(api, item, item_value, variant);
                    }
                }
            }
            ir::Type::Struct(name) => {
                let Some(ir::Model::Struct(model)) = model(api, name) else {
                    return;
                };
                let Value::Object(object) = value else { return };
                for field in &model.fields {
                    if variant == Variant::Nulls && !field.required {
                        object.insert(field.wire.clone(), Value::Null);
                        continue;
                    }
                    if let Some(field_value) = object.get_mut(&field.wire) {
                        change(api, &field.ty, field_value, variant);
                    }
                }
                if variant == Variant::UnknownKeys {
                    object.insert(
                        "a_key_this_client_does_not_know".to_owned(),
                        json!({"nested": [1, {"deeper": null}]}),
                    );
                }
            }
            ir::Type::Enum(name) if variant == Variant::UnknownEnums => {
                if let Some(ir::Model::Enum(model)) = model(api, name) {
                    *value = match model.kind {
                        ir::EnumKind::String => json!("a_value_this_client_does_not_know"),
                        ir::EnumKind::Integer => json!(987_654),
                    };
                }
            }
            ir::Type::Timestamp(_) if variant == Variant::ZeroDates => {
                *value = json!("0000-00-00 00:00:00");
            }
            ir::Type::Date if variant == Variant::ZeroDates => *value = json!("0000-00-00"),
            ir::Type::Integer | ir::Type::Number | ir::Type::Id(_, ir::IdKind::Integer)
                if variant == Variant::NumbersAsText && value.is_number() =>
            {
                *value = Value::String(value.to_string());
            }
            ir::Type::String if variant == Variant::TextAsNumbers => {
                if let Some(number) = value.as_str().and_then(|text| text.parse::<i64>().ok()) {
                    *value = json!(number);
                } else if value.is_string() {
                    // A number where text is documented.
                    *value = json!(42);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn realistic_bodies_of_every_operation_decode() {
        let api = codegen::compile(&tests::real_spec()).expect("the spec compiles");
        let decoders: BTreeMap<&str, tests::operations::PageDecoder> =
            super::generated::decoders().into_iter().collect();
        let mut bodies = 0;
        for operation in api.resources.iter().flat_map(|r| &r.operations) {
            let Some(decode) = decoders.get(operation.id.as_str()) else {
                continue;
            };
            let at = &operation.id;
            let example = tests::operations::example(at);
            let (item_type, items) = match &operation.response.shape {
                ir::Shape::Page(page) => {
                    let data = &example["data"];
                    let list = match &page.items_field {
                        Some(field) => &data[field.as_str()],
                        None => data,
                    };
                    (&page.item, list.as_array().cloned().unwrap_or_default())
                }
                ir::Shape::Single { data, .. } | ir::Shape::Plain(data) => {
                    (data, vec![example["data"].clone()])
                }
            };
            for variant in VARIANTS {
                let mut changed = items.clone();
                for item in &mut changed {
                    change(&api, item_type, item, variant);
                }
                // Without `additional_data`: the last page.
                let body =
                    serde_json::to_vec(&json!({"success": true, "data": changed})).expect("JSON");
                let decoded =
                    decode(&body).unwrap_or_else(|error| panic!("{at} {variant:?}: {error}"));
                assert!(
                    decoded.failed.is_empty(),
                    "{at} {variant:?}: {:?}",
                    decoded.failed
                );
                assert_eq!(decoded.items.len(), changed.len(), "{at} {variant:?}");
                bodies += 1;
            }
            if matches!(operation.response.shape, ir::Shape::Page(_)) {
                let body = br#"{"success": true, "data": null}"#;
                let decoded =
                    decode(body).unwrap_or_else(|error| panic!("{at} data null: {error}"));
                assert!(
                    decoded.items.is_empty() && decoded.failed.is_empty(),
                    "{at}"
                );
                bodies += 1;
            }
        }
        println!("{bodies} realistic bodies decoded");
        assert!(bodies > 0);
    }
}
