//! Splitting a text into the sentences the model scores one by one.
//!
//! A model finding covers the sentence that triggered it, so a moderator sees *which* part of a
//! long comment is the threat. Sentences end at `.`, `!` or `?` (with any closing quotes or
//! brackets) followed by white space, and at line breaks. Fragments of fewer than
//! [`MIN_WORDS`] words join their neighbour, and a sentence longer than [`MAX_WORDS`] words is
//! cut into windows so that nothing past the encoder's token limit goes unread.

/// Fragments shorter than this many words join the sentence before them (or after, at the start).
const MIN_WORDS: usize = 3;

/// Longest window, in words; ~150 words stay well inside the encoder's 256 tokens.
pub(crate) const MAX_WORDS: usize = 150;

/// Byte ranges of the sentences of `text`, in order, trimmed of white space. Empty only when the
/// text has no visible character.
pub(crate) fn split(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in raw_sentences(text) {
        let Some((s, e)) = trim(text, s, e) else {
            continue;
        };
        let words = text[s..e].split_whitespace().count();
        match out.last_mut() {
            Some(last) if words < MIN_WORDS => last.1 = e,
            _ => out.push((s, e)),
        }
    }
    if out.len() >= 2 && text[out[0].0..out[0].1].split_whitespace().count() < MIN_WORDS {
        let start = out[0].0;
        out.remove(0);
        out[0].0 = start;
    }
    out.into_iter().flat_map(|(s, e)| windows(text, s, e)).collect()
}

/// Sentence candidates before trimming and merging.
fn raw_sentences(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' | b'\r' => {
                out.push((start, i));
                start = i + 1;
            }
            b'.' | b'!' | b'?' => {
                let mut j = i + 1;
                while j < b.len() && matches!(b[j], b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']') {
                    j += 1;
                }
                if j >= b.len() || b[j].is_ascii_whitespace() {
                    out.push((start, j));
                    start = j;
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push((start, b.len()));
    out
}

/// `s..e` without surrounding white space, `None` when nothing is left.
fn trim(text: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let seg = &text[s..e];
    let lead = seg.len() - seg.trim_start().len();
    let trimmed = seg.trim();
    (!trimmed.is_empty()).then(|| (s + lead, s + lead + trimmed.len()))
}

/// Cuts a long sentence into windows of at most [`MAX_WORDS`] words.
fn windows(text: &str, s: usize, e: usize) -> Vec<(usize, usize)> {
    let seg = &text[s..e];
    let mut starts = Vec::new();
    let mut in_word = false;
    for (i, c) in seg.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            starts.push(i);
        }
    }
    if starts.len() <= MAX_WORDS {
        return vec![(s, e)];
    }
    starts
        .chunks(MAX_WORDS)
        .enumerate()
        .map(|(k, chunk)| {
            let from = s + chunk[0];
            let to = match starts.get((k + 1) * MAX_WORDS) {
                Some(&next) => s + next,
                None => e,
            };
            trim(text, from, to).unwrap_or((from, to))
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parts(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn sentences_end_at_terminators_and_line_breaks() {
        assert_eq!(
            parts("Visiting is at noon. Bring ID!  Is parking free? yes it is\nThanks all"),
            vec![
                "Visiting is at noon. Bring ID!",
                "Is parking free?",
                "yes it is\nThanks all"
            ]
        );
    }

    #[test]
    fn abbreviations_and_decimals_without_space_do_not_split() {
        assert_eq!(
            parts("The count is at 4.15 p.m.today and the fee is $2.50 per call for everyone."),
            vec!["The count is at 4.15 p.m.today and the fee is $2.50 per call for everyone."]
        );
    }

    #[test]
    fn short_fragments_join_a_neighbour() {
        assert_eq!(
            parts("Wow. You really think nobody knows where you park? Ok."),
            vec!["Wow. You really think nobody knows where you park? Ok."]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            parts("He said \"watch your back.\" Then he left the lobby quickly."),
            vec!["He said \"watch your back.\"", "Then he left the lobby quickly."]
        );
    }

    #[test]
    fn empty_and_blank_texts_have_no_sentences() {
        assert!(split("").is_empty());
        assert!(split(" \n\t ").is_empty());
        assert_eq!(parts(" hi "), vec!["hi"]);
    }

    #[test]
    fn long_run_ons_are_cut_into_windows_that_cover_every_word() {
        let text = "word ".repeat(MAX_WORDS * 2 + 7);
        let spans = split(&text);
        assert_eq!(spans.len(), 3);
        let words: usize = spans
            .iter()
            .map(|&(s, e)| text[s..e].split_whitespace().count())
            .sum();
        assert_eq!(words, MAX_WORDS * 2 + 7);
        assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0));
    }

    #[test]
    fn multibyte_text_is_split_on_char_boundaries() {
        let text = "¿Cuándo puedo visitar? 😀 Gracias por todo, de verdad.";
        for (s, e) in split(text) {
            assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        }
    }
}
