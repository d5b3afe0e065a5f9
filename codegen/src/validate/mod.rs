//! Stage 2, check: every rule the spec must satisfy, all problems reported in one run,
//! and, when there are none, the [`Checked`] model lowering works from.
//!
//! - `registry.rs`: what the files declare together (the `api` section, versions,
//!   schemas, resources, operation ids, model modules) and the collisions between files;
//! - `operations.rs`: each operation, its path, parameters, body and response;
//! - `schemas.rs`: each schema, its fields or values;
//! - `cycles.rs`: structs that would contain themselves;
//! - `definitions.rs`: the schemas marked as field definitions, and what a field index
//!   reads of them;
//! - `unused.rs`: schemas that no operation reaches;
//! - `names.rs`: the names each item takes and the names that are already taken;
//! - `paths.rs`: path templates and version prefixes, parsed into segments.
//!
//! Parse, don't validate: a rule that holds is recorded in the model it builds (a parsed
//! method, a resolved type, a derived name), so no later stage checks it again.

mod checked;
mod cycles;
mod definitions;
mod names;
mod operations;
mod paths;
mod registry;
mod schemas;
mod unused;

pub(crate) use checked::*;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, closest};
use crate::ir::Type;
use crate::load::LoadedFile;
use crate::types::{MAX_DEPTH as MAX_TYPE_DEPTH, TypeError, TypeExpr};

use registry::{Registry, SchemaKind, Unresolved};

/// Checks every file. `Ok` holds the checked model, from which lowering cannot fail.
/// When a file failed to load, what depends on its missing parts is not reported, and
/// the result is an error (empty, when nothing else is wrong).
pub(crate) fn check(files: &[LoadedFile]) -> Result<Checked<'_>, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let registry = Registry::collect(files, &mut diagnostics);
    let mut checked = Vec::with_capacity(files.len());
    for (index, file) in files.iter().enumerate() {
        let mut cx = Context {
            file,
            index,
            registry: &registry,
            diagnostics: &mut diagnostics,
        };
        let resource = file
            .spec
            .resource
            .as_ref()
            .and_then(|resource| operations::check_resource(&mut cx, resource));
        if file.spec.resource.is_none()
            && !file.incomplete.resource
            && !file.spec.operations.is_empty()
        {
            cx.push(
                file.error(
                    Code::NoResource,
                    "operations",
                    "operations need a `resource` in the same file to belong to",
                )
                .with_hint("add `resource: {name: ..., description: ...}` at the top of the file"),
            );
        }
        let schemas = file
            .spec
            .schemas
            .iter()
            .filter_map(|(name, schema)| schemas::check_schema(&mut cx, name, schema))
            .collect();
        checked.push(CheckedFile {
            source: &file.name,
            module: registry.module(index).map(str::to_owned),
            resource,
            schemas,
        });
    }
    cycles::check(files, &checked, &mut diagnostics);
    definitions::check(files, &mut checked, &mut diagnostics);
    // Only a spec whose every operation checked out can tell what nothing uses.
    if diagnostics.is_empty() && !files.iter().any(LoadedFile::is_incomplete) {
        unused::check(files, &checked, &mut diagnostics);
    }
    let api = registry.api;
    diagnostics.into_result(())?;
    match api {
        Some(api) if !files.iter().any(LoadedFile::is_incomplete) => Ok(Checked {
            api,
            files: checked,
        }),
        // Reported when collecting, unless a file that failed to load may have held it.
        _ => Err(Diagnostics::default()),
    }
}

/// What the checks of one file share.
struct Context<'s, 'r> {
    file: &'s LoadedFile,
    /// The file's index among the files, which the registry knows it by.
    index: usize,
    registry: &'r Registry<'s>,
    diagnostics: &'r mut Diagnostics,
}

