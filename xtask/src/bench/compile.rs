//! The compile-time half of `cargo xtask bench`: how long the generated crate takes to
//! build, alone and in a consumer, at the real spec's size and at [`SCALES`] copies of
//! the Organizations resource, with one resource's feature and with all of them, each as
//! a ratio to the crate at [`BASELINE`] built in the same run.
//!
//! Every crate is built in a scratch workspace of its own under
//! `<target>/bench-compile/`, all sharing one target directory there: the crates of
//! past commits come from `git archive`, with their own `Cargo.lock` and today's
//! `[profile]` sections; today's are generated from `spec/` (plus the renamed copies)
//! next to a copy of the runtime.
//! Each timed build follows a touch of the crate's root file and runs with incremental
//! compilation off, so it is a full build of that one crate over dependencies that are
//! already built. The builds run in rounds, every build once per round, in an order that
//! puts each build beside the one it is compared with; a figure is the median over the
//! rounds and a ratio the median of the per-round ratios, so a machine that slows down
//! for a while (it is shared) moves both sides of a ratio together.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::{SCALES, cargo_bin, renamed_copies};
use crate::{features, read_spec};

/// The commit every compile ratio is taken against: the crate with the 21 operations of
/// Organizations, its models decoded through serde's derives, no features per resource.
pub const BASELINE: &str = "369774a";

/// The last commit whose models decode through serde's derives, and the commit that
/// replaced them by the runtime's own JSON reader (`runtime/json.rs`, `runtime/wire.rs`):
/// the same 21 operations on both sides, so their ratio is what the reader changed.
pub const READER_PAIR: [&str; 2] = ["adfdfb0", "64f0b3a"];

/// The resource whose feature the one-feature builds enable; at [`BASELINE`] it was the
/// whole crate.
pub const ONE_FEATURE: &str = "organizations";

/// How many rounds the compile times take the median of (`--quick`: one).
pub const COMPILE_ROUNDS: usize = 3;

/// A crate to build: where its workspaces are and what it holds.
#[derive(Debug)]
struct Variant {
    /// How the report names it.
    label: String,
    /// Its directories' names: the commit, or `copies-N`.
    key: String,
    /// The workspace whose crate ([`Variant::member`]) the crate-alone builds touch.
    crate_dir: PathBuf,
    /// The workspace of the two consumers, with a copy of the crate of its own (so the
    /// crate-alone builds' touches do not make the consumers rebuild it).
    consumers_dir: PathBuf,
    /// Whether the crate has a cargo feature per resource.
    has_features: bool,
    /// The number of operations: one generated doc example each.
    operations: usize,
    /// Lines of everything the generator wrote: `generated/src/api/`, mocks included.
    lines: usize,
    /// The crate's resource features, each with the number of operations it brings
    /// (its own and those of the resources it enables), in the manifest's order.
    features: Vec<(String, usize)>,
}

impl Variant {
    /// The crate's directory in its workspace, named after the variant. Cargo names a
    /// path package's build by its path relative to the workspace, so two variants'
    /// crates in one target directory must not share that path, or each would overwrite
    /// the other's build.
    fn member(&self) -> PathBuf {
        self.crate_dir.join(member(&self.key))
    }
}

/// The crate's directory name in the workspaces of the variant `key`.
fn member(key: &str) -> String {
    format!("pipedrive-{key}")
}

/// One timed build.
#[derive(Debug)]
struct Build {
    /// Where `cargo build` runs.
    dir: PathBuf,
    /// The file touched before each timed run.
    touch: PathBuf,
    /// `cargo build`'s arguments.
    args: Vec<String>,
    /// Whether to build once before the rounds: the first build of each set of
    /// dependencies and features. A build whose dependencies an earlier warm build made
    /// (the same arguments in another copy of today's crate) needs none: its first timed
    /// run is a full build of the crate either way.
    warm: bool,
    /// What the progress lines call it.
    what: String,
}

/// The times of every build, one per round.
#[derive(Debug, Default)]
struct Times(Vec<Vec<Duration>>);

impl Times {
    fn median(&self, build: usize) -> Duration {
        let mut runs = self.0[build].clone();
        runs.sort();
        runs[runs.len() / 2]
    }

