//! The client's address behind reverse proxies. Only proxies the operator lists in
//! `TRUSTED_PROXIES` may say who the client is: starting at the connection's peer, each
//! trusted hop's `X-Forwarded-For` entry is believed, right to left, and the first
//! address that is not a trusted proxy is the client. Entries further left were written
//! by the client itself and are ignored (a made-up `X-Forwarded-For: 203.0.113.7` buys
//! no fresh attempt budget and never reaches the audit log).

use std::net::IpAddr;

use ipnet::IpNet;

/// The operator's trusted proxies (`TRUSTED_PROXIES`: CIDR networks or addresses,
/// separated by commas or spaces).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses the list; `Err` names the entry that is neither a network nor an address.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        list.split([',', ' '])
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                let net = entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{entry:?} is neither a CIDR network nor an IP address"))?;
                // Trusting every address would let any client name its own address.
                if net.prefix_len() == 0 {
                    return Err(format!("{entry:?} trusts every address; list the proxies' own addresses"));
                }
                Ok(net)
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    /// Whether no proxy is trusted (then `X-Forwarded-For` is never read).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client address for a connection from `peer` with these `X-Forwarded-For`
    /// header values (in order; several headers count as one list).
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let mut client = canonical(peer);
        if !self.trusts(client) {
            return client;
        }
        let entries: Vec<&str> = forwarded_for.iter().flat_map(|v| v.split(',')).map(str::trim).collect();
        for entry in entries.iter().rev() {
            // An entry that is no address (garbage, "unknown") ends the chain of trust.
            let Some(ip) = parse_entry(entry) else { return client };
            client = canonical(ip);
            if !self.trusts(client) {
                return client;
            }
        }
        client
    }
}

/// An `X-Forwarded-For` entry: an address, possibly `[v6]:port` or `v4:port`.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(socket) = entry.parse::<std::net::SocketAddr>() {
        return Some(socket.ip());
    }
    None
}

/// IPv4 addresses mapped into IPv6 (a dual-stack socket) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client() {
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("198.51.100.4"), &["203.0.113.7"]), ip("198.51.100.4"));
    }

    #[test]
    fn the_right_most_untrusted_entry_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").expect("list");
        // nginx appends the address it saw: the client's own entry on the left is ignored.
        assert_eq!(proxies.client(ip("127.0.0.1"), &["203.0.113.7, 198.51.100.4"]), ip("198.51.100.4"));
        // Two trusted hops.
        assert_eq!(proxies.client(ip("127.0.0.1"), &["198.51.100.4, 10.1.2.3"]), ip("198.51.100.4"));
        // Several headers are one list.
        assert_eq!(proxies.client(ip("127.0.0.1"), &["203.0.113.7", "198.51.100.4"]), ip("198.51.100.4"));
        // A connection that does not come from a trusted proxy: its header is ignored.
        assert_eq!(proxies.client(ip("198.51.100.9"), &["203.0.113.7"]), ip("198.51.100.9"));
        // No header from the proxy: the proxy itself.
        assert_eq!(proxies.client(ip("10.0.0.5"), &[]), ip("10.0.0.5"));
        // Garbage ends the chain at the last good hop.
        assert_eq!(proxies.client(ip("127.0.0.1"), &["198.51.100.4, nonsense"]), ip("127.0.0.1"));
        // Ports and IPv6, and IPv4 mapped into IPv6.
        assert_eq!(proxies.client(ip("::ffff:127.0.0.1"), &["[2001:db8::1]:4711"]), ip("2001:db8::1"));
        assert_eq!(proxies.client(ip("127.0.0.1"), &["198.51.100.4:5000"]), ip("198.51.100.4"));
    }

    #[test]
    fn the_list_names_a_bad_entry() {
        assert!(TrustedProxies::parse("10.0.0.0/8 ::1 2001:db8::/32").is_ok());
        let err = TrustedProxies::parse("10.0.0.0/8, proxy.local").expect_err("bad");
        assert!(err.contains("proxy.local"), "{err}");
        for everyone in ["0.0.0.0/0", "::/0", "10.0.0.1, 0.0.0.0/0"] {
            let err = TrustedProxies::parse(everyone).expect_err("trusting every address");
            assert!(err.contains("every address"), "{everyone}: {err}");
        }
    }
}
