//! The phrase-pattern language of the lexicon files, and its matcher over folded tokens.
//!
//! One pattern per line; elements separated by spaces:
//!
//! | element      | matches                                                            |
//! |--------------|--------------------------------------------------------------------|
//! | `word`       | that word (after folding: case, leetspeak, spelled-out letters)     |
//! | `word*`      | a word starting with `word` (`fuck*`: fucking, fucker)              |
//! | `*word`      | a word ending with `word`; `*word*` a word containing it            |
//! | `(a b\|c)`   | one of the alternatives, each a sequence of elements                |
//! | `<CLASS>`    | a class from `classes.txt`, or built-in `<NAME>` / `<NUM>`          |
//! | `...`, `...5`| up to 3 (or 5) words of anything, within the sentence               |
//! | `^`          | the start of a sentence                                             |
//! | `x?`         | optional element                                                    |
//! | `!x`         | the next words are *not* `x` (nothing consumed)                     |
//!
//! Matches never cross a sentence break. Every pattern needs one required literal word or
//! alternation of words (its *anchor*): the anchors of all patterns go into one trie
//! ([`super::trie`]), so the cost of a scan does not grow with the number of patterns.

use std::collections::HashMap;

use super::fold::{self, Folded};
use super::names;

/// A literal word, possibly open at either end.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct WordPat {
    /// Lowercase bytes.
    pub text: Box<[u8]>,
    /// `*word`: may be preceded by other letters.
    pub open_start: bool,
    /// `word*`: may be followed by other letters.
    pub open_end: bool,
}

/// One pattern element.
#[derive(Clone, Debug)]
pub(super) enum Elem {
    Word(WordPat),
    /// An alternation of single words (a fast path for `Alt`).
    Words(Vec<WordPat>),
    Alt(Vec<Vec<Elem>>),
    Opt(Box<Elem>),
    Not(Box<Elem>),
    Gap(u8),
    Start,
    Name,
    Num,
}

/// Named classes available to patterns.
pub(super) type Classes = HashMap<String, Elem>;

/// A data-file line without its `#` comment (at the start of a line or after a space).
pub(super) fn content(line: &str) -> &str {
    let cut = if line.trim_start().starts_with('#') {
        0
    } else {
        line.find(" #").unwrap_or(line.len())
    };
    line[..cut].trim()
}

/// Parses one pattern line.
pub(super) fn parse(line: &str, classes: &Classes) -> Result<Vec<Elem>, String> {
    let toks = lex(line)?;
    let mut p = Parser {
        toks: &toks,
        at: 0,
        classes,
    };
    let seq = p.alt_body()?;
    if p.at != toks.len() {
        return Err(format!("unbalanced `)` in `{line}`"));
    }
    match seq {
        Elem::Alt(mut alts) if alts.len() == 1 => alts.pop().ok_or_else(|| "empty pattern".to_owned()),
        _ => Err(format!(
            "top-level `|` is not allowed in `{line}`: wrap the alternatives in ( )"
        )),
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Lex {
    Open,
    Close,
    Bar,
    Q,
    Bang,
    Caret,
    Gap(u8),
    Class(String),
    Word(String),
}

fn lex(line: &str) -> Result<Vec<Lex>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => i += 1,
            '(' => (out.push(Lex::Open), i += 1).1,
            ')' => (out.push(Lex::Close), i += 1).1,
            '|' => (out.push(Lex::Bar), i += 1).1,
            '?' => (out.push(Lex::Q), i += 1).1,
            '!' => (out.push(Lex::Bang), i += 1).1,
            '^' => (out.push(Lex::Caret), i += 1).1,
            '<' => {
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == '>')
                    .ok_or(format!("unclosed `<` in `{line}`"))?;
                out.push(Lex::Class(chars[i + 1..i + end].iter().collect()));
                i += end + 1;
            }
            '.' if chars[i..].starts_with(&['.', '.', '.']) => {
                i += 3;
                let mut n = 0u32;
                let mut any = false;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    n = n * 10 + chars[i].to_digit(10).unwrap_or(0);
                    any = true;
                    i += 1;
                }
                let n = if any { n } else { 3 };
                if n == 0 || n > 12 {
                    return Err(format!("gap `...{n}` must be 1 to 12 words in `{line}`"));
                }
                out.push(Lex::Gap(n as u8));
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !" \t()|?!<^".contains(chars[i])
                    && !chars[i..].starts_with(&['.', '.', '.'])
                {
                    i += 1;
                }
                let raw: String = chars[start..i].iter().collect();
                out.push(Lex::Word(raw));
            }
        }
    }
    Ok(out)
}