    /// The median over the rounds of `a`'s time divided by `b`'s in the same round.
    fn ratio(&self, a: usize, b: usize) -> f64 {
        median_f64(
            self.0[a]
                .iter()
                .zip(&self.0[b])
                .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64()),
        )
    }
}

/// The median of `values` (the upper middle one of an even count).
pub fn median_f64(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Measures and returns the report's compile-time sections, in Markdown.
pub fn run(root: &Path, target: &Path, rounds: usize) -> Result<String> {
    let scratch = target.join("bench-compile");
    let build_target = scratch.join("target");
    fs::create_dir_all(&scratch)?;
    let baseline = from_commit(root, &scratch, BASELINE)?;
    let reader: Vec<Variant> = READER_PAIR
        .iter()
        .map(|commit| from_commit(root, &scratch, commit))
        .collect::<Result<_>>()?;
    let scaled: Vec<Variant> = SCALES
        .iter()
        .map(|&copies| from_spec(root, &scratch, copies))
        .collect::<Result<_>>()?;
    let plan = Plan::new(&baseline, &reader, &scaled);
    let times = measure(&plan.builds, &build_target, rounds)?;
    Ok(plan.report(&times, rounds))
}

/// Every build of a run, in round order, and where each figure is among them.
struct Plan<'a> {
    builds: Vec<Build>,
    baseline: &'a Variant,
    reader: &'a [Variant],
    scaled: &'a [Variant],
    /// Per variant (baseline first, then the scaled ones): the crate alone in debug and
    /// release, the one-feature build, the two consumers.
    debug: Vec<usize>,
    release: Vec<usize>,
    one: Vec<usize>,
    consumer_one: Vec<usize>,
    consumer_all: Vec<usize>,
    /// The reader pair, debug and release.
    reader_debug: Vec<usize>,
    reader_release: Vec<usize>,
    /// Each other feature of the real spec alone, then `full`, then `full` with `mock`.
    features: Vec<(String, usize, usize)>,
}

impl<'a> Plan<'a> {
    fn new(baseline: &'a Variant, reader: &'a [Variant], scaled: &'a [Variant]) -> Self {
        let mut plan = Plan {
            builds: Vec::new(),
            baseline,
            reader,
            scaled,
            debug: Vec::new(),
            release: Vec::new(),
            one: Vec::new(),
            consumer_one: Vec::new(),
            consumer_all: Vec::new(),
            reader_debug: Vec::new(),
            reader_release: Vec::new(),
            features: Vec::new(),
        };
        let compared: Vec<&Variant> = std::iter::once(baseline).chain(scaled).collect();
        for (release, into) in [(false, 0), (true, 1)] {
            let profile = if release { "release" } else { "debug" };
            for (at, variant) in compared.iter().enumerate() {
                let mut args = vec!["-p", "pipedrive"];
                if variant.has_features {
                    args.extend(["--features", "full"]);
                }
                if release {
                    args.push("--release");
                }
                // Today's copies share their dependencies with the first one.
                let warm = at <= 1;
                let index =
                    plan.crate_build(variant, &args, warm, format!("crate alone, {profile}"));
                [&mut plan.debug, &mut plan.release][into].push(index);
            }
            for variant in reader {
                let mut args = vec!["-p", "pipedrive"];
                if release {
                    args.push("--release");
                }
                let index = plan.crate_build(variant, &args, true, format!("crate, {profile}"));
                [&mut plan.reader_debug, &mut plan.reader_release][into].push(index);
            }
        }
        for (at, variant) in compared.iter().enumerate() {
            let features = if variant.has_features {
                format!("rustls,{ONE_FEATURE}")
            } else {
                "rustls".to_owned()
            };
            let args = [
                "-p",
                "pipedrive",
                "--no-default-features",
                "--features",
                &features,
            ];
            let index = plan.crate_build(variant, &args, at <= 1, format!("{ONE_FEATURE} alone"));
            plan.one.push(index);
        }
        if let Some(real) = scaled.first() {
            let mut rows: Vec<(String, usize, String)> = real
                .features
                .iter()
                .filter(|(name, _)| name != ONE_FEATURE)
                .map(|(name, operations)| (name.clone(), *operations, format!("rustls,{name}")))
                .collect();
            rows.push(("full".to_owned(), real.operations, "rustls,full".to_owned()));
            rows.push((
                "full + mock".to_owned(),
                real.operations,
                "rustls,full,mock".to_owned(),
            ));
            for (name, operations, features) in rows {
                let args = [
                    "-p",
                    "pipedrive",
                    "--no-default-features",
                    "--features",
                    &features,
                ];
                // `mock` brings wiremock: dependencies no other build made.
                let warm = name.contains("mock");
                let index = plan.crate_build(real, &args, warm, format!("feature {name}"));
                plan.features.push((name, operations, index));
            }
        }
        for variant in &compared {
            for (name, into) in [("consumer-one", 0), ("consumer-all", 1)] {
                let index = plan.builds.len();
                plan.builds.push(Build {
                    dir: variant.consumers_dir.clone(),
                    touch: variant.consumers_dir.join(name).join("src").join("main.rs"),
                    args: ["--release", "-p", name].map(str::to_owned).to_vec(),
                    warm: true,
                    what: format!("{}: {name}, release", variant.label),
                });
                [&mut plan.consumer_one, &mut plan.consumer_all][into].push(index);
            }
        }
        plan
    }

