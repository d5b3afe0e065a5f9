//! Decoding a response body into what an operation returns, by envelope kind.
//!
//! Every JSON response of the API shares one envelope (`success`, `data`,
//! `additional_data`, `related_objects`); `"success": false` is an API error whatever the
//! status, and a body that does not fit its model is a [`DecodeError`] naming the path
//! of the value that failed.

use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::{Map, Value};

use super::client::Client;
use super::error::{ApiError, DecodeError, Error};
use super::page::{CursorPage, OffsetPage, OffsetPagination, PageData};
use super::request::Request;
use super::response::{Response, ResponseMeta};
use super::transport::execute;

/// A decoded envelope, with what it came with.
struct Decoded<D, A> {
    meta: ResponseMeta,
    envelope: Envelope<D, A>,
    body: bytes::Bytes,
}

/// Sends `request` and decodes the JSON envelope; `"success": false` is an API error
/// whatever the status.
async fn envelope<D: DeserializeOwned, A: DeserializeOwned>(
    client: &Client,
    request: Request,
) -> Result<Decoded<D, A>, Error> {
    let operation = request.operation.id;
    let (meta, body) = execute(client, request).await?;
    let not_successful = |body: &[u8]| {
        Error::Api(Box::new(ApiError::new(
            operation,
            meta.status,
            body,
            meta.rate_limit,
        )))
    };
    match decode::<Envelope<D, A>>(operation, meta.status, &body) {
        Ok(envelope) if envelope.success == Some(false) => Err(not_successful(&body)),
        Ok(envelope) => Ok(Decoded {
            meta,
            envelope,
            body,
        }),
        Err(error) => {
            // A failure report whose `data` does not fit the success type.
            match serde_json::from_slice::<Envelope<serde::de::IgnoredAny, serde::de::IgnoredAny>>(
                &body,
            ) {
                Ok(probe) if probe.success == Some(false) => Err(not_successful(&body)),
                _ => Err(error),
            }
        }
    }
}

/// Sends `request` and decodes `{"success": true, "data": T}`; a missing or null `data`
/// is a decode error.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) async fn single<T: DeserializeOwned>(
    client: &Client,
    request: Request,
) -> Result<Response<T>, Error> {
    let operation = request.operation.id;
    let Decoded {
        meta,
        envelope,
        body,
    } = envelope::<T, IgnoredAny>(client, request).await?;
    let data = envelope
        .data
        .ok_or_else(|| missing_data(operation, meta.status, &body))?;
    Ok(Response { data, meta })
}

/// Sends `request` and decodes `{"success": true, "data": [T, ...]}`; a missing or
/// null `data` is an empty list, as Pipedrive sends it for one.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) async fn single_list<T: DeserializeOwned>(
    client: &Client,
    request: Request,
) -> Result<Response<Vec<T>>, Error> {
    let Decoded {
        meta,
        envelope,
        body: _,
    } = envelope::<Vec<T>, IgnoredAny>(client, request).await?;
    Ok(Response {
        data: envelope.data.unwrap_or_default(),
        meta,
    })
}

/// Sends `request` and decodes `{"success": true, "data": T}` where `data` may be null.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) async fn single_optional<T: DeserializeOwned>(
    client: &Client,
    request: Request,
) -> Result<Response<Option<T>>, Error> {
    let Decoded {
        meta,
        envelope,
        body: _,
    } = envelope::<T, IgnoredAny>(client, request).await?;
    Ok(Response {
        data: envelope.data,
        meta,
    })
}

/// Sends `request` and decodes a body that is the data itself, with no envelope.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) async fn plain<T: DeserializeOwned>(
    client: &Client,
    request: Request,
) -> Result<Response<T>, Error> {
    let operation = request.operation.id;
    let (meta, body) = execute(client, request).await?;
    let data = decode(operation, meta.status, &body)?;
    Ok(Response { data, meta })
}

/// Sends `request` and decodes a page with `additional_data.next_cursor`.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) async fn cursor_page<D: PageData>(
    client: &Client,
    request: Request,
) -> Result<Response<CursorPage<D::Item>>, Error> {
    let Decoded {
        meta,
        envelope,
        body: _,
    } = envelope::<D, CursorData>(client, request).await?;
    let additional = envelope.additional_data.unwrap_or_default();
    let page = CursorPage {
        items: envelope.data.map(PageData::into_items).unwrap_or_default(),
        next_cursor: additional.next_cursor.filter(|cursor| !cursor.is_empty()),
        additional_data: additional.rest,
    };
    Ok(Response { data: page, meta })
}

/// Sends `request` and decodes a page with `additional_data.pagination`.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) async fn offset_page<D: PageData>(
    client: &Client,
    request: Request,
) -> Result<Response<OffsetPage<D::Item>>, Error> {
    let Decoded {
        meta,
        envelope,
        body: _,
    } = envelope::<D, OffsetData>(client, request).await?;
    let additional = envelope.additional_data.unwrap_or_default();
    let page = OffsetPage {
        items: envelope.data.map(PageData::into_items).unwrap_or_default(),
        pagination: additional.pagination,
        additional_data: additional.rest,
        related_objects: envelope.related_objects.unwrap_or_default(),
    };
    Ok(Response { data: page, meta })
}

fn missing_data(operation: &'static str, status: u16, body: &[u8]) -> Error {
    Error::Decode(Box::new(DecodeError::new(
        operation,
        status,
        "data".to_owned(),
        "`data` is missing or null".to_owned(),
        body,
    )))
}

/// Decodes `body`. The common case, a body that fits, takes serde_json's fast path; only
/// a body that does not fit is decoded a second time, tracking the path, so the error can
/// name the value that failed.
fn decode<T: DeserializeOwned>(
    operation: &'static str,
    status: u16,
    body: &[u8],
) -> Result<T, Error> {
    let fast = match serde_json::from_slice::<T>(body) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let failed = |path: String, message: String| {
        Error::Decode(Box::new(DecodeError::new(
            operation, status, path, message, body,
        )))
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => Err(failed(
            error.path().to_string(),
            error.into_inner().to_string(),
        )),
        // The value itself fits: what failed is what follows it.
        Ok(_) => Err(failed(
            ".".to_owned(),
            deserializer.end().err().unwrap_or(fast).to_string(),
        )),
    }
}

/// The envelope every JSON response of the API shares.
#[derive(Debug, Deserialize)]
struct Envelope<D, A> {
    #[serde(default)]
    success: Option<bool>,
    #[serde(default = "Option::default")]
    data: Option<D>,
    #[serde(default = "Option::default")]
    additional_data: Option<A>,
    #[serde(default)]
    related_objects: Option<Map<String, Value>>,
}

/// `additional_data` of a cursor page.
#[derive(Debug, Default, Deserialize)]
struct CursorData {
    #[serde(default)]
    next_cursor: Option<String>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}

/// `additional_data` of an offset page.
#[derive(Debug, Default, Deserialize)]
struct OffsetData {
    #[serde(default)]
    pagination: Option<OffsetPagination>,
    #[serde(flatten)]
    rest: Map<String, Value>,
}
