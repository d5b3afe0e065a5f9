//! Pages of list endpoints, and the lazy streams over all of their pages.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::hash::{BuildHasher, RandomState};

use serde::Deserialize;
use serde_json::{Map, Value};

use super::error::{Error, ItemError, excerpt};
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
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), pipedrive::Error> {
/// use futures::TryStreamExt;
/// use pipedrive::mock::MockServer;
/// use pipedrive::organizations::OrganizationFile;
///
/// let mock = MockServer::start().await;
/// let pages = vec![vec![OrganizationFile::new(1), OrganizationFile::new(2)], vec![OrganizationFile::new(3)]];
/// mock.organizations().files(7).responds_pages(pages).await;
/// let client = mock.client();
/// let first = client.organizations().files(7).await?;
/// assert_eq!((first.items.len(), first.next_start()), (2, Some(2)));
/// // `all_items()` follows the offsets to the end.
/// let all: Vec<_> = client.organizations().files(7).all_items().try_collect().await?;
/// assert_eq!(all.len(), 3);
/// # Ok(())
/// # }
/// ```
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
    /// The `start` of the next page as the server tells it (`next_start`, else this
    /// page's `start` plus its items), or `None` on the last page, or when that sum is
    /// beyond `i64`. `pages()` does not trust it: it checks the next offset against the
    /// offset it asked for.
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
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), pipedrive::Error> {
/// use pipedrive::mock::MockServer;
/// use pipedrive::organizations::OrganizationFile;
///
/// let mock = MockServer::start().await;
/// let pages = vec![vec![OrganizationFile::new(1), OrganizationFile::new(2)], vec![OrganizationFile::new(3)]];
/// mock.organizations().files(7).responds_pages(pages).await;
/// let page = mock.client().organizations().files(7).await?;
/// let pagination = page.pagination.unwrap_or_default();
/// assert_eq!(pagination.more_items_in_collection, Some(true));
/// assert_eq!(pagination.next_start, Some(2));
/// # Ok(())
/// # }
/// ```
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

/// The most cursors a page stream remembers exactly, as fingerprints: a server that
/// leads it in a circle of up to this many pages is caught at the first repeated cursor.
const RECENT_CURSORS: usize = 1024;
/// How many characters of a position an error quotes.
const QUOTED: usize = 100;

/// A page that knows where the next one starts.
pub(crate) trait Page {
    /// A cursor or an offset.
    type Position: Clone + fmt::Display;
    /// What a stream remembers of the positions it has asked for, to refuse one that
    /// would lead it back or in a circle.
    type Trail: Default;
    /// Records where the stream's first page starts: the position of the caller's own
    /// request, `None` for the beginning of the list.
    fn start(trail: &mut Self::Trail, start: Option<&Self::Position>);
    /// Where the page after this one starts, recorded in `trail`: `None` after the last
    /// page, or why the position the server sent is not followed.
    fn next(&self, trail: &mut Self::Trail) -> Result<Option<Self::Position>, String>;
}

impl<T> Page for CursorPage<T> {
    type Position = String;
    type Trail = CursorTrail;

    fn start(trail: &mut CursorTrail, start: Option<&String>) {
        trail.start = start.map(|cursor| trail.fingerprint(cursor));
    }

    fn next(&self, trail: &mut CursorTrail) -> Result<Option<String>, String> {
        match &self.next_cursor {
            Some(cursor) => trail.follow(cursor).map(|()| Some(cursor.clone())),
            None => Ok(None),
        }
    }
}

impl<T> Page for OffsetPage<T> {
    type Position = i64;
    type Trail = OffsetTrail;

    fn start(trail: &mut OffsetTrail, start: Option<&i64>) {
        trail.requested = start.copied().unwrap_or(0);
    }

    /// The next offset must be at least the offset this page was asked for plus its
    /// items: what a correct server sends (more, when it left items out of a page), and
    /// what hands back no item twice. So every page moves the stream forward, whatever
    /// `start` the server reports. Without `next_start`, the next page starts right
    /// after this one. A negative offset, or one beyond `i64`, is refused.
    fn next(&self, trail: &mut OffsetTrail) -> Result<Option<i64>, String> {
        let Some(pagination) = &self.pagination else {
            return Ok(None);
        };
        // A page that claims more items but is empty would repeat forever.
        if pagination.more_items_in_collection != Some(true) || self.items.is_empty() {
            return Ok(None);
        }
        let requested = trail.requested;
        let count = i64::try_from(self.items.len()).unwrap_or(i64::MAX);
        let least = requested.checked_add(count).ok_or_else(|| {
            format!("the offset after this page ({requested} + {count} items) is beyond i64")
        })?;
        let next = pagination.next_start.unwrap_or(least);
        if next < 0 {
            return Err(format!("the next offset {next} is negative"));
        }
        if next < least {
            return Err(format!(
                "the next offset {next} does not move past this page, asked for at {requested} with {count} items"
            ));
        }
        trail.requested = next;
        Ok(Some(next))
    }
}

/// What an offset stream remembers: the offset it asked for last.
#[derive(Debug, Default)]
pub(crate) struct OffsetTrail {
    requested: i64,
}

/// What a cursor stream remembers of the cursors it followed, in bounded memory whatever
/// their number and size: 16-byte keyed fingerprints, not the cursors. The caller's own
/// starting cursor is kept for good and the latest [`RECENT_CURSORS`] in a window, so a
/// server that hands either back is caught at once; a longer circle is caught by Brent's
/// cycle check, which compares each cursor with one checkpoint moved at doubling
/// intervals, and so stops a circle of `n` pages within a few times `n` pages, while a
/// stream of cursors that never repeat runs as long as the list.
#[derive(Debug)]
pub(crate) struct CursorTrail {
    /// Two keys drawn at random for each stream, so that a server cannot choose
    /// cursors whose fingerprints collide.
    keys: (RandomState, RandomState),
    start: Option<Fingerprint>,
    recent: VecDeque<Fingerprint>,
    seen: HashSet<Fingerprint>,
    /// Brent's checkpoint, how many cursors followed it, and how many it waits for
    /// before it moves.
    checkpoint: Option<Fingerprint>,
    since: u64,
    interval: u64,
}

/// A cursor's keyed hash, 128 bits.
type Fingerprint = [u64; 2];

impl Default for CursorTrail {
    fn default() -> Self {
        Self {
            keys: (RandomState::new(), RandomState::new()),
            start: None,
            recent: VecDeque::new(),
            seen: HashSet::new(),
            checkpoint: None,
            since: 0,
            interval: 1,
        }
    }
}

impl CursorTrail {
    fn fingerprint(&self, cursor: &str) -> Fingerprint {
        [self.keys.0.hash_one(cursor), self.keys.1.hash_one(cursor)]
    }

    /// Records `cursor` as followed, or says why it must not be.
    fn follow(&mut self, cursor: &str) -> Result<(), String> {
        let print = self.fingerprint(cursor);
        if self.start == Some(print) {
            return Err(format!(
                "the server sent back `{}`, the cursor the stream started from",
                excerpt(cursor, QUOTED)
            ));
        }
        if self.seen.contains(&print) || self.checkpoint == Some(print) {
            return Err(format!(
                "the server sent the cursor `{}` a second time",
                excerpt(cursor, QUOTED)
            ));
        }
        if self.recent.len() == RECENT_CURSORS {
            if let Some(oldest) = self.recent.pop_front() {
                self.seen.remove(&oldest);
            }
        }
        self.recent.push_back(print);
        self.seen.insert(print);
        self.since = self.since.saturating_add(1);
        if self.since >= self.interval {
            self.checkpoint = Some(print);
            self.since = 0;
            self.interval = self.interval.saturating_mul(2);
        }
        Ok(())
    }
}

/// Every page of a list, fetched one at a time as the stream is polled.
///
/// `send(request, position)` sends `request`, with its cursor or offset replaced when
/// `position` is `Some`; the first page is the request as the caller built it, whose
/// own position is `start` (`None` for the beginning of the list). The
/// stream ends after the last page, or after the first error. A position that would
/// lead it back or in a circle ends it with [`Error::Pagination`] after the page that
/// sent it, instead of looping: a cursor it has followed or started from (see
/// [`CursorTrail`]), an offset that does not move past the page it came with (see
/// [`OffsetPage`]'s [`Page::next`]), a negative one or one beyond `i64`.
#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
pub(crate) fn pages<'a, R, P, F, Fut>(
    operation: &'static Operation,
    request: R,
    start: Option<P::Position>,
    send: F,
) -> impl futures::Stream<Item = Result<Response<P>, Error>> + 'a
where
    R: Clone + 'a,
    P: Page + 'a,
    F: Fn(R, Option<P::Position>) -> Fut + 'a,
    Fut: std::future::Future<Output = Result<Response<P>, Error>> + 'a,
{
    let mut trail = P::Trail::default();
    P::start(&mut trail, start.as_ref());
    let begin = (Step::<P::Position>::Begin, trail);
    futures::stream::unfold(begin, move |(step, mut trail)| {
        // The calls are made here, where `send` is; their futures do nothing until awaited.
        let pending = match step {
            Step::Begin => Pending::Next(send(request.clone(), None)),
            Step::Fetch(position) => Pending::Next(send(request.clone(), Some(position))),
            Step::Fail(error) => Pending::Fail(error),
            Step::Done => Pending::Done,
        };
        async move {
            let page = match pending {
                Pending::Next(page) => page.await,
                Pending::Fail(error) => return Some((Err(error), (Step::Done, trail))),
                Pending::Done => return None,
            };
            let page = match page {
                Ok(page) => page,
                Err(error) => return Some((Err(error), (Step::Done, trail))),
            };
            let step = match page.data.next(&mut trail) {
                Ok(None) => Step::Done,
                Ok(Some(next)) => Step::Fetch(next),
                Err(reason) => Step::Fail(Error::Pagination {
                    operation: operation.id,
                    reason,
                }),
            };
            Some((Ok(page), (step, trail)))
        }
    })
}

