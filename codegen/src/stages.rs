//! The stages one at a time, for tools that look at them one by one: the benchmark that
//! times each stage (`tests/benches/generate.rs`), for one. [`crate::generate`] makes
//! the same calls, except that it also checks the files that failed to load, to report
//! every problem in one run; here a stage with problems stops.
//!
//! Each stage's output is an opaque value that only the next stage reads, so the
//! stages' internal models stay private.

use proc_macro2::TokenStream;

use crate::diagnostic::Diagnostics;
use crate::load::{LoadedFile, SourceFile};
use crate::validate::Checked as CheckedModel;
use crate::{GeneratedFile, emit_files, format, ir, load as load_stage, lower as lower_stage};

/// The spec files, parsed (stage 1).
#[derive(Debug)]
pub struct Loaded {
    files: Vec<LoadedFile>,
}

/// The spec, checked (stage 2), borrowing the loaded files.
#[derive(Debug)]
pub struct Checked<'a> {
    checked: CheckedModel<'a>,
}

/// Every output file as tokens (stage 4), with its path and the spec file its header
/// names.
#[derive(Debug)]
pub struct Emitted {
    outputs: Vec<(String, String, TokenStream)>,
}

/// Stage 1: parses the files, in name order, whatever order they come in.
pub fn load(files: &[SourceFile]) -> Result<Loaded, Diagnostics> {
    let mut files = files.to_vec();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let (loaded, diagnostics) = load_stage::load(&files);
    if diagnostics.is_empty() {
        Ok(Loaded { files: loaded })
    } else {
        Err(diagnostics.sorted())
    }
}

/// Stage 2: every rule, all problems at once.
pub fn check(loaded: &Loaded) -> Result<Checked<'_>, Diagnostics> {
    crate::validate::check(&loaded.files)
        .map(|checked| Checked { checked })
        .map_err(Diagnostics::sorted)
}

/// Stage 3: the checked model to the IR.
pub fn lower(checked: &Checked<'_>) -> ir::Api {
    lower_stage::lower(&checked.checked)
}

/// Stage 4: the IR to tokens.
pub fn emit(api: &ir::Api) -> Emitted {
    Emitted {
        outputs: emit_files(api),
    }
}

/// Stage 5: tokens to formatted text.
pub fn format(emitted: Emitted) -> Result<Vec<GeneratedFile>, Diagnostics> {
    format::render_all(emitted.outputs)
}
