//! The generator's output: determinism, staleness of `generated/` (whose committed files
//! are the reviewable diff of the real spec), snapshots of the output of each valid
//! fixture, and the diagnostics of invalid specs.

use std::fs;

use codegen::GeneratedFile;
use tests::{fixture, fixtures, real_spec, repo_root};

fn generate_real() -> Vec<GeneratedFile> {
    codegen::generate(&real_spec())
        .unwrap_or_else(|diagnostics| panic!("the real spec does not compile:\n{diagnostics}"))
}

#[test]
fn output_is_deterministic() {
    let first = generate_real();
    let second = generate_real();
    assert_eq!(first, second);
    // The order of the input files does not matter either.
    let mut reversed = real_spec();
    reversed.reverse();
    assert_eq!(codegen::generate(&reversed).expect("compiles"), first);
}

/// `generated/` must be exactly what the spec produces: the same check as
/// `cargo xtask generate --check`, which names every stale, missing or extra file.
#[test]
fn generated_crate_is_up_to_date() {
    if let Err(error) = xtask::generate(xtask::Mode::Check) {
        panic!("{error:#}");
    }
}

/// Editing one description changes exactly the lines that carry it.
#[test]
fn one_description_edit_changes_one_line() {
    let before = generate_real();
    let mut spec = real_spec();
    let file = spec
        .iter_mut()
        .find(|f| f.name == "spec/organizations.yaml")
        .expect("organizations spec");
    let old = "description: Returns data about all organizations.";
    let text = String::from_utf8(file.contents.clone()).expect("UTF-8");
    assert!(text.contains(old));
    file.contents = text
        .replacen(old, "description: Returns every organization.", 1)
        .into_bytes();
    let after = codegen::generate(&spec).expect("compiles");
    let mut changed = Vec::new();
    for (a, b) in before.iter().zip(&after) {
        assert_eq!(a.path, b.path);
        let old_lines: Vec<&str> = a.contents.lines().collect();
        let new_lines: Vec<&str> = b.contents.lines().collect();
        assert_eq!(
            old_lines.len(),
            new_lines.len(),
            "{} changed its line count",
            a.path
        );
        for (x, y) in old_lines.iter().zip(&new_lines) {
            if x != y {
                changed.push((a.path.clone(), x.to_string(), y.to_string()));
            }
        }
    }
    assert_eq!(
        changed,
        [(
            "organizations/mod.rs".to_owned(),
            "    /// Returns data about all organizations.".to_owned(),
            "    /// Returns every organization.".to_owned()
        )]
    );
}

/// Each valid fixture exercises part of the spec dialect; its whole output is one snapshot.
#[test]
fn valid_fixture_snapshots() {
    for (name, path) in fixtures("valid") {
        let files = codegen::generate(&fixture(&path))
            .unwrap_or_else(|d| panic!("{}:\n{d}", path.display()));
        let text: String = files
            .iter()
            .map(|f| format!("==> {} <==\n{}\n", f.path, f.contents))
            .collect();
        insta::assert_snapshot!(format!("valid_{name}"), text);
    }
}

/// One invalid fixture per class of mistake: each must fail with located diagnostics, and
/// the rendered report, what a maintainer reads, is the snapshot.
#[test]
fn invalid_fixture_snapshots() {
    for (name, path) in fixtures("invalid") {
        let diagnostics = match codegen::generate(&fixture(&path)) {
            Ok(_) => panic!("{} compiled but should not", path.display()),
            Err(diagnostics) => diagnostics,
        };
        assert!(
            diagnostics.iter().all(|d| d.position.is_some()),
            "{name}: a diagnostic without position:\n{diagnostics}"
        );
        insta::assert_snapshot!(format!("invalid_{name}"), diagnostics.to_string());
    }
}

/// Every rule has an invalid fixture that breaks it: each diagnostic code the generator
/// can report (but `internal`, which only a bug in the generator produces) appears in
/// the report of at least one fixture.
#[test]
fn every_rule_has_a_fixture() {
    let mut seen = std::collections::BTreeSet::new();
    for (_, path) in fixtures("invalid") {
        if let Err(diagnostics) = codegen::generate(&fixture(&path)) {
            seen.extend(diagnostics.iter().map(|d| d.code));
        }
    }
    let missing: Vec<&str> = codegen::Code::ALL
        .iter()
        .filter(|code| **code != codegen::Code::Internal && !seen.contains(*code))
        .map(|code| code.name())
        .collect();
    assert!(
        missing.is_empty(),
        "no invalid fixture produces these codes: {missing:?}"
    );
}

/// Every stored snapshot belongs to a test that still takes it (what
/// `cargo insta test --unreferenced=reject` checks, without needing cargo-insta).
#[test]
fn no_orphaned_snapshots() {
    let mut expected: Vec<String> = Vec::new();
    expected.extend(
        fixtures("valid")
            .into_iter()
            .map(|(name, _)| format!("valid_{name}")),
    );
    expected.extend(
        fixtures("invalid")
            .into_iter()
            .map(|(name, _)| format!("invalid_{name}")),
    );
    let dir = repo_root().join("tests").join("tests").join("snapshots");
    for entry in fs::read_dir(&dir).expect("snapshots") {
        let file = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        let Some(name) = file
            .strip_prefix("generator__")
            .and_then(|f| f.strip_suffix(".snap"))
        else {
            continue;
        };
        assert!(
            expected.iter().any(|e| e == name),
            "orphaned snapshot {file}: delete it"
        );
    }
}

/// `codegen::stages`, run one at a time as the benchmark times them, produce exactly
/// what `generate` does, for the real spec and every valid fixture.
#[test]
fn the_stages_one_at_a_time_are_generate() {
    use codegen::stages;
    let mut specs = vec![("spec/".to_owned(), real_spec())];
    specs.extend(
        fixtures("valid")
            .into_iter()
            .map(|(name, path)| (name, fixture(&path))),
    );
    for (name, files) in specs {
        let loaded = stages::load(&files).expect("loads");
        let checked = stages::check(&loaded).expect("checks");
        let emitted = stages::emit(&stages::lower(&checked));
        let staged = stages::format(emitted).expect("formats");
        assert_eq!(
            staged,
            codegen::generate(&files).expect("generates"),
            "{name}"
        );
    }
}
