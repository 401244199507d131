//! What screening returns: findings with their source, the verdict, and the provenance an
//! auditor needs to reproduce a result (engine version, model and heads hashes).

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::rules::{RuleCode, Severity, Verdict};

/// Longest excerpt, in characters.
const MAX_EXCERPT_CHARS: usize = 120;

/// Which stage found something.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Source {
    /// The exact rules (patterns, lexicons, checksums).
    #[default]
    Rule,
    /// The language model's head for the rule.
    Model,
}

/// One rule violation found in a text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule.
    pub rule: RuleCode,
    /// Its severity in the screened context.
    pub severity: Severity,
    /// The directive clause, from the profile.
    pub clause: String,
    /// A human explanation.
    pub message: String,
    /// Start, in UTF-16 code units of the original text.
    pub start: usize,
    /// End (exclusive), in UTF-16 code units of the original text.
    pub end: usize,
    /// The flagged text; masked for personal information. Empty for whole-text findings.
    pub excerpt: String,
    /// The stage that found it (stored findings from before the model stage are rules).
    #[serde(default)]
    pub source: Source,
    /// The model's probability; `None` for rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
}

/// How a result was produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Mode {
    /// Rules and model.
    Full,
    /// Rules only (`--screening rules-only`).
    RulesOnly,
}

impl Mode {
    /// `"FULL"` or `"RULES_ONLY"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::Full => "FULL",
            Mode::RulesOnly => "RULES_ONLY",
        }
    }
}

/// Everything needed to reproduce a result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// Whether the model ran.
    pub mode: Mode,
    /// [`engine_version`].
    pub engine: String,
    /// Hash of the model, when it ran.
    pub model: Option<String>,
    /// Hash of the heads, when the model ran.
    pub heads: Option<String>,
}

impl Provenance {
    /// The provenance of a rules-only result.
    pub fn rules_only() -> Self {
        Self {
            mode: Mode::RulesOnly,
            engine: engine_version().to_owned(),
            model: None,
            heads: None,
        }
    }
}

/// The outcome of screening one text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScreeningResult {
    /// CLEAR when there are no findings, else the worst severity.
    pub verdict: Verdict,
    /// Findings sorted by start, then rule.
    pub findings: Vec<Finding>,
    /// How it was produced.
    pub provenance: Provenance,
}

/// Every data file the rule stage compiles, so the engine version changes with any of them.
const RULE_DATA: [&str; 15] = [
    include_str!("data/obscene.txt"),
    include_str!("data/personal_attack.txt"),
    include_str!("data/hate_discrimination.txt"),
    include_str!("data/threat_harassment.txt"),
    include_str!("data/incitement_illegal.txt"),
    include_str!("data/unsupported_accusation.txt"),
    include_str!("data/restricted_topic.txt"),
    include_str!("data/security_info.txt"),
    include_str!("data/advertising.txt"),
    include_str!("data/representation_claim.txt"),
    include_str!("data/classes.txt"),
    include_str!("data/first_names.txt"),
    include_str!("data/first_names_ssa.txt"),
    include_str!("data/names_extra.txt"),
    include_str!("data/ppi_cues.txt"),
];

/// `policy-admin <version> rules <hash>`: the release and a hash of every rule data file.
pub fn engine_version() -> &'static str {
    static VERSION: LazyLock<String> = LazyLock::new(|| {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for file in RULE_DATA {
            h.update(Sha256::digest(file.as_bytes()));
        }
        let digest = hex::encode(h.finalize());
        format!(
            "policy-admin {} rules {}",
            env!("CARGO_PKG_VERSION"),
            &digest[..16]
        )
    });
    &VERSION
}

/// The verdict of a set of findings.
pub(super) fn verdict_of(findings: &[Finding]) -> Verdict {
    Verdict::from_worst(findings.iter().map(|f| f.severity).max())
}

