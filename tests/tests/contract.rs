//! The contract between generated code and the hand-written runtime, checked against
//! the runtime's source: `codegen/src/contract.rs` must name exactly what
//! `generated/src/runtime/support.rs` offers, what `lib.rs` re-exports and declares, and
//! every inherent method of `Client`, so a spec can never shadow a runtime name and an
//! emitter can never use one that does not exist.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use codegen::contract;
use syn::visit::Visit;

fn runtime_dir() -> PathBuf {
    tests::repo_root()
        .join("generated")
        .join("src")
        .join("runtime")
}

fn parse(path: &Path) -> syn::File {
    let text =
        fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    syn::parse_file(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The names a `use` tree brings into scope (the last segment, or its rename).
fn use_names(tree: &syn::UseTree, names: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(path) => use_names(&path.tree, names),
        syn::UseTree::Name(name) => {
            names.insert(name.ident.to_string());
        }
        syn::UseTree::Rename(rename) => {
            names.insert(rename.rename.to_string());
        }
        syn::UseTree::Group(group) => group.items.iter().for_each(|item| use_names(item, names)),
        syn::UseTree::Glob(_) => panic!("a glob import in the contract hides what it brings in"),
    }
}

fn sorted(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

#[test]
fn support_offers_exactly_what_the_contract_names() {
    let file = parse(&runtime_dir().join("support.rs"));
    let mut offered = BTreeSet::new();
    for item in &file.items {
        if let syn::Item::Use(item) = item {
            use_names(&item.tree, &mut offered);
        }
    }
    let named: Vec<&str> = contract::SUPPORT.iter().map(|support| support.0).collect();
    assert_eq!(
        offered,
        sorted(&named),
        "runtime/support.rs and contract::SUPPORT differ"
    );
}

#[test]
fn the_crate_root_declares_and_exports_what_the_contract_reserves() {
    let file = parse(
        &tests::repo_root()
            .join("generated")
            .join("src")
            .join("lib.rs"),
    );
    let mut modules = BTreeSet::new();
    let mut exports = BTreeSet::new();
    for item in &file.items {
        match item {
            syn::Item::Mod(item) => {
                modules.insert(item.ident.to_string());
            }
            // `pub use api::*` brings in the generated modules, which the spec names.
            syn::Item::Use(item) if !matches!(&item.tree, syn::UseTree::Path(p) if p.ident == "api") =>
            {
                use_names(&item.tree, &mut exports);
            }
            _ => {}
        }
    }
    assert_eq!(
        modules,
        sorted(contract::ROOT_MODULES),
        "the crate root's modules and contract::ROOT_MODULES differ"
    );
    assert_eq!(
        exports,
        sorted(contract::ROOT_EXPORTS),
        "lib.rs's re-exports and contract::ROOT_EXPORTS differ"
    );
    for root in [
        contract::CLIENT,
        contract::ERROR,
        contract::RESPONSE,
        contract::CURSOR_PAGE,
        contract::OFFSET_PAGE,
        contract::OPERATION,
        contract::HTTP_METHOD,
    ] {
        assert!(
            contract::ROOT_EXPORTS.contains(&root.0),
            "{} is used by emitters but not re-exported",
            root.0
        );
    }
}

/// Every inherent method of the type named `.0`, whatever its visibility: a generated
/// method with the same name would be a duplicate definition.
struct InherentMethods(&'static str, BTreeSet<String>);

impl<'ast> Visit<'ast> for InherentMethods {
    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        let is_type = matches!(&*item.self_ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == self.0));
        if is_type && item.trait_.is_none() {
            for inner in &item.items {
                if let syn::ImplItem::Fn(method) = inner {
                    self.1.insert(method.sig.ident.to_string());
                }
            }
        }
        syn::visit::visit_item_impl(self, item);
    }
}

fn inherent_methods(type_name: &'static str) -> BTreeSet<String> {
    let mut methods = InherentMethods(type_name, BTreeSet::new());
    for path in runtime_files() {
        methods.visit_file(&parse(&path));
    }
    methods.1
}

fn runtime_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(runtime_dir())
        .expect("generated/src/runtime")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_client_method_is_reserved() {
    assert_eq!(
        inherent_methods("Client"),
        sorted(contract::CLIENT_METHODS),
        "Client's inherent methods and contract::CLIENT_METHODS differ"
    );
}

#[test]
fn every_mock_server_method_is_reserved() {
    assert_eq!(
        inherent_methods("MockServer"),
        sorted(contract::MOCK_SERVER_METHODS),
        "MockServer's inherent methods and contract::MOCK_SERVER_METHODS differ"
    );
}

/// `runtime/mock.rs` makes public exactly what the contract names, and the emitters'
/// `crate::mock::` paths are among them.
#[test]
fn the_mock_module_offers_exactly_what_the_contract_names() {
    let file = parse(&runtime_dir().join("mock.rs"));
    let mut public = BTreeSet::new();
    for item in &file.items {
        let (visibility, name) = match item {
            syn::Item::Struct(item) => (&item.vis, item.ident.to_string()),
            syn::Item::Enum(item) => (&item.vis, item.ident.to_string()),
            syn::Item::Const(item) => (&item.vis, item.ident.to_string()),
            syn::Item::Fn(item) => (&item.vis, item.sig.ident.to_string()),
            syn::Item::Type(item) => (&item.vis, item.ident.to_string()),
            syn::Item::Use(item) => {
                if matches!(item.vis, syn::Visibility::Public(_)) {
                    use_names(&item.tree, &mut public);
                }
                continue;
            }
            _ => continue,
        };
        if matches!(visibility, syn::Visibility::Public(_)) {
            public.insert(name);
        }
    }
    assert_eq!(
        public,
        sorted(contract::MOCK_EXPORTS),
        "runtime/mock.rs's public items and contract::MOCK_EXPORTS differ"
    );
    for used in [
        contract::MOCK_SERVER,
        contract::EXPECTATION,
        contract::NO_QUERY,
        contract::NO_BODY,
        contract::MOCK_DATA,
        contract::MOCK_PAGES,
    ] {
        assert!(
            contract::MOCK_EXPORTS.contains(&used.0),
            "{} is used by emitters but not public in the mock module",
            used.0
        );
    }
}

/// The runtime serves any spec: no code or comment in it names one of today's resources
/// (rustdoc examples may, as they show the crate in use).
#[test]
fn no_hand_written_item_names_a_resource() {
    let resources: Vec<String> = tests::real_spec()
        .iter()
        .filter_map(|file| {
            let document: serde_yaml::Value = serde_yaml::from_slice(&file.contents).ok()?;
            let name = document.get("resource")?.get("name")?.as_str()?.to_owned();
            Some(name.trim_end_matches('s').to_lowercase())
        })
        .collect();
    assert!(!resources.is_empty());
    for path in runtime_files() {
        let text = fs::read_to_string(&path).expect("runtime file");
        for (number, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("///") || trimmed.starts_with("//!") {
                continue;
            }
            for resource in &resources {
                assert!(
                    !line.to_lowercase().contains(resource.as_str()),
                    "{}:{}: names the resource `{resource}`: {line}",
                    path.display(),
                    number + 1
                );
            }
        }
    }
}
