//! The published crate's promises about itself: no dependency needs a newer Rust than
//! the `rust-version` it declares, and its metadata is complete.

use std::process::Command;

/// `major.minor` of a `rust-version`.
fn version(text: &str) -> (u64, u64) {
    let mut parts = text.split('.').map(|part| part.parse::<u64>().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// The triple of the machine the tests run on, as `rustc -vV` names it.
fn host() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let output = Command::new(rustc).arg("-vV").output().expect("rustc -vV");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_owned()
}

/// The workspace's metadata for this machine's platform. `--offline` must not need a
/// package a host build never downloads (a wasm-only dependency in `Cargo.lock`, say),
/// so the resolve is filtered to the host: what `cargo test` fetched is all it reads.
fn metadata() -> serde_json::Value {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", &host()])
        .arg("--manifest-path")
        .arg(tests::repo_root().join("Cargo.toml"))
        .output()
        .expect("cargo metadata");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("metadata JSON")
}

#[test]
fn no_locked_dependency_needs_a_newer_rust_than_the_crate_declares() {
    let metadata = metadata();
    let packages = metadata["packages"].as_array().expect("packages");
    let pipedrive = packages
        .iter()
        .find(|p| p["name"] == "pipedrive")
        .expect("the crate");
    let declared = version(
        pipedrive["rust_version"]
            .as_str()
            .expect("rust-version is declared"),
    );
    let newer: Vec<String> = packages
        .iter()
        .filter_map(|p| {
            let needs = p["rust_version"].as_str()?;
            (version(needs) > declared)
                .then(|| format!("{} {} needs {needs}", p["name"], p["version"]))
        })
        .collect();
    assert!(
        newer.is_empty(),
        "the crate declares {declared:?}, but {newer:?}"
    );
}

#[test]
fn the_crate_carries_what_a_registry_page_needs() {
    let metadata = metadata();
    let pipedrive = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "pipedrive")
        .cloned()
        .expect("the crate");
    for key in [
        "description",
        "license",
        "readme",
        "documentation",
        "rust_version",
    ] {
        assert!(
            pipedrive[key]
                .as_str()
                .is_some_and(|value| !value.is_empty()),
            "`{key}` is missing"
        );
    }
    assert!(
        !pipedrive["keywords"]
            .as_array()
            .expect("keywords")
            .is_empty()
    );
    assert!(
        !pipedrive["categories"]
            .as_array()
            .expect("categories")
            .is_empty()
    );
    assert!(pipedrive["publish"].is_null(), "publishable to crates.io");
    let dir = tests::repo_root().join("generated");
    for file in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(
            std::fs::read_to_string(dir.join(file)).is_ok_and(|text| text.len() > 100),
            "generated/{file}"
        );
    }
}
