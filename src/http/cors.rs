//! Which browser origins may use the API: CORS for HTTP, the `Origin` check for WebSockets.
//!
//! One list serves both (`POLICY_ADMIN_CORS_ORIGINS`). An entry is an origin
//! (`https://admin.example.gov`, `http://localhost:5173`) or an origin with any port
//! (`http://localhost:*`). The server's own origin is always allowed: its GraphiQL and console
//! pages send `Origin` on every POST and socket.

use actix_cors::Cors;
use actix_web::dev::RequestHead;
use actix_web::http::{Method, header};

/// Seconds a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE_SECS: usize = 600;

/// One allowed origin.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    /// `http` or `https`.
    scheme: String,
    /// Host, lower case.
    host: String,
    /// A port, or `None` for any port (`:*`); the scheme's default when the entry names none.
    port: Option<u16>,
}

/// The allowed browser origins.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origins(Vec<Entry>);

impl Origins {
    /// Parses the setting: comma-separated entries, each `scheme://host[:port|:*]`.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<Self, String> {
        let mut out = Vec::new();
        for raw in entries {
            let raw = raw.as_ref().trim();
            if raw.is_empty() {
                continue;
            }
            let entry = parse_origin(raw.trim_end_matches('/'), true).ok_or_else(|| {
                format!(
                    "POLICY_ADMIN_CORS_ORIGINS: `{raw}` is not an origin (scheme://host[:port], or \
                     :* for any port; no path)"
                )
            })?;
            out.push(entry);
        }
        Ok(Self(out))
    }

    /// Local pages on any port, as `--demo` allows.
    pub fn localhost() -> Self {
        Self(
            ["localhost", "127.0.0.1"]
                .iter()
                .map(|h| Entry {
                    scheme: "http".into(),
                    host: (*h).into(),
                    port: None,
                })
                .collect(),
        )
    }

    /// Both lists.
    pub fn with(mut self, other: Origins) -> Self {
        for e in other.0 {
            if !self.0.contains(&e) {
                self.0.push(e);
            }
        }
        self
    }

    /// Whether no origin besides the server's own is allowed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a page from `origin` may call the API, given the `Host` the request came to.
    pub fn allows(&self, origin: &str, host: Option<&str>) -> bool {
        let Some(o) = parse_origin(origin, false) else {
            return false;
        };
        let same = host.is_some_and(|h| {
            let own = format!("{}://{}", o.scheme, h.to_ascii_lowercase());
            parse_origin(&own, false).is_some_and(|own| own == o)
        });
        same || self
            .0
            .iter()
            .any(|e| e.scheme == o.scheme && e.host == o.host && (e.port.is_none() || e.port == o.port))
    }
}

/// `scheme://host[:port]`; with `wildcard`, `:*` for any port.
fn parse_origin(s: &str, wildcard: bool) -> Option<Entry> {
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
        return None;
    }
    // `[::1]:8080`, `host:8080`, `host`
    let split = match rest.strip_prefix('[') {
        Some(v6) => v6.find(']').map(|i| i + 2)?,
        None => rest.rfind(':').unwrap_or(rest.len()),
    };
    let (host, tail) = rest.split_at(split);
    let port = match tail {
        "" => Some(default_port),
        ":*" if wildcard => None,
        t => Some(t.strip_prefix(':')?.parse::<u16>().ok()?),
    };
    if host.contains(':') && !host.starts_with('[') {
        return None;
    }
    entry(&scheme, host, port)
}

fn entry(scheme: &str, host: &str, port: Option<u16>) -> Option<Entry> {
    let valid = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._[]:".contains(&b));
    valid.then(|| Entry {
        scheme: scheme.to_owned(),
        host: host.to_ascii_lowercase(),
        port,
    })
}

/// The CORS middleware for `origins`: `GET` and `POST` with the headers a GraphQL client sends,
/// `X-Request-Id` and `Retry-After` readable by the page. A request from an origin that is not
/// allowed is answered as usual but without CORS headers, so the browser keeps the answer from
/// the page.
pub fn middleware(origins: Origins) -> Cors {
    Cors::default()
        .allowed_origin_fn(move |origin, head: &RequestHead| {
            let host = head.headers().get(header::HOST).and_then(|h| h.to_str().ok());
            origin.to_str().is_ok_and(|o| origins.allows(o, host))
        })
        .allowed_methods([Method::GET, Method::POST])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([
            header::HeaderName::from_static("x-request-id"),
            header::RETRY_AFTER,
        ])
        .max_age(PREFLIGHT_MAX_AGE_SECS)
        .block_on_origin_mismatch(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_origins_match_scheme_host_and_port() {
        let o = Origins::parse(&["https://Admin.example.gov", "http://localhost:5173/"]).unwrap();
        assert!(o.allows("https://admin.example.gov", None));
        assert!(o.allows("https://admin.example.gov:443", None));
        assert!(o.allows("http://localhost:5173", None));
        assert!(!o.allows("http://admin.example.gov", None), "scheme matters");
        assert!(!o.allows("https://admin.example.gov:8443", None), "port matters");
        assert!(!o.allows("http://localhost:5174", None));
        assert!(!o.allows("https://admin.example.gov.evil.test", None));
        assert!(!o.allows("null", None));
    }

    #[test]
    fn a_star_port_matches_any_port_of_that_host() {
        let o = Origins::localhost();
        assert!(o.allows("http://localhost:3000", None));
        assert!(o.allows("http://localhost", None));
        assert!(o.allows("http://127.0.0.1:5173", None));
        assert!(!o.allows("https://localhost:3000", None));
        assert!(!o.allows("http://localhost.evil.test:3000", None));
    }

    #[test]
    fn the_servers_own_origin_is_always_allowed() {
        let o = Origins::default();
        assert!(o.allows("http://127.0.0.1:8080", Some("127.0.0.1:8080")));
        assert!(!o.allows("http://127.0.0.1:8081", Some("127.0.0.1:8080")));
        assert!(!o.allows("http://other.test", Some("127.0.0.1:8080")));
    }

    #[test]
    fn malformed_entries_are_refused() {
        for bad in [
            "admin.example.gov",
            "ftp://x",
            "https://x/path",
            "https://",
            "https://x:99999",
            "https://x:y",
        ] {
            assert!(Origins::parse(&[bad]).is_err(), "{bad}");
        }
        assert!(Origins::parse(&["https://x:*"]).is_ok());
        assert!(
            Origins::parse(&["http://[::1]:8080"])
                .unwrap()
                .allows("http://[::1]:8080", None)
        );
    }
}
