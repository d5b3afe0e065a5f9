//! `cargo xtask draft`: the draft of a small OpenAPI file written for these tests
//! (`tests/fixtures/draft/widgets.yaml`, which exercises every rule of the draft) is the
//! snapshot; the draft is deterministic, never replaces a file, writes nothing on an
//! error, reads back as the YAML it means, and loads with the generator's loader.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::{Code, SourceFile};
use serde_yaml::Value;

fn fixture() -> PathBuf {
    tests::repo_root()
        .join("tests")
        .join("fixtures")
        .join("draft")
        .join("widgets.yaml")
}

fn draft_widgets() -> xtask::draft::Draft {
    let text = fs::read_to_string(fixture()).expect("the fixture");
    xtask::draft::draft("widgets.yaml", &text, "Widgets", None).expect("drafts")
}

#[test]
fn the_draft_of_the_fixture_is_the_snapshot() {
    let draft = draft_widgets();
    assert_eq!(draft.resource, "widgets");
    assert_eq!(draft.operations, 15);
    assert_eq!(
        draft.reviews,
        draft.text.matches("# REVIEW: ").count(),
        "every review is one comment"
    );
    insta::assert_snapshot!("draft_widgets", draft.text);
}

#[test]
fn drafting_twice_gives_identical_bytes() {
    let first = tempfile::tempdir().expect("tempdir");
    let second = tempfile::tempdir().expect("tempdir");
    let (a, _) = xtask::draft::draft_to_file(&fixture(), "Widgets", None, None, first.path())
        .expect("drafts");
    let (b, _) = xtask::draft::draft_to_file(&fixture(), "Widgets", None, None, second.path())
        .expect("drafts");
    assert_eq!(a, first.path().join("widgets.yaml"));
    assert_eq!(b, second.path().join("widgets.yaml"));
    let a = fs::read(a).expect("read");
    assert_eq!(a, fs::read(b).expect("read"));
    assert_eq!(a, draft_widgets().text.into_bytes());
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let existing = dir.path().join("widgets.yaml");
    fs::write(&existing, "# curated by hand\n").expect("write");
    for out in [None, Some(existing.as_path())] {
        let error = xtask::draft::draft_to_file(&fixture(), "Widgets", None, out, dir.path())
            .expect_err("refuses");
        assert!(
            matches!(&error, xtask::draft::DraftError::Exists(path) if path == &existing),
            "{error}"
        );
        assert!(
            error.to_string().contains(&existing.display().to_string()),
            "{error}"
        );
    }
    assert_eq!(
        fs::read_to_string(&existing).expect("read"),
        "# curated by hand\n"
    );
    // `--name` and `--out` pick other files, which are written.
    let (named, draft) =
        xtask::draft::draft_to_file(&fixture(), "Widgets", Some("gizmos"), None, dir.path())
            .expect("drafts");
    assert_eq!(named, dir.path().join("gizmos.yaml"));
    assert!(draft.text.contains("\n  name: gizmos\n"));
    let out = dir.path().join("elsewhere.yaml");
    xtask::draft::draft_to_file(&fixture(), "Widgets", None, Some(&out), dir.path())
        .expect("drafts");
    assert!(out.exists());
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

#[test]
fn errors_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let error = xtask::draft::draft_to_file(&fixture(), "Nope", None, None, dir.path())
        .expect_err("no operation is tagged Nope");
    assert!(
        matches!(&error, xtask::draft::DraftError::NoOperations { tag, tags }
            if tag == "Nope" && tags == &["Gadgets".to_owned(), "Widgets".to_owned()]),
        "{error}"
    );
    assert!(error.to_string().contains("no operation is tagged `Nope`"));

    let error =
        xtask::draft::draft_to_file(&fixture(), "Widgets", Some("Bad-Name"), None, dir.path())
            .expect_err("not snake_case");
    assert!(error.to_string().contains("`Bad-Name`"), "{error}");

    let missing = dir.path().join("missing.yaml");
    let error = xtask::draft::draft_to_file(&missing, "Widgets", None, None, dir.path())
        .expect_err("no file");
    assert!(error.to_string().contains("missing.yaml"), "{error}");

    let no_version = dir.path().join("no_version.yaml");
    fs::write(
        &no_version,
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\nservers: [{url: 'https://x.example'}]\npaths: {}\n",
    )
    .expect("write");
    let error = xtask::draft::draft_to_file(&no_version, "Widgets", None, None, dir.path())
        .expect_err("no version");
    assert!(
        error.to_string().contains("does not end with a version"),
        "{error}"
    );

    let not_openapi = dir.path().join("not_openapi.yaml");
    fs::write(&not_openapi, "just: text\n").expect("write");
    let error = xtask::draft::draft_to_file(&not_openapi, "Widgets", None, None, dir.path())
        .expect_err("not OpenAPI");
    assert!(
        error.to_string().contains("is not an OpenAPI 3.0 file"),
        "{error}"
    );

    // Only the two files this test wrote.
    assert_eq!(files_in(dir.path()), [no_version, not_openapi]);
}

