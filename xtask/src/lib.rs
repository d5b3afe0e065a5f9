//! What `cargo xtask` does, as a library, so that tests run exactly the code the
//! command runs (the staleness test calls [`generate_into`] in [`Mode::Check`]; the
//! upstream report's tests call [`upstream::report`]; the draft's tests call
//! [`draft::draft`] and [`draft::draft_to_file`]).
//!
//! Thin by design: it reads `spec/`, calls the `codegen` library and brings
//! `generated/src/api/` in line with what it returns. All the compiling happens in
//! `codegen`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use codegen::{GeneratedFile, OUTPUT_DIR, SourceFile};

pub mod bench;
pub mod draft;
pub mod feature_check;
pub mod features;
pub mod upstream;

/// Whether `generate` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Bring the output in line with the spec.
    Write,
    /// Write nothing; fail when the output differs.
    Check,
}

/// The repository root: the parent of the xtask package that `cargo run` started.
///
/// `cargo run` sets `CARGO_MANIFEST_DIR` when it runs the binary, so a binary shared through a
/// common target directory by two checkouts still works on the checkout it was started from;
/// the path baked in at build time is only the fallback for a binary run directly.
pub fn root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// `cargo xtask generate [--check]` on the repository: `generated/src/api/`, the derived
/// tests in `tests/tests/operations/`, and the features block of `generated/Cargo.toml`.
pub fn generate(mode: Mode) -> Result<()> {
    let root = root();
    let spec = root.join("spec");
    generate_into(&spec, &root.join("generated").join(OUTPUT_DIR), mode)?;
    let sources = read_spec(&spec)?;
    let tests = match codegen::generate_tests(&sources) {
        Ok(files) => files,
        Err(diagnostics) => bail!("{diagnostics}"),
    };
    sync_tree(
        &root.join(codegen::TESTS_DIR),
        codegen::TESTS_DIR,
        &tests,
        mode,
    )?;
    let api = match codegen::compile(&sources) {
        Ok(api) => api,
        Err(diagnostics) => bail!("{diagnostics}"),
    };
    let manifest = root.join("generated").join("Cargo.toml");
    let current = features::sync(&manifest, &codegen::features(&api), mode == Mode::Check)?;
    match (current, mode) {
        (true, _) => Ok(()),
        (false, Mode::Check) => bail!(
            "generated/Cargo.toml's features are stale: run `cargo xtask generate` and commit the result"
        ),
        (false, Mode::Write) => {
            println!("  changed  generated/Cargo.toml (the features of the resources)");
            Ok(())
        }
    }
}

/// Compiles the spec in `spec_dir` and brings `out` in line with it (or, in check mode,
/// only compares, and fails naming each stale, missing or extra file). Nothing is
/// written unless the whole compilation succeeded.
pub fn generate_into(spec_dir: &Path, out: &Path, mode: Mode) -> Result<()> {
    let sources = read_spec(spec_dir)?;
    let files = match codegen::generate(&sources) {
        Ok(files) => files,
        Err(diagnostics) => bail!("{diagnostics}"),
    };
    sync_tree(out, &format!("generated/{OUTPUT_DIR}"), &files, mode)
}

/// Brings the tree `out` (shown as `shown` in messages) in line with `files`: in check
/// mode, only compares, and fails naming each stale, missing or extra file.
pub fn sync_tree(out: &Path, shown: &str, files: &[GeneratedFile], mode: Mode) -> Result<()> {
    let plan = plan(out, files)?;
    let describe = |change: &Change| change.describe(shown);
    match mode {
        Mode::Check => {
            if plan.is_empty() {
                println!("{shown} is up to date ({} files)", files.len());
                return Ok(());
            }
            let changes: Vec<String> = plan.iter().map(describe).collect();
            bail!(
                "{shown} is stale: run `cargo xtask generate` and commit the result\n{}",
                changes.join("\n")
            )
        }
        Mode::Write => {
            apply(out, files, &plan)?;
            if plan.is_empty() {
                println!("{shown} is up to date ({} files)", files.len());
            }
            for change in &plan {
                println!("{}", describe(change));
            }
            Ok(())
        }
    }
}

/// Reads every `*.yaml` file of `spec/`, sorted by name.
pub fn read_spec(dir: &Path) -> Result<Vec<SourceFile>> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    // `.yaml` alone counts too: it has no stem, and the generator says so.
    paths.retain(|p| {
        p.file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.ends_with(".yaml") || name.ends_with(".yml"))
    });
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let contents =
                fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let name = format!(
                "spec/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            Ok(SourceFile::new(name, contents))
        })
        .collect()
}

enum Change {
    Added(String),
    Changed(String),
    Removed(String),
}

impl Change {
    fn describe(&self, tree: &str) -> String {
        match self {
            Self::Added(path) => format!("  added    {tree}/{path}"),
            Self::Changed(path) => format!("  changed  {tree}/{path}"),
            Self::Removed(path) => {
                format!("  removed  {tree}/{path} (no longer produced)")
            }
        }
    }
}

/// What must change on disk for `out` to hold exactly `files`.
fn plan(out: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>> {
    let existing = list_files(out)?;
    let mut changes = Vec::new();
    for file in files {
        match fs::read(out.join(&file.path)) {
            Ok(bytes) if bytes == file.contents.as_bytes() => {}
            Ok(_) => changes.push(Change::Changed(file.path.clone())),
            Err(_) => changes.push(Change::Added(file.path.clone())),
        }
    }
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for path in existing {
        if !produced.contains(path.as_str()) {
            changes.push(Change::Removed(path));
        }
    }
    Ok(changes)
}

/// Every file below `dir`, relative to it with `/` separators, sorted.
fn list_files(dir: &Path) -> Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    if !dir.exists() {
        return Ok(found);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in
            fs::read_dir(&current).with_context(|| format!("reading {}", current.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.insert(parts.join("/"));
            }
        }
    }
    Ok(found)
}

