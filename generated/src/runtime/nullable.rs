//! A request-body field that may also be sent as `null`: absent, null or a value.

/// A field of a request body that the API lets you clear: left out of the body
/// ([`Absent`](Self::Absent), the default, so the field is not changed), sent as `null`
/// ([`Null`](Self::Null), which clears it), or sent with a value.
///
/// Setters take anything that converts: a value, `None` (null), or a `Nullable`.
///
/// ```
/// use pipedrive::Nullable;
///
/// let keep: Nullable<i64> = Nullable::default();
/// let clear: Nullable<i64> = None.into();
/// let set: Nullable<i64> = 5.into();
/// assert_eq!((keep, clear, set), (Nullable::Absent, Nullable::Null, Nullable::Value(5)));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not sent: the API leaves the field as it is.
    #[default]
    Absent,
    /// Sent as `null`: the API clears the field.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// The value, when there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// Whether the field is left out of the body.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

/// `None` is null: the field is cleared.
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Self::Value(value),
            None => Self::Null,
        }
    }
}

impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Self::Value(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_way_in_gives_its_state() {
        assert_eq!(Nullable::from(5), Nullable::Value(5));
        assert_eq!(Nullable::from(Some(5)), Nullable::Value(5));
        assert_eq!(Nullable::<i32>::from(None), Nullable::Null);
        assert_eq!(Nullable::from("x"), Nullable::Value("x".to_owned()));
        assert_eq!(Nullable::Value(5).value(), Some(&5));
        assert_eq!(Nullable::<i32>::Null.value(), None);
        assert_eq!(Nullable::<i32>::Absent.value(), None);
        assert!(Nullable::<i32>::default().is_absent());
        assert!(!Nullable::<i32>::Null.is_absent());
        assert!(!Nullable::Value(0).is_absent());
    }
}
