//! Pages of list endpoints, and the lazy streams over all of their pages.

use std::collections::HashSet;
use std::fmt;
use std::hash::Hash;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::error::{Error, ItemError};
use super::operation::Operation;
use super::response::Response;

/// The most items a page may hold. Pipedrive sends at most 500 per page; a page with
/// more than twice that is not one, and decoding stops there.
pub(crate) const MAX_PAGE_ITEMS: usize = 1000;

/// One page of a cursor-paginated list (every v2 list, and v1 `collection` and `changelog`).
///
/// An item that does not decode costs that item only: the page holds every item that
/// decoded in `items` and an [`ItemError`] for each one that did not in `failed`, with
/// its index, the path and message of the failure and its JSON as sent.
///
/// Every list builder also has `pages()`, a stream of whole pages, and `all_items()`, a
/// stream of their items; both are lazy. `all_items()` yields an item that did not
/// decode as [`Error::Item`] in its place and goes on; any other error ends a stream:
///
/// ```no_run
/// use futures::TryStreamExt;
///
/// # async fn run(client: pipedrive::Client) -> Result<(), pipedrive::Error> {
/// let mut pages = std::pin::pin!(client.organizations().list().limit(500).pages());
/// while let Some(page) = pages.try_next().await? {
///     println!("{} organizations", page.items.len());
/// }
/// let names: Vec<Option<String>> = client.organizations().list().all_items().map_ok(|o| o.name).try_collect().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CursorPage<T> {
    /// The items of this page that decoded.
    pub items: Vec<T>,
    /// The items of this page that did not decode, in the order they came.
    pub failed: Vec<ItemError>,
    /// The cursor of the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// Any other keys of `additional_data`, as sent.
    pub additional_data: Map<String, Value>,
}

/// One page of an offset-paginated v1 list.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OffsetPage<T> {
    /// The items of this page that decoded.
    pub items: Vec<T>,
    /// The items of this page that did not decode, in the order they came.
    pub failed: Vec<ItemError>,
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
        pagination.next_start.or_else(|| {
            let count = i64::try_from(self.items.len()).ok()?;
            pagination.start?.checked_add(count)
        })
    }
}

/// `additional_data.pagination` of a v1 offset page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
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

/// A page that knows where the next one starts.
pub(crate) trait Page {
    /// A cursor or an offset.
    type Position: Clone + Eq + Hash + fmt::Display;
    /// Where the next page starts; `None` on the last page.
    fn next_position(&self) -> Option<Self::Position>;
    /// Whether `next` moves past this page; a page that cannot tell says yes.
    fn advances_to(&self, next: &Self::Position) -> bool;
}

impl<T> Page for CursorPage<T> {
    type Position = String;

    fn next_position(&self) -> Option<String> {
        self.next_cursor.clone()
    }

    fn advances_to(&self, _next: &String) -> bool {
        true
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

    fn advances_to(&self, next: &i64) -> bool {
        self.pagination
            .and_then(|pagination| pagination.start)
            .is_none_or(|start| *next > start)
    }
}

/// Every page of a list, fetched one at a time as the stream is polled.
///
/// `send(request, position)` sends `request`, with its cursor or offset replaced when
/// `position` is `Some`; the first page is the request as the caller built it. The
/// stream ends after the last page, or after the first error. A server that hands back
/// a position the stream has already followed, or an offset that does not move past
/// the page it came with, ends it with [`Error::Pagination`] after that page, instead
/// of looping.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn pages<'a, R, P, F, Fut>(
    operation: &'static Operation,
    request: R,
    send: F,
) -> impl futures::Stream<Item = Result<Response<P>, Error>> + 'a
where
    R: Clone + 'a,
    P: Page + 'a,
    F: Fn(R, Option<P::Position>) -> Fut + 'a,
    Fut: std::future::Future<Output = Result<Response<P>, Error>> + 'a,
{
    let start = (Step::<P::Position>::Fetch(None), HashSet::new());
    futures::stream::unfold(start, move |(step, mut seen)| {
        let pending = match step {
            Step::Fetch(position) => Ok(send(request.clone(), position)),
            Step::Fail(error) => Err(Some(error)),
            Step::Done => Err(None),
        };
        async move {
            let page = match pending {
                Ok(pending) => pending.await,
                Err(Some(error)) => return Some((Err(error), (Step::Done, seen))),
                Err(None) => return None,
            };
            let page = match page {
                Ok(page) => page,
                Err(error) => return Some((Err(error), (Step::Done, seen))),
            };
            let step = match page.data.next_position() {
                None => Step::Done,
                Some(next) if !page.data.advances_to(&next) => Step::Fail(Error::Pagination {
                    operation: operation.id,
                    reason: format!("the next position `{next}` does not move past this page"),
                }),
                Some(next) if !seen.insert(next.clone()) => Step::Fail(Error::Pagination {
                    operation: operation.id,
                    reason: format!("the server sent the position `{next}` a second time"),
                }),
                Some(next) => Step::Fetch(Some(next)),
            };
            Some((Ok(page), (step, seen)))
        }
    })
}

