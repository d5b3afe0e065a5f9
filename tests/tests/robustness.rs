//! The generator on arbitrary input: it never panics, every diagnostic it reports has a
//! position, a successful generation is deterministic, and what it accepts compiles.
//!
//! Inputs: arbitrary bytes; arbitrary YAML built from the dialect's own words; the real
//! spec with random damage; and random specs of the dialect's real shape (resources,
//! operations, parameters, schemas, with keywords, reserved names and hostile text), which
//! reach past the YAML parser into checking, lowering and emission. A sample of those
//! random specs is generated into one crate and built with clippy, warnings denied.
//!
//! Case counts are bounded so the run stays short. A failing case is saved beside this
//! file (`robustness.proptest-regressions`) and replayed first on every later run; set
//! `PROPTEST_RNG_SEED=<n>` to replay a whole run, and `PROPTEST_CASES=<n>` to try more.

use codegen::{SourceFile, contract};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use serde_yaml::Value;

fn config(cases: u32) -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(cases),
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..Config::default()
    }
}

/// Generates `files` and checks what came back: diagnostics are located, and a success
/// is the same twice.
fn check_outcome(files: &[SourceFile]) -> Result<(), TestCaseError> {
    match codegen::generate(files) {
        Err(diagnostics) => {
            for diagnostic in diagnostics.iter() {
                prop_assert!(
                    diagnostic.position.is_some(),
                    "a diagnostic without a position: {diagnostic}"
                );
                prop_assert!(!diagnostic.message.is_empty());
            }
        }
        Ok(first) => {
            let second = codegen::generate(files)
                .map_err(|d| TestCaseError::fail(format!("the second run failed:\n{d}")))?;
            prop_assert_eq!(first, second, "generation is not deterministic");
        }
    }
    Ok(())
}

fn one(name: &str, text: impl Into<Vec<u8>>) -> Vec<SourceFile> {
    vec![SourceFile::new(name, text)]
}

/// Words the spec dialect uses, so random documents reach past the loader.
const WORDS: &[&str] = &[
    "api",
    "resource",
    "operations",
    "schemas",
    "name",
    "description",
    "versions",
    "prefix",
    "method",
    "path",
    "version",
    "summary",
    "cost",
    "scopes",
    "deprecated",
    "replacement",
    "parameters",
    "in",
    "type",
    "required",
    "evidence",
    "style",
    "default",
    "minimum",
    "maximum",
    "max_items",
    "format",
    "rust_name",
    "body",
    "response",
    "status",
    "envelope",
    "data",
    "items_field",
    "fields",
    "enum",
    "variant_names",
    "nullable",
    "GET",
    "POST",
    "DELETE",
    "query",
    "path",
    "comma",
    "single",
    "cursor_page",
    "offset_page",
    "plain",
    "string",
    "integer",
    "flag",
    "list<integer>",
    "map<json>",
    "custom_fields",
    "Thing",
    "v1",
    "/things/{id}",
    "id",
    "cursor",
    "start",
    "type_",
    "Self",
    "0",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(WORDS).prop_map(str::to_owned),
        "[a-zA-Z_{}/<> 0-9]{0,12}",
    ]
}

