//! Where a credential may go. Every URL that carries one (the base URL, the token
//! endpoint, an `api_domain` from a token response) passes [`credential_url`]; a redirect
//! is followed only to the [`same_origin`].

use url::{Host, Url};

/// Pipedrive's own hosts: `pipedrive.com` and its subdomains.
const PIPEDRIVE: &str = "pipedrive.com";

/// Checks that `url` may carry a credential: `https`, or plain `http` to a loopback
/// address (so tests and local proxies work without a flag); no userinfo, query or
/// fragment, which a base URL has no use for and which would end up in every request.
/// `what` names the URL in the error.
pub(crate) fn credential_url(what: &str, text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|error| format!("{what} `{text}` is not a URL: {error}"))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(format!(
                "{what} `{text}` is plain http, which would send the credential unencrypted; \
                 use https (http is allowed only to 127.0.0.0/8, ::1 and localhost)"
            ));
        }
        _ => return Err(format!("{what} `{text}` must be an https URL")),
    }
    // An http or https URL always has a host and can be a base: `Url::parse` refuses
    // one without.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{what} `{text}` must not carry a user name or password"
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{what} `{text}` must not have a query or fragment"));
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
