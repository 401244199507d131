//! Protected personal information (MT III): the cue tables and the scan that runs every PPI
//! check. Social security numbers are in [`super::ppi_ssn`] (spelled out in words:
//! [`super::ppi_words`]), card numbers with their codes in [`super::ppi_card`], names with ID
//! numbers in [`super::ppi_id`] and with bank-account numbers in [`super::ppi_account`].
//!
//! Everything but a spelled-out SSN starts from a digit run ([`super::digits`]), so text
//! without digits costs one byte scan and one pass over its words. The clear value never leaves
//! these modules: excerpts are masked (`***-**-6789`).

use std::sync::LazyLock;

use super::digits::{self, Run};
use super::fold::{CAP, Folded};
use super::normalise::Normalised;
use super::pattern::{self, Classes, Elem, Matcher};
use super::rules::RuleCode;
use super::{ppi_account, ppi_card, ppi_id, ppi_ssn, ppi_words};

/// A PPI finding in normalised offsets, with its masked excerpt.
#[derive(Clone, Debug)]
pub(super) struct Hit {
    pub rule: RuleCode,
    pub start: usize,
    pub end: usize,
    pub excerpt: String,
}

/// Cue phrases from `data/ppi_cues.txt`, by section.
#[derive(Default)]
pub(super) struct Cues {
    pub ssn: Vec<Vec<Elem>>,
    pub not_ssn: Vec<Vec<Elem>>,
    pub not_ssn_plain: Vec<Vec<Elem>>,
    pub id: Vec<Vec<Elem>>,
    pub id_short: Vec<Vec<Elem>>,
    pub not_id: Vec<Vec<Elem>>,
    pub account: Vec<Vec<Elem>>,
    pub not_account: Vec<Vec<Elem>>,
    pub code: Vec<Vec<Elem>>,
    pub password: Vec<Vec<Elem>>,
}

pub(super) static CUES: LazyLock<Result<Cues, String>> = LazyLock::new(|| {
    let mut cues = Cues::default();
    let classes = Classes::new();
    let mut section = String::new();
    for (n, line) in include_str!("data/ppi_cues.txt").lines().enumerate() {
        let line = pattern::content(line);
        if line.is_empty() {
            continue;
        }
        if line.starts_with('[') {
            section = line.to_owned();
            continue;
        }
        let seq =
            pattern::parse(line, &classes).map_err(|e| format!("data/ppi_cues.txt line {}: {e}", n + 1))?;
        let list = match section.as_str() {
            "[ssn]" => &mut cues.ssn,
            "[not_ssn]" => &mut cues.not_ssn,
            "[not_ssn_plain]" => &mut cues.not_ssn_plain,
            "[id]" => &mut cues.id,
            "[id_short]" => &mut cues.id_short,
            "[not_id]" => &mut cues.not_id,
            "[account]" => &mut cues.account,
            "[not_account]" => &mut cues.not_account,
            "[code]" => &mut cues.code,
            "[password]" => &mut cues.password,
            other => {
                return Err(format!(
                    "data/ppi_cues.txt line {}: unknown section `{other}`",
                    n + 1
                ));
            }
        };
        list.push(seq);
    }
    Ok(cues)
});

/// Forces the cue tables and reports a bad line.
pub(super) fn self_check() -> Result<(), String> {
    CUES.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// Which PPI rules to run.
#[derive(Clone, Copy, Debug)]
pub(super) struct Want {
    pub ssn: bool,
    pub name_id: bool,
    pub financial: bool,
}

/// What every PPI check reads: the normalised text, its words and the cue tables.
pub(super) struct Ctx<'a> {
    pub norm: &'a Normalised<'a>,
    pub f: &'a Folded,
    pub cues: &'a Cues,
}

