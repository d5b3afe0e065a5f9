//! The request the generated builders fill in: path segments, query pairs and a body.

use std::borrow::Cow;
use std::fmt::Display;

use super::form::{Form, FormWriter, Parts};
use super::json::Failure;
use super::operation::Operation;
use super::wire::{Encode, encode_document};

/// A request body, shared by the attempts of a call.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// `application/json`.
    Json(bytes::Bytes),
    /// `multipart/form-data`.
    Form(Parts),
}

/// One request, as a generated builder describes it.
#[derive(Debug)]
pub(crate) struct Request {
    pub operation: &'static Operation,
    /// Raw path segments; percent-encoded when the URL is built. The path's literal
    /// text is borrowed, not copied into every request.
    pub segments: Vec<Cow<'static, str>>,
    /// Query pairs in the order given; absent optional parameters are not here.
    pub query: Vec<(&'static str, String)>,
    /// The body, or why it could not be encoded.
    pub body: Option<Result<Body, Box<Failure>>>,
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
        }
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
            self.query.push((name, value.to_string()));
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
            self.query.push((name, joined));
        }
        self
    }

    /// Adds `name=1` or `name=0` when there is a value.
    pub fn query_flag(mut self, name: &'static str, value: Option<bool>) -> Self {
        if let Some(value) = value {
            self.query
                .push((name, if value { "1" } else { "0" }.to_owned()));
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
            self.query.push((name, value.to_string()));
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
        assert_eq!(
            request.query,
            [
                ("b", "two words".to_owned()),
                ("ids", "1,2,3".to_owned()),
                ("done", "0".to_owned()),
                ("deal_ids", "4".to_owned()),
                ("deal_ids", "5".to_owned())
            ]
        );
    }
}
