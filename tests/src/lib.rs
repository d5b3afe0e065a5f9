//! Helpers shared by the integration tests in `tests/tests/`.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::SourceFile;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
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
        .map(|path| SourceFile {
            name: format!("{prefix}/{}", path.file_name().unwrap_or_default().to_string_lossy()),
            text: fs::read_to_string(&path).unwrap_or_else(|error| panic!("reading {}: {error}", path.display())),
        })
        .collect()
}

/// The real spec, as `cargo xtask generate` reads it.
pub fn real_spec() -> Vec<SourceFile> {
    read_specs(&repo_root().join("spec"), "spec")
}

/// One spec file from text, as a fixture names it.
pub fn fixture(path: &Path) -> Vec<SourceFile> {
    let name = format!("fixtures/{}", path.file_name().unwrap_or_default().to_string_lossy());
    vec![SourceFile { name, text: fs::read_to_string(path).expect("fixture") }]
}
