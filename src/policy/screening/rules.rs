//! The fixed vocabulary of screening: rule codes, contexts, severities and verdicts.
//!
//! Codes are stable API (DESIGN.md section 2); they (de)serialise as their SCREAMING names.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A screening rule. The clause each one cites comes from the department's profile.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RuleCode {
    /// A valid-shaped US social security number.
    PpiSsn,
    /// A person's name together with a government identification number.
    PpiNameId,
    /// A name with a bank account, or a card number with its access code.
    PpiFinancial,
    /// Obscene, lewd, profane or pornographic language.
    Obscene,
    /// An insult aimed at a specific person.
    PersonalAttack,
    /// Demeaning statements about a protected group, slurs, bigotry, sexism.
    HateDiscrimination,
    /// Threats, intimidation, harassment, bullying.
    ThreatHarassment,
    /// Inciting violence or promoting illegal activity.
    IncitementIllegal,
    /// Accusing a specific person of a crime or misconduct as fact.
    UnsupportedAccusation,
    /// Litigation, investigations, legal, personnel or security matters.
    RestrictedTopic,
    /// Confidential or security-related operational information.
    SecurityInfo,
    /// Promoting a private business.
    Advertising,
    /// Claiming to speak for the department or its policies.
    RepresentationClaim,
    /// An official post without a link to the department's website.
    MissingWebsiteLink,
    /// Media depicting a person without consent (added by the server, not text-based).
    MediaConsent,
}

impl RuleCode {
    /// Every rule, in declaration order.
    pub const ALL: [RuleCode; 15] = [
        RuleCode::PpiSsn,
        RuleCode::PpiNameId,
        RuleCode::PpiFinancial,
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
        RuleCode::MissingWebsiteLink,
        RuleCode::MediaConsent,
    ];

    /// The stable code, e.g. `"PPI_SSN"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            RuleCode::PpiSsn => "PPI_SSN",
            RuleCode::PpiNameId => "PPI_NAME_ID",
            RuleCode::PpiFinancial => "PPI_FINANCIAL",
            RuleCode::Obscene => "OBSCENE",
            RuleCode::PersonalAttack => "PERSONAL_ATTACK",
            RuleCode::HateDiscrimination => "HATE_DISCRIMINATION",
            RuleCode::ThreatHarassment => "THREAT_HARASSMENT",
            RuleCode::IncitementIllegal => "INCITEMENT_ILLEGAL",
            RuleCode::UnsupportedAccusation => "UNSUPPORTED_ACCUSATION",
            RuleCode::RestrictedTopic => "RESTRICTED_TOPIC",
            RuleCode::SecurityInfo => "SECURITY_INFO",
            RuleCode::Advertising => "ADVERTISING",
            RuleCode::RepresentationClaim => "REPRESENTATION_CLAIM",
            RuleCode::MissingWebsiteLink => "MISSING_WEBSITE_LINK",
            RuleCode::MediaConsent => "MEDIA_CONSENT",
        }
    }

    /// Whether the rule protects personal information (its excerpts are masked and the
    /// evaluator holds it to the stricter PPI thresholds).
    pub fn is_ppi(&self) -> bool {
        matches!(
            self,
            RuleCode::PpiSsn | RuleCode::PpiNameId | RuleCode::PpiFinancial
        )
    }
}

impl fmt::Display for RuleCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RuleCode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RuleCode::ALL
            .into_iter()
            .find(|code| code.as_str() == s)
            .ok_or_else(|| format!("unknown rule code `{s}`"))
    }
}

/// Where a text is published; the profile sets each rule's severity per context.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Context {
    /// A comment by a member of the public on an official page.
    PublicComment,
    /// Content the department publishes.
    OfficialPost,
    /// An employee's own content.
    StaffContent,
}

impl Context {
    /// Every context.
    pub const ALL: [Context; 3] = [
        Context::PublicComment,
        Context::OfficialPost,
        Context::StaffContent,
    ];

    /// The stable name, e.g. `"PUBLIC_COMMENT"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Context::PublicComment => "PUBLIC_COMMENT",
            Context::OfficialPost => "OFFICIAL_POST",
            Context::StaffContent => "STAFF_CONTENT",
        }
    }
}

impl FromStr for Context {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Context::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| format!("unknown screening context `{s}`"))
    }
}

/// How serious a finding is. `Review < Block`.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Severity {
    /// A human must decide.
    #[default]
    Review,
    /// Cannot be published as is.
    Block,
}

impl Severity {
    /// `"REVIEW"` or `"BLOCK"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Severity::Review => "REVIEW",
            Severity::Block => "BLOCK",
        }
    }
}

/// The outcome of screening one text: the worst severity of its findings.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    /// No findings.
    Clear,
    /// At least one REVIEW finding and no BLOCK finding.
    Review,
    /// At least one BLOCK finding.
    Block,
}

impl Verdict {
    /// `"CLEAR"`, `"REVIEW"` or `"BLOCK"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Clear => "CLEAR",
            Verdict::Review => "REVIEW",
            Verdict::Block => "BLOCK",
        }
    }

    /// The verdict for findings whose worst severity is `worst` (`None` = no findings).
    pub fn from_worst(worst: Option<Severity>) -> Verdict {
        match worst {
            None => Verdict::Clear,
            Some(Severity::Review) => Verdict::Review,
            Some(Severity::Block) => Verdict::Block,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_str_and_serde() {
        for code in RuleCode::ALL {
            assert_eq!(code.as_str().parse::<RuleCode>(), Ok(code));
            let json = serde_json::to_string(&code).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
        for ctx in Context::ALL {
            assert_eq!(ctx.as_str().parse::<Context>(), Ok(ctx));
            assert_eq!(
                serde_json::to_string(&ctx).unwrap_or_default(),
                format!("\"{}\"", ctx.as_str())
            );
        }
        assert!("PPI_NOPE".parse::<RuleCode>().is_err());
    }

    #[test]
    fn block_is_worse_than_review() {
        assert!(Severity::Review < Severity::Block);
        assert_eq!(Verdict::from_worst(None), Verdict::Clear);
        assert_eq!(Verdict::from_worst(Some(Severity::Block)).as_str(), "BLOCK");
    }
}
