//! The content rules: one plain-text pattern file per rule under `data/` (syntax in
//! [`super::pattern`]), word classes in `data/classes.txt`.
//!
//! All files compile once into one trie over the patterns' anchor words (with `*`-masked
//! spellings such as `f*ck`) and the words of their common-word checks, so a scan is one walk
//! per folded word whatever the number of rules or patterns ([`super::lexicon_scan`]). Only
//! where every anchor of a pattern hits is the sentence matched against the full pattern.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

use super::pattern::{self, Classes, Elem, content};
use super::rules::RuleCode;
use super::trie::{self, Trie};

/// The rule files, in the order findings are reported.
const RULE_FILES: &[(RuleCode, &str, &str)] = &[
    (RuleCode::Obscene, "obscene.txt", include_str!("data/obscene.txt")),
    (
        RuleCode::PersonalAttack,
        "personal_attack.txt",
        include_str!("data/personal_attack.txt"),
    ),
    (
        RuleCode::HateDiscrimination,
        "hate_discrimination.txt",
        include_str!("data/hate_discrimination.txt"),
    ),
    (
        RuleCode::ThreatHarassment,
        "threat_harassment.txt",
        include_str!("data/threat_harassment.txt"),
    ),
    (
        RuleCode::IncitementIllegal,
        "incitement_illegal.txt",
        include_str!("data/incitement_illegal.txt"),
    ),
    (
        RuleCode::UnsupportedAccusation,
        "unsupported_accusation.txt",
        include_str!("data/unsupported_accusation.txt"),
    ),
    (
        RuleCode::RestrictedTopic,
        "restricted_topic.txt",
        include_str!("data/restricted_topic.txt"),
    ),
    (
        RuleCode::SecurityInfo,
        "security_info.txt",
        include_str!("data/security_info.txt"),
    ),
    (
        RuleCode::Advertising,
        "advertising.txt",
        include_str!("data/advertising.txt"),
    ),
    (
        RuleCode::RepresentationClaim,
        "representation_claim.txt",
        include_str!("data/representation_claim.txt"),
    ),
];

/// Splits a pattern's required groups into triggers (no common word: found by the anchor scan)
/// and checks (with a common word: verified in the sentence before the matcher runs). When every
/// group has a common word, the one with the longest shortest word becomes the trigger.
fn split_groups(
    groups: Vec<Vec<pattern::WordPat>>,
) -> (Vec<Vec<pattern::WordPat>>, Vec<Vec<pattern::WordPat>>) {
    let (mut triggers, mut checks): (Vec<_>, Vec<_>) =
        groups.into_iter().partition(|g| pattern::group_score(g) > 0);
    if triggers.is_empty()
        && let Some(best) =
            (0..checks.len()).max_by_key(|&i| checks[i].iter().map(|w| w.text.len()).min().unwrap_or(0))
    {
        triggers.push(checks.swap_remove(best));
    }
    (triggers, checks)
}

/// Rules whose words people disguise (`f*ck`, `b1tch`, `id1ot`): their anchors also match
/// masked spellings. Other rules' words match as folded.
const MASKED_RULES: &[RuleCode] = &[
    RuleCode::Obscene,
    RuleCode::HateDiscrimination,
    RuleCode::PersonalAttack,
];

/// A compiled pattern.
pub(super) struct Pattern {
    pub rule: RuleCode,
    pub seq: Vec<Elem>,
    /// One bit per trigger group (found by the anchor scan).
    pub all_groups: u32,
    /// Groups of common words one of which the sentence must also hold.
    pub checks: Vec<Vec<pattern::WordPat>>,
    /// The ids of `checks` in [`Lexicon::checks`].
    pub check_ids: Vec<u32>,
}

/// An anchor word and the (pattern, required group, rule) triples it satisfies.
pub(super) struct Anchor {
    pub open_end: bool,
    pub patterns: Vec<(u32, u8, u8)>,
}

