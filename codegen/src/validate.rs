//! Stage 2, validate: every rule the spec must satisfy, all problems reported in one run.
//!
//! When this stage passes, lowering cannot fail on the spec's account: a failure after
//! it is a bug in the generator.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::diagnostic::{Diagnostic, Diagnostics, closest};
use crate::ir::HttpMethod;
use crate::load::LoadedFile;
use crate::load::spec::{EnvelopeKind, Operation, Parameter, ParameterLocation, Schema};
use crate::names;
use crate::types::TypeExpr;

/// Module names the generated crate's hand-written runtime already uses.
pub const RESERVED_MODULES: &[&str] =
    &["api", "client", "error", "flag", "models", "page", "request", "response", "runtime"];
/// Names a request builder already uses for its own fields and methods.
pub const RESERVED_PARAMETERS: &[&str] = &["all_items", "body", "client", "pages", "send"];
/// The struct field that keeps keys the spec does not list.
pub const RESERVED_FIELD: &str = "extra";
/// The enum variant that keeps values the spec does not list.
pub const RESERVED_VARIANT: &str = "Other";

/// Type names the generated models use unqualified; a schema with one of these names
/// would shadow it.
pub const RESERVED_TYPES: &[&str] = &[
    "Box", "Default", "Err", "From", "Into", "IntoIterator", "None", "Ok", "Option", "Result", "Self", "Some",
    "String", "Vec",
];

/// What a schema name stands for, across all files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    /// An object.
    Struct,
    /// A string enum.
    Enum,
}

/// Checks every file; `Ok` means lowering will succeed.
pub fn validate(files: &[LoadedFile]) -> Result<(), Diagnostics> {
    let mut checker = Checker { files, diagnostics: Diagnostics::default(), schemas: IndexMap::new() };
    checker.run();
    checker.diagnostics.into_result(())
}

/// The schemas of every file by name: the file that defines each and what it is.
pub fn schema_table(files: &[LoadedFile]) -> IndexMap<&str, (usize, SchemaKind)> {
    let mut table = IndexMap::new();
    for (index, file) in files.iter().enumerate() {
        for (name, schema) in &file.spec.schemas {
            let kind = if schema.values.is_some() { SchemaKind::Enum } else { SchemaKind::Struct };
            table.entry(name.as_str()).or_insert((index, kind));
        }
    }
    table
}

struct Checker<'a> {
    files: &'a [LoadedFile],
    diagnostics: Diagnostics,
    schemas: IndexMap<&'a str, (usize, SchemaKind)>,
}

