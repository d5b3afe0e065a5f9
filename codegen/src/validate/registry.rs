//! What all the files declare together, and the collisions between files: one `api`
//! section, its versions, and unique schemas, resources, operation ids and model
//! modules.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::load::LoadedFile;
use crate::load::spec;
use crate::names;

use super::names as taken;

/// What a schema name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SchemaKind {
    /// An object.
    Struct,
    /// A string enum.
    Enum,
}

/// A schema's definition: the file that defines it and what it is.
#[derive(Debug, Clone, Copy)]
pub(super) struct SchemaEntry<'s> {
    pub file: usize,
    pub kind: SchemaKind,
    pub schema: &'s spec::Schema,
}

/// The declarations of every file.
#[derive(Debug)]
pub(super) struct Registry<'s> {
    /// The `api` section, when exactly one file... or the first of several (the others
    /// are reported).
    pub api: Option<&'s spec::Api>,
    /// Each version's prefix, as segments; a version whose prefix is broken is absent.
    versions: IndexMap<&'s str, Vec<&'s str>>,
    /// Every schema by name (the first definition, when there are several).
    schemas: IndexMap<&'s str, SchemaEntry<'s>>,
    /// The module each file's schemas become, by file index.
    models_modules: Vec<Option<String>>,
    /// Schemas that failed to load, by name: references to them are not reported.
    unloaded_schemas: Vec<&'s str>,
    /// Whether some file failed to load entirely, so any name may be defined there.
    unloaded_file: bool,
    /// Whether some `api` section failed to load.
    unloaded_api: bool,
}

impl<'s> Registry<'s> {
    pub(super) fn collect(files: &'s [LoadedFile], diagnostics: &mut Diagnostics) -> Self {
        let mut registry = Self {
            api: None,
            versions: IndexMap::new(),
            schemas: IndexMap::new(),
            models_modules: Vec::new(),
            unloaded_schemas: files
                .iter()
                .flat_map(|f| f.incomplete.schemas.iter().map(String::as_str))
                .collect(),
            unloaded_file: files.iter().any(|f| f.incomplete.whole),
            unloaded_api: files.iter().any(|f| f.incomplete.api),
        };
        registry.collect_api(files, diagnostics);
        let mut resources: BTreeMap<&str, &str> = BTreeMap::new();
        let mut operation_ids: BTreeMap<&str, &str> = BTreeMap::new();
        let mut modules: BTreeMap<String, &str> = BTreeMap::new();
        for (index, file) in files.iter().enumerate() {
            for (name, schema) in &file.spec.schemas {
                let kind = if schema.values.is_some() {
                    SchemaKind::Enum
                } else {
                    SchemaKind::Struct
                };
                match registry.schemas.get(name.as_str()) {
                    Some(first) => diagnostics.push(file.error(
                        Code::DuplicateDefinition,
                        format!("schemas.{name}"),
                        format!(
                            "schema `{name}` is also defined in {}",
                            files[first.file].name
                        ),
                    )),
                    None => {
                        registry.schemas.insert(
                            name,
                            SchemaEntry {
                                file: index,
                                kind,
                                schema,
                            },
                        );
                    }
                }
            }
            for id in file.spec.operations.keys() {
                if let Some(other) = operation_ids.insert(id, &file.name) {
                    diagnostics.push(file.error(
                        Code::DuplicateDefinition,
                        format!("operations.{id}"),
                        format!("operation id `{id}` is also used in {other}"),
                    ));
                }
            }
            if let Some(resource) = &file.spec.resource {
                if let Some(other) = resources.insert(&resource.name, &file.name) {
                    diagnostics.push(file.error(
                        Code::DuplicateDefinition,
                        "resource.name",
                        format!("resource `{}` is also defined in {other}", resource.name),
                    ));
                }
            }
            registry
                .models_modules
                .push(Self::models_module_of(file, &mut modules, diagnostics));
        }
        registry
    }

    /// A file's schemas become the module named after the file.
    fn models_module_of(
        file: &'s LoadedFile,
        modules: &mut BTreeMap<String, &'s str>,
        diagnostics: &mut Diagnostics,
    ) -> Option<String> {
        if file.spec.schemas.is_empty() {
            return None;
        }
        match names::snake(file_stem(&file.name)) {
            Ok(module) => {
                if let Some(other) = modules.insert(module.clone(), &file.name) {
                    diagnostics.push(
                        file.error(Code::NameCollision, "schemas", format!("the models of this file and of {other} would both be the module `{module}`"))
                            .with_hint("rename one of the files"),
                    );
                }
                if let Some(reason) = taken::reserved_models_module(&module) {
                    diagnostics.push(file.error(Code::ReservedName, "schemas", format!("the models of this file would be the module `{module}`, which {reason}")).with_hint("rename the file"));
                }
                Some(module)
            }
            Err(error) => {
                diagnostics.push(
                    file.error(
                        Code::InvalidName,
                        "schemas",
                        format!("the file name cannot name a module: {}", error.0),
                    )
                    .with_hint("rename the file"),
                );
                None
            }
        }
    }

