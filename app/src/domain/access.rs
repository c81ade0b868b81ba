//! Which pages need what. The HTTP layer enforces it before a page is rendered (and
//! the pages check again through their server functions).

/// What a page requires of the visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// Anyone.
    Public,
    /// A signed-in account.
    SignedIn,
}

/// Pages (and everything below them) that need a signed-in account.
const SIGNED_IN: [&str; 1] = ["/konto"];

/// The requirement of the page at `path`.
pub fn requirement(path: &str) -> Requirement {
    let below = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if SIGNED_IN.iter().any(|p| below(p)) {
        Requirement::SignedIn
    } else {
        Requirement::Public
    }
}

/// Where to send a visitor who must sign in first, with the way back.
pub fn sign_in_path(back_to: &str) -> String {
    let encoded: String = back_to
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("/anmelden?weiter={encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_pages_need_a_session() {
        assert_eq!(requirement("/konto"), Requirement::SignedIn);
        assert_eq!(requirement("/konto/datenschutz"), Requirement::SignedIn);
        assert_eq!(requirement("/kontoauszug"), Requirement::Public);
        assert_eq!(requirement("/"), Requirement::Public);
        assert_eq!(requirement("/anmelden"), Requirement::Public);
    }

    #[test]
    fn the_way_back_is_encoded() {
        assert_eq!(sign_in_path("/konto"), "/anmelden?weiter=/konto");
        assert_eq!(sign_in_path("/konto?x=1&y=2"), "/anmelden?weiter=/konto%3Fx%3D1%26y%3D2");
    }
}
