//! The contract between emitted code and the hand-written runtime of the generated
//! crate (`generated/src/runtime/`): every runtime item emitted code may use, and every
//! name the runtime already takes, so that a spec cannot shadow it.
//!
//! Emitters never spell a runtime path themselves: they interpolate the constants here
//! (`quote!(#REQUEST::new(...))`). `tests/tests/contract.rs` reads the runtime's source
//! with `syn` and fails when it and these lists differ.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// A public runtime item, re-exported at the crate root: emitted as `crate::Name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Root(pub &'static str);

/// A crate-private runtime item of `runtime::support`: emitted as
/// `crate::runtime::support::name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Support(pub &'static str);

impl Support {
    /// The item's path as text, for attributes that take one (`deserialize_with`).
    pub fn path(&self) -> String {
        format!("crate::runtime::support::{}", self.0)
    }
}

impl ToTokens for Root {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = quote::format_ident!("{}", self.0);
        tokens.extend(quote!(crate::#name));
    }
}

impl ToTokens for Support {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = quote::format_ident!("{}", self.0);
        tokens.extend(quote!(crate::runtime::support::#name));
    }
}

/// The client every resource handle borrows.
pub const CLIENT: Root = Root("Client");
/// The error every call returns.
pub const ERROR: Root = Root("Error");
/// A decoded response with its metadata.
pub const RESPONSE: Root = Root("Response");
/// A page of a cursor-paginated list.
pub const CURSOR_PAGE: Root = Root("CursorPage");
/// A page of an offset-paginated list.
pub const OFFSET_PAGE: Root = Root("OffsetPage");
/// The facts of an operation, each builder's `OPERATION`.
pub const OPERATION: Root = Root("Operation");
/// The HTTP method of an operation.
pub const HTTP_METHOD: Root = Root("HttpMethod");

/// Every name the crate root re-exports from the runtime, sorted.
pub const ROOT_EXPORTS: &[&str] = &[
    "ApiError",
    "Client",
    "ClientBuilder",
    "CursorPage",
    "DEFAULT_TOKEN_URL",
    "DecodeError",
    "Error",
    "HttpMethod",
    "OAuth",
    "OAuthTokens",
    "OffsetPage",
    "OffsetPagination",
    "Operation",
    "RateLimit",
    "RateLimitError",
    "RateLimitScope",
    "Response",
    "ResponseMeta",
    "RetryPolicy",
];

/// The request a builder fills in.
pub const REQUEST: Support = Support("Request");
/// The trait of a page's `data` when the items sit inside an object.
pub const PAGE_DATA: Support = Support("PageData");
/// Sends and decodes `{"success": true, "data": T}`.
pub const SINGLE: Support = Support("single");
/// Sends and decodes a body that is the data itself.
pub const PLAIN: Support = Support("plain");
/// Sends and decodes a cursor page.
pub const CURSOR_PAGE_CALL: Support = Support("cursor_page");
/// Sends and decodes an offset page.
pub const OFFSET_PAGE_CALL: Support = Support("offset_page");
/// The lazy stream of every page.
pub const PAGES: Support = Support("pages");
/// The items of a stream of pages.
pub const ITEMS: Support = Support("items");
/// Decodes a required `flag`.
pub const FLAG: Support = Support("flag");
/// Decodes an optional `flag`.
pub const OPTIONAL_FLAG: Support = Support("optional_flag");

/// Every item of `runtime::support`, sorted.
pub const SUPPORT: &[Support] =
    &[PAGE_DATA, REQUEST, CURSOR_PAGE_CALL, FLAG, ITEMS, OFFSET_PAGE_CALL, OPTIONAL_FLAG, PAGES, PLAIN, SINGLE];

/// The modules at the crate root besides the generated resources: a resource with one
/// of these names would be shadowed by it.
pub const ROOT_MODULES: &[&str] = &["api", "models", "runtime"];

/// The inherent methods the runtime defines on `Client`; a resource accessor with one
/// of these names would collide with it.
pub const CLIENT_METHODS: &[&str] = &["base_url", "builder", "new"];

/// Names from the standard prelude that emitted code uses unqualified; a generated type
/// with one of these names would shadow it in its module.
pub const PRELUDE_TYPES: &[&str] = &[
    "Box", "Clone", "Copy", "Debug", "Default", "Err", "From", "Into", "IntoIterator", "None", "Ok", "Option",
    "PartialEq", "Result", "Self", "Send", "Some", "String", "Sync", "ToString", "Vec",
];
