//! `cargo xtask bench`: runs the criterion benchmarks of `tests/benches/`, the
//! allocation count of decoding, and the compile-time measurements ([`compile`]), then
//! prints every figure as a median with its ratio against the baseline measured in the
//! same run.
//!
//! The figures are reports, not tests: nothing here fails on a number.

pub mod compile;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use codegen::SourceFile;
use serde_json::Value;

use crate::{read_spec, root};

/// How many copies of the Organizations resource the scaling measures use: 1 is the real
/// spec, 8 and 16 add 7 and 15 renamed copies of its 21 operations.
pub const SCALES: [usize; 3] = [1, 8, 16];

/// The spec file whose resource the scaling benchmark copies.
const SCALED_FILE: &str = "organizations.yaml";

/// The spec with `copies - 1` renamed copies of its Organizations file added, so the
/// generator sees `copies` resources of the same shape. A copy renames, as whole words,
/// the resource, its operation ids and its schemas (`Organization` → `OrganizationCopy2`),
/// which also renames its paths and the words in its prose; nothing else changes.
pub fn renamed_copies(files: &[SourceFile], copies: usize) -> Result<Vec<SourceFile>> {
    let original = files
        .iter()
        .find(|file| file.name.ends_with(SCALED_FILE))
        .with_context(|| format!("the spec has no {SCALED_FILE}"))?;
    let text = std::str::from_utf8(&original.contents).context("the spec is UTF-8")?;
    let document: serde_yaml::Value = serde_yaml::from_str(text)?;
    let keys = |section: &str| -> Vec<String> {
        document
            .get(section)
            .and_then(serde_yaml::Value::as_mapping)
            .map(|mapping| {
                mapping
                    .keys()
                    .filter_map(|key| key.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let resource = document
        .get("resource")
        .and_then(|resource| resource.get("name"))
        .and_then(serde_yaml::Value::as_str)
        .context("the resource has a name")?
        .to_owned();
    let mut camel = keys("operations");
    camel.extend(keys("schemas"));
    let mut out = files.to_vec();
    for copy in 2..=copies {
        let renamed = rename_words(text, |word| {
            if word == resource {
                Some(format!("{word}_copy{copy}"))
            } else if camel.iter().any(|name| name == word) {
                Some(format!("{word}Copy{copy}"))
            } else {
                None
            }
        });
        let name = original
            .name
            .replace(SCALED_FILE, &format!("organizations_copy{copy}.yaml"));
        out.push(SourceFile::new(name, renamed.into_bytes()));
    }
    Ok(out)
}

/// `text` with each maximal run of identifier characters that `rename` maps replaced.
fn rename_words(text: &str, rename: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        match rename(word) {
            Some(renamed) => out.push_str(&renamed),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The operations and generated lines for `copies` copies of the resource.
pub fn scale(copies: usize) -> Result<(usize, usize)> {
    let files = renamed_copies(&read_spec(&root().join("spec"))?, copies)?;
    let api = codegen::compile(&files).map_err(|d| anyhow::anyhow!("{d}"))?;
    let operations = api.resources.iter().map(|r| r.operations.len()).sum();
    let generated = codegen::generate(&files).map_err(|d| anyhow::anyhow!("{d}"))?;
    let lines = generated.iter().map(|f| f.contents.lines().count()).sum();
    Ok((operations, lines))
}

/// How long the criterion benchmarks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Length {
    /// Criterion's defaults: 3 s of warm-up and 5 s of measurement per benchmark.
    Full,
    /// 1 s and 2 s, for a look.
    Quick,
    /// None: report the medians of the last run, and measure only allocations and
    /// compile times.
    Reuse,
}

/// Which parts of the report to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    /// The criterion benchmarks, allocations, pairs and compile times.
    All,
    /// Everything but the compile times.
    NoCompile,
    /// Only the compile times.
    CompileOnly,
}

/// What `cargo xtask bench` was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// How long the criterion benchmarks run; `Quick` also times each build once.
    pub length: Length,
    /// Which parts run.
    pub parts: Parts,
}

impl Options {
    /// Reads `[--quick | --reuse] [--no-compile | --compile-only]`, in any order; `None`
    /// for anything else.
    pub fn parse(args: &[&str]) -> Option<Options> {
        let mut options = Options {
            length: Length::Full,
            parts: Parts::All,
        };
        let (mut length, mut parts) = (false, false);
        for arg in args {
            match (*arg, length, parts) {
                ("--quick", false, _) => (options.length, length) = (Length::Quick, true),
                ("--reuse", false, _) => (options.length, length) = (Length::Reuse, true),
                ("--no-compile", _, false) => (options.parts, parts) = (Parts::NoCompile, true),
                ("--compile-only", _, false) => {
                    (options.parts, parts) = (Parts::CompileOnly, true);
                }
                _ => return None,
            }
        }
        Some(options)
    }
}

/// The target directory cargo builds the workspace into, where criterion keeps its runs.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"))
}

/// `cargo xtask bench`: prints the report on stdout, the compile times last, since they
/// take longest.
pub fn run(options: Options) -> Result<()> {
    let root = root();
    let target = target_dir(&root);
    if options.parts != Parts::CompileOnly {
        let mut criterion = vec![
            "bench", "-p", "tests", "--bench", "generate", "--bench", "client", "--bench",
            "decode", "--",
        ];
        match options.length {
            Length::Full => {}
            Length::Quick => {
                criterion.extend(["--warm-up-time", "1", "--measurement-time", "2"]);
            }
            Length::Reuse => criterion.clear(),
        }
        if !criterion.is_empty() {
            cargo(&root, &criterion)?;
        }
        let memory = cargo_output(&root, &["bench", "-p", "tests", "--bench", "decode_memory"])?;
        let paired = cargo_output(&root, &["bench", "-p", "tests", "--bench", "paired"])?;
        println!("## Ratios measured in pairs\n\n{}\n", paired.trim());
        println!("{}", report(&target.join("criterion"), &memory)?);
    }
    if options.parts != Parts::NoCompile {
        let rounds = match options.length {
            Length::Quick => 1,
            Length::Full | Length::Reuse => compile::COMPILE_ROUNDS,
        };
        println!("{}", compile::run(&root, &target, rounds)?);
    }
    Ok(())
}

fn cargo(dir: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new(cargo_bin())
        .args(args)
        .current_dir(dir)
        .status()
        .with_context(|| format!("cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!("cargo {} failed", args.join(" "));
    }
    Ok(())
}

fn cargo_output(dir: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new(cargo_bin())
        .args(args)
        .current_dir(dir)
        .output()
        .with_context(|| format!("cargo {}", args.join(" ")))?;
    if !output.status.success() {
        bail!(
            "cargo {} failed:\n{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn cargo_bin() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// A criterion estimate: the median, in nanoseconds.
fn median(criterion: &Path, id: &str) -> Result<f64> {
    let path = criterion.join(id).join("new").join("estimates.json");
    let text = fs::read_to_string(&path).with_context(|| format!("{}", path.display()))?;
    let estimates: Value = serde_json::from_str(&text)?;
    estimates["median"]["point_estimate"]
        .as_f64()
        .with_context(|| format!("{}: no median", path.display()))
}

fn show(nanos: f64) -> String {
    if nanos >= 1e9 {
        format!("{:.2} s", nanos / 1e9)
    } else if nanos >= 1e6 {
        format!("{:.2} ms", nanos / 1e6)
    } else if nanos >= 1e3 {
        format!("{:.1} µs", nanos / 1e3)
    } else {
        format!("{nanos:.0} ns")
    }
}

fn report(criterion: &Path, memory: &str) -> Result<String> {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Per request (loopback), generated vs hand-written\n"
    );
    let _ = writeln!(
        out,
        "| case | generated | hand-written | ratio |\n|---|---|---|---|"
    );
    for case in [
        "single",
        "in_flight_64",
        "page_100",
        "page_500",
        "page_500_known_keys",
    ] {
        let generated = median(criterion, &format!("request/{case}/generated"))?;
        let hand = median(criterion, &format!("request/{case}/hand"))?;
        let _ = writeln!(
            out,
            "| {case} | {} | {} | {:.2}× |",
            show(generated),
            show(hand),
            generated / hand
        );
    }
    let _ = writeln!(out, "\n## Decoding a 500-item page\n");
    let _ = writeln!(
        out,
        "| decoded into | median | ratio to hand-written |\n|---|---|---|"
    );
    let hand = median(criterion, "decode/page_500/hand")?;
    for side in ["generated", "hand", "value"] {
        let nanos = median(criterion, &format!("decode/page_500/{side}"))?;
        let _ = writeln!(out, "| {side} | {} | {:.2}× |", show(nanos), nanos / hand);
    }
    let known_hand = median(criterion, "decode/page_500_known_keys/hand")?;
    let known = median(criterion, "decode/page_500_known_keys/generated")?;
    let _ = writeln!(
        out,
        "| generated, no unlisted key | {} | {:.2}× (hand-written: {}) |",
        show(known),
        known / known_hand,
        show(known_hand)
    );
    let _ = writeln!(out, "\n{}", memory.trim());
    let _ = writeln!(out, "\n## Generation\n");
    let end_to_end = median(criterion, "generate/end_to_end")?;
    let _ = writeln!(
        out,
        "| stage | median | share of end to end |\n|---|---|---|"
    );
    for stage in ["load", "check", "lower", "emit", "format"] {
        let nanos = median(criterion, &format!("generate/stage/{stage}"))?;
        let _ = writeln!(
            out,
            "| {stage} | {} | {:.0} % |",
            show(nanos),
            nanos / end_to_end * 100.0
        );
    }
    let _ = writeln!(out, "| end to end | {} | 100 % |", show(end_to_end));
    let _ = writeln!(
        out,
        "\n| copies | operations | median | per operation | ratio to N = 1 | lines per operation |\n|---|---|---|---|---|---|"
    );
    let mut base = None;
    for copies in SCALES {
        let (operations, lines) = scale(copies)?;
        // Criterion names a group's directory with its `/` made `_`.
        let nanos = median(criterion, &format!("generate_scaling/{copies}"))?;
        let per = nanos / operations as f64;
        let base = *base.get_or_insert(per);
        let _ = writeln!(
            out,
            "| {copies} | {operations} | {} | {} | {:.2}× | {} |",
            show(nanos),
            show(per),
            per / base,
            lines / operations
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_rename_whole_words_only() {
        let renamed = rename_words("Organization OrganizationAddress organizations/x", |w| {
            (w == "Organization" || w == "organizations").then(|| format!("{w}2"))
        });
        assert_eq!(
            renamed,
            "Organization2 OrganizationAddress organizations2/x"
        );
    }

    #[test]
    fn options_take_one_length_and_one_part_in_any_order() {
        let parse = |args: &[&str]| Options::parse(args).map(|o| (o.length, o.parts));
        assert_eq!(parse(&[]), Some((Length::Full, Parts::All)));
        assert_eq!(
            parse(&["--compile-only", "--quick"]),
            Some((Length::Quick, Parts::CompileOnly))
        );
        assert_eq!(
            parse(&["--reuse", "--no-compile"]),
            Some((Length::Reuse, Parts::NoCompile))
        );
        assert_eq!(parse(&["--quick", "--reuse"]), None);
        assert_eq!(parse(&["--no-compile", "--compile-only"]), None);
        assert_eq!(parse(&["--fast"]), None);
    }

    #[test]
    fn every_scale_is_a_valid_spec_with_that_many_resources() {
        let files = read_spec(&root().join("spec")).unwrap();
        let one = codegen::compile(&files).unwrap();
        for copies in SCALES {
            let api = codegen::compile(&renamed_copies(&files, copies).unwrap()).unwrap();
            assert_eq!(api.resources.len(), one.resources.len() + copies - 1);
        }
    }
}