    fn collect_api(&mut self, files: &'s [LoadedFile], diagnostics: &mut Diagnostics) {
        let mut with_api = files
            .iter()
            .filter_map(|file| file.spec.api.as_ref().map(|api| (file, api)));
        let Some((first, api)) = with_api.next() else {
            if !self.unloaded_file && !self.unloaded_api {
                diagnostics.push(no_api(files));
            }
            return;
        };
        for (extra, _) in with_api {
            diagnostics.push(extra.error(
                Code::DuplicateApi,
                "api",
                format!("the `api` section is also given in {}", first.name),
            ));
        }
        self.api = Some(api);
        for (path, text) in std::iter::once(("api.description".to_owned(), &api.description)).chain(
            api.versions.iter().map(|(name, version)| {
                (
                    format!("api.versions.{name}.description"),
                    &version.description,
                )
            }),
        ) {
            if text.trim().is_empty() {
                diagnostics.push(
                    first
                        .error(
                            Code::EmptyText,
                            path,
                            "this text is empty, and the generated docs would say nothing",
                        )
                        .with_hint("say in a few words what it is"),
                );
            }
        }
        for (name, version) in &api.versions {
            let at = format!("api.versions.{name}.prefix");
            let segments = match super::paths::parse(&version.prefix, "prefix") {
                Ok(segments) => segments,
                Err(error) => {
                    let mut diagnostic = first.error(Code::BadPrefix, &at, error.message);
                    if let Some(hint) = error.hint {
                        diagnostic = diagnostic.with_hint(hint);
                    }
                    diagnostics.push(diagnostic);
                    continue;
                }
            };
            let literals: Option<Vec<&str>> = segments
                .into_iter()
                .map(|segment| match segment {
                    super::paths::RawSegment::Literal(text) => Some(text),
                    super::paths::RawSegment::Placeholder(placeholder) => {
                        diagnostics.push(first.error(Code::BadPrefix, &at, format!("prefix `{}` has the placeholder `{{{placeholder}}}`, and a prefix is fixed text", version.prefix)));
                        None
                    }
                })
                .collect();
            if let Some(literals) = literals {
                self.versions.insert(name, literals);
            }
        }
    }

    /// Whether a schema of this name may exist in a part that failed to load, so a
    /// reference to it must not be reported as unknown.
    pub(super) fn may_define(&self, name: &str) -> bool {
        self.unloaded_file || self.unloaded_schemas.contains(&name)
    }

    /// Whether the API's versions may be incomplete because an `api` section failed to load.
    pub(super) fn versions_unloaded(&self) -> bool {
        self.unloaded_file || self.unloaded_api
    }

    /// Whether an `api` section declares the version at all (its prefix may be broken).
    pub(super) fn declares_version(&self, name: &str) -> bool {
        self.api.is_some_and(|api| api.versions.contains_key(name))
    }

    /// The declared version names, for hints.
    pub(super) fn version_names(&self) -> impl Iterator<Item = &'s str> + '_ {
        self.api
            .into_iter()
            .flat_map(|api| api.versions.keys().map(String::as_str))
    }

    /// A version's prefix segments, when the version exists and its prefix is valid.
    pub(super) fn prefix(&self, version: &str) -> Option<&[&'s str]> {
        self.versions.get(version).map(Vec::as_slice)
    }

    pub(super) fn schema_kind(&self, name: &str) -> Option<SchemaKind> {
        self.schemas.get(name).map(|entry| entry.kind)
    }

    pub(super) fn schema_names(&self) -> impl Iterator<Item = &'s str> + '_ {
        self.schemas.keys().copied()
    }

    /// The wire values of an enum schema, as text; empty for anything else.
    pub(super) fn enum_values(&self, name: &str) -> Vec<String> {
        self.schemas
            .get(name)
            .and_then(|entry| entry.schema.values.as_ref())
            .map(|values| {
                values
                    .iter()
                    .map(crate::load::spec::WireValue::text)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The module the schemas of file `index` become.
    pub(super) fn models_module(&self, index: usize) -> Option<&str> {
        self.models_modules.get(index).and_then(Option::as_deref)
    }
}

/// The diagnostic for a spec without an `api` section.
pub(super) fn no_api(files: &[LoadedFile]) -> Diagnostic {
    let file = files.first().map_or("spec/", |f| f.name.as_str());
    Diagnostic::new(
        Code::NoApi,
        file,
        "api",
        "no spec file has an `api` section",
    )
    .at(Some(crate::diagnostic::Position { line: 1, column: 1 }))
    .with_hint("describe the API once, with `api: {name, description, versions}`")
}

/// The file name without directories and `.yaml`/`.yml`.
fn file_stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.strip_suffix(".yaml")
        .or_else(|| base.strip_suffix(".yml"))
        .unwrap_or(base)
}