    fn crate_build(&mut self, variant: &Variant, args: &[&str], warm: bool, what: String) -> usize {
        self.builds.push(Build {
            dir: variant.crate_dir.clone(),
            touch: variant.member().join("src").join("lib.rs"),
            args: args.iter().map(|&arg| arg.to_owned()).collect(),
            warm,
            what: format!("{}: {what}", variant.label),
        });
        self.builds.len() - 1
    }

    fn report(&self, times: &Times, rounds: usize) -> String {
        let mut out = String::new();
        let secs = |build: usize| times.median(build).as_secs_f64();
        let base = self.baseline;
        let compared: Vec<&Variant> = std::iter::once(base).chain(self.scaled).collect();
        let _ = writeln!(
            out,
            "## Compile time (median of {rounds} round{}; ratios to {BASELINE}, the median of each round's ratio)\n",
            if rounds == 1 { "" } else { "s" }
        );
        let _ = writeln!(out, "### Generated lines\n");
        let _ = writeln!(
            out,
            "| crate | operations | lines of src/api | per operation | ratio to {BASELINE} |\n|---|---|---|---|---|"
        );
        let per_line = |variant: &Variant| variant.lines as f64 / variant.operations as f64;
        for variant in &compared {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.0} | {:.2}× |",
                variant.label,
                variant.operations,
                variant.lines,
                per_line(variant),
                per_line(variant) / per_line(base)
            );
        }
        let _ = writeln!(out, "\n### The crate alone, every resource\n");
        let _ = writeln!(
            out,
            "| crate | operations | debug | per operation | ratio per operation | release | per operation | ratio per operation |\n|---|---|---|---|---|---|---|---|"
        );
        for (at, variant) in compared.iter().enumerate() {
            let scale = base.operations as f64 / variant.operations as f64;
            let cell = |builds: &[usize]| {
                let build = builds[at];
                let per = secs(build) / variant.operations as f64;
                format!(
                    "{:.1} s | {:.3} s | {:.2}×",
                    secs(build),
                    per,
                    times.ratio(build, builds[0]) * scale
                )
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                variant.label,
                variant.operations,
                cell(&self.debug),
                cell(&self.release)
            );
        }
        let _ = writeln!(
            out,
            "\n### One resource alone (debug, `--no-default-features --features rustls,{ONE_FEATURE}`; at {BASELINE}, `--features rustls`)\n"
        );
        let _ = writeln!(
            out,
            "| crate | build | ratio to {BASELINE} |\n|---|---|---|"
        );
        for (at, variant) in compared.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | {:.1} s | {:.2}× |",
                variant.label,
                secs(self.one[at]),
                times.ratio(self.one[at], self.one[0])
            );
        }
        if let Some(real) = self.scaled.first() {
            let _ = writeln!(
                out,
                "\n### Each feature alone ({}, debug, `--no-default-features --features rustls,<feature>`)\n",
                real.label
            );
            let _ = writeln!(
                out,
                "| feature | operations | build | ratio to {ONE_FEATURE} | ratio to {BASELINE} |\n|---|---|---|---|---|"
            );
            let one = self.one[1];
            let operations = real
                .features
                .iter()
                .find(|(name, _)| name == ONE_FEATURE)
                .map_or(0, |(_, operations)| *operations);
            let _ = writeln!(
                out,
                "| {ONE_FEATURE} | {operations} | {:.1} s | 1.00× | {:.2}× |",
                secs(one),
                times.ratio(one, self.one[0])
            );
            for (name, operations, build) in &self.features {
                let _ = writeln!(
                    out,
                    "| {name} | {operations} | {:.1} s | {:.2}× | {:.2}× |",
                    secs(*build),
                    times.ratio(*build, one),
                    times.ratio(*build, self.one[0])
                );
            }
        }
        let _ = writeln!(
            out,
            "\n### Release consumers (the consumer's own build; one: `{ONE_FEATURE}`'s first operation, every: all of the crate's, with `full`)\n"
        );
        let _ = writeln!(
            out,
            "| crate | one operation | ratio to {BASELINE} | every operation | ratio to {BASELINE} | per extra operation |\n|---|---|---|---|---|---|"
        );
        for (at, variant) in compared.iter().enumerate() {
            let (one, all) = (self.consumer_one[at], self.consumer_all[at]);
            let extra = variant.operations.saturating_sub(1).max(1) as f64;
            let _ = writeln!(
                out,
                "| {} | {:.1} s | {:.2}× | {:.1} s ({}) | {:.2}× | {:.3} s |",
                variant.label,
                secs(one),
                times.ratio(one, self.consumer_one[0]),
                secs(all),
                variant.operations,
                times.ratio(all, self.consumer_all[0]),
                (secs(all) - secs(one)) / extra
            );
        }
        if let [before, after] = self.reader {
            let _ = writeln!(
                out,
                "\n### The runtime's JSON reader instead of serde's derives (the crate alone, default features)\n"
            );
            let _ = writeln!(
                out,
                "| crate | operations | debug | ratio | release | ratio |\n|---|---|---|---|---|---|"
            );
            for (at, variant) in [before, after].into_iter().enumerate() {
                let _ = writeln!(
                    out,
                    "| {} | {} | {:.1} s | {:.2}× | {:.1} s | {:.2}× |",
                    variant.label,
                    variant.operations,
                    secs(self.reader_debug[at]),
                    times.ratio(self.reader_debug[at], self.reader_debug[0]),
                    secs(self.reader_release[at]),
                    times.ratio(self.reader_release[at], self.reader_release[0]),
                );
            }
        }
        out
    }
}

