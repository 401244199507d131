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

use unicode_normalization::char::decompose_canonical;

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
    /// [`BREAK`], [`CAP`], [`UPPER`], [`DIGITS`], [`APOS`].
    pub flags: u8,
}

impl Token {
    /// Whether `flag` is set.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// The folded text and its tokens.
pub(super) struct Folded {
    /// `[a-z0-9*#]` words, each preceded and followed by one space.
    pub text: Vec<u8>,
    /// The words, in order.
    pub tokens: Vec<Token>,
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

struct RawTok {
    start: u32,
    len: u32,
    ns: u32,
    ne: u32,
    flags: u8,
    sep: Sep,
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
pub(super) fn fold(norm: &str) -> Folded {
    let bytes = norm.as_bytes();
    let mut scratch: Vec<u8> = Vec::with_capacity(norm.len());
    let mut raw: Vec<RawTok> = Vec::with_capacity(norm.len() / 5 + 1);
    let mut units: Vec<(usize, usize, Kind)> = Vec::new();
    let mut sep = Sep::default();
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
            let before = scratch.len();
            let folded = if simple {
                Some(fold_letters(&bytes[start..i], start, &mut scratch))
            } else {
                fold_word(&norm[start..i], start, &mut scratch, &mut units)
            };
            if let Some((ns, ne, flags, trailing_break)) = folded {
                raw.push(RawTok {
                    start: before as u32,
                    len: (scratch.len() - before) as u32,
                    ns: ns as u32,
                    ne: ne as u32,
                    flags,
                    sep,
                });
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
    assemble(&scratch, &raw)
}

/// The fast path of [`fold_word`]: a word of ASCII letters only.
fn fold_letters(w: &[u8], base: usize, out: &mut Vec<u8>) -> (usize, usize, u8, bool) {
    let start = out.len();
    let mut uppers = 0;
    let mut triple = false;
    for (k, &b) in w.iter().enumerate() {
        let lower = b | 0x20;
        uppers += usize::from(b < b'a');
        triple |= k >= 2 && out[out.len() - 1] == lower && out[out.len() - 2] == lower;
        out.push(lower);
    }
    if triple {
        squeeze(out, start);
    }
    let mut flags = 0;
    if w[0] < b'a' {
        flags |= CAP;
    }
    if uppers == w.len() && w.len() >= 2 {
        flags |= UPPER;
    }
    (base, base + w.len(), flags, false)
}

/// Joins raw words into the folded text: one separator between words, spelled-out letters
/// joined, sentence breaks decided (a dot after a title abbreviation or an initial is no break).
fn assemble(scratch: &[u8], raw: &[RawTok]) -> Folded {
    // Every word is preceded and followed by a separator byte (the text starts with one).
    let mut text = Vec::with_capacity(scratch.len() + raw.len() + 1);
    let mut tokens: Vec<Token> = Vec::with_capacity(raw.len());
    let single = |r: &RawTok| r.len == 1 && matches!(scratch[r.start as usize], b'a'..=b'z' | b'*');
    let mut k = 0;
    while k < raw.len() {
        let r = &raw[k];
        let mut end = k + 1;
        if single(r) {
            while end < raw.len() && single(&raw[end]) && raw[end].sep.simple && !raw[end].sep.hard {
                end += 1;
            }
            if end - k < 3 {
                end = k + 1;
            }
        }
        let prev_abbrev = tokens.last().is_some_and(|t| {
            let w = &text[t.fs as usize..t.fe as usize];
            w.len() == 1 || ABBREVIATIONS.contains(&w)
        });
        let brk = r.sep.hard || (r.sep.dot && !prev_abbrev) || tokens.is_empty();
        text.push(b' ');
        let fs = text.len() as u32;
        for part in &raw[k..end] {
            text.extend_from_slice(&scratch[part.start as usize..(part.start + part.len) as usize]);
        }
        let mut flags = r.flags & !BREAK;
        if brk {
            flags |= BREAK;
        }
        tokens.push(Token {
            fs,
            fe: text.len() as u32,
            ns: r.ns,
            ne: raw[end - 1].ne,
            flags,
        });
        k = end;
    }
    text.push(b' ');
    Folded { text, tokens }
}

/// Words after which a dot does not end the sentence.
const ABBREVIATIONS: &[&[u8]] = &[
    b"mr", b"mrs", b"ms", b"dr", b"st", b"sgt", b"lt", b"capt", b"jr", b"sr", b"no", b"vs", b"col", b"gen",
    b"gov", b"rep", b"sen", b"ofc", b"dept", b"det", b"maj", b"cpl", b"insp", b"supt", b"asst",
];

fn decode(s: &str, at: usize) -> (char, usize) {
    s[at..]
        .chars()
        .next()
        .map_or(('\u{fffd}', 1), |c| (c, c.len_utf8()))
}

fn is_token_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || matches!(c, '@' | '$' | '!' | '|' | '*' | '+' | '\'' | '`')
    } else {
        c.is_alphanumeric() || is_apostrophe(c) || is_mark(c)
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '`' | '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{2032}')
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36f | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff | 0x20d0..=0x20ff | 0xfe00..=0xfe0f | 0xfe20..=0xfe2f)
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Letter(u8, bool),
    Digit(u8),
    Sym(u8),
    Apos,
    Mark,
}

fn kind(c: char) -> Kind {
    if c.is_ascii_alphabetic() {
        return Kind::Letter(c.to_ascii_lowercase() as u8, c.is_ascii_uppercase());
    }
    if c.is_ascii_digit() {
        return Kind::Digit(c as u8);
    }
    if is_apostrophe(c) {
        return Kind::Apos;
    }
    if c.is_ascii() {
        return Kind::Sym(c as u8);
    }
    if is_mark(c) {
        return Kind::Mark;
    }
    if c.is_numeric() {
        return Kind::Letter(b'#', false);
    }
    Kind::Letter(latin_base(c).unwrap_or(b'#'), c.is_uppercase())
}

/// The Latin letter a lookalike or accented letter stands for.
fn latin_base(c: char) -> Option<u8> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let mapped = match lower {
        'а' | 'α' => 'a',
        'в' | 'β' => 'b',
        'с' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'ε' | 'ё' => 'e',
        'һ' | 'н' | 'η' => 'h',
        'і' | 'ι' | 'ї' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'м' | 'μ' => 'm',
        'ո' | 'ν' => 'v',
        'о' | 'ο' | 'σ' => 'o',
        'р' | 'ρ' => 'p',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'υ' | 'ц' => 'u',
        'у' | 'γ' => 'y',
        'х' | 'χ' => 'x',
        'ζ' => 'z',
        'ɡ' => 'g',
        'ł' => 'l',
        'ø' => 'o',
        'ß' => 's',
        other => {
            let mut base = other;
            decompose_canonical(other, |d| {
                if base == other && d.is_ascii_alphabetic() {
                    base = d;
                }
            });
            base
        }
    };
    mapped
        .is_ascii_alphabetic()
        .then(|| mapped.to_ascii_lowercase() as u8)
}

