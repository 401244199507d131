//! Stage two of screening: a sentence-embedding model and one trained head per content rule.
//!
//! ```text
//! text ──split──▶ sentences ──encoder──▶ unit vectors ─┬─▶ head per rule ──▶ ModelHit
//!                      └──────── whole text (mean of all tokens) ┘
//! ```
//!
//! Lexicons are exact but cannot list every way of threatening, accusing or inciting; the model
//! generalises from a labelled corpus. It runs after the rule stage and adds findings with
//! `source: MODEL` and the head's probability as `score`. Model-only findings are capped at the
//! profile's `model_max_severity` (REVIEW unless a department says otherwise): a human decides.
//!
//! The encoder is all-MiniLM-L6-v2 (see `minilm/README.md` for its provenance and licence),
//! shipped in the binary; heads are trained by `policy-admin screening train` on
//! `training/corpus.jsonl` and shipped as `heads.json`.

mod encoder;
mod evaluate;
mod files;
pub mod heads;
mod sentences;
pub mod train;
pub mod tune;

use std::sync::Arc;

pub use self::encoder::{Document, Encoder, SentencePooling};
pub use self::evaluate::{StageReports, evaluate_stages};
pub use self::files::{ModelFiles, sha256_tag};
pub use self::heads::{Heads, ModelHit};
use super::policy::ScreeningPolicy;
use super::rules::{Context, RuleCode};

/// The rules the heads learn: every content rule. PPI, the website link and media consent stay
/// with exact rules.
pub const MODEL_RULES: [RuleCode; 10] = [
    RuleCode::Obscene,
    RuleCode::PersonalAttack,
    RuleCode::HateDiscrimination,
    RuleCode::ThreatHarassment,
    RuleCode::IncitementIllegal,
    RuleCode::UnsupportedAccusation,
    RuleCode::RestrictedTopic,
    RuleCode::SecurityInfo,
    RuleCode::Advertising,
    RuleCode::RepresentationClaim,
];

/// A set of rules, e.g. those a policy has ON in a context.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RuleSet(u32);

impl RuleSet {
    /// The rules `policy` applies in `ctx`.
    pub fn on(policy: &ScreeningPolicy, ctx: Context) -> Self {
        Self(
            RuleCode::ALL
                .iter()
                .enumerate()
                .filter(|(_, r)| policy.severity(**r, ctx).is_some())
                .fold(0, |bits, (i, _)| bits | (1 << i)),
        )
    }

    /// Whether `rule` is in the set.
    pub fn contains(&self, rule: RuleCode) -> bool {
        RuleCode::ALL
            .iter()
            .position(|r| *r == rule)
            .is_some_and(|i| self.0 & (1 << i) != 0)
    }
}

/// One text for the model, with what to score it against.
pub struct ModelJob<'a> {
    /// The original text.
    pub text: &'a str,
    /// Where it is published.
    pub context: Context,
    /// The rules that apply (a rule that is OFF is not scored).
    pub rules: RuleSet,
    /// The heads that apply (the department's own, or the shipped ones).
    pub heads: &'a Heads,
}

/// Scores every job in shared batches: one list of hits per job.
/// Jobs whose heads embed sentences differently go in separate batches.
pub fn model_hits(encoder: &Encoder, jobs: &[ModelJob<'_>]) -> Result<Vec<Vec<ModelHit>>, String> {
    let mut out: Vec<Vec<ModelHit>> = vec![Vec::new(); jobs.len()];
    for pooling in [SentencePooling::Separate, SentencePooling::InContext] {
        let mine: Vec<usize> = (0..jobs.len())
            .filter(|&i| jobs[i].heads.sentence_pooling == pooling)
            .collect();
        if mine.is_empty() {
            continue;
        }
        let texts: Vec<&str> = mine.iter().map(|&i| jobs[i].text).collect();
        for (&i, doc) in mine.iter().zip(encoder.documents(&texts, pooling)?) {
            let job = &jobs[i];
            out[i] = job
                .heads
                .score(&doc, job.context, |rule| job.rules.contains(rule));
        }
    }
    Ok(out)
}

/// A loaded encoder with the heads that were trained on it.
pub struct ModelStage {
    /// The encoder, shared by every department.
    pub encoder: Arc<Encoder>,
    /// The shipped (or configured) heads.
    pub heads: Arc<Heads>,
    /// Hash of the heads file.
    pub heads_hash: String,
}

impl ModelStage {
    /// Pairs an encoder with heads, refusing heads trained on another model.
    pub fn new(encoder: Arc<Encoder>, heads: Heads, heads_hash: String) -> Result<Self, String> {
        check_pairing(&encoder, &heads)?;
        Ok(Self {
            encoder,
            heads: Arc::new(heads),
            heads_hash,
        })
    }
}

/// Heads fit an encoder when they were trained on it.
pub fn check_pairing(encoder: &Encoder, heads: &Heads) -> Result<(), String> {
    if heads.model != encoder.hash() {
        return Err(format!(
            "the screening heads were trained on model {} but the loaded model is {}; train heads \
             for this model with `policy-admin screening train --model DIR`",
            heads.model,
            encoder.hash()
        ));
    }
    if heads.dim != encoder.dim() {
        return Err(format!(
            "the screening heads expect {}-dimensional embeddings, the model gives {}",
            heads.dim,
            encoder.dim()
        ));
    }
    Ok(())
}

/// Whether the shipped encoder was fine-tuned on the shipped corpus (see `minilm/README.md`):
/// heads trained over it then choose thresholds on the items it was not tuned on.
pub const SHIPPED_TUNED: bool = true;

/// The shipped encoder, loaded once per process (tests start many servers).
pub fn shipped_encoder() -> Result<Arc<Encoder>, String> {
    static SHIPPED: std::sync::OnceLock<Result<Arc<Encoder>, String>> = std::sync::OnceLock::new();
    SHIPPED
        .get_or_init(|| Encoder::load(&ModelFiles::embedded()).map(Arc::new))
        .clone()
}

#[cfg(test)]
mod tests;
