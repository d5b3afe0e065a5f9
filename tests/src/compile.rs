//! Compiling what the generator produced: a scratch copy of the generated crate whose
//! `src/api/` is the output of some other spec, checked with clippy, rustdoc and
//! doctests, warnings denied.
//!
//! The scratch crate keeps the real crate's name, dependencies, lints and runtime
//! (`generated/src/runtime/`); only `src/api/` and a spec-neutral `lib.rs` differ. It
//! lives under the target directory, with a target directory of its own that persists
//! between runs, and is built offline from the dependencies the workspace already
//! fetched, with the workspace's `Cargo.lock`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use codegen::{GeneratedFile, SourceFile};

use crate::repo_root;

/// A build step that takes longer than this is taken to hang. It only bounds a broken
/// run; how long a healthy run takes is not checked.
const HANG_BOUND: Duration = Duration::from_secs(20 * 60);

/// The root of every scratch crate and of their shared target directory.
fn scratch_root() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| repo_root().join("target"), PathBuf::from);
    target.join("compile-tests")
}

/// A scratch crate holding generated files.
pub struct ScratchCrate {
    dir: PathBuf,
}

impl ScratchCrate {
    /// Writes a scratch crate named `name` generated from `spec`; panics with the
    /// diagnostics when the spec does not compile.
    pub fn generate(name: &str, spec: &[SourceFile]) -> Self {
        let files =
            codegen::generate(spec).unwrap_or_else(|d| panic!("{name} does not compile:\n{d}"));
        let api = codegen::compile(spec).unwrap_or_else(|d| panic!("{name}:\n{d}"));
        Self::new(name, &files, &codegen::features(&api))
    }

