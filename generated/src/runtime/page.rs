//! Pages of list endpoints, and the lazy streams over all of their pages.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// One page of a cursor-paginated list (every v2 list, and v1 `collection` and `changelog`).
#[derive(Debug, Clone, PartialEq)]
pub struct CursorPage<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The cursor of the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// Any other keys of `additional_data`, as sent.
    pub additional_data: Map<String, Value>,
}

/// One page of an offset-paginated v1 list.
#[derive(Debug, Clone, PartialEq)]
pub struct OffsetPage<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// `additional_data.pagination`, when sent.
    pub pagination: Option<OffsetPagination>,
    /// Any other keys of `additional_data` (for example `activity_distribution`), as sent.
    pub additional_data: Map<String, Value>,
    /// `related_objects`: the users, persons and organizations the items refer to, keyed
    /// by kind and then by ID, as sent.
    pub related_objects: Map<String, Value>,
}

impl<T> OffsetPage<T> {
    /// The `start` of the next page, or `None` on the last page.
    pub fn next_start(&self) -> Option<i64> {
        let pagination = self.pagination.as_ref()?;
        if pagination.more_items_in_collection != Some(true) {
            return None;
        }
        pagination
            .next_start
            .or_else(|| Some(pagination.start? + self.items.len() as i64))
    }
}

/// `additional_data.pagination` of a v1 offset page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct OffsetPagination {
    /// The offset of this page.
    #[serde(default)]
    pub start: Option<i64>,
    /// The page size.
    #[serde(default)]
    pub limit: Option<i64>,
    /// Whether more items follow.
    #[serde(default)]
    pub more_items_in_collection: Option<bool>,
    /// The offset of the next page, when more items follow.
    #[serde(default)]
    pub next_start: Option<i64>,
}

/// The `data` of a page: a list of items, or an object holding one.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) trait PageData: DeserializeOwned {
    /// One item.
    type Item;
    /// The items.
    fn into_items(self) -> Vec<Self::Item>;
}

impl<T: DeserializeOwned> PageData for Vec<T> {
    type Item = T;

    fn into_items(self) -> Vec<T> {
        self
    }
}

/// A page that knows where the next one starts.
pub(crate) trait Page {
    /// A cursor or an offset.
    type Position;
    /// Where the next page starts; `None` on the last page.
    fn next_position(&self) -> Option<Self::Position>;
}

impl<T> Page for CursorPage<T> {
    type Position = String;

    fn next_position(&self) -> Option<String> {
        self.next_cursor.clone()
    }
}

impl<T> Page for OffsetPage<T> {
    type Position = i64;

    fn next_position(&self) -> Option<i64> {
        // A page that claims more items but is empty would repeat forever.
        if self.items.is_empty() {
            None
        } else {
            self.next_start()
        }
    }
}

/// Every page of a list, fetched one at a time as the stream is polled.
///
/// `send(request, position)` sends `request`, with its cursor or offset replaced when
/// `position` is `Some`; the first page is the request as the caller built it. The
/// stream ends after the last page, or after the first error.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn pages<'a, R, P, F, Fut>(
    request: R,
    send: F,
) -> impl futures::Stream<Item = Result<super::response::Response<P>, super::error::Error>> + 'a
where
    R: Clone + 'a,
    P: Page + 'a,
    F: Fn(R, Option<P::Position>) -> Fut + 'a,
    Fut: std::future::Future<Output = Result<super::response::Response<P>, super::error::Error>>
        + 'a,
{
    futures::stream::try_unfold(Some(None), move |next: Option<Option<P::Position>>| {
        let pending = next.map(|position| send(request.clone(), position));
        async move {
            let Some(pending) = pending else {
                return Ok(None);
            };
            let page = pending.await?;
            let next = page.data.next_position().map(Some);
            Ok(Some((page, next)))
        }
    })
}

/// The items of a stream of pages, in order.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn items<'a, P, T>(
    pages: impl futures::Stream<Item = Result<super::response::Response<P>, super::error::Error>> + 'a,
) -> impl futures::Stream<Item = Result<T, super::error::Error>> + 'a
where
    P: IntoIterator<Item = T> + 'a,
    T: 'a,
{
    use futures::StreamExt;
    pages.flat_map(|page| {
        let items: Vec<Result<T, super::error::Error>> = match page {
            Ok(page) => page.data.into_iter().map(Ok).collect(),
            Err(error) => vec![Err(error)],
        };
        futures::stream::iter(items)
    })
}

impl<T> IntoIterator for CursorPage<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<T> IntoIterator for OffsetPage<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(pagination: Option<OffsetPagination>, items: usize) -> OffsetPage<u8> {
        OffsetPage {
            items: vec![0; items],
            pagination,
            additional_data: Map::new(),
            related_objects: Map::new(),
        }
    }

    #[test]
    fn next_start_prefers_the_server_value_and_stops_at_the_end() {
        let more = |next_start| OffsetPagination {
            start: Some(0),
            limit: Some(2),
            more_items_in_collection: Some(true),
            next_start,
        };
        assert_eq!(page(Some(more(Some(7))), 2).next_start(), Some(7));
        assert_eq!(page(Some(more(None)), 2).next_start(), Some(2));
        let last = OffsetPagination {
            more_items_in_collection: Some(false),
            ..more(Some(9))
        };
        assert_eq!(page(Some(last), 2).next_start(), None);
        assert_eq!(page(None, 2).next_start(), None);
    }
}
