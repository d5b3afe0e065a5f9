//! The request the generated builders fill in: path segments, query pairs, a body, and
//! the call's own settings (a timeout and a retry policy) when it has any.

use std::borrow::Cow;
use std::fmt::Display;
use std::time::Duration;

use super::form::{Form, FormWriter, Parts};
use super::json::Failure;
use super::operation::Operation;
use super::retry::RetryPolicy;
use super::wire::{Encode, encode_document};

/// A request body, shared by the attempts of a call.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// `application/json`.
    Json(bytes::Bytes),
    /// `multipart/form-data`.
    Form(Parts),
}

/// A call's own settings, which a generated builder keeps until it builds its request:
/// the bound on the whole call and the retry policy, each in place of the client's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CallOptions {
    /// See [`Request::with_timeout`].
    pub timeout: Option<Duration>,
    /// See [`Request::with_retry`].
    pub retry: Option<RetryPolicy>,
}

/// One request, as a generated builder describes it.
#[derive(Debug)]
pub(crate) struct Request {
    pub operation: &'static Operation,
    /// Raw path segments; percent-encoded when the URL is built. The path's literal
    /// text is borrowed, not copied into every request.
    pub segments: Vec<Cow<'static, str>>,
    /// Query pairs in the order given; absent optional parameters are not here. A
    /// generated builder's names are borrowed; a raw call's are its caller's.
    pub query: Vec<(Cow<'static, str>, String)>,
    /// The body, or why it could not be encoded.
    pub body: Option<Result<Body, Box<Failure>>>,
    /// The bound on the whole call, when it has its own: see [`Request::with_timeout`].
    pub timeout: Option<Duration>,
    /// The call's own retry policy, in place of the client's.
    pub retry: Option<RetryPolicy>,
    /// The rate-limit tokens the call costs, when not the operation's (a raw call's
    /// caller says); shown in the request's `tracing` span.
    pub cost: Option<u32>,
    /// The path as the caller wrote it, for a raw call, which has no template: shown in
    /// the request's `tracing` span in place of the operation's path.
    pub path_text: Option<String>,
}

#[allow(
    dead_code,
    reason = "part of the contract with generated code, which uses what its spec needs"
)]
impl Request {
    pub fn new(operation: &'static Operation) -> Self {
        Self {
            operation,
            segments: Vec::new(),
            query: Vec::new(),
            body: None,
            timeout: None,
            retry: None,
            cost: None,
            path_text: None,
        }
    }

