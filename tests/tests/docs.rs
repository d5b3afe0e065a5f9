//! Examples where users look: every public type of the crate, generated or hand-written,
//! and every method of the types callers configure (`Client`, `ClientBuilder`, the mock
//! server and its expectations), carries a compiled example in its docs. Counted from the
//! sources with `syn`, so a new item without one fails here.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::contract;

fn crate_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .join("generated")
        .join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).expect("a source directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn parse(path: &Path) -> syn::File {
    let text = fs::read_to_string(path).expect("a source file");
    syn::parse_file(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The text of an item's doc comments.
fn docs(attributes: &[syn::Attribute]) -> String {
    attributes
        .iter()
        .filter(|attribute| attribute.path().is_ident("doc"))
        .filter_map(|attribute| match &attribute.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }),
                ..
            }) => Some(text.value()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether the docs hold a code block rustdoc compiles: a fence not marked `text` or
/// `ignore`.
fn has_example(docs: &str) -> bool {
    docs.lines().any(|line| {
        let line = line.trim();
        line.starts_with("```")
            && line.len() > 3
            && !line.contains("text")
            && !line.contains("ignore")
            || line == "```"
    })
}

fn is_public(visibility: &syn::Visibility) -> bool {
    matches!(visibility, syn::Visibility::Public(_))
}

/// Every public struct, enum, trait and type alias of the files, by name, with whether it
/// has an example.
fn public_types(files: &[PathBuf]) -> Vec<(String, bool)> {
    let mut types = Vec::new();
    for path in files {
        for item in parse(path).items {
            let (name, attributes) = match &item {
                syn::Item::Struct(item) if is_public(&item.vis) => {
                    (item.ident.to_string(), &item.attrs)
                }
                syn::Item::Enum(item) if is_public(&item.vis) => {
                    (item.ident.to_string(), &item.attrs)
                }
                syn::Item::Trait(item) if is_public(&item.vis) => {
                    (item.ident.to_string(), &item.attrs)
                }
                syn::Item::Type(item) if is_public(&item.vis) => {
                    (item.ident.to_string(), &item.attrs)
                }
                _ => continue,
            };
            let module = path.file_stem().unwrap_or_default().to_string_lossy();
            types.push((format!("{module}::{name}"), has_example(&docs(attributes))));
        }
    }
    types
}

#[test]
fn every_generated_type_has_an_example() {
    let types = public_types(&rust_files(&crate_dir().join("api")));
    assert!(types.len() > 300, "only {} generated types", types.len());
    let missing: Vec<&str> = types
        .iter()
        .filter(|(_, example)| !example)
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} generated types have no example: {missing:?}",
        missing.len(),
        types.len()
    );
}

/// The runtime's public types are those the crate root and the mock module export.
#[test]
fn every_public_runtime_type_has_an_example() {
    let exported: BTreeSet<&str> = contract::ROOT_EXPORTS
        .iter()
        .chain(contract::MOCK_EXPORTS)
        .copied()
        .collect();
    let types = public_types(&rust_files(&crate_dir().join("runtime")));
    let mut seen = BTreeSet::new();
    let mut missing = Vec::new();
    for (name, example) in &types {
        let short = name.rsplit("::").next().unwrap_or(name);
        if !exported.contains(short) {
            continue;
        }
        seen.insert(short.to_owned());
        if !example {
            missing.push(name.as_str());
        }
    }
    assert!(seen.len() > 30, "found only {} exported types", seen.len());
    assert!(
        missing.is_empty(),
        "{} of {} public runtime types have no example: {missing:?}",
        missing.len(),
        seen.len()
    );
}

/// The methods of the types a caller configures and calls: each public one has an example.
#[test]
fn every_method_of_the_types_callers_configure_has_an_example() {
    let types = [
        "Client",
        "ClientBuilder",
        "MockServer",
        "Expectation",
        "RawRequest",
        "OAuth",
        "OAuthApp",
        "RetryPolicy",
    ];
    let mut counted = 0;
    let mut missing = Vec::new();
    for path in rust_files(&crate_dir().join("runtime")) {
        for item in parse(&path).items {
            let syn::Item::Impl(item) = item else {
                continue;
            };
            if item.trait_.is_some() {
                continue;
            }
            let syn::Type::Path(self_ty) = &*item.self_ty else {
                continue;
            };
            let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
                continue;
            };
            if !types.contains(&name.as_str()) {
                continue;
            }
            for inner in &item.items {
                if let syn::ImplItem::Fn(method) = inner {
                    if !is_public(&method.vis) {
                        continue;
                    }
                    counted += 1;
                    if !has_example(&docs(&method.attrs)) {
                        missing.push(format!("{name}::{}", method.sig.ident));
                    }
                }
            }
        }
    }
    assert!(counted > 40, "found only {counted} methods");
    assert!(
        missing.is_empty(),
        "{} of {counted} methods have no example: {missing:?}",
        missing.len()
    );
}
