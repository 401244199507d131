//! Running the compiled lexicon ([`super::lexicon`]) over a folded text.
//!
//! One pass over the tokens: each token is walked through the anchor trie, which reports the
//! (pattern, required group) pairs it satisfies and the check groups it belongs to. At each
//! sentence end, only the patterns of rules that are on and whose every required group was seen
//! in the sentence go to the matcher. A rule that is off costs nothing but skipping its pairs.

use super::fold::{BREAK, Folded, STAR, is_word_byte};
use super::lexicon::{LEXICON, Lexicon};
use super::pattern::{self, Matcher};
use super::rules::RuleCode;

/// A content finding in normalised offsets.
#[derive(Clone, Debug)]
pub(super) struct LexHit {
    pub rule: RuleCode,
    pub start: usize,
    pub end: usize,
}

/// A match starts at most this many tokens before the first required word it contains.
const LOOKBACK: usize = 16;

/// Per-scan state, kept between scans to reuse its allocations.
#[derive(Default)]
pub(super) struct State {
    /// Per pattern: required groups seen in the current sentence (0 = untouched).
    mask: Vec<u32>,
    /// Per pattern: first and last token holding one of its required words.
    span: Vec<(u32, u32)>,
    /// Patterns touched in the current sentence.
    touched: Vec<u32>,
    /// Check groups seen in the current sentence, one bit each.
    checks: Vec<u64>,
    /// Matches of inner anchors (`*word`) as (token, anchor), in token order.
    inner: Vec<(u32, u32)>,
    /// Rules whose `@unless` was evaluated in the current sentence, and the outcome.
    suppressed: Vec<(RuleCode, bool)>,
}

/// Runs the rules for which `enabled` is true over a folded text.
#[cfg(test)]
pub(super) fn scan(f: &Folded, enabled: impl Fn(RuleCode) -> bool) -> Vec<LexHit> {
    let mut hits = Vec::new();
    scan_with(f, enabled, &mut State::default(), &mut hits);
    hits
}

/// Runs the rules for which `enabled` is true over a folded text, appending to `hits`.
///
/// A pattern is tried in a sentence only when the sentence holds a word of each of the
/// pattern's required literal groups, so ordinary text rarely reaches the matcher.
pub(super) fn scan_with(
    f: &Folded,
    enabled: impl Fn(RuleCode) -> bool,
    st: &mut State,
    hits: &mut Vec<LexHit>,
) {
    let Ok(lex) = LEXICON.as_ref() else {
        return;
    };
    let mut on = [false; RuleCode::ALL.len()];
    for (k, rule) in RuleCode::ALL.into_iter().enumerate() {
        on[k] = enabled(rule);
    }
    if !on.iter().any(|&x| x) || f.tokens.is_empty() {
        return;
    }
    st.mask.clear();
    st.mask.resize(lex.patterns.len(), 0);
    st.span.resize(lex.patterns.len(), (0, 0));
    st.touched.clear();
    st.checks.clear();
    st.checks.resize(lex.checks.len().div_ceil(64), 0);
    inner_matches(lex, f, st);

    let mut lo = 0;
    let mut star = false;
    let mut inner_at = 0;
    for t in 0..f.tokens.len() {
        if t > lo && f.tokens[t].has(BREAK) {
            sentence(lex, f, lo, t, star, st, hits);
            lo = t;
            star = false;
        }
        let word = f.word(t);
        star |= f.tokens[t].has(STAR);
        let State {
            mask,
            span,
            touched,
            checks,
            inner,
            ..
        } = st;
        let mut add = |a: u32| {
            for &(p, g, rule) in &lex.anchors[a as usize].patterns {
                if !on[rule as usize] {
                    continue;
                }
                let p = p as usize;
                let tok = t as u32;
                if mask[p] == 0 {
                    touched.push(p as u32);
                    span[p] = (tok, tok);
                } else {
                    span[p].0 = span[p].0.min(tok);
                    span[p].1 = span[p].1.max(tok);
                }
                mask[p] |= 1 << g;
            }
        };
        lex.trie.walk(word, checks, &mut add);
        while let Some(&(tok, a)) = inner.get(inner_at) {
            if tok as usize > t {
                break;
            }
            inner_at += 1;
            add(a);
        }
    }
    sentence(lex, f, lo, f.tokens.len(), star, st, hits);
}

/// Finds the anchors that may start inside a word (`*word`), as (token, anchor).
fn inner_matches(lex: &Lexicon, f: &Folded, st: &mut State) {
    st.inner.clear();
    let Some(ac) = &lex.inner else { return };
    let text = &f.text;
    for m in ac.find_overlapping_iter(text.as_slice()) {
        for &a in &lex.inner_anchors[m.pattern().as_usize()] {
            let anchor = &lex.anchors[a as usize];
            if anchor.open_end || m.end() == text.len() || !is_word_byte(text[m.end()]) {
                st.inner.push((f.token_at(m.start()) as u32, a));
            }
        }
    }
    st.inner.sort_unstable();
}

/// Matches the patterns touched in sentence `[lo, hi)`, then clears the sentence's state.
/// `star`: a token of the sentence has a `*`, which the check bits do not account for.
fn sentence(
    lex: &Lexicon,
    f: &Folded,
    lo: usize,
    hi: usize,
    star: bool,
    st: &mut State,
    hits: &mut Vec<LexHit>,
) {
    if st.touched.is_empty() {
        st.checks.fill(0);
        return;
    }
    st.touched.sort_unstable();
    st.suppressed.clear();
    let m = Matcher { folded: f, lo, hi };
    for &p in &st.touched {
        let p = p as usize;
        let groups = std::mem::take(&mut st.mask[p]);
        let pattern = &lex.patterns[p];
        if groups != pattern.all_groups {
            continue;
        }
        let holds = |(k, &id): (usize, &u32)| {
            let id = id as usize;
            if !star && !lex.checks[id].1 {
                return st.checks[id / 64] & (1 << (id % 64)) != 0;
            }
            let group = &pattern.checks[k];
            (lo..hi).any(|t| {
                let w = f.word(t);
                group.iter().any(|g| pattern::word_matches(w, g))
            })
        };
        if !pattern.check_ids.iter().enumerate().all(holds) {
            continue;
        }
        let (first_tok, last_tok) = st.span[p];
        let from = lo.max((first_tok as usize).saturating_sub(LOOKBACK));
        let Some((start, end)) = (from..=last_tok as usize)
            .find_map(|s| m.first_end(&pattern.seq, s).filter(|&e| e > s).map(|e| (s, e)))
        else {
            continue;
        };
        let skip = match st.suppressed.iter().find(|s| s.0 == pattern.rule) {
            Some(s) => s.1,
            None => {
                let skip = lex
                    .unless
                    .get(&pattern.rule)
                    .is_some_and(|list| (lo..hi).any(|s| list.iter().any(|u| m.first_end(u, s).is_some())));
                st.suppressed.push((pattern.rule, skip));
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
    st.touched.clear();
    st.checks.fill(0);
}