#[test]
fn a_v1_file_drafts_v1_operations_and_times() {
    let openapi = r#"
openapi: 3.0.1
info: {title: Pipedrive API v1, version: 1.0.0}
servers: [{url: 'https://api.pipedrive.com/v1/'}]
paths:
  /v1/things/{id}:
    get:
      operationId: getThing
      summary: Get a thing
      x-token-cost: 2
      tags: [Things]
      parameters:
        - {in: path, name: id, required: true, schema: {type: integer}, description: The ID}
      responses:
        '200':
          description: A thing
          content:
            application/json:
              schema:
                type: object
                properties:
                  success: {type: boolean}
                  data:
                    type: object
                    properties:
                      id: {type: integer, description: The ID}
                      add_time: {type: string, format: date-time, description: When it was added}
"#;
    let draft = xtask::draft::draft("v1.yaml", openapi, "Things", None).expect("drafts");
    let value: Value = serde_yaml::from_str(&draft.text).expect("YAML");
    let op = &value["operations"]["getThing"];
    assert_eq!(op["version"].as_str(), Some("v1"));
    // A path that repeats the server's prefix is drafted below it.
    assert_eq!(op["path"].as_str(), Some("/things/{id}"));
    assert_eq!(op["name"].as_str(), Some("get"));
    let add_time = &value["schemas"]["Thing"]["fields"]["add_time"];
    assert_eq!(add_time["format"].as_str(), Some("v1_datetime"));
    assert!(
        draft
            .text
            .contains("# REVIEW: Pipedrive's file says `date-time`; v1 writes")
    );
}

/// The draft, read back as YAML.
fn parsed() -> Value {
    serde_yaml::from_str(&draft_widgets().text).expect("the draft is YAML")
}

#[test]
fn hostile_descriptions_read_back_exactly_as_written() {
    let draft = parsed();
    assert_eq!(
        draft["resource"]["description"].as_str(),
        Some(
            "Widgets: things you #make, \"quote\", {brace} and [bracket].\n- A second line that starts with a dash."
        )
    );
    let operations = &draft["operations"];
    assert_eq!(
        operations["getWidgets"]["summary"].as_str(),
        Some("Get all widgets: the list # of them")
    );
    assert_eq!(
        operations["addWidget"]["description"].as_str(),
        Some("Adds a widget.\n\nLine two says \"hello\" and {this, that}.")
    );
    assert_eq!(
        operations["getWidgets"]["parameters"]["kind"]["description"].as_str(),
        Some("The kind of widget, one of: small, large, huge")
    );
    // The control and bidirectional characters the generator refuses are left out.
    let widget = operations["getWidget"]["response"]["data"]
        .as_str()
        .expect("a schema");
    assert_eq!(
        draft["schemas"][widget]["fields"]["name"]["description"].as_str(),
        Some("A description with a bell  and a right-to-left override  in it")
    );
    // Review comments are comments: no value carries one.
    fn values_without_comments(value: &Value) {
        match value {
            Value::String(s) => assert!(!s.contains("# REVIEW"), "{s}"),
            Value::Sequence(items) => items.iter().for_each(values_without_comments),
            Value::Mapping(map) => map.values().for_each(values_without_comments),
            _ => {}
        }
    }
    values_without_comments(&draft);
}

