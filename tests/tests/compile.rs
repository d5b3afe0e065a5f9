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
    let files = codegen::generate(&spec)
        .unwrap_or_else(|diagnostics| panic!("the tricky specs do not compile:\n{diagnostics}"));
    ScratchCrate::new("tricky", &files).check_clean();
}

/// Each valid fixture, which the snapshots show, also builds clean: clippy with warnings
/// denied, and rustdoc with its doctests.
#[test]
fn every_valid_fixture_builds_clean() {
    for (name, path) in tests::fixtures("valid") {
        let files = codegen::generate(&fixture(&path)).unwrap_or_else(|d| panic!("{name}:\n{d}"));
        ScratchCrate::new(&format!("valid-{name}"), &files).check_clean();
    }
}
