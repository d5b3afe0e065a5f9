//! Decoding a response body into what an operation returns, by envelope kind.
//!
//! Every JSON response of the API shares one envelope (`success`, `data`,
//! `additional_data`, `related_objects`); `"success": false` is an API error whatever the
//! status. The envelope is read by one non-generic function; what an operation adds is
//! a small closure that decodes its `data`. A body that does not fit is a
//! [`DecodeError`] naming the path of the value that failed, found in the same pass.
//!
//! Pages decode item by item: an item that does not fit costs that item only. The page
//! keeps an [`ItemError`] with its index, the path and message of the failure and the
//! item's JSON as sent, and reading goes on with the next item.

use serde_json::{Map, Value};

use super::additional::WithAdditional;
use super::client::Client;
use super::error::{ApiError, DecodeError, Error, ItemError};
use super::json::{Failure, FailureKind, Read, Reader};
use super::page::{CursorPage, MAX_PAGE_ITEMS, OffsetPage, OffsetPagination};
use super::request::Request;
use super::response::{Response, ResponseMeta};
use super::transport::execute;
use super::wire::{Decode, decode_document, field};

/// What a call decodes its body with: the operation, the response, and the budget of
/// entries its body may hold.
struct Body<'b> {
    operation: &'static str,
    status: u16,
    bytes: &'b [u8],
    max_entries: u64,
}

impl Body<'_> {
    fn failed(&self, failure: &Failure) -> Error {
        Error::Decode(Box::new(DecodeError::new(
            self.operation,
            self.status,
            failure.path(),
            failure.message().to_owned(),
            self.bytes,
        )))
    }

    fn not_successful(&self, meta: &ResponseMeta) -> Error {
        Error::Api(Box::new(ApiError::new(
            self.operation,
            self.status,
            self.bytes,
            meta.rate_limit,
        )))
    }
}

/// What an envelope holds besides `data`.
#[derive(Debug, Default)]
struct Envelope {
    success: Option<bool>,
    /// The first failure inside `data`, when reading went on past it.
    data_failure: Option<Box<Failure>>,
    related_objects: Option<Map<String, Value>>,
}