#[test]
fn every_rule_leaves_its_mark() {
    let draft = parsed();
    let op = |id: &str| draft["operations"][id].clone();
    let schema = |name: &str| draft["schemas"][name].clone();
    let s = |v: &Value| v.as_str().map(str::to_owned);

    // The operations' order is the file's, and so is each path's methods'.
    let ids: Vec<String> = draft["operations"]
        .as_mapping()
        .expect("operations")
        .keys()
        .filter_map(&s)
        .collect();
    assert_eq!(&ids[..3], ["getWidgets", "addWidget", "deleteManyWidgets"]);
    assert!(!ids.contains(&"getGadgets".to_owned()));

    // Names: obvious CRUD names, derived ones, and one whose derived name was taken.
    assert_eq!(s(&op("getWidgets")["name"]).as_deref(), Some("list"));
    assert_eq!(s(&op("deleteWidget")["name"]).as_deref(), Some("delete"));
    assert_eq!(
        s(&op("deleteManyWidgets")["name"]).as_deref(),
        Some("delete_many")
    );
    assert_eq!(
        s(&op("getWidgetList")["name"]).as_deref(),
        Some("get_widget_list")
    );

    // Version and path below the server's prefix; cost and scopes.
    assert_eq!(s(&op("getWidgets")["version"]).as_deref(), Some("v2"));
    assert_eq!(
        s(&op("getWidget")["path"]).as_deref(),
        Some("/widgets/{id}")
    );
    assert_eq!(op("getWidgets")["cost"].as_u64(), Some(10));
    assert_eq!(
        op("getWidgets")["scopes"],
        serde_yaml::from_str::<Value>("[widgets:read, widgets:full]").expect("yaml")
    );

    // Parameters: comma lists (from prose and from `explode: false`), exploded lists.
    let params = op("getWidgets")["parameters"].clone();
    assert_eq!(s(&params["ids"]["type"]).as_deref(), Some("list<integer>"));
    assert_eq!(s(&params["ids"]["style"]).as_deref(), Some("comma"));
    assert!(params["ids"]["upstream"]["type"].is_string());
    assert_eq!(
        s(&params["status"]["type"]).as_deref(),
        Some("list<WidgetStatus>")
    );
    assert_eq!(s(&params["label_ids"]["style"]).as_deref(), Some("comma"));
    assert_eq!(params["label_ids"]["required"].as_bool(), Some(true));
    assert_eq!(s(&params["tag_ids"]["style"]).as_deref(), Some("explode"));
    assert_eq!(params["tag_ids"]["max_items"].as_i64(), Some(20));
    assert_eq!(
        s(&params["updated_since"]["format"]).as_deref(),
        Some("rfc3339")
    );
    assert_eq!(
        s(&params["since"]["format"]).as_deref(),
        Some("v1_datetime")
    );
    assert_eq!(s(&params["day"]["format"]).as_deref(), Some("date"));
    assert_eq!(s(&params["sort_by"]["default"]).as_deref(), Some("id"));
    assert_eq!(params["limit"]["minimum"].as_i64(), Some(1));
    assert_eq!(params["limit"]["maximum"].as_i64(), Some(500));

    // Envelopes.
    let response = |id: &str| op(id)["response"].clone();
    assert_eq!(
        s(&response("getWidgets")["envelope"]).as_deref(),
        Some("cursor_page")
    );
    assert_eq!(
        s(&response("getLegacyWidgets")["envelope"]).as_deref(),
        Some("offset_page")
    );
    assert_eq!(
        s(&response("searchWidgets")["items_field"]).as_deref(),
        Some("items")
    );
    assert_eq!(
        s(&response("getWidgetsStats")["envelope"]).as_deref(),
        Some("plain")
    );
    assert_eq!(response("getWidget")["nullable"].as_bool(), Some(true));
    assert_eq!(
        s(&response("addWidget")["additional_data"]).as_deref(),
        Some("AddWidgetAdditionalData")
    );
    assert_eq!(response("addWidget")["status"].as_u64(), Some(201));

    // Bodies: multipart with a file, a list, a DELETE with a body.
    assert_eq!(
        s(&op("addWidgetImage")["body"]["content"]).as_deref(),
        Some("multipart")
    );
    assert_eq!(
        s(&schema("AddWidgetImage")["fields"]["data"]["type"]).as_deref(),
        Some("file")
    );
    assert_eq!(
        s(&op("addManyWidgets")["body"]["type"]).as_deref(),
        Some("list<NewManyWidget>")
    );
    assert!(op("deleteManyWidgets")["body"]["type"].is_string());

    // Schemas: enums of both kinds, scalar unions, required ids with an evidence
    // placeholder, request bounds.
    assert_eq!(
        schema("WidgetVisibleTo")["variant_names"],
        serde_yaml::from_str::<Value>("{1: V1, 3: V3, 7: V7}").expect("yaml")
    );
    assert_eq!(
        schema("WidgetSize")["one_of"],
        serde_yaml::from_str::<Value>("[integer, string]").expect("yaml")
    );
    let id = &schema("Widget")["fields"]["id"];
    assert_eq!(id["required"].as_bool(), Some(true));
    assert!(s(&id["evidence"]).is_some_and(|e| e.starts_with("REVIEW")));
    assert!(schema("Widget")["fields"]["name"]["required"].is_null());
    assert_eq!(
        schema("AddWidget")["fields"]["name"]["required"].as_bool(),
        Some(true)
    );
    assert_eq!(
        schema("AddWidget")["fields"]["weight"]["maximum"].as_i64(),
        Some(1000)
    );
    assert_eq!(
        s(&schema("Widget")["fields"]["metadata"]["type"]).as_deref(),
        Some("json")
    );
    assert_eq!(
        s(&schema("Widget")["fields"]["scores"]["type"]).as_deref(),
        Some("map<number>")
    );
    assert_eq!(
        s(&schema("Widget")["fields"]["price"]["type"]).as_deref(),
        Some("Money")
    );

    // Schemas come in first-use order: the operations' order, and a schema before the
    // ones its fields use.
    let names: Vec<String> = draft["schemas"]
        .as_mapping()
        .expect("schemas")
        .keys()
        .filter_map(&s)
        .collect();
    let at = |n: &str| names.iter().position(|m| m == n).expect(n);
    assert!(at("WidgetStatus") < at("Widget"));
    assert!(at("Widget") < at("AddWidget"));
    assert!(at("AddWidget") < at("DeleteManyWidgetsRequest"));
    assert!(at("Widget") < at("WidgetOwner"));
}