/// Everything compiled from the data files.
pub(super) struct Lexicon {
    /// Anchor spellings that start a word (items: anchor ids) and the words of check groups
    /// (flags: group ids).
    pub trie: Trie,
    /// Anchor spellings that may start inside a word (`*word`), if any.
    pub inner: Option<AhoCorasick>,
    /// `inner` pattern id -> anchor ids.
    pub inner_anchors: Vec<Vec<u32>>,
    pub anchors: Vec<Anchor>,
    pub patterns: Vec<Pattern>,
    /// Check groups, by id; `true` when the trie cannot answer for it (a `*word`, or too many
    /// `l`s to spell out), so the sentence is searched word by word.
    pub checks: Vec<(Vec<pattern::WordPat>, bool)>,
    pub unless: HashMap<RuleCode, Vec<Vec<Elem>>>,
}

pub(super) static LEXICON: LazyLock<Result<Lexicon, String>> = LazyLock::new(build);

/// Forces the compiled lexicon and reports the first bad line.
pub(super) fn self_check() -> Result<(), String> {
    LEXICON.as_ref().map(|_| ()).map_err(Clone::clone)
}

fn load_classes() -> Result<Classes, String> {
    let mut classes = Classes::new();
    for (n, line) in include_str!("data/classes.txt").lines().enumerate() {
        let line = content(line);
        if line.is_empty() {
            continue;
        }
        let where_ = || format!("data/classes.txt line {}", n + 1);
        let (name, body) = line
            .split_once('=')
            .ok_or_else(|| format!("{}: expected `NAME = ...`", where_()))?;
        let name = name.trim();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
            return Err(format!("{}: class name `{name}` must be UPPER_CASE", where_()));
        }
        let parsed =
            pattern::parse(&format!("({body})"), &classes).map_err(|e| format!("{}: {e}", where_()))?;
        let mut alts = classes.remove(name).map(alternatives).unwrap_or_default();
        for e in parsed {
            alts.extend(alternatives(e));
        }
        classes.insert(name.to_owned(), pattern::simplify(Elem::Alt(alts)));
    }
    Ok(classes)
}

/// The alternatives of a class element.
fn alternatives(e: Elem) -> Vec<Vec<Elem>> {
    match e {
        Elem::Alt(alts) => alts,
        Elem::Words(ws) => ws.into_iter().map(|w| vec![Elem::Word(w)]).collect(),
        other => vec![vec![other]],
    }
}