impl<'a> Checker<'a> {
    fn run(&mut self) {
        self.schemas = schema_table(self.files);
        let versions = self.check_api();
        let mut operation_ids: BTreeMap<&str, &str> = BTreeMap::new();
        let mut resources: BTreeMap<&str, &str> = BTreeMap::new();
        let mut schema_names: BTreeMap<&str, &str> = BTreeMap::new();
        let mut model_modules: BTreeMap<String, &str> = BTreeMap::new();
        for file in self.files {
            if !file.spec.schemas.is_empty() {
                // A file's schemas become the module named after the file.
                match names::snake(file_stem(&file.name)) {
                    Ok(module) => {
                        if let Some(other) = model_modules.insert(module.clone(), &file.name) {
                            self.push(file.error("schemas", format!("the models of this file and of {other} would both be the module `{module}`")).with_hint("rename one of the files"));
                        }
                    }
                    Err(error) => self.push(file.error("schemas", format!("the file name cannot name a module: {}", error.0)).with_hint("rename the file")),
                }
            }
            if let Some(resource) = &file.spec.resource {
                self.check_name(file, "resource.name", &resource.name, false);
                if RESERVED_MODULES.contains(&resource.name.as_str()) {
                    self.push(file.error("resource.name", format!("resource name `{}` is taken by the generated crate's own module", resource.name)));
                }
                if let Some(other) = resources.insert(&resource.name, &file.name) {
                    self.push(file.error("resource.name", format!("resource `{}` is also defined in {other}", resource.name)));
                }
            } else if !file.spec.operations.is_empty() {
                self.push(file.error("operations", "operations need a `resource` in the same file to belong to")
                    .with_hint("add `resource: {name: ..., description: ...}` at the top of the file"));
            }
            for name in file.spec.schemas.keys() {
                if let Some(other) = schema_names.insert(name, &file.name) {
                    self.push(file.error(format!("schemas.{name}"), format!("schema `{name}` is also defined in {other}")));
                }
            }
            for id in file.spec.operations.keys() {
                if let Some(other) = operation_ids.insert(id, &file.name) {
                    self.push(file.error(format!("operations.{id}"), format!("operation id `{id}` is also used in {other}")));
                }
            }
            self.check_operations(file, &versions);
            for (name, schema) in &file.spec.schemas {
                self.check_schema(file, name, schema);
            }
        }
        self.check_cycles();
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Returns the version names, for operations to refer to.
    fn check_api(&mut self) -> Vec<&'a str> {
        let with_api: Vec<&LoadedFile> = self.files.iter().filter(|f| f.spec.api.is_some()).collect();
        let Some(first) = with_api.first() else {
            let file = self.files.first().map_or("spec/", |f| f.name.as_str());
            self.push(Diagnostic::new(file, "api", "no spec file has an `api` section")
                .with_hint("describe the API once, with `api: {name, description, versions}`"));
            return Vec::new();
        };
        for extra in &with_api[1..] {
            self.push(extra.error("api", format!("the `api` section is also given in {}", first.name)));
        }
        let Some(api) = &first.spec.api else { return Vec::new() };
        for (name, version) in &api.versions {
            if !version.prefix.starts_with('/') || version.prefix.ends_with('/') {
                self.push(first.error(format!("api.versions.{name}.prefix"), format!("prefix `{}` must start with `/` and not end with one", version.prefix)));
            }
        }
        api.versions.keys().map(String::as_str).collect()
    }

    fn check_name(&mut self, file: &LoadedFile, path: &str, name: &str, upper_camel: bool) -> Option<String> {
        match names::check_explicit(name, upper_camel) {
            Ok(name) => Some(name),
            Err(error) => {
                self.push(file.error(path, error.0));
                None
            }
        }
    }

    /// The Rust name of `wire`: `explicit` when the spec gives one, else derived.
    /// `override_key` is the spec key that gives an explicit name, for the hint.
    fn derived_name(&mut self, file: &LoadedFile, path: &str, wire: &str, explicit: Option<&str>, upper_camel: bool, override_key: &str) -> Option<String> {
        match explicit {
            Some(name) => self.check_name(file, &format!("{path}.rust_name"), name, upper_camel),
            None => {
                let result = if upper_camel { names::camel(wire) } else { names::snake(wire) };
                match result {
                    Ok(name) => Some(name),
                    Err(error) => {
                        self.push(file.error(path, error.0).with_hint(format!("give the Rust name with `{override_key}`")));
                        None
                    }
                }
            }
        }
    }

    fn check_operations(&mut self, file: &'a LoadedFile, versions: &[&str]) {
        let mut method_names: BTreeMap<String, &str> = BTreeMap::new();
        let mut builders: BTreeMap<String, &str> = BTreeMap::new();
        for (id, operation) in &file.spec.operations {
            let path = format!("operations.{id}");
            if let Some(name) = self.check_name(file, &format!("{path}.name"), &operation.name, false) {
                if let Some(other) = method_names.insert(name.clone(), id) {
                    self.push(file.error(format!("{path}.name"), format!("method name `{name}` is also used by operation `{other}`")));
                }
            }
            match names::camel(id) {
                Ok(builder) => {
                    let builder = format!("{builder}Request");
                    if let Some(other) = builders.insert(builder.clone(), id) {
                        self.push(file.error(&path, format!("operation ids `{other}` and `{id}` both become the Rust type `{builder}`")));
                    }
                }
                Err(error) => self.push(file.error(&path, error.0)),
            }
            self.check_operation(file, &path, operation, versions);
        }
    }

