//! `ScreeningResult` and `Finding`: what the screening engine says about a text.

use async_graphql::{Enum, InputObject, SimpleObject};

use super::policy_rule::{ScreeningContext, Severity};
use crate::policy::screening::{self as engine};

/// What may happen to a screened text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum Verdict {
    /// No findings.
    Clear,
    /// A human must decide.
    Review,
    /// Cannot be published as is.
    Block,
}

impl From<engine::Verdict> for Verdict {
    fn from(v: engine::Verdict) -> Self {
        match v {
            engine::Verdict::Clear => Self::Clear,
            engine::Verdict::Review => Self::Review,
            engine::Verdict::Block => Self::Block,
        }
    }
}

/// Which stage of the engine found something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FindingSource {
    /// The exact rules (patterns, lexicons, checksums).
    Rule,
    /// The language model's head for the rule; at most REVIEW unless the profile says otherwise.
    Model,
}

/// Whether the language model ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum ScreeningMode {
    /// Rules and model.
    Full,
    /// Rules only: the server runs with `--screening rules-only`.
    RulesOnly,
}

/// What produced a screening, so that an auditor can reproduce it.
#[derive(Clone, Debug, SimpleObject)]
pub struct ScreeningProvenance {
    /// Whether the model ran.
    pub mode: ScreeningMode,
    /// Release and rule-data hash of the engine.
    pub engine: String,
    /// Hash of the sentence model (`sha256:…`), when it ran.
    pub model_hash: Option<String>,
    /// Hash of the heads file, when the model ran.
    pub heads_hash: Option<String>,
}

impl From<engine::Provenance> for ScreeningProvenance {
    fn from(p: engine::Provenance) -> Self {
        Self {
            mode: match p.mode {
                engine::Mode::Full => ScreeningMode::Full,
                engine::Mode::RulesOnly => ScreeningMode::RulesOnly,
            },
            engine: p.engine,
            model_hash: p.model,
            heads_hash: p.heads,
        }
    }
}

/// One rule a text breaks, where, and under which clause.
#[derive(Clone, Debug, SimpleObject, serde::Serialize)]
pub struct Finding {
    /// Rule code, e.g. `PPI_SSN`.
    pub rule: String,
    /// Severity in the screened context.
    pub severity: Severity,
    /// Clause citation from the department's profile.
    pub clause: String,
    /// Explanation.
    pub message: String,
    /// Start, in UTF-16 code units of the original text (what a browser highlights).
    pub start: i32,
    /// End (exclusive), in UTF-16 code units.
    pub end: i32,
    /// The flagged text; personal information is masked (`***-**-6789`).
    pub excerpt: String,
    /// Which stage found it.
    pub source: FindingSource,
    /// The model's probability for the rule; null for rule findings.
    pub score: Option<f64>,
}

impl From<&engine::Finding> for Finding {
    fn from(f: &engine::Finding) -> Self {
        Self {
            rule: f.rule.as_str().to_owned(),
            severity: f.severity.into(),
            clause: f.clause.clone(),
            message: f.message.clone(),
            start: i32::try_from(f.start).unwrap_or(i32::MAX),
            end: i32::try_from(f.end).unwrap_or(i32::MAX),
            excerpt: f.excerpt.clone(),
            source: match f.source {
                engine::Source::Rule => FindingSource::Rule,
                engine::Source::Model => FindingSource::Model,
            },
            score: f.score.map(|s| (f64::from(s) * 1e4).round() / 1e4),
        }
    }
}

/// Findings stored as JSON beside a post, comment or review.
pub fn stored_findings(json: Option<&str>) -> Vec<Finding> {
    json.and_then(|j| serde_json::from_str::<Vec<engine::Finding>>(j).ok())
        .unwrap_or_default()
        .iter()
        .map(Finding::from)
        .collect()
}

/// The stored provenance of a screening (`None` before the model stage existed).
pub fn stored_provenance(json: Option<&str>) -> Option<ScreeningProvenance> {
    json.and_then(|j| serde_json::from_str::<engine::Provenance>(j).ok())
        .map(ScreeningProvenance::from)
}

/// The outcome of screening one text.
#[derive(SimpleObject)]
pub struct ScreeningResult {
    /// CLEAR, REVIEW or BLOCK (the worst finding).
    pub verdict: Verdict,
    /// Findings, ordered by position.
    pub findings: Vec<Finding>,
    /// Engine version, model and heads that produced it.
    pub provenance: ScreeningProvenance,
}

impl From<engine::ScreeningResult> for ScreeningResult {
    fn from(r: engine::ScreeningResult) -> Self {
        Self {
            verdict: r.verdict.into(),
            findings: r.findings.iter().map(Finding::from).collect(),
            provenance: r.provenance.into(),
        }
    }
}

/// A text to screen.
#[derive(InputObject)]
pub struct ScreenTextInput {
    /// Department whose profile applies.
    pub department_code: String,
    /// Where the text would appear.
    pub context: ScreeningContext,
    /// The text (at most 64 KiB).
    pub text: String,
}