impl Ctx<'_> {
    /// The cue occurrence in tokens `[lo, hi)` that ends last, as `(start, end)` tokens.
    pub fn last_cue(&self, cues: &[Vec<Elem>], lo: usize, hi: usize) -> Option<(usize, usize)> {
        let m = Matcher {
            folded: self.f,
            lo,
            hi,
        };
        let mut best: Option<(usize, usize)> = None;
        for p in lo..hi {
            if !self.cue_may_start(p) {
                continue;
            }
            for cue in cues {
                m.run(cue, p, &mut |e| {
                    if best.is_none_or(|b| e > b.1 || (e == b.1 && p < b.0)) {
                        best = Some((p, e));
                    }
                    false
                });
            }
        }
        best
    }

    /// The first cue occurrence starting in tokens `[lo, hi)`.
    pub fn first_cue(&self, cues: &[Vec<Elem>], lo: usize, hi: usize) -> Option<(usize, usize)> {
        let m = Matcher {
            folded: self.f,
            lo,
            hi: self.f.tokens.len(),
        };
        (lo..hi).filter(|&p| self.cue_may_start(p)).find_map(|p| {
            cues.iter()
                .filter_map(|c| m.first_end(c, p))
                .max()
                .map(|e| (p, e))
        })
    }

    /// A cue starting with the word "a" is the A-number only when written `A-number`,
    /// `A# ...` or `A number` with a capital mid-sentence, not "a number of".
    fn cue_may_start(&self, p: usize) -> bool {
        if p >= self.f.tokens.len() || self.f.word(p) != b"a" {
            return true;
        }
        let t = self.f.tokens[p];
        let next = self.norm.text.as_bytes().get(t.ne as usize).copied();
        matches!(next, Some(b'-' | b'#')) || (t.has(CAP) && !t.has(super::fold::BREAK))
    }

    /// The token index after `from` once up to `max` filler words are skipped.
    pub fn skip_filler(&self, from: usize, max: usize, filler: &[&[u8]]) -> usize {
        let mut v = from;
        while v < self.f.tokens.len() && v < from + max && filler.contains(&self.f.word(v)) {
            v += 1;
        }
        v
    }
}

/// Finds PPI in a normalised text.
pub(super) fn scan(norm: &Normalised<'_>, f: &Folded, want: Want) -> Vec<Hit> {
    let mut hits = Vec::new();
    let Ok(cues) = CUES.as_ref() else { return hits };
    if !(want.ssn || want.name_id || want.financial) {
        return hits;
    }
    let cx = Ctx { norm, f, cues };
    if want.ssn {
        ppi_words::spelled_ssns(&cx, &mut hits);
    }
    // Every other finding needs a run of at least three digits.
    if f.digits < 3 {
        return hits;
    }
    let runs = digits::runs(norm);
    let mut k = 0;
    while k < runs.len() {
        let run = &runs[k];
        k += 1;
        let (t0, t1) = run_tokens(f, run);
        if let Some(excerpt) = ppi_ssn::ssn(&cx, run, t0, t1) {
            if want.ssn {
                hits.push(Hit {
                    rule: RuleCode::PpiSsn,
                    start: run.start,
                    end: run.end,
                    excerpt,
                });
            }
            continue;
        }
        if let Some((hit, used)) = ppi_card::card(&cx, &runs[k - 1..]) {
            if want.financial {
                hits.push(hit);
            }
            k += used - 1;
            continue;
        }
        if want.name_id
            && let Some(hit) = ppi_id::name_with_id(&cx, run, t0, t1)
        {
            hits.push(hit);
            continue;
        }
        if want.financial
            && let Some(hit) = ppi_account::name_with_account(&cx, run, t0)
        {
            hits.push(hit);
        }
    }
    hits
}

/// The tokens `[t0, t1)` covering a run.
pub(super) fn run_tokens(f: &Folded, run: &Run) -> (usize, usize) {
    let t0 = f.token_at_norm(run.start);
    let t1 = f.token_at_norm(run.end.saturating_sub(1)) + 1;
    (t0.min(f.tokens.len()), t1.min(f.tokens.len()))
}