fn leet(b: u8) -> u8 {
    match b {
        b'0' => b'o',
        b'1' | b'!' => b'i',
        b'3' => b'e',
        b'4' | b'@' => b'a',
        b'5' | b'$' => b's',
        b'7' | b'+' => b't',
        b'8' => b'b',
        b'9' => b'g',
        b'|' => b'l',
        other => other,
    }
}

/// Folds one raw word `w` found at normalised offset `base` into `out`. Returns its normalised
/// range, flags, and whether trimmed punctuation after it ends a sentence; `None` when nothing
/// of it is left (a lone symbol).
fn fold_word(
    w: &str,
    base: usize,
    out: &mut Vec<u8>,
    units: &mut Vec<(usize, usize, Kind)>,
) -> Option<(usize, usize, u8, bool)> {
    units.clear();
    for (i, c) in w.char_indices() {
        units.push((base + i, c.len_utf8(), kind(c)));
    }
    let leading_junk = |k: Kind| {
        matches!(
            k,
            Kind::Apos | Kind::Mark | Kind::Sym(b'!' | b'|' | b'*' | b'+' | b'`')
        )
    };
    let trailing_junk = |k: Kind| matches!(k, Kind::Apos | Kind::Sym(b'!' | b'|' | b'+' | b'@' | b'`'));
    let mut lo = 0;
    while lo < units.len() && leading_junk(units[lo].2) {
        lo += 1;
    }
    let mut hi = units.len();
    let mut trailing_break = false;
    while hi > lo && trailing_junk(units[hi - 1].2) {
        trailing_break |= units[hi - 1].2 == Kind::Sym(b'!');
        hi -= 1;
    }
    let units = &units[lo..hi];
    let letters = units.iter().filter(|u| matches!(u.2, Kind::Letter(..))).count();
    let digits = units.iter().filter(|u| matches!(u.2, Kind::Digit(_))).count();
    let leet_mode = letters > 0 && letters >= digits;
    let start = out.len();
    let mut flags = 0u8;
    let mut first_letter = true;
    let mut all_upper = letters >= 2;
    let mut first = None;
    let mut last = None;
    for &(at, len, k) in units {
        let byte = match k {
            Kind::Letter(b, upper) => {
                if first_letter {
                    if upper {
                        flags |= CAP;
                    }
                    first_letter = false;
                }
                all_upper &= upper || b == b'#';
                Some(b)
            }
            Kind::Digit(d) => Some(if leet_mode { leet(d) } else { d }),
            Kind::Sym(s) if leet_mode && matches!(s, b'@' | b'$' | b'!' | b'|' | b'+' | b'*') => {
                Some(leet(s))
            }
            Kind::Apos => {
                flags |= APOS;
                None
            }
            _ => None,
        };
        let Some(byte) = byte else { continue };
        out.push(byte);
        first.get_or_insert(at);
        last = Some(at + len);
    }
    squeeze(out, start);
    if out.len() == start {
        return None;
    }
    if all_upper {
        flags |= UPPER;
    }
    if letters == 0 {
        flags |= DIGITS;
    }
    Some((first?, last?, flags, trailing_break))
}

/// Shrinks every run of three or more equal letters in `out[start..]` to one letter.
fn squeeze(out: &mut Vec<u8>, start: usize) {
    let mut w = start;
    let mut r = start;
    while r < out.len() {
        let b = out[r];
        let mut run = r;
        while run < out.len() && out[run] == b {
            run += 1;
        }
        let keep = if run - r >= 3 && b.is_ascii_lowercase() {
            1
        } else {
            run - r
        };
        for _ in 0..keep {
            out[w] = b;
            w += 1;
        }
        r = run;
    }
    out.truncate(w);
}

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
