//! The generator's output: determinism, staleness of `generated/` (whose committed files
//! are the reviewable diff of the real spec), snapshots of the output of each valid
//! fixture, and the diagnostics of invalid specs.

use std::fs;

use codegen::GeneratedFile;
use tests::{fixture, fixtures, real_spec, repo_root};

fn generate_real() -> Vec<GeneratedFile> {
    codegen::generate(&real_spec()).unwrap_or_else(|diagnostics| panic!("the real spec does not compile:\n{diagnostics}"))
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
    let file = spec.iter_mut().find(|f| f.name == "spec/organizations.yaml").expect("organizations spec");
    let old = "description: Returns data about all organizations.";
    assert!(file.text.contains(old));
    file.text = file.text.replacen(old, "description: Returns every organization.", 1);
    let after = codegen::generate(&spec).expect("compiles");
    let mut changed = Vec::new();
    for (a, b) in before.iter().zip(&after) {
        assert_eq!(a.path, b.path);
        let old_lines: Vec<&str> = a.contents.lines().collect();
        let new_lines: Vec<&str> = b.contents.lines().collect();
        assert_eq!(old_lines.len(), new_lines.len(), "{} changed its line count", a.path);
        for (x, y) in old_lines.iter().zip(&new_lines) {
            if x != y {
                changed.push((a.path.clone(), x.to_string(), y.to_string()));
            }
        }
    }
    assert_eq!(
        changed,
        [(
            "organizations.rs".to_owned(),
            "    /// Returns data about all organizations.".to_owned(),
            "    /// Returns every organization.".to_owned()
        )]
    );
}

/// Each valid fixture exercises part of the spec dialect; its whole output is one snapshot.
#[test]
fn valid_fixture_snapshots() {
    for (name, path) in fixtures("valid") {
        let files = codegen::generate(&fixture(&path)).unwrap_or_else(|d| panic!("{}:\n{d}", path.display()));
        let text: String = files.iter().map(|f| format!("==> {} <==\n{}\n", f.path, f.contents)).collect();
        insta::assert_snapshot!(format!("valid_{name}"), text);
    }
}

/// One invalid fixture per class of mistake: each must fail with located diagnostics, and
/// the rendered report, what a maintainer reads, is the snapshot.
#[test]
fn invalid_fixture_snapshots() {
    let fixtures = fixtures("invalid");
    assert!(fixtures.len() >= 20, "one fixture per class of mistake");
    for (name, path) in fixtures {
        let diagnostics = match codegen::generate(&fixture(&path)) {
            Ok(_) => panic!("{} compiled but should not", path.display()),
            Err(diagnostics) => diagnostics,
        };
        assert!(diagnostics.iter().all(|d| d.position.is_some()), "{name}: a diagnostic without position:\n{diagnostics}");
        insta::assert_snapshot!(format!("invalid_{name}"), diagnostics.to_string());
    }
}

/// Every stored snapshot belongs to a test that still takes it (what
/// `cargo insta test --unreferenced=reject` checks, without needing cargo-insta).
#[test]
fn no_orphaned_snapshots() {
    let mut expected: Vec<String> = Vec::new();
    expected.extend(fixtures("valid").into_iter().map(|(name, _)| format!("valid_{name}")));
    expected.extend(fixtures("invalid").into_iter().map(|(name, _)| format!("invalid_{name}")));
    let dir = repo_root().join("tests").join("tests").join("snapshots");
    for entry in fs::read_dir(&dir).expect("snapshots") {
        let file = entry.expect("entry").file_name().to_string_lossy().into_owned();
        let Some(name) = file.strip_prefix("generator__").and_then(|f| f.strip_suffix(".snap")) else { continue };
        assert!(expected.iter().any(|e| e == name), "orphaned snapshot {file}: delete it");
    }
}
