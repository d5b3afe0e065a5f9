//! What list operations add to their builder: the page streams.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, model_type};
use crate::contract::{CURSOR_PAGE, ERROR, ITEMS, OFFSET_PAGE, PAGES, RESPONSE};
use crate::ir;

/// `pages` and `all_items` on the builder of a list operation.
pub(super) fn emit_streams(page: &ir::Page) -> TokenStream {
    let ir::Page {
        kind,
        item,
        position,
        items_field: _,
    } = page;
    let item = model_type(item);
    let page = match kind {
        ir::PageKind::Cursor => quote!(#CURSOR_PAGE<#item>),
        ir::PageKind::Offset => quote!(#OFFSET_PAGE<#item>),
    };
    let position = ident(position);
    // An offset is `Copy`; a cursor is cloned.
    let start = match kind {
        ir::PageKind::Cursor => quote!(self.#position.clone()),
        ir::PageKind::Offset => quote!(self.#position),
    };
    quote! {
        /// Every page, starting from this request's own position. Lazy: no request is
        /// sent until the stream is polled, and each next page only when it is asked for.
        /// The stream ends after the last page or the first error.
        pub fn pages(self) -> impl ::futures::Stream<Item = Result<#RESPONSE<#page>, #ERROR>> + 'static {
            let start = #start;
            #PAGES(&Self::OPERATION, self, start, |mut request: Self, next| {
                if let Some(next) = next {
                    request.#position = Some(next);
                }
                request.send()
            })
        }

        /// Every item of every page, in order; see [`pages`](Self::pages). An item that
        /// did not decode is an [`Error::Item`](crate::Error::Item) in its place, and the
        /// stream goes on; any other error ends it.
        pub fn all_items(self) -> impl ::futures::Stream<Item = Result<#item, #ERROR>> + 'static {
            #ITEMS(self.pages())
        }
    }
}