    fn check_operation(&mut self, file: &LoadedFile, path: &str, operation: &Operation, versions: &[&str]) {
        let method = HttpMethod::parse(&operation.method);
        if method.is_none() {
            self.push(file.error(format!("{path}.method"), format!("unsupported HTTP method `{}`", operation.method))
                .with_hint("use one of GET, POST, PUT, PATCH, DELETE (upper case)"));
        }
        if !versions.is_empty() && !versions.contains(&operation.version.as_str()) {
            let mut diagnostic = file.error(format!("{path}.version"), format!("unknown API version `{}`", operation.version));
            if let Some(close) = closest(&operation.version, versions.iter().copied()) {
                diagnostic = diagnostic.with_hint(format!("did you mean `{close}`?"));
            }
            self.push(diagnostic);
        }
        if let Some(body) = &operation.body {
            if matches!(method, Some(HttpMethod::Get | HttpMethod::Delete)) {
                self.push(file.error(format!("{path}.body"), format!("a {} request cannot have a body", operation.method)));
            }
            let body_path = format!("{path}.body.type");
            if let Some(ty) = self.check_type(file, &body_path, &body.ty) {
                if !matches!(&ty, TypeExpr::Named(name) if self.schemas.get(name.as_str()).map(|s| s.1) == Some(SchemaKind::Struct)) {
                    self.push(file.error(body_path, format!("a body must be an object schema, not `{ty}`")));
                }
            }
        }
        self.check_path(file, path, operation);
        let mut rust_names: BTreeMap<String, &str> = BTreeMap::new();
        for (wire, parameter) in &operation.parameters {
            let param_path = format!("{path}.parameters.{wire}");
            if let Some(name) = self.derived_name(file, &param_path, wire, parameter.rust_name.as_deref(), false, "rust_name") {
                if RESERVED_PARAMETERS.contains(&name.as_str()) {
                    self.push(file.error(&param_path, format!("parameter name `{name}` is taken by the request builder")).with_hint("give another Rust name with `rust_name`"));
                } else if let Some(other) = rust_names.insert(name.clone(), wire) {
                    self.push(file.error(&param_path, format!("parameters `{other}` and `{wire}` both become the Rust name `{name}`")));
                }
            }
            self.check_parameter(file, &param_path, parameter);
        }
        self.check_response(file, path, operation);
    }

