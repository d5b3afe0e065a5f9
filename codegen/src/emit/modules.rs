//! The module files that tie the generated files together.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, inner_doc};
use crate::ir;

/// `api/mod.rs`: one module per resource, and the models.
pub fn emit_api_mod(api: &ir::Api) -> TokenStream {
    let ir::Api { name, description, resources, model_files: _ } = api;
    let docs = inner_doc(&format!(
        "The {name} API as described in `spec/`: one module per resource, and the models.\n\n{description}"
    ));
    let modules = resources.iter().map(|resource| {
        let module = ident(&resource.module);
        let docs = doc(&resource.description);
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
pub fn emit_models_mod(api: &ir::Api) -> TokenStream {
    let modules = api.model_files.iter().map(|file| {
        let module = ident(&file.module);
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
