//! `cargo xtask features --check-each`: the generated crate built with each resource's
//! feature alone, as a crate that needs only that resource builds it, so a resource that
//! uses another's models without enabling its feature, an import or a doc link that only
//! resolves when more is enabled, or a lint that fires only in that combination fails CI.
//!
//! Per feature, with `--no-default-features` and the `rustls` TLS backend:
//!
//! - clippy on the library, warnings denied, with the feature alone: what a consumer of
//!   that one resource compiles;
//! - clippy again with `mock` too: that resource's typed mocks, what its tests compile;
//! - rustdoc, warnings denied, with `mock`: its doc links resolve with only what it
//!   enables.
//!
//! Only the library: the crate's tests and examples do not change with a resource
//! feature (the runtime's unit tests name no resource, and the examples require
//! `organizations`), and `cargo test --workspace` and the workspace's clippy run cover them
//! once with every feature. Every step reuses the one target directory, so dependencies
//! are checked once for all features and each step recompiles only the crate.

use std::fs;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::features::{BEGIN, END};
use crate::root;

/// The resource features of the manifest `manifest`: the names the generated block
/// defines, in its order, without `full`.
pub fn resource_features(manifest: &str) -> Result<Vec<String>> {
    let begin = manifest
        .find(BEGIN)
        .with_context(|| format!("the manifest has no line `{BEGIN}`"))?;
    let block = &manifest[begin + BEGIN.len()..];
    let end = block
        .find(END)
        .with_context(|| format!("the manifest has no line `{END}` after `{BEGIN}`"))?;
    let mut names = Vec::new();
    for line in block[..end].lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let name = line
            .split_once('=')
            .map(|(name, _)| name.trim())
            .with_context(|| format!("not a feature: `{line}`"))?;
        if name != "full" {
            names.push(name.to_owned());
        }
    }
    Ok(names)
}

/// A cargo command's arguments, and a variable it needs in its environment.
pub type Step = (Vec<String>, Option<(&'static str, &'static str)>);

/// The cargo commands that check `feature` alone.
pub fn commands(feature: &str) -> Vec<Step> {
    let alone = format!("rustls,{feature}");
    let with_mocks = format!("rustls,mock,{feature}");
    let clippy = |features: &str| {
        [
            "clippy",
            "--quiet",
            "-p",
            "pipedrive",
            "--lib",
            "--no-default-features",
            "--features",
            features,
            "--",
            "-D",
            "warnings",
        ]
        .map(str::to_owned)
        .to_vec()
    };
    let doc = [
        "doc",
        "--quiet",
        "-p",
        "pipedrive",
        "--lib",
        "--no-deps",
        "--no-default-features",
        "--features",
        &with_mocks,
    ]
    .map(str::to_owned)
    .to_vec();
    vec![
        (clippy(&alone), None),
        (clippy(&with_mocks), None),
        (doc, Some(("RUSTDOCFLAGS", "-D warnings"))),
    ]
}

/// Runs [`commands`] for every resource feature of `generated/Cargo.toml`, printing how
/// long each took; fails naming every feature that did not pass.
pub fn check_each() -> Result<()> {
    let root = root();
    let manifest = root.join("generated").join("Cargo.toml");
    let text =
        fs::read_to_string(&manifest).with_context(|| format!("reading {}", manifest.display()))?;
    let features = resource_features(&text)?;
    if features.is_empty() {
        bail!("{} defines no resource feature", manifest.display());
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let mut failed = Vec::new();
    for feature in &features {
        let mut took = Vec::new();
        let mut ok = true;
        for (args, env) in commands(feature) {
            let mut command = Command::new(&cargo);
            command.args(&args).current_dir(&root);
            if let Some((key, value)) = env {
                command.env(key, value);
            }
            let start = Instant::now();
            let status = command
                .status()
                .with_context(|| format!("running cargo {}", args.join(" ")))?;
            took.push(start.elapsed());
            if !status.success() {
                eprintln!("failed: cargo {}", args.join(" "));
                ok = false;
            }
        }
        let [alone, mocks, doc] = [0, 1, 2].map(|at| took.get(at).copied().map_or(0.0, secs));
        println!(
            "{feature:<20} {} clippy {alone:>5.1} s, with mock {mocks:>5.1} s, rustdoc {doc:>5.1} s",
            if ok { "ok    " } else { "FAILED" },
        );
        if !ok {
            failed.push(feature.as_str());
        }
    }
    println!(
        "{} features checked alone in {:.0} s",
        features.len(),
        secs(started.elapsed())
    );
    if !failed.is_empty() {
        bail!(
            "these features do not build clean alone: {}",
            failed.join(", ")
        );
    }
    Ok(())
}

fn secs(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_features_are_the_names_of_the_generated_block_but_full() {
        let manifest = format!(
            "[features]\nmock = [\"dep:wiremock\"]\n{BEGIN}\ndeals = [\"persons\"]\npersons = []\n## Every resource.\nfull = [\"deals\", \"persons\"]\n{END}\n\n[lints]\n"
        );
        assert_eq!(resource_features(&manifest).unwrap(), ["deals", "persons"]);
        assert!(resource_features("[features]\n").is_err());
        assert!(resource_features(&format!("{BEGIN}\nnot a feature\n{END}\n")).is_err());
    }

    #[test]
    fn the_real_manifest_has_a_feature_for_each_resource_of_the_spec() {
        let root = root();
        let manifest = fs::read_to_string(root.join("generated").join("Cargo.toml")).unwrap();
        let api = codegen::compile(&crate::read_spec(&root.join("spec")).unwrap()).unwrap();
        let resources: Vec<String> = codegen::features(&api)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        assert_eq!(resource_features(&manifest).unwrap(), resources);
    }

    #[test]
    fn each_feature_is_checked_alone_and_with_its_mocks() {
        let commands = commands("deals");
        let joined: Vec<String> = commands.iter().map(|(args, _)| args.join(" ")).collect();
        assert_eq!(
            joined,
            [
                "clippy --quiet -p pipedrive --lib --no-default-features --features rustls,deals -- -D warnings",
                "clippy --quiet -p pipedrive --lib --no-default-features --features rustls,mock,deals -- -D warnings",
                "doc --quiet -p pipedrive --lib --no-deps --no-default-features --features rustls,mock,deals",
            ]
        );
        assert_eq!(commands[2].1, Some(("RUSTDOCFLAGS", "-D warnings")));
    }
}
