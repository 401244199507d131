//! Where the server may send requests (webhook deliveries): https receivers on public
//! addresses only. A receiver that is, or resolves to, a loopback, private, link-local
//! (cloud metadata), unique-local, shared, multicast or unspecified address is refused, unless
//! loopback is allowed by the server's setting. Names are resolved by the client's own
//! resolver, which hands the connector only the addresses it checked, so a name that changes
//! its answer between the check and the connection (DNS rebinding) cannot pass.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Longest receiver URL accepted.
pub const MAX_URL_CHARS: usize = 2_048;

/// Whether the server may connect to `ip`.
pub fn permitted(ip: IpAddr, allow_loopback: bool) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    if ip.is_loopback() {
        return allow_loopback;
    }
    match ip {
        IpAddr::V4(a) => {
            let [first, second, ..] = a.octets();
            let shared = first == 100 && (64..128).contains(&second); // 100.64.0.0/10
            !(a.is_private()
                || a.is_link_local()
                || a.is_unspecified()
                || a.is_broadcast()
                || a.is_multicast()
                || a.is_documentation()
                || shared
                || first == 0)
        }
        IpAddr::V6(a) => {
            let first = a.segments()[0];
            let unique_local = first & 0xfe00 == 0xfc00;
            let link_local = first & 0xffc0 == 0xfe80;
            !(a.is_unspecified() || a.is_multicast() || unique_local || link_local)
        }
    }
}

/// Resolves names and keeps only the addresses the server may reach.
struct GuardedResolver {
    allow_loopback: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow_loopback;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found.into_iter().filter(|a| permitted(a.ip(), allow)).collect();
            if allowed.is_empty() {
                let refused = io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    format!("{host} resolves only to addresses webhooks may not reach"),
                );
                return Err(Box::new(refused) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// The HTTP client of webhook deliveries: TLS with the system's roots (and `SSL_CERT_FILE`),
/// no redirects, a 10 s timeout, and the guarded resolver.
pub fn client(allow_loopback: bool) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .dns_resolver(Arc::new(GuardedResolver { allow_loopback }))
        .build()
}

/// Checks a receiver URL before it is stored or used: https (plain http only to loopback,
/// when allowed), bounded length, and no address literal or name that points where the
/// server may not connect. A name that does not resolve now is accepted (delivery retries).
pub async fn check_url(raw: &str, allow_loopback: bool) -> Result<url::Url, String> {
    if raw.chars().count() > MAX_URL_CHARS {
        return Err(format!("webhook URLs have at most {MAX_URL_CHARS} characters"));
    }
    let u = url::Url::parse(raw).map_err(|_| "the URL does not parse".to_owned())?;
    let Some(host) = u.host() else {
        return Err("the URL names no host".to_owned());
    };
    let literal = literal_ip(&host);
    let refused = || "webhook receivers must be on public addresses".to_owned();
    let loopback = match (literal, &host) {
        (Some(ip), _) => ip.is_loopback(),
        (None, url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        _ => false,
    };
    match u.scheme() {
        "https" => {}
        "http" if allow_loopback && loopback => {}
        _ => {
            return Err(
                "webhook URLs must be https (plain http only to loopback, when the server allows it)"
                    .to_owned(),
            );
        }
    }
    if let Some(ip) = literal {
        return if permitted(ip, allow_loopback) {
            Ok(u)
        } else {
            Err(refused())
        };
    }
    let port = u.port_or_known_default().unwrap_or(443);
    let name = u.host_str().unwrap_or_default().to_owned();
    if let Ok(Ok(addrs)) = tokio::time::timeout(
        Duration::from_secs(5),
        tokio::net::lookup_host((name.as_str(), port)),
    )
    .await
    {
        let addrs: Vec<SocketAddr> = addrs.collect();
        if addrs.iter().any(|a| !permitted(a.ip(), allow_loopback)) {
            return Err(refused());
        }
    }
    Ok(u)
}

/// Why the server may not connect to a URL whose host is an address literal (names are
/// checked when they are resolved), or `None`.
pub fn literal_refused(raw: &str, allow_loopback: bool) -> Option<String> {
    let ip = literal_ip(&url::Url::parse(raw).ok()?.host()?)?;
    (!permitted(ip, allow_loopback)).then(|| format!("{ip} is not an address webhooks may reach"))
}

/// The address of a host that is an address literal.
fn literal_ip(host: &url::Host<&str>) -> Option<IpAddr> {
    match host {
        url::Host::Ipv4(a) => Some(IpAddr::V4(*a)),
        url::Host::Ipv6(a) => Some(IpAddr::V6(*a)),
        url::Host::Domain(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_link_local_and_metadata_addresses_are_refused() {
        for ip in [
            "10.0.0.5",
            "172.16.3.4",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "::",
            "fd00:ec2::254",
            "fe80::1",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!permitted(ip.parse().unwrap(), false), "{ip}");
        }
        assert!(permitted("93.184.215.14".parse().unwrap(), false));
        assert!(permitted("2606:4700::1".parse().unwrap(), false));
        assert!(!permitted("127.0.0.1".parse().unwrap(), false));
        assert!(permitted("127.0.0.1".parse().unwrap(), true));
        assert!(permitted("::1".parse().unwrap(), true));
    }

    #[tokio::test]
    async fn urls_are_https_public_and_bounded() {
        assert!(check_url("https://93.184.215.14/hook", false).await.is_ok());
        assert!(check_url("http://93.184.215.14/hook", false).await.is_err());
        assert!(
            check_url("https://169.254.169.254/latest/meta-data", true)
                .await
                .is_err()
        );
        assert!(check_url("https://[fd00::1]/x", false).await.is_err());
        assert!(check_url("https://127.0.0.1/x", false).await.is_err());
        assert!(check_url("https://localhost/x", false).await.is_err());
        assert!(check_url("http://127.0.0.1:9/x", true).await.is_ok());
        assert!(check_url("http://localhost:9/x", true).await.is_ok());
        let long = format!("https://93.184.215.14/{}", "a".repeat(MAX_URL_CHARS));
        assert!(check_url(&long, false).await.is_err());
    }
}