/// Reads the envelope of `body`: `data` through `data`, `additional_data` through
/// `additional`, and the rest into the returned [`Envelope`]. A failure inside `data`
/// or `additional_data` that leaves the text readable is kept, and reading goes on, so
/// that a `"success": false` after it still makes the call an API error.
fn read_envelope(
    body: &Body<'_>,
    data: &mut dyn FnMut(&mut Reader<'_>) -> Read<()>,
    additional: &mut dyn FnMut(&mut Reader<'_>) -> Read<()>,
) -> Result<Envelope, Box<Failure>> {
    let mut reader = Reader::new(body.bytes, body.max_entries);
    let envelope = read_envelope_from(&mut reader, data, additional)?;
    reader.end()?;
    Ok(envelope)
}

/// [`read_envelope`] from a reader, which is left after the envelope.
fn read_envelope_from(
    reader: &mut Reader<'_>,
    data: &mut dyn FnMut(&mut Reader<'_>) -> Read<()>,
    additional: &mut dyn FnMut(&mut Reader<'_>) -> Read<()>,
) -> Result<Envelope, Box<Failure>> {
    let mut envelope = Envelope::default();
    let mut success = None;
    let mut related = None;
    reader.object(
        |reader, key| {
            let read: &mut dyn FnMut(&mut Reader<'_>) -> Read<()> = match key {
                "success" => return field::<Option<bool>>(reader, &mut success),
                "related_objects" => {
                    return field::<Option<Map<String, Value>>>(reader, &mut related);
                }
                "data" => data,
                "additional_data" => additional,
                _ => return reader.skip().map(|()| true),
            };
            let start = reader.position();
            let depth = reader.depth();
            match read(reader) {
                Ok(()) => {}
                Err(failure) if failure.is_local() && envelope.data_failure.is_none() => {
                    envelope.data_failure = Some(failure.in_key(key));
                    reader.rewind(start, depth);
                    reader.skip()?;
                }
                Err(failure) => return Err(failure),
            }
            Ok(true)
        },
        |_, _| Ok(()),
    )?;
    envelope.success = success.flatten();
    envelope.related_objects = related.flatten();
    Ok(envelope)
}

/// Sends `request` and decodes its envelope: `data` through `data` and
/// `additional_data` through `additional`.
async fn call(
    client: &Client,
    request: Request,
    data: &mut (dyn FnMut(&mut Reader<'_>) -> Read<()> + Send),
    additional: &mut (dyn FnMut(&mut Reader<'_>) -> Read<()> + Send),
) -> Result<(ResponseMeta, Envelope, bytes::Bytes), Error> {
    let operation = request.operation.id;
    let (meta, bytes) = execute(client, request).await?;
    let body = Body {
        operation,
        status: meta.status,
        bytes: &bytes,
        max_entries: client.max_decoded_entries(),
    };
    let envelope = match read_envelope(&body, data, additional) {
        Ok(envelope) => envelope,
        Err(failure) => return Err(body.failed(&failure)),
    };
    if envelope.success == Some(false) {
        return Err(body.not_successful(&meta));
    }
    if let Some(failure) = &envelope.data_failure {
        return Err(body.failed(failure));
    }
    Ok((meta, envelope, bytes))
}

/// `additional_data` that is not read.
fn ignore(reader: &mut Reader<'_>) -> Read<()> {
    reader.skip()
}

/// Sends `request` and decodes `{"success": true, "data": T}`; a missing or null `data`
/// is a decode error.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) async fn single<T: Decode + Send>(
    client: &Client,
    request: Request,
) -> Result<Response<T>, Error> {
    let operation = request.operation.id;
    let mut data = None;
    let (meta, _, bytes) = call(
        client,
        request,
        &mut |reader| {
            data = Option::<T>::decode(reader)?;
            Ok(())
        },
        &mut ignore,
    )
    .await?;
    match data {
        Some(data) => Ok(Response { data, meta }),
        None => Err(Error::Decode(Box::new(DecodeError::new(
            operation,
            meta.status,
            "data".to_owned(),
            "`data` is missing or null".to_owned(),
            &bytes,
        )))),
    }
}

/// Sends `request` and decodes `{"success": true, "data": T, "additional_data": A}`; a
/// missing or null `data` is a decode error, a missing or null `additional_data` is
/// `None`.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) async fn single_additional<T: Decode + Send, A: Decode + Send>(
    client: &Client,
    request: Request,
) -> Result<Response<WithAdditional<T, A>>, Error> {
    let operation = request.operation.id;
    let mut data = None;
    let mut additional = None;
    let (meta, _, bytes) = call(
        client,
        request,
        &mut |reader| {
            data = Option::<T>::decode(reader)?;
            Ok(())
        },
        &mut |reader| {
            additional = Option::<A>::decode(reader)?;
            Ok(())
        },
    )
    .await?;
    match data {
        Some(data) => Ok(Response {
            data: WithAdditional::new(data, additional),
            meta,
        }),
        None => Err(Error::Decode(Box::new(DecodeError::new(
            operation,
            meta.status,
            "data".to_owned(),
            "`data` is missing or null".to_owned(),
            &bytes,
        )))),
    }
}

/// Sends a raw call's `request` and decodes its envelope's `data` with `decode`, which
/// gets the JSON text of `data`, its entries already counted against the client's
/// budget, and returns the value or the path (inside `data`) and message of what
/// failed. A missing `data` is a decode error; a `null` one is `decode`'s to judge.
pub(crate) async fn raw_data<T>(
    client: &Client,
    request: Request,
    decode: impl FnOnce(&[u8]) -> Result<T, (String, String)>,
) -> Result<Response<T>, Error> {
    let operation = request.operation.id;
    let mut span = None;
    let (meta, _, bytes) = call(
        client,
        request,
        &mut |reader| {
            let start = reader.position();
            reader.skip()?;
            span = Some((start, reader.position()));
            Ok(())
        },
        &mut ignore,
    )
    .await?;
    let failed = |path: String, message: String| {
        Error::Decode(Box::new(DecodeError::new(
            operation,
            meta.status,
            path,
            message,
            &bytes,
        )))
    };
    let Some(data) = span.and_then(|(start, end)| bytes.get(start..end)) else {
        return Err(failed("data".to_owned(), "`data` is missing".to_owned()));
    };
    match decode(data) {
        Ok(data) => Ok(Response { data, meta }),
        Err((path, message)) => {
            let path = match path.as_str() {
                "." => "data".to_owned(),
                index if index.starts_with('[') => format!("data{index}"),
                key => format!("data.{key}"),
            };
            Err(failed(path, message))
        }
    }
}

/// Sends `request` and decodes `{"success": true, "data": [T, ...]}`; a missing or
/// null `data` is an empty list, as Pipedrive sends it for one.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) async fn single_list<T: Decode + Send>(
    client: &Client,
    request: Request,
) -> Result<Response<Vec<T>>, Error> {
    let mut data = None;
    let (meta, _, _) = call(
        client,
        request,
        &mut |reader| {
            data = Option::<Vec<T>>::decode(reader)?;
            Ok(())
        },
        &mut ignore,
    )
    .await?;
    Ok(Response {
        data: data.unwrap_or_default(),
        meta,
    })
}

/// Sends `request` and decodes `{"success": true, "data": T}` where `data` may be null.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) async fn single_optional<T: Decode + Send>(
    client: &Client,
    request: Request,
) -> Result<Response<Option<T>>, Error> {
    let mut data = None;
    let (meta, _, _) = call(
        client,
        request,
        &mut |reader| {
            data = Option::<T>::decode(reader)?;
            Ok(())
        },
        &mut ignore,
    )
    .await?;
    Ok(Response { data, meta })
}

/// Sends `request` and decodes a body that is the data itself, with no envelope.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) async fn plain<T: Decode>(
    client: &Client,
    request: Request,
) -> Result<Response<T>, Error> {
    let operation = request.operation.id;
    let (meta, bytes) = execute(client, request).await?;
    let body = Body {
        operation,
        status: meta.status,
        bytes: &bytes,
        max_entries: client.max_decoded_entries(),
    };
    match decode_document(&bytes, body.max_entries) {
        Ok(data) => Ok(Response { data, meta }),
        Err(failure) => Err(body.failed(&failure)),
    }
}

/// Reads the items of a page, each on its own: an item that does not decode becomes an
/// [`ItemError`] in `failed`, and reading goes on. `items_field`, when given, is the key
/// of the list inside an object (`{"items": [...]}`); the object's other keys are
/// skipped.
fn read_items<T: Decode>(
    reader: &mut Reader<'_>,
    operation: &'static str,
    items_field: Option<&'static str>,
    items: &mut Vec<T>,
    failed: &mut Vec<ItemError>,
) -> Read<()> {
    if reader.null()? {
        return Ok(());
    }
    if let Some(name) = items_field {
        return reader.object(
            |reader, key| {
                if key == name {
                    read_items(reader, operation, None, items, failed)?;
                } else {
                    reader.skip()?;
                }
                Ok(true)
            },
            |_, _| Ok(()),
        );
    }
    reader.list(|reader, index| {
        if index >= MAX_PAGE_ITEMS {
            return Err(Failure::new(
                FailureKind::Limit,
                format!(
                    "the page holds more than {MAX_PAGE_ITEMS} items, and the API sends at most 500"
                ),
            ));
        }
        let start = reader.position();
        let depth = reader.depth();
        match T::decode(reader) {
            Ok(item) => items.push(item),
            Err(failure) if failure.is_local() => {
                reader.rewind(start, depth);
                reader.skip()?;
                let end = reader.position();
                failed.push(ItemError::new(
                    operation,
                    index,
                    failure.path(),
                    failure.message().to_owned(),
                    reader.text(start, end).to_owned(),
                ));
            }
            Err(failure) => return Err(failure),
        }
        Ok(())
    })
}

/// `additional_data` of a cursor page: `next_cursor`, and the rest as sent.
fn read_cursor_data(
    reader: &mut Reader<'_>,
    next_cursor: &mut Option<String>,
    rest: &mut Map<String, Value>,
) -> Read<()> {
    if reader.null()? {
        return Ok(());
    }
    let mut cursor = None;
    reader.object(
        |reader, key| match key {
            "next_cursor" => field::<Option<String>>(reader, &mut cursor),
            _ => Ok(false),
        },
        |reader, key| {
            let value = reader.value()?;
            rest.insert(key.into_owned(), value);
            Ok(())
        },
    )?;
    *next_cursor = cursor.flatten().filter(|cursor| !cursor.is_empty());
    Ok(())
}

/// `additional_data` of an offset page: `pagination`, and the rest as sent.
fn read_offset_data(
    reader: &mut Reader<'_>,
    pagination: &mut Option<OffsetPagination>,
    rest: &mut Map<String, Value>,
) -> Read<()> {
    if reader.null()? {
        return Ok(());
    }
    let mut read = None;
    reader.object(
        |reader, key| match key {
            "pagination" => field::<Option<OffsetPagination>>(reader, &mut read),
            _ => Ok(false),
        },
        |reader, key| {
            let value = reader.value()?;
            rest.insert(key.into_owned(), value);
            Ok(())
        },
    )?;
    *pagination = read.flatten();
    Ok(())
}

/// Sends `request` and decodes a page with `additional_data.next_cursor`.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) async fn cursor_page<T: Decode + Send>(
    client: &Client,
    request: Request,
    items_field: Option<&'static str>,
) -> Result<Response<CursorPage<T>>, Error> {
    let operation = request.operation.id;
    let mut items = Vec::new();
    let mut failed = Vec::new();
    let mut next_cursor = None;
    let mut additional_data = Map::new();
    let (meta, _, _) = call(
        client,
        request,
        &mut |reader| read_items(reader, operation, items_field, &mut items, &mut failed),
        &mut |reader| read_cursor_data(reader, &mut next_cursor, &mut additional_data),
    )
    .await?;
    let page = CursorPage {
        items,
        failed,
        next_cursor,
        additional_data,
    };
    Ok(Response { data: page, meta })
}

/// Sends `request` and decodes a page with `additional_data.pagination`.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) async fn offset_page<T: Decode + Send>(
    client: &Client,
    request: Request,
    items_field: Option<&'static str>,
) -> Result<Response<OffsetPage<T>>, Error> {
    let operation = request.operation.id;
    let mut items = Vec::new();
    let mut failed = Vec::new();
    let mut pagination = None;
    let mut additional_data = Map::new();
    let (meta, envelope, _) = call(
        client,
        request,
        &mut |reader| read_items(reader, operation, items_field, &mut items, &mut failed),
        &mut |reader| read_offset_data(reader, &mut pagination, &mut additional_data),
    )
    .await?;
    let page = OffsetPage {
        items,
        failed,
        pagination,
        additional_data,
        related_objects: envelope.related_objects.unwrap_or_default(),
    };
    Ok(Response { data: page, meta })
}

/// The operation an item error names when a page is decoded by
/// [`FromJson`](super::wire::FromJson) rather than by a call.
const FROM_JSON: &str = "from_json";

/// A whole response body of a cursor page, envelope and all: what
/// `CursorPage::from_json` reads.
impl<T: Decode> Decode for CursorPage<T> {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        let mut items = Vec::new();
        let mut failed = Vec::new();
        let mut next_cursor = None;
        let mut additional_data = Map::new();
        let envelope = read_envelope_from(
            reader,
            &mut |reader| read_items(reader, FROM_JSON, None, &mut items, &mut failed),
            &mut |reader| read_cursor_data(reader, &mut next_cursor, &mut additional_data),
        )?;
        if let Some(failure) = envelope.data_failure {
            return Err(failure);
        }
        Ok(CursorPage {
            items,
            failed,
            next_cursor,
            additional_data,
        })
    }
}