fn yaml() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        word().prop_map(Value::String),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
    ];
    leaf.prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Sequence),
            proptest::collection::vec((word(), inner), 0..8).prop_map(|pairs| Value::Mapping(
                pairs
                    .into_iter()
                    .map(|(k, v)| (Value::String(k), v))
                    .collect()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes_are_handled(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_outcome(&one("spec/bytes.yaml", bytes))?;
    }

    #[test]
    fn arbitrary_dialect_documents_are_handled(document in yaml()) {
        let text = serde_yaml::to_string(&document).unwrap_or_default();
        check_outcome(&one("spec/random.yaml", text))?;
    }
}

/// The real spec with a few lines deleted, duplicated, swapped or re-indented.
fn damaged_spec() -> impl Strategy<Value = String> {
    let text = std::fs::read_to_string(tests::repo_root().join("spec").join("organizations.yaml"))
        .expect("spec");
    let api =
        std::fs::read_to_string(tests::repo_root().join("spec").join("api.yaml")).expect("spec");
    let lines: Vec<String> = format!("{api}\n{text}")
        .lines()
        .map(str::to_owned)
        .collect();
    let count = lines.len();
    proptest::collection::vec((0..4u8, 0..count, 0..count), 1..6).prop_map(move |edits| {
        let mut lines = lines.clone();
        for (kind, a, b) in edits {
            if lines.is_empty() {
                break;
            }
            let (a, b) = (a % lines.len(), b % lines.len());
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
    #![proptest_config(config(64))]

    #[test]
    fn a_damaged_real_spec_is_handled(text in damaged_spec()) {
        check_outcome(&one("spec/organizations.yaml", text))?;
    }
}

// Random specs of the dialect's real shape.

/// Wire names: ordinary ones, keywords, names the generated code uses, and names that
/// need a prefix or collide after case conversion.
const WIRE_NAMES: &[&str] = &[
    "id",
    "name",
    "owner_id",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "fn",
    "async",
    "await",
    "gen",
    "where",
    "match",
    "value",
    "new",
    "send",
    "as_of",
    "is_open",
    "to_date",
    "from_date",
    "into_x",
    "add",
    "clone",
    "next",
    "eq",
    "cmp",
    "128",
    "x-y",
    "a b",
    "camelCase",
    "UPPER",
    "body",
    "client",
    "pages",
    "extra",
    "default",
    "mut",
    "ref",
    "dyn",
    "union",
    "raw",
    "Option",
    "Result",
    "String",
    "std",
    "serde",
    "label_ids",
    "update_time",
    "é",
];
/// Handle method names, each already a snake-case identifier.
const METHOD_NAMES: &[&str] = &[
    "list",
    "get",
    "add",
    "update",
    "delete",
    "search",
    "clone",
    "next",
    "eq",
    "new",
    "as_ref",
    "type_",
    "fn_",
    "self_",
    "sub",
    "merge",
    "index",
    "deref",
    "hash",
    "not",
    "send",
    "pages",
    "into_iter",
    "followers",
];
/// Enum values, some of which need an explicit Rust name or collide.
const ENUM_VALUES: &[&str] = &[
    "a",
    "b",
    "asc",
    "desc",
    "Self",
    "self",
    "type",
    "None",
    "Some",
    "Ok",
    "0",
    "1st",
    "not opened",
    "x-y",
    "Other",
    "open",
    "OPEN",
    "`tick`",
    "[x]",
    "é",
];
/// Descriptions, from plain to hostile.
const DESCRIPTIONS: &[&str] = &[
    "Plain words.",
    "With `code`, **bold** and [brackets].",
    "```rust\nfn main() { panic!() }\n```",
    "~~~\nfenced\n~~~",
    "<b>html</b> <div> & &amp; https://example.com/a?b=1.",
    "First paragraph.\n\nSecond one.\n\n    indented code",
    "Unicode: é 日本語 العربية 🚀.",
    "[a link](https://example.com) and [broken][ref] and \\[escaped\\].",
    "A \"quote\", a */ and a #[doc] attribute.",
    "",
];

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

/// Parameter and field names: the fixed list, every name the contract reserves for the
/// members of builders, models and handles and for trait methods, and more methods of
/// the prelude's traits. A spec that takes a reserved name must be refused; one that is
/// accepted must build.
fn wire_name() -> impl Strategy<Value = &'static str> {
    const MORE: &[&str] = &[
        "hash",
        "partial_cmp",
        "to_string",
        "into_iter",
        "as_ref",
        "deref",
        "drop",
        "get",
        "as_str",
        "code",
        "from_code",
        "known",
        "unknown",
        "options",
        "timeout",
        "retry_policy",
        "request",
        "into_future",
        "from_json",
        "to_json",
        "decode",
        "encode",
        "form",
        "fmt",
        "ne",
        "clone_from",
        "into",
        "to_owned",
        "borrow",
        "type_id",
    ];
    let names: Vec<&'static str> = WIRE_NAMES
        .iter()
        .chain(contract::BUILDER_MEMBERS)
        .chain(contract::MODEL_MEMBERS)
        .chain(contract::BLANKET_METHODS)
        .chain(contract::HANDLE_TRAIT_METHODS)
        .chain(contract::BUILDER_TRAIT_METHODS)
        .chain(contract::MODEL_TRAIT_METHODS)
        .chain(MORE)
        .copied()
        .collect();
    proptest::sample::select(names)
}

fn string(text: impl Into<String>) -> Value {
    Value::String(text.into())
}

fn mapping(entries: Vec<(String, Value)>) -> Value {
    Value::Mapping(
        entries
            .into_iter()
            .map(|(k, v)| (Value::String(k), v))
            .collect(),
    )
}

/// A type expression over the schemas of resource `index`.
fn type_expr(index: usize) -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        pick(&[
            "string",
            "integer",
            "number",
            "boolean",
            "flag",
            "json",
            "custom_fields"
        ])
        .prop_map(str::to_owned),
        Just(format!("Kind{index}")),
        Just(format!("Part{index}")),
    ];
    (
        leaf,
        proptest::collection::vec(prop_oneof![Just("list"), Just("map")], 0..4),
    )
        .prop_map(|(leaf, wrappers)| {
            wrappers
                .into_iter()
                .fold(leaf, |inner, wrapper| format!("{wrapper}<{inner}>"))
        })
}

fn field(index: usize) -> impl Strategy<Value = (String, Value)> {
    let format = pick(&[
        None,
        Some("rfc3339"),
        Some("v1_datetime"),
        Some("date"),
        Some("time"),
        Some("uuid"),
    ]);
    (
        wire_name(),
        type_expr(index),
        any::<bool>(),
        any::<bool>(),
        pick(DESCRIPTIONS),
        format,
    )
        .prop_map(|(wire, ty, required, nullable, description, format)| {
            let mut entries = vec![("description".to_owned(), string(description))];
            if let (Some(format), "string") = (format, ty.as_str()) {
                entries.push(("format".to_owned(), string(format)));
            }
            entries.push(("type".to_owned(), string(ty)));
            if required {
                entries.push(("required".to_owned(), Value::Bool(true)));
                entries.push(("evidence".to_owned(), string("Every example carries it.")));
            } else if nullable {
                entries.push(("nullable".to_owned(), Value::Bool(true)));
            }
            (wire.to_owned(), mapping(entries))
        })
}

fn parameter(index: usize) -> impl Strategy<Value = (String, Value)> {
    let ty = prop_oneof![
        pick(&["string", "integer", "number", "boolean", "flag"])
            .prop_map(|t| (t.to_owned(), false)),
        Just((format!("Kind{index}"), false)),
        Just(("list<integer>".to_owned(), true)),
        Just((format!("list<Kind{index}>"), true)),
    ];
    (wire_name(), ty, any::<bool>(), pick(DESCRIPTIONS)).prop_map(
        |(wire, (ty, list), required, description)| {
            let mut entries = vec![
                ("in".to_owned(), string("query")),
                ("type".to_owned(), string(ty)),
                ("description".to_owned(), string(description)),
            ];
            if list {
                entries.push(("style".to_owned(), string("comma")));
            }
            if required {
                entries.push(("required".to_owned(), Value::Bool(true)));
            }
            (wire.to_owned(), mapping(entries))
        },
    )
}

fn operation(index: usize, number: usize) -> impl Strategy<Value = (String, Value)> {
    (
        pick(METHOD_NAMES),
        pick(&["GET", "POST", "PUT", "PATCH", "DELETE"]),
        pick(&["single", "plain", "cursor_page", "offset_page"]),
        proptest::collection::vec(parameter(index), 0..5),
        any::<bool>(),
        pick(DESCRIPTIONS),
        type_expr(index),
    )
        .prop_map(
            move |(name, method, envelope, mut params, with_id, description, data)| {
                let mut path = format!("/r{index}/op{number}");
                if with_id {
                    path.push_str("/{id}");
                    params.push((
                        "id".to_owned(),
                        mapping(vec![
                            ("in".to_owned(), string("path")),
                            ("type".to_owned(), string("integer")),
                            ("description".to_owned(), string(description)),
                        ]),
                    ));
                }
                match envelope {
                    "cursor_page" => params.push((
                        "cursor".to_owned(),
                        mapping(vec![
                            ("in".to_owned(), string("query")),
                            ("type".to_owned(), string("string")),
                            ("description".to_owned(), string("Where the page starts.")),
                        ]),
                    )),
                    "offset_page" => params.push((
                        "start".to_owned(),
                        mapping(vec![
                            ("in".to_owned(), string("query")),
                            ("type".to_owned(), string("integer")),
                            ("description".to_owned(), string("Where the page starts.")),
                        ]),
                    )),
                    _ => {}
                }
                let mut entries = vec![
                    ("name".to_owned(), string(name)),
                    ("method".to_owned(), string(method)),
                    ("path".to_owned(), string(path)),
                    ("version".to_owned(), string("v1")),
                    ("summary".to_owned(), string(description)),
                    ("description".to_owned(), string(description)),
                    ("cost".to_owned(), Value::Number(1.into())),
                    ("parameters".to_owned(), mapping(params)),
                ];
                if matches!(method, "POST" | "PUT" | "PATCH") {
                    entries.push((
                        "body".to_owned(),
                        mapping(vec![
                            ("type".to_owned(), string(format!("Part{index}"))),
                            ("description".to_owned(), string(description)),
                        ]),
                    ));
                }
                entries.push((
                    "response".to_owned(),
                    mapping(vec![
                        ("status".to_owned(), Value::Number(200.into())),
                        ("envelope".to_owned(), string(envelope)),
                        ("data".to_owned(), string(data)),
                    ]),
                ));
                (format!("op{index}x{number}"), mapping(entries))
            },
        )
}

/// One resource file: resource `index`, its operations and schemas.
fn resource_file(index: usize) -> impl Strategy<Value = SourceFile> {
    (
        pick(&[
            "things", "type_", "error", "page", "self_", "widgets", "auth", "decode", "limiter",
            "std",
        ]),
        (0..4usize).prop_flat_map(move |count| {
            (0..count).map(|n| operation(index, n)).collect::<Vec<_>>()
        }),
        proptest::collection::vec(field(index), 0..8),
        proptest::collection::vec(field(index), 0..4),
        proptest::collection::vec(pick(ENUM_VALUES), 1..6),
        pick(DESCRIPTIONS),
        proptest::option::of(proptest::collection::vec(any::<i64>(), 1..5)),
    )
        .prop_map(
            move |(resource, operations, part_fields, _unused, values, description, codes)| {
                let resource = format!("{resource}{index}");
                let schemas = vec![
                    (
                        format!("Part{index}"),
                        mapping(vec![
                            ("description".to_owned(), string(description)),
                            ("fields".to_owned(), mapping(part_fields)),
                        ]),
                    ),
                    (
                        format!("Kind{index}"),
                        match codes {
                            // Integer codes, each with the Rust name they need.
                            Some(codes) => mapping(vec![
                                ("description".to_owned(), string(description)),
                                (
                                    "enum".to_owned(),
                                    Value::Sequence(
                                        codes.iter().map(|c| Value::Number((*c).into())).collect(),
                                    ),
                                ),
                                (
                                    "variant_names".to_owned(),
                                    Value::Mapping(
                                        codes
                                            .iter()
                                            .enumerate()
                                            .map(|(n, c)| {
                                                (
                                                    Value::Number((*c).into()),
                                                    string(format!("Code{n}")),
                                                )
                                            })
                                            .collect(),
                                    ),
                                ),
                            ]),
                            None => mapping(vec![
                                ("description".to_owned(), string(description)),
                                (
                                    "enum".to_owned(),
                                    Value::Sequence(values.into_iter().map(string).collect()),
                                ),
                            ]),
                        },
                    ),
                ];
                let document = mapping(vec![
                    (
                        "resource".to_owned(),
                        mapping(vec![
                            ("name".to_owned(), string(resource)),
                            ("description".to_owned(), string(description)),
                        ]),
                    ),
                    ("operations".to_owned(), mapping(operations)),
                    ("schemas".to_owned(), mapping(schemas)),
                ]);
                SourceFile::new(
                    format!("spec/r{index}.yaml"),
                    serde_yaml::to_string(&document).unwrap_or_default(),
                )
            },
        )
}

fn api_file() -> SourceFile {
    SourceFile::new(
        "spec/api.yaml",
        "api:\n  name: Random\n  description: A random API.\n  versions:\n    v1: {prefix: /v1, description: One.}\n",
    )
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn random_specs_of_the_dialects_shape_are_handled(files in proptest::collection::vec(0..3usize, 1..3)
        .prop_flat_map(|indexes| indexes.into_iter().enumerate().map(|(i, _)| resource_file(i)).collect::<Vec<_>>())) {
        let mut files = files;
        files.push(api_file());
        check_outcome(&files)?;
    }
}

/// Random specs that the generator accepts, all in one crate, build clean. The sample
/// is drawn from a fixed seed unless `PROPTEST_RNG_SEED` names another, so a failure
/// can be replayed.
#[test]
fn a_sample_of_accepted_random_specs_builds_clean() {
    let seed = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_u64);
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        proptest::test_runner::TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &{
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&seed.to_le_bytes());
            bytes
        }),
    );
    let mut accepted: Vec<SourceFile> = Vec::new();
    let mut index = 0;
    let mut tries = 0;
    while accepted.len() < 24 && tries < 2000 {
        tries += 1;
        index += 1;
        let Ok(tree) = resource_file(index).new_tree(&mut runner) else {
            continue;
        };
        let file = tree.current();
        if codegen::generate(&[file.clone(), api_file()]).is_ok() {
            accepted.push(file);
        }
    }
    assert!(
        accepted.len() >= 8,
        "only {} of {tries} random specs were accepted (seed {seed})",
        accepted.len()
    );
    accepted.push(api_file());
    tests::compile::ScratchCrate::generate("random", &accepted).clippy();
}

