#![doc = include_str!("../README.md")]
//!
//! ## How the crate is made
//!
//! Each resource's module (its endpoints, models and mock) is generated from a
//! hand-curated description of the API, the `spec/` folder of the crate's repository;
//! the client underneath (transport, OAuth, retries, pacing, pages, errors) is written
//! by hand.
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