/// A whole response body of an offset page, envelope and all: what
/// `OffsetPage::from_json` reads.
impl<T: Decode> Decode for OffsetPage<T> {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        let mut items = Vec::new();
        let mut failed = Vec::new();
        let mut pagination = None;
        let mut additional_data = Map::new();
        let envelope = read_envelope_from(
            reader,
            &mut |reader| read_items(reader, FROM_JSON, None, &mut items, &mut failed),
            &mut |reader| read_offset_data(reader, &mut pagination, &mut additional_data),
        )?;
        if let Some(failure) = envelope.data_failure {
            return Err(failure);
        }
        Ok(OffsetPage {
            items,
            failed,
            pagination,
            additional_data,
            related_objects: envelope.related_objects.unwrap_or_default(),
        })
    }
}

impl Decode for OffsetPagination {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        let mut start = None;
        let mut limit = None;
        let mut more = None;
        let mut next_start = None;
        reader.object(
            |reader, key| match key {
                "start" => field(reader, &mut start),
                "limit" => field(reader, &mut limit),
                "more_items_in_collection" => field(reader, &mut more),
                "next_start" => field(reader, &mut next_start),
                _ => Ok(false),
            },
            |reader, _| reader.skip(),
        )?;
        Ok(OffsetPagination {
            start: start.flatten(),
            limit: limit.flatten(),
            more_items_in_collection: more.flatten(),
            next_start: next_start.flatten(),
        })
    }
}