/// Builds each warm build once, then runs `rounds` rounds of every build.
fn measure(builds: &[Build], target: &Path, rounds: usize) -> Result<Times> {
    for build in builds.iter().filter(|build| build.warm) {
        eprintln!("compile warm-up: {}", build.what);
        cargo_build(build, target, false)?;
    }
    let mut times = Times(vec![Vec::with_capacity(rounds); builds.len()]);
    for round in 1..=rounds {
        for (build, runs) in builds.iter().zip(&mut times.0) {
            eprintln!("compile round {round}/{rounds}: {}", build.what);
            touch(&build.touch)?;
            let start = Instant::now();
            cargo_build(build, target, true)?;
            runs.push(start.elapsed());
        }
    }
    Ok(times)
}

fn touch(path: &Path) -> Result<()> {
    let file = fs::File::options()
        .append(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    file.set_modified(std::time::SystemTime::now())?;
    Ok(())
}

/// `cargo build` of `build`; offline when timed, so that no time goes to the network
/// (the warm-up fetches what a past commit's lock file needs).
fn cargo_build(build: &Build, target: &Path, offline: bool) -> Result<()> {
    let mut command = Command::new(cargo_bin());
    command.arg("build").arg("--quiet");
    if offline {
        command.arg("--offline");
    }
    let status = command
        .args(&build.args)
        .current_dir(&build.dir)
        .env("CARGO_TARGET_DIR", target)
        // A full build of the crate each time, not what incremental compilation saved.
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!(
            "cargo build {} failed in {}",
            build.args.join(" "),
            build.dir.display()
        );
    }
    Ok(())
}

