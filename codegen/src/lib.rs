//! The generator: compiles the YAML API description in `spec/` into the Rust client
//! crate in `generated/`.
//!
//! The stages, each in its own module, run in order and stop at the first stage that
//! reports a problem:
//!
//! 1. `load`: YAML text to the spec model (serde, unknown keys rejected);
//! 2. `validate`: every rule, all problems at once, each located; its result is the
//!    checked model, with names derived, types resolved and paths parsed;
//! 3. `lower`: the checked model to the IR (`ir`), a step that cannot fail;
//! 4. `emit`: the IR to tokens with `quote!`, one function per kind of item, naming the
//!    runtime only through [`contract`];
//! 5. `format`: tokens to text through `syn` and prettyplease.
//!
//! The stages' models are private: [`generate`] is the entry point, [`compile`] gives
//! the IR to tools that read the spec, and [`stages`] runs them one at a time for tools
//! that time them. The library does no I/O:
//! it takes the files' text and returns the files to write. `cargo xtask generate`
//! does the reading and writing.

#![deny(missing_docs)]

pub mod contract;
mod diagnostic;
mod emit;
mod format;
pub mod ir;
mod load;
mod lower;
mod names;
pub mod stages;
mod types;
mod validate;

pub use diagnostic::{Code, Diagnostic, Diagnostics, Position};
pub use load::SourceFile;

/// The directory, relative to the generated crate's root, that the generator owns:
/// every file in it is generated, and a file there that the spec does not produce is stale.
pub const OUTPUT_DIR: &str = "src/api";

/// One file the generator produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to [`OUTPUT_DIR`], with `/` separators, for example `models/organizations.rs`.
    pub path: String,
    /// The complete text of the file.
    pub contents: String,
}

/// The directory, relative to the repository's root, of the tests every operation gets
/// (`generate_tests` writes it): every file in it is generated too.
pub const TESTS_DIR: &str = emit::TESTS_DIR;

/// The tests every operation of the spec gets, derived from it: paths relative to
/// [`TESTS_DIR`], a `mod.rs` and a module per resource. (The test target's root,
/// `tests/tests/operations.rs`, is written by hand: it includes `mod.rs` with rustfmt
/// told to skip it.)
pub fn generate_tests(files: &[SourceFile]) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let api = compile(files)?;
    let models = emit::Models::of(&api);
    let mut outputs = vec![(
        "mod.rs".to_owned(),
        "spec/".to_owned(),
        emit::emit_tests_main(&api),
    )];
    for resource in &api.resources {
        outputs.push((
            format!("{}.rs", resource.module),
            resource.source.clone(),
            emit::emit_resource_tests(resource, &models),
        ));
    }
    format::render_all(outputs)
}

/// Compiles the spec files into the generated files, in a stable order.
///
/// `files` are the spec files in any order; they are processed sorted by name so that
/// the output never depends on the order a directory listing returned.
pub fn generate(files: &[SourceFile]) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let api = compile(files)?;
    format::render_all(emit_files(&api))
}

/// Loads and checks the spec files and lowers them to the [`ir`]: what [`generate`]
/// emits from, for tools that read the spec (`cargo xtask upstream` compares it with
/// Pipedrive's published files).
pub fn compile(files: &[SourceFile]) -> Result<ir::Api, Diagnostics> {
    let mut files = files.to_vec();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    // Checking runs even when a file failed to load, so one run reports the problems of
    // every file; it leaves out what only looks wrong because a definition did not load.
    let (loaded, mut diagnostics) = load::load(&files);
    let checked = validate::check(&loaded);
    let checked = match checked {
        Ok(checked) if diagnostics.is_empty() => checked,
        Ok(_) => return Err(diagnostics.sorted()),
        Err(more) => {
            diagnostics.extend(more.iter().cloned());
            return Err(diagnostics.sorted());
        }
    };
    Ok(lower::lower(&checked))
}

/// Every file's tokens, with its path and the spec file its header names.
fn emit_files(api: &ir::Api) -> Vec<(String, String, proc_macro2::TokenStream)> {
    let mut outputs = vec![(
        "mod.rs".to_owned(),
        "spec/".to_owned(),
        emit::emit_api_mod(api),
    )];
    let models = emit::Models::of(api);
    for file in &api.shared {
        outputs.push((
            format!("{}.rs", file.module),
            file.source.clone(),
            emit::emit_shared(file, &models),
        ));
    }
    for resource in &api.resources {
        let module = &resource.module;
        let mut files = vec![
            ("mod.rs", emit::emit_resource(resource, &models)),
            ("mock.rs", emit::emit_resource_mock(resource, &models)),
        ];
        if !resource.models.is_empty() {
            files.push(("models.rs", emit::emit_models(resource, &models)));
        }
        for (file, tokens) in files {
            outputs.push((format!("{module}/{file}"), resource.source.clone(), tokens));
        }
    }
    outputs
}

/// The cargo features the resources need, each with the other resources' features it
/// enables (those whose models it uses), sorted: what `cargo xtask generate` writes
/// into the generated crate's `Cargo.toml`.
pub fn features(api: &ir::Api) -> Vec<(String, Vec<String>)> {
    api.resources
        .iter()
        .map(|resource| (resource.module.clone(), resource.requires.clone()))
        .collect()
}