impl Decode for Map<String, Value> {
    fn decode(reader: &mut Reader<'_>) -> Read<Self> {
        match reader.value()? {
            Value::Object(map) => Ok(map),
            other => Err(Failure::new(
                FailureKind::Type,
                format!("expected an object, found {}", kind_name(&other)),
            )),
        }
    }
}

fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: &str) -> Body<'_> {
        Body {
            operation: "test",
            status: 200,
            bytes: json.as_bytes(),
            max_entries: u64::MAX,
        }
    }

    fn page(json: &str) -> Result<(Vec<i64>, Vec<ItemError>, Envelope), Box<Failure>> {
        let mut items = Vec::new();
        let mut failed = Vec::new();
        let envelope = read_envelope(
            &body(json),
            &mut |reader| read_items(reader, "test", None, &mut items, &mut failed),
            &mut ignore,
        )?;
        Ok((items, failed, envelope))
    }

    #[test]
    fn a_bad_item_costs_that_item_only() {
        let (items, failed, envelope) =
            page(r#"{"success": true, "data": [1, {"x": [2]}, 3, "four", 5]}"#).unwrap();
        assert_eq!(items, [1, 3, 5]);
        assert_eq!(failed.len(), 2);
        assert_eq!(
            (failed[0].index, failed[0].raw.as_str()),
            (1, r#"{"x": [2]}"#)
        );
        assert_eq!((failed[1].index, failed[1].raw.as_str()), (3, "\"four\""));
        assert!(
            failed[1].message.contains("\"four\""),
            "{}",
            failed[1].message
        );
        assert!(envelope.data_failure.is_none());
    }

    #[test]
    fn text_that_is_not_json_fails_the_page() {
        let failure = page(r#"{"data": [1, {"x": ]}"#).unwrap_err();
        assert_eq!(failure.kind(), FailureKind::Syntax);
    }

    #[test]
    fn a_page_of_more_than_the_maximum_is_refused_while_it_decodes() {
        let fits = format!("{{\"data\": [{}]}}", vec!["1"; MAX_PAGE_ITEMS].join(","));
        assert_eq!(page(&fits).unwrap().0.len(), MAX_PAGE_ITEMS);
        let over = format!(
            "{{\"data\": [{}]}}",
            vec!["1"; MAX_PAGE_ITEMS + 1].join(",")
        );
        let failure = page(&over).unwrap_err();
        assert_eq!(failure.kind(), FailureKind::Limit);
        assert!(
            failure.message().contains("more than 1000 items"),
            "{failure}"
        );
        assert_eq!(failure.path(), format!("data[{MAX_PAGE_ITEMS}]"));
    }

    #[test]
    fn data_that_does_not_fit_still_lets_success_false_be_read() {
        let mut data = None;
        let envelope = read_envelope(
            &body(r#"{"data": {"unexpected": 1}, "success": false, "error": "nope"}"#),
            &mut |reader| {
                data = Some(i64::decode(reader)?);
                Ok(())
            },
            &mut ignore,
        )
        .unwrap();
        assert_eq!(envelope.success, Some(false));
        assert_eq!(envelope.data_failure.unwrap().path(), "data");
        assert_eq!(data, None);
    }

    #[test]
    fn additional_data_is_read_whatever_its_order() {
        let mut cursor = None;
        let mut rest = Map::new();
        let mut items: Vec<i64> = Vec::new();
        let mut failed = Vec::new();
        read_envelope(
            &body(r#"{"additional_data": {"next_cursor": "c2", "x": 1}, "data": [1], "success": true}"#),
            &mut |reader| read_items(reader, "test", None, &mut items, &mut failed),
            &mut |reader| read_cursor_data(reader, &mut cursor, &mut rest),
        )
        .unwrap();
        assert_eq!(cursor.as_deref(), Some("c2"));
        assert_eq!(rest.get("x"), Some(&Value::from(1)));
        assert_eq!(items, [1]);
        for empty in [r#""""#, "null"] {
            let mut cursor = Some("old".to_owned());
            let mut reader = Reader::new(
                format!(r#"{{"next_cursor": {empty}}}"#).into_bytes().leak(),
                99,
            );
            read_cursor_data(&mut reader, &mut cursor, &mut Map::new()).unwrap();
            assert_eq!(cursor, None, "{empty}");
        }
    }

    #[test]
    fn items_inside_an_object_are_found_by_their_key() {
        let mut items: Vec<i64> = Vec::new();
        let mut failed = Vec::new();
        read_envelope(
            &body(r#"{"data": {"total": 3, "items": [7, "x", 9]}}"#),
            &mut |reader| read_items(reader, "test", Some("items"), &mut items, &mut failed),
            &mut ignore,
        )
        .unwrap();
        assert_eq!(items, [7, 9]);
        assert_eq!(failed[0].index, 1);
    }

    #[test]
    fn offset_pagination_and_related_objects_are_read_and_the_rest_kept() {
        let mut pagination = None;
        let mut rest = Map::new();
        let mut items: Vec<i64> = Vec::new();
        let mut failed = Vec::new();
        let envelope = read_envelope(
            &body(
                r#"{"success": true, "data": [1],
                    "additional_data": {"x": 1, "pagination": {"start": 0, "limit": 2,
                        "more_items_in_collection": true, "next_start": 2, "y": 3}},
                    "related_objects": {"user": {"1": {"id": 1}}}}"#,
            ),
            &mut |reader| read_items(reader, "test", None, &mut items, &mut failed),
            &mut |reader| read_offset_data(reader, &mut pagination, &mut rest),
        )
        .unwrap();
        let pagination = pagination.unwrap();
        assert_eq!(
            (
                pagination.start,
                pagination.limit,
                pagination.more_items_in_collection,
                pagination.next_start
            ),
            (Some(0), Some(2), Some(true), Some(2))
        );
        assert_eq!(rest.get("x"), Some(&Value::from(1)));
        assert_eq!(envelope.success, Some(true));
        let related = envelope.related_objects.unwrap();
        assert_eq!(related["user"]["1"]["id"], Value::from(1));
    }

    #[test]
    fn a_limit_reached_inside_an_item_fails_the_page_not_the_item() {
        let mut items: Vec<Vec<i64>> = Vec::new();
        let mut failed = Vec::new();
        let json = r#"{"data": [[1], [1, 2, 3, 4, 5, 6]]}"#;
        let failure = read_envelope(
            &Body {
                max_entries: 5,
                ..body(json)
            },
            &mut |reader| read_items(reader, "test", None, &mut items, &mut failed),
            &mut ignore,
        )
        .unwrap_err();
        assert_eq!(failure.kind(), FailureKind::Limit);
        assert_eq!(failure.path(), "data[1]", "the item the budget ran out in");
        assert!(failed.is_empty(), "{failed:?}");
    }

    #[test]
    fn a_map_that_is_not_an_object_says_what_it_is() {
        for (json, found) in [
            ("null", "null"),
            ("[]", "a list"),
            ("1", "a number"),
            ("true", "a boolean"),
            ("\"x\"", "a string"),
        ] {
            let failure = super::super::wire::decode_document::<Map<String, Value>>(
                json.as_bytes(),
                u64::MAX,
            )
            .unwrap_err();
            assert_eq!(
                failure.message(),
                format!("expected an object, found {found}")
            );
        }
    }
}
