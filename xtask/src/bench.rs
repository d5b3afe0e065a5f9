//! `cargo xtask bench`: runs the criterion benchmarks of `tests/benches/`, the
//! allocation count of decoding, and the compile-time measurements, then prints every
//! figure as a median with its ratio against the baseline measured in the same run.
//!
//! The figures are reports, not tests: nothing here fails on a number.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use codegen::SourceFile;
use serde_json::Value;

use crate::{read_spec, root};

/// How many copies of the resource the scaling benchmark generates.
pub const SCALES: [usize; 4] = [1, 4, 16, 64];

/// The spec file whose resource the scaling benchmark copies.
const SCALED_FILE: &str = "organizations.yaml";

/// How many times each compile is timed.
pub const COMPILE_RUNS: usize = 3;

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

/// `cargo xtask bench [--quick | --reuse]`: prints the report on stdout, the compile
/// times last, since they take longest.
pub fn run(length: Length) -> Result<()> {
    let root = root();
    let mut criterion = vec![
        "bench", "-p", "tests", "--bench", "generate", "--bench", "client", "--bench", "decode",
        "--",
    ];
    match length {
        Length::Full => {}
        Length::Quick => criterion.extend(["--warm-up-time", "1", "--measurement-time", "2"]),
        Length::Reuse => criterion.clear(),
    }
    if !criterion.is_empty() {
        cargo(&root, &criterion)?;
    }
    let memory = cargo_output(&root, &["bench", "-p", "tests", "--bench", "decode_memory"])?;
    let paired = cargo_output(&root, &["bench", "-p", "tests", "--bench", "paired"])?;
    println!("## Ratios measured in pairs\n\n{}\n", paired.trim());
    println!(
        "{}",
        report(&root.join("target").join("criterion"), &memory)?
    );
    println!("{}", compile_report(&compile_times(&root)?));
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

/// Compile times, each the median of [`COMPILE_RUNS`] timed rebuilds after a warm-up
/// build, in a target directory of their own.
#[derive(Debug)]
pub struct CompileTimes {
    /// The generated crate alone, debug and release.
    pub crate_debug: Duration,
    /// See `crate_debug`.
    pub crate_release: Duration,
    /// A release binary that calls one operation.
    pub consumer_one: Duration,
    /// A release binary that calls every operation.
    pub consumer_all: Duration,
    /// How many operations `consumer_all` calls.
    pub operations: usize,
}

fn compile_times(root: &Path) -> Result<CompileTimes> {
    let scratch = root.join("target").join("bench-compile");
    let target = scratch.join("target");
    let calls = operation_calls(root)?;
    let operations = calls.len();
    let one = consumer(&scratch, "consumer-one", &calls[..1], root)?;
    let all = consumer(&scratch, "consumer-all", &calls, root)?;
    let lib = root.join("generated").join("src").join("lib.rs");
    let crate_debug = timed(&lib, || build(&one, &target, &["-p", "pipedrive"]))?;
    let crate_release = timed(&lib, || {
        build(&one, &target, &["--release", "-p", "pipedrive"])
    })?;
    let consumer_one = timed(&one.join("src/main.rs"), || {
        build(&one, &target, &["--release"])
    })?;
    let consumer_all = timed(&all.join("src/main.rs"), || {
        build(&all, &target, &["--release"])
    })?;
    Ok(CompileTimes {
        crate_debug,
        crate_release,
        consumer_one,
        consumer_all,
        operations,
    })
}

/// Builds once to warm the dependencies, then times [`COMPILE_RUNS`] rebuilds after
/// touching `touch`; the median.
fn timed(touch: &Path, build: impl Fn() -> Result<()>) -> Result<Duration> {
    build()?;
    let mut runs = Vec::with_capacity(COMPILE_RUNS);
    for _ in 0..COMPILE_RUNS {
        let file = fs::File::options().append(true).open(touch)?;
        file.set_modified(std::time::SystemTime::now())?;
        let start = Instant::now();
        build()?;
        runs.push(start.elapsed());
    }
    runs.sort();
    Ok(runs[runs.len() / 2])
}

fn build(dir: &Path, target: &Path, args: &[&str]) -> Result<()> {
    let status = Command::new(cargo_bin())
        .arg("build")
        .args(["--offline", "--quiet"])
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        // A full rebuild of the crate each time, not what incremental compilation saved.
        .env("CARGO_INCREMENTAL", "0")
        .status()?;
    if !status.success() {
        bail!("cargo build {} failed in {}", args.join(" "), dir.display());
    }
    Ok(())
}

/// The body of each operation's generated doc example (`async fn example(client)`),
/// read from the generated resource files: one call per operation, with its required
/// arguments, as the spec describes them.
fn operation_calls(root: &Path) -> Result<Vec<String>> {
    let api = root.join("generated").join("src").join("api");
    let mut calls = Vec::new();
    let mut entries: Vec<PathBuf> = fs::read_dir(&api)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "rs") && !path.ends_with("mod.rs"))
        .collect();
    entries.sort();
    for path in entries {
        let text = fs::read_to_string(&path)?;
        let mut current: Option<Vec<String>> = None;
        for line in text.lines() {
            let Some(doc) = line.trim_start().strip_prefix("///") else {
                continue;
            };
            let doc = doc.strip_prefix(' ').unwrap_or(doc);
            match (&mut current, doc) {
                (None, "```no_run") => current = Some(Vec::new()),
                (Some(lines), "```") => {
                    calls.push(lines.join("\n"));
                    current = None;
                }
                // The example's own signature, visible when an attribute precedes it.
                (Some(_), doc) if doc.starts_with("async fn ") => {}
                (Some(lines), doc) if !doc.starts_with('#') => lines.push(doc.to_owned()),
                _ => {}
            }
        }
    }
    if calls.is_empty() {
        bail!("no operation examples in {}", api.display());
    }
    Ok(calls)
}

