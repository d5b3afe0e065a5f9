//! The value an enum keeps when the API sends one this version of the client does not know.

use std::fmt;

/// A value of an enum that this version of the client does not know, as the API sent it:
/// what an enum's `Other` variant holds.
///
/// Only the client makes one, when a value matches none of the enum's variants, so an
/// `Other` never stands for a value the enum knows: `Visibility::from(3)` is
/// `Visibility::OwnerGroup`, and no code can build an `Other` of 3 that would compare
/// unequal to it. Build enum values from their variants, or convert a raw value with
/// `From`, which picks the variant when there is one.
///
/// ```
/// use pipedrive::common::Visibility;
///
/// assert_eq!(Visibility::from(3), Visibility::OwnerGroup);
/// match Visibility::from(4) {
///     Visibility::Other(unknown) => assert_eq!(*unknown.get(), 4),
///     known => panic!("4 is no visibility this client knows, not {known:?}"),
/// }
/// ```
///
/// There is no public constructor:
///
/// ```compile_fail
/// let three = pipedrive::Unknown::new(3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Unknown<T>(T);

impl<T> Unknown<T> {
    /// Keeps a value that the enum it belongs to has no variant for. Generated code
    /// calls it only after matching the value against every variant.
    #[allow(
        dead_code,
        reason = "part of the contract with generated code; a spec without enums never calls it"
    )]
    pub(crate) fn new(value: T) -> Self {
        Self(value)
    }

    /// The value as the API sent it.
    ///
    /// ```
    /// use pipedrive::common::Visibility;
    ///
    /// if let Visibility::Other(unknown) = Visibility::from(9) {
    ///     assert_eq!(*unknown.get(), 9);
    /// }
    /// ```
    pub fn get(&self) -> &T {
        &self.0
    }

    /// The value as the API sent it, taken out.
    ///
    /// ```
    /// use pipedrive::common::Visibility;
    ///
    /// if let Visibility::Other(unknown) = Visibility::from(9) {
    ///     assert_eq!(unknown.into_inner(), 9);
    /// }
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl Unknown<String> {
    /// The text as the API sent it.
    ///
    /// ```
    /// use pipedrive::common::SortDirection;
    ///
    /// if let SortDirection::Other(unknown) = SortDirection::from("sideways") {
    ///     assert_eq!(unknown.as_str(), "sideways");
    /// }
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<T: fmt::Display> fmt::Display for Unknown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::Unknown;

    #[test]
    fn keeps_the_value_as_sent() {
        let text = Unknown::new("clicked".to_owned());
        assert_eq!(text.as_str(), "clicked");
        assert_eq!(text.to_string(), "clicked");
        assert_eq!(text.clone().into_inner(), "clicked");
        let code = Unknown::new(4_i64);
        assert_eq!(
            (*code.get(), code.into_inner(), code.to_string()),
            (4, 4, "4".to_owned())
        );
    }
}
