//! Schemas marked as field definitions (`field_definition:`): the model of such a schema
//! implements the runtime's `FieldDefinition`, which a field index reads a field's code,
//! name, type and options through. The marker names the fields that hold them; each must
//! be a field of the schema (the option's id and label, of the options' schema) of a type
//! the generated impl can read.
//!
//! This runs once every schema is checked, since the options' schema may be another
//! file's; a schema that failed its own checks is not looked at again.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostics};
use crate::ir::{EnumKind, IdKind, Type, TypeName};
use crate::load::LoadedFile;
use crate::load::spec::DefinitionFields;

use super::{CheckedDefinition, CheckedField, CheckedFile, CheckedSchema, CheckedSchemaKind};

/// Checks every marked schema and records, in each that passes, what the index reads.
pub(super) fn check(
    files: &[LoadedFile],
    checked: &mut [CheckedFile<'_>],
    diagnostics: &mut Diagnostics,
) {
    let mut found = Vec::new();
    {
        let schemas: BTreeMap<TypeName, &CheckedSchema<'_>> = checked
            .iter()
            .filter_map(|file| Some((file.module.as_ref()?, &file.schemas)))
            .flat_map(|(module, schemas)| {
                schemas.iter().map(move |schema| {
                    let name = TypeName {
                        module: module.clone(),
                        name: schema.name.to_owned(),
                    };
                    (name, schema)
                })
            })
            .collect();
        for (file, checked_file) in checked.iter().enumerate() {
            for (at, schema) in checked_file.schemas.iter().enumerate() {
                let Some(marker) = &schema.spec.field_definition else {
                    continue;
                };
                let mut check = Check {
                    file: &files[file],
                    path: format!("schemas.{}.field_definition", schema.name),
                    schemas: &schemas,
                    diagnostics,
                };
                if let Some(definition) = check.definition(schema, marker) {
                    found.push((file, at, definition));
                }
            }
        }
    }
    for (file, at, definition) in found {
        checked[file].schemas[at].definition = Some(definition);
    }
}

/// What the check of one marked schema needs.
struct Check<'c, 's> {
    file: &'c LoadedFile,
    /// The marker's YAML path.
    path: String,
    schemas: &'c BTreeMap<TypeName, &'c CheckedSchema<'s>>,
    diagnostics: &'c mut Diagnostics,
}

impl<'s> Check<'_, 's> {
    fn report(&mut self, role: &str, message: String, hint: Option<&str>) {
        let mut diagnostic = self.file.error(
            Code::FieldDefinition,
            format!("{}.{role}", self.path),
            message,
        );
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.diagnostics.push(diagnostic);
    }

    fn definition(
        &mut self,
        schema: &CheckedSchema<'s>,
        marker: &DefinitionFields,
    ) -> Option<CheckedDefinition> {
        let CheckedSchemaKind::Struct(fields) = &schema.kind else {
            self.diagnostics.push(self.file.error(
                Code::FieldDefinition,
                self.path.clone(),
                format!(
                    "`field_definition` applies to object schemas, and `{}` is not one",
                    schema.name
                ),
            ));
            return None;
        };
        let code = self.member(schema.name, fields, "code", &marker.code);
        let name = self.member(schema.name, fields, "name", &marker.name);
        let field_type = self.member(schema.name, fields, "type", &marker.ty);
        let options = self.member(schema.name, fields, "options", &marker.options);
        let code = code.filter(|&at| {
            let field = &fields[at];
            let fits = field.spec.required
                && matches!(field.ty, Type::String | Type::Id(_, IdKind::String));
            if !fits {
                self.wrong("code", field, "a required `string` or string id");
            }
            fits
        });
        let name = name.filter(|&at| self.fits("name", &fields[at], "a `string`", is_string));
        let field_type = field_type.filter(|&at| {
            let field = &fields[at];
            let fits = is_string(&field.ty) || self.is_string_enum(&field.ty);
            if !fits {
                self.wrong("type", field, "a `string` or a string enum");
            }
            fits
        });
        let item = options.and_then(|at| {
            let field = &fields[at];
            match &field.ty {
                Type::List(item) => match &**item {
                    Type::Struct(item) => Some(item.clone()),
                    _ => None,
                },
                _ => None,
            }
            .or_else(|| {
                self.wrong("options", field, "a `list` of an object schema");
                None
            })
        });
        // The options' schema failed its own checks, which reported it.
        let schemas = self.schemas;
        let item_schema = item.as_ref().and_then(|item| schemas.get(item).copied());
        let (option_id, option_label) = match item_schema {
            Some(CheckedSchema {
                name: item_name,
                kind: CheckedSchemaKind::Struct(item_fields),
                ..
            }) => {
                let id = self.member(item_name, item_fields, "option_id", &marker.option_id);
                let label =
                    self.member(item_name, item_fields, "option_label", &marker.option_label);
                let id = id.filter(|&at| {
                    let field = &item_fields[at];
                    let fits = field.spec.required
                        && matches!(
                            field.ty,
                            Type::Integer | Type::String | Type::Id(..) | Type::Union(_)
                        );
                    if !fits {
                        self.wrong(
                            "option_id",
                            field,
                            "a required `integer`, `string`, typed id or scalar union",
                        );
                    }
                    fits
                });
                let label = label.filter(|&at| {
                    self.fits("option_label", &item_fields[at], "a `string`", is_string)
                });
                (id, label)
            }
            _ => (None, None),
        };
        Some(CheckedDefinition {
            code: code?,
            name: name?,
            field_type: field_type?,
            options: options?,
            item: item?,
            option_id: option_id?,
            option_label: option_label?,
        })
    }

    /// The index of the field `wire` of schema `schema`, which the marker's `role` names.
    fn member(
        &mut self,
        schema: &str,
        fields: &[CheckedField<'_>],
        role: &str,
        wire: &str,
    ) -> Option<usize> {
        let found = fields.iter().position(|field| field.wire == wire);
        if found.is_none() {
            let hint = crate::diagnostic::closest(wire, fields.iter().map(|field| field.wire))
                .map(|close| format!("did you mean `{close}`?"));
            self.report(
                role,
                format!("schema `{schema}` has no field `{wire}`"),
                hint.as_deref(),
            );
        }
        found
    }

    fn fits(
        &mut self,
        role: &str,
        field: &CheckedField<'_>,
        expected: &str,
        test: fn(&Type) -> bool,
    ) -> bool {
        let fits = test(&field.ty);
        if !fits {
            self.wrong(role, field, expected);
        }
        fits
    }

    fn wrong(&mut self, role: &str, field: &CheckedField<'_>, expected: &str) {
        let presence = if field.spec.required {
            "a required"
        } else {
            "an optional"
        };
        self.report(
            role,
            format!(
                "the field index reads `{}` as {expected}, and it is {presence} `{}`",
                field.wire,
                field.spec.ty.trim()
            ),
            None,
        );
    }

    fn is_string_enum(&self, ty: &Type) -> bool {
        let Type::Enum(name) = ty else { return false };
        matches!(
            self.schemas.get(name),
            Some(CheckedSchema {
                kind: CheckedSchemaKind::Enum(EnumKind::String, _),
                ..
            })
        )
    }
}

/// Text without a format: a format makes a string a time or a date.
fn is_string(ty: &Type) -> bool {
    *ty == Type::String
}
