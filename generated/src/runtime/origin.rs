//! Where a credential may go. Every URL that carries one (the base URL, the token
//! endpoint, an `api_domain` from a token response) passes [`credential_url`]; a redirect
//! is followed only to the [`same_origin`], and what a redirect's `Location` may carry
//! (a user name and password, query values) is [`redacted`] before it is logged or kept.

use url::{Host, Url};

/// Pipedrive's own hosts: `pipedrive.com` and its subdomains.
const PIPEDRIVE: &str = "pipedrive.com";

/// Checks that `url` may carry a credential: `https`, or plain `http` to a loopback
/// address (so tests and local proxies work without a flag); no userinfo, query or
/// fragment, which a base URL has no use for and which would end up in every request.
/// `what` names the URL in the error.
pub(crate) fn credential_url(what: &str, text: &str) -> Result<Url, String> {
    let url = encrypted_url(what, text)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{what} `{text}` must not have a query or fragment"));
    }
    Ok(url)
}

/// Checks an OAuth app's `redirect_uri`, where Pipedrive sends the user back with an
/// authorization code: by the same rule as [`credential_url`], since the code is a
/// credential, except that it may have a query. A fragment is refused as OAuth 2 says
/// (RFC 6749, 3.1.2).
pub(crate) fn redirect_uri(text: &str) -> Result<Url, String> {
    let what = "redirect URI";
    let url = encrypted_url(what, text)?;
    if url.fragment().is_some() {
        return Err(format!("{what} `{text}` must not have a fragment"));
    }
    Ok(url)
}

/// `text` as a URL that is `https`, or `http` to a loopback address, with no user name
/// or password.
fn encrypted_url(what: &str, text: &str) -> Result<Url, String> {
    let shown = text.escape_debug();
    let url =
        Url::parse(text).map_err(|error| format!("{what} `{shown}` is not a URL: {error}"))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(format!(
                "{what} `{shown}` is plain http, which would send the credential unencrypted; \
                 use https (http is allowed only to 127.0.0.0/8, ::1 and localhost)"
            ));
        }
        _ => return Err(format!("{what} `{shown}` must be an https URL")),
    }
    // An http or https URL always has a host and can be a base: `Url::parse` refuses
    // one without.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{what} `{shown}` must not carry a user name or password"
        ));
    }
    Ok(url)
}

/// Whether `url`'s host is a loopback address or `localhost`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// Whether `url`'s host is `pipedrive.com` or one of its subdomains.
pub(crate) fn is_pipedrive(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => {
            let domain = domain.trim_end_matches('.').to_ascii_lowercase();
            domain == PIPEDRIVE
                || domain
                    .strip_suffix(PIPEDRIVE)
                    .is_some_and(|rest| rest.ends_with('.'))
        }
        _ => false,
    }
}

/// What stands in for a part of a URL that is not shown.
const REDACTED: &str = "[redacted]";

/// A redirect's `Location`, resolved against the URL that was redirected (`base`), as it
/// may be logged and kept in an error: see [`redacted`]. A `Location` that is not a URL
/// is not shown at all.
pub(crate) fn redacted_location(base: &Url, location: &str) -> String {
    match base.join(location) {
        Ok(url) => redacted(&url),
        Err(_) => format!("{REDACTED} (not a URL, {} bytes)", location.len()),
    }
}

/// `url` without what may be a credential: scheme, host, port and path are kept; a user
/// name and password, each query value (and a query entry without a name) and the
/// fragment become `[redacted]`; a URL without a host (`javascript:…`) keeps only its
/// scheme. What is left has no control characters: `url` percent-encodes them.
pub(crate) fn redacted(url: &Url) -> String {
    let Some(host) = url.host_str() else {
        return format!("{}:{REDACTED}", url.scheme());
    };
    let mut shown = format!("{}://", url.scheme());
    if !url.username().is_empty() || url.password().is_some() {
        shown.push_str(REDACTED);
        shown.push('@');
    }
    shown.push_str(host);
    if let Some(port) = url.port() {
        shown.push(':');
        shown.push_str(&port.to_string());
    }
    shown.push_str(url.path());
    if let Some(query) = url.query() {
        shown.push('?');
        for (index, pair) in query.split('&').enumerate() {
            if index > 0 {
                shown.push('&');
            }
            match pair.split_once('=') {
                Some((name, _)) => {
                    shown.push_str(name);
                    shown.push('=');
                    shown.push_str(REDACTED);
                }
                None if pair.is_empty() => {}
                None => shown.push_str(REDACTED),
            }
        }
    }
    if url.fragment().is_some() {
        shown.push('#');
        shown.push_str(REDACTED);
    }
    shown
}

/// Whether two URLs share scheme, host and port: a credential sent to one may go to the other.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.origin() == b.origin()
}