struct Parser<'a> {
    toks: &'a [Lex],
    at: usize,
    classes: &'a Classes,
}

impl Parser<'_> {
    /// `seq ('|' seq)*` up to a `)` or the end.
    fn alt_body(&mut self) -> Result<Elem, String> {
        let mut alts = vec![self.seq()?];
        while self.toks.get(self.at) == Some(&Lex::Bar) {
            self.at += 1;
            alts.push(self.seq()?);
        }
        if alts.iter().any(Vec::is_empty) {
            return Err("empty alternative".into());
        }
        Ok(Elem::Alt(alts))
    }

    fn seq(&mut self) -> Result<Vec<Elem>, String> {
        let mut seq = Vec::new();
        while let Some(t) = self.toks.get(self.at) {
            if matches!(t, Lex::Bar | Lex::Close) {
                break;
            }
            seq.push(self.item()?);
        }
        Ok(seq)
    }

    fn item(&mut self) -> Result<Elem, String> {
        let negate = self.toks.get(self.at) == Some(&Lex::Bang);
        if negate {
            self.at += 1;
        }
        let mut atom = self.atom()?;
        if self.toks.get(self.at) == Some(&Lex::Q) {
            self.at += 1;
            atom = Elem::Opt(Box::new(atom));
        }
        Ok(if negate { Elem::Not(Box::new(atom)) } else { atom })
    }

    fn atom(&mut self) -> Result<Elem, String> {
        let tok = self.toks.get(self.at).cloned().ok_or("pattern ends too early")?;
        self.at += 1;
        match tok {
            Lex::Open => {
                let body = self.alt_body()?;
                if self.toks.get(self.at) != Some(&Lex::Close) {
                    return Err("missing `)`".into());
                }
                self.at += 1;
                Ok(simplify(body))
            }
            Lex::Caret => Ok(Elem::Start),
            Lex::Gap(n) => Ok(Elem::Gap(n)),
            Lex::Class(name) => match name.as_str() {
                "NAME" => Ok(Elem::Name),
                "NUM" => Ok(Elem::Num),
                _ => self
                    .classes
                    .get(&name)
                    .cloned()
                    .ok_or(format!("unknown class <{name}>")),
            },
            Lex::Word(w) => word(&w).map(Elem::Word),
            other => Err(format!("unexpected `{other:?}`")),
        }
    }
}

/// Flattens nested alternations and turns an alternation of single words into [`Elem::Words`].
pub(super) fn simplify(e: Elem) -> Elem {
    let Elem::Alt(alts) = e else { return e };
    let mut flat: Vec<Vec<Elem>> = Vec::with_capacity(alts.len());
    for alt in alts {
        match <[Elem; 1]>::try_from(alt) {
            Ok([Elem::Alt(inner)]) => flat.extend(inner),
            Ok([Elem::Words(words)]) => flat.extend(words.into_iter().map(|w| vec![Elem::Word(w)])),
            Ok([single]) => flat.push(vec![single]),
            Err(alt) => flat.push(alt),
        }
    }
    if flat.iter().all(|alt| matches!(alt.as_slice(), [Elem::Word(_)])) {
        let words = flat
            .into_iter()
            .filter_map(|alt| match alt.into_iter().next() {
                Some(Elem::Word(w)) => Some(w),
                _ => None,
            })
            .collect();
        return Elem::Words(words);
    }
    Elem::Alt(flat)
}

/// Words so frequent that requiring one filters nothing.
pub(super) const COMMON: &[&str] = &[
    "a", "about", "all", "am", "an", "and", "any", "are", "as", "at", "back", "be", "been", "being", "but",
    "by", "can", "co", "day", "did", "do", "dont", "for", "from", "get", "go", "got", "had", "has", "have",
    "he", "her", "him", "his", "how", "i", "if", "im", "in", "is", "it", "its", "just", "like", "make",
    "man", "me", "more", "my", "need", "new", "no", "not", "now", "of", "off", "on", "one", "or", "our",
    "out", "people", "r", "s", "she", "should", "so", "some", "that", "the", "their", "them", "then",
    "there", "these", "they", "this", "those", "time", "to", "today", "u", "up", "ur", "us", "was", "we",
    "were", "what", "when", "who", "will", "with", "would", "ya", "yall", "you", "your",
];