/// The crate at `commit`, from `git archive` of the repository at `root`: its workspace
/// manifest, lock file and `generated/`.
fn from_commit(root: &Path, scratch: &Path, commit: &str) -> Result<Variant> {
    let dir = fresh(&scratch.join(commit))?;
    let crate_dir = dir.join("crate");
    fs::create_dir_all(&crate_dir)?;
    let mut git = Command::new("git")
        .args([
            "archive",
            "--format=tar",
            commit,
            "Cargo.toml",
            "Cargo.lock",
            "generated",
        ])
        .current_dir(root)
        .stdout(Stdio::piped())
        .spawn()
        .context("running git archive")?;
    let stdout = git.stdout.take().context("git archive's output")?;
    let tar = Command::new("tar")
        .arg("-x")
        .current_dir(&crate_dir)
        .stdin(stdout)
        .status()
        .context("running tar")?;
    if !git.wait()?.success() || !tar.success() {
        bail!("could not extract {commit} (the benchmark needs the repository's history)");
    }
    let generated = crate_dir.join(member(commit));
    fs::rename(crate_dir.join("generated"), &generated)?;
    let manifest = crate_dir.join("Cargo.toml");
    // Built with today's profiles, so that a change of profile is not counted as the
    // crate's.
    let workspace = with_profiles(
        &fs::read_to_string(&manifest)?,
        &fs::read_to_string(root.join("Cargo.toml"))?,
    );
    fs::write(&manifest, with_members(&workspace, &[&member(commit)])?)?;
    let api = generated.join("src").join("api");
    let mut files = Vec::new();
    for path in rust_files(&api)? {
        files.push((path.clone(), fs::read_to_string(&path)?));
    }
    let lines = files.iter().map(|(_, text)| text.lines().count()).sum();
    let calls = operation_calls(
        files
            .iter()
            .map(|(path, text)| (module_of(path), text.as_str())),
    )?;
    finish(
        Variant {
            label: commit.to_owned(),
            key: commit.to_owned(),
            consumers_dir: dir.join("consumers"),
            crate_dir,
            has_features: false,
            operations: calls.len(),
            lines,
            features: Vec::new(),
        },
        &workspace,
        &calls,
    )
}

/// Today's crate generated from `spec/` with `copies - 1` renamed copies of the
/// Organizations resource added (so `copies = 1` is the real spec): the generator's
/// output next to a copy of the rest of `generated/`, its features block brought in line.
fn from_spec(root: &Path, scratch: &Path, copies: usize) -> Result<Variant> {
    let key = format!("copies-{copies}");
    let dir = fresh(&scratch.join(&key))?;
    let crate_dir = dir.join("crate");
    let generated = crate_dir.join(member(&key));
    copy_tree(&root.join("generated"), &generated, &[codegen::OUTPUT_DIR])?;
    let workspace = fs::read_to_string(root.join("Cargo.toml"))?;
    fs::write(
        crate_dir.join("Cargo.toml"),
        with_members(&workspace, &[&member(&key)])?,
    )?;
    fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock"))?;
    let spec = renamed_copies(&read_spec(&root.join("spec"))?, copies)?;
    let api = codegen::compile(&spec).map_err(|d| anyhow::anyhow!("{d}"))?;
    let files = codegen::generate(&spec).map_err(|d| anyhow::anyhow!("{d}"))?;
    let out = generated.join(codegen::OUTPUT_DIR);
    for file in &files {
        let path = out.join(&file.path);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &file.contents)?;
    }
    let needs = codegen::features(&api);
    features::sync(&generated.join("Cargo.toml"), &needs, false)?;
    let operations: usize = api.resources.iter().map(|r| r.operations.len()).sum();
    let per_resource = |module: &str| {
        api.resources
            .iter()
            .find(|resource| resource.module == module)
            .map_or(0, |resource| resource.operations.len())
    };
    let features = needs
        .iter()
        .map(|(name, _)| {
            let mut all = vec![name.as_str()];
            enabled(&needs, name, &mut all);
            (name.clone(), all.iter().map(|m| per_resource(m)).sum())
        })
        .collect();
    let calls = operation_calls(
        files
            .iter()
            .map(|file| (module_of(Path::new(&file.path)), file.contents.as_str())),
    )?;
    if calls.len() != operations {
        bail!(
            "{} operations but {} doc examples in the generated crate",
            operations,
            calls.len()
        );
    }
    finish(
        Variant {
            label: if copies == 1 {
                "real spec".to_owned()
            } else {
                format!("N = {copies}")
            },
            key,
            consumers_dir: dir.join("consumers"),
            crate_dir,
            has_features: true,
            operations,
            lines: files.iter().map(|f| f.contents.lines().count()).sum(),
            features,
        },
        &workspace,
        &calls,
    )
}

