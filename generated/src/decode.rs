//! Decoding a response body into what an operation returns, by envelope kind.
//!
//! Every JSON response of the API shares one envelope (`success`, `data`,
//! `additional_data`, `related_objects`); `"success": false` is an API error whatever the
//! status, and a body that does not fit its model is a [`DecodeError`] naming the path
//! of the value that failed.

use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{ApiError, DecodeError, Error};
use crate::page::{CursorData, CursorPage, Envelope, OffsetData, OffsetPage, PageData};
use crate::request::Request;
use crate::response::{Response, ResponseMeta};

impl Client {
    /// Decodes a JSON envelope; `"success": false` is an API error whatever the status.
    async fn envelope<D: DeserializeOwned, A: DeserializeOwned>(
        &self,
        request: Request,
    ) -> Result<(ResponseMeta, Envelope<D, A>), Error> {
        let operation = request.operation.id;
        let (meta, body) = self.execute(request).await?;
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

    pub(crate) async fn single<T: DeserializeOwned>(&self, request: Request) -> Result<Response<T>, Error> {
        let operation = request.operation.id;
        let (meta, envelope) = self.envelope::<T, serde_json::Value>(request).await?;
        let data = envelope.data.ok_or_else(|| missing_data(operation, meta.status))?;
        Ok(Response { data, meta })
    }

    #[allow(dead_code, reason = "called by operations whose spec envelope is `plain`; Organizations has none")]
    pub(crate) async fn plain<T: DeserializeOwned>(&self, request: Request) -> Result<Response<T>, Error> {
        let operation = request.operation.id;
        let (meta, body) = self.execute(request).await?;
        let data = decode(operation, meta.status, &body)?;
        Ok(Response { data, meta })
    }

    pub(crate) async fn cursor_page<D: PageData>(
        &self,
        request: Request,
    ) -> Result<Response<CursorPage<D::Item>>, Error> {
        let (meta, envelope) = self.envelope::<D, CursorData>(request).await?;
        let additional = envelope.additional_data.unwrap_or_default();
        let page = CursorPage {
            items: envelope.data.map(PageData::into_items).unwrap_or_default(),
            next_cursor: additional.next_cursor.filter(|cursor| !cursor.is_empty()),
            additional_data: additional.rest,
        };
        Ok(Response { data: page, meta })
    }

    pub(crate) async fn offset_page<D: PageData>(
        &self,
        request: Request,
    ) -> Result<Response<OffsetPage<D::Item>>, Error> {
        let (meta, envelope) = self.envelope::<D, OffsetData>(request).await?;
        let additional = envelope.additional_data.unwrap_or_default();
        let page = OffsetPage {
            items: envelope.data.map(PageData::into_items).unwrap_or_default(),
            pagination: additional.pagination,
            additional_data: additional.rest,
            related_objects: envelope.related_objects.unwrap_or_default(),
        };
        Ok(Response { data: page, meta })
    }
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
