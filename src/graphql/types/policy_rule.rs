//! `PolicyRule`: a screening rule code with its clause and severities, from the profile.

use async_graphql::{Enum, SimpleObject};

use crate::policy::rules::{ContextSeverity, RuleSetting};

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enum)]
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
}

impl PolicyRule {
    /// From a profile entry.
    pub fn from_setting(code: &str, s: &RuleSetting) -> Self {
        let sev = |c: ContextSeverity| match c {
            ContextSeverity::Off => None,
            ContextSeverity::Review => Some(Severity::Review),
            ContextSeverity::Block => Some(Severity::Block),
        };
        Self {
            code: code.to_owned(),
            title: s.title.clone(),
            clause: s.clause.clone(),
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