/// Inputs of a few megabytes, of the shapes that make parsers slow: deep brackets, a
/// huge scalar, thousands of entries, a cycle through thousands of schemas. Each ends
/// with an outcome (nothing here measures time; a hang would stall the run).
#[test]
fn inputs_of_a_few_megabytes_finish() {
    let api = "api:\n  name: A\n  description: A.\n  versions:\n    v1: {prefix: /v1, description: One.}\n";
    let mut wide = format!("{api}resource: {{name: things, description: T.}}\noperations:\n");
    for i in 0..1000 {
        wide.push_str(&format!(
            "  op{i}:\n    name: op{i}\n    method: GET\n    path: /things/{i}/{{id}}\n    version: v1\n    summary: S.\n    cost: 1\n    parameters:\n      id: {{in: path, type: integer, description: ID.}}\n    response: {{status: 200, envelope: single, data: S{i}}}\n"
        ));
    }
    wide.push_str("schemas:\n");
    for i in 0..1000 {
        wide.push_str(&format!("  S{i}:\n    description: S.\n    fields:\n      a: {{type: integer, description: A.}}\n      b: {{type: list<S{}>, description: B.}}\n", (i + 1) % 1000));
    }
    let mut cycle = format!("{api}schemas:\n");
    for i in 0..20_000 {
        cycle.push_str(&format!(
            "  S{i}: {{description: S., fields: {{a: {{type: S{}, description: A.}}}}}}\n",
            (i + 1) % 20_000
        ));
    }
    let inputs = [
        ("brackets", format!("{api}x: {}", "[".repeat(3_000_000))),
        ("braces", format!("{api}x: {}", "{a: ".repeat(600_000))),
        (
            "scalar",
            format!(
                "{api}schemas:\n  X:\n    description: {}\n    fields: {{}}\n",
                "word ".repeat(600_000)
            ),
        ),
        (
            "indentation",
            format!(
                "{api}x:\n{}",
                (1..2000)
                    .map(|n| format!("{}k:\n", " ".repeat(n)))
                    .collect::<String>()
            ),
        ),
        ("wide", wide),
        ("cycle", cycle),
    ];
    for (name, text) in inputs {
        let files = one("spec/big.yaml", text);
        check_outcome(&files).unwrap_or_else(|error| panic!("{name}: {error}"));
        if name == "cycle" {
            let diagnostics = codegen::generate(&files).expect_err("a cycle");
            assert!(
                diagnostics.iter().all(|d| d.message.len() < 500),
                "{name}: a diagnostic too long to read"
            );
        }
    }
}
