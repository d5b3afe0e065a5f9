//! The contract between emitted code and the hand-written runtime of the generated
//! crate (`generated/src/runtime/`): every runtime item emitted code may use, and every
//! name the runtime already takes, so that a spec cannot shadow it.
//!
//! Emitters never spell a runtime path themselves: they interpolate the constants here
//! (`quote!(#REQUEST::new(...))`). `tests/tests/contract.rs` reads the runtime's source
//! with `syn` and fails when it and these lists differ.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

/// A public runtime item, re-exported at the crate root: emitted as `crate::Name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Root(pub &'static str);

/// A crate-private runtime item of `runtime::support`: emitted as
/// `crate::runtime::support::name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Support(pub &'static str);

impl Support {
    /// The item's path as text, for attributes that take one (`deserialize_with`).
    pub fn path(&self) -> String {
        format!("crate::runtime::support::{}", self.0)
    }
}

/// A public item of the `mock` module, behind the `mock` feature: emitted as
/// `crate::mock::Name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mock(pub &'static str);

impl ToTokens for Mock {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = quote::format_ident!("{}", self.0);
        tokens.extend(quote!(crate::mock::#name));
    }
}

impl ToTokens for Root {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = quote::format_ident!("{}", self.0);
        tokens.extend(quote!(crate::#name));
    }
}

impl ToTokens for Support {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let name = quote::format_ident!("{}", self.0);
        tokens.extend(quote!(crate::runtime::support::#name));
    }
}

/// The client every resource handle borrows.
pub const CLIENT: Root = Root("Client");
/// The generated crate's name, as a doctest (which is outside the crate) spells it.
pub const CRATE: &str = "pipedrive";
/// The error every call returns.
pub const ERROR: Root = Root("Error");
/// A decoded response with its metadata.
pub const RESPONSE: Root = Root("Response");
/// A page of a cursor-paginated list.
pub const CURSOR_PAGE: Root = Root("CursorPage");
/// A page of an offset-paginated list.
pub const OFFSET_PAGE: Root = Root("OffsetPage");
/// The facts of an operation, each builder's `OPERATION`.
pub const OPERATION: Root = Root("Operation");
/// The HTTP method of an operation.
pub const HTTP_METHOD: Root = Root("HttpMethod");
/// A point in time in a model, kept as sent when it does not parse.
pub const TIMESTAMP: Root = Root("Timestamp");
/// A date in a model, kept as sent when it does not parse.
pub const DATE: Root = Root("Date");
/// The keys of an object that its model does not list.
pub const EXTRA: Root = Root("Extra");
/// A request-body field that can be absent, null or a value.
pub const NULLABLE: Root = Root("Nullable");
/// A file to upload in a multipart body.
pub const FILE: Root = Root("File");
/// A single value with the response's `additional_data`.
pub const WITH_ADDITIONAL: Root = Root("WithAdditional");
/// How often and how long a call is retried.
pub const RETRY_POLICY: Root = Root("RetryPolicy");
/// The value an enum's `Other` variant keeps.
pub const UNKNOWN: Root = Root("Unknown");
/// An item's custom field values, by field code.
pub const CUSTOM_FIELDS: Root = Root("CustomFields");
/// What a custom field's value can be set to.
pub const FIELD_VALUE: Root = Root("FieldValue");
/// What a field index reads of a field definition; the marked models implement it.
pub const FIELD_DEFINITION: Root = Root("FieldDefinition");
/// A field definition as a field index reads it.
pub const DEFINITION_REF: Root = Root("DefinitionRef");

/// Every name the crate root re-exports from the runtime, sorted.
pub const ROOT_EXPORTS: &[&str] = &[
    "ApiError",
    "Client",
    "ClientBuilder",
    "CursorPage",
    "CustomField",
    "CustomFieldError",
    "CustomFields",
    "DEFAULT_OAUTH_SERVER",
    "DEFAULT_TOKEN_URL",
    "Date",
    "DecodeError",
    "DefinitionRef",
    "Error",
    "Extra",
    "ExtraIter",
    "FieldDefinition",
    "FieldIndex",
    "FieldValue",
    "File",
    "FromJson",
    "HttpMethod",
    "IndexedField",
    "ItemError",
    "JsonError",
    "Lenient",
    "Money",
    "Nullable",
    "OAuth",
    "OAuthApp",
    "OAuthTokens",
    "OffsetPage",
    "OffsetPagination",
    "Operation",
    "RateLimit",
    "RateLimitError",
    "RateLimitScope",
    "RawRequest",
    "Response",
    "ResponseMeta",
    "RetryPolicy",
    "Timestamp",
    "ToJson",
    "TokenKind",
    "Unknown",
    "WithAdditional",
    "jiff",
    "mock",
    "reqwest",
    "url",
];

/// The request a builder fills in.
pub const REQUEST: Support = Support("Request");
/// A builder's own timeout and retry policy, which it hands its request.
pub const CALL_OPTIONS: Support = Support("CallOptions");
/// Sends and decodes `{"success": true, "data": T}`.
pub const SINGLE: Support = Support("single");
/// Sends and decodes `{"success": true, "data": T, "additional_data": A}`.
pub const SINGLE_ADDITIONAL: Support = Support("single_additional");
/// Sends and decodes `{"success": true, "data": [T, ...]}`, null as empty.
pub const SINGLE_LIST: Support = Support("single_list");
/// Sends and decodes `{"success": true, "data": T}` where `data` may be null.
pub const SINGLE_OPTIONAL: Support = Support("single_optional");
/// Sends and decodes a body that is the data itself.
pub const PLAIN: Support = Support("plain");
/// Sends and decodes a cursor page.
pub const CURSOR_PAGE_CALL: Support = Support("cursor_page");
/// Sends and decodes an offset page.
pub const OFFSET_PAGE_CALL: Support = Support("offset_page");
/// The lazy stream of every page.
pub const PAGES: Support = Support("pages");
/// The items of a stream of pages.
pub const ITEMS: Support = Support("items");
/// A value read from JSON; every model implements it.
pub const DECODE: Support = Support("Decode");
/// A value written as JSON; every model implements it.
pub const ENCODE: Support = Support("Encode");
/// The JSON reader a `Decode` impl reads from.
pub const READER: Support = Support("Reader");
/// What a `Decode` impl returns.
pub const READ: Support = Support("Read");
/// The JSON writer an `Encode` impl writes to.
pub const WRITER: Support = Support("Writer");
/// What an `Encode` impl returns.
pub const WRITTEN: Support = Support("Written");
/// Reads an object: the listed keys through a closure, the rest into `extra`.
pub const OBJECT: Support = Support("object");
/// Reads a field's value into its slot, once.
pub const FIELD: Support = Support("field");
/// The value of a field that must be there.
pub const REQUIRED: Support = Support("required");
/// Reads one of a few known words (string enum values).
pub const WORD: Support = Support("word");
/// Checks a request-body field's bounds before it is written.
pub const LIMITS: Support = Support("limits");
/// Reads a scalar union's value.
pub const UNION: Support = Support("union");
/// The member types a scalar union reads.
pub const UNION_MEMBER: Support = Support("UnionMember");
/// A scalar union's value, as read.
pub const SCALAR: Support = Support("Scalar");
/// A multipart body: an upload's model writes its parts.
pub const FORM: Support = Support("Form");
/// What an upload's `Form` impl writes to.
pub const FORM_WRITER: Support = Support("FormWriter");
/// `Serialize` through a model's `Encode`.
pub const SERIALIZE: Support = Support("serialize");
/// `Deserialize` through a model's `Decode`.
pub const DESERIALIZE: Support = Support("deserialize");
/// How a timestamp field is written.
pub const TIME_FORMAT: Support = Support("TimeFormat");
/// A timestamp as v1 writes it, for query parameters.
pub const V1_DATETIME: Support = Support("v1_datetime");

/// Every item of `runtime::support`.
pub const SUPPORT: &[Support] = &[
    REQUEST,
    CALL_OPTIONS,
    SINGLE,
    SINGLE_ADDITIONAL,
    SINGLE_LIST,
    SINGLE_OPTIONAL,
    PLAIN,
    CURSOR_PAGE_CALL,
    OFFSET_PAGE_CALL,
    PAGES,
    ITEMS,
    DECODE,
    ENCODE,
    READER,
    READ,
    WRITER,
    WRITTEN,
    OBJECT,
    FIELD,
    REQUIRED,
    WORD,
    LIMITS,
    UNION,
    UNION_MEMBER,
    SCALAR,
    FORM,
    FORM_WRITER,
    SERIALIZE,
    DESERIALIZE,
    TIME_FORMAT,
    V1_DATETIME,
];

/// The modules at the crate root besides the generated resources: a resource with one
/// of these names would be shadowed by it.
pub const ROOT_MODULES: &[&str] = &["api", "runtime"];

/// The cargo features the generated crate has besides one per resource; a resource of
/// one of these names would collide with it.
pub const FEATURES: &[&str] = &["default", "full", "mock", "native-tls", "rustls", "tracing"];

/// The feature the typed mocks are behind.
pub const MOCK_FEATURE: &str = "mock";
/// The fake server each resource's mock accessor is added to.
pub const MOCK_SERVER: Mock = Mock("MockServer");
/// One operation's expectation.
pub const EXPECTATION: Mock = Mock("Expectation");
/// The query of an operation with a body.
pub const NO_QUERY: Mock = Mock("NoQuery");
/// The body of an operation without one.
pub const NO_BODY: Mock = Mock("NoBody");
/// An operation whose success is one value.
pub const MOCK_DATA: Mock = Mock("Data");
/// An operation whose success is one value with an `additional_data`.
pub const MOCK_DATA_ADDITIONAL: Mock = Mock("DataWithAdditional");
/// A list operation.
pub const MOCK_PAGES: Mock = Mock("Pages");

/// Every public item of the `mock` module, sorted.
pub const MOCK_EXPORTS: &[&str] = &[
    "Data",
    "DataWithAdditional",
    "ErrorBody",
    "Expectation",
    "MOCK_API_TOKEN",
    "MOCK_CLIENT_ID",
    "MOCK_CLIENT_SECRET",
    "MockServer",
    "NoBody",
    "NoQuery",
    "Pages",
    "TokenEndpoint",
    "wiremock",
];

/// The inherent methods the runtime defines on `MockServer`; a resource's mock accessor
/// with one of these names would collide with it.
pub const MOCK_SERVER_METHODS: &[&str] = &[
    "builder_for",
    "client",
    "client_builder",
    "oauth",
    "oauth_client_builder",
    "oauth_token_endpoint",
    "prototype",
    "start",
    "uri",
    "verify",
    "wiremock",
];

/// The inherent methods the runtime defines on `Client`; a resource accessor with one
/// of these names would collide with it.
pub const CLIENT_METHODS: &[&str] = &[
    "base_url",
    "builder",
    "max_decoded_entries",
    "new",
    "rate_limit",
    "request",
];

/// The members of a request builder that are not a parameter's setter: its private
/// fields, its private `request`, and its calls. A parameter with one of these Rust names
/// would collide with it.
pub const BUILDER_MEMBERS: &[&str] = &[
    "all_items",
    "body",
    "client",
    "options",
    "pages",
    "request",
    "retry_policy",
    "send",
    "timeout",
];

/// The members of a model that are not a field's setter: its constructor, the map of
/// unlisted keys, and the setter of one custom field (on models with a `custom_fields`
/// field; reserved on all, so a field's name does not depend on its neighbours). A field
/// with one of these Rust names would collide with it.
pub const MODEL_MEMBERS: &[&str] = &["custom_field", "extra", "new"];

/// The methods every type has through the standard library's blanket impls (`Into`,
/// `TryInto`, `Borrow`, `BorrowMut`, `ToOwned`, `Any`). An inherent method of the same
/// name would shadow the trait's in method-call syntax, so no spec name may take one.
/// `From::from` and `TryFrom::try_from` are left out: a type converts from itself only,
/// which no one spells `Type::from`, and mail has a real `from` field.
pub const BLANKET_METHODS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone_into",
    "into",
    "to_owned",
    "try_into",
    "type_id",
];

/// The trait methods of `Client` and of the resource handles and their mocks (`Clone`,
/// `Debug`): a resource or operation with one of these names would shadow it.
pub const HANDLE_TRAIT_METHODS: &[&str] = &["clone", "clone_from", "fmt"];

/// The trait methods of a request builder (`Clone`, `Debug`, `IntoFuture`): a parameter's
/// setter with one of these names would shadow it.
pub const BUILDER_TRAIT_METHODS: &[&str] = &["clone", "clone_from", "fmt", "into_future"];

/// The trait methods of a model: its derives (`Clone`, `Debug`, `PartialEq`, `Default`),
/// serde's traits, the runtime's `Decode`/`Encode`/`Form` and blanket `FromJson`/`ToJson`,
/// and `FieldDefinition` on a field definition. A field's setter with one of these names
/// would shadow it.
pub const MODEL_TRAIT_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "decode",
    "default",
    "deserialize",
    "encode",
    "eq",
    "field_definition",
    "fmt",
    "form",
    "from_json",
    "ne",
    "serialize",
    "to_json",
];

/// Names from the standard prelude that emitted code uses unqualified; a generated type
/// with one of these names would shadow it in its module.
pub const PRELUDE_TYPES: &[&str] = &[
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Err",
    "From",
    "Into",
    "IntoIterator",
    "None",
    "Ok",
    "Option",
    "PartialEq",
    "Result",
    "Self",
    "Send",
    "Some",
    "String",
    "Sync",
    "ToString",
    "Vec",
];
