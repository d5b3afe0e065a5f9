//! What the API description says about an operation, available at run time.

/// The HTTP methods the API uses.
///
/// ```
/// use pipedrive::{Client, HttpMethod};
/// use pipedrive::organizations::DeleteRequest;
///
/// assert_eq!(DeleteRequest::OPERATION.method, HttpMethod::Delete);
/// // A raw call names its method.
/// let client = Client::new("token")?;
/// let call = client.request(HttpMethod::Get, "/api/v1/webhooks");
/// # let _ = call;
/// # Ok::<(), pipedrive::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl HttpMethod {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Self::Get => reqwest::Method::GET,
            Self::Post => reqwest::Method::POST,
            Self::Put => reqwest::Method::PUT,
            Self::Patch => reqwest::Method::PATCH,
            Self::Delete => reqwest::Method::DELETE,
        }
    }
}

/// One operation of the API: each request builder has it as its `OPERATION` constant.
///
/// ```
/// use pipedrive::organizations::{GetRequest, ListRequest};
///
/// let list = ListRequest::OPERATION;
/// assert_eq!((list.id, list.path, list.version), ("getOrganizations", "/api/v2/organizations", "v2"));
/// // What a sync of 200 organizations, one at a time, costs in rate-limit tokens.
/// let cost = 200 * GetRequest::OPERATION.cost;
/// # let _ = cost;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The stable operation id, for example `getOrganization`; `raw` for a call made
    /// with [`Client::request`](crate::Client::request).
    pub id: &'static str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template, for example `/api/v2/organizations/{id}`; `*` for a raw call,
    /// which has none.
    pub path: &'static str,
    /// The API version, `v1` or `v2`; empty for a raw call.
    pub version: &'static str,
    /// The rate-limit tokens one call costs.
    pub cost: u32,
}

#[cfg(test)]
impl HttpMethod {
    /// Every method, for tests that go through each.
    pub(crate) const ALL: [HttpMethod; 5] = [
        HttpMethod::Get,
        HttpMethod::Post,
        HttpMethod::Put,
        HttpMethod::Patch,
        HttpMethod::Delete,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_method_is_named_and_sent_as_http_spells_it() {
        for method in HttpMethod::ALL {
            assert_eq!(method.to_reqwest().as_str(), method.as_str());
        }
        assert_eq!(HttpMethod::Patch.as_str(), "PATCH");
    }
}
