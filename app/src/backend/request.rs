//! Who is asking: the source address and browser of a request (recorded with security
//! events and sessions).

/// Facts about the current request's origin (never trusted for authorization).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requester {
    /// Source IP address (from the connection, or `X-Forwarded-For` behind a trusted proxy).
    pub ip: String,
    /// The `User-Agent` header, shortened.
    pub user_agent: String,
}

impl Requester {
    /// Builds a requester, cutting the user agent to a sane length.
    pub fn new(ip: impl Into<String>, user_agent: &str) -> Requester {
        Requester { ip: ip.into(), user_agent: user_agent.chars().take(300).collect() }
    }

    /// What attempt limits count by: an IPv4 address as it is, an IPv6 address by its
    /// /64 network — one customer line gets a whole /64 (RFC 6177, common ISP practice),
    /// so hopping between its addresses gains no fresh budget. An IPv4 address mapped into
    /// IPv6 counts as the IPv4 address.
    pub fn limit_source(&self) -> String {
        limit_source(&self.ip)
    }
}

/// See [`Requester::limit_source`]; anything that is not an IP address is taken as is.
pub fn limit_source(ip: &str) -> String {
    use std::net::{IpAddr, Ipv6Addr};
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{}/64", Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        Err(_) => ip.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::limit_source;

    #[test]
    fn ipv6_counts_by_its_64_network() {
        assert_eq!(limit_source("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(limit_source("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_ne!(limit_source("2001:db8:1:3::1"), limit_source("2001:db8:1:2::1"));
        assert_eq!(limit_source("203.0.113.7"), "203.0.113.7");
        assert_eq!(limit_source("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(limit_source("unknown"), "unknown");
    }
}
