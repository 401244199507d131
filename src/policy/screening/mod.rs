//! Text screening: the pure engine that checks a comment, post or staff content against a
//! department's directive (DESIGN.md section 2). No database, no GraphQL: text in, findings out.
//!
//! ```text
//! text ──normalise──▶ normalised view ──▶ PPI (digit runs + number words + cue words + names)
//!                           │        └──▶ website link (official posts)
//!                           └──fold──▶ folded words ──▶ lexicon rules (one trie walk per word)
//! text ──split──▶ sentences ──encoder──▶ embeddings ──▶ one head per content rule  (stage two)
//! ```
//!
//! Stage one, the rules, is exact and explainable; stage two, the [`model`], generalises to the
//! threats, accusations and incitement no lexicon lists. [`screen`] runs the rules alone;
//! [`screen_with_model`] adds the model's hits, computed (in batches) by [`model::model_hits`].
//!
//! Which rules run, and how severe their findings are, comes from the department's profile
//! ([`ScreeningPolicy`]); the lexicons are plain-text files under `data/` that a policy officer
//! can review. Findings are located in UTF-16 code units of the original text. Excerpts of
//! personal information are masked; the clear value never leaves the engine.
//!
//! Clean text is the common case, so every stage is one linear pass that does no per-rule
//! work: ASCII stretches skip normalisation, folding writes tokens as it reads, the lexicon
//! walks each word once through a trie of all anchor words, and only sentences holding every
//! required word of a pattern reach the matcher. Rules that are off cost nothing. Buffers are
//! reused per thread.
//!
//! All compiled state (anchor trie, name list, cue tables) is built once, on first use. Call
//! [`self_check`] at start-up: a bad data file is reported there instead of disabling rules.

mod digits;
/// Quality measurement on a labelled corpus.
pub mod eval;
mod findings;
mod fold;
mod fold_word;
mod lexicon;
mod lexicon_scan;
pub mod model;
mod names;
mod normalise;
mod pattern;
mod policy;
mod ppi;
mod ppi_account;
mod ppi_card;
mod ppi_id;
mod ppi_ssn;
mod ppi_words;
mod rules;
mod trie;
mod website;

use std::cell::RefCell;

pub use self::findings::{Finding, Mode, Provenance, ScreeningResult, Source, engine_version};
use self::findings::{excerpt, masked_excerpt, message, verdict_of};
pub use self::model::ModelHit;
pub use self::policy::{RulePolicy, ScreeningPolicy};
pub use self::rules::{Context, RuleCode, Severity, Verdict};

/// The largest text the server accepts for screening (64 KiB). The engine itself handles any
/// length; the bound keeps the server's latency predictable.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Findings of one rule beyond this many are dropped (the verdict is already decided).
const MAX_FINDINGS_PER_RULE: usize = 50;

/// Forces every compiled table (lexicons, classes, cue words, names) and reports the first bad
/// pattern or line. The server calls it at start-up.
pub fn self_check() -> Result<(), String> {
    names::self_check()?;
    ppi::self_check()?;
    lexicon::self_check()?;
    Ok(())
}

/// A finding before it is mapped back to the original text.
struct Raw {
    rule: RuleCode,
    start: usize,
    end: usize,
    masked: Option<String>,
}

/// Buffers reused from one screening to the next on the same thread.
#[derive(Default)]
struct Scratch {
    norm: normalise::Buffers,
    folded: fold::Folded,
    lexicon: lexicon_scan::State,
    lex_hits: Vec<lexicon_scan::LexHit>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Screens `text` as published in `context` under `policy`, with the rules alone.
pub fn screen(policy: &ScreeningPolicy, context: Context, text: &str) -> ScreeningResult {
    screen_with_model(policy, context, text, &[], Provenance::rules_only())
}

/// Screens `text` with the rules and adds the model's `hits` for it (from
/// [`model::model_hits`]). A model hit of a rule the rules already found there adds nothing; a
/// model-only finding is capped at the policy's `model_max_severity`.
pub fn screen_with_model(
    policy: &ScreeningPolicy,
    context: Context,
    text: &str,
    hits: &[ModelHit],
    provenance: Provenance,
) -> ScreeningResult {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            let result = screen_with(policy, context, text, hits, provenance, &mut scratch);
            // Keep the buffers of ordinary texts, not of an outsized one.
            if text.len() > 4 * MAX_TEXT_BYTES {
                *scratch = Scratch::default();
            }
            result
        }
        Err(_) => screen_with(policy, context, text, hits, provenance, &mut Scratch::default()),
    })
}