/// What a page stream does when it is next polled. A page whose next position is
/// refused is yielded before the error, so none of its items is lost.
enum Step<Position> {
    /// Learn where the caller's request starts, and fetch its page.
    Begin,
    /// Fetch the page at this position.
    Fetch(Position),
    /// End with this error.
    Fail(Error),
    /// End.
    Done,
}

/// The calls a [`Step`] makes, made and not yet awaited.
enum Pending<Fut> {
    /// A page.
    Next(Fut),
    Fail(Error),
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

    /// A page of `items` items whose pagination says more follow, starting at `start`
    /// (when sent) and next at `next_start` (when sent).
    fn more(start: Option<i64>, next_start: Option<i64>, items: usize) -> OffsetPage<u8> {
        page(
            Some(OffsetPagination {
                start,
                limit: None,
                more_items_in_collection: Some(true),
                next_start,
            }),
            items,
        )
    }

    /// An offset trail that asked for `requested` last.
    fn asked(requested: i64) -> OffsetTrail {
        OffsetTrail { requested }
    }

    #[test]
    fn an_empty_page_that_claims_more_ends_the_list() {
        assert_eq!(more(Some(0), Some(2), 0).next(&mut asked(0)), Ok(None));
        assert_eq!(more(Some(0), Some(2), 1).next(&mut asked(0)), Ok(Some(2)));
        let last = OffsetPagination {
            more_items_in_collection: Some(false),
            ..OffsetPagination::default()
        };
        assert_eq!(page(Some(last), 2).next(&mut asked(0)), Ok(None));
        assert_eq!(page(None, 2).next(&mut asked(0)), Ok(None));
    }