/// Keys and values of the dialect (spec/README.md) that the generator's loader may not
/// read yet, since it is being taught them: a draft may use them. The check below takes
/// out what the loader refuses among these, and only these, and loads the rest again.
const NEWER_DIALECT_KEYS: &[&str] = &[
    "one_of",
    "content",
    "additional_data",
    "default",
    "minimum",
    "maximum",
    "max_items",
];
const NEWER_DIALECT_VALUES: &[&str] = &["explode"];

/// Load diagnostics: the draft's YAML is not a spec file's shape.
const SHAPE_ERRORS: &[Code] = &[
    Code::NotUtf8,
    Code::YamlSyntax,
    Code::EmptyFile,
    Code::SeveralDocuments,
    Code::YamlAlias,
    Code::YamlTag,
    Code::TooDeep,
    Code::ControlCharacter,
    Code::UnknownKey,
    Code::UnknownValue,
    Code::MissingKey,
    Code::WrongType,
    Code::OutOfRange,
    Code::DuplicateKey,
];

/// Loads a draft with the repository's `api.yaml`: the diagnostics left after the
/// constructs of [`NEWER_DIALECT_KEYS`] the loader refuses are taken out, and what was
/// taken out.
fn load(draft: &str) -> (Vec<codegen::Diagnostic>, Vec<String>) {
    const NAME: &str = "spec/draft.yaml";
    let api = fs::read(tests::repo_root().join("spec").join("api.yaml")).expect("api.yaml");
    let mut text = draft.to_owned();
    let mut stripped = Vec::new();
    loop {
        let files = [
            SourceFile::new("spec/api.yaml", api.clone()),
            SourceFile::new(NAME, text.clone()),
        ];
        let diagnostics: Vec<codegen::Diagnostic> = match codegen::compile(&files) {
            Ok(_) => Vec::new(),
            Err(diagnostics) => diagnostics.iter().cloned().collect(),
        };
        let newer = diagnostics.iter().find(|d| {
            let key = d.yaml_path.rsplit('.').next().unwrap_or_default();
            d.file == NAME
                && ((d.code == Code::UnknownKey && NEWER_DIALECT_KEYS.contains(&key))
                    || (d.code == Code::UnknownValue
                        && NEWER_DIALECT_VALUES
                            .iter()
                            .any(|v| d.message.contains(&format!("`{v}`")))))
        });
        let Some(newer) = newer else {
            return (diagnostics, stripped);
        };
        let mut value: Value = serde_yaml::from_str(&text).expect("YAML");
        remove(&mut value, &newer.yaml_path);
        stripped.push(newer.yaml_path.clone());
        text = serde_yaml::to_string(&value).expect("YAML");
        assert!(stripped.len() < 1000, "stripping does not end");
    }
}