    /// Bounds the whole call by `timeout`, when given (`Duration` or
    /// `Option<Duration>`; `None` leaves the request as it is).
    ///
    /// The bound covers everything the call waits for: an OAuth refresh, the burst
    /// limiter, every attempt and redirect hop, every wait between retries, and reading
    /// the body (decoding, which waits for nothing, is not timed). It replaces the
    /// client's own per-attempt timeout ([`ClientBuilder::timeout`]) for this call: each
    /// attempt may take whatever time is left, longer or shorter than the client's.
    /// The client's connect timeout still applies to each connection. A retry whose
    /// wait would end at or after the bound is not made: the call returns the last
    /// error at once instead of sleeping into its timeout. When the bound passes, the
    /// call is [`Error::Timeout`](crate::Error::Timeout).
    ///
    /// [`ClientBuilder::timeout`]: crate::ClientBuilder::timeout
    pub fn with_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        if let Some(timeout) = timeout.into() {
            self.timeout = Some(timeout);
        }
        self
    }

    /// Retries this call as `policy` says instead of as the client's policy does, when
    /// given (`RetryPolicy` or `Option<RetryPolicy>`; `None` leaves the request as it
    /// is). The rules of when a failure may be retried do not change (see
    /// [`RetryPolicy`]); only how often and how long.
    pub fn with_retry(mut self, policy: impl Into<Option<RetryPolicy>>) -> Self {
        if let Some(policy) = policy.into() {
            self.retry = Some(policy);
        }
        self
    }

    /// Takes a builder's own settings: its timeout and retry policy, where it has them.
    pub fn with_options(self, options: CallOptions) -> Self {
        self.with_timeout(options.timeout).with_retry(options.retry)
    }

    /// Appends a segment of the path's literal text.
    pub fn literal(mut self, text: &'static str) -> Self {
        self.segments.push(Cow::Borrowed(text));
        self
    }

    /// Appends a path segment that is a parameter's value.
    pub fn segment(mut self, value: impl Display) -> Self {
        self.segments.push(Cow::Owned(value.to_string()));
        self
    }

    /// Adds `name=value` when there is a value.
    pub fn query(mut self, name: &'static str, value: Option<impl Display>) -> Self {
        if let Some(value) = value {
            self.query.push((Cow::Borrowed(name), value.to_string()));
        }
        self
    }

    /// Adds `name=a,b,c` when there is a list.
    pub fn query_comma<T: Display>(mut self, name: &'static str, values: Option<&[T]>) -> Self {
        if let Some(values) = values {
            let joined = values
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",");
            self.query.push((Cow::Borrowed(name), joined));
        }
        self
    }

    /// Adds `name=1` or `name=0` when there is a value.
    pub fn query_flag(mut self, name: &'static str, value: Option<bool>) -> Self {
        if let Some(value) = value {
            self.query.push((
                Cow::Borrowed(name),
                if value { "1" } else { "0" }.to_owned(),
            ));
        }
        self
    }

    /// The operation, path and query of this request, without its body.
    #[cfg(feature = "mock")]
    pub fn head(&self) -> Self {
        Self {
            operation: self.operation,
            segments: self.segments.clone(),
            query: self.query.clone(),
            body: None,
            timeout: self.timeout,
            retry: self.retry,
            cost: self.cost,
            path_text: self.path_text.clone(),
        }
    }

    /// Sets the JSON body.
    pub fn json(mut self, body: &(impl Encode + ?Sized)) -> Self {
        self.body = Some(encode_document(body).map(|json| Body::Json(json.into())));
        self
    }

    /// Sets a multipart body: an upload.
    pub fn multipart(mut self, body: &impl Form) -> Self {
        let mut form = FormWriter::default();
        body.form(&mut form);
        self.body = Some(Ok(Body::Form(form.finish())));
        self
    }

    /// Adds `name=a&name=b&…`, the parameter once per item, when there is a list.
    pub fn query_explode<T: Display>(mut self, name: &'static str, values: Option<&[T]>) -> Self {
        for value in values.into_iter().flatten() {
            self.query.push((Cow::Borrowed(name), value.to_string()));
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::operation::HttpMethod;

    const OPERATION: Operation = Operation {
        id: "test",
        method: HttpMethod::Get,
        path: "/x/{id}",
        version: "v2",
        cost: 1,
    };

    #[test]
    fn leaves_out_absent_parameters_and_joins_lists() {
        let request = Request::new(&OPERATION)
            .literal("x")
            .segment(42)
            .query("a", None::<i64>)
            .query("b", Some("two words"))
            .query_comma("ids", Some(&[1, 2, 3][..]))
            .query_comma::<i64>("none", None)
            .query_flag("done", Some(false))
            .query_explode("deal_ids", Some(&[4, 5][..]))
            .query_explode::<i64>("absent", None);
        assert_eq!(request.segments, ["x", "42"]);
        let query: Vec<(&str, &str)> = request
            .query
            .iter()
            .map(|(name, value)| (name.as_ref(), value.as_str()))
            .collect();
        assert_eq!(
            query,
            [
                ("b", "two words"),
                ("ids", "1,2,3"),
                ("done", "0"),
                ("deal_ids", "4"),
                ("deal_ids", "5")
            ]
        );
    }

    #[test]
    fn a_call_s_own_settings_are_kept_and_none_changes_nothing() {
        let plain = Request::new(&OPERATION);
        assert_eq!((plain.timeout, plain.retry), (None, None));
        let own = Request::new(&OPERATION)
            .with_timeout(Duration::from_secs(5))
            .with_retry(RetryPolicy::none())
            .with_timeout(None)
            .with_retry(None);
        assert_eq!(own.timeout, Some(Duration::from_secs(5)));
        assert_eq!(own.retry, Some(RetryPolicy::none()));
        let optional = Request::new(&OPERATION).with_timeout(Some(Duration::from_secs(1)));
        assert_eq!(optional.timeout, Some(Duration::from_secs(1)));
        let options = CallOptions {
            timeout: Some(Duration::from_secs(2)),
            retry: None,
        };
        let built = Request::new(&OPERATION)
            .with_retry(RetryPolicy::none())
            .with_options(options);
        assert_eq!(built.timeout, Some(Duration::from_secs(2)));
        assert_eq!(built.retry, Some(RetryPolicy::none()));
        let none = Request::new(&OPERATION).with_options(CallOptions::default());
        assert_eq!((none.timeout, none.retry), (None, None));
    }
}
