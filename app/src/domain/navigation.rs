//! Where the portal may send a browser after an action: only its own pages.

/// `target` if it is a path on this site (`/…`), not another host (`//host`, `/\host`,
/// `https://…`) and free of control characters (open-redirect and header-injection guard).
pub fn local_path(target: &str) -> Option<&str> {
    let ok = target.starts_with('/')
        && !target.starts_with("//")
        && !target.starts_with("/\\")
        && !target.chars().any(|c| c.is_control());
    ok.then_some(target)
}

/// Percent-encodes a local path for a query parameter (keeps `/`).
pub fn encode_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The query parameter naming the page to return to after signing in or registering.
pub const NEXT: &str = "next";

/// Its former name, still read: links in mails sent before the rename carry it.
const FORMER_NEXT: &str = "weiter";

/// The page to return to, from a query read by `get` (`next`, else the former `weiter`).
pub fn next_param(get: impl Fn(&str) -> Option<String>) -> Option<String> {
    get(NEXT).or_else(|| get(FORMER_NEXT))
}

/// `page` with `?next=<next>` if `next` is a local path (the way back after signing in
/// or registering), else `page` alone.
pub fn with_next(page: &str, next: &str) -> String {
    match local_path(next) {
        Some(next) => format!("{page}?{NEXT}={}", encode_path(next)),
        None => page.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{local_path, next_param, with_next};

    #[test]
    fn next_is_read_under_its_former_name_too() {
        let query = |pairs: &'static [(&'static str, &'static str)]| move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned());
        assert_eq!(next_param(query(&[("next", "/postfach")])), Some("/postfach".to_owned()));
        assert_eq!(next_param(query(&[("weiter", "/termine")])), Some("/termine".to_owned()), "links mailed before the rename");
        assert_eq!(next_param(query(&[("next", "/a"), ("weiter", "/b")])), Some("/a".to_owned()));
        assert_eq!(next_param(query(&[])), None);
    }

    #[test]
    fn the_way_back_is_kept_only_when_local() {
        assert_eq!(with_next("/registrieren", "/freischalten?code=HET2-2X8A-UXAS"), "/registrieren?next=/freischalten%3Fcode%3DHET2-2X8A-UXAS");
        assert_eq!(with_next("/registrieren", "https://evil.example"), "/registrieren");
        assert_eq!(with_next("/registrieren", ""), "/registrieren");
    }

    #[test]
    fn only_local_paths_pass() {
        assert_eq!(local_path("/"), Some("/"));
        assert_eq!(local_path("/konto?x=1"), Some("/konto?x=1"));
        for bad in ["//evil.example", "/\\evil.example", "https://evil.example", "konto", "", "/a\r\nSet-Cookie: x"] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}