impl<'s> Context<'s, '_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// A diagnostic at `path` in this file.
    fn error(&self, code: Code, path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        self.file.error(code, path, message)
    }

    /// Reports a description or summary that is blank: generated items carry it as
    /// their documentation, and the crate denies missing docs.
    fn require_text(&mut self, path: &str, text: &str) {
        if text.trim().is_empty() {
            self.push(
                self.error(
                    Code::EmptyText,
                    path,
                    "this text is empty, and the generated item would have no documentation",
                )
                .with_hint("say in a few words what it is"),
            );
        }
    }

    /// Parses the type expression at `path` and resolves its schema names.
    fn resolve_type(&mut self, path: &str, text: &str) -> Option<Type> {
        match TypeExpr::parse(text) {
            Ok(expr) => self.resolve(path, &expr),
            Err(TypeError::Invalid(message)) => {
                self.push(self.error(Code::BadType, path, message));
                None
            }
            Err(TypeError::TooDeep) => {
                self.push(
                    self.error(
                        Code::TypeTooDeep,
                        path,
                        format!(
                            "the type nests more than {} `list<...>` and `map<...>` levels deep",
                            MAX_TYPE_DEPTH - 1
                        ),
                    )
                    .with_hint("give the inner part a schema of its own"),
                );
                None
            }
        }
    }

    fn resolve(&mut self, path: &str, expr: &TypeExpr) -> Option<Type> {
        Some(match expr {
            TypeExpr::String => Type::String,
            TypeExpr::Integer => Type::Integer,
            TypeExpr::Number => Type::Number,
            TypeExpr::Boolean => Type::Boolean,
            TypeExpr::Flag => Type::Flag,
            TypeExpr::Json => Type::Json,
            TypeExpr::File => Type::File,
            TypeExpr::CustomFields => Type::CustomFields,
            TypeExpr::List(inner) => Type::List(Box::new(self.resolve(path, inner)?)),
            TypeExpr::Map(inner) => Type::Map(Box::new(self.resolve(path, inner)?)),
            TypeExpr::Named { module, name } => {
                let resolved = self.registry.resolve(self.index, module.as_deref(), name);
                if let Ok((target, _)) = &resolved {
                    if !self.registry.is_resource(self.index)
                        && self.registry.is_resource_module(&target.module)
                    {
                        self.push(
                            self.error(
                                Code::SharedUsesResource,
                                path,
                                format!("a shared schema cannot name `{}`, a schema of the resource `{}`: a shared module is always compiled, and the resource only with its feature", expr, target.module),
                            )
                            .with_hint("move this schema into that resource's file, or what it names into a shared file"),
                        );
                        return None;
                    }
                }
                match resolved {
                    Ok((name, SchemaKind::Struct)) => Type::Struct(name),
                    Ok((name, SchemaKind::Enum)) => Type::Enum(name),
                    Ok((name, SchemaKind::Id(kind))) => Type::Id(name, kind),
                    Ok((name, SchemaKind::Union)) => Type::Union(name),
                    Err(_) if self.registry.may_define(name) => return None,
                    Err(Unresolved::UnknownModule) => {
                        let module = module.as_deref().unwrap_or_default();
                        let mut diagnostic = self.error(
                            Code::UnknownSchema,
                            path,
                            format!("no file of the spec is the module `{module}`"),
                        );
                        if let Some(close) = closest(module, self.registry.module_names()) {
                            diagnostic = diagnostic.with_hint(format!("did you mean `{close}`?"));
                        }
                        self.push(diagnostic);
                        return None;
                    }
                    Err(Unresolved::Unknown) => {
                        let written = expr.to_string();
                        let mut diagnostic = self.error(
                            Code::UnknownSchema,
                            path,
                            format!("no schema is named `{written}` here"),
                        );
                        let visible = self.registry.visible_names(self.index);
                        let elsewhere = self.registry.modules_with(name);
                        if let (None, Some(module)) = (module, elsewhere.first()) {
                            diagnostic = diagnostic.with_hint(format!(
                                "another resource's schema is written with its module: did you mean `{module}.{name}`?"
                            ));
                        } else if let Some(close) =
                            closest(&written, visible.iter().map(String::as_str))
                        {
                            diagnostic = diagnostic.with_hint(format!("did you mean `{close}`?"));
                        } else if module.is_none() {
                            diagnostic = diagnostic.with_hint(
                                "another resource's schema is written with its module: `deals.Deal`",
                            );
                        }
                        self.push(diagnostic);
                        return None;
                    }
                }
            }
        })
    }
}
