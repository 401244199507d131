//! The normalised view of a text, with a map back to the original.
//!
//! Every detector reads this view: NFKC (full-width letters and digits become ASCII, ligatures
//! split), format characters (category Cf: zero-width spaces and joiners, soft hyphen, BOM, word
//! joiner) removed, every Unicode decimal digit replaced by its ASCII value, every dash by `-`
//! and every odd space by ` `. Findings are located in this view and reported in UTF-16 code
//! units of the original, so [`Normalised::original_range`] maps a span back.
//!
//! Pure-ASCII text needs none of this: it is borrowed as is and the map is the identity.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// A text after normalisation.
pub(super) struct Normalised<'a> {
    /// The normalised text.
    pub text: Cow<'a, str>,
    /// For each byte of `text`, the original byte range it came from; `None` = identity.
    spans: Option<Vec<(u32, u32)>>,
    /// Offsets in `text` where format characters were removed, ascending.
    pub hidden: Vec<usize>,
}

impl Normalised<'_> {
    /// The original byte range of the normalised byte range `start..end`.
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let Some(spans) = &self.spans else {
            return (start, end);
        };
        if spans.is_empty() {
            return (0, 0);
        }
        let first = spans[start.min(spans.len() - 1)].0 as usize;
        let last = if end > start {
            spans[(end - 1).min(spans.len() - 1)].1
        } else {
            spans[start.min(spans.len() - 1)].0
        };
        (first, (last as usize).max(first))
    }

    /// Whether a format character was removed right before normalised offset `at`.
    pub fn hidden_at(&self, at: usize) -> bool {
        self.hidden.binary_search(&at).is_ok()
    }
}

/// Buffers a [`Normalised`] view can take and give back, to reuse their allocations.
#[derive(Default)]
pub(super) struct Buffers {
    text: String,
    spans: Vec<(u32, u32)>,
    hidden: Vec<usize>,
}

impl Buffers {
    /// Takes back the buffers of a view that is no longer needed.
    pub fn recycle(&mut self, norm: Normalised<'_>) {
        if let Cow::Owned(text) = norm.text {
            self.text = text;
        }
        if let Some(spans) = norm.spans {
            self.spans = spans;
        }
        self.hidden = norm.hidden;
    }
}

/// Normalises `text` (see the module docs).
#[cfg(test)]
pub(super) fn normalise(text: &str) -> Normalised<'_> {
    normalise_with(text, &mut Buffers::default())
}

/// Normalises `text`, building the view in `buffers`' allocations.
pub(super) fn normalise_with<'a>(text: &'a str, buffers: &mut Buffers) -> Normalised<'a> {
    let mut hidden = std::mem::take(&mut buffers.hidden);
    hidden.clear();
    if text.is_ascii() {
        return Normalised {
            text: Cow::Borrowed(text),
            spans: None,
            hidden,
        };
    }
    let mut out = std::mem::take(&mut buffers.text);
    let mut spans = std::mem::take(&mut buffers.spans);
    out.clear();
    spans.clear();
    out.reserve(text.len() + 16);
    spans.reserve(text.len() + 16);
    let bytes = text.as_bytes();
    let mut segment = String::new();
    let mut at = 0;
    while at < bytes.len() {
        // ASCII followed by ASCII is its own segment and NFKC leaves it alone: copy the run,
        // all but its last byte, which a combining mark may follow.
        let run = bytes[at..].iter().take_while(|b| b.is_ascii()).count();
        let copy = if at + run == bytes.len() {
            run
        } else {
            run.saturating_sub(1)
        };
        if copy > 0 {
            out.push_str(&text[at..at + copy]);
            spans.extend((at..at + copy).map(|k| (k as u32, k as u32 + 1)));
            at += copy;
            continue;
        }
        let mut chars = text[at..].char_indices().map(|(i, c)| (at + i, c)).peekable();
        let Some((start, c)) = chars.next() else {
            break;
        };
        // A segment is a starter and the combining marks after it; NFKC never looks further.
        let mut end = start + c.len_utf8();
        segment.clear();
        segment.push(c);
        while let Some(&(i, next)) = chars.peek() {
            if canonical_combining_class(next) == 0 {
                break;
            }
            segment.push(next);
            end = i + next.len_utf8();
            chars.next();
        }
        at = end;
        let span = (start as u32, end as u32);
        if segment.len() == 1 {
            // ASCII: NFKC is the identity.
            out.push(c);
            spans.push(span);
            continue;
        }
        for n in segment.nfkc() {
            let mapped = match n.general_category() {
                GeneralCategory::Format => {
                    hidden.push(out.len());
                    continue;
                }
                GeneralCategory::DecimalNumber => char::from(b'0' + digit_value(n)),
                GeneralCategory::DashPunctuation => '-',
                GeneralCategory::SpaceSeparator => ' ',
                GeneralCategory::LineSeparator | GeneralCategory::ParagraphSeparator => '\n',
                _ if n == '\u{2212}' => '-',
                _ => n,
            };
            let before = out.len();
            out.push(mapped);
            spans.extend(std::iter::repeat_n(span, out.len() - before));
        }
    }
    hidden.dedup();
    Normalised {
        text: Cow::Owned(out),
        spans: Some(spans),
        hidden,
    }
}