/// How useful a group of words is as a filter: its shortest word's length, 0 if any is common.
pub(super) fn group_score(group: &[WordPat]) -> usize {
    group
        .iter()
        .map(|w| {
            if COMMON.iter().any(|c| c.as_bytes() == &*w.text) {
                0
            } else {
                w.text.len()
            }
        })
        .min()
        .unwrap_or(0)
}

/// Words one of which must appear wherever the element matches, or `None` when the element is
/// optional or not literal. For an alternative of several words the rarest required word of
/// that alternative stands for it ("the elderly" -> "elderly").
fn literal_heads(e: &Elem) -> Option<Vec<WordPat>> {
    match e {
        Elem::Word(w) => Some(vec![w.clone()]),
        Elem::Words(ws) => Some(ws.clone()),
        Elem::Alt(alts) => alts
            .iter()
            .map(|alt| required_groups(alt).into_iter().max_by_key(|g| group_score(g)))
            .collect::<Option<Vec<Vec<WordPat>>>>()
            .map(|v| v.into_iter().flatten().collect()),
        _ => None,
    }
}

/// Every required literal element of a pattern, as the words one of which must appear. A
/// sentence can only match the pattern if it contains a word of each group.
pub(super) fn required_groups(seq: &[Elem]) -> Vec<Vec<WordPat>> {
    seq.iter().filter_map(literal_heads).collect()
}

/// Parses a literal word: `[a-z0-9']+` with optional `*` at either end; apostrophes dropped.
pub(super) fn word(raw: &str) -> Result<WordPat, String> {
    let open_start = raw.starts_with('*');
    let open_end = raw.len() > 1 && raw.ends_with('*');
    let core = raw.trim_matches('*');
    let text: Vec<u8> = core
        .bytes()
        .filter(|&b| b != b'\'')
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if text.is_empty() || !text.iter().all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        return Err(format!("`{raw}` is not a word of letters and digits"));
    }
    Ok(WordPat {
        text: text.into(),
        open_start,
        open_end,
    })
}

/// Whether token bytes `tok` match `pat`. A `*` in the token (not first) stands for any letter;
/// an `i` in the token may stand for `l` (`1` folds to `i`).
pub(super) fn word_matches(tok: &[u8], pat: &WordPat) -> bool {
    let p = &pat.text;
    let eq_at = |off: usize| -> bool {
        p.iter().enumerate().all(|(k, &pc)| {
            let tc = tok[off + k];
            tc == pc || (tc == b'*' && off + k > 0) || (tc == b'i' && pc == b'l')
        })
    };
    if tok.len() < p.len() {
        return false;
    }
    match (pat.open_start, pat.open_end) {
        (false, false) => tok.len() == p.len() && eq_at(0),
        (false, true) => eq_at(0),
        (true, false) => eq_at(tok.len() - p.len()),
        (true, true) => (0..=tok.len() - p.len()).any(eq_at),
    }
}

/// Matching state: the folded text and the sentence `[lo, hi)` a match must stay in.
pub(super) struct Matcher<'a> {
    pub folded: &'a Folded,
    pub lo: usize,
    pub hi: usize,
}

const NUMBER_WORDS: &[&[u8]] = &[
    b"one",
    b"two",
    b"three",
    b"four",
    b"five",
    b"six",
    b"seven",
    b"eight",
    b"nine",
    b"ten",
    b"eleven",
    b"twelve",
    b"a",
    b"single",
    b"half",
    b"couple",
    b"dozen",
    b"fifteen",
    b"twenty",
    b"thirty",
    b"noon",
    b"midnight",
];

