//! The `schemas:` section: each named schema as the dialect writes it, fields on one
//! line each (`{type: ..., description: ...}`), reviews above what they concern.

use std::collections::BTreeMap;

use super::schemas::{Body, Field, Named};
use super::write::{Entry, Node, raw, text};

/// The schemas in the order the operations first use them, each before the schemas its
/// fields use.
pub(super) fn first_use_order(named: Vec<Named>, operations: &[Entry]) -> Vec<Named> {
    let mut by_name: BTreeMap<String, Named> =
        named.into_iter().map(|n| (n.name.clone(), n)).collect();
    let mut ordered = Vec::new();
    let mut types = Vec::new();
    types_in(operations, &mut types);
    for ty in types {
        visit(&ty, &mut by_name, &mut ordered);
    }
    // Nothing should be left; keep anything that is, rather than lose it.
    ordered.extend(by_name.into_values());
    ordered
}

/// The type expressions of an operation tree: `type`, `data` and `additional_data`.
fn types_in(entries: &[Entry], out: &mut Vec<String>) {
    for entry in entries {
        match (&entry.key, &entry.value) {
            (Node::Text(key), Node::Text(ty))
                if matches!(key.as_str(), "type" | "data" | "additional_data") =>
            {
                out.push(ty.clone());
            }
            (_, Node::Block(inner)) => types_in(inner, out),
            _ => {}
        }
    }
}

fn visit(ty: &str, by_name: &mut BTreeMap<String, Named>, ordered: &mut Vec<Named>) {
    for name in ty.split(|c: char| !c.is_alphanumeric()) {
        let Some(schema) = by_name.remove(name) else {
            continue;
        };
        let used: Vec<String> = match &schema.body {
            Some(Body::Fields(fields)) => fields.iter().map(|f| f.ty.clone()).collect(),
            _ => Vec::new(),
        };
        ordered.push(schema);
        for ty in used {
            visit(&ty, by_name, ordered);
        }
    }
}

/// The entries of `schemas:`, in first-use order.
pub(super) fn schemas(named: Vec<Named>) -> Vec<Entry> {
    named
        .into_iter()
        .enumerate()
        .map(|(i, schema)| {
            let mut entries = vec![
                Entry::new("description", text(schema.description))
                    .reviewed(schema.description_reviews),
            ];
            match schema.body {
                Some(Body::Fields(fields)) => entries.push(Entry::new(
                    "fields",
                    Node::Block(fields.into_iter().map(field).collect()),
                )),
                Some(Body::Enum { values, integer }) => {
                    if integer {
                        let names = values
                            .iter()
                            .map(|v| (v.clone(), raw(variant_placeholder(v))))
                            .collect();
                        entries.push(Entry::new("enum", Node::FlowList(values)));
                        entries.push(
                            Entry::new("variant_names", Node::FlowMap(names))
                                .reviewed(schema.value_reviews),
                        );
                    } else {
                        entries.push(
                            Entry::new("enum", Node::FlowList(values))
                                .reviewed(schema.value_reviews),
                        );
                    }
                }
                Some(Body::OneOf(types)) => entries.push(Entry::new(
                    "one_of",
                    Node::FlowList(types.into_iter().map(raw).collect()),
                )),
                None => {}
            }
            Entry {
                gap: i > 0,
                ..Entry::new(schema.name, Node::Block(entries)).reviewed(schema.reviews)
            }
        })
        .collect()
}

/// `V3` for the code 3, `VMinus1` for -1.
fn variant_placeholder(value: &Node) -> String {
    match value {
        Node::Raw(code) | Node::Text(code) => match code.strip_prefix('-') {
            Some(positive) => format!("VMinus{positive}"),
            None => format!("V{code}"),
        },
        _ => "V".to_owned(),
    }
}

fn field(field: Field) -> Entry {
    let mut pairs = vec![(text("type"), text(field.ty))];
    if field.required {
        pairs.push((text("required"), raw(true)));
    }
    if let Some(evidence) = field.evidence {
        pairs.push((text("evidence"), text(evidence)));
    }
    if field.nullable {
        pairs.push((text("nullable"), raw(true)));
    }
    if let Some(format) = field.format {
        pairs.push((text("format"), raw(format.word())));
    }
    if let Some(default) = field.default {
        pairs.push((text("default"), default));
    }
    for (key, value) in [
        ("minimum", field.minimum),
        ("maximum", field.maximum),
        ("max_items", field.max_items),
    ] {
        if let Some(value) = value {
            pairs.push((text(key), raw(value)));
        }
    }
    pairs.push((text("description"), text(field.description)));
    Entry::new(field.wire, Node::FlowMap(pairs)).reviewed(field.reviews)
}