/// The value of a decimal digit (category Nd). Unicode lays every decimal digit out in runs of
/// ten consecutive code points from 0 to 9, so the value is the position in its run.
fn digit_value(c: char) -> u8 {
    if let Some(d) = c.to_digit(10) {
        return d as u8;
    }
    let mut steps = 0u32;
    let mut cp = c as u32;
    while steps < 100 {
        let Some(prev) = cp.checked_sub(1).and_then(char::from_u32) else {
            break;
        };
        if prev.general_category() != GeneralCategory::DecimalNumber {
            break;
        }
        steps += 1;
        cp -= 1;
    }
    (steps % 10) as u8
}

/// Converts sorted-or-not original byte offsets to UTF-16 code-unit offsets in one pass.
pub(super) fn utf16_offsets(original: &str, byte_offsets: &[usize]) -> Vec<usize> {
    if original.is_ascii() {
        return byte_offsets.to_vec();
    }
    let mut order: Vec<usize> = (0..byte_offsets.len()).collect();
    order.sort_by_key(|&i| byte_offsets[i]);
    let mut result = vec![0; byte_offsets.len()];
    let mut units = 0usize;
    let mut chars = original.char_indices().peekable();
    for i in order {
        let target = byte_offsets[i];
        while let Some(&(at, c)) = chars.peek() {
            if at >= target {
                break;
            }
            units += c.len_utf16();
            chars.next();
        }
        result[i] = units;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_borrowed_unchanged() {
        let n = normalise("SSN 123-45-6789");
        assert!(matches!(n.text, Cow::Borrowed(_)));
        assert_eq!(n.original_range(4, 15), (4, 15));
    }

    #[test]
    fn full_width_digits_and_dashes_become_ascii_and_map_back() {
        let text = "SSN ５２３－４１－７７８８!";
        let n = normalise(text);
        assert_eq!(n.text, "SSN 523-41-7788!");
        let (s, e) = n.original_range(4, 15);
        assert_eq!(&text[s..e], "５２３－４１－７７８８");
    }

    #[test]
    fn format_characters_are_removed_and_remembered() {
        let n = normalise("4\u{200b}1\u{00ad}2\u{feff}-\u{2060}33");
        assert_eq!(n.text, "412-33");
        assert!(n.hidden_at(1) && n.hidden_at(2) && n.hidden_at(3) && n.hidden_at(4));
    }

    #[test]
    fn every_decimal_digit_maps_to_its_value() {
        assert_eq!(normalise("\u{0664}\u{0660}\u{0661}").text, "401");
        assert_eq!(normalise("\u{0967}\u{0968}\u{096f}").text, "129"); // Devanagari
        assert_eq!(normalise("\u{1d7d0}\u{1d7d9}").text, "21"); // mathematical bold 2, double-struck 1
    }

    #[test]
    fn odd_dashes_and_spaces_are_separators() {
        assert_eq!(
            normalise("372\u{2013}64\u{2014}1195\u{2212}1").text,
            "372-64-1195-1"
        );
        assert_eq!(normalise("529\u{00a0}18\u{2009}4477").text, "529 18 4477");
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        let text = "😀 é x";
        let offsets = utf16_offsets(text, &[0, 4, 5, 7, 8]);
        assert_eq!(offsets, vec![0, 2, 3, 4, 5]);
    }
}
