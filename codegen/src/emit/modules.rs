//! `api/mod.rs`, the module that ties the generated files together: one module per
//! shared file, always compiled, and one per resource, behind the resource's feature.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc, inner_doc, prose};
use super::ident;
use crate::ir;

/// `api/mod.rs`.
pub(crate) fn emit_api_mod(api: &ir::Api) -> TokenStream {
    let ir::Api {
        name,
        description,
        versions,
        resources,
        shared,
    } = api;
    let mut text = format!(
        "The {} API as described in `spec/`: one module per resource, each behind the cargo feature of its name, and the shared models.\n\n{}",
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
    let shared = shared.iter().map(|file| {
        let ir::ModelFile {
            module,
            source,
            models: _,
        } = file;
        let docs = doc(&format!(
            "Models several resources share, from {}.",
            code(source)
        ));
        let module = ident(module);
        quote! {
            #docs
            pub mod #module;
        }
    });
    let modules = resources.iter().map(|resource| {
        let ir::Resource {
            module,
            description,
            source: _,
            handle: _,
            mock: _,
            operations: _,
            models: _,
            requires: _,
            upstream: _,
        } = resource;
        let feature = module.as_str();
        let docs = doc(&format!(
            "{}\n\nBehind the cargo feature {}.",
            prose(description),
            code(feature)
        ));
        let module = ident(module);
        quote! {
            #docs
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            pub mod #module;
        }
    });
    quote! {
        #docs
        #(#shared)*
        #(#modules)*
    }
}