    /// Writes a scratch crate named `name` whose `src/api/` holds `files`, with a cargo
    /// feature per resource as `features` says.
    pub fn new(name: &str, files: &[GeneratedFile], features: &[(String, Vec<String>)]) -> Self {
        let dir = scratch_root().join("crates").join(name);
        let src = dir.join("src");
        let _ = fs::remove_dir_all(src.join("api"));
        fs::create_dir_all(src.join("api")).expect("scratch src/api");
        fs::write(dir.join("Cargo.toml"), manifest(name, features)).expect("scratch Cargo.toml");
        fs::copy(repo_root().join("Cargo.lock"), dir.join("Cargo.lock"))
            .expect("scratch Cargo.lock");
        fs::write(src.join("lib.rs"), lib_rs()).expect("scratch lib.rs");
        copy_dir(
            &repo_root().join("generated").join("src").join("runtime"),
            &src.join("runtime"),
        );
        for file in files {
            let path = src.join("api").join(&file.path);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).expect("scratch api directory");
            }
            fs::write(path, &file.contents).expect("scratch api file");
        }
        Self { dir }
    }

    /// Runs clippy on the library, rustdoc, and the doctests of the generated files,
    /// each with warnings denied; panics with the compiler's output when one fails.
    pub fn check_clean(&self) {
        self.clippy();
        self.cargo(
            &["doc", "--no-deps", "--lib", "--features", "mock,full"],
            &[("RUSTDOCFLAGS", "-D warnings")],
        );
        // Only the generated files' doctests: the runtime's examples show today's spec.
        self.cargo(
            &["test", "--doc", "--features", "full", "--", "src/api/"],
            &[("RUSTDOCFLAGS", "-D warnings")],
        );
    }

    /// Runs clippy on the library with each of `features` alone (and the mocks), warnings
    /// denied: a crate that enables one resource builds with what that resource needs.
    pub fn check_each_feature(&self, features: &[&str]) {
        for feature in features {
            let features = format!("rustls,mock,{feature}");
            self.cargo(
                &[
                    "doc",
                    "--no-deps",
                    "--lib",
                    "--no-default-features",
                    "--features",
                    &features,
                ],
                &[("RUSTDOCFLAGS", "-D warnings")],
            );
            self.cargo(
                &[
                    "clippy",
                    "--lib",
                    "--no-default-features",
                    "--features",
                    &features,
                    "--",
                    "-D",
                    "warnings",
                ],
                &[],
            );
        }
    }

    /// Runs clippy on the library and its mocks with warnings denied; panics with the compiler's
    /// output on failure.
    pub fn clippy(&self) {
        // With the typed mocks, which are generated code too.
        self.cargo(
            &[
                "clippy",
                "--lib",
                "--features",
                "mock,full",
                "--",
                "-D",
                "warnings",
            ],
            &[],
        );
    }

    fn cargo(&self, args: &[&str], env: &[(&str, &str)]) {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        // The subcommand, then the flags every run takes, then the caller's arguments
        // (which may end with `-- ...` for the tool).
        command
            .args(&args[..1])
            .args(["--offline", "--quiet"])
            .args(&args[1..])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", scratch_root().join("target"))
            .env_remove("RUSTFLAGS")
            .env_remove("RUSTDOCFLAGS")
            .env("CARGO_TERM_COLOR", "never")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("cargo starts");
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("cargo runs") {
                break status;
            }
            if started.elapsed() > HANG_BOUND {
                let _ = child.kill();
                panic!(
                    "`cargo {}` in {} did not finish within {HANG_BOUND:?}",
                    args.join(" "),
                    self.dir.display()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        };
        let output = child.wait_with_output().expect("cargo output");
        assert!(
            status.success(),
            "`cargo {}` failed in {}:\n{}{}",
            args.join(" "),
            self.dir.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// The real crate's manifest with every workspace-inherited key spelled out, as its own
/// workspace, for the scratch crate `name`. Its package is named after it, so that scratch crates built side by side in
/// one target directory get artifacts of their own; its library keeps the real name,
/// which doctests use.
fn manifest(name: &str, resources: &[(String, Vec<String>)]) -> String {
    let root: toml::Table = read_toml(&repo_root().join("Cargo.toml"));
    let crate_manifest: toml::Table = read_toml(&repo_root().join("generated").join("Cargo.toml"));
    let workspace = root
        .get("workspace")
        .and_then(toml::Value::as_table)
        .expect("[workspace]");
    let inherited_package = workspace
        .get("package")
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    let inherited_deps = workspace
        .get("dependencies")
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();

    let mut package = crate_manifest
        .get("package")
        .and_then(toml::Value::as_table)
        .cloned()
        .expect("[package]");
    for (key, value) in package.clone() {
        if value
            .as_table()
            .and_then(|t| t.get("workspace"))
            .and_then(toml::Value::as_bool)
            == Some(true)
        {
            if let Some(inherited) = inherited_package.get(&key) {
                package.insert(key, inherited.clone());
            }
        }
    }
    // Examples, the readme and the like belong to the real crate.
    for key in ["readme", "include", "exclude", "autoexamples"] {
        package.remove(&key.to_owned());
    }
    package.insert(
        "name".to_owned(),
        toml::Value::String(format!("pipedrive-scratch-{name}")),
    );
    package.insert("autoexamples".to_owned(), toml::Value::Boolean(false));
    package.insert("autotests".to_owned(), toml::Value::Boolean(false));
    package.insert("autobenches".to_owned(), toml::Value::Boolean(false));

    let resolve = |deps: Option<&toml::Value>| -> toml::Table {
        let mut resolved = toml::Table::new();
        for (name, spec) in deps
            .and_then(toml::Value::as_table)
            .cloned()
            .unwrap_or_default()
        {
            let mut spec = match spec {
                toml::Value::Table(table) => table,
                other => {
                    resolved.insert(name, other);
                    continue;
                }
            };
            if spec.remove("workspace").and_then(|v| v.as_bool()) == Some(true) {
                let mut base = match inherited_deps.get(&name).cloned() {
                    Some(toml::Value::Table(table)) => table,
                    Some(toml::Value::String(version)) => toml::Table::from_iter([(
                        "version".to_owned(),
                        toml::Value::String(version),
                    )]),
                    _ => panic!("dependency {name} is not in [workspace.dependencies]"),
                };
                // `features` add to the inherited ones; other keys override.
                if let Some(toml::Value::Array(extra)) = spec.remove("features") {
                    let mut features = base
                        .get("features")
                        .and_then(toml::Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    features.extend(extra);
                    base.insert("features".to_owned(), toml::Value::Array(features));
                }
                base.extend(spec);
                spec = base;
            }
            if let Some(toml::Value::String(path)) = spec.get("path") {
                let absolute = repo_root().join(path);
                spec.insert(
                    "path".to_owned(),
                    toml::Value::String(absolute.to_string_lossy().into_owned()),
                );
            }
            resolved.insert(name, toml::Value::Table(spec));
        }
        resolved
    };

    let mut manifest = toml::Table::new();
    manifest.insert("package".to_owned(), toml::Value::Table(package));
    manifest.insert(
        "lib".to_owned(),
        toml::Value::Table(toml::Table::from_iter([(
            "name".to_owned(),
            toml::Value::String("pipedrive".to_owned()),
        )])),
    );
    manifest.insert(
        "dependencies".to_owned(),
        toml::Value::Table(resolve(crate_manifest.get("dependencies"))),
    );
    manifest.insert(
        "dev-dependencies".to_owned(),
        toml::Value::Table(resolve(crate_manifest.get("dev-dependencies"))),
    );
    // The real crate's own features, and this spec's resources in place of its.
    let block: toml::Table = xtask::features::block(resources)
        .parse()
        .expect("the features block is TOML");
    let mut features = crate_manifest
        .get("features")
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    let real: Vec<String> = features
        .get("full")
        .and_then(toml::Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for name in real {
        features.remove(&name);
    }
    features.extend(block);
    manifest.insert("features".to_owned(), toml::Value::Table(features));
    if let Some(lints) = workspace.get("lints") {
        manifest.insert("lints".to_owned(), lints.clone());
    }
    manifest.insert(
        "workspace".to_owned(),
        toml::Value::Table(toml::Table::new()),
    );
    toml::to_string(&manifest).expect("manifest serializes")
}

fn read_toml(path: &Path) -> toml::Table {
    let text =
        fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    text.parse()
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The real `lib.rs` without its crate documentation (the crate README included),
/// whose examples use today's spec.
fn lib_rs() -> String {
    let text = fs::read_to_string(repo_root().join("generated").join("src").join("lib.rs"))
        .expect("lib.rs");
    let code: Vec<&str> = text
        .lines()
        .filter(|line| !line.starts_with("//!") && !line.starts_with("#![doc = include_str!"))
        .collect();
    format!(
        "//! A scratch crate: the runtime and the output of a test spec.\n{}\n",
        code.join("\n")
    )
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = fs::remove_dir_all(to);
    fs::create_dir_all(to).expect("scratch directory");
    for entry in fs::read_dir(from).expect("runtime directory") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("file name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy");
        }
    }
}
