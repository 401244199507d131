//! Runs of digits in the normalised text, split into groups the way a reader would see them.
//!
//! A run is digits joined by short separators (up to three of ` -._/\`) or by removed format
//! characters. Groups are split at the strongest kind of separator present: visible marks
//! (`123-45-6789`, `5 2 9 - 4 4 - 1 2 3 8`), else spaces (`529 18 4477`), else removed
//! zero-width characters (`123\u{200b}45\u{200b}6789`).

use super::normalise::Normalised;

/// A digit run.
#[derive(Clone, Debug, Default)]
pub(super) struct Run {
    /// Start in the normalised text (first digit).
    pub start: usize,
    /// End in the normalised text (after the last digit).
    pub end: usize,
    /// The digits of each group, separators removed.
    pub groups: Vec<String>,
    /// Letters (or letters and a dash) are glued to the start: `R123`, `CV-123`.
    pub glued_before: bool,
    /// Letters are glued to the end: `6789A`, `6789-B`.
    pub glued_after: bool,
    /// Start of the letters glued before, if any (for ID numbers such as `CSKT-20451`).
    pub prefix_start: usize,
    /// The kind of separator the groups were split at: 3 visible marks, 2 spaces, 1 removed
    /// format characters only, 0 none (one plain group).
    pub major: u8,
}

impl Run {
    /// All digits.
    pub fn digits(&self) -> String {
        self.groups.concat()
    }

    /// Number of digits.
    pub fn len(&self) -> usize {
        self.groups.iter().map(String::len).sum()
    }

    /// Group lengths.
    pub fn shape(&self) -> Vec<usize> {
        self.groups.iter().map(String::len).collect()
    }
}

const MAX_SEP: usize = 3;

fn is_sep(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'.' | b'_' | b'/' | b'\\')
}

/// Every digit run of `norm`.
pub(super) fn runs(norm: &Normalised<'_>) -> Vec<Run> {
    let bytes = norm.text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let Some(offset) = bytes[i..].iter().position(u8::is_ascii_digit) else {
            break;
        };
        i += offset;
        // (digits, start, end, level of the separator that follows: 3 visible, 2 space,
        // 1 hidden, 0 none).
        let mut parts: Vec<(String, usize, usize, u8)> = Vec::new();
        let mut cur = String::new();
        let mut cur_start = i;
        let mut end = i;
        loop {
            if i < bytes.len() && bytes[i].is_ascii_digit() {
                if !cur.is_empty() && norm.hidden_at(i) {
                    parts.push((std::mem::take(&mut cur), cur_start, i, 1));
                    cur_start = i;
                }
                cur.push(bytes[i] as char);
                i += 1;
                end = i;
                continue;
            }
            let mut j = i;
            while j < bytes.len() && j - i < MAX_SEP && is_sep(bytes[j]) {
                j += 1;
            }
            if j > i && j < bytes.len() && bytes[j].is_ascii_digit() && parts.len() < 24 {
                let visible = bytes[i..j].iter().any(|&b| b != b' ');
                parts.push((
                    std::mem::take(&mut cur),
                    cur_start,
                    end,
                    if visible { 3 } else { 2 },
                ));
                cur_start = j;
                i = j;
                continue;
            }
            break;
        }
        parts.push((cur, cur_start, end, 0));
        // Visible separators make numbers; a plain space between two such numbers ends one
        // ("123-45-6789 987-65-4320" is two runs, "5 2 9 - 4 4 - 1 2 3 8" one).
        let major = parts.iter().map(|p| p.3).max().unwrap_or(0);
        let mut segment: Vec<(String, usize, usize, u8)> = Vec::new();
        let mut visible_in_segment = false;
        for k in 0..parts.len() {
            let part = parts[k].clone();
            let level = part.3;
            let splits_here = level == 2
                && major == 3
                && visible_in_segment
                && part.0.len() >= 2
                && parts.get(k + 1).is_some_and(|next| next.0.len() >= 2);
            visible_in_segment |= level == 3;
            segment.push(part);
            if level == 0 || splits_here {
                out.push(make_run(bytes, std::mem::take(&mut segment)));
                visible_in_segment = false;
            }
        }
        i = end.max(i);
    }
    out
}

