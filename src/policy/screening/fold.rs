//! The folded view used by the lexicon rules: lowercase words of `[a-z0-9*#]` with one space
//! before and after each, obfuscation undone. Sentence ends are a flag on the next word.
//!
//! Folding, per word: leetspeak digits and symbols become letters when the word is mostly
//! letters (`sh1t`, `a$$`, `f@g`, `sh!t`); `*` stays as a wildcard that lexicon matching accepts
//! for any letter (`f*ck`); apostrophes vanish (`you're` -> `youre`); lookalike Cyrillic/Greek
//! letters and accented letters become their Latin base (`аss`, `fück`); runs of three or more
//! equal letters shrink to one (`fuuuck`); letters spelled out one by one are joined
//! (`f u c k`, `s.h.i.t`). Other scripts' letters become `#` (a word byte no lexicon uses).
//!
//! Each word is a [`Token`] that remembers its range in the normalised text.

use super::fold_word::{Kind, decode, fold_letters, fold_word, is_token_char};

/// The token starts a new sentence.
pub(super) const BREAK: u8 = 1;
/// The token's first letter is uppercase.
pub(super) const CAP: u8 = 2;
/// All of the token's letters are uppercase (and it has at least two).
pub(super) const UPPER: u8 = 4;
/// The token has no letters.
pub(super) const DIGITS: u8 = 8;
/// The token was written with an apostrophe.
pub(super) const APOS: u8 = 16;
/// The token has a `*` (a masked letter).
pub(super) const STAR: u8 = 32;

/// One word of the folded view.
#[derive(Clone, Copy, Debug)]
pub(super) struct Token {
    /// Start in the folded text.
    pub fs: u32,
    /// End in the folded text.
    pub fe: u32,
    /// Start in the normalised text.
    pub ns: u32,
    /// End in the normalised text.
    pub ne: u32,
    /// [`BREAK`], [`CAP`], [`UPPER`], [`DIGITS`], [`APOS`], [`STAR`].
    pub flags: u8,
}

impl Token {
    /// Whether `flag` is set.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// The folded text and its tokens.
#[derive(Default)]
pub(super) struct Folded {
    /// `[a-z0-9*#]` words, each preceded and followed by one space.
    pub text: Vec<u8>,
    /// The words, in order.
    pub tokens: Vec<Token>,
    /// How many ASCII digits the normalised text has.
    pub digits: usize,
    /// Scratch for a word moved while a spelled-out run is joined.
    word: Vec<u8>,
    /// Scratch for [`fold_word`].
    units: Vec<(usize, usize, Kind)>,
}

impl Folded {
    /// The folded bytes of token `i`.
    pub fn word(&self, i: usize) -> &[u8] {
        let t = &self.tokens[i];
        &self.text[t.fs as usize..t.fe as usize]
    }

    /// Index of the token containing or following folded offset `at`.
    pub fn token_at(&self, at: usize) -> usize {
        self.tokens.partition_point(|t| (t.fe as usize) <= at)
    }

    /// Index of the first token ending after normalised offset `at`.
    pub fn token_at_norm(&self, at: usize) -> usize {
        self.tokens.partition_point(|t| (t.ne as usize) <= at)
    }
}

/// Whether `b` is a byte of a folded word.
pub(super) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'*' || b == b'#'
}

/// Separator facts between two words.
#[derive(Clone, Copy, Default)]
struct Sep {
    hard: bool,
    dot: bool,
    chars: u32,
    simple: bool,
}

/// ASCII byte classes for the scanner.
const SEP: u8 = 0;
const LETTER: u8 = 1;
const OTHER_WORD: u8 = 2;

const fn ascii_classes() -> [u8; 128] {
    let mut t = [SEP; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphabetic() {
            LETTER
        } else if c.is_ascii_digit() || matches!(c, b'@' | b'$' | b'!' | b'|' | b'*' | b'+' | b'\'' | b'`') {
            OTHER_WORD
        } else {
            SEP
        };
        b += 1;
    }
    t
}

static ASCII_CLASS: [u8; 128] = ascii_classes();

