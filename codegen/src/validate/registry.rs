//! What all the files declare together, and the collisions between files: one `api`
//! section, its versions, the module of each file, the schemas of each module, and
//! unique resources, operation ids and modules.
//!
//! Schema names are per module: a resource file's schemas are its own, and a shared
//! file's (one without a `resource`) are visible from every file by their bare name. A
//! name resolves to the file's own schema, else to a shared one; `module.Name` names
//! another module's.

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
    /// An enum of strings or codes.
    Enum,
    /// A typed id.
    Id(crate::ir::IdKind),
    /// A scalar union.
    Union,
}

/// Why a schema name did not resolve.
pub(super) enum Unresolved {
    /// No schema of that name is visible.
    Unknown,
    /// The qualifying module is not a module of the spec.
    UnknownModule,
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
    /// Every schema by module and name.
    schemas: IndexMap<(String, &'s str), SchemaEntry<'s>>,
    /// The shared schemas by bare name, with their module (the first definition, when
    /// there are several).
    shared: IndexMap<&'s str, String>,
    /// Each file's module, by file index: its resource's, or a shared file's own.
    modules: Vec<Option<String>>,
    /// Which files are resources, by file index.
    resources: Vec<bool>,
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
            shared: IndexMap::new(),
            modules: Vec::new(),
            resources: files.iter().map(|f| f.spec.resource.is_some()).collect(),
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
            let module = Self::module_of(file, &mut modules, diagnostics);
            registry.modules.push(module.clone());
            for (name, schema) in &file.spec.schemas {
                let kind = match (&schema.values, schema.id, &schema.one_of) {
                    (Some(_), _, _) => SchemaKind::Enum,
                    (None, Some(spec::IdKind::Integer), _) => {
                        SchemaKind::Id(crate::ir::IdKind::Integer)
                    }
                    (None, Some(spec::IdKind::String), _) => {
                        SchemaKind::Id(crate::ir::IdKind::String)
                    }
                    (None, None, Some(_)) => SchemaKind::Union,
                    (None, None, None) => SchemaKind::Struct,
                };
                let Some(module) = &module else { continue };
                registry.schemas.insert(
                    (module.clone(), name),
                    SchemaEntry {
                        file: index,
                        kind,
                        schema,
                    },
                );
                if file.spec.resource.is_none() {
                    match registry.shared.get(name.as_str()) {
                        Some(first) => {
                            let first = registry
                                .schemas
                                .get(&(first.clone(), name.as_str()))
                                .map_or("another file", |entry| files[entry.file].name.as_str());
                            diagnostics.push(file.error(
                                Code::DuplicateDefinition,
                                format!("schemas.{name}"),
                                format!("shared schema `{name}` is also defined in {first}"),
                            ));
                        }
                        None => {
                            registry.shared.insert(name, module.clone());
                        }
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
        }
        // A resource's schema may not take a shared schema's name: a bare name would
        // mean one in its own file and the other everywhere else.
        for file in files {
            if file.spec.resource.is_none() {
                continue;
            }
            for name in file.spec.schemas.keys() {
                if let Some(module) = registry.shared.get(name.as_str()) {
                    let other = registry
                        .schemas
                        .get(&(module.clone(), name.as_str()))
                        .map_or("a shared file", |entry| files[entry.file].name.as_str());
                    diagnostics.push(
                        file.error(
                            Code::NameCollision,
                            format!("schemas.{name}"),
                            format!("schema `{name}` is also a shared schema of {other}, which every file sees by that name"),
                        )
                        .with_hint(format!("rename this one, or use the shared `{name}`")),
                    );
                }
            }
        }
        registry
    }

    /// A file's module: its resource's name, or the file's name for a shared file of
    /// schemas. A file with neither has none.
    fn module_of(
        file: &'s LoadedFile,
        modules: &mut BTreeMap<String, &'s str>,
        diagnostics: &mut Diagnostics,
    ) -> Option<String> {
        let (module, at) = match &file.spec.resource {
            Some(resource) => (
                names::check_explicit(&resource.name, false).ok()?,
                "resource.name",
            ),
            None if file.spec.schemas.is_empty() => return None,
            None => match names::snake(file_stem(&file.name)) {
                Ok(module) => (module, "schemas"),
                Err(error) => {
                    diagnostics.push(
                        file.error(
                            Code::InvalidName,
                            "schemas",
                            format!("the file name cannot name a module: {}", error.0),
                        )
                        .with_hint("rename the file"),
                    );
                    return None;
                }
            },
        };
        if let Some(other) = modules.insert(module.clone(), &file.name) {
            diagnostics.push(
                file.error(
                    Code::NameCollision,
                    at,
                    format!("this file and {other} would both be the module `{module}`"),
                )
                .with_hint("rename the resource or the file"),
            );
        }
        if file.spec.resource.is_none() {
            if let Some(reason) = taken::reserved_module(&module) {
                diagnostics.push(
                    file.error(
                        Code::ReservedName,
                        "schemas",
                        format!(
                            "the models of this file would be the module `{module}`, which {reason}"
                        ),
                    )
                    .with_hint("rename the file"),
                );
            }
        }
        Some(module)
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

    /// Resolves a schema name as file `file` writes it.
    pub(super) fn resolve(
        &self,
        file: usize,
        module: Option<&str>,
        name: &str,
    ) -> Result<(crate::ir::TypeName, SchemaKind), Unresolved> {
        let found = |module: &str| {
            self.schemas.get(&(module.to_owned(), name)).map(|entry| {
                (
                    crate::ir::TypeName {
                        module: module.to_owned(),
                        name: name.to_owned(),
                    },
                    entry.kind,
                )
            })
        };
        match module {
            Some(module) => {
                if !self.modules.iter().flatten().any(|m| m == module) {
                    return Err(Unresolved::UnknownModule);
                }
                found(module).ok_or(Unresolved::Unknown)
            }
            None => self
                .module(file)
                .and_then(found)
                .or_else(|| self.shared.get(name).and_then(|module| found(module)))
                .ok_or(Unresolved::Unknown),
        }
    }

    /// The names file `file` may write, for hints: its own and the shared ones bare,
    /// the other modules' qualified.
    pub(super) fn visible_names(&self, file: usize) -> Vec<String> {
        let own = self.module(file);
        self.schemas
            .iter()
            .map(|((module, name), entry)| {
                let bare = Some(module.as_str()) == own || !self.is_resource(entry.file);
                if bare {
                    (*name).to_owned()
                } else {
                    format!("{module}.{name}")
                }
            })
            .collect()
    }

    /// The modules that have a schema of this bare name, for hints.
    pub(super) fn modules_with(&self, name: &str) -> Vec<&str> {
        self.schemas
            .keys()
            .filter(|(_, schema)| *schema == name)
            .map(|(module, _)| module.as_str())
            .collect()
    }

    /// The modules of the spec's files, for hints.
    pub(super) fn module_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.modules.iter().flatten().map(String::as_str)
    }

    /// The wire values of an enum schema, as text; empty for anything else.
    pub(super) fn enum_values(&self, name: &crate::ir::TypeName) -> Vec<String> {
        self.schemas
            .get(&(name.module.clone(), name.name.as_str()))
            .and_then(|entry| entry.schema.values.as_ref())
            .map(|values| {
                values
                    .iter()
                    .map(crate::load::spec::WireValue::text)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The module of file `index`: its resource's, or a shared file's own.
    pub(super) fn module(&self, index: usize) -> Option<&str> {
        self.modules.get(index).and_then(Option::as_deref)
    }

    /// Whether `module` is a resource's module.
    pub(super) fn is_resource_module(&self, module: &str) -> bool {
        self.modules
            .iter()
            .zip(&self.resources)
            .any(|(m, resource)| *resource && m.as_deref() == Some(module))
    }

    /// Whether file `index` is a resource's.
    pub(super) fn is_resource(&self, index: usize) -> bool {
        self.resources.get(index).copied().unwrap_or(false)
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