/// What a page stream does when it is next polled. A page whose next position is
/// refused is yielded before the error, so none of its items is lost.
enum Step<Position> {
    /// Fetch the page at this position; `None` for the request as the caller built it.
    Fetch(Option<Position>),
    /// End with this error.
    Fail(Error),
    /// End.
    Done,
}

/// The items of a stream of pages, in order; an item that did not decode is an
/// [`Error::Item`] in its place.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn items<'a, P, T>(
    pages: impl futures::Stream<Item = Result<Response<P>, Error>> + 'a,
) -> impl futures::Stream<Item = Result<T, Error>> + 'a
where
    P: Items<T> + 'a,
    T: 'a,
{
    use futures::StreamExt;
    pages.flat_map(|page| {
        let items: Vec<Result<T, Error>> = match page {
            Ok(page) => page.data.into_results(),
            Err(error) => vec![Err(error)],
        };
        futures::stream::iter(items)
    })
}

/// A page's items and the errors of the items that did not decode, in the order the
/// page listed them.
pub(crate) trait Items<T> {
    fn into_results(self) -> Vec<Result<T, Error>>;
}

fn in_order<T>(items: Vec<T>, failed: Vec<ItemError>) -> Vec<Result<T, Error>> {
    let mut results = Vec::with_capacity(items.len().saturating_add(failed.len()));
    let mut failed = failed.into_iter().peekable();
    for item in items {
        while let Some(error) = failed.next_if(|error| error.index <= results.len()) {
            results.push(Err(Error::Item(Box::new(error))));
        }
        results.push(Ok(item));
    }
    results.extend(failed.map(|error| Err(Error::Item(Box::new(error)))));
    results
}

impl<T> Items<T> for CursorPage<T> {
    fn into_results(self) -> Vec<Result<T, Error>> {
        in_order(self.items, self.failed)
    }
}

impl<T> Items<T> for OffsetPage<T> {
    fn into_results(self) -> Vec<Result<T, Error>> {
        in_order(self.items, self.failed)
    }
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
            failed: Vec::new(),
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
        let near_the_end = OffsetPagination {
            start: Some(i64::MAX),
            next_start: None,
            ..more(None)
        };
        assert_eq!(
            page(Some(near_the_end), 2).next_start(),
            None,
            "an offset past i64 is no offset"
        );
    }

    #[test]
    fn an_empty_page_that_claims_more_ends_the_list() {
        let more = OffsetPagination {
            start: Some(0),
            limit: Some(2),
            more_items_in_collection: Some(true),
            next_start: Some(2),
        };
        assert_eq!(page(Some(more), 0).next_position(), None);
        assert_eq!(page(Some(more), 1).next_position(), Some(2));
    }

    #[test]
    fn an_offset_must_move_past_its_page() {
        let at = |start, next_start| {
            page(
                Some(OffsetPagination {
                    start: Some(start),
                    limit: None,
                    more_items_in_collection: Some(true),
                    next_start: Some(next_start),
                }),
                1,
            )
        };
        assert!(at(0, 1).advances_to(&1));
        assert!(!at(5, 5).advances_to(&5));
        assert!(!at(5, 2).advances_to(&2));
    }

    #[test]
    fn item_errors_take_the_place_of_their_items() {
        let error = |index| {
            ItemError::new(
                "op",
                index,
                ".".to_owned(),
                "bad".to_owned(),
                "{}".to_owned(),
            )
        };
        let order = |items: Vec<u8>, failed: Vec<ItemError>| -> Vec<Result<u8, usize>> {
            in_order(items, failed)
                .into_iter()
                .map(|result| {
                    result.map_err(|error| match error {
                        Error::Item(item) => item.index,
                        other => panic!("{other}"),
                    })
                })
                .collect()
        };
        assert_eq!(order(vec![1, 3], vec![error(1)]), [Ok(1), Err(1), Ok(3)]);
        assert_eq!(
            order(vec![2], vec![error(0), error(2)]),
            [Err(0), Ok(2), Err(2)]
        );
        assert_eq!(order(vec![], vec![error(0), error(1)]), [Err(0), Err(1)]);
        assert_eq!(order(vec![0, 1], vec![]), [Ok(0), Ok(1)]);
    }
}
