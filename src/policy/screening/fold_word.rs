//! Folding one word of the normalised text (see [`super::fold`]): leetspeak, masks,
//! apostrophes, lookalike and accented letters, letter runs.

use unicode_normalization::char::decompose_canonical;

use super::fold::{APOS, CAP, DIGITS, UPPER};

/// The fast path of [`fold_word`]: a word of ASCII letters only. Returns its flags.
#[inline]
pub(super) fn fold_letters(w: &[u8], out: &mut Vec<u8>) -> u8 {
    let start = out.len();
    out.extend(w.iter().map(|&b| b | 0x20));
    if out[start..].windows(3).any(|x| x[0] == x[1] && x[1] == x[2]) {
        squeeze(out, start);
    }
    let uppers = w.iter().filter(|&&b| b < b'a').count();
    let mut flags = 0;
    if w.first().is_some_and(|&b| b < b'a') {
        flags |= CAP;
    }
    if uppers == w.len() && w.len() >= 2 {
        flags |= UPPER;
    }
    flags
}

pub(super) fn decode(s: &str, at: usize) -> (char, usize) {
    s[at..]
        .chars()
        .next()
        .map_or(('\u{fffd}', 1), |c| (c, c.len_utf8()))
}

pub(super) fn is_token_char(c: char) -> bool {
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
pub(super) enum Kind {
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
pub(super) fn fold_word(
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
pub(super) fn squeeze(out: &mut Vec<u8>, start: usize) {
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
