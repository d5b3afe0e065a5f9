//! The module files that tie the generated files together.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, inner_doc, prose};
use super::ident;
use crate::ir;

/// `api/mod.rs`: one module per resource, and the models.
pub(crate) fn emit_api_mod(api: &ir::Api) -> TokenStream {
    let ir::Api {
        name,
        description,
        versions,
        resources,
        model_files: _,
    } = api;
    let mut text = format!(
        "The {} API as described in `spec/`: one module per resource, and the models.\n\n{}",
        prose(name),
        prose(description)
    );
    for ir::Version {
        name,
        prefix,
        description,
    } in versions
    {
        text.push_str(&format!(
            "\n\nAPI {}, under {}: {}",
            code(name),
            code(prefix),
            prose(description)
        ));
    }
    let docs = inner_doc(&text);
    let modules = resources.iter().map(|resource| {
        let ir::Resource {
            module,
            description,
            source: _,
            handle: _,
            mock: _,
            operations: _,
            upstream: _,
        } = resource;
        let module = ident(module);
        let docs = doc(&prose(description));
        quote! {
            #docs
            pub mod #module;
        }
    });
    quote! {
        #docs
        pub mod models;
        #(#modules)*
    }
}

/// `api/models/mod.rs`: every model file, re-exported flat.
pub(crate) fn emit_models_mod(api: &ir::Api) -> TokenStream {
    let modules = api.model_files.iter().map(|file| {
        let ir::ModelFile {
            module,
            source: _,
            models: _,
        } = file;
        let module = ident(module);
        quote! {
            mod #module;
            pub use self::#module::*;
        }
    });
    quote! {
        #![doc = " Request and response models: every schema of `spec/`, in one namespace."]
        #(#modules)*
    }
}
