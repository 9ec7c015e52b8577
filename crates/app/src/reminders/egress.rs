//! Where a robot webhook may send to. A unit's secretary types the robot's
//! address; without a check, that address could point the server at
//! itself, at the intranet's internal services or at the cloud metadata
//! address, and the server would post there on every scan (SSRF). So
//! addresses that are loopback, link-local, private, shared (CGNAT) or
//! otherwise not public are refused unless the system administrator lists
//! the host or its network with `--webhook-allow` (an intranet's robot
//! gateway may legitimately be private).
//!
//! The check runs twice: on saving (for an address written as an IP or as
//! `localhost`, so the secretary hears at once) and on every send, on the
//! addresses the name resolves to at that moment (so a name that later
//! resolves inward, DNS rebinding, is refused too). Redirects are never
//! followed.

use ipnet::IpNet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Hosts and networks the administrator allows although they are not public.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Allowlist {
    hosts: Vec<String>,
    nets: Vec<IpNet>,
}

/// The message when an address is refused, naming the way out.
pub const REFUSED: &str =
    "机器人地址指向本机或内网地址，不允许发送；如确需使用内网机器人网关，请系统管理员在启动时以 --webhook-allow 允许该地址";

impl Allowlist {
    /// Parses the administrator's list: each item a host name (`robot.gov.cn`),
    /// an IP address or a network in CIDR notation (`10.8.0.0/16`).
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<Allowlist, String> {
        let mut list = Allowlist::default();
        for item in items.iter().map(|i| i.as_ref().trim()).filter(|i| !i.is_empty()) {
            if let Ok(net) = item.parse::<IpNet>() {
                list.nets.push(net);
            } else if let Ok(ip) = item.parse::<IpAddr>() {
                list.nets.push(IpNet::from(ip));
            } else if is_host_name(item) {
                list.hosts.push(item.to_ascii_lowercase());
            } else {
                return Err(format!(
                    "--webhook-allow 中的“{item}”既不是主机名，也不是 IP 地址或网段（如 10.8.0.0/16）"
                ));
            }
        }
        Ok(list)
    }

    /// Whether the administrator listed this host name.
    pub fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.hosts.contains(&host)
    }

    /// Whether the server may connect to `ip`: a public address, or one
    /// inside a listed network.
    pub fn allows_ip(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        is_public(ip) || self.nets.iter().any(|n| n.contains(&ip))
    }

    /// The check on saving: an address whose host is an IP literal or
    /// `localhost` is refused unless allowed. Names are checked when sending.
    pub fn check_url(&self, url: &str) -> Result<(), String> {
        let Some(host) = host_of(url) else {
            return Ok(());
        };
        let host = host.trim_end_matches('.');
        if self.allows_host(host) {
            return Ok(());
        }
        let literal = host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>();
        let refused = match literal {
            Ok(ip) => !self.allows_ip(ip),
            Err(_) => host == "localhost" || host.ends_with(".localhost"),
        };
        if refused {
            Err(REFUSED.to_string())
        } else {
            Ok(())
        }
    }
}

/// The host of an http(s) address, lower-cased, without its port (an IPv6
/// literal keeps its brackets); `None` when the address has none.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port.split_once(']').map(|(h, _)| format!("{h}]"))?
    } else {
        host_port.split(':').next()?.to_string()
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

fn is_host_name(s: &str) -> bool {
    s.len() <= 253
        && s.split('.')
            .all(|l| !l.is_empty() && l.len() <= 63 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// An IPv4 address written as IPv6 (`::ffff:127.0.0.1`) is checked as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// A globally routable unicast address.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT), 100.64.0.0/10
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF protocol assignments, 192.0.0.0/24
        || (a == 198 && (18..20).contains(&b)) // benchmarking, 198.18.0.0/15
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local, fc00::/7
        || (first & 0xffc0) == 0xfe80 // link-local, fe80::/10
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated), fec0::/10
        || (first == 0x2001 && ip.segments()[1] == 0x0db8) // documentation
        || (first == 0x0064 && ip.segments()[1] == 0xff9b) // NAT64, reaches IPv4 behind it
        || ip.to_ipv4().is_some()) // IPv4-compatible and -mapped forms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn internal_addresses_are_refused_and_public_ones_allowed() {
        let none = Allowlist::default();
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(!none.allows_ip(ip(internal)), "{internal} allowed");
        }
        for public in ["8.8.8.8", "101.226.4.6", "2408:8000::1"] {
            assert!(none.allows_ip(ip(public)), "{public} refused");
        }
    }

    #[test]
    fn the_administrator_may_allow_hosts_and_networks() {
        let list = Allowlist::parse(&["10.8.0.0/16", "192.168.5.7", "Robot.Intra.gov.cn"]).unwrap();
        assert!(list.allows_ip(ip("10.8.3.4")) && list.allows_ip(ip("192.168.5.7")));
        assert!(!list.allows_ip(ip("10.9.0.1")) && !list.allows_ip(ip("192.168.5.8")));
        assert!(list.allows_host("robot.intra.gov.cn") && list.allows_host("ROBOT.intra.gov.cn."));
        assert!(!list.allows_host("intra.gov.cn"));
        assert!(Allowlist::parse(&["10.0.0.0/33"]).unwrap_err().contains("10.0.0.0/33"));
        assert!(Allowlist::parse(&["a b"]).is_err());
    }

    #[test]
    fn addresses_written_as_ip_or_localhost_are_refused_on_saving() {
        let none = Allowlist::default();
        for url in [
            "http://127.0.0.1:8080/send",
            "http://localhost/x",
            "http://localhost./x",
            "http://a.localhost/x",
            "https://[::1]/x",
            "http://user@10.0.0.5/x",
            "http://169.254.169.254/latest/meta-data",
        ] {
            assert_eq!(none.check_url(url), Err(REFUSED.to_string()), "{url}");
        }
        assert_eq!(none.check_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1"), Ok(()));
        let allowed = Allowlist::parse(&["127.0.0.1", "localhost"]).unwrap();
        assert_eq!(allowed.check_url("http://127.0.0.1:8080/send"), Ok(()));
        assert_eq!(allowed.check_url("http://localhost/x"), Ok(()));
    }

    #[test]
    fn hosts_are_read_from_addresses() {
        assert_eq!(host_of("https://a.b.cn:8443/x?y=1").as_deref(), Some("a.b.cn"));
        assert_eq!(host_of("http://[::1]:80/").as_deref(), Some("[::1]"));
        assert_eq!(host_of("http://u:p@H.cn/").as_deref(), Some("h.cn"));
        assert_eq!(host_of("nothing"), None);
    }
}
