//! What a department's profile states, for clients to discover: screening rules (`PolicyRule`,
//! with clauses and severities) and the purposes a platform may serve (`PlatformPurpose`).

use async_graphql::{Enum, SimpleObject};

use crate::policy::screening::{self as engine, RulePolicy};

/// Where a text is screened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
pub enum ScreeningContext {
    /// A comment from the public on an official platform.
    PublicComment,
    /// Official content posted for the department.
    OfficialPost,
    /// An employee's own content.
    StaffContent,
}

/// How much a finding weighs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Severity {
    /// A human must decide.
    Review,
    /// Cannot be published as is.
    Block,
}

/// A rule's severity in one context.
#[derive(SimpleObject)]
pub struct RuleSeverity {
    /// Context.
    pub context: ScreeningContext,
    /// Severity; absent when the rule does not apply there.
    pub severity: Option<Severity>,
}

/// A screening rule as the department's profile states it.
#[derive(SimpleObject)]
pub struct PolicyRule {
    /// Stable code, e.g. `PPI_SSN`.
    pub code: String,
    /// Short title.
    pub title: String,
    /// Clause citation.
    pub clause: String,
    /// Severity per context.
    pub severities: Vec<RuleSeverity>,
    /// What the commenter is told when a comment is hidden or removed under this rule and
    /// the moderator gives no reason of their own (the profile's canned text), if any.
    pub public_reason: Option<String>,
}

impl PolicyRule {
    /// From a profile entry and the profile's canned public reason for it (with `{clause}`
    /// still in it).
    pub fn from_setting(code: &str, s: &RulePolicy, canned: Option<&String>) -> Self {
        let sev = |c: Option<engine::Severity>| c.map(Severity::from);
        Self {
            code: code.to_owned(),
            title: s.title.clone(),
            clause: s.clause.clone(),
            public_reason: canned.map(|t| t.replace("{clause}", &s.clause)),
            severities: vec![
                RuleSeverity {
                    context: ScreeningContext::PublicComment,
                    severity: sev(s.public_comment),
                },
                RuleSeverity {
                    context: ScreeningContext::OfficialPost,
                    severity: sev(s.official_post),
                },
                RuleSeverity {
                    context: ScreeningContext::StaffContent,
                    severity: sev(s.staff_content),
                },
            ],
        }
    }
}

impl From<engine::Severity> for Severity {
    fn from(s: engine::Severity) -> Self {
        match s {
            engine::Severity::Review => Self::Review,
            engine::Severity::Block => Self::Block,
        }
    }
}

impl From<ScreeningContext> for engine::Context {
    fn from(c: ScreeningContext) -> Self {
        match c {
            ScreeningContext::PublicComment => Self::PublicComment,
            ScreeningContext::OfficialPost => Self::OfficialPost,
            ScreeningContext::StaffContent => Self::StaffContent,
        }
    }
}

/// A purpose an official platform of the department may serve (MT IV.A.1, IL 01.02.400
/// II.G.2): the codes `proposePlatform` accepts in `purposes`.
#[derive(SimpleObject)]
pub struct PlatformPurpose {
    /// Stable code, e.g. `PUBLIC_SAFETY`.
    pub code: String,
    /// What the directive says the purpose is.
    pub title: String,
    /// Clause that permits it.
    pub clause: String,
}

impl From<&crate::policy::profile::Purpose> for PlatformPurpose {
    fn from(p: &crate::policy::profile::Purpose) -> Self {
        Self {
            code: p.code.clone(),
            title: p.title.clone(),
            clause: p.clause.clone(),
        }
    }
}