/// Groups a run's parts at its strongest separator.
fn make_run(bytes: &[u8], mut parts: Vec<(String, usize, usize, u8)>) -> Run {
    let start = parts.first().map_or(0, |p| p.1);
    let end = parts.last().map_or(start, |p| p.2);
    if let Some(last) = parts.last_mut() {
        last.3 = 0;
    }
    let major = parts.iter().map(|p| p.3).max().unwrap_or(0);
    let mut groups = Vec::new();
    let mut acc = String::new();
    for (digits, _, _, level) in parts {
        acc.push_str(&digits);
        if level == major && level > 0 {
            groups.push(std::mem::take(&mut acc));
        }
    }
    groups.push(acc);
    let (glued_before, prefix_start) = glued_prefix(bytes, start);
    let glued_after = glued_suffix(bytes, end);
    Run {
        start,
        end,
        groups,
        glued_before,
        glued_after,
        prefix_start,
        major,
    }
}

/// Letters right before `start`, optionally joined by one `-`: returns (glued, letters start).
fn glued_prefix(bytes: &[u8], start: usize) -> (bool, usize) {
    let mut k = start;
    if k > 0 && bytes[k - 1] == b'-' && k > 1 && bytes[k - 2].is_ascii_alphanumeric() {
        k -= 1;
    }
    let letters_end = k;
    while k > 0 && bytes[k - 1].is_ascii_alphanumeric() {
        k -= 1;
    }
    (k < letters_end, k)
}

fn glued_suffix(bytes: &[u8], end: usize) -> bool {
    match bytes.get(end) {
        Some(b) if b.is_ascii_alphabetic() => true,
        Some(b'-') => bytes.get(end + 1).is_some_and(u8::is_ascii_alphanumeric),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::normalise::normalise;
    use super::*;

    fn shapes(text: &str) -> Vec<Vec<usize>> {
        runs(&normalise(text)).iter().map(Run::shape).collect()
    }

    #[test]
    fn groups_split_at_the_strongest_separator() {
        assert_eq!(shapes("SSN 123-45-6789."), vec![vec![3, 2, 4]]);
        assert_eq!(shapes("5 2 9 - 4 4 - 1 2 3 8"), vec![vec![3, 2, 4]]);
        assert_eq!(shapes("529 18 4477"), vec![vec![3, 2, 4]]);
        assert_eq!(shapes("123\u{200b}45\u{200b}6789"), vec![vec![3, 2, 4]]);
        assert_eq!(
            shapes("4\u{200b}1\u{200b}2-3\u{200b}3-9\u{200b}120"),
            vec![vec![3, 2, 4]]
        );
        assert_eq!(
            shapes("call (406) 444-3930 or 1-800-555-0199"),
            vec![vec![3], vec![3, 4], vec![1, 3, 3, 4]]
        );
        assert_eq!(shapes("4111 1111 1111 1111"), vec![vec![4, 4, 4, 4]]);
        assert_eq!(
            shapes("SSNs 123-45-6789 987-65-4320."),
            vec![vec![3, 2, 4], vec![3, 2, 4]]
        );
    }

    #[test]
    fn the_split_level_is_kept() {
        let r = runs(&normalise("523\u{200b}417788 and 5 2 3 4 1 and 12-34 and 1234"));
        let majors: Vec<u8> = r.iter().map(|r| r.major).collect();
        assert_eq!(majors, vec![1, 2, 3, 0]);
    }

    #[test]
    fn glued_letters_are_noted() {
        let r = runs(&normalise("CV123-45-6789 and R-12345 and 123-45-6789A"));
        assert!(r[0].glued_before && r[1].glued_before && r[2].glued_after);
        assert_eq!(r[1].prefix_start, 18);
    }
}
