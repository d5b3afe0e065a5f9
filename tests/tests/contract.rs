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

/// Every identifier in a file's code; comments and doc text are not code.
struct Identifiers(BTreeSet<String>);

impl<'ast> Visit<'ast> for Identifiers {
    fn visit_ident(&mut self, ident: &'ast syn::Ident) {
        self.0.insert(ident.to_string());
    }
}

/// The runtime serves any spec: no identifier in its code is one of today's resource
/// modules, their handles, or their schemas (comments and rustdoc examples may name them,
/// as they show the crate in use).
#[test]
fn no_hand_written_item_names_a_resource() {
    let mut names = BTreeSet::new();
    for file in tests::real_spec() {
        let document: serde_yaml::Value =
            serde_yaml::from_slice(&file.contents).expect("a spec file");
        if let Some(name) = document
            .get("resource")
            .and_then(|r| r.get("name"))
            .and_then(serde_yaml::Value::as_str)
        {
            names.insert(name.to_owned());
            names.insert(heck::ToUpperCamelCase::to_upper_camel_case(name));
        }
        // A shared file's module (`common`, `ids`) is a plain word; its schemas are checked.
        if let Some(schemas) = document
            .get("schemas")
            .and_then(serde_yaml::Value::as_mapping)
        {
            names.extend(
                schemas
                    .keys()
                    .filter_map(serde_yaml::Value::as_str)
                    .map(str::to_owned),
            );
        }
    }
    assert!(names.len() > 100, "only {} names", names.len());
    for path in runtime_files() {
        let mut identifiers = Identifiers(BTreeSet::new());
        identifiers.visit_file(&parse(&path));
        let named: Vec<_> = identifiers.0.intersection(&names).collect();
        assert!(
            named.is_empty(),
            "{}: names the spec's {named:?}",
            path.display()
        );
    }
}

/// The methods a derive gives a type; a derive this table does not know fails the test, so
/// a new derive in the emitters cannot slip past the reserved names.
fn derived_methods(derive: &str) -> &'static [&'static str] {
    match derive {
        "Debug" => &["fmt"],
        "Clone" => &["clone", "clone_from"],
        "PartialEq" => &["eq", "ne"],
        "Default" => &["default"],
        "Copy" | "Eq" => &[],
        other => panic!("no table entry for #[derive({other})]: list the methods it brings"),
    }
}

/// What one generated struct has: its fields, its inherent methods, and the methods it
/// gets from derives and trait impls.
#[derive(Default)]
struct Members {
    fields: BTreeSet<String>,
    inherent: BTreeSet<String>,
    traits: BTreeSet<String>,
    derives: Vec<String>,
}

fn generated_structs() -> Vec<(String, Members)> {
    let api = runtime_dir().parent().expect("src").join("api");
    let mut files = Vec::new();
    let mut pending = vec![api];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).expect("generated/src/api") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut structs = Vec::new();
    for path in files {
        let file = parse(&path);
        let mut by_name: std::collections::BTreeMap<String, Members> = Default::default();
        for item in &file.items {
            match item {
                syn::Item::Struct(item) => {
                    let members = by_name.entry(item.ident.to_string()).or_default();
                    for field in &item.fields {
                        if let Some(ident) = &field.ident {
                            members.fields.insert(ident.to_string());
                        }
                    }
                    for attribute in &item.attrs {
                        if attribute.path().is_ident("derive") {
                            attribute
                                .parse_nested_meta(|meta| {
                                    let derive = meta.path.segments.last().expect("a path");
                                    members.derives.push(derive.ident.to_string());
                                    Ok(())
                                })
                                .expect("a derive list");
                        }
                    }
                }
                syn::Item::Impl(item) => {
                    let syn::Type::Path(self_ty) = &*item.self_ty else {
                        continue;
                    };
                    let Some(name) = self_ty.path.segments.last() else {
                        continue;
                    };
                    let members = by_name.entry(name.ident.to_string()).or_default();
                    let target = if item.trait_.is_some() {
                        &mut members.traits
                    } else {
                        &mut members.inherent
                    };
                    for inner in &item.items {
                        if let syn::ImplItem::Fn(method) = inner {
                            target.insert(method.sig.ident.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
        structs.extend(
            by_name
                .into_iter()
                // Only types with named fields carry spec-named members; an id's tuple
                // struct and an enum's variants cannot collide with a method.
                .filter(|(_, members)| !members.fields.is_empty())
                .map(|(name, mut members)| {
                    for derive in &members.derives {
                        let methods = derived_methods(derive).iter().map(|m| (*m).to_owned());
                        members.traits.extend(methods);
                    }
                    (name, members)
                }),
        );
    }
    structs
}

/// Every method a generated type gets from a trait is in the contract's list for its kind
/// (handle, builder, model), so the checker keeps spec names off them; every member of a
/// request builder or a model that is not a setter of a spec name is in `BUILDER_MEMBERS`
/// or `MODEL_MEMBERS`.
#[test]
fn every_member_a_spec_name_could_collide_with_is_reserved() {
    let structs = generated_structs();
    assert!(
        structs.len() > 40,
        "found only {} generated types",
        structs.len()
    );
    let builder = sorted(contract::BUILDER_MEMBERS);
    let model = sorted(contract::MODEL_MEMBERS);
    let (mut builders, mut models, mut handles) = (0, 0, 0);
    for (name, members) in &structs {
        let is_builder = members.fields.contains("client") && name.ends_with("Request");
        let is_handle = members.fields.len() == 1
            && (members.fields.contains("client") || members.fields.contains("server"));
        let (kind, list) = if is_builder {
            ("BUILDER_TRAIT_METHODS", contract::BUILDER_TRAIT_METHODS)
        } else if is_handle {
            handles += 1;
            ("HANDLE_TRAIT_METHODS", contract::HANDLE_TRAIT_METHODS)
        } else {
            ("MODEL_TRAIT_METHODS", contract::MODEL_TRAIT_METHODS)
        };
        // The runtime's blanket FromJson/ToJson are not visible in generated files.
        let allowed = sorted(list);
        let missing: Vec<_> = members.traits.difference(&allowed).collect();
        assert!(
            missing.is_empty(),
            "{name} gets {missing:?} from traits, which contract::{kind} lacks"
        );
        let own: BTreeSet<_> = members
            .inherent
            .difference(&members.fields)
            .cloned()
            .collect();
        if is_builder {
            builders += 1;
            let unreserved: Vec<_> = own.difference(&builder).collect();
            assert!(
                unreserved.is_empty(),
                "{name} has {unreserved:?}, which contract::BUILDER_MEMBERS lacks"
            );
            // Its private fields other than parameters: the client, and the body where
            // there is one.
            assert!(builder.contains("client"));
            if members.fields.contains("body") {
                assert!(builder.contains("body"));
            }
        } else if members.fields.contains("extra") {
            models += 1;
            let unreserved: Vec<_> = own.difference(&model).collect();
            assert!(
                unreserved.is_empty(),
                "{name} has {unreserved:?}, which contract::MODEL_MEMBERS lacks"
            );
            let unset: Vec<_> = members
                .fields
                .difference(&members.inherent)
                .filter(|field| !model.contains(*field))
                .collect();
            assert!(
                unset.is_empty(),
                "{name}'s fields {unset:?} have no setter and are not reserved"
            );
        }
    }
    assert!(
        builders > 10 && models > 10 && handles > 10,
        "{builders} builders, {models} models, {handles} handles"
    );
}
