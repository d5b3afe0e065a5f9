//! What the generator accepts builds clean: a crate generated from the tricky specs in
//! `tests/fixtures/tricky/` (every keyword and reserved name the dialect allows, names
//! that differ only by case or separator, the deepest nesting, descriptions full of
//! Markdown, HTML, fences, brackets and Unicode) passes clippy, rustdoc and its doctests
//! with warnings denied.
//!
//! This builds a scratch crate with cargo (see `tests/src/compile.rs`), so it is the
//! slowest test: the first run compiles the dependencies once into a target directory
//! of its own.

use tests::compile::ScratchCrate;
use tests::{fixture, repo_root};

#[test]
fn tricky_specs_build_clean_with_warnings_denied() {
    let spec = fixture(&repo_root().join("tests").join("fixtures").join("tricky"));
    ScratchCrate::generate("tricky", &spec).check_clean();
}

/// A spec of several resources builds with each resource's feature alone: a resource
/// that uses another's models enables its feature, and a doc link into another
/// resource is live only with that resource's feature.
#[test]
fn each_resource_builds_alone() {
    let spec = fixture(&repo_root().join("tests/fixtures/valid/resources"));
    let api = codegen::compile(&spec).expect("compiles");
    let features: Vec<(String, Vec<String>)> = codegen::features(&api);
    assert_eq!(
        features,
        [
            ("deals".to_owned(), vec!["persons".to_owned()]),
            ("persons".to_owned(), vec![]),
            ("products".to_owned(), vec![]),
        ],
        "deals uses persons' models"
    );
    let names: Vec<&str> = features.iter().map(|(name, _)| name.as_str()).collect();
    ScratchCrate::generate("valid-resources", &spec).check_each_feature(&names);
}

/// Each valid fixture, which the snapshots show, also builds clean: clippy with warnings
/// denied, and rustdoc with its doctests.
#[test]
fn every_valid_fixture_builds_clean() {
    for (name, path) in tests::fixtures("valid") {
        ScratchCrate::generate(&format!("valid-{name}"), &fixture(&path)).check_clean();
    }
}
