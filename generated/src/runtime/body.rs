//! Reading a response body under a size limit, as it streams in, into the one buffer
//! that decoding then reads from.

use bytes::Bytes;
use reqwest::Response;

/// Why a body was not read.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The body is longer than the limit: its `Content-Length` said so, or it kept coming.
    TooLarge,
    /// The connection failed while the body was read.
    Transport(reqwest::Error),
}

/// The first buffer of a body of unknown length.
const INITIAL_CAPACITY: usize = 64 * 1024;

/// Reads `response`'s body, stopping as soon as it would exceed `limit` bytes: an
/// oversized or endless body costs at most `limit` bytes of memory, not its length. A
/// body that arrives in one chunk is that chunk, not a copy of it.
pub(crate) async fn read(mut response: Response, limit: u64) -> Result<Bytes, BodyError> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let declared = response
        .content_length()
        .map(|length| usize::try_from(length).unwrap_or(usize::MAX));
    if declared.is_some_and(|length| length > limit) {
        return Err(BodyError::TooLarge);
    }
    let Some(first) = response.chunk().await.map_err(BodyError::Transport)? else {
        return Ok(Bytes::new());
    };
    if first.len() > limit {
        return Err(BodyError::TooLarge);
    }
    let Some(second) = response.chunk().await.map_err(BodyError::Transport)? else {
        return Ok(first);
    };
    let mut body = Vec::with_capacity(initial_capacity(declared, first.len(), limit));
    body.extend_from_slice(&first);
    drop(first);
    let mut next = Some(second);
    while let Some(chunk) = next.take() {
        let Some(needed) = body
            .len()
            .checked_add(chunk.len())
            .filter(|&needed| needed <= limit)
        else {
            return Err(BodyError::TooLarge);
        };
        if needed > body.capacity() {
            // Grow as `Vec` would, but never past the limit.
            let target = body.capacity().saturating_mul(2).max(needed).min(limit);
            body.reserve_exact(target.saturating_sub(body.len()));
        }
        body.extend_from_slice(&chunk);
        next = response.chunk().await.map_err(BodyError::Transport)?;
    }
    Ok(Bytes::from(body))
}

/// The buffer a body of several chunks starts with. A declared length is allocated at
/// once, so the buffer is never copied to grow; a lie costs no more than the limit, which
/// `read` checks first.
fn initial_capacity(declared: Option<usize>, first: usize, limit: usize) -> usize {
    declared.unwrap_or(INITIAL_CAPACITY).max(first).min(limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: Vec<u8>) -> Response {
        Response::from(http::Response::new(body))
    }

    #[tokio::test]
    async fn a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_not() {
        let body = read(response(vec![b'x'; 1000]), 1000)
            .await
            .expect("at the limit");
        assert_eq!(body.len(), 1000);
        assert!(matches!(
            read(response(vec![b'x'; 1001]), 1000).await,
            Err(BodyError::TooLarge)
        ));
        assert!(
            read(response(Vec::new()), 0)
                .await
                .expect("empty")
                .is_empty()
        );
    }

    #[test]
    fn a_declared_length_is_allocated_once_and_never_past_the_limit() {
        assert_eq!(initial_capacity(Some(300_000), 10, 1_000_000), 300_000);
        assert_eq!(initial_capacity(Some(300_000), 10, 1_000), 1_000);
        assert_eq!(initial_capacity(None, 10, 1_000_000), INITIAL_CAPACITY);
        assert_eq!(initial_capacity(None, 100_000, 1_000_000), 100_000);
    }

    #[tokio::test]
    async fn a_body_in_one_chunk_is_that_chunk_not_a_copy() {
        let sent = Bytes::from(vec![b'x'; 300_000]);
        let at = sent.as_ptr();
        let body = read(Response::from(http::Response::new(sent)), 1_000_000)
            .await
            .expect("fits");
        assert_eq!(body.as_ptr(), at);
        assert_eq!(body.len(), 300_000);
    }
}