/// Adds to `all` every feature `name` enables, directly or through another.
fn enabled<'a>(needs: &'a [(String, Vec<String>)], name: &str, all: &mut Vec<&'a str>) {
    let Some((_, requires)) = needs.iter().find(|(feature, _)| feature == name) else {
        return;
    };
    for required in requires {
        if !all.contains(&required.as_str()) {
            all.push(required);
            enabled(needs, required, all);
        }
    }
}

/// Writes the consumers' workspace of `variant`: a copy of its crate, and two release
/// binaries depending on it, one calling [`ONE_FEATURE`]'s first operation, one calling
/// every operation.
fn finish(variant: Variant, workspace: &str, calls: &[(String, String)]) -> Result<Variant> {
    let dir = &variant.consumers_dir;
    let consumed = format!("consumed-{}", variant.key);
    copy_tree(&variant.member(), &dir.join(&consumed), &[])?;
    fs::write(
        dir.join("Cargo.toml"),
        with_members(workspace, &[&consumed, "consumer-one", "consumer-all"])?,
    )?;
    fs::copy(variant.crate_dir.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    let first = calls
        .iter()
        .find(|(module, _)| module == ONE_FEATURE)
        .with_context(|| format!("{}: no operation of {ONE_FEATURE}", variant.label))?;
    let features = |feature: &'static str| {
        if variant.has_features {
            vec![feature]
        } else {
            Vec::new()
        }
    };
    let all: Vec<String> = calls.iter().map(|(_, call)| call.clone()).collect();
    let one = consumer_manifest("consumer-one", &consumed, &features(ONE_FEATURE));
    consumer(dir, "consumer-one", &one, std::slice::from_ref(&first.1))?;
    let every = consumer_manifest("consumer-all", &consumed, &features("full"));
    consumer(dir, "consumer-all", &every, &all)?;
    Ok(variant)
}

/// `dir`, emptied.
fn fresh(dir: &Path) -> Result<PathBuf> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    fs::create_dir_all(dir)?;
    Ok(dir.to_path_buf())
}

