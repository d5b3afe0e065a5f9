//! A typed async client for the [Pipedrive](https://developers.pipedrive.com/docs/api/v1)
//! CRM API.
//!
//! The endpoints and models under [`organizations`] and [`models`] are generated from
//! the hand-curated description in the repository's `spec/` folder by
//! `cargo xtask generate`; the rest of the crate (the client, errors, pages) is
//! written by hand.
//!
//! ```no_run
//! # async fn run() -> Result<(), pipedrive::Error> {
//! use pipedrive::Client;
//! use pipedrive::models::{NewOrganization, SortDirection};
//!
//! let client = Client::builder()
//!     .api_token(std::env::var("PIPEDRIVE_API_TOKEN").unwrap_or_default())
//!     .company_domain("acme")
//!     .build()?;
//!
//! // Optional parameters are builder methods; `send` makes the call.
//! let page = client
//!     .organizations()
//!     .list()
//!     .sort_direction(SortDirection::Desc)
//!     .limit(50)
//!     .send()
//!     .await?;
//! for organization in &page.data.items {
//!     println!("{:?} {:?}", organization.id, organization.name);
//! }
//!
//! let created = client.organizations().add(NewOrganization::new("Acme Ltd")).send().await?;
//! println!("created {:?}; {:?} requests left in this window", created.data.id, created.meta.rate_limit.remaining);
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

mod runtime;

#[rustfmt::skip]
mod api;

pub use api::*;
pub use runtime::{
    ApiError, Client, ClientBuilder, CursorPage, DEFAULT_TOKEN_URL, Date, DecodeError, Error,
    HttpMethod, Lenient, Nullable, OAuth, OAuthTokens, OffsetPage, OffsetPagination, Operation,
    RateLimit, RateLimitError, RateLimitScope, Response, ResponseMeta, RetryPolicy, Timestamp,
};

/// The time crate the API's timestamps and dates are typed with, re-exported so callers
/// use the same version.
pub use jiff;
/// The HTTP client underneath, re-exported so a caller configuring one for
/// [`ClientBuilder::http_client`] uses the same version.
pub use reqwest;
