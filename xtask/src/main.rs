//! `cargo xtask`: project automation. See the library for what each command does.

use std::process::ExitCode;

use xtask::Mode;

const USAGE: &str = "usage: cargo xtask generate [--check]
       cargo xtask upstream FILE...
       cargo xtask draft OPENAPI TAG [--name NAME] [--out PATH]
       cargo xtask bench [--quick | --reuse] [--no-compile | --compile-only]
       cargo xtask features --check-each

  generate          compile spec/ into generated/src/api/, writing only files whose bytes changed
  generate --check  write nothing; fail if generated/ is not what spec/ produces
  upstream FILE...  report how spec/ differs from Pipedrive's OpenAPI files; fail on a difference
                    the spec does not acknowledge
  draft OPENAPI TAG draft spec/<tag in snake_case>.yaml (or --name, --out) from the operations of
                    TAG in an OpenAPI file, every guess marked `# REVIEW:`; never replaces a file
  bench             run the benchmarks (tests/benches/) and the compile-time builds, and print
                    every median with its ratio to the baseline of the same run (--quick: shorter
                    criterion runs and one round of builds; --reuse: report the last criterion
                    run, and measure only allocations, pairs and compile times; --no-compile:
                    skip the builds; --compile-only: only the builds)
  features --check-each
                    clippy, warnings denied, on the generated crate's library with each resource
                    feature alone, with and without its mocks, and rustdoc on each";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["generate"] => xtask::generate(Mode::Write),
        ["generate", "--check"] => xtask::generate(Mode::Check),
        ["upstream", files @ ..] => xtask::upstream::run(
            &files
                .iter()
                .map(std::path::PathBuf::from)
                .collect::<Vec<_>>(),
        ),
        ["draft", rest @ ..] => xtask::draft::run(rest).map_err(anyhow::Error::from),
        ["bench", rest @ ..] => match xtask::bench::Options::parse(rest) {
            Some(options) => xtask::bench::run(options),
            None => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        },
        ["features", "--check-each"] => xtask::feature_check::check_each(),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error:#}");
            ExitCode::FAILURE
        }
    }
}