    #[test]
    fn an_offset_must_move_past_the_page_the_stream_asked_for_whatever_start_says() {
        let mut trail = asked(10);
        assert_eq!(more(Some(10), Some(12), 2).next(&mut trail), Ok(Some(12)));
        assert_eq!(trail.requested, 12, "the stream asks for 12 next");
        assert_eq!(
            more(Some(12), Some(20), 2).next(&mut trail),
            Ok(Some(20)),
            "a page the server left items out of moves further"
        );
        for (start, next_start) in [
            // Where the page started, a step back, a step that overlaps the page.
            (Some(20), Some(20)),
            (Some(20), Some(19)),
            (Some(20), Some(21)),
            // A `start` that lies, or none: the offset asked for counts.
            (Some(0), Some(19)),
            (None, Some(19)),
            (Some(i64::MIN), Some(0)),
        ] {
            let error = more(start, next_start, 2).next(&mut asked(20)).unwrap_err();
            assert!(
                error.contains("does not move past"),
                "{start:?} {next_start:?}: {error}"
            );
        }
        // Without `next_start`, the page after this one.
        assert_eq!(more(Some(0), None, 2).next(&mut asked(20)), Ok(Some(22)));
        assert_eq!(more(None, None, 2).next(&mut asked(20)), Ok(Some(22)));
    }

