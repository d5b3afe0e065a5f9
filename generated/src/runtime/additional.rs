//! What an operation returns when its response carries an `additional_data` worth
//! keeping beside `data`.

/// The `data` of a response and its `additional_data`, for the operations whose
/// `additional_data` says something about the result: that more remain to delete, say.
///
/// ```
/// use pipedrive::WithAdditional;
///
/// let deleted = WithAdditional::new(vec![1, 2, 3], Some(true));
/// assert_eq!(deleted.data, [1, 2, 3]);
/// assert_eq!(deleted.additional_data, Some(true));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WithAdditional<T, A> {
    /// The response's `data`.
    pub data: T,
    /// The response's `additional_data`; `None` when it was left out or null.
    pub additional_data: Option<A>,
}

impl<T, A> WithAdditional<T, A> {
    /// A value from its parts, for tests and mocks.
    pub fn new(data: T, additional_data: Option<A>) -> Self {
        Self {
            data,
            additional_data,
        }
    }
}
