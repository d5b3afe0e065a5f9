//! Pages of list endpoints, and the lazy streams over all of their pages.

use std::collections::HashSet;
use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::error::Error;
use super::operation::Operation;
use super::response::Response;

/// The most items a page may hold. Pipedrive sends at most 500 per page; a page with
/// more than twice that is not one, and decoding stops there rather than let a small body
/// of `[{},{},…]` grow into millions of items.
pub(crate) const MAX_PAGE_ITEMS: usize = 1000;

/// One page of a cursor-paginated list (every v2 list, and v1 `collection` and `changelog`).
///
/// Every list builder also has `pages()`, a stream of whole pages, and `all_items()`, a
/// stream of their items; both are lazy and end after the last page or the first error:
///
/// ```no_run
/// use futures::TryStreamExt;
///
/// # async fn run(client: pipedrive::Client) -> Result<(), pipedrive::Error> {
/// let mut pages = std::pin::pin!(client.organizations().list().limit(500).pages());
/// while let Some(page) = pages.try_next().await? {
///     println!("{} organizations", page.items.len());
/// }
/// let names: Vec<String> = client.organizations().list().all_items().map_ok(|o| o.name).try_collect().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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
#[non_exhaustive]
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

/// The items of a page, at most [`MAX_PAGE_ITEMS`] of them: decoding fails on the next.
#[derive(Debug)]
pub(crate) struct PageItems<T>(Vec<T>);

impl<T: DeserializeOwned> PageData for PageItems<T> {
    type Item = T;

    fn into_items(self) -> Vec<T> {
        self.0
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PageItems<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Items<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for Items<T> {
            type Value = PageItems<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "a list of at most {MAX_PAGE_ITEMS} items")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items =
                    Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX_PAGE_ITEMS));
                while let Some(item) = seq.next_element()? {
                    if items.len() == MAX_PAGE_ITEMS {
                        return Err(serde::de::Error::custom(format_args!(
                            "the page holds more than {MAX_PAGE_ITEMS} items, and the API sends at most 500"
                        )));
                    }
                    items.push(item);
                }
                Ok(PageItems(items))
            }
        }

        deserializer.deserialize_seq(Items(PhantomData))
    }
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

/// The items of a stream of pages, in order.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn items<'a, P, T>(
    pages: impl futures::Stream<Item = Result<Response<P>, Error>> + 'a,
) -> impl futures::Stream<Item = Result<T, Error>> + 'a
where
    P: IntoIterator<Item = T> + 'a,
    T: 'a,
{
    use futures::StreamExt;
    pages.flat_map(|page| {
        let items: Vec<Result<T, Error>> = match page {
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
    fn a_page_of_more_than_the_maximum_is_refused_while_it_decodes() {
        let fits = format!("[{}]", vec!["1"; MAX_PAGE_ITEMS].join(","));
        assert_eq!(
            serde_json::from_str::<PageItems<u8>>(&fits)
                .unwrap()
                .into_items()
                .len(),
            MAX_PAGE_ITEMS
        );
        let over = format!("[{}]", vec!["1"; MAX_PAGE_ITEMS + 1].join(","));
        let error = serde_json::from_str::<PageItems<u8>>(&over).unwrap_err();
        assert!(
            error.to_string().contains("more than 1000 items"),
            "{error}"
        );
        let not_a_list = serde_json::from_str::<PageItems<u8>>("{}").unwrap_err();
        assert!(
            not_a_list
                .to_string()
                .contains("a list of at most 1000 items"),
            "{not_a_list}"
        );
    }
}