/// A binary crate that calls each of `calls`, depending on the generated crate.
fn consumer(scratch: &Path, name: &str, calls: &[String], root: &Path) -> Result<PathBuf> {
    let dir = scratch.join(name);
    fs::create_dir_all(dir.join("src"))?;
    let generated = root.join("generated");
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\npipedrive = {{ path = {:?} }}\ntokio = {{ version = \"1\", features = [\"rt\"] }}\n\n[workspace]\n",
        generated.display().to_string()
    );
    fs::write(dir.join("Cargo.toml"), manifest)?;
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    let mut main = String::from(
        "#![allow(deprecated, unused)]\n\
         async fn run(client: pipedrive::Client) -> Result<(), pipedrive::Error> {\n",
    );
    for call in calls {
        let _ = writeln!(main, "    {{\n{call}\n    }}");
    }
    main.push_str(
        "    Ok(())\n}\n\n\
         fn main() {\n    let client = pipedrive::Client::new(\"token\").expect(\"client\");\n    \
         let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect(\"runtime\");\n    \
         let _ = runtime.block_on(run(client));\n}\n",
    );
    fs::write(dir.join("src").join("main.rs"), main)?;
    Ok(dir)
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

fn compile_report(compile: &CompileTimes) -> String {
    let mut out = String::new();
    let secs = |d: Duration| d.as_secs_f64();
    let extra = compile.operations.saturating_sub(1).max(1) as f64;
    let _ = writeln!(
        out,
        "\n## Compile time (median of {COMPILE_RUNS} rebuilds)\n"
    );
    let _ = writeln!(out, "| build | median | ratio |\n|---|---|---|");
    let _ = writeln!(
        out,
        "| generated crate, debug | {:.1} s | 1.00× |",
        secs(compile.crate_debug)
    );
    let _ = writeln!(
        out,
        "| generated crate, release | {:.1} s | {:.2}× debug |",
        secs(compile.crate_release),
        secs(compile.crate_release) / secs(compile.crate_debug)
    );
    let _ = writeln!(
        out,
        "| release consumer, 1 operation | {:.1} s | 1.00× |",
        secs(compile.consumer_one)
    );
    let _ = writeln!(
        out,
        "| release consumer, all {} operations | {:.1} s | {:.2}× one |",
        compile.operations,
        secs(compile.consumer_all),
        secs(compile.consumer_all) / secs(compile.consumer_one)
    );
    let _ = writeln!(
        out,
        "\nPer extra operation: {:.2} s.",
        (secs(compile.consumer_all) - secs(compile.consumer_one)) / extra
    );
    out
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
    fn every_scale_is_a_valid_spec_with_that_many_resources() {
        let files = read_spec(&root().join("spec")).unwrap();
        let one = codegen::compile(&files).unwrap();
        for copies in [1, 4] {
            let api = codegen::compile(&renamed_copies(&files, copies).unwrap()).unwrap();
            assert_eq!(api.resources.len(), one.resources.len() + copies - 1);
        }
    }
}