/// The original text of a finding, whitespace collapsed and cut to [`MAX_EXCERPT_CHARS`].
pub(super) fn excerpt(s: &str) -> String {
    let mut out = String::new();
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > MAX_EXCERPT_CHARS {
        out = out.chars().take(MAX_EXCERPT_CHARS - 1).collect::<String>() + "…";
    }
    out
}

/// The excerpt of a model finding: the sentence with any digit run of five or more digits
/// masked, so that a sentence holding personal information never shows it in clear.
pub(super) fn masked_excerpt(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_numeric() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // A digit run may hold separators between digits (523-41-7788, 4111 1111 …).
        let mut j = i;
        let mut digits = 0;
        while j < chars.len() {
            if chars[j].is_numeric() {
                digits += 1;
                j += 1;
            } else if j + 1 < chars.len()
                && chars[j + 1].is_numeric()
                && (matches!(chars[j], '-' | '.' | ' ' | '/' | '‐'..='―' | '−')
                    || chars[j].is_whitespace()
                    || is_format(chars[j]))
            {
                j += 1;
            } else {
                break;
            }
        }
        for &c in &chars[i..j] {
            out.push(if digits >= 5 && c.is_numeric() { '*' } else { c });
        }
        i = j;
    }
    excerpt(&out)
}

fn is_format(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}')
}

/// The message of a finding: the profile's title and what the rule catches.
pub(super) fn message(rule: RuleCode, title: &str, host: &str) -> String {
    let why = match rule {
        RuleCode::PpiSsn => "looks like a social security number".to_owned(),
        RuleCode::PpiNameId => "a person's name with a government identification number".to_owned(),
        RuleCode::PpiFinancial => "a name with a bank account, or a card number with its code".to_owned(),
        RuleCode::Obscene => "obscene, lewd or profane language".to_owned(),
        RuleCode::PersonalAttack => "an insult aimed at a person".to_owned(),
        RuleCode::HateDiscrimination => "demeaning language about a group".to_owned(),
        RuleCode::ThreatHarassment => "a threat or harassment".to_owned(),
        RuleCode::IncitementIllegal => "a call to violence or illegal activity".to_owned(),
        RuleCode::UnsupportedAccusation => "accuses a person of a crime or misconduct as fact".to_owned(),
        RuleCode::RestrictedTopic => {
            "comments on litigation, investigations, legal or personnel matters".to_owned()
        }
        RuleCode::SecurityInfo => "discloses security-related information".to_owned(),
        RuleCode::Advertising => "promotes a private business".to_owned(),
        RuleCode::RepresentationClaim => "claims to speak for the department".to_owned(),
        RuleCode::MissingWebsiteLink => {
            format!("no link to https://{host} or one of its subdomains")
        }
        RuleCode::MediaConsent => "media without a consent record".to_owned(),
    };
    format!("{title}: {why}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_excerpts_mask_long_digit_runs_in_any_disguise() {
        assert_eq!(
            masked_excerpt("watch out, 523-41-7788 is yours"),
            "watch out, ***-**-**** is yours"
        );
        assert_eq!(
            masked_excerpt("card 4111\u{200b}1111 1111 1111"),
            "card ****\u{200b}**** **** ****"
        );
        assert_eq!(masked_excerpt("５２３４１７７８８ ok"), "********* ok");
        // Short numbers (times, counts, years) stay readable.
        assert_eq!(
            masked_excerpt("at 4:15 on C-yard in 2024"),
            "at 4:15 on C-yard in 2024"
        );
    }

    #[test]
    fn the_engine_version_names_the_release_and_the_rule_data() {
        let v = engine_version();
        assert!(v.starts_with(concat!("policy-admin ", env!("CARGO_PKG_VERSION"), " rules ")));
        assert_eq!(v.len(), engine_version().len());
    }

    #[test]
    fn stored_findings_without_a_source_read_as_rules() {
        let old = r#"{"rule":"PPI_SSN","severity":"BLOCK","clause":"MT III","message":"m","start":0,"end":3,"excerpt":"***"}"#;
        let f: Finding = serde_json::from_str(old).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((f.source, f.score), (Source::Rule, None));
    }
}