    fn check_path(&mut self, file: &LoadedFile, path: &str, operation: &Operation) {
        let template = &operation.path;
        let at = format!("{path}.path");
        if !template.starts_with('/') {
            self.push(file.error(&at, format!("path `{template}` must start with `/`")));
        }
        let mut placeholders = Vec::new();
        for segment in template.split('/').filter(|s| !s.is_empty()) {
            if segment.contains(['{', '}']) {
                match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) if !name.is_empty() && !name.contains(['{', '}']) => placeholders.push(name),
                    _ => self.push(file.error(&at, format!("path segment `{segment}` must be plain text or one whole `{{name}}` placeholder"))),
                }
            }
        }
        for placeholder in &placeholders {
            match operation.parameters.get(*placeholder) {
                Some(parameter) if parameter.location == ParameterLocation::Path => {}
                Some(_) => self.push(file.error(format!("{path}.parameters.{placeholder}"), format!("`{placeholder}` is in the path template but declared `in: query`"))),
                None => self.push(file.error(&at, format!("path placeholder `{{{placeholder}}}` has no declared path parameter"))
                    .with_hint(format!("add `{placeholder}: {{in: path, type: integer, description: ...}}` under `parameters`"))),
            }
        }
        for (wire, parameter) in &operation.parameters {
            if parameter.location == ParameterLocation::Path && !placeholders.contains(&wire.as_str()) {
                self.push(file.error(format!("{path}.parameters.{wire}"), format!("path parameter `{wire}` does not appear in the path `{template}`")));
            }
        }
    }

    fn check_parameter(&mut self, file: &LoadedFile, path: &str, parameter: &Parameter) {
        let Some(ty) = self.check_type(file, &format!("{path}.type"), &parameter.ty) else { return };
        let scalar = |t: &TypeExpr| match t {
            TypeExpr::String | TypeExpr::Integer | TypeExpr::Number | TypeExpr::Boolean | TypeExpr::Flag => true,
            TypeExpr::Named(name) => self.schemas.get(name.as_str()).map(|s| s.1) == Some(SchemaKind::Enum),
            _ => false,
        };
        let allowed = match (&ty, parameter.location) {
            (TypeExpr::String | TypeExpr::Integer, ParameterLocation::Path) => true,
            (_, ParameterLocation::Path) => false,
            (TypeExpr::List(inner), ParameterLocation::Query) => scalar(inner),
            (other, ParameterLocation::Query) => scalar(other),
        };
        if !allowed {
            let what = match parameter.location {
                ParameterLocation::Path => "a path parameter must be `string` or `integer`",
                ParameterLocation::Query => "a query parameter must be a primitive, an enum, or a list of them",
            };
            self.push(file.error(format!("{path}.type"), format!("{what}, not `{ty}`")));
        }
        match (ty.is_list(), parameter.style) {
            (true, None) => self.push(file.error(path, "a list parameter needs a `style` saying how it is written").with_hint("Pipedrive joins lists with commas: `style: comma`")),
            (false, Some(_)) => self.push(file.error(format!("{path}.style"), format!("`style` applies to lists only, and this parameter is `{ty}`"))),
            _ => {}
        }
        if parameter.max_items.is_some() && !ty.is_list() {
            self.push(file.error(format!("{path}.max_items"), format!("`max_items` applies to lists only, and this parameter is `{ty}`")));
        }
        if (parameter.minimum.is_some() || parameter.maximum.is_some()) && !matches!(ty, TypeExpr::Integer | TypeExpr::Number) {
            self.push(file.error(path, format!("`minimum` and `maximum` apply to numbers only, and this parameter is `{ty}`")));
        }
        if let (Some(min), Some(max)) = (parameter.minimum, parameter.maximum) {
            if min > max {
                self.push(file.error(format!("{path}.minimum"), format!("`minimum` {min} is above `maximum` {max}")));
            }
        }
        if parameter.format.is_some() && ty != TypeExpr::String {
            self.push(file.error(format!("{path}.format"), format!("`format` applies to strings only, and this parameter is `{ty}`")));
        }
        if let Some(default) = &parameter.default {
            self.check_default(file, &format!("{path}.default"), &ty, default);
        }
    }

    fn check_default(&mut self, file: &LoadedFile, path: &str, ty: &TypeExpr, default: &serde_yaml::Value) {
        use serde_yaml::Value;
        let fits = match (ty, default) {
            (TypeExpr::String, Value::String(_)) => true,
            (TypeExpr::Integer, Value::Number(n)) => n.is_i64(),
            (TypeExpr::Number, Value::Number(_)) => true,
            (TypeExpr::Boolean | TypeExpr::Flag, Value::Bool(_)) => true,
            (TypeExpr::Named(name), Value::String(value)) => {
                let values = self.enum_values(name);
                if !values.contains(&value.as_str()) {
                    let mut diagnostic = file.error(path, format!("default `{value}` is not a value of enum `{name}`"));
                    if let Some(close) = closest(value, values.iter().copied()) {
                        diagnostic = diagnostic.with_hint(format!("did you mean `{close}`?"));
                    }
                    self.push(diagnostic);
                }
                return;
            }
            _ => false,
        };
        if !fits {
            self.push(file.error(path, format!("default {} does not fit the type `{ty}`", describe(default))));
        }
    }

    fn enum_values(&self, name: &str) -> Vec<&'a str> {
        self.schemas
            .get(name)
            .and_then(|(index, _)| self.files[*index].spec.schemas.get(name))
            .and_then(|schema| schema.values.as_ref())
            .map(|values| values.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    fn check_response(&mut self, file: &LoadedFile, path: &str, operation: &Operation) {
        let response = &operation.response;
        let at = format!("{path}.response");
        if !(200..300).contains(&response.status) {
            self.push(file.error(format!("{at}.status"), format!("success status {} is not a 2xx status", response.status)));
        }
        self.check_type(file, &format!("{at}.data"), &response.data);
        let paged = matches!(response.envelope, EnvelopeKind::CursorPage | EnvelopeKind::OffsetPage);
        if let Some(field) = &response.items_field {
            if !paged {
                self.push(file.error(format!("{at}.items_field"), "`items_field` applies to page envelopes only"));
            }
            if let Err(error) = names::snake(field) {
                self.push(file.error(format!("{at}.items_field"), error.0));
            }
        }
        let needs = match response.envelope {
            EnvelopeKind::CursorPage => Some(("cursor", TypeExpr::String, "cursor_page")),
            EnvelopeKind::OffsetPage => Some(("start", TypeExpr::Integer, "offset_page")),
            _ => None,
        };
        if let Some((name, ty, envelope)) = needs {
            let found = operation.parameters.get(name).filter(|p| p.location == ParameterLocation::Query);
            if found.and_then(|p| TypeExpr::parse(&p.ty).ok()) != Some(ty.clone()) {
                self.push(file.error(format!("{at}.envelope"), format!("envelope `{envelope}` needs a `{name}` query parameter of type `{ty}` to page with"))
                    .with_hint(format!("declare `{name}: {{in: query, type: {ty}, description: ...}}`, or use envelope `single`")));
            }
        }
    }

    fn check_type(&mut self, file: &LoadedFile, path: &str, text: &str) -> Option<TypeExpr> {
        let ty = match TypeExpr::parse(text) {
            Ok(ty) => ty,
            Err(message) => {
                self.push(file.error(path, message));
                return None;
            }
        };
        if let Some(name) = ty.named() {
            if !self.schemas.contains_key(name) {
                let mut diagnostic = file.error(path, format!("no schema is named `{name}`"));
                if let Some(close) = closest(name, self.schemas.keys().copied()) {
                    diagnostic = diagnostic.with_hint(format!("did you mean `{close}`?"));
                }
                self.push(diagnostic);
                return None;
            }
        }
        Some(ty)
    }

    fn check_schema(&mut self, file: &LoadedFile, name: &str, schema: &Schema) {
        let path = format!("schemas.{name}");
        self.check_name(file, &path, name, true);
        if RESERVED_TYPES.contains(&name) {
            self.push(file.error(&path, format!("schema name `{name}` would shadow the standard type the generated code uses"))
                .with_hint(format!("choose a more specific name, for example `Pipedrive{name}`")));
        }
        match (&schema.fields, &schema.values) {
            (Some(_), Some(_)) => self.push(file.error(&path, "a schema has either `fields` or `enum`, not both")),
            (None, None) => self.push(file.error(&path, "a schema needs `fields` (an object) or `enum` (a string enum)")),
            (Some(fields), None) => {
                if !schema.variant_names.is_empty() {
                    self.push(file.error(format!("{path}.variant_names"), "`variant_names` applies to enums only"));
                }
                let mut rust_names: BTreeMap<String, &str> = BTreeMap::new();
                for (wire, field) in fields {
                    let field_path = format!("{path}.fields.{wire}");
                    if let Some(rust) = self.derived_name(file, &field_path, wire, field.rust_name.as_deref(), false, "rust_name") {
                        if rust == RESERVED_FIELD {
                            self.push(file.error(&field_path, format!("field name `{rust}` is taken by the map of unlisted keys")).with_hint("give another Rust name with `rust_name`"));
                        } else if let Some(other) = rust_names.insert(rust.clone(), wire) {
                            self.push(file.error(&field_path, format!("fields `{other}` and `{wire}` both become the Rust name `{rust}`")));
                        }
                    }
                    if let Some(ty) = self.check_type(file, &format!("{field_path}.type"), &field.ty) {
                        if field.format.is_some() && ty != TypeExpr::String {
                            self.push(file.error(format!("{field_path}.format"), format!("`format` applies to strings only, and this field is `{ty}`")));
                        }
                    }
                }
            }
            (None, Some(values)) => {
                if values.is_empty() {
                    self.push(file.error(format!("{path}.enum"), "an enum needs at least one value"));
                }
                let mut rust_names: BTreeMap<String, &str> = BTreeMap::new();
                for (index, value) in values.iter().enumerate() {
                    let value_path = format!("{path}.enum[{index}]");
                    let explicit = schema.variant_names.get(value).map(String::as_str);
                    let Some(rust) = self.derived_name(file, &value_path, value, explicit, true, "variant_names") else { continue };
                    if rust == RESERVED_VARIANT {
                        self.push(file.error(&value_path, format!("variant name `{rust}` is taken by the variant for unknown values")).with_hint(format!("name it in `variant_names`, for example `{value}: {rust}Value`")));
                    } else if let Some(other) = rust_names.insert(rust.clone(), value) {
                        self.push(file.error(&value_path, format!("values `{other}` and `{value}` both become the Rust variant `{rust}`")));
                    }
                }
                for key in schema.variant_names.keys() {
                    if !values.contains(key) {
                        self.push(file.error(format!("{path}.variant_names.{key}"), format!("`{key}` is not a value of this enum")));
                    }
                }
            }
        }
    }

    /// A struct that contains itself through fields that are not lists or maps would
    /// have infinite size.
    fn check_cycles(&mut self) {
        let mut edges: IndexMap<&str, Vec<&str>> = IndexMap::new();
        for file in self.files {
            for (name, schema) in &file.spec.schemas {
                let direct = schema.fields.iter().flatten().filter_map(|(_, field)| match TypeExpr::parse(&field.ty) {
                    Ok(TypeExpr::Named(target)) if self.schemas.get(target.as_str()).map(|s| s.1) == Some(SchemaKind::Struct) => {
                        self.schemas.get_key_value(target.as_str()).map(|(k, _)| *k)
                    }
                    _ => None,
                });
                edges.insert(name.as_str(), direct.collect());
            }
        }
        for start in edges.keys() {
            // Report each cycle once, at the member whose name sorts first.
            if let Some(cycle) = find_cycle(&edges, start).filter(|cycle| cycle.iter().all(|name| start <= name)) {
                let (index, _) = self.schemas[*start];
                let file = &self.files[index];
                self.push(file.error(format!("schemas.{start}"), format!("schema `{start}` contains itself without a list or map in between: {}", cycle.join(" -> ")))
                    .with_hint("break the cycle with a `list<...>` or `map<...>` field, which can be empty"));
            }
        }
    }
}

