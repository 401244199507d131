//! Recognising a person's name without a model: capitalised-word patterns, bundled lists of
//! common US first names (`data/first_names.txt`, `data/first_names_ssa.txt`) and titles and
//! word lists (`data/names_extra.txt`).
//!
//! A name is one of:
//! - a title and one or two capitalised words: `Officer Haines`, `Mr. Thomas Reed`;
//! - an initial and a capitalised word: `J. Harlan`;
//! - a listed first name and a capitalised word: `Maria Lopez`, `JOHN DOE`;
//! - two capitalised words right after a kin word (`[kin]`): `my aunt Amaka Eze`;
//! - ([`Mode::Strict`] only, for personal information next to an ID cue) the same in lower
//!   case: `james okafor`, `j okafor`. A lower-case first name must not be an ordinary word
//!   (`[word_names]`: "mark", "rose") and a lower-case surname must not be a function word,
//!   common verb or cue word (`[not_surnames]`: "james has", "maria drivers license");
//! - ([`Mode::Loose`] only, for the targets of content rules) a listed first name alone, or a
//!   capitalised word in the middle of a sentence: `that idiot Jenkins`.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use super::fold::{self, Folded};

/// How much evidence a name needs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Mode {
    /// First name or initial or title, and a surname, in any letter case (PPI).
    Strict,
    /// Capitalised names only, but also a single capitalised word (targets of attacks and
    /// accusations).
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
    word_names: WordSet,
    not_surnames: WordSet,
    kin: WordSet,
}

static DATA: LazyLock<Result<NameData, String>> = LazyLock::new(load);

fn load() -> Result<NameData, String> {
    let mut data = NameData {
        first: WordSet::default(),
        titles: WordSet::default(),
        not_names: WordSet::default(),
        word_names: WordSet::default(),
        not_surnames: WordSet::default(),
        kin: WordSet::default(),
    };
    for (file, text) in [
        ("first_names.txt", include_str!("data/first_names.txt")),
        ("first_names_ssa.txt", include_str!("data/first_names_ssa.txt")),
    ] {
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if !line.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(format!(
                    "data/{file} line {}: `{line}` is not a lowercase name",
                    n + 1
                ));
            }
            data.first.insert(line.as_bytes().to_vec());
        }
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
            "[word_names]" => &mut data.word_names,
            "[not_surnames]" => &mut data.not_surnames,
            "[kin]" => &mut data.kin,
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

/// Whether token `i` can be a surname: capitalised (or, when `lower` allows it, a lower-case
/// word that is no function word, verb or cue word), letters only, not a known non-name.
fn is_surname(f: &Folded, d: &NameData, i: usize, hi: usize, lower: bool) -> bool {
    if i >= hi {
        return false;
    }
    let t = f.tokens[i];
    let w = f.word(i);
    if t.has(fold::BREAK)
        || w.len() < 2
        || !w.iter().all(u8::is_ascii_lowercase)
        || d.not_names.contains(w)
        || d.titles.contains(w)
    {
        return false;
    }
    if !t.has(fold::CAP) {
        return lower && !d.not_surnames.contains(w) && !verb_like(w);
    }
    // A short all-caps word after a normal one is an acronym (DL, ID, DOC), not a surname.
    !(t.has(fold::UPPER) && w.len() <= 3 && !f.tokens[i - 1].has(fold::UPPER))
}

/// A lower-case word shaped like a verb form: "-ed" (not "ahmed", "saeed", "reed") or "-ing"
/// (not the surnames below). "sarah misplaced her license" names no one.
fn verb_like(w: &[u8]) -> bool {
    const ING_SURNAMES: &[&[u8]] = &[
        b"fleming",
        b"manning",
        b"harding",
        b"browning",
        b"golding",
        b"redding",
        b"keating",
        b"deming",
        b"downing",
        b"channing",
        b"banning",
        b"cushing",
        b"whiting",
        b"fielding",
        b"spalding",
    ];
    let n = w.len();
    let ed = n >= 5 && w.ends_with(b"ed") && !matches!(w[n - 3], b'e' | b'm' | b'y');
    let ing = n >= 6 && w.ends_with(b"ing") && !ING_SURNAMES.contains(&w);
    ed || ing
}

