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
        }
    }
}

/// The outcome of screening one text.
#[derive(SimpleObject)]
pub struct ScreeningResult {
    /// CLEAR, REVIEW or BLOCK (the worst finding).
    pub verdict: Verdict,
    /// Findings, ordered by position.
    pub findings: Vec<Finding>,
}

impl From<engine::ScreeningResult> for ScreeningResult {
    fn from(r: engine::ScreeningResult) -> Self {
        Self {
            verdict: r.verdict.into(),
            findings: r.findings.iter().map(Finding::from).collect(),
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
