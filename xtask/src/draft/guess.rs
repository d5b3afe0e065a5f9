//! Guesses from Pipedrive's prose and examples: comma-separated lists, values listed in
//! a description, time formats, bounds, typed ids. Each guess ends up in the draft with
//! a `# REVIEW:` comment; nothing here decides on its own.

use super::names::{camel, singular_camel};

/// A string format of the dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum Format {
    /// `rfc3339`.
    Rfc3339,
    /// `v1_datetime`: `YYYY-MM-DD HH:MM:SS`.
    V1Datetime,
    /// `date`.
    Date,
    /// `time`.
    Time,
    /// `uuid`.
    Uuid,
}

impl Format {
    /// As the dialect writes it.
    pub(super) fn word(self) -> &'static str {
        match self {
            Self::Rfc3339 => "rfc3339",
            Self::V1Datetime => "v1_datetime",
            Self::Date => "date",
            Self::Time => "time",
            Self::Uuid => "uuid",
        }
    }
}

/// Whether a description says its value is a comma-separated list.
pub(super) fn says_comma_separated(description: &str) -> bool {
    let lower = description.to_lowercase();
    lower.contains("comma separated") || lower.contains("comma-separated")
}

/// The values a description lists after words such as "one of" or "supported values",
/// when it lists at least two (`asc`, `desc`).
pub(super) fn listed_values(description: &str) -> Option<Vec<String>> {
    const MARKERS: &[&str] = &[
        "one of",
        "possible values",
        "supported values",
        "allowed values",
        "valid values",
        "can be",
        "either",
        "values are",
        "values:",
    ];
    let lower = description.to_lowercase();
    let at = MARKERS.iter().filter_map(|m| lower.find(m)).min()?;
    // The rest of the sentence: up to a full stop before a space, or a line break.
    let tail = &description[at..];
    let end = tail
        .char_indices()
        .find(|&(i, c)| c == '\n' || (c == '.' && tail[i + 1..].starts_with(' ')))
        .map_or(tail.len(), |(i, _)| i);
    let tail = &tail[..end];
    let mut values: Vec<String> = Vec::new();
    for quote in ['`', '\'', '"'] {
        let parts: Vec<&str> = tail.split(quote).collect();
        for value in parts.iter().skip(1).step_by(2).take(parts.len() / 2) {
            let value = value.trim();
            if !value.is_empty() && value.len() <= 40 && !values.iter().any(|v| v == value) {
                values.push(value.to_owned());
            }
        }
        if values.len() >= 2 {
            return Some(values);
        }
        values.clear();
    }
    // `one of: open, won, lost`
    let (_, list) = tail.split_once(':')?;
    let words: Vec<String> = list
        .split([',', '/'])
        .flat_map(|part| part.split(" or "))
        .map(|w| w.trim().trim_end_matches('.').to_owned())
        .filter(|w| !w.is_empty())
        .collect();
    let simple = words.iter().all(|w| {
        w.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    });
    (words.len() >= 2 && simple).then_some(words)
}

/// The format a description names (`RFC3339`, `YYYY-MM-DD HH:MM:SS`, `YYYY-MM-DD`,
/// `HH:MM`).
pub(super) fn format_in_text(description: &str) -> Option<Format> {
    let upper = description.to_uppercase();
    if upper.contains("RFC3339")
        || upper.contains("RFC 3339")
        || upper.contains("ISO 8601")
        || upper.contains("ISO8601")
        || upper.contains("YYYY-MM-DDTHH")
    {
        Some(Format::Rfc3339)
    } else if upper.contains("YYYY-MM-DD HH:MM") {
        Some(Format::V1Datetime)
    } else if upper.contains("YYYY-MM-DD") {
        Some(Format::Date)
    } else if upper.contains("HH:MM") {
        Some(Format::Time)
    } else {
        None
    }
}

/// The format an example value has (`2025-01-01T10:20:00Z`, `2025-01-01 10:20:00`,
/// `2025-01-01`, `10:20`).
pub(super) fn format_of_example(example: &str) -> Option<Format> {
    let b = example.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range.clone())
            .is_some_and(|part| part.iter().all(u8::is_ascii_digit))
    };
    let time_at =
        |at: usize| digits(at..at + 2) && b.get(at + 2) == Some(&b':') && digits(at + 3..at + 5);
    let date = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10);
    if date {
        return match b.get(10) {
            None => Some(Format::Date),
            Some(b'T') if time_at(11) => Some(Format::Rfc3339),
            Some(b' ') if time_at(11) && b.len() == 19 => Some(Format::V1Datetime),
            _ => None,
        };
    }
    ((b.len() == 5 || (b.len() == 8 && b[5] == b':' && digits(6..8))) && time_at(0))
        .then_some(Format::Time)
}