    #[test]
    fn negative_offsets_and_offsets_beyond_i64_are_refused() {
        let negative = more(Some(0), Some(-1100), 2)
            .next(&mut asked(0))
            .unwrap_err();
        assert!(negative.contains("-1100 is negative"), "{negative}");
        let beyond = more(None, None, 2)
            .next(&mut asked(i64::MAX - 1))
            .unwrap_err();
        assert!(beyond.contains("beyond i64"), "{beyond}");
        assert_eq!(
            more(None, Some(i64::MAX), 2).next(&mut asked(0)),
            Ok(Some(i64::MAX)),
            "the largest offset is an offset"
        );
        assert!(more(None, None, 1).next(&mut asked(i64::MAX)).is_err());
    }

    #[test]
    fn the_first_page_is_judged_by_the_callers_own_offset() {
        let mut trail = OffsetTrail::default();
        OffsetPage::<u8>::start(&mut trail, None);
        assert_eq!(trail.requested, 0);
        OffsetPage::<u8>::start(&mut trail, Some(&100));
        assert_eq!(trail.requested, 100);
        assert!(
            more(Some(0), Some(50), 2).next(&mut trail).is_err(),
            "a `start` that lies does not count"
        );
    }

    #[test]
    fn a_cursor_trail_catches_the_start_and_repeats_in_bounded_memory() {
        let mut trail = CursorTrail::default();
        CursorPage::<u8>::start(&mut trail, Some(&"c0".to_owned()));
        let error = trail.follow("c0").unwrap_err();
        assert!(
            error.contains("`c0`, the cursor the stream started from"),
            "{error}"
        );
        for n in 1..=5000 {
            trail.follow(&format!("c{n}")).unwrap();
        }
        assert_eq!(trail.recent.len(), RECENT_CURSORS);
        assert_eq!(trail.seen.len(), RECENT_CURSORS);
        assert!(
            trail
                .follow("c5000")
                .unwrap_err()
                .contains("`c5000` a second time")
        );
        assert!(trail.follow("c4000").is_err(), "within the window");
        assert!(trail.follow("c0").is_err(), "the start is kept for good");
        let long = "x".repeat(60_000);
        trail.follow(&long).unwrap();
        let quoted = trail.follow(&long).unwrap_err();
        assert!(quoted.len() < 300, "{quoted}");
    }