/// The base URL of a Pipedrive company: `https://{company}.pipedrive.com`. `company` is
/// the bare subdomain, `acme` for `acme.pipedrive.com`, and nothing else.
pub(crate) fn company_url(company: &str) -> Result<Url, String> {
    let valid = !company.is_empty()
        && company.len() <= 63
        && company
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-')
        && !company.starts_with('-')
        && !company.ends_with('-');
    if !valid {
        return Err(format!(
            "company domain `{}` must be the bare company subdomain, such as `acme` for \
             https://acme.pipedrive.com: letters, digits and inner hyphens only",
            company.escape_debug()
        ));
    }
    Url::parse(&format!("https://{company}.{PIPEDRIVE}")).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_travel_over_https_or_to_loopback_only() {
        for ok in [
            "https://api.pipedrive.com",
            "https://proxy.example/pd/",
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://[::1]:1",
            "http://localhost:3000",
        ] {
            assert!(credential_url("base URL", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.pipedrive.com",
            "http://10.0.0.1",
            "http://localhost.evil.example",
            "http://[::2]",
            "ftp://api.pipedrive.com",
            "https://user:pass@api.pipedrive.com",
            "https://user@api.pipedrive.com",
            "https://:pass@api.pipedrive.com",
            "https://api.pipedrive.com/?token=x",
            "https://api.pipedrive.com/#x",
            "mailto:a@b.c",
            "not a url",
        ] {
            assert!(credential_url("base URL", bad).is_err(), "{bad}");
        }
        let error = credential_url("base URL", "http://api.pipedrive.com").unwrap_err();
        assert!(error.contains("plain http"), "{error}");
    }

    #[test]
    fn a_redirect_uri_is_https_or_loopback_and_may_have_a_query() {
        for ok in [
            "https://example.com/callback",
            "https://example.com/callback?app=1",
            "http://127.0.0.1:8080/cb",
            "http://localhost/cb",
        ] {
            assert!(redirect_uri(ok).is_ok(), "{ok}");
        }
        for (bad, reason) in [
            ("javascript:alert(1)", "must be an https URL"),
            ("data:text/html,x", "must be an https URL"),
            ("http://example.com/cb", "plain http"),
            ("https://u:p@example.com/cb", "user name or password"),
            ("https://example.com/cb#x", "fragment"),
            ("/callback", "not a URL"),
        ] {
            let error = redirect_uri(bad).unwrap_err();
            assert!(error.contains(reason), "{bad}: {error}");
        }
    }

    #[test]
    fn pipedrive_hosts_are_the_domain_and_its_subdomains() {
        let host = |text: &str| is_pipedrive(&Url::parse(text).unwrap());
        assert!(
            host("https://pipedrive.com")
                && host("https://acme.pipedrive.com")
                && host("https://a.b.PIPEDRIVE.com.")
        );
        assert!(
            !host("https://evilpipedrive.com")
                && !host("https://pipedrive.com.evil.example")
                && !host("https://127.0.0.1")
        );
    }

    #[test]
    fn origins_differ_by_scheme_host_or_port() {
        let url = |text: &str| Url::parse(text).unwrap();
        assert!(same_origin(
            &url("https://a.example/x"),
            &url("https://a.example:443/y?z")
        ));
        assert!(!same_origin(
            &url("https://a.example"),
            &url("http://a.example")
        ));
        assert!(!same_origin(
            &url("https://a.example"),
            &url("https://b.example")
        ));
        assert!(!same_origin(
            &url("http://127.0.0.1:1"),
            &url("http://127.0.0.1:2")
        ));
    }

    #[test]
    fn a_location_keeps_its_origin_and_path_and_loses_what_may_be_a_credential() {
        let base = Url::parse("https://api.example/v2/things?limit=1").unwrap();
        for (location, shown) in [
            (
                "https://user:hunter2@evil.example:8443/steal/it?token=abc&x=1&&bare#frag",
                "https://[redacted]@evil.example:8443/steal/it?token=[redacted]&x=[redacted]&&[redacted]#[redacted]",
            ),
            (
                "https://:pw@evil.example/",
                "https://[redacted]@evil.example/",
            ),
            (
                "/moved?session=s3cret",
                "https://api.example/moved?session=[redacted]",
            ),
            ("//other.example/p", "https://other.example/p"),
            ("http://127.0.0.1:9/x", "http://127.0.0.1:9/x"),
            ("http://[::1]:9/x", "http://[::1]:9/x"),
            ("javascript:alert(document.cookie)", "javascript:[redacted]"),
            // Newlines and tabs are dropped, other control characters percent-encoded.
            ("/a\nb\u{1b}c", "https://api.example/ab%1Bc"),
        ] {
            assert_eq!(redacted_location(&base, location), shown, "{location}");
        }
        assert_eq!(
            redacted_location(&base, "http://exa mple.com:99999/"),
            "[redacted] (not a URL, 26 bytes)"
        );
    }

    #[test]
    fn a_company_domain_is_a_bare_subdomain() {
        assert_eq!(
            company_url("acme").unwrap().as_str(),
            "https://acme.pipedrive.com/"
        );
        assert_eq!(
            company_url("acme-2").unwrap().as_str(),
            "https://acme-2.pipedrive.com/"
        );
        for bad in [
            "",
            "https://acme.pipedrive.com",
            "acme.pipedrive.com",
            "evil.example/x?",
            "a b",
            "acme:443",
            "u@acme",
            "a#b",
            "-acme",
            "acme\n",
            &"a".repeat(64),
        ] {
            let error = company_url(bad).unwrap_err();
            assert!(error.contains("bare company subdomain"), "{bad}: {error}");
        }
    }
}