impl Matcher<'_> {
    /// Runs `seq` at token `pos`; calls `k` with each end position until it returns true.
    pub fn run(&self, seq: &[Elem], pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
        let Some((first, rest)) = seq.split_first() else {
            return k(pos);
        };
        match first {
            Elem::Word(w) => {
                pos < self.hi && word_matches(self.folded.word(pos), w) && self.run(rest, pos + 1, k)
            }
            Elem::Words(ws) => {
                pos < self.hi && {
                    let tok = self.folded.word(pos);
                    ws.iter().any(|w| word_matches(tok, w)) && self.run(rest, pos + 1, k)
                }
            }
            Elem::Alt(alts) => alts
                .iter()
                .any(|alt| self.run(alt, pos, &mut |e| self.run(rest, e, k))),
            Elem::Opt(inner) => {
                self.run(std::slice::from_ref(inner), pos, &mut |e| self.run(rest, e, k))
                    || self.run(rest, pos, k)
            }
            Elem::Not(inner) => {
                !self.run(std::slice::from_ref(inner), pos, &mut |_| true) && self.run(rest, pos, k)
            }
            Elem::Gap(n) => {
                (0..=*n as usize).any(|skip| pos + skip <= self.hi && self.run(rest, pos + skip, k))
            }
            Elem::Start => {
                pos == self.lo
                    && self.folded.tokens.get(pos).is_some_and(|t| t.has(fold::BREAK))
                    && self.run(rest, pos, k)
            }
            Elem::Num => {
                pos < self.hi && {
                    let w = self.folded.word(pos);
                    (self.folded.tokens[pos].has(fold::DIGITS) || NUMBER_WORDS.contains(&w))
                        && self.run(rest, pos + 1, k)
                }
            }
            Elem::Name => names::name_lengths(self.folded, pos, self.hi, names::Mode::Loose)
                .into_iter()
                .any(|len| self.run(rest, pos + len, k)),
        }
    }

    /// The end of the first match of `seq` starting at `pos`.
    pub fn first_end(&self, seq: &[Elem], pos: usize) -> Option<usize> {
        let mut found = None;
        self.run(seq, pos, &mut |e| {
            found = Some(e);
            true
        });
        found
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        let classes = Classes::new();
        let seq = parse(pattern, &classes).unwrap();
        let folded = fold::fold(text);
        let n = folded.tokens.len();
        // Sentences as the lexicon scan sees them.
        let starts: Vec<usize> = (0..n).filter(|&i| folded.tokens[i].has(fold::BREAK)).collect();
        starts.iter().enumerate().any(|(k, &lo)| {
            let hi = starts.get(k + 1).copied().unwrap_or(n);
            let m = Matcher {
                folded: &folded,
                lo,
                hi,
            };
            (lo..hi).any(|p| m.first_end(&seq, p).is_some())
        })
    }

    #[test]
    fn words_prefixes_alternatives_gaps() {
        assert!(matches("fuck*", "What the f*cking hell"));
        assert!(matches("(go to|straight to) hell", "go to hell"));
        assert!(matches("i ...2 kill (you|him)", "I will really kill you"));
        assert!(!matches("i ...1 kill (you|him)", "I will really kill you"));
        assert!(matches("shoot (you|u) !(a|an|me)", "I'll shoot you tomorrow"));
        assert!(!matches("shoot (you|u) !(a|an|me)", "I'll shoot you an email"));
        assert!(matches("^ throw", "Ok. Throw it"));
        assert!(!matches("^ throw", "Ok, throw it"));
        assert!(matches("only <NUM> officers", "only 2 officers"));
        assert!(matches("*fuck", "clusterfuck"));
    }

    #[test]
    fn matches_stay_inside_a_sentence() {
        assert!(!matches(
            "you ...3 idiot",
            "You did well. Idiot drivers everywhere"
        ));
    }

    #[test]
    fn bad_patterns_are_errors() {
        let classes = Classes::new();
        for bad in ["(a|b", "a)", "<NOPE>", "a | b", "f#ck", "...20 a", "()"] {
            assert!(parse(bad, &classes).is_err(), "{bad}");
        }
        assert!(required_groups(&parse("<NUM> ...", &classes).unwrap()).is_empty());
        let g = required_groups(&parse("(i|we) will? (kill|murder) (you|<NUM>)", &classes).unwrap());
        assert_eq!(g.len(), 2);
        assert_eq!(&*g[1][0].text, b"kill");
    }
}