/// Letters that, written alone in lower case, are words rather than initials ("a", "i", "u"
/// for you, "n" for and, "r" for are, "y", "o", "x", "k" for okay).
const NOT_INITIALS: &[u8] = b"aiunryoxk";

/// A first name or initial capitalised only because it starts a sentence, in a text that
/// writes names in lower case ("Maria lopez, state id ..."): strict mode only.
fn sentence_case(f: &Folded, d: &NameData, i: usize, mode: Mode) -> bool {
    let t = f.tokens[i];
    let w = f.word(i);
    let name = if w.len() == 1 {
        !NOT_INITIALS.contains(&w[0])
    } else {
        d.first.contains(w) && !d.word_names.contains(w) && !d.not_surnames.contains(w)
    };
    mode == Mode::Strict && t.has(fold::BREAK) && t.has(fold::CAP) && !t.has(fold::UPPER) && name
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
        let cap = t.has(fold::CAP);
        let titled = d.titles.contains(w);
        let single = w.len() == 1 && w[0].is_ascii_lowercase();
        let initial = single && w[0] != b'i' && cap;
        let first = cap && d.first.contains(w);
        // Lower-case names, only where personal information is looked for.
        let lower = mode == Mode::Strict && !cap && !t.has(fold::DIGITS);
        let lower_initial = lower && single && !NOT_INITIALS.contains(&w[0]);
        let lower_first = lower
            && d.first.contains(w)
            && !d.word_names.contains(w)
            && !d.not_names.contains(w)
            && !d.not_surnames.contains(w);
        // Two capitalised words right after a kin word are a name of any origin: "my mother
        // Chiamaka Obi", "his cousin Tran Van Minh".
        let after_kin = cap && i > 0 && d.kin.contains(f.word(i - 1)) && is_surname(f, d, i, hi, false);
        if (titled || initial || first || after_kin) && is_surname(f, d, i + 1, hi, false) {
            if is_surname(f, d, i + 2, hi, false) {
                push(3);
            }
            push(2);
        } else if (lower_initial || lower_first || sentence_case(f, d, i, mode))
            && is_surname(f, d, i + 1, hi, true)
        {
            if !single && is_surname(f, d, i + 2, hi, true) {
                push(3);
            }
            push(2);
        }
        if mode == Mode::Loose {
            let mid_sentence_cap =
                !t.has(fold::BREAK) && !t.has(fold::UPPER) && is_surname(f, d, i, hi, false);
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
    fn lower_case_names_and_initials_count_where_personal_information_is_sought() {
        assert_eq!(
            strict("my husband james okafor, drivers license"),
            vec!["james okafor"]
        );
        assert_eq!(strict("j okafor and j. okafor"), vec!["j okafor", "j. okafor"]);
        assert_eq!(strict("for kayla marie nguyen today"), vec!["kayla marie nguyen"]);
        assert_eq!(strict("jayden Brooks"), vec!["jayden Brooks"]);
        assert_eq!(strict("Maria lopez, state id"), vec!["Maria lopez"]);
        assert_eq!(
            strict("omar ahmed and tom fleming"),
            vec!["omar ahmed", "tom fleming"]
        );
        // Content rules keep to capitalised names.
        let f = fold::fold("that idiot james okafor");
        assert_eq!(name_lengths(&f, 2, f.tokens.len(), Mode::Loose).count(), 0);
    }

    #[test]
    fn lower_case_words_that_only_look_like_names_are_not() {
        for text in [
            "my son james lost his license",
            "tell maria thanks",
            "my son mark needs it",
            "i gave rose my id",
            "so u r right, a b c",
            "dear warden and the officer",
            "hey kevin ur id",
            "james drivers license",
            "Visiting is fine, James okafor",
            "sarah misplaced her license",
            "Maria renewed her license",
            "kevin asking about it",
            "A guard took it",
        ] {
            assert!(strict(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn places_institutions_and_lone_words_are_not_names() {
        assert!(strict("Montana State Prison in Deer Lodge").is_empty());
        assert!(strict("John was released. Smith was not").is_empty());
        assert!(strict("Officer training at the Department").is_empty());
        assert!(strict("I Love It").is_empty());
    }
}
