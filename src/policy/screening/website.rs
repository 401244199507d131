//! MISSING_WEBSITE_LINK (MT IV.A.4; IL G.1.c): an official post must link to the department's
//! website host or a subdomain of it.
//!
//! A link counts when the host appears as a URL's host (`https://cor.mt.gov/x`,
//! `https://www.cor.mt.gov`, `http://user@cor.mt.gov`) or bare (`cor.mt.gov/news`). Lookalikes
//! do not: `cor.mt.gov.evil.com`, `notcor.mt.gov`, `cormt.gov`, `evil.com/?u=cor.mt.gov`,
//! `cor.mt.gov@evil.com`, an e-mail address, or a host with lookalike non-ASCII letters.

/// Whether the normalised text links to `host` (lowercase) or a subdomain of it.
pub(super) fn has_official_link(norm: &str, host: &str) -> bool {
    if host.is_empty() || norm.len() < host.len() || !contains_ignore_case(norm, host) {
        return false;
    }
    let lower = norm.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let is_host_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
    lower.match_indices(host).any(|(at, _)| {
        let mut start = at;
        while start > 0 && is_host_byte(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = at + host.len();
        while end < bytes.len() && is_host_byte(bytes[end]) {
            end += 1;
        }
        let full = lower[start..end].trim_end_matches('.');
        let matches_host = full == host || full.strip_suffix(host).is_some_and(|sub| sub.ends_with('.'));
        let userinfo = bytes.get(end) == Some(&b'@');
        matches_host && !userinfo && host_position(&lower[..start])
    })
}

/// Whether `text` may contain `needle`, ASCII case ignored: the common case (no link at all)
/// is settled by a fast search for the needle's first byte that has no case (the `.` of a
/// host), without lowering a copy of the text.
fn contains_ignore_case(text: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    let Some(k) = needle.iter().position(|b| !b.is_ascii_alphabetic()) else {
        return true;
    };
    if !needle[k].is_ascii() {
        return true;
    }
    let pivot = char::from(needle[k]);
    text.match_indices(pivot).any(|(i, _)| {
        i >= k
            && text
                .as_bytes()
                .get(i - k..i - k + needle.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

/// Whether a host token preceded by `before` stands where a link's host stands.
fn host_position(before: &str) -> bool {
    let Some(prev) = before.bytes().last() else {
        return true;
    };
    match prev {
        b'/' => {
            before.ends_with("://")
                && before[..before.len() - 3]
                    .bytes()
                    .rev()
                    .take_while(u8::is_ascii_alphanumeric)
                    .count()
                    > 0
        }
        b'@' => {
            // `scheme://user@host`: the userinfo runs back to `://` with no `/` or space.
            let authority_start = before
                .rfind(|c: char| c.is_whitespace() || c == '/')
                .map_or(0, |i| i + 1);
            before[..authority_start].ends_with("://")
        }
        b if b.is_ascii_whitespace() => true,
        b'(' | b'<' | b'[' | b'"' | b'\'' | b'*' | b'_' | b',' | b';' | b':' | b'>' | b'|' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_links_and_subdomains_count() {
        for text in [
            "See https://cor.mt.gov/Visiting",
            "More: cor.mt.gov/news",
            "https://www.cor.mt.gov/family-day",
            "Register at https://training.cor.mt.gov/cit",
            "HTTPS://COR.MT.GOV/PPD",
            "Info: <https://cor.mt.gov/careers>",
            "the site cor.mt.gov.",
            "http://user@cor.mt.gov/x",
            "(cor.mt.gov)",
        ] {
            assert!(has_official_link(text, "cor.mt.gov"), "{text}");
        }
    }

    #[test]
    fn lookalikes_do_not_count() {
        for text in [
            "https://cor.mt.gov.evil.com/news",
            "https://cormt.gov/reentry",
            "https://cor-mt.gov/x",
            "https://notcor.mt.gov/report",
            "https://evil.com/?ref=cor.mt.gov",
            "https://evil.com/cor.mt.gov",
            "https://cor.mt.gov@phish.example/login",
            "https://c\u{043e}r.mt.gov/careers",
            "mail pio@cor.mt.gov",
            "https://mt.gov/jobs",
            "no link at all",
        ] {
            assert!(!has_official_link(text, "cor.mt.gov"), "{text}");
        }
    }
}