/// Copies the tree `from` to `to`, leaving out the relative paths in `skip`.
fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<()> {
    let mut stack = vec![PathBuf::new()];
    while let Some(relative) = stack.pop() {
        fs::create_dir_all(to.join(&relative))?;
        for entry in fs::read_dir(from.join(&relative))? {
            let entry = entry?;
            let path = relative.join(entry.file_name());
            if skip.iter().any(|skipped| Path::new(skipped) == path) {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() || entry.path().exists() {
                // A link is copied as what it points to (the crate's licence files link
                // to the repository's); one that points nowhere, as in an archive of the
                // crate alone, is left out: no build reads it.
                fs::copy(entry.path(), to.join(&path))
                    .with_context(|| format!("copying {}", entry.path().display()))?;
            }
        }
    }
    Ok(())
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The module a generated file belongs to: its stem, or its directory's name for a
/// `mod.rs`.
fn module_of(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if stem == "mod" {
        path.parent()
            .and_then(|dir| dir.file_name())
            .and_then(|name| name.to_str())
            .unwrap_or_default()
            .to_owned()
    } else {
        stem.to_owned()
    }
}

/// The workspace manifest `manifest` with its members replaced by `members`.
pub fn with_members(manifest: &str, members: &[&str]) -> Result<String> {
    let list = members
        .iter()
        .map(|member| format!("{member:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut found = false;
    let mut out = String::with_capacity(manifest.len());
    for line in manifest.lines() {
        if !found && line.starts_with("members") && line.contains('[') && line.ends_with(']') {
            found = true;
            let _ = writeln!(out, "members = [{list}]");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !found {
        bail!("the workspace manifest has no one-line `members = [...]`");
    }
    Ok(out)
}

/// The manifest `manifest` with its `[profile...]` sections replaced by those of `from`.
pub fn with_profiles(manifest: &str, from: &str) -> String {
    let sections = |text: &str, profiles: bool| {
        let mut out = String::new();
        let mut in_profile = false;
        for line in text.lines() {
            if line.starts_with('[') {
                in_profile = line.starts_with("[profile");
            }
            if in_profile == profiles {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    };
    let mut out = sections(manifest, false).trim_end().to_owned();
    out.push_str("\n\n");
    out.push_str(&sections(from, true));
    out
}

/// Each operation's generated doc example (`async fn example(client)`'s body), with the
/// module whose file holds it, from `(module, text)` of each generated file: one call per
/// operation, with its required arguments, as the spec describes them.
///
/// An operation's request builder and its method show the same example, and models and
/// mocks have examples of their own: only blocks that start with a call through the
/// `client` count, each once.
pub fn operation_calls<'a>(
    files: impl Iterator<Item = (String, &'a str)>,
) -> Result<Vec<(String, String)>> {
    let mut calls: Vec<(String, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (module, text) in files {
        let mut current: Option<Vec<String>> = None;
        for line in text.lines() {
            let Some(doc) = line.trim_start().strip_prefix("///") else {
                continue;
            };
            let doc = doc.strip_prefix(' ').unwrap_or(doc);
            match (&mut current, doc) {
                (None, "```no_run") => current = Some(Vec::new()),
                (Some(lines), "```") => {
                    let call = lines.join("\n");
                    let through_client = call
                        .strip_prefix("let response = client")
                        .is_some_and(|rest| rest.trim_start().starts_with('.'));
                    if through_client && seen.insert((module.clone(), call.clone())) {
                        calls.push((module.clone(), call));
                    }
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
        bail!("no operation examples in the generated files");
    }
    Ok(calls)
}

/// A binary crate `name` of the consumers' workspace `dir`, with the manifest
/// `manifest`, that calls each of `calls`.
fn consumer(dir: &Path, name: &str, manifest: &str, calls: &[String]) -> Result<()> {
    let crate_dir = dir.join(name);
    fs::create_dir_all(crate_dir.join("src"))?;
    fs::write(crate_dir.join("Cargo.toml"), manifest)?;
    fs::write(crate_dir.join("src").join("main.rs"), consumer_main(calls))?;
    Ok(())
}

/// The manifest of a consumer named `name` that depends on the crate in its workspace's
/// directory `consumed`, with `features`.
pub fn consumer_manifest(name: &str, consumed: &str, features: &[&str]) -> String {
    let features = features
        .iter()
        .map(|feature| format!("{feature:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\npipedrive = {{ path = \"../{consumed}\", features = [{features}] }}\n\
         tokio = {{ version = \"1\", features = [\"rt\"] }}\n"
    )
}

/// The `main.rs` of a consumer that makes each of `calls` in turn.
pub fn consumer_main(calls: &[String]) -> String {
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
    main
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_replaced_and_nothing_else() {
        let manifest = "[workspace]\nresolver = \"3\"\nmembers = [\"codegen\", \"generated\"]\n\n[profile.dev]\ndebug = 0\n";
        assert_eq!(
            with_members(manifest, &["generated", "consumer-one"]).unwrap(),
            "[workspace]\nresolver = \"3\"\nmembers = [\"generated\", \"consumer-one\"]\n\n[profile.dev]\ndebug = 0\n"
        );
        assert!(with_members("[workspace]\n", &["generated"]).is_err());
    }

    #[test]
    fn profiles_come_from_the_other_manifest() {
        let old = "[workspace]\nmembers = []\n\n[profile.dev.package.\"*\"]\ndebug = false\n\n[workspace.lints.rust]\nunsafe_code = \"forbid\"\n";
        let today = "[workspace]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n";
        assert_eq!(
            with_profiles(old, today),
            "[workspace]\nmembers = []\n\n[workspace.lints.rust]\nunsafe_code = \"forbid\"\n\n[profile.dev]\ndebug = \"line-tables-only\"\n"
        );
    }

    #[test]
    fn calls_are_the_doc_examples_bodies_with_their_module() {
        let text = "/// Lists.\n///\n/// ```no_run\n/// # async fn example(client: pipedrive::Client) -> Result<(), pipedrive::Error> {\n\
                    /// let response = client.organizations().list().await?;\n/// println!(\"{:?}\", response.data);\n\
                    /// # Ok(())\n/// # }\n/// ```\npub fn list() {}\n\
                    /// ```no_run\n/// # #[allow(deprecated)]\n/// async fn example(client: pipedrive::Client) -> Result<(), pipedrive::Error> {\n\
                    /// let response = client.organizations().old().await?;\n/// # Ok(())\n/// # }\n/// ```\n\
                    /// The builder of `list`, with the same example.\n/// ```no_run\n\
                    /// let response = client.organizations().list().await?;\n/// println!(\"{:?}\", response.data);\n/// ```\n\
                    /// ```no_run\n/// let response = client\n///     .organizations()\n///     .get(1)\n///     .await?;\n/// ```\n\
                    /// A model's example.\n/// ```\n/// let new = pipedrive::organizations::NewOrganization::new(\"Acme\");\n/// ```\n";
        let calls =
            operation_calls([(module_of(Path::new("api/organizations/mod.rs")), text)].into_iter())
                .unwrap();
        assert_eq!(
            calls,
            [
                (
                    "organizations".to_owned(),
                    "let response = client.organizations().list().await?;\nprintln!(\"{:?}\", response.data);".to_owned()
                ),
                (
                    "organizations".to_owned(),
                    "let response = client.organizations().old().await?;".to_owned()
                ),
                (
                    "organizations".to_owned(),
                    "let response = client\n    .organizations()\n    .get(1)\n    .await?;".to_owned()
                ),
            ]
        );
        assert_eq!(
            module_of(Path::new("api/organizations.rs")),
            "organizations"
        );
        assert!(operation_calls([("models".to_owned(), "/// no example")].into_iter()).is_err());
    }

    #[test]
    fn ratios_are_paired_by_round() {
        let second = |ms: &[u64]| ms.iter().map(|&ms| Duration::from_millis(ms)).collect();
        // The second build is twice the first in every round, while the machine slows.
        let times = Times(vec![second(&[100, 300, 200]), second(&[200, 600, 400])]);
        assert_eq!(times.median(0), Duration::from_millis(200));
        assert_eq!(times.ratio(1, 0), 2.0);
        assert_eq!(median_f64([3.0, 1.0, 2.0, 4.0].into_iter()), 3.0);
        assert!(median_f64(std::iter::empty()).is_nan());
    }

    #[test]
    fn a_feature_brings_the_features_it_enables() {
        let needs = vec![
            ("deals".to_owned(), vec!["persons".to_owned()]),
            ("leads".to_owned(), vec!["deals".to_owned()]),
            ("persons".to_owned(), vec![]),
        ];
        let mut all = vec!["leads"];
        enabled(&needs, "leads", &mut all);
        assert_eq!(all, ["leads", "deals", "persons"]);
    }

    #[test]
    fn a_consumer_depends_on_its_copy_with_its_features() {
        let manifest = consumer_manifest("consumer-one", "consumed-copies-8", &["organizations"]);
        assert!(manifest.contains(
            "pipedrive = { path = \"../consumed-copies-8\", features = [\"organizations\"] }"
        ));
        let main = consumer_main(&["client.deals().list().await?;".to_owned()]);
        assert!(main.contains("    {\nclient.deals().list().await?;\n    }\n"));
    }
}