    /// Walks a cursor stream with a fake `send` that serves cursor pages, page `cn`
    /// pointing to `next(n)`, starting from `c{start}` (`c0` when `None`), and returns how
    /// many pages it yielded and how it ended.
    fn walk(
        start: Option<u64>,
        next: impl Fn(u64) -> Option<String>,
        limit: usize,
    ) -> (usize, Option<Error>) {
        use futures::StreamExt;
        static OPERATION: Operation = Operation {
            id: "t",
            method: super::super::operation::HttpMethod::Get,
            path: "/t",
            version: "v2",
            cost: 1,
        };
        let next = std::rc::Rc::new(next);
        let request = start.map(|n| format!("c{n}"));
        let stream = pages(
            &OPERATION,
            request.clone(),
            request,
            move |request, position: Option<String>| {
                let next = std::rc::Rc::clone(&next);
                async move {
                    let cursor = position.or(request);
                    let at = cursor.map_or(0, |cursor| cursor[1..].parse::<u64>().unwrap());
                    let page = CursorPage {
                        items: vec![0u8],
                        failed: Vec::new(),
                        next_cursor: next(at),
                        additional_data: Map::new(),
                    };
                    Ok(Response {
                        data: page,
                        meta: super::super::response::ResponseMeta {
                            status: 200,
                            rate_limit: Default::default(),
                            headers: Default::default(),
                        },
                    })
                }
            },
        );
        let results: Vec<_> = futures::executor::block_on(stream.take(limit).collect());
        let pages = results.iter().filter(|result| result.is_ok()).count();
        (pages, results.into_iter().find_map(Result::err))
    }

    #[test]
    fn a_long_circle_of_cursors_is_caught_and_a_long_list_is_not() {
        // c0 -> c1 -> ... -> c2999 -> c0: three times the window, one lap and a bit.
        let lap = 3000;
        let circle = |n| Some(format!("c{}", (n + 1) % lap));
        let (pages, error) = walk(None, circle, 100_000);
        let error = error.expect("a circle ends the stream");
        assert!(matches!(&error, Error::Pagination { .. }), "{error:?}");
        assert!(pages <= 4 * lap as usize, "{pages} pages");
        // The circle does not lead back to where the stream began: c0 -> ... -> c4999 -> c2000.
        let (pages, error) = walk(
            None,
            |n| Some(format!("c{}", if n == 4999 { 2000 } else { n + 1 })),
            100_000,
        );
        assert!(error.is_some() && pages <= 4 * 5000, "{pages} pages");
        // 50,000 pages of cursors that never repeat, then the last page.
        let (pages, error) = walk(
            None,
            |n| (n < 49_999).then(|| format!("c{}", n + 1)),
            100_000,
        );
        assert_eq!((pages, error.map(|e| e.to_string())), (50_000, None));
    }

    #[test]
    fn a_cursor_stream_started_from_a_cursor_refuses_it_back_at_once() {
        // The caller starts at c7; the server says the next page is c7 again.
        let (pages, error) = walk(Some(7), |_| Some("c7".to_owned()), 10);
        assert_eq!(pages, 1);
        let error = error.expect("refused");
        assert!(
            error
                .to_string()
                .contains("the cursor the stream started from"),
            "{error}"
        );
        // A circle back to the start, longer than the window, is caught at once too.
        let (pages, error) = walk(Some(0), |n| Some(format!("c{}", (n + 1) % 5000)), 100_000);
        assert_eq!(pages, 5000);
        assert!(error.is_some());
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

    #[test]
    fn a_page_iterates_over_its_items() {
        let cursor = CursorPage {
            items: vec![1, 2],
            failed: Vec::new(),
            next_cursor: None,
            additional_data: Map::new(),
        };
        assert_eq!(cursor.into_iter().collect::<Vec<_>>(), [1, 2]);
        let offset = OffsetPage {
            items: vec![3],
            failed: Vec::new(),
            pagination: None,
            additional_data: Map::new(),
            related_objects: Map::new(),
        };
        assert_eq!(offset.into_iter().collect::<Vec<_>>(), [3]);
    }
}
