//! Who is on the other end: the client's address, read through trusted reverse proxies only,
//! and the groups addresses are counted in for sign-in limits.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

pub use app::backend::ClientIp;

/// The networks of the reverse proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not an address or a network like 10.0.0.0/8 or fd00::/8")]
pub struct BadProxy(String);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    /// Parses `10.0.0.1`, `10.0.0.0/8` or `fd00::/8` (a bare address is a one-address network).
    pub fn parse_network(text: &str) -> Result<IpNet, BadProxy> {
        let text = text.trim();
        IpNet::from_str(text)
            .or_else(|_| IpAddr::from_str(text).map(IpNet::from))
            .map_err(|_| BadProxy(text.to_string()))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An IPv4 address that arrived as IPv4-mapped IPv6 is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The client's address: the peer itself, unless the peer is a trusted proxy; then the
/// rightmost `X-Forwarded-For` hop that is not a trusted proxy (hops to its left were written
/// by the client and prove nothing). Hops that are no address are skipped; a header without
/// any leaves the proxy's address.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.contains(peer) {
        return peer;
    }
    let mut hops: Vec<&str> = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let Ok(value) = value.to_str() else {
            return peer;
        };
        hops.extend(value.split(','));
    }
    let mut client = peer;
    for hop in hops.iter().rev() {
        // A value that is no address (a proxy's `unknown`, an empty entry) is skipped: stopping
        // there would put every client behind that proxy under the proxy's one address.
        let Some(ip) = parse_hop(hop) else {
            continue;
        };
        client = canonical(ip);
        if !trusted.contains(client) {
            return client;
        }
    }
    client
}

/// One `X-Forwarded-For` entry: an address, maybe with a port (`1.2.3.4:5`, `[::1]:5`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    IpAddr::from_str(hop)
        .ok()
        .or_else(|| SocketAddr::from_str(hop).ok().map(|s| s.ip()))
}

/// The unit sign-in limits count in: an IPv4 address, or an IPv6 address's /64 (one host
/// usually holds a whole /64, so single IPv6 addresses would be free to rotate).
pub fn address_group(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

/// Puts the resolved [`ClientIp`] on every request, for the sign-in limits and the logs.
pub async fn layer(
    State(trusted): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(peer) = peer {
        let client = client_address(peer, request.headers(), &trusted);
        request.extensions_mut().insert(ClientIp(client));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::new(
            list.iter()
                .map(|n| TrustedProxies::parse_network(n).unwrap())
                .collect(),
        )
    }

    #[test]
    fn forwarded_for_is_ignored_from_an_untrusted_peer() {
        let headers = forwarded(&["203.0.113.9"]);
        assert_eq!(
            client_address(ip("198.51.100.7"), &headers, &TrustedProxies::default()),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("198.51.100.7"), &headers, &proxies(&["10.0.0.0/8"])),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn forwarded_for_is_honoured_from_a_trusted_peer_rightmost_untrusted_hop() {
        let trusted = proxies(&["10.0.0.0/8", "fd00::/8"]);
        // The client wrote the first hop itself; the proxy appended the real one.
        let headers = forwarded(&["6.6.6.6, 203.0.113.9"]);
        assert_eq!(
            client_address(ip("10.1.2.3"), &headers, &trusted),
            ip("203.0.113.9")
        );
        // Two proxies in a row, the header split over two lines.
        let headers = forwarded(&["6.6.6.6", "203.0.113.9, 10.9.9.9"]);
        assert_eq!(
            client_address(ip("10.1.2.3"), &headers, &trusted),
            ip("203.0.113.9")
        );
        let headers = forwarded(&["[2001:db8::1]:4711"]);
        assert_eq!(
            client_address(ip("fd00::1"), &headers, &trusted),
            ip("2001:db8::1")
        );
        // No header, or garbage: the proxy's own address.
        assert_eq!(
            client_address(ip("10.1.2.3"), &HeaderMap::new(), &trusted),
            ip("10.1.2.3")
        );
        assert_eq!(
            client_address(ip("10.1.2.3"), &forwarded(&["not an address"]), &trusted),
            ip("10.1.2.3")
        );
        // A malformed hop between the proxies and the client is passed over, not a stop.
        assert_eq!(
            client_address(
                ip("10.1.2.3"),
                &forwarded(&["203.0.113.9, unknown", " , 10.9.9.9"]),
                &trusted
            ),
            ip("203.0.113.9")
        );
        // A mapped IPv4 peer counts as its IPv4 address.
        assert_eq!(
            client_address(
                ip("::ffff:10.1.2.3"),
                &forwarded(&["203.0.113.9"]),
                &trusted
            ),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn networks_parse_with_or_without_a_prefix() {
        assert!(TrustedProxies::parse_network("10.0.0.0/8").is_ok());
        assert!(TrustedProxies::parse_network(" 127.0.0.1 ").is_ok());
        assert!(TrustedProxies::parse_network("::1").is_ok());
        assert!(TrustedProxies::parse_network("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse_network("proxy.local").is_err());
    }

    #[test]
    fn ipv6_addresses_are_grouped_by_their_64_prefix() {
        assert_eq!(
            address_group(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            ip("2001:db8:1:2::")
        );
        assert_eq!(
            address_group(ip("2001:db8:1:2::1")),
            address_group(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            address_group(ip("2001:db8:1:2::1")),
            address_group(ip("2001:db8:1:3::1"))
        );
        assert_eq!(address_group(ip("192.0.2.1")), ip("192.0.2.1"));
        assert_eq!(address_group(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }
}