/// Folds a normalised text (see the module docs).
#[cfg(test)]
pub(super) fn fold(norm: &str) -> Folded {
    let mut folded = Folded::default();
    fold_into(norm, &mut folded);
    folded
}

/// A word folded into [`Folded::word`], about to become a token.
struct Word {
    ns: u32,
    ne: u32,
    flags: u8,
}

/// Folds `norm` into `out`, reusing its buffers. One pass: each word is folded and appended
/// to the text as it is found; letters spelled out one by one are joined when their run ends.
pub(super) fn fold_into(norm: &str, out: &mut Folded) {
    let bytes = norm.as_bytes();
    out.text.clear();
    out.tokens.clear();
    out.digits = 0;
    out.text.reserve(norm.len() + 2);
    out.text.push(b' ');
    let mut sep = Sep::default();
    // Tokens from `run_start` on are single letters that may be one spelled-out word.
    let mut run_start = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (c, len, word) = if b < 0x80 {
            (b as char, 1, ASCII_CLASS[b as usize] != SEP)
        } else {
            let (c, len) = decode(norm, i);
            (c, len, is_token_char(c))
        };
        if word {
            let start = i;
            let mut simple = b < 0x80 && ASCII_CLASS[b as usize] == LETTER;
            i += len;
            while i < bytes.len() {
                let b = bytes[i];
                if b < 0x80 {
                    match ASCII_CLASS[b as usize] {
                        LETTER => {}
                        OTHER_WORD => simple = false,
                        _ => break,
                    }
                    i += 1;
                } else {
                    let (c, len) = decode(norm, i);
                    if !is_token_char(c) {
                        break;
                    }
                    simple = false;
                    i += len;
                }
            }
            // The word is folded straight into the text, after the separator byte.
            let fs = out.text.len();
            let folded = if simple {
                Some((start, i, fold_letters(&bytes[start..i], &mut out.text), false))
            } else {
                out.digits += bytes[start..i].iter().filter(|b| b.is_ascii_digit()).count();
                fold_word(&norm[start..i], start, &mut out.text, &mut out.units).map(
                    |(ns, ne, mut flags, trailing_break)| {
                        if out.text[fs..].contains(&b'*') {
                            flags |= STAR;
                        }
                        (ns, ne, flags, trailing_break)
                    },
                )
            };
            if let Some((ns, ne, flags, trailing_break)) = folded {
                let w = Word {
                    ns: ns as u32,
                    ne: ne as u32,
                    flags,
                };
                push_token(out, fs, &w, sep, &mut run_start);
                sep = Sep {
                    hard: trailing_break,
                    ..Sep::default()
                };
            }
            continue;
        }
        match c {
            '?' | ';' | '\n' | '!' => sep.hard = true,
            '.' => {
                let next = bytes.get(i + 1).copied();
                if next.is_none_or(|n| n.is_ascii_whitespace() || matches!(n, b'"' | b')' | b'\'' | b']')) {
                    sep.dot = true;
                }
            }
            _ => {}
        }
        sep.chars += 1;
        sep.simple = sep.chars == 1 && matches!(c, ' ' | '.' | '-' | '_' | ',' | '/');
        i += len;
    }
    join_run(out, run_start);
}

/// Whether a folded word is a single letter (or mask) that may be part of a spelled-out word.
fn is_single(w: &[u8]) -> bool {
    w.len() == 1 && matches!(w[0], b'a'..=b'z' | b'*')
}