/// Brings `out` in line with `plan` in two phases: first every new or changed file is
/// written beside its target (`*.rs.tmp`); only when all are written are they renamed
/// into place and stale files removed. A failure in the first phase removes what it
/// wrote and leaves `out` as it was; a leftover `*.tmp` from an interrupted run is an
/// extra file that the next run removes and `--check` reports.
fn apply(out: &Path, files: &[GeneratedFile], plan: &[Change]) -> Result<()> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let written = plan.iter().try_for_each(|change| {
        let (Change::Added(path) | Change::Changed(path)) = change else {
            return Ok(());
        };
        let Some(file) = files.iter().find(|f| &f.path == path) else {
            return Ok(());
        };
        let target = out.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        let temporary = target.with_extension("rs.tmp");
        fs::write(&temporary, &file.contents)
            .with_context(|| format!("writing {}", temporary.display()))?;
        staged.push((temporary, target));
        anyhow::Ok(())
    });
    if let Err(error) = written {
        for (temporary, _) in &staged {
            let _ = fs::remove_file(temporary);
        }
        return Err(error);
    }
    for (temporary, target) in staged {
        fs::rename(&temporary, &target)
            .with_context(|| format!("renaming into {}", target.display()))?;
    }
    for change in plan {
        if let Change::Removed(path) = change {
            let target = out.join(path);
            fs::remove_file(&target).with_context(|| format!("removing {}", target.display()))?;
            // A directory left empty by the removal goes too.
            if let Some(parent) = target.parent().filter(|p| *p != out) {
                if fs::read_dir(parent).is_ok_and(|mut entries| entries.next().is_none()) {
                    let _ = fs::remove_dir(parent);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        list_files(dir)
            .expect("listing")
            .into_iter()
            .map(|path| {
                let bytes = fs::read(dir.join(&path)).expect("reading");
                (path, bytes)
            })
            .collect()
    }

    fn real_spec() -> PathBuf {
        root().join("spec")
    }

    #[test]
    fn writes_everything_then_nothing_and_removes_stale_files() {
        let out = tempfile::tempdir().expect("tempdir");
        generate_into(&real_spec(), out.path(), Mode::Write).expect("generates");
        let first = snapshot(out.path());
        assert!(
            first.contains_key("organizations/mod.rs")
                && first.contains_key("organizations/models.rs")
                && first.contains_key("common.rs"),
            "{:?}",
            first.keys()
        );
        generate_into(&real_spec(), out.path(), Mode::Check).expect("up to date");

        fs::create_dir_all(out.path().join("old")).expect("mkdir");
        fs::write(out.path().join("old/gone.rs"), "// stale").expect("write");
        fs::write(out.path().join("mod.rs"), "// edited by hand").expect("write");
        let before_check = snapshot(out.path());
        assert!(
            generate_into(&real_spec(), out.path(), Mode::Check).is_err(),
            "--check must fail on stale output"
        );
        assert_eq!(
            snapshot(out.path()),
            before_check,
            "--check must write nothing"
        );

        generate_into(&real_spec(), out.path(), Mode::Write).expect("regenerates");
        assert_eq!(snapshot(out.path()), first);
        assert!(
            !out.path().join("old").exists(),
            "an emptied directory is removed"
        );
    }

    #[test]
    fn a_failing_generation_leaves_the_output_byte_identical() {
        let out = tempfile::tempdir().expect("tempdir");
        generate_into(&real_spec(), out.path(), Mode::Write).expect("generates");
        fs::write(
            out.path().join("organizations/mod.rs"),
            "// an older version",
        )
        .expect("write");
        let before = snapshot(out.path());

        let spec = tempfile::tempdir().expect("tempdir");
        for entry in fs::read_dir(real_spec()).expect("spec") {
            let path = entry.expect("entry").path();
            fs::copy(&path, spec.path().join(path.file_name().expect("name"))).expect("copy");
        }
        let broken = spec.path().join("organizations.yaml");
        let text = fs::read_to_string(&broken).expect("read");
        fs::write(
            &broken,
            text.replacen("data: Organization\n", "data: Organisation\n", 1),
        )
        .expect("write");

        let error =
            generate_into(spec.path(), out.path(), Mode::Write).expect_err("the spec is broken");
        assert!(
            error
                .to_string()
                .contains("no schema is named `Organisation`"),
            "{error}"
        );
        assert_eq!(snapshot(out.path()), before);
    }

    /// A shared file named only `.yaml` is read, not skipped, and the generator says
    /// where the problem is: its name cannot name a module.
    #[test]
    fn a_spec_file_without_a_name_is_a_located_error() {
        let spec = tempfile::tempdir().expect("tempdir");
        fs::copy(real_spec().join("api.yaml"), spec.path().join("api.yaml")).expect("copy");
        fs::write(
            spec.path().join(".yaml"),
            "schemas:\n  Thing: {description: A thing., fields: {id: {type: integer, description: The ID.}}}\n",
        )
        .expect("write");
        let out = tempfile::tempdir().expect("tempdir");
        let error =
            generate_into(spec.path(), out.path(), Mode::Write).expect_err("no module name");
        let text = error.to_string();
        assert!(
            text.contains("the file name cannot name a module"),
            "{text}"
        );
        assert!(text.contains(".yaml:1:1"), "located: {text}");
        assert_eq!(
            fs::read_dir(out.path()).expect("out").count(),
            0,
            "nothing written"
        );
    }
}