/// A bound a description states: "a maximum value of 500 is allowed".
pub(super) fn maximum_in_text(description: &str) -> Option<i64> {
    number_after(
        description,
        &["maximum value of ", "maximum of ", "max value of "],
    )
}

/// A number of items a description allows: "up to 100".
pub(super) fn up_to_in_text(description: &str) -> Option<i64> {
    number_after(description, &["up to "])
}

fn number_after(description: &str, markers: &[&str]) -> Option<i64> {
    let lower = description.to_lowercase();
    markers.iter().find_map(|marker| {
        let at = lower.find(marker)? + marker.len();
        let digits: String = lower[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    })
}

/// The typed id a field or parameter named like an id could be (`deal_id` → `DealId`,
/// `deal_ids` → `DealId`, `id` of a `Deal` → `DealId`), or `None` when the name is not an
/// id's.
pub(super) fn typed_id(name: &str, owner: &str) -> Option<String> {
    if name == "id" || name == "ids" {
        return Some(format!("{}Id", singular_camel(owner)));
    }
    let stem = name
        .strip_suffix("_ids")
        .or_else(|| name.strip_suffix("_id"))?;
    (!stem.is_empty()).then(|| format!("{}Id", camel(stem)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_lists_are_recognised() {
        assert!(says_comma_separated(
            "Optional comma separated string array of IDs"
        ));
        assert!(says_comma_separated("A Comma-Separated list"));
        assert!(!says_comma_separated("A list of commas"));
    }

    #[test]
    fn listed_values_are_found() {
        assert_eq!(
            listed_values("The sorting direction. Supported values: `asc`, `desc`."),
            Some(vec!["asc".to_owned(), "desc".to_owned()])
        );
        assert_eq!(
            listed_values("The status, one of: open, won, lost"),
            Some(vec!["open".to_owned(), "won".to_owned(), "lost".to_owned()])
        );
        assert_eq!(
            listed_values("Can be 'a' or 'b'. Then `c` and `d`"),
            Some(vec!["a".to_owned(), "b".to_owned()])
        );
        assert_eq!(listed_values("The name of the deal"), None);
        assert_eq!(listed_values("It can be anything"), None);
    }

    #[test]
    fn formats() {
        assert_eq!(
            format_in_text("In RFC3339 format, e.g. x"),
            Some(Format::Rfc3339)
        );
        assert_eq!(
            format_in_text("Format: YYYY-MM-DD HH:MM:SS"),
            Some(Format::V1Datetime)
        );
        assert_eq!(format_in_text("Format: YYYY-MM-DD"), Some(Format::Date));
        assert_eq!(format_in_text("Format: HH:MM"), Some(Format::Time));
        assert_eq!(format_in_text("The name"), None);
        assert_eq!(
            format_of_example("2025-01-01T10:20:00Z"),
            Some(Format::Rfc3339)
        );
        assert_eq!(
            format_of_example("2025-01-01 10:20:00"),
            Some(Format::V1Datetime)
        );
        assert_eq!(format_of_example("2025-01-01"), Some(Format::Date));
        assert_eq!(format_of_example("10:20"), Some(Format::Time));
        assert_eq!(format_of_example("10:20:30"), Some(Format::Time));
        assert_eq!(format_of_example("2025-01-01x"), None);
        assert_eq!(format_of_example("1"), None);
        assert_eq!(format_of_example("12345"), None);
    }

    #[test]
    fn bounds_and_ids() {
        assert_eq!(
            maximum_in_text("Please note that a maximum value of 500 is allowed."),
            Some(500)
        );
        assert_eq!(up_to_in_text("Up to 100 IDs"), Some(100));
        assert_eq!(typed_id("deal_id", "Activity").as_deref(), Some("DealId"));
        assert_eq!(typed_id("deal_ids", "Activity").as_deref(), Some("DealId"));
        assert_eq!(typed_id("id", "Activities").as_deref(), Some("ActivityId"));
        assert_eq!(typed_id("valid", "Activity"), None);
        assert_eq!(typed_id("_id", "Activity"), None);
    }
}