/// Removes the node at a diagnostic's YAML path, whose keys are joined with `.` (and
/// may hold a `.` themselves: `type.params.pipeline_id`).
fn remove(value: &mut Value, path: &str) {
    let segments: Vec<&str> = path.split('.').collect();
    let mut node = value;
    let mut at = 0;
    while at < segments.len() {
        // The longest run of segments that is a key here.
        let found = (at + 1..=segments.len())
            .rev()
            .map(|end| (end, segments[at..end].join(".")))
            .find(|(_, key)| node.get(key.as_str()).is_some());
        let Some((end, key)) = found else {
            panic!("{path} is not in the draft");
        };
        if end == segments.len() {
            node.as_mapping_mut()
                .and_then(|m| m.remove(key.as_str()))
                .expect("the key exists");
            return;
        }
        node = node.get_mut(key.as_str()).expect("the key exists");
        at = end;
    }
}

#[test]
fn the_draft_loads_with_the_generators_loader_without_shape_errors() {
    let (diagnostics, stripped) = load(&draft_widgets().text);
    let shape: Vec<String> = diagnostics
        .iter()
        .filter(|d| SHAPE_ERRORS.contains(&d.code))
        .map(ToString::to_string)
        .collect();
    assert!(
        shape.is_empty(),
        "shape errors:\n{}\n(taken out as newer dialect: {stripped:?})",
        shape.join("\n")
    );
    // Nor does the draft name a schema it does not define (`file` aside, a type of the
    // newer dialect), define one twice, or leave one unused.
    let own: Vec<String> = diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.code,
                Code::BadType
                    | Code::DuplicateDefinition
                    | Code::UnusedSchema
                    | Code::UnknownSchema
            ) && !d.message.contains("`file`")
        })
        .map(ToString::to_string)
        .collect();
    assert!(own.is_empty(), "{}", own.join("\n"));
}
