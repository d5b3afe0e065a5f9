//! Models: one struct per object schema, one enum per enum schema, each with the
//! `Serialize` and `Deserialize` impls written out.
//!
//! The impls are emitted rather than derived so that a struct keeps the keys it does not
//! list in `extra` without `#[serde(flatten)]` (which buffers every object first), each
//! field is read and written in its own wire format (a v1 timestamp, a `0`/`1` flag, a
//! field that can be sent as null), and `extra` can never send a listed key twice. The
//! pieces they share are the runtime's (`runtime/de.rs`), named through the contract.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, format_doc, inner_doc, prose};
use super::{MAX_ARGUMENTS, Receiver, ident, method_allows, model_type};
use crate::contract::{
    CODE, EXPECTING, EXTRA, EXTRA_BUILDER, FIELD, FLAG, NO_LISTED_KEYS, NULLABLE, OTHER, REQUIRED,
    TIME_FORMAT, WIRE_TIMESTAMP, WORD,
};
use crate::ir;

/// A model file: every model one spec file defines.
pub(crate) fn emit_model_file(file: &ir::ModelFile) -> TokenStream {
    let ir::ModelFile {
        source,
        module: _,
        models,
    } = file;
    let docs = inner_doc(&format!("Models of {}.", code(source)));
    let items = models.iter().map(emit_model);
    quote! {
        #docs
        #![allow(clippy::type_complexity, reason = "the types are the API's own, however deeply it nests them")]
        #(#items)*
    }
}

fn emit_model(model: &ir::Model) -> TokenStream {
    match model {
        ir::Model::Struct(model) => emit_struct(model),
        ir::Model::Enum(model) => emit_enum(model),
    }
}

/// The declared type of a field: `T` when required, `Nullable<T>` when it can be sent
/// as null, `Option<T>` otherwise.
fn field_type(field: &ir::Field) -> TokenStream {
    let inner = model_type(&field.ty);
    if field.required {
        inner
    } else if field.three_state {
        quote!(#NULLABLE<#inner>)
    } else {
        quote!(Option<#inner>)
    }
}

fn emit_struct(model: &ir::Struct) -> TokenStream {
    let ir::Struct {
        name,
        description,
        fields,
        has_default,
        upstream: _,
    } = model;
    let docs = doc(&prose(description));
    let type_name = ident(name);
    let field_items = fields.iter().map(emit_field);
    let default = has_default.then(|| quote!(Default,));
    let constructor = emit_constructor(fields);
    let setters = fields.iter().map(emit_setter);
    let serialize = emit_serialize(model);
    let deserialize = emit_deserialize(model);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        #[non_exhaustive]
        pub struct #type_name {
            #(#field_items)*
            /// Keys the API sent that this model does not list, kept as they came. A key
            /// that is a field of its own cannot be sent from here: set the field.
            pub extra: #EXTRA,
        }

        impl #type_name {
            #constructor
            #(#setters)*
        }

        #serialize
        #deserialize
    }
}