/// A finding located in original byte offsets, before UTF-16 conversion.
struct Located {
    rule: RuleCode,
    start: usize,
    end: usize,
    excerpt: String,
    source: Source,
    score: Option<f32>,
}

fn screen_with(
    policy: &ScreeningPolicy,
    context: Context,
    text: &str,
    hits: &[ModelHit],
    provenance: Provenance,
    scratch: &mut Scratch,
) -> ScreeningResult {
    let on = |rule: RuleCode| policy.severity(rule, context).is_some();
    let norm = normalise::normalise_with(text, &mut scratch.norm);
    fold::fold_into(&norm.text, &mut scratch.folded);
    let folded = &scratch.folded;
    let mut raw: Vec<Raw> = Vec::new();

    let want = ppi::Want {
        ssn: on(RuleCode::PpiSsn),
        name_id: on(RuleCode::PpiNameId),
        financial: on(RuleCode::PpiFinancial),
    };
    for hit in ppi::scan(&norm, folded, want) {
        raw.push(Raw {
            rule: hit.rule,
            start: hit.start,
            end: hit.end,
            masked: Some(hit.excerpt),
        });
    }
    scratch.lex_hits.clear();
    lexicon_scan::scan_with(folded, on, &mut scratch.lexicon, &mut scratch.lex_hits);
    for hit in &scratch.lex_hits {
        raw.push(Raw {
            rule: hit.rule,
            start: hit.start,
            end: hit.end,
            masked: None,
        });
    }
    let missing_link =
        on(RuleCode::MissingWebsiteLink) && !website::has_official_link(&norm.text, &policy.website_host);

    let mut located: Vec<Located> = merge(raw)
        .into_iter()
        .map(|r| {
            let (start, end) = norm.original_range(r.start, r.end);
            Located {
                rule: r.rule,
                start,
                end,
                excerpt: r
                    .masked
                    .unwrap_or_else(|| excerpt(text.get(start..end).unwrap_or(""))),
                source: Source::Rule,
                score: None,
            }
        })
        .collect();
    scratch.norm.recycle(norm);
    if missing_link {
        located.push(Located {
            rule: RuleCode::MissingWebsiteLink,
            start: 0,
            end: 0,
            excerpt: String::new(),
            source: Source::Rule,
            score: None,
        });
    }
    let by_rules = located.len();
    for hit in hits {
        let known = located[..by_rules]
            .iter()
            .any(|f| f.rule == hit.rule && f.start < hit.end && hit.start < f.end);
        if known || !on(hit.rule) {
            continue;
        }
        located.push(Located {
            rule: hit.rule,
            start: hit.start,
            end: hit.end,
            excerpt: masked_excerpt(text.get(hit.start..hit.end).unwrap_or("")),
            source: Source::Model,
            score: Some(hit.score),
        });
    }
    if located.is_empty() {
        return ScreeningResult {
            verdict: Verdict::Clear,
            findings: Vec::new(),
            provenance,
        };
    }
    let offsets: Vec<usize> = located.iter().flat_map(|f| [f.start, f.end]).collect();
    let utf16 = normalise::utf16_offsets(text, &offsets);

    let mut findings: Vec<Finding> = located
        .into_iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let rp = policy.rules.get(&f.rule)?;
            let mut severity = rp.severity(context)?;
            if f.source == Source::Model {
                severity = severity.min(policy.model_max_severity);
            }
            Some(Finding {
                rule: f.rule,
                severity,
                clause: rp.clause.clone(),
                message: message(f.rule, &rp.title, &policy.website_host),
                start: utf16[2 * i],
                end: utf16[2 * i + 1],
                excerpt: f.excerpt,
                source: f.source,
                score: f.score,
            })
        })
        .collect();
    findings.sort_by_key(|f| (f.start, f.rule, f.end, f.source));
    ScreeningResult {
        verdict: verdict_of(&findings),
        findings,
        provenance,
    }
}

