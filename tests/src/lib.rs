//! Helpers shared by the integration tests in `tests/tests/`.

pub mod compile;
pub mod operations;
pub mod wire;

use std::fs;
use std::path::{Path, PathBuf};

use codegen::SourceFile;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Every `*.yaml` file of `dir`, named as `prefix/file.yaml`, sorted.
pub fn read_specs(dir: &Path, prefix: &str) -> Vec<SourceFile> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("reading {}: {error}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = format!(
                "{prefix}/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            SourceFile::new(
                name,
                fs::read(&path)
                    .unwrap_or_else(|error| panic!("reading {}: {error}", path.display())),
            )
        })
        .collect()
}

/// The real spec, as `cargo xtask generate` reads it.
pub fn real_spec() -> Vec<SourceFile> {
    read_specs(&repo_root().join("spec"), "spec")
}

/// A fixture: one spec file, or a directory of them.
pub fn fixture(path: &Path) -> Vec<SourceFile> {
    let name = format!(
        "fixtures/{}",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    if path.is_dir() {
        return read_specs(path, &name);
    }
    vec![SourceFile::new(name, fs::read(path).expect("fixture"))]
}

/// The fixtures in `tests/fixtures/<kind>/`, files and directories, sorted, each with
/// the name its snapshot takes.
pub fn fixtures(kind: &str) -> Vec<(String, PathBuf)> {
    let dir = repo_root().join("tests").join("fixtures").join(kind);
    let mut entries: Vec<(String, PathBuf)> = fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("reading {}: {error}", dir.display()))
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_dir() || path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| {
            (
                path.file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                path,
            )
        })
        .collect();
    entries.sort();
    entries
}

/// The operation ids of the real spec, in file and spec order. Tests derive their lists
/// from this rather than hard-coding what the spec contains.
pub fn spec_operation_ids() -> Vec<String> {
    let mut ids = Vec::new();
    for file in real_spec() {
        let document: serde_yaml::Value = serde_yaml::from_slice(&file.contents)
            .unwrap_or_else(|error| panic!("{}: {error}", file.name));
        if let Some(operations) = document
            .get("operations")
            .and_then(serde_yaml::Value::as_mapping)
        {
            ids.extend(
                operations
                    .keys()
                    .filter_map(serde_yaml::Value::as_str)
                    .map(str::to_owned),
            );
        }
    }
    ids
}