/// The file name without directories and `.yaml`/`.yml`.
pub fn file_stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.strip_suffix(".yaml").or_else(|| base.strip_suffix(".yml")).unwrap_or(base)
}

fn find_cycle<'a>(edges: &IndexMap<&'a str, Vec<&'a str>>, start: &'a str) -> Option<Vec<&'a str>> {
    fn walk<'a>(edges: &IndexMap<&'a str, Vec<&'a str>>, start: &'a str, node: &'a str, trail: &mut Vec<&'a str>) -> bool {
        for next in edges.get(node).into_iter().flatten() {
            if *next == start {
                trail.push(next);
                return true;
            }
            if !trail.contains(next) {
                trail.push(next);
                if walk(edges, start, next, trail) {
                    return true;
                }
                trail.pop();
            }
        }
        false
    }
    let mut trail = vec![start];
    walk(edges, start, start, &mut trail).then_some(trail)
}

fn describe(value: &serde_yaml::Value) -> String {
    match value {
        serde_yaml::Value::String(s) => format!("`{s}` (a string)"),
        serde_yaml::Value::Number(n) => format!("`{n}` (a number)"),
        serde_yaml::Value::Bool(b) => format!("`{b}` (a boolean)"),
        serde_yaml::Value::Null => "`null`".to_owned(),
        _ => "a collection".to_owned(),
    }
}
