//! Facts about the real spec that its documentation states: every field that stays
//! untyped JSON is listed, with its reason, in spec/README.md, and nothing else is.

use std::collections::BTreeSet;

use codegen::ir;

fn holds_json(ty: &ir::Type) -> bool {
    match ty {
        ir::Type::Json => true,
        ir::Type::List(inner) | ir::Type::Map(inner) => holds_json(inner),
        _ => false,
    }
}

/// `module.Struct.field` of every field of the spec whose type holds `json`.
fn json_fields() -> BTreeSet<String> {
    let api = codegen::compile(&tests::real_spec()).expect("the real spec compiles");
    let files = api
        .resources
        .iter()
        .map(|resource| (&resource.module, &resource.models))
        .chain(api.shared.iter().map(|file| (&file.module, &file.models)));
    let mut found = BTreeSet::new();
    for (module, models) in files {
        for model in models {
            if let ir::Model::Struct(model) = model {
                for field in &model.fields {
                    if holds_json(&field.ty) {
                        found.insert(format!("{module}.{}.{}", model.name, field.wire));
                    }
                }
            }
        }
    }
    found
}

/// The fields the table of spec/README.md lists: `a.B.c` in full, or `d` alone for
/// another field of the struct named before it in the same cell.
fn listed_fields() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(tests::repo_root().join("spec").join("README.md"))
        .expect("spec/README.md");
    let table = readme
        .split("<!-- json-fields -->")
        .nth(1)
        .and_then(|rest| rest.split("<!-- /json-fields -->").next())
        .expect("the table of JSON fields, between its markers");
    let mut listed = BTreeSet::new();
    for row in table.lines().filter(|line| line.starts_with("| `")) {
        let cell = row.split('|').nth(1).expect("a first cell");
        let mut owner = String::new();
        for name in cell.split(',') {
            let name = name.trim().trim_matches('`');
            match name.rsplit_once('.') {
                Some((struct_path, _)) => {
                    owner = struct_path.to_owned();
                    listed.insert(name.to_owned());
                }
                None => {
                    assert!(!owner.is_empty(), "`{name}` names no struct: {row}");
                    listed.insert(format!("{owner}.{name}"));
                }
            }
        }
    }
    listed
}

#[test]
fn every_json_field_is_listed_with_its_reason() {
    let found = json_fields();
    let listed = listed_fields();
    let unlisted: Vec<_> = found.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&found).collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "JSON fields not in spec/README.md's table: {unlisted:?}; listed but not JSON: {stale:?}"
    );
    println!("{} JSON fields, each listed with its reason", found.len());
}