fn emit_field(field: &ir::Field) -> TokenStream {
    let ir::Field {
        wire: _,
        rust,
        key: _,
        ty: _,
        required,
        nullable,
        three_state,
        description,
        format,
        upstream: _,
    } = field;
    let mut text = prose(description);
    if let Some(format) = format {
        text = format!("{text} {}", format_doc(*format));
    }
    if *three_state {
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
        ir::Type::String | ir::Type::Timestamp(_) | ir::Type::Date => {
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
fn emit_constructor(fields: &[ir::Field]) -> Option<TokenStream> {
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
    Some(quote! {
        #docs
        #allows
        pub fn new(#(#params),*) -> Self {
            Self {
                #(#inits,)*
                extra: #EXTRA::new(),
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
        key: _,
        nullable: _,
        description: _,
        format: _,
        upstream: _,
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
            if *required {
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

/// A reference to a field's value as its wire format writes it.
fn wire_value(ty: &ir::Type, value: TokenStream) -> TokenStream {
    match ty {
        ir::Type::Timestamp(format) => {
            let format = time_format(*format);
            quote!(&#WIRE_TIMESTAMP(#value, #format))
        }
        _ => value,
    }
}

fn time_format(format: ir::TimeFormat) -> TokenStream {
    match format {
        ir::TimeFormat::Rfc3339 => quote!(#TIME_FORMAT::Rfc3339),
        ir::TimeFormat::V1 => quote!(#TIME_FORMAT::V1),
    }
}

fn emit_serialize(model: &ir::Struct) -> TokenStream {
    let ir::Struct {
        name,
        fields,
        description: _,
        has_default: _,
        upstream: _,
    } = model;
    let type_name = ident(name);
    let listed: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let entries = fields.iter().map(|field| {
        let ir::Field {
            wire,
            rust,
            ty,
            required,
            three_state,
            key: _,
            nullable: _,
            description: _,
            format: _,
            upstream: _,
        } = field;
        let name = ident(rust);
        if *required {
            let value = wire_value(ty, quote!(&self.#name));
            quote!(map.serialize_entry(#wire, #value)?;)
        } else if *three_state {
            let value = wire_value(ty, quote!(value));
            quote! {
                match &self.#name {
                    #NULLABLE::Absent => {}
                    #NULLABLE::Null => map.serialize_entry(#wire, &())?,
                    #NULLABLE::Value(value) => map.serialize_entry(#wire, #value)?,
                }
            }
        } else {
            let value = wire_value(ty, quote!(value));
            quote! {
                if let Some(value) = &self.#name {
                    map.serialize_entry(#wire, #value)?;
                }
            }
        }
    });
    quote! {
        impl ::serde::Serialize for #type_name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                #NO_LISTED_KEYS::<S>(&self.extra, &[#(#listed),*])?;
                let mut map = serializer.serialize_map(None)?;
                #(#entries)*
                for (key, value) in &self.extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// The type a field's value is read as, when it differs from the field's own: flags are
/// read as `Flag` (which takes `0`/`1`), also inside lists and maps.
fn wire_type(ty: &ir::Type) -> Option<TokenStream> {
    match ty {
        ir::Type::Flag => Some(quote!(#FLAG)),
        ir::Type::List(inner) => wire_type(inner).map(|inner| quote!(Vec<#inner>)),
        ir::Type::Map(inner) => {
            wire_type(inner).map(|inner| quote!(::std::collections::BTreeMap<String, #inner>))
        }
        _ => None,
    }
}

/// The expression that turns a value read as `wire_type(ty)` into the field's type.
fn from_wire(ty: &ir::Type, value: TokenStream) -> TokenStream {
    match ty {
        ir::Type::Flag => quote!(#value.get()),
        ir::Type::List(inner) if wire_type(inner).is_some() => {
            let item = from_wire(inner, quote!(item));
            quote!(#value.into_iter().map(|item| #item).collect())
        }
        ir::Type::Map(inner) if wire_type(inner).is_some() => {
            let item = from_wire(inner, quote!(item));
            quote!(#value.into_iter().map(|(key, item)| (key, #item)).collect())
        }
        _ => value,
    }
}

fn emit_deserialize(model: &ir::Struct) -> TokenStream {
    let ir::Struct {
        name,
        fields,
        description: _,
        has_default: _,
        upstream: _,
    } = model;
    let type_name = ident(name);
    let path = quote!(crate::models::#type_name);
    if fields.is_empty() {
        return emit_deserialize_keys_only(&type_name, name);
    }
    let keys: Vec<proc_macro2::Ident> = fields.iter().map(|f| ident(&f.key)).collect();
    let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let slots = fields.iter().map(|field| {
        let name = slot(field);
        let read = wire_type(&field.ty).unwrap_or_else(|| model_type(&field.ty));
        let read = if field.required {
            read
        } else {
            quote!(Option<#read>)
        };
        quote!(let mut #name: Option<#read> = None;)
    });
    let arms = fields.iter().zip(&keys).map(|(field, key)| {
        let name = slot(field);
        let wire = &field.wire;
        quote!(Key::#key => #FIELD(&mut map, &mut #name, #wire)?,)
    });
    let values = fields.iter().map(|field| {
        let ir::Field {
            wire,
            rust,
            ty,
            required,
            three_state,
            key: _,
            nullable: _,
            description: _,
            format: _,
            upstream: _,
        } = field;
        let name = ident(rust);
        let slot = slot(field);
        let converts = wire_type(ty).is_some();
        let value = if *required {
            from_wire(ty, quote!(#REQUIRED(#slot, #wire)?))
        } else if *three_state {
            let present = if converts {
                from_wire(ty, quote!(value))
            } else {
                quote!(value)
            };
            quote!(match #slot {
                None => #NULLABLE::Absent,
                Some(None) => #NULLABLE::Null,
                Some(Some(value)) => #NULLABLE::Value(#present),
            })
        } else if converts {
            let present = from_wire(ty, quote!(value));
            quote!(#slot.flatten().map(|value| #present))
        } else {
            quote!(#slot.flatten())
        };
        quote!(#name: #value,)
    });
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #[allow(clippy::enum_variant_names, reason = "the variants are the struct's field names")]
                enum Key {
                    #(#keys,)*
                    Other(String),
                }

                impl<'de> ::serde::Deserialize<'de> for Key {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        #WORD(
                            deserializer,
                            |key| match key {
                                #(#wires => Some(Key::#keys),)*
                                _ => None,
                            },
                            Key::Other,
                        )
                    }
                }

                struct Fields;

                impl<'de> ::serde::de::Visitor<'de> for Fields {
                    type Value = #path;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        #EXPECTING(f, #name)
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#path, A::Error> {
                        #(#slots)*
                        let mut extra = #EXTRA_BUILDER::default();
                        while let Some(key) = map.next_key::<Key>()? {
                            match key {
                                #(#arms)*
                                Key::Other(key) => #OTHER(&mut map, &mut extra, key)?,
                            }
                        }
                        Ok(#path {
                            #(#values)*
                            extra: extra.finish(),
                        })
                    }
                }

                deserializer.deserialize_map(Fields)
            }
        }
    }
}

/// `Deserialize` for a struct without fields: every key goes to `extra`.
fn emit_deserialize_keys_only(type_name: &proc_macro2::Ident, name: &str) -> TokenStream {
    let path = quote!(crate::models::#type_name);
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Fields;

                impl<'de> ::serde::de::Visitor<'de> for Fields {
                    type Value = #path;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        #EXPECTING(f, #name)
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<#path, A::Error> {
                        let mut extra = #EXTRA_BUILDER::default();
                        while let Some(key) = map.next_key::<String>()? {
                            #OTHER(&mut map, &mut extra, key)?;
                        }
                        Ok(#path { extra: extra.finish() })
                    }
                }

                deserializer.deserialize_map(Fields)
            }
        }
    }
}

/// The local a field's value is read into; `field_` names cannot meet the visitor's own
/// `map`, `key` and `extra`.
fn slot(field: &ir::Field) -> proc_macro2::Ident {
    quote::format_ident!("field_{}", field.rust)
}

fn emit_enum(model: &ir::Enum) -> TokenStream {
    let ir::Enum {
        name,
        description,
        kind,
        variants,
        upstream: _,
    } = model;
    let docs = doc(&format!(
        "{}\n\nValues this client does not know yet arrive as [`{name}::Other`] with the value as sent.",
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
                Other(String),
            },
        ),
        ir::EnumKind::Integer => (
            quote!(#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]),
            quote! {
                /// A code this version of the client does not know, as the API sent it.
                Other(i64),
            },
        ),
    };
    quote! {
        #docs
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
                    Self::Other(value) => value,
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
                Self::known(value).unwrap_or_else(|| Self::Other(value.to_owned()))
            }
        }

        impl From<String> for #type_name {
            fn from(value: String) -> Self {
                match Self::known(&value) {
                    Some(known) => known,
                    None => Self::Other(value),
                }
            }
        }

        impl From<#type_name> for String {
            fn from(value: #type_name) -> Self {
                match value {
                    #type_name::Other(value) => value,
                    known => known.as_str().to_owned(),
                }
            }
        }

        impl ::std::fmt::Display for #type_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #type_name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #WORD(deserializer, Self::known, Self::Other)
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
                    Self::Other(code) => code,
                }
            }

            /// The value of a code; one this client does not know is kept as `Other`.
            pub fn from_code(code: i64) -> Self {
                match code {
                    #(#codes => Self::#rust,)*
                    other => Self::Other(other),
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

        impl ::serde::Serialize for #type_name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #type_name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #CODE(deserializer, Self::from_code)
            }
        }
    }
}
