//! Recognising a person's name without a model: capitalised-word patterns, a bundled list of
//! common US first names (`data/first_names.txt`) and titles (`data/names_extra.txt`).
//!
//! A name is one of:
//! - a title and one or two capitalised words: `Officer Haines`, `Mr. Thomas Reed`;
//! - an initial and a capitalised word: `J. Harlan`;
//! - a listed first name and a capitalised word: `Maria Lopez`, `JOHN DOE`;
//! - ([`Mode::Loose`] only, for the targets of content rules) a listed first name alone, or a
//!   capitalised word in the middle of a sentence: `that idiot Jenkins`.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use super::fold::{self, Folded};

/// How much evidence a name needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Mode {
    /// First name or initial or title, and a surname (PPI).
    Strict,
    /// Also a single capitalised word (targets of attacks and accusations).
    Loose,
}

/// FNV-1a: the sets hold short words looked up once per candidate token, where SipHash's
/// setup cost dominates. (Not exposed to untrusted keys in a way that matters: read-only sets.)
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type WordSet = HashSet<Vec<u8>, BuildHasherDefault<Fnv>>;

struct NameData {
    first: WordSet,
    titles: WordSet,
    not_names: WordSet,
}

static DATA: LazyLock<Result<NameData, String>> = LazyLock::new(load);

fn load() -> Result<NameData, String> {
    let mut data = NameData {
        first: WordSet::default(),
        titles: WordSet::default(),
        not_names: WordSet::default(),
    };
    for (n, line) in include_str!("data/first_names.txt").lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if !line.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(format!(
                "data/first_names.txt line {}: `{line}` is not a lowercase name",
                n + 1
            ));
        }
        data.first.insert(line.as_bytes().to_vec());
    }
    let mut section = "";
    for (n, line) in include_str!("data/names_extra.txt").lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('[') {
            section = line;
            continue;
        }
        if !line.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(format!(
                "data/names_extra.txt line {}: `{line}` is not a lowercase word",
                n + 1
            ));
        }
        let set = match section {
            "[titles]" => &mut data.titles,
            "[not_names]" => &mut data.not_names,
            other => {
                return Err(format!(
                    "data/names_extra.txt line {}: unknown section `{other}`",
                    n + 1
                ));
            }
        };
        set.insert(line.as_bytes().to_vec());
    }
    Ok(data)
}

/// Forces the name data and reports a bad line.
pub(super) fn self_check() -> Result<(), String> {
    DATA.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// Whether token `i` can be a surname: capitalised, letters only, not a known non-name.
fn is_surname(f: &Folded, d: &NameData, i: usize, hi: usize) -> bool {
    if i >= hi {
        return false;
    }
    let t = f.tokens[i];
    let w = f.word(i);
    // A short all-caps word after a normal one is an acronym (DL, ID, DOC), not a surname.
    let acronym = t.has(fold::UPPER) && w.len() <= 3 && !f.tokens[i - 1].has(fold::UPPER);
    t.has(fold::CAP)
        && !acronym
        && !t.has(fold::BREAK)
        && w.len() >= 2
        && w.iter().all(u8::is_ascii_lowercase)
        && !d.not_names.contains(w)
        && !d.titles.contains(w)
}

/// The lengths (in tokens, longest first) of the names that start at token `i`.
pub(super) fn name_lengths(f: &Folded, i: usize, hi: usize, mode: Mode) -> impl Iterator<Item = usize> {
    let mut out = [0usize; 3];
    let mut n = 0;
    let mut push = |len: usize| {
        if n < out.len() && !out[..n].contains(&len) {
            out[n] = len;
            n += 1;
        }
    };
    if let Ok(d) = DATA.as_ref()
        && i < hi
    {
        let t = f.tokens[i];
        let w = f.word(i);
        let titled = d.titles.contains(w);
        let initial = w.len() == 1 && w[0].is_ascii_lowercase() && w[0] != b'i' && t.has(fold::CAP);
        let first = t.has(fold::CAP) && d.first.contains(w);
        if (titled || initial || first) && is_surname(f, d, i + 1, hi) {
            if is_surname(f, d, i + 2, hi) {
                push(3);
            }
            push(2);
        }
        if mode == Mode::Loose {
            let mid_sentence_cap = !t.has(fold::BREAK) && !t.has(fold::UPPER) && is_surname(f, d, i, hi);
            if (first && !d.not_names.contains(w)) || mid_sentence_cap {
                push(1);
            }
        }
    }
    out.into_iter().take(n)
}

/// Every strict name in tokens `[lo, hi)` as `(first token, end token)`.
pub(super) fn names_in(f: &Folded, lo: usize, hi: usize) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut i = lo;
    while i < hi {
        if let Some(len) = name_lengths(f, i, hi, Mode::Strict).next() {
            found.push((i, i + len));
            i += len;
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict(text: &str) -> Vec<String> {
        let f = fold::fold(text);
        names_in(&f, 0, f.tokens.len())
            .into_iter()
            .map(|(a, b)| text[f.tokens[a].ns as usize..f.tokens[b - 1].ne as usize].to_owned())
            .collect()
    }

    #[test]
    fn names_need_a_first_name_initial_or_title_and_a_surname() {
        assert!(self_check().is_ok());
        assert_eq!(strict("Visitor Maria Lopez came"), vec!["Maria Lopez"]);
        assert_eq!(
            strict("Ask Officer Greg Haines or Mr. Reed."),
            vec!["Officer Greg Haines", "Mr. Reed"]
        );
        assert_eq!(strict("J. Harlan and JOHN DOE"), vec!["J. Harlan", "JOHN DOE"]);
        assert_eq!(strict("Brian O'Neil's license"), vec!["Brian O'Neil's"]);
    }

    #[test]
    fn places_institutions_and_lone_words_are_not_names() {
        assert!(strict("Montana State Prison in Deer Lodge").is_empty());
        assert!(strict("John was released. Smith was not").is_empty());
        assert!(strict("Officer training at the Department").is_empty());
        assert!(strict("I Love It").is_empty());
    }
}
