//! Models: one struct per object schema, one enum per enum schema, one newtype per id
//! and one enum per scalar union, each with its `Decode` and `Encode` impls (the
//! runtime's JSON reading and writing, one ordinary function each) and `Serialize` and
//! `Deserialize` impls that go through them.
//!
//! A struct keeps the keys it does not list in `extra`, reads and writes each field in
//! its own wire format (a v1 timestamp, a field that can be sent as null), checks the
//! bounds of a request body's fields before it is sent, and never lets `extra` send a
//! listed key twice. What the impls share is the runtime's (`runtime/wire.rs`), named
//! through the contract.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, format_doc, inner_doc, lines, prose};
use super::example::{Models, model_example};
use super::{MAX_ARGUMENTS, Receiver, ident, method_allows, model_type};
use crate::contract::{
    DECODE, DEFINITION_REF, DESERIALIZE, ENCODE, EXTRA, FIELD, FIELD_DEFINITION, FIELD_VALUE, FORM,
    FORM_WRITER, LIMITS, NULLABLE, OBJECT, READ, READER, REQUIRED, SCALAR, SERIALIZE, TIME_FORMAT,
    UNION, UNION_MEMBER, UNKNOWN, WORD, WRITER, WRITTEN,
};
use crate::ir;

/// A shared file's module: the models every resource may use.
pub(crate) fn emit_shared(file: &ir::ModelFile, all: &Models<'_>) -> TokenStream {
    let ir::ModelFile {
        source,
        module,
        models,
    } = file;
    let docs = inner_doc(&format!(
        "Models that several resources share, from {}. Always compiled, whichever resources' features are on.",
        code(source)
    ));
    emit_items(docs, models, module, all)
}

/// A resource's `models.rs`: the models its file defines.
pub(crate) fn emit_models(resource: &ir::Resource, all: &Models<'_>) -> TokenStream {
    let ir::Resource {
        source,
        module,
        models,
        handle: _,
        mock: _,
        description: _,
        operations: _,
        requires: _,
        upstream: _,
    } = resource;
    let docs = inner_doc(&format!(
        "The models of the {module} resource, from {}; re-exported by its module.",
        code(source)
    ));
    emit_items(docs, models, module, all)
}

fn emit_items(
    docs: TokenStream,
    models: &[ir::Model],
    module: &str,
    all: &Models<'_>,
) -> TokenStream {
    let items = models.iter().map(|model| {
        let example = model_example(model, module, all).map(|example| {
            let mut text = vec![String::new()];
            text.extend(example.into_iter().map(|line| format!(" {line}")));
            lines(&text)
        });
        emit_model(model, example)
    });
    quote! {
        #docs
        #![allow(clippy::type_complexity, reason = "the types are the API's own, however deeply it nests them")]
        #(#items)*
    }
}

/// A model's items; `example` is appended to its type's docs.
fn emit_model(model: &ir::Model, example: Option<TokenStream>) -> TokenStream {
    match model {
        ir::Model::Struct(model) => emit_struct(model, example),
        ir::Model::Enum(model) => emit_enum(model, example),
        ir::Model::Id(model) => emit_id(model, example),
        ir::Model::Union(model) => emit_union(model, example),
    }
}

