//! The fixed screening rule codes of the design (section 2) and how a profile rates them.

use serde::Deserialize;

/// Every screening rule code; stable API.
pub const RULE_CODES: [&str; 15] = [
    "PPI_SSN",
    "PPI_NAME_ID",
    "PPI_FINANCIAL",
    "OBSCENE",
    "PERSONAL_ATTACK",
    "HATE_DISCRIMINATION",
    "THREAT_HARASSMENT",
    "INCITEMENT_ILLEGAL",
    "UNSUPPORTED_ACCUSATION",
    "RESTRICTED_TOPIC",
    "SECURITY_INFO",
    "ADVERTISING",
    "REPRESENTATION_CLAIM",
    "MISSING_WEBSITE_LINK",
    "MEDIA_CONSENT",
];

/// How a rule weighs in one screening context.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ContextSeverity {
    /// The rule does not apply in this context.
    Off,
    /// A human must decide.
    Review,
    /// Cannot be published as is.
    Block,
}

impl ContextSeverity {
    /// The API name, `None` for `Off`.
    pub fn as_api(self) -> Option<&'static str> {
        match self {
            Self::Off => None,
            Self::Review => Some("REVIEW"),
            Self::Block => Some("BLOCK"),
        }
    }
}

/// One rule as a department's profile states it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSetting {
    /// Short human title.
    pub title: String,
    /// Clause citation, e.g. `MT IV.A.2.c(1)`.
    pub clause: String,
    /// Severity for public comments.
    pub public_comment: ContextSeverity,
    /// Severity for official posts.
    pub official_post: ContextSeverity,
    /// Severity for employees' own content.
    pub staff_content: ContextSeverity,
}