/// `****5678`: every character but the last four alphanumerics masked, separators kept.
pub(super) fn mask_number(s: &str) -> String {
    let total = s.chars().filter(char::is_ascii_alphanumeric).count();
    let mut seen = 0;
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                seen += 1;
                if seen + 4 > total { c } else { '*' }
            } else {
                c
            }
        })
        .collect()
}

/// Test helpers shared by the PPI modules' tests.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(super) mod testing {
    use super::super::fold::fold;
    use super::super::normalise::normalise;
    use super::*;

    /// Every PPI finding of `text` as (rule, masked excerpt).
    pub fn found(text: &str) -> Vec<(RuleCode, String)> {
        let norm = normalise(text);
        let f = fold(&norm.text);
        let want = Want {
            ssn: true,
            name_id: true,
            financial: true,
        };
        scan(&norm, &f, want)
            .into_iter()
            .map(|h| (h.rule, h.excerpt))
            .collect()
    }

    /// The rules found in `text`, sorted and deduplicated.
    pub fn rules(text: &str) -> Vec<RuleCode> {
        let mut rules: Vec<RuleCode> = found(text).into_iter().map(|(r, _)| r).collect();
        rules.sort();
        rules.dedup();
        rules
    }

    /// Asserts that each text gives exactly `expected`.
    pub fn expect_all(expected: &[RuleCode], texts: &[&str]) {
        for text in texts {
            assert_eq!(rules(text), expected, "{text}");
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn cues_load() {
        assert_eq!(self_check(), Ok(()));
        let cues = CUES.as_ref().unwrap();
        assert!(!cues.id_short.is_empty() && !cues.code.is_empty());
    }

    #[test]
    fn a_number_cue_needs_its_written_form() {
        expect_all(
            &[RuleCode::PpiNameId],
            &[
                "Jose Ramirez, A-number 123456789",
                "jose ramirez A# 12345678",
                "her A number is 098765432, Ana Torres",
            ],
        );
        expect_all(
            &[],
            &[
                "Ana Torres called a number 098765432 twice",
                "A number of visitors, like Ana Torres, wrote 12345678 on the form",
            ],
        );
    }

    #[test]
    fn disguised_ppi_is_located_in_the_original_and_masked() {
        let text = "😀 card ４１１１\u{200b}1111\u{200b}1111\u{200b}1111 cvv 123; ssn five two three four one seven seven eight eight";
        let policy = super::super::tests::policies().remove(0).1;
        let r = super::super::screen(&policy, super::super::Context::PublicComment, text);
        let units: Vec<u16> = text.encode_utf16().collect();
        let spans: Vec<(RuleCode, String, &str)> = r
            .findings
            .iter()
            .map(|f| {
                (
                    f.rule,
                    String::from_utf16_lossy(&units[f.start..f.end]),
                    f.excerpt.as_str(),
                )
            })
            .collect();
        assert_eq!(
            spans,
            vec![
                (
                    RuleCode::PpiFinancial,
                    "４１１１\u{200b}1111\u{200b}1111\u{200b}1111 cvv 123".to_owned(),
                    "card ****1111 … cvv ***"
                ),
                (
                    RuleCode::PpiSsn,
                    "five two three four one seven seven eight eight".to_owned(),
                    "***-**-7788"
                ),
            ]
        );
    }

    #[test]
    fn mask_keeps_last_four() {
        assert_eq!(mask_number("R123-4567-8910"), "****-****-8910");
        assert_eq!(mask_number("12"), "12");
    }

    #[test]
    fn each_kind_of_finding_is_found_once_in_a_mixed_text() {
        let text = "SSN 523-41-7788. Card 4111 1111 1111 1111 cvv 123. \
                    John Doe, driver's license 0123456789012. Maria Gomez checking 3301229845.";
        assert_eq!(
            rules(text),
            vec![RuleCode::PpiSsn, RuleCode::PpiNameId, RuleCode::PpiFinancial]
        );
        assert_eq!(found(text).len(), 4);
    }
}
