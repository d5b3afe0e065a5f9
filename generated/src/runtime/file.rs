//! [`File`]: what an upload sends, from memory or from a stream that is never read whole
//! into memory.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::Stream;

/// A stream of a file's content, read as it is sent.
pub(crate) type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, std::io::Error>> + Send>>;

/// A file to upload in a multipart body: its name, its content type and its content.
///
/// Content in memory ([`from_bytes`](Self::from_bytes)) is shared, not copied, by the
/// body's clones and by the attempts of a call that is retried. Content from a stream
/// ([`from_stream`](Self::from_stream)) is read chunk by chunk while the request is sent,
/// never whole into memory, and so can be sent once: a call that would send it again (a
/// retry after a rate limit, say) fails with [`Error::InvalidArgument`](crate::Error)
/// instead, and a clone of the file shares the one stream.
///
/// ```
/// use pipedrive::File;
///
/// let logo = File::from_bytes("logo.png", "image/png", vec![0x89, b'P', b'N', b'G']);
/// assert_eq!((logo.name(), logo.content_type(), logo.len()), ("logo.png", "image/png", Some(4)));
///
/// let chunks = futures::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"..."))]);
/// let streamed = File::from_stream("big.png", "image/png", chunks);
/// assert_eq!(streamed.len(), None);
/// ```
#[derive(Clone)]
pub struct File {
    name: String,
    content_type: String,
    content: Content,
}

#[derive(Clone)]
enum Content {
    Bytes(Bytes),
    /// Taken by the first request that sends it.
    Stream(Arc<Mutex<Option<ByteStream>>>),
}

impl File {
    /// A file whose content is in memory.
    pub fn from_bytes(
        name: impl Into<String>,
        content_type: impl Into<String>,
        content: impl Into<Bytes>,
    ) -> Self {
        Self {
            name: name.into(),
            content_type: content_type.into(),
            content: Content::Bytes(content.into()),
        }
    }

    /// A file whose content is read from `stream` as the request is sent.
    pub fn from_stream(
        name: impl Into<String>,
        content_type: impl Into<String>,
        stream: impl Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static,
    ) -> Self {
        Self {
            name: name.into(),
            content_type: content_type.into(),
            content: Content::Stream(Arc::new(Mutex::new(Some(Box::pin(stream))))),
        }
    }

    /// The file name the upload gives.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The content type the upload gives.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The size of content in memory; `None` for a stream.
    pub fn len(&self) -> Option<u64> {
        match &self.content {
            Content::Bytes(bytes) => u64::try_from(bytes.len()).ok(),
            Content::Stream(_) => None,
        }
    }

    /// Whether the content is in memory and empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The content to send: the bytes, or the stream if nothing has taken it yet.
    pub(crate) fn take(&self) -> Option<Payload> {
        match &self.content {
            Content::Bytes(bytes) => Some(Payload::Bytes(bytes.clone())),
            Content::Stream(stream) => stream
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
                .map(Payload::Stream),
        }
    }
}

/// A file's content, ready to send.
pub(crate) enum Payload {
    Bytes(Bytes),
    Stream(ByteStream),
}

/// Never the content: a file may be large, and it is the caller's.
impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("File");
        debug
            .field("name", &self.name)
            .field("content_type", &self.content_type);
        match &self.content {
            Content::Bytes(bytes) => debug.field("len", &bytes.len()),
            Content::Stream(_) => debug.field("content", &"a stream"),
        };
        debug.finish()
    }
}

/// Files are equal when their name, type and content are: the same bytes, or the same
/// stream.
impl PartialEq for File {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.content_type == other.content_type
            && match (&self.content, &other.content) {
                (Content::Bytes(a), Content::Bytes(b)) => a == b,
                (Content::Stream(a), Content::Stream(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_sent_every_time_and_a_stream_once() {
        let file = File::from_bytes("a.txt", "text/plain", "hello");
        assert_eq!((file.name(), file.content_type()), ("a.txt", "text/plain"));
        assert_eq!(file.len(), Some(5));
        assert!(!file.is_empty());
        assert!(File::from_bytes("e", "text/plain", "").is_empty());
        assert_eq!(file, File::from_bytes("a.txt", "text/plain", "hello"));
        assert_ne!(file, File::from_bytes("a.txt", "text/plain", "other"));
        assert_ne!(file, File::from_bytes("b.txt", "text/plain", "hello"));
        assert!(matches!(file.take(), Some(Payload::Bytes(b)) if b == "hello"));
        assert!(
            file.clone().take().is_some(),
            "bytes are shared, not used up"
        );
        let stream = File::from_stream("b.txt", "text/plain", futures::stream::empty());
        let copy = stream.clone();
        assert_eq!(stream, copy);
        assert_eq!(stream.len(), None, "a stream's length is not known");
        assert!(!stream.is_empty());
        assert_ne!(stream, file);
        assert!(matches!(stream.take(), Some(Payload::Stream(_))));
        assert!(copy.take().is_none(), "a clone shares the one stream");
        assert_ne!(
            File::from_stream("b.txt", "text/plain", futures::stream::empty()),
            copy
        );
    }

    #[test]
    fn debug_shows_no_content() {
        let file = File::from_bytes("secret.txt", "text/plain", "the content");
        let debug = format!("{file:?}");
        assert!(!debug.contains("the content"), "{debug}");
        assert!(
            debug.contains("secret.txt") && debug.contains("len: 11"),
            "{debug}"
        );
    }
}