/// Makes the word folded into `out.text[fs..]` a token after separator `sep`. A run of three
/// or more single letters with one simple separator between each becomes one word (`f u c k`).
fn push_token(out: &mut Folded, mut fs: usize, w: &Word, sep: Sep, run_start: &mut usize) {
    let single = is_single(&out.text[fs..]);
    let extends = single && out.tokens.len() > *run_start && sep.simple && !sep.hard;
    if !extends {
        if out.tokens.len() >= *run_start + 3 {
            // Join the finished run; this word moves down behind it.
            out.word.clear();
            out.word.extend_from_slice(&out.text[fs..]);
            out.text.truncate(fs);
            join_run(out, *run_start);
            fs = out.text.len();
            out.text.extend_from_slice(&out.word);
        }
        *run_start = out.tokens.len();
    }
    // A dot after a title abbreviation or an initial is no sentence break.
    let brk = out.tokens.is_empty()
        || sep.hard
        || (sep.dot
            && !out.tokens.last().is_some_and(|t| {
                let w = &out.text[t.fs as usize..t.fe as usize];
                w.len() == 1 || ABBREVIATIONS.contains(&w)
            }));
    let fe = out.text.len() as u32;
    out.text.push(b' ');
    let mut flags = w.flags & !BREAK;
    if brk {
        flags |= BREAK;
    }
    out.tokens.push(Token {
        fs: fs as u32,
        fe,
        ns: w.ns,
        ne: w.ne,
        flags,
    });
    if !single {
        *run_start = out.tokens.len();
    }
}

/// Joins the single-letter tokens from `run_start` on into one when there are three or more.
fn join_run(out: &mut Folded, run_start: usize) {
    let n = out.tokens.len();
    if n < run_start + 3 {
        return;
    }
    let first = out.tokens[run_start];
    let last = out.tokens[n - 1];
    let fs = first.fs as usize;
    let mut k = fs;
    for t in run_start..n {
        let at = out.tokens[t].fs as usize;
        out.text[k] = out.text[at];
        k += 1;
    }
    out.text.truncate(k);
    out.text.push(b' ');
    let star = out.tokens[run_start..].iter().any(|t| t.has(STAR));
    out.tokens.truncate(run_start + 1);
    out.tokens[run_start] = Token {
        fe: k as u32,
        ne: last.ne,
        flags: if star { first.flags | STAR } else { first.flags },
        ..first
    };
}

/// Words after which a dot does not end the sentence.
const ABBREVIATIONS: &[&[u8]] = &[
    b"mr", b"mrs", b"ms", b"dr", b"st", b"sgt", b"lt", b"capt", b"jr", b"sr", b"no", b"vs", b"col", b"gen",
    b"gov", b"rep", b"sen", b"ofc", b"dept", b"det", b"maj", b"cpl", b"insp", b"supt", b"asst", b"acct",
    b"lic", b"num",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> String {
        String::from_utf8(fold(s).text)
            .unwrap_or_default()
            .trim_start_matches(['.', ' '])
            .trim_end()
            .to_owned()
    }

    #[test]
    fn leetspeak_and_masks_fold() {
        assert_eq!(words("sh1t a$$ f@g sh!t f*ck"), "shit ass fag shit f*ck");
        assert_eq!(words("R12345 $100 2024"), "r12345 100 2024");
        assert_eq!(words("You're NOT ok!!! Really?"), "youre not ok really");
    }

    #[test]
    fn spelled_out_letters_join_and_runs_shrink() {
        assert_eq!(words("f u c k this"), "fuck this");
        assert_eq!(words("s.h.i.t happens"), "shit happens");
        assert_eq!(words("FUUUUCK cool"), "fuck cool");
        assert_eq!(words("I am a fan"), "i am a fan");
    }

    #[test]
    fn lookalikes_and_accents_fold() {
        assert_eq!(words("\u{0430}\u{0455}\u{0455} ph\u{00fc}ck"), "ass phuck");
    }

    #[test]
    fn sentences_break_but_not_after_titles_or_initials() {
        let f = fold("Mr. J. Smith came. Then he left cor.mt.gov today");
        let breaks: Vec<bool> = f.tokens.iter().map(|t| t.has(BREAK)).collect();
        assert_eq!(
            breaks,
            vec![
                true, false, false, false, true, false, false, false, false, false, false
            ]
        );
        assert!(f.tokens[0].has(CAP) && f.tokens[2].has(CAP) && !f.tokens[5].has(CAP));
    }

    #[test]
    fn tokens_map_to_normalised_ranges() {
        let text = "Hey   YOU  idiot";
        let f = fold(text);
        let t = f.tokens[1];
        assert_eq!(&text[t.ns as usize..t.ne as usize], "YOU");
        assert!(t.has(UPPER));
        assert_eq!(f.token_at_norm(8), 1);
        assert_eq!(f.token_at_norm(9), 2);
    }
}
