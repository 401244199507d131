//! The content rules: one plain-text pattern file per rule under `data/` (syntax in
//! [`super::pattern`]), word classes in `data/classes.txt`.
//!
//! All files compile once into one Aho-Corasick automaton over the patterns' anchor words
//! (with `*`-masked spellings such as `f*ck`), so a scan is one pass over the folded text
//! whatever the number of rules or patterns. Only where an anchor hits is the sentence around
//! it matched against the full patterns of the rules that are on.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::fold::{BREAK, Folded, is_word_byte};
use super::pattern::{self, Classes, Elem, Matcher, content};
use super::rules::RuleCode;

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

/// Splits a pattern's required groups into triggers (no common word: found by the automaton)
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
struct Pattern {
    rule: RuleCode,
    seq: Vec<Elem>,
    /// One bit per trigger group (found by the automaton).
    all_groups: u32,
    /// Groups of common words one of which the sentence must also hold.
    checks: Vec<Vec<pattern::WordPat>>,
}

/// An anchor word and the (pattern, required group) pairs it satisfies.
struct Anchor {
    open_end: bool,
    patterns: Vec<(u32, u8)>,
}

/// Everything compiled from the data files.
struct Lexicon {
    ac: AhoCorasick,
    /// Aho-Corasick pattern id -> anchor ids.
    ac_anchors: Vec<Vec<u32>>,
    /// Aho-Corasick pattern id -> whether the spelling starts with a separator byte.
    ac_lead: Vec<bool>,
    anchors: Vec<Anchor>,
    patterns: Vec<Pattern>,
    unless: HashMap<RuleCode, Vec<Vec<Elem>>>,
}

