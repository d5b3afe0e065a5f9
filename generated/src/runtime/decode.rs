//! Decoding a response body into what an operation returns, by envelope kind.
//!
//! Every JSON response of the API shares one envelope (`success`, `data`,
//! `additional_data`, `related_objects`); `"success": false` is an API error whatever the
//! status, and a body that does not fit its model is a [`DecodeError`] naming the path
//! of the value that failed.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::client::Client;
use super::error::{ApiError, DecodeError, Error};
use super::page::{CursorPage, OffsetPage, OffsetPagination, PageData};
use super::request::Request;
use super::response::{Response, ResponseMeta};
use super::transport::execute;

/// Decodes a JSON envelope; `"success": false` is an API error whatever the status.
async fn envelope<D: DeserializeOwned, A: DeserializeOwned>(
    client: &Client,
    request: Request,
) -> Result<(ResponseMeta, Envelope<D, A>), Error> {
    let operation = request.operation.id;
    let (meta, body) = execute(client, request).await?;
    let not_successful = || Error::Api(Box::new(ApiError::new(operation, meta.status, &body, meta.rate_limit)));
    match decode::<Envelope<D, A>>(operation, meta.status, &body) {
        Ok(envelope) if envelope.success == Some(false) => Err(not_successful()),
        Ok(envelope) => Ok((meta, envelope)),
        Err(error) => {
            // A failure report whose `data` does not fit the success type.
            match serde_json::from_slice::<Envelope<serde_json::Value, serde_json::Value>>(&body) {
                Ok(probe) if probe.success == Some(false) => Err(not_successful()),
                _ => Err(error),
            }
        }
    }
}

/// Sends `request` and decodes `{"success": true, "data": T}`.
#[allow(dead_code, reason = "part of the contract with generated code, which uses what its spec needs")]
pub(crate) async fn single<T: DeserializeOwned>(client: &Client, request: Request) -> Result<Response<T>, Error> {
    let operation = request.operation.id;
    let (meta, envelope) = envelope::<T, serde_json::Value>(client, request).await?;
    let data = envelope.data.ok_or_else(|| missing_data(operation, meta.status))?;
    Ok(Response { data, meta })
}

/// Sends `request` and decodes a body that is the data itself, with no envelope.
#[allow(dead_code, reason = "part of the contract with generated code, which uses what its spec needs")]
pub(crate) async fn plain<T: DeserializeOwned>(client: &Client, request: Request) -> Result<Response<T>, Error> {
    let operation = request.operation.id;
    let (meta, body) = execute(client, request).await?;
    let data = decode(operation, meta.status, &body)?;
    Ok(Response { data, meta })
}

/// Sends `request` and decodes a page with `additional_data.next_cursor`.
#[allow(dead_code, reason = "part of the contract with generated code, which uses what its spec needs")]
pub(crate) async fn cursor_page<D: PageData>(
    client: &Client,
    request: Request,
) -> Result<Response<CursorPage<D::Item>>, Error> {
    let (meta, envelope) = envelope::<D, CursorData>(client, request).await?;
    let additional = envelope.additional_data.unwrap_or_default();
    let page = CursorPage {
        items: envelope.data.map(PageData::into_items).unwrap_or_default(),
        next_cursor: additional.next_cursor.filter(|cursor| !cursor.is_empty()),
        additional_data: additional.rest,
    };
    Ok(Response { data: page, meta })
}

/// Sends `request` and decodes a page with `additional_data.pagination`.
#[allow(dead_code, reason = "part of the contract with generated code, which uses what its spec needs")]
pub(crate) async fn offset_page<D: PageData>(
    client: &Client,
    request: Request,
) -> Result<Response<OffsetPage<D::Item>>, Error> {
    let (meta, envelope) = envelope::<D, OffsetData>(client, request).await?;
    let additional = envelope.additional_data.unwrap_or_default();
    let page = OffsetPage {
        items: envelope.data.map(PageData::into_items).unwrap_or_default(),
        pagination: additional.pagination,
        additional_data: additional.rest,
        related_objects: envelope.related_objects.unwrap_or_default(),
    };
    Ok(Response { data: page, meta })
}

fn missing_data(operation: &'static str, status: u16) -> Error {
    Error::Decode(Box::new(DecodeError::new(operation, status, "data".to_owned(), "`data` is missing or null".to_owned(), b"")))
}

/// Decodes `body`, naming the path to the value that failed.
fn decode<T: DeserializeOwned>(operation: &'static str, status: u16, body: &[u8]) -> Result<T, Error> {
    let failed = |path: String, message: String| Error::Decode(Box::new(DecodeError::new(operation, status, path, message, body)));
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| failed(error.path().to_string(), error.into_inner().to_string()))?;
    // Trailing bytes after the JSON value mean the body is not what it claims to be.
    deserializer.end().map_err(|error| failed(".".to_owned(), error.to_string()))?;
    Ok(value)
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
