//! The hand-written runtime every generated operation stands on: the client and its
//! configuration, authentication, the attempt loop with retries and pacing, decoding,
//! errors and pages. Nothing here depends on `spec/`: no item names a resource or an
//! operation.
//!
//! Generated code (`src/api/`) uses the public types through their re-exports at the
//! crate root and everything else through [`support`], the one module that says what
//! generated code may call. `codegen/src/contract.rs` lists the same names, and a test
//! keeps the two in step.
//!
//! No arithmetic here can overflow, whatever number a server sends: the lint below
//! refuses `+`, `-`, `*` and friends on integers and durations outside tests, so every
//! sum is a `checked_` or `saturating_` one.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

mod additional;
mod auth;
mod body;
mod builder;
mod client;
mod custom_fields;
mod decode;
mod error;
mod extra;
mod field_index;
mod file;
mod form;
mod json;
mod limiter;
#[cfg(feature = "mock")]
pub mod mock;
mod nullable;
mod oauth_app;
mod operation;
mod origin;
mod page;
mod raw;
mod request;
mod response;
mod retry;
pub(crate) mod support;
mod time;
mod trace;
mod transport;
mod unknown;
mod wire;
mod write;

pub use additional::WithAdditional;
pub use auth::{DEFAULT_TOKEN_URL, OAuth, OAuthTokens};
pub use builder::ClientBuilder;
pub use client::Client;
pub use custom_fields::{CustomFieldError, CustomFields, FieldValue, Money};
pub use error::{ApiError, DecodeError, Error, ItemError, RateLimitError, RateLimitScope};
pub use extra::{Extra, ExtraIter};
pub use field_index::{CustomField, DefinitionRef, FieldDefinition, FieldIndex, IndexedField};
pub use file::File;
pub use nullable::Nullable;
pub use oauth_app::{DEFAULT_OAUTH_SERVER, OAuthApp, TokenKind};
pub use operation::{HttpMethod, Operation};
pub use page::{CursorPage, OffsetPage, OffsetPagination};
pub use raw::RawRequest;
pub use response::{RateLimit, Response, ResponseMeta};
pub use retry::RetryPolicy;
pub use time::{Date, Lenient, Timestamp};
pub use unknown::Unknown;
pub use wire::{FromJson, JsonError, ToJson};
