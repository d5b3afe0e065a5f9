//! The generator never panics, whatever it is given: arbitrary bytes, arbitrary YAML
//! built from the dialect's own words, and the real spec with random damage. Each input
//! must compile or be rejected with diagnostics. Case counts are bounded so the run
//! stays short; no failure file is written.

use codegen::SourceFile;
use proptest::prelude::*;
use proptest::test_runner::Config;

fn config(cases: u32) -> Config {
    Config { cases, failure_persistence: None, ..Config::default() }
}

fn compile(name: &str, text: String) {
    // Either outcome is fine; a panic fails the property.
    let _ = codegen::generate(&[SourceFile { name: name.to_owned(), text }]);
}

/// Words the spec dialect uses, so random documents reach past the loader.
const WORDS: &[&str] = &[
    "api", "resource", "operations", "schemas", "name", "description", "versions", "prefix", "method", "path",
    "version", "summary", "cost", "scopes", "deprecated", "replacement", "parameters", "in", "type", "required",
    "style", "default", "minimum", "maximum", "max_items", "format", "rust_name", "body", "response", "status",
    "envelope", "data", "items_field", "fields", "enum", "variant_names", "nullable", "GET", "POST", "DELETE",
    "query", "path", "comma", "single", "cursor_page", "offset_page", "plain", "string", "integer", "flag",
    "list<integer>", "map<json>", "Thing", "v1", "/things/{id}", "id", "cursor", "start", "type_", "Self", "0",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(WORDS).prop_map(str::to_owned),
        "[a-zA-Z_{}/<> 0-9]{0,12}",
    ]
}

fn yaml() -> impl Strategy<Value = serde_yaml::Value> {
    let leaf = prop_oneof![
        word().prop_map(serde_yaml::Value::String),
        any::<i64>().prop_map(|n| serde_yaml::Value::Number(n.into())),
        any::<bool>().prop_map(serde_yaml::Value::Bool),
        Just(serde_yaml::Value::Null),
    ];
    leaf.prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_yaml::Value::Sequence),
            proptest::collection::vec((word(), inner), 0..8)
                .prop_map(|pairs| serde_yaml::Value::Mapping(pairs.into_iter().map(|(k, v)| (serde_yaml::Value::String(k), v)).collect())),
        ]
    })
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        compile("spec/bytes.yaml", String::from_utf8_lossy(&bytes).into_owned());
    }

    #[test]
    fn arbitrary_dialect_documents_never_panic(document in yaml()) {
        let text = serde_yaml::to_string(&document).unwrap_or_default();
        compile("spec/random.yaml", text);
    }
}

/// The real spec with a few lines deleted, duplicated, swapped or re-indented.
fn damaged_spec() -> impl Strategy<Value = String> {
    let text = std::fs::read_to_string(tests::repo_root().join("spec").join("organizations.yaml")).expect("spec");
    let api = std::fs::read_to_string(tests::repo_root().join("spec").join("api.yaml")).expect("spec");
    let lines: Vec<String> = format!("{api}\n{text}").lines().map(str::to_owned).collect();
    let count = lines.len();
    proptest::collection::vec((0..4u8, 0..count, 0..count), 1..6).prop_map(move |edits| {
        let mut lines = lines.clone();
        for (kind, a, b) in edits {
            let (a, b) = (a % lines.len().max(1), b % lines.len().max(1));
            if lines.is_empty() {
                break;
            }
            match kind {
                0 => {
                    lines.remove(a);
                }
                1 => {
                    let copy = lines[a].clone();
                    lines.insert(b, copy);
                }
                2 => lines.swap(a, b),
                _ => lines[a] = format!("  {}", lines[a]),
            }
        }
        lines.join("\n")
    })
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn a_damaged_real_spec_never_panics(text in damaged_spec()) {
        compile("spec/organizations.yaml", text);
    }
}