fn build() -> Result<Lexicon, String> {
    let classes = load_classes()?;
    let mut patterns = Vec::new();
    let mut unless: HashMap<RuleCode, Vec<Vec<Elem>>> = HashMap::new();
    let mut anchor_ids: HashMap<(Box<[u8]>, bool, bool), u32> = HashMap::new();
    let mut masked_words: std::collections::HashSet<Box<[u8]>> = std::collections::HashSet::new();
    let mut anchors: Vec<Anchor> = Vec::new();
    let mut check_ids = Interner::default();
    for &(rule, file, text) in RULE_FILES {
        for (n, line) in text.lines().enumerate() {
            let line = content(line);
            if line.is_empty() {
                continue;
            }
            let where_ = || format!("data/{file} line {}", n + 1);
            if let Some(body) = line.strip_prefix("@unless") {
                let parsed = pattern::parse(&format!("({body})"), &classes)
                    .map_err(|e| format!("{}: {e}", where_()))?;
                unless.entry(rule).or_default().push(parsed);
                continue;
            }
            let seq = pattern::parse(line, &classes).map_err(|e| format!("{}: {e}", where_()))?;
            let (groups, checks) = split_groups(pattern::required_groups(&seq));
            if groups.is_empty() {
                return Err(format!(
                    "{}: a pattern needs at least one required literal word",
                    where_()
                ));
            }
            if groups.len() > 32 {
                return Err(format!(
                    "{}: a pattern may have at most 32 required words",
                    where_()
                ));
            }
            let id = patterns.len() as u32;
            let check_ids = checks.iter().map(|c| check_ids.intern(c)).collect();
            patterns.push(Pattern {
                rule,
                seq,
                all_groups: (1u32 << groups.len()) - 1,
                checks,
                check_ids,
            });
            for (g, words) in groups.into_iter().enumerate() {
                for w in words {
                    if MASKED_RULES.contains(&rule) {
                        masked_words.insert(w.text.clone());
                    }
                    let key = (w.text.clone(), w.open_start, w.open_end);
                    let next = anchors.len() as u32;
                    let a = *anchor_ids.entry(key).or_insert(next);
                    if a == next {
                        anchors.push(Anchor {
                            open_end: w.open_end,
                            patterns: Vec::new(),
                        });
                    }
                    let list = &mut anchors[a as usize].patterns;
                    let entry = (id, g as u8, rule as u8);
                    if !list.contains(&entry) {
                        list.push(entry);
                    }
                }
            }
        }
    }
    let mut trie = trie::Builder::default();
    // Spellings that may start inside a word -> the anchors they stand for.
    let mut inner_ids: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut inner_spellings: Vec<Vec<u8>> = Vec::new();
    let mut inner_anchors: Vec<Vec<u32>> = Vec::new();
    for ((text, open_start, open_end), &a) in &anchor_ids {
        let spellings_here = if masked_words.contains(text) {
            spellings_of(text)
        } else {
            plain_spellings(text)
        };
        for s in spellings_here {
            if !*open_start {
                trie.item(&s, *open_end, a)?;
                continue;
            }
            let next = inner_spellings.len();
            let id = *inner_ids.entry(s.clone()).or_insert(next);
            if id == next {
                inner_spellings.push(s);
                inner_anchors.push(Vec::new());
            }
            if !inner_anchors[id].contains(&a) {
                inner_anchors[id].push(a);
            }
        }
    }
    let checks = check_ids.groups;
    for (id, (group, slow)) in checks.iter().enumerate() {
        if !*slow {
            for w in group {
                for s in l_spellings(&w.text) {
                    trie.flag(&s, w.open_end, id as u32)?;
                }
            }
        }
    }
    let inner = if inner_spellings.is_empty() {
        None
    } else {
        Some(
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&inner_spellings)
                .map_err(|e| format!("lexicon automaton for `*word` anchors: {e}"))?,
        )
    };
    Ok(Lexicon {
        trie: trie.build(),
        inner,
        inner_anchors,
        anchors,
        patterns,
        checks,
        unless,
    })
}

/// Check groups by id.
#[derive(Default)]
struct Interner {
    groups: Vec<(Vec<pattern::WordPat>, bool)>,
}

impl Interner {
    fn intern(&mut self, group: &[pattern::WordPat]) -> u32 {
        if let Some(i) = self.groups.iter().position(|(g, _)| g == group) {
            return i as u32;
        }
        let slow = group
            .iter()
            .any(|w| w.open_start || w.text.iter().filter(|&&b| b == b'l').count() > MAX_LS);
        self.groups.push((group.to_vec(), slow));
        (self.groups.len() - 1) as u32
    }
}

/// Check words with more `l`s than this are searched word by word.
const MAX_LS: usize = 6;

/// Every spelling of `word` that [`pattern::word_matches`] accepts from a token without `*`:
/// each `l` may be written `i` (`1` folds to `i`).
fn l_spellings(word: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![word.to_vec()];
    for (k, &b) in word.iter().enumerate() {
        if b == b'l' {
            let more: Vec<Vec<u8>> = out
                .iter()
                .map(|s| {
                    let mut s = s.clone();
                    s[k] = b'i';
                    s
                })
                .collect();
            out.extend(more);
        }
    }
    out
}

/// A word and its obfuscated spellings that folding cannot undo: letters masked with `*`
/// (`f*ck`, `f**k`, `sh*t`, `motherf***er`), and `l` written as `1` (folded to `i`).
fn spellings_of(word: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![word.to_vec()];
    let n = word.len();
    if n >= 3 {
        for start in 1..n {
            for len in 1..=3usize {
                let end = start + len;
                if end > n || (end == n && n < 4) || (end == n && start == 1 && n > 4) {
                    continue;
                }
                let mut masked = word.to_vec();
                masked[start..end].fill(b'*');
                out.push(masked);
            }
        }
    }
    if word.contains(&b'l') {
        out.push(word.iter().map(|&b| if b == b'l' { b'i' } else { b }).collect());
    }
    out
}

