//! A typed async client for the Pipedrive CRM API.
//!
//! One module per resource of the API (`pipedrive::organizations`, behind the cargo
//! feature of its name) holds its endpoints and models, and [`common`] the models
//! several resources share; they are generated from the hand-curated description in
//! the repository's `spec/` folder by `cargo xtask generate`. The rest of the crate
//! (the client, errors, pages) is written by hand. The crate's README follows: a quickstart, and what the client
//! guarantees in production.
//!
#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
compile_error!(
    "pipedrive needs a TLS backend: enable the `rustls` (default) or the `native-tls` feature"
);

mod runtime;

#[rustfmt::skip]
mod api;

pub use api::*;
pub use runtime::{
    ApiError, Client, ClientBuilder, CursorPage, CustomField, CustomFieldError, CustomFields,
    DEFAULT_OAUTH_SERVER, DEFAULT_TOKEN_URL, Date, DecodeError, DefinitionRef, Error, Extra,
    ExtraIter, FieldDefinition, FieldIndex, FieldValue, File, HttpMethod, IndexedField, ItemError,
    Lenient, Money, Nullable, OAuth, OAuthApp, OAuthTokens, OffsetPage, OffsetPagination,
    Operation, RateLimit, RateLimitError, RateLimitScope, RawRequest, Response, ResponseMeta,
    RetryPolicy, Timestamp, TokenKind, Unknown, WithAdditional,
};
pub use runtime::{FromJson, JsonError, ToJson};

/// Typed fakes of Pipedrive for tests, behind the `mock` feature: a loopback server that
/// every operation can be expected on and answered through, with the API's own types.
#[cfg(feature = "mock")]
pub use runtime::mock;

/// The time crate the API's timestamps and dates are typed with, re-exported so callers
/// use the same version.
pub use jiff;
/// The HTTP client underneath, re-exported so a caller configuring one for
/// [`ClientBuilder::http_client`] uses the same version.
pub use reqwest;
/// The URL type of [`Client::base_url`], re-exported so callers use the same version.
pub use url;
