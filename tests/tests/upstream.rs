//! `cargo xtask upstream`: a small spec against small OpenAPI files (all in
//! `tests/fixtures/upstream/`) that differ in every way the report knows, some of them
//! acknowledged; the report is the snapshot.

use std::path::PathBuf;

fn fixture() -> PathBuf {
    tests::repo_root()
        .join("tests")
        .join("fixtures")
        .join("upstream")
}

fn report(files: &[&str]) -> xtask::upstream::Report {
    let files: Vec<PathBuf> = files.iter().map(|name| fixture().join(name)).collect();
    let mut report =
        xtask::upstream::report(&fixture().join("spec"), &files).expect("the report runs");
    // The snapshot does not depend on where the repository is.
    report.files = report
        .files
        .iter()
        .map(|f| f.rsplit('/').next().unwrap_or(f).to_owned())
        .collect();
    report
}

#[test]
fn every_kind_of_difference_is_reported_and_acknowledgements_are_honoured() {
    let report = report(&["v1.yaml", "v2.yaml"]);
    insta::assert_snapshot!("upstream_report", report.to_string());
    assert!(report.unacknowledged() > 0);
    let text = report.to_string();
    assert!(
        text.contains("body field `custom_fields`: type is map of any JSON here, string upstream"),
        "a `custom_fields` is an object, not a string"
    );
    assert!(
        !text.contains("`data.custom_fields`"),
        "an object of any keys upstream is what a `custom_fields` is"
    );
    let acknowledged: Vec<&str> = report
        .groups
        .iter()
        .flat_map(|g| &g.differences)
        .filter_map(|d| d.acknowledged.as_deref())
        .collect();
    for reason in [
        "The API takes a comma-separated list.",
        "Acknowledged -- an upstream parameter the spec leaves out.",
        "Acknowledged -- the real API nests the pagination fields.",
        // In widgets.yaml, though widget_labels.yaml comes first below /widgets.
        "Acknowledged -- archiving is not part of this client yet.",
    ] {
        assert!(acknowledged.contains(&reason), "`{reason}` was not used");
    }
}

#[test]
fn a_file_of_no_known_version_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("v3.yaml");
    std::fs::write(&file, "openapi: 3.0.1\ninfo: {title: x, version: '3'}\nservers: [{url: 'https://x/api/v3'}]\npaths: {}\n").expect("write");
    let error = xtask::upstream::report(&fixture().join("spec"), &[file]).expect_err("no v3");
    assert!(
        error
            .to_string()
            .contains("ends with none of the spec's prefixes"),
        "{error}"
    );
}