/// The declared type of a field: `T` when required or custom fields (empty when absent),
/// `Nullable<T>` when it can be sent as null, `Option<T>` otherwise.
fn field_type(field: &ir::Field) -> TokenStream {
    let inner = model_type(&field.ty);
    if field.required || defaulted(field) {
        inner
    } else if field.three_state {
        quote!(#NULLABLE<#inner>)
    } else {
        quote!(Option<#inner>)
    }
}

/// A field a definition's impl reads as `Option<&str>`: a string, or an enum's `as_str`,
/// however the model holds it.
fn text(holder: TokenStream, member: &ir::Member) -> TokenStream {
    let ir::Member {
        rust,
        presence,
        string,
    } = member;
    let field = ident(rust);
    match (presence, string) {
        (ir::Presence::Required, _) => quote!(Some(#holder.#field.as_str())),
        (ir::Presence::Optional, true) => quote!(#holder.#field.as_deref()),
        (ir::Presence::Optional, false) => {
            quote!(#holder.#field.as_ref().map(|value| value.as_str()))
        }
        (ir::Presence::Nullable, true) => quote!(#holder.#field.value().map(String::as_str)),
        (ir::Presence::Nullable, false) => {
            quote!(#holder.#field.value().map(|value| value.as_str()))
        }
    }
}

/// Whether a field is never an `Option`, because its type's empty value stands for
/// absent: custom fields.
fn defaulted(field: &ir::Field) -> bool {
    field.ty == ir::Type::CustomFields
}

fn emit_struct(model: &ir::Struct, example: Option<TokenStream>) -> TokenStream {
    let ir::Struct {
        name,
        description,
        fields,
        has_default,
        upload,
        definition,
        upstream: _,
    } = model;
    let docs = doc(&prose(description));
    let type_name = ident(name);
    let field_items = fields.iter().map(emit_field);
    let default = has_default.then(|| quote!(Default,));
    let constructor = emit_constructor(fields, *upload);
    let setters = fields.iter().map(emit_setter);
    let custom_field = fields
        .iter()
        .find(|field| defaulted(field))
        .map(emit_custom_field);
    let definition = definition
        .as_ref()
        .map(|definition| emit_definition(&type_name, definition));
    // An upload is sent as a form and never read: it has no JSON, and no `extra`.
    let (extra, wire) = if *upload {
        (None, emit_form(model))
    } else {
        let encode = emit_encode(model);
        let decode = emit_decode(model);
        (
            Some(quote! {
                /// Keys the API sent that this model does not list, kept as they came. A key
                /// that is a field of its own cannot be sent from here: set the field.
                pub extra: #EXTRA,
            }),
            quote!(#encode #decode),
        )
    };
    quote! {
        #docs
        #example
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #type_name {
            #(#field_items)*
            #extra
        }

        impl #type_name {
            #constructor
            #(#setters)*
            #custom_field
        }

        #wire
        #definition
    }
}

/// `custom_field(code, value)`: sets one key of the model's custom fields.
fn emit_custom_field(field: &ir::Field) -> TokenStream {
    let name = ident(&field.rust);
    let docs = doc(&format!(
        "Sets the custom field `code` in `{}` to `value` (text, a number, a date, an option's id, a list of them, [`Money`](crate::Money), any JSON); [`FieldValue::NULL`](crate::FieldValue::NULL) or `None` sends null, which clears the field. A [`FieldIndex`](crate::FieldIndex) gives the code of a field's name.",
        field.rust
    ));
    quote! {
        #docs
        pub fn custom_field(mut self, code: impl Into<String>, value: impl Into<#FIELD_VALUE>) -> Self {
            self.#name.insert(code, value);
            self
        }
    }
}

/// `FieldDefinition` for a schema marked as a field definition: the fields the marker
/// names, each read as the model holds it.
fn emit_definition(type_name: &proc_macro2::Ident, definition: &ir::Definition) -> TokenStream {
    let ir::Definition {
        code,
        name,
        field_type,
        options,
        option_id,
        option_label,
    } = definition;
    let code = ident(code);
    let name = text(quote!(self), name);
    let field_type = text(quote!(self), field_type);
    let options = {
        let ir::Member {
            rust,
            presence,
            string: _,
        } = options;
        let field = ident(rust);
        match presence {
            ir::Presence::Required => quote!(self.#field.iter()),
            ir::Presence::Optional => quote!(self.#field.iter().flatten()),
            ir::Presence::Nullable => quote!(self.#field.value().into_iter().flatten()),
        }
    };
    let option_id = ident(option_id);
    let option_label = text(quote!(option), option_label);
    quote! {
        impl #FIELD_DEFINITION for #type_name {
            fn field_definition(&self) -> #DEFINITION_REF<'_> {
                let mut definition = #DEFINITION_REF::new(self.#code.as_str())
                    .name(#name)
                    .field_type(#field_type);
                for option in #options {
                    definition = definition.option(&option.#option_id, #option_label);
                }
                definition
            }
        }
    }
}

/// `Form` for an upload: a text part per field that is set, a file part per file.
fn emit_form(model: &ir::Struct) -> TokenStream {
    let ir::Struct {
        name,
        fields,
        description: _,
        has_default: _,
        upload: _,
        definition: _,
        upstream: _,
    } = model;
    let type_name = ident(name);
    let parts = fields.iter().map(|field| {
        let ir::Field {
            wire,
            rust,
            ty,
            required,
            three_state,
            bounds: _,
            nullable: _,
            description: _,
            format: _,
            upstream: _,
        } = field;
        let name = ident(rust);
        let write = match ty {
            ir::Type::File => quote!(form.file(#wire, value)),
            _ => quote!(form.text(#wire, value)),
        };
        if *required {
            quote! {
                let value = &self.#name;
                #write;
            }
        } else if *three_state {
            quote! {
                if let Some(value) = self.#name.value() {
                    #write;
                }
            }
        } else {
            quote! {
                if let Some(value) = &self.#name {
                    #write;
                }
            }
        }
    });
    quote! {
        impl #FORM for #type_name {
            fn form(&self, form: &mut #FORM_WRITER) {
                #(#parts)*
            }
        }
    }
}

fn emit_field(field: &ir::Field) -> TokenStream {
    let ir::Field {
        wire: _,
        rust,
        ty: _,
        required,
        nullable,
        three_state,
        description,
        format,
        upstream: _,
        bounds: _,
    } = field;
    let mut text = prose(description);
    if let Some(format) = format {
        text = format!("{text} {}", format_doc(*format));
    }
    if defaulted(field) {
        text.push_str(" Empty when the API sends none, and left out of a body while empty; see [`CustomFields`](crate::CustomFields).");
    } else if *three_state {
        text.push_str(" Left out unless set; set it to `None` to send null, which clears it.");
    } else if *nullable && *required {
        text.push_str(" May be null.");
    }
    let docs = doc(&text);
    let name = ident(rust);
    let ty = field_type(field);
    quote! {
        #docs
        pub #name: #ty,
    }
}

/// How a constructor or setter takes a value of `ty`, and the conversion that makes it
/// the stored one (`None` when it is stored as given).
fn argument(name: &proc_macro2::Ident, ty: &ir::Type) -> (TokenStream, Option<TokenStream>) {
    match ty {
        ir::Type::String
        | ir::Type::Timestamp(_)
        | ir::Type::Date
        | ir::Type::Id(..)
        | ir::Type::Union(_) => {
            let ty = model_type(ty);
            (quote!(impl Into<#ty>), Some(quote!(#name.into())))
        }
        ir::Type::List(inner) => {
            let inner = model_type(inner);
            (
                quote!(impl IntoIterator<Item = impl Into<#inner>>),
                Some(quote!(#name.into_iter().map(Into::into).collect())),
            )
        }
        other => (model_type(other), None),
    }
}

/// `new` with the required fields, for structs that have any.
fn emit_constructor(fields: &[ir::Field], upload: bool) -> Option<TokenStream> {
    let required: Vec<&ir::Field> = fields.iter().filter(|f| f.required).collect();
    if required.is_empty() {
        return None;
    }
    let params = required.iter().map(|field| {
        let name = ident(&field.rust);
        let (ty, _) = argument(&name, &field.ty);
        quote!(#name: #ty)
    });
    let inits = fields.iter().map(|field| {
        let name = ident(&field.rust);
        if field.required {
            match argument(&name, &field.ty) {
                (_, Some(value)) => quote!(#name: #value),
                (_, None) => quote!(#name),
            }
        } else {
            quote!(#name: Default::default())
        }
    });
    let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.rust)).collect();
    let docs = doc(&format!(
        "Creates a value from its required fields ({}); every other field is left out.",
        names.join(", ")
    ));
    let allows = (required.len() > MAX_ARGUMENTS)
        .then(|| quote!(#[allow(clippy::too_many_arguments, reason = "one argument per required field of the API's")]));
    let extra = (!upload).then(|| quote!(extra: #EXTRA::new(),));
    Some(quote! {
        #docs
        #allows
        pub fn new(#(#params),*) -> Self {
            Self {
                #(#inits,)*
                #extra
            }
        }
    })
}

/// A setter named after the field, taking anything that converts to its value.
fn emit_setter(field: &ir::Field) -> TokenStream {
    let ir::Field {
        rust,
        required,
        three_state,
        ty,
        wire: _,
        nullable: _,
        description: _,
        format: _,
        upstream: _,
        bounds: _,
    } = field;
    let name = ident(rust);
    let value = ident("value");
    let (arg, stored) = if *three_state {
        let inner = model_type(ty);
        (quote!(impl Into<#NULLABLE<#inner>>), quote!(value.into()))
    } else {
        let (arg, converted) = argument(&value, ty);
        let converted = converted.unwrap_or_else(|| quote!(value));
        (
            arg,
            if *required || defaulted(field) {
                converted
            } else {
                quote!(Some(#converted))
            },
        )
    };
    let docs = doc(&if *three_state {
        format!("Sets `{rust}`: a value, or `None` to send null and clear it.")
    } else {
        format!("Sets `{rust}`.")
    });
    let allows = method_allows(rust, Receiver::Value, 1);
    quote! {
        #docs
        #allows
        pub fn #name(mut self, value: #arg) -> Self {
            self.#name = #stored;
            self
        }
    }
}

/// The runtime's name for a timestamp field's wire format.
fn time_format(format: ir::TimeFormat) -> TokenStream {
    match format {
        ir::TimeFormat::Rfc3339 => quote!(#TIME_FORMAT::Rfc3339),
        ir::TimeFormat::V1 => quote!(#TIME_FORMAT::V1),
    }
}

/// `Encode`, which writes the fields in spec order and then `extra`, and `Serialize`,
/// which hands that JSON to any serializer.
fn emit_encode(model: &ir::Struct) -> TokenStream {
    let ir::Struct {
        name,
        fields,
        description: _,
        has_default: _,
        upload: _,
        definition: _,
        upstream: _,
    } = model;
    let type_name = ident(name);
    let members = fields.iter().map(|field| {
        let ir::Field {
            wire,
            rust,
            ty,
            required,
            three_state,
            bounds,
            nullable: _,
            description: _,
            format: _,
            upstream: _,
        } = field;
        let name = ident(rust);
        let limits = bounds.checks().then(|| {
            let ir::Bounds {
                minimum,
                maximum,
                max_items,
                default: _,
            } = bounds;
            let minimum = option(minimum.map(proc_macro2::Literal::i64_unsuffixed));
            let maximum = option(maximum.map(proc_macro2::Literal::i64_unsuffixed));
            let max_items =
                option(max_items.map(|n| proc_macro2::Literal::u64_unsuffixed(u64::from(n))));
            quote!(#LIMITS(#wire, &self.#name, #minimum, #maximum, #max_items)?;)
        });
        let write = match (ty, *required, *three_state) {
            (ir::Type::CustomFields, _, _) => quote!(object.custom_fields(#wire, &self.#name)?;),
            (ir::Type::Timestamp(format), true, _) => {
                let format = time_format(*format);
                quote!(object.time(#wire, &self.#name, #format)?;)
            }
            (ir::Type::Timestamp(format), false, true) => {
                let format = time_format(*format);
                quote!(object.nullable_time(#wire, &self.#name, #format)?;)
            }
            (ir::Type::Timestamp(format), false, false) => {
                let format = time_format(*format);
                quote!(object.option_time(#wire, &self.#name, #format)?;)
            }
            (_, true, _) => quote!(object.field(#wire, &self.#name)?;),
            (_, false, true) => quote!(object.nullable(#wire, &self.#name)?;),
            (_, false, false) => quote!(object.option(#wire, &self.#name)?;),
        };
        quote!(#limits #write)
    });
    let binding = if fields.is_empty() {
        quote!(let object)
    } else {
        quote!(let mut object)
    };
    quote! {
        impl #ENCODE for #type_name {
            fn encode(&self, writer: &mut #WRITER) -> #WRITTEN {
                #binding = writer.object(&self.extra);
                #(#members)*
                object.end()
            }
        }

        impl ::serde::Serialize for #type_name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #SERIALIZE(self, serializer)
            }
        }
    }
}

/// `Decode`, which reads each listed key into its slot and every other key into
/// `extra`, and `Deserialize`, which decodes what any deserializer holds.
fn emit_decode(model: &ir::Struct) -> TokenStream {
    let ir::Struct {
        name,
        fields,
        description: _,
        has_default: _,
        upload: _,
        definition: _,
        upstream: _,
    } = model;
    let type_name = ident(name);
    let slots = fields.iter().map(|field| {
        let slot = slot(field);
        let ty = field_type(field);
        quote!(let mut #slot: Option<#ty> = None;)
    });
    let arms = fields.iter().map(|field| {
        let slot = slot(field);
        let wire = &field.wire;
        quote!(#wire => #FIELD(reader, &mut #slot),)
    });
    let values = fields.iter().map(|field| {
        let ir::Field {
            wire,
            rust,
            required,
            three_state,
            ty: _,
            nullable: _,
            description: _,
            format: _,
            upstream: _,
            bounds: _,
        } = field;
        let name = ident(rust);
        let slot = slot(field);
        let value = if *required {
            quote!(#REQUIRED(#slot, #wire)?)
        } else if *three_state || defaulted(field) {
            quote!(#slot.unwrap_or_default())
        } else {
            quote!(#slot.flatten())
        };
        quote!(#name: #value,)
    });
    let read = if fields.is_empty() {
        quote!(let extra = #OBJECT(reader, |_, _| Ok(false))?;)
    } else {
        quote! {
            #(#slots)*
            let extra = #OBJECT(reader, |reader, key| match key {
                #(#arms)*
                _ => Ok(false),
            })?;
        }
    };
    quote! {
        impl #DECODE for #type_name {
            fn decode(reader: &mut #READER<'_>) -> #READ<Self> {
                #read
                Ok(Self {
                    #(#values)*
                    extra,
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #DESERIALIZE(deserializer)
            }
        }
    }
}

/// The local a field's value is read into; `field_` names cannot meet the closure's
/// own `reader` and `key`, or `extra`.
fn slot(field: &ir::Field) -> proc_macro2::Ident {
    quote::format_ident!("field_{}", field.rust)
}

fn emit_enum(model: &ir::Enum, example: Option<TokenStream>) -> TokenStream {
    let ir::Enum {
        name,
        description,
        kind,
        variants,
        upstream: _,
    } = model;
    let docs = doc(&format!(
        "{}\n\nValues this client does not know yet arrive as [`{name}::Other`] with the value as sent; only the client makes one, so it never stands for a known value.",
        prose(description)
    ));
    let type_name = ident(name);
    let variant_items = variants.iter().map(|variant| {
        let ir::Variant {
            rust,
            wire,
            code: _,
            description,
        } = variant;
        let text = match description {
            Some(description) => format!("{}: {}", code(wire), prose(description)),
            None => code(wire),
        };
        let docs = doc(&text);
        let rust = ident(rust);
        quote! { #docs #rust, }
    });
    let body = match kind {
        ir::EnumKind::String => emit_string_enum(&type_name, variants),
        ir::EnumKind::Integer => emit_code_enum(&type_name, variants),
    };
    let (derives, other) = match kind {
        ir::EnumKind::String => (
            quote!(#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]),
            quote! {
                /// A value this version of the client does not know, as the API sent it.
                Other(#UNKNOWN<String>),
            },
        ),
        ir::EnumKind::Integer => (
            quote!(#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]),
            quote! {
                /// A code this version of the client does not know, as the API sent it.
                Other(#UNKNOWN<i64>),
            },
        ),
    };
    quote! {
        #docs
        #example
        #derives
        #[non_exhaustive]
        pub enum #type_name {
            #(#variant_items)*
            #other
        }

        #body
    }
}

fn emit_string_enum(type_name: &proc_macro2::Ident, variants: &[ir::Variant]) -> TokenStream {
    let rust: Vec<proc_macro2::Ident> = variants.iter().map(|v| ident(&v.rust)).collect();
    let wire: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    quote! {
        impl #type_name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#rust => #wire,)*
                    Self::Other(value) => value.as_str(),
                }
            }

            fn known(value: &str) -> Option<Self> {
                match value {
                    #(#wire => Some(Self::#rust),)*
                    _ => None,
                }
            }
        }

        impl From<&str> for #type_name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::Other(#UNKNOWN::new(value.to_owned())))
            }
        }

        impl From<String> for #type_name {
            fn from(value: String) -> Self {
                match Self::known(&value) {
                    Some(known) => known,
                    None => Self::Other(#UNKNOWN::new(value)),
                }
            }
        }

        impl From<#type_name> for String {
            fn from(value: #type_name) -> Self {
                match value {
                    #type_name::Other(value) => value.into_inner(),
                    known => known.as_str().to_owned(),
                }
            }
        }

        impl ::std::fmt::Display for #type_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #DECODE for #type_name {
            fn decode(reader: &mut #READER<'_>) -> #READ<Self> {
                #WORD(reader, Self::known, |value| Self::Other(#UNKNOWN::new(value)))
            }
        }

        impl #ENCODE for #type_name {
            fn encode(&self, writer: &mut #WRITER) -> #WRITTEN {
                writer.str(self.as_str());
                Ok(())
            }
        }

        impl ::serde::Serialize for #type_name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #DESERIALIZE(deserializer)
            }
        }
    }
}

fn emit_code_enum(type_name: &proc_macro2::Ident, variants: &[ir::Variant]) -> TokenStream {
    let rust: Vec<proc_macro2::Ident> = variants.iter().map(|v| ident(&v.rust)).collect();
    let codes: Vec<proc_macro2::Literal> = variants
        .iter()
        .map(|v| proc_macro2::Literal::i64_unsuffixed(v.code.unwrap_or_default()))
        .collect();
    quote! {
        impl #type_name {
            /// The code as it is written on the wire.
            pub fn code(self) -> i64 {
                match self {
                    #(Self::#rust => #codes,)*
                    Self::Other(code) => code.into_inner(),
                }
            }

            /// The value of a code; one this client does not know is kept as `Other`.
            pub fn from_code(code: i64) -> Self {
                match code {
                    #(#codes => Self::#rust,)*
                    other => Self::Other(#UNKNOWN::new(other)),
                }
            }
        }

        impl From<i64> for #type_name {
            fn from(code: i64) -> Self {
                Self::from_code(code)
            }
        }

        impl From<#type_name> for i64 {
            fn from(value: #type_name) -> Self {
                value.code()
            }
        }

        impl ::std::fmt::Display for #type_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.code())
            }
        }

        impl #DECODE for #type_name {
            fn decode(reader: &mut #READER<'_>) -> #READ<Self> {
                reader.integer().map(Self::from_code)
            }
        }

        impl #ENCODE for #type_name {
            fn encode(&self, writer: &mut #WRITER) -> #WRITTEN {
                writer.integer(self.code());
                Ok(())
            }
        }

        impl ::serde::Serialize for #type_name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #DESERIALIZE(deserializer)
            }
        }
    }
}

/// `Some(value)` or `None`, as tokens.
fn option(value: Option<proc_macro2::Literal>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

/// A typed id: a newtype over an integer (`Copy`) or a string, converting from and into
/// its inner value, so that ids of different kinds do not mix.
fn emit_id(model: &ir::Id, example: Option<TokenStream>) -> TokenStream {
    let ir::Id {
        name,
        description,
        kind,
    } = model;
    let (plain, literal) = match kind {
        ir::IdKind::Integer => ("`i64`", "5"),
        ir::IdKind::String => ("`String`", "\"abc\""),
    };
    let docs = doc(&format!(
        "{}\n\nA typed id: it converts from and into {plain} with `From` (`{name}::from({literal})`, `{literal}.into()`) and compares with one (`id == {literal}`); an id of another kind is another type.",
        prose(description),
    ));
    let type_name = ident(name);
    let serde = quote! {
        impl ::serde::Serialize for #type_name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #DESERIALIZE(deserializer)
            }
        }

        impl ::std::fmt::Display for #type_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }
    };
    match kind {
        ir::IdKind::Integer => quote! {
            #docs
            #example
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub struct #type_name(i64);

            impl #type_name {
                /// The id of this number.
                pub const fn new(id: i64) -> Self {
                    Self(id)
                }

                /// The number.
                pub const fn get(self) -> i64 {
                    self.0
                }
            }

            impl From<i64> for #type_name {
                fn from(id: i64) -> Self {
                    Self(id)
                }
            }

            impl From<#type_name> for i64 {
                fn from(id: #type_name) -> Self {
                    id.0
                }
            }

            impl PartialEq<i64> for #type_name {
                fn eq(&self, other: &i64) -> bool {
                    self.0 == *other
                }
            }

            impl #DECODE for #type_name {
                fn decode(reader: &mut #READER<'_>) -> #READ<Self> {
                    reader.integer().map(Self)
                }
            }

            impl #ENCODE for #type_name {
                fn encode(&self, writer: &mut #WRITER) -> #WRITTEN {
                    writer.integer(self.0);
                    Ok(())
                }
            }

            #serde
        },
        ir::IdKind::String => quote! {
            #docs
            #example
            #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub struct #type_name(String);

            impl #type_name {
                /// The id of this text.
                pub fn new(id: impl Into<String>) -> Self {
                    Self(id.into())
                }

                /// The text.
                pub fn as_str(&self) -> &str {
                    &self.0
                }
            }

            impl From<String> for #type_name {
                fn from(id: String) -> Self {
                    Self(id)
                }
            }

            impl From<&str> for #type_name {
                fn from(id: &str) -> Self {
                    Self(id.to_owned())
                }
            }

            impl From<#type_name> for String {
                fn from(id: #type_name) -> Self {
                    id.0
                }
            }

            impl PartialEq<str> for #type_name {
                fn eq(&self, other: &str) -> bool {
                    self.0 == other
                }
            }

            impl PartialEq<&str> for #type_name {
                fn eq(&self, other: &&str) -> bool {
                    self.0 == *other
                }
            }

            impl #DECODE for #type_name {
                fn decode(reader: &mut #READER<'_>) -> #READ<Self> {
                    reader.string().map(Self)
                }
            }

            impl #ENCODE for #type_name {
                fn encode(&self, writer: &mut #WRITER) -> #WRITTEN {
                    writer.str(&self.0);
                    Ok(())
                }
            }

            #serde
        },
    }
}

/// A scalar union: a variant per member type, read by the kind of value that arrives.
fn emit_union(model: &ir::Union, example: Option<TokenStream>) -> TokenStream {
    let ir::Union {
        name,
        description,
        variants,
    } = model;
    let docs = doc(&prose(description));
    let type_name = ident(name);
    let rust_type = |variant: ir::UnionVariant| match variant {
        ir::UnionVariant::Integer => quote!(i64),
        ir::UnionVariant::Number => quote!(f64),
        ir::UnionVariant::String => quote!(String),
        ir::UnionVariant::Boolean => quote!(bool),
    };
    let items = variants.iter().map(|variant| {
        let name = ident(variant.name());
        let ty = rust_type(*variant);
        let docs = doc(&format!(
            "A value sent as {}.",
            match variant {
                ir::UnionVariant::Integer => "an integer",
                ir::UnionVariant::Number => "a number",
                ir::UnionVariant::String => "text",
                ir::UnionVariant::Boolean => "a boolean",
            }
        ));
        quote!(#docs #name(#ty),)
    });
    let members = variants.iter().map(|variant| {
        let name = ident(variant.name());
        quote!(#UNION_MEMBER::#name)
    });
    let decoded = variants.iter().map(|variant| {
        let name = ident(variant.name());
        quote!(#SCALAR::#name(value) => Ok(Self::#name(value)),)
    });
    let encoded = variants.iter().map(|variant| {
        let name = ident(variant.name());
        let write = match variant {
            ir::UnionVariant::Integer => quote!(writer.integer(*value)),
            ir::UnionVariant::Number => quote!(writer.number(*value)),
            ir::UnionVariant::String => quote!(writer.str(value)),
            ir::UnionVariant::Boolean => quote!(writer.bool(*value)),
        };
        quote!(Self::#name(value) => #write,)
    });
    let display = variants.iter().map(|variant| {
        let name = ident(variant.name());
        quote!(Self::#name(value) => ::std::fmt::Display::fmt(value, f),)
    });
    let conversions = variants.iter().map(|variant| {
        let name = ident(variant.name());
        let ty = rust_type(*variant);
        let from_str = (*variant == ir::UnionVariant::String).then(|| {
            quote! {
                impl From<&str> for #type_name {
                    fn from(value: &str) -> Self {
                        Self::#name(value.to_owned())
                    }
                }
            }
        });
        quote! {
            impl From<#ty> for #type_name {
                fn from(value: #ty) -> Self {
                    Self::#name(value)
                }
            }
            #from_str
        }
    });
    // The reader returns only the members it is asked for; the compiler does not know
    // that, so a union of fewer than every scalar type turns any other into a failure.
    let fallback = (variants.len() < 4).then(|| quote!(other => Err(other.unexpected()),));
    quote! {
        #docs
        #example
        #[derive(Debug, Clone, PartialEq)]
        pub enum #type_name {
            #(#items)*
        }

        #(#conversions)*

        impl ::std::fmt::Display for #type_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display)*
                }
            }
        }

        impl #DECODE for #type_name {
            fn decode(reader: &mut #READER<'_>) -> #READ<Self> {
                match #UNION(reader, &[#(#members),*])? {
                    #(#decoded)*
                    #fallback
                }
            }
        }

        impl #ENCODE for #type_name {
            fn encode(&self, writer: &mut #WRITER) -> #WRITTEN {
                match self {
                    #(#encoded)*
                }
                Ok(())
            }
        }

        impl ::serde::Serialize for #type_name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #SERIALIZE(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #DESERIALIZE(deserializer)
            }
        }
    }
}
