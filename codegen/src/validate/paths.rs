//! Path templates and version prefixes, parsed into segments: what a path may hold as
//! written, so that the request on the wire is exactly the path the spec gives.

/// One segment of a path as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RawSegment<'s> {
    /// Fixed text.
    Literal(&'s str),
    /// A whole `{name}` placeholder.
    Placeholder(&'s str),
}

/// Why a path cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PathError {
    pub message: String,
    pub hint: Option<String>,
}

impl PathError {
    fn new(message: String, hint: &str) -> Self {
        Self {
            message,
            hint: Some(hint.to_owned()),
        }
    }
}

/// The characters a literal segment may hold: RFC 3986's unreserved set, which no URL
/// library rewrites or encodes.
fn unreserved(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~')
}

/// Parses an absolute path: `/` followed by non-empty segments separated by `/`, each
/// plain unreserved text or one whole `{name}` placeholder; never `.` or `..`. `what`
/// names it in messages: `path` or `prefix`.
pub(super) fn parse<'s>(path: &'s str, what: &str) -> Result<Vec<RawSegment<'s>>, PathError> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err(PathError::new(
            format!("{what} `{path}` must start with `/`"),
            "write it as an absolute path, for example `/api/v2`",
        ));
    };
    let mut segments = Vec::new();
    for segment in rest.split('/') {
        if segment.is_empty() {
            return Err(PathError::new(
                format!("{what} `{path}` has an empty segment"),
                "remove the doubled or trailing `/`",
            ));
        }
        if segment == "." || segment == ".." {
            return Err(PathError::new(
                format!("{what} `{path}` has a `{segment}` segment, which URLs resolve away"),
                "write the path without dot segments",
            ));
        }
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(PathError::new(
                    format!("placeholder `{segment}` in {what} `{path}` must name a parameter"),
                    "a placeholder is `{name}`, with letters, digits and `_`",
                ));
            }
            segments.push(RawSegment::Placeholder(name));
            continue;
        }
        if let Some(bad) = segment.chars().find(|&c| !unreserved(c)) {
            return Err(PathError::new(
                format!(
                    "{what} segment `{segment}` holds `{bad}`, which a path cannot hold as written"
                ),
                "a segment is plain text of letters, digits, `-`, `.`, `_` and `~`, or one whole `{name}` placeholder",
            ));
        }
        segments.push(RawSegment::Literal(segment));
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_literals_and_placeholders() {
        assert_eq!(
            parse("/organizations/{id}/mailMessages", "path"),
            Ok(vec![
                RawSegment::Literal("organizations"),
                RawSegment::Placeholder("id"),
                RawSegment::Literal("mailMessages")
            ])
        );
        assert_eq!(
            parse("/api/v2", "prefix"),
            Ok(vec![RawSegment::Literal("api"), RawSegment::Literal("v2")])
        );
    }

    #[test]
    fn rejects_what_would_change_on_the_wire() {
        for bad in [
            "things", "/", "/a//b", "/a/", "/a/./b", "/a/..", "/a?b=1", "/a#b", "/a%20b", "/a b",
            "/{}", "/{a}b", "/x{a}", "/{a-b}",
        ] {
            assert!(parse(bad, "path").is_err(), "{bad} parsed");
        }
    }
}