/// A word and its spelling with `1` for `l` (folded to `i`).
fn plain_spellings(word: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![word.to_vec()];
    if word.contains(&b'l') {
        out.push(word.iter().map(|&b| if b == b'l' { b'i' } else { b }).collect());
    }
    out
}

/// The anchor words of a pattern line, for tests and tools.
#[cfg(test)]
fn anchor_words(line: &str) -> Vec<Vec<pattern::WordPat>> {
    let classes = load_classes().unwrap_or_default();
    pattern::parse(line, &classes)
        .map(|s| pattern::required_groups(&s))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::super::fold::fold;
    use super::super::lexicon_scan::scan;
    use super::super::normalise::normalise;
    use super::*;

    fn rules(text: &str) -> Vec<RuleCode> {
        let norm = normalise(text);
        let mut r: Vec<RuleCode> = scan(&fold(&norm.text), |_| true)
            .into_iter()
            .map(|h| h.rule)
            .collect();
        r.sort();
        r.dedup();
        r
    }

    #[test]
    fn lexicon_compiles() {
        assert_eq!(self_check(), Ok(()));
        if let Ok(lex) = LEXICON.as_ref() {
            println!(
                "patterns {} anchors {} trie slots {} check groups {}",
                lex.patterns.len(),
                lex.anchors.len(),
                lex.trie.slots(),
                lex.checks.len()
            );
        }
        let groups = anchor_words("<YOU_ARE> ...3 <INSULT_STRONG>");
        assert_eq!(groups.len(), 2);
        assert_eq!(&*groups[1][0].text, b"idiot");
    }

    #[test]
    fn masked_spellings() {
        let s = spellings_of(b"fuck");
        assert!(
            s.contains(&b"f*ck".to_vec()) && s.contains(&b"f**k".to_vec()) && s.contains(&b"f***".to_vec())
        );
        assert!(!spellings_of(b"ass").contains(&b"a**".to_vec()));
    }

    #[test]
    fn obscene_words_and_obfuscations_fire_but_scunthorpe_words_do_not() {
        for text in [
            "fucking ridiculous",
            "sh1t food",
            "f*ck this",
            "f u c k the board",
            "FUUUUCK",
            "kiss my a$$",
            "\u{ff46}\u{ff55}\u{ff43}\u{ff4b} it",
            "what the f**k",
            "horsesh*t",
            "motherf***ers",
            "clusterfuck",
        ] {
            assert_eq!(rules(text), vec![RuleCode::Obscene], "{text}");
        }
        for text in [
            "risk assessment",
            "cocktails",
            "Scunthorpe",
            "Essex and Middlesex",
            "bass fishing",
            "Dickens",
            "therapist",
            "shiitake",
            "cockpit",
            "hello shell",
            "summa cum laude",
            "Penistone",
            "Arsenal",
            "grapes",
        ] {
            assert!(rules(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn attacks_need_a_person_and_idioms_are_not_threats() {
        assert_eq!(
            rules("Warden Salinas is an idiot"),
            vec![RuleCode::PersonalAttack]
        );
        assert_eq!(
            rules("you guys are a bunch of lazy morons"),
            vec![RuleCode::PersonalAttack]
        );
        assert!(rules("This visitation policy is stupid and a joke.").is_empty());
        assert_eq!(
            rules("I'm going to kill you Officer Haynes"),
            vec![RuleCode::ThreatHarassment]
        );
        for text in [
            "We came early to kill time.",
            "My feet are killing me",
            "I'd kill for a coffee",
            "Shoot me an email",
            "I'll shoot you a message",
            "He had a heart attack",
            "a shot of the sunset",
        ] {
            assert!(rules(text).is_empty(), "{text}");
        }
    }
}