static LEXICON: LazyLock<Result<Lexicon, String>> = LazyLock::new(build);

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
            patterns.push(Pattern {
                rule,
                seq,
                all_groups: (1u32 << groups.len()) - 1,
                checks,
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
                    if !list.contains(&(id, g as u8)) {
                        list.push((id, g as u8));
                    }
                }
            }
        }
    }
    // Every spelling of every anchor -> the anchors it stands for.
    let mut spelling_ids: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut spellings: Vec<Vec<u8>> = Vec::new();
    let mut ac_anchors: Vec<Vec<u32>> = Vec::new();
    let mut ac_lead: Vec<bool> = Vec::new();
    for ((text, open_start, _), &a) in &anchor_ids {
        let spellings_here = if masked_words.contains(text) {
            spellings_of(text)
        } else {
            plain_spellings(text)
        };
        // A word that must start a word is searched with the separator before it, so the
        // automaton never reports it inside another word.
        let with_lead = spellings_here.into_iter().flat_map(|s| {
            if *open_start {
                vec![s]
            } else {
                vec![[&b" "[..], &s].concat()]
            }
        });
        for s in with_lead {
            let next = spellings.len();
            let id = *spelling_ids.entry(s.clone()).or_insert(next);
            if id == next {
                ac_lead.push(!*open_start);
                spellings.push(s);
                ac_anchors.push(Vec::new());
            }
            if !ac_anchors[id].contains(&a) {
                ac_anchors[id].push(a);
            }
        }
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(&spellings)
        .map_err(|e| format!("lexicon automaton: {e}"))?;
    Ok(Lexicon {
        ac,
        ac_anchors,
        ac_lead,
        anchors,
        patterns,
        unless,
    })
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

/// A content finding in normalised offsets.
#[derive(Clone, Debug)]
pub(super) struct LexHit {
    pub rule: RuleCode,
    pub start: usize,
    pub end: usize,
}

/// A match starts at most this many tokens before the first required word it contains.
const LOOKBACK: usize = 16;

/// Runs the rules for which `enabled` is true over a folded text.
///
/// A pattern is tried in a sentence only when the sentence holds a word of each of the
/// pattern's required literal groups, so ordinary text rarely reaches the matcher.
pub(super) fn scan(f: &Folded, enabled: impl Fn(RuleCode) -> bool) -> Vec<LexHit> {
    let mut hits = Vec::new();
    let Ok(lex) = LEXICON.as_ref() else {
        return hits;
    };
    let text = &f.text;
    // (pattern, token, group)
    let mut on = [false; RuleCode::ALL.len()];
    for (k, rule) in RuleCode::ALL.into_iter().enumerate() {
        on[k] = enabled(rule);
    }
    let mut found: Vec<(u32, u32, u8)> = Vec::new();
    for m in lex.ac.find_overlapping_iter(text.as_slice()) {
        let id = m.pattern().as_usize();
        let word_start = m.start() + usize::from(lex.ac_lead[id]);
        for &a in &lex.ac_anchors[id] {
            let anchor = &lex.anchors[a as usize];
            let right = anchor.open_end || m.end() == text.len() || !is_word_byte(text[m.end()]);
            if !right {
                continue;
            }
            let tok = f.token_at(word_start) as u32;
            for &(p, g) in &anchor.patterns {
                if on[lex.patterns[p as usize].rule as usize] {
                    found.push((p, tok, g));
                }
            }
        }
    }
    if found.is_empty() {
        return hits;
    }
    found.sort_unstable();
    let sentence_start = |tok: u32| -> usize {
        let mut lo = tok as usize;
        while lo > 0 && !f.tokens[lo].has(BREAK) {
            lo -= 1;
        }
        lo
    };
    let mut suppressed: Vec<(RuleCode, usize, bool)> = Vec::new();
    let mut k = 0;
    while k < found.len() {
        // One (pattern, sentence) group of hits.
        let (p, first_tok, _) = found[k];
        let lo = sentence_start(first_tok);
        let sentence_hi = sentence_end(f, first_tok as usize);
        let mut groups = 0u32;
        let mut last_tok = first_tok;
        while k < found.len() && found[k].0 == p && (found[k].1 as usize) < sentence_hi {
            groups |= 1 << found[k].2;
            last_tok = found[k].1;
            k += 1;
        }
        let pattern = &lex.patterns[p as usize];
        if groups != pattern.all_groups {
            continue;
        }
        let hi = sentence_end(f, last_tok as usize);
        let holds = |group: &Vec<pattern::WordPat>| {
            (lo..hi).any(|t| {
                let w = f.word(t);
                group.iter().any(|g| pattern::word_matches(w, g))
            })
        };
        if !pattern.checks.iter().all(holds) {
            continue;
        }
        let m = Matcher { folded: f, lo, hi };
        let from = lo.max((first_tok as usize).saturating_sub(LOOKBACK));
        let Some((start, end)) = (from..=last_tok as usize)
            .find_map(|s| m.first_end(&pattern.seq, s).filter(|&e| e > s).map(|e| (s, e)))
        else {
            continue;
        };
        let skip = match suppressed.iter().find(|s| s.0 == pattern.rule && s.1 == lo) {
            Some(s) => s.2,
            None => {
                let skip = lex
                    .unless
                    .get(&pattern.rule)
                    .is_some_and(|list| (lo..hi).any(|s| list.iter().any(|u| m.first_end(u, s).is_some())));
                suppressed.push((pattern.rule, lo, skip));
                skip
            }
        };
        if !skip {
            hits.push(LexHit {
                rule: pattern.rule,
                start: f.tokens[start].ns as usize,
                end: f.tokens[end - 1].ne as usize,
            });
        }
    }
    hits
}

/// The end (exclusive) of the sentence holding token `tok`.
fn sentence_end(f: &Folded, tok: usize) -> usize {
    (tok + 1..f.tokens.len())
        .find(|&i| f.tokens[i].has(BREAK))
        .unwrap_or(f.tokens.len())
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
                "patterns {} anchors {} spellings {} ac memory {}",
                lex.patterns.len(),
                lex.anchors.len(),
                lex.ac.patterns_len(),
                lex.ac.memory_usage()
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
