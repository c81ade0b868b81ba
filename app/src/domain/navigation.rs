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

/// `page` with `?weiter=<next>` if `next` is a local path (the way back after signing in
/// or registering), else `page` alone.
pub fn with_next(page: &str, next: &str) -> String {
    match local_path(next) {
        Some(next) => format!("{page}?weiter={}", encode_path(next)),
        None => page.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{local_path, with_next};

    #[test]
    fn the_way_back_is_kept_only_when_local() {
        assert_eq!(with_next("/registrieren", "/freischalten?code=HET2-2X8A-UXAS"), "/registrieren?weiter=/freischalten%3Fcode%3DHET2-2X8A-UXAS");
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