/// Merges overlapping findings of the same rule and caps each rule's count.
fn merge(mut raw: Vec<Raw>) -> Vec<Raw> {
    raw.sort_by_key(|r| (r.rule, r.start, r.end));
    let mut out: Vec<Raw> = Vec::with_capacity(raw.len());
    let mut per_rule = 0;
    for r in raw {
        if let Some(last) = out.last_mut()
            && last.rule == r.rule
        {
            if r.start < last.end {
                last.end = last.end.max(r.end);
                if last.masked.is_none() {
                    last.masked = r.masked;
                }
                continue;
            }
            per_rule += 1;
            if per_rule >= MAX_FINDINGS_PER_RULE {
                continue;
            }
        } else {
            per_rule = 0;
        }
        out.push(r);
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    pub(super) fn policies() -> Vec<(String, ScreeningPolicy)> {
        [
            include_str!("../profiles/mt-doc.toml"),
            include_str!("../profiles/il-doc.toml"),
        ]
        .into_iter()
        .map(|profile| {
            let value: toml::Table = toml::from_str(profile).unwrap();
            let code = value["department"]["code"].as_str().unwrap().to_owned();
            let mut policy: ScreeningPolicy = value["screening"].clone().try_into().unwrap();
            policy.website_host = value["department"]["website_host"].as_str().unwrap().to_owned();
            (code, policy)
        })
        .collect()
    }

    fn mt() -> ScreeningPolicy {
        policies().remove(0).1
    }

    #[test]
    fn self_check_passes() {
        assert_eq!(self_check(), Ok(()));
    }

    #[test]
    fn clean_text_is_clear() {
        let r = screen(
            &mt(),
            Context::PublicComment,
            "Thank you to the visiting staff at Deer Lodge.",
        );
        assert_eq!(
            r,
            ScreeningResult {
                verdict: Verdict::Clear,
                findings: vec![],
                provenance: Provenance::rules_only(),
            }
        );
    }

    #[test]
    fn offsets_are_utf16_of_the_original_and_ppi_is_masked() {
        let text = "😀 Soc: ５２３－４１－７７８８ thanks";
        let r = screen(&mt(), Context::PublicComment, text);
        assert_eq!(r.verdict, Verdict::Block);
        let f = &r.findings[0];
        assert_eq!(
            (f.rule, f.clause.as_str()),
            (RuleCode::PpiSsn, "MT III; MT IV.B.3.b")
        );
        let units: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(
            String::from_utf16_lossy(&units[f.start..f.end]),
            "５２３－４１－７７８８"
        );
        assert_eq!(f.excerpt, "***-**-7788");
    }

    #[test]
    fn severity_and_rules_follow_the_context() {
        let text = "The lawsuit over the contract goes to trial in May.";
        assert_eq!(
            screen(&mt(), Context::PublicComment, text).verdict,
            Verdict::Clear
        );
        let post = screen(&mt(), Context::OfficialPost, text);
        let mut rules: Vec<RuleCode> = post.findings.iter().map(|f| f.rule).collect();
        rules.dedup();
        assert_eq!(
            rules,
            vec![RuleCode::MissingWebsiteLink, RuleCode::RestrictedTopic]
        );
        assert_eq!(post.verdict, Verdict::Review);
    }

    #[test]
    fn findings_are_sorted_and_overlaps_merged() {
        let r = screen(&mt(), Context::PublicComment, "you fucking idiot, fuck fuck");
        let starts: Vec<(usize, RuleCode)> = r.findings.iter().map(|f| (f.start, f.rule)).collect();
        let mut sorted = starts.clone();
        sorted.sort();
        assert_eq!(starts, sorted);
        assert!(r.findings.iter().any(|f| f.rule == RuleCode::PersonalAttack));
    }

    #[test]
    fn large_texts_are_handled() {
        let mut text = "Visiting hours are posted online. ".repeat(2000);
        text.push_str("My SSN is 523-41-7788.");
        assert!(text.len() > MAX_TEXT_BYTES);
        let r = screen(&mt(), Context::PublicComment, &text);
        assert_eq!(r.findings.len(), 1);
        assert_eq!(r.findings[0].end, text.len() - 1);
    }
}
