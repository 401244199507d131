//! A department's screening configuration, read from the `[screening]` table of its profile.
//!
//! ```toml
//! [screening.rules.PPI_SSN]
//! title = "Social security number"
//! clause = "MT III; MT IV.B.3.b"
//! public_comment = "BLOCK"   # BLOCK | REVIEW | OFF
//! official_post = "BLOCK"
//! staff_content = "BLOCK"
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::rules::{Context, RuleCode, Severity};

/// One rule's title, clause and severity in each context (`None` = OFF).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulePolicy {
    /// Short human title of the rule for this department.
    pub title: String,
    /// The directive clause the rule enforces, e.g. `MT IV.A.2.c(1)`.
    pub clause: String,
    /// Severity for public comments.
    #[serde(with = "level")]
    pub public_comment: Option<Severity>,
    /// Severity for official posts.
    #[serde(with = "level")]
    pub official_post: Option<Severity>,
    /// Severity for staff content.
    #[serde(with = "level")]
    pub staff_content: Option<Severity>,
}

impl RulePolicy {
    /// The rule's severity in `ctx`, or `None` when the rule is OFF there.
    pub fn severity(&self, ctx: Context) -> Option<Severity> {
        match ctx {
            Context::PublicComment => self.public_comment,
            Context::OfficialPost => self.official_post,
            Context::StaffContent => self.staff_content,
        }
    }
}

/// `"BLOCK" | "REVIEW" | "OFF"` <-> `Option<Severity>`; every key is required.
mod level {
    use super::*;

    pub fn serialize<S: Serializer>(v: &Option<Severity>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.map_or("OFF", |sev| sev.as_str()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Severity>, D::Error> {
        let raw = String::deserialize(d)?;
        match raw.as_str() {
            "BLOCK" => Ok(Some(Severity::Block)),
            "REVIEW" => Ok(Some(Severity::Review)),
            "OFF" => Ok(None),
            other => Err(serde::de::Error::custom(format!(
                "severity must be BLOCK, REVIEW or OFF, not `{other}`"
            ))),
        }
    }
}

/// A department's whole screening configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreeningPolicy {
    /// Every rule by code.
    pub rules: BTreeMap<RuleCode, RulePolicy>,
    /// The highest severity a finding of the model alone may have: `REVIEW` (the default, a
    /// human decides) or `BLOCK`.
    #[serde(default)]
    pub model_max_severity: Severity,
    /// The department's official website host (`[department].website_host`), e.g. `cor.mt.gov`.
    /// Not part of the `[screening]` table: the server sets it.
    #[serde(skip)]
    pub website_host: String,
}

impl ScreeningPolicy {
    /// The severity of `rule` in `ctx`, `None` when OFF or absent.
    pub fn severity(&self, rule: RuleCode, ctx: Context) -> Option<Severity> {
        self.rules.get(&rule).and_then(|r| r.severity(ctx))
    }

    /// Checks that every rule is configured with a title and clause and that the website host
    /// is a plausible lowercase host name. The message names the offending rule.
    pub fn validate(&self) -> Result<(), String> {
        for code in RuleCode::ALL {
            let Some(rule) = self.rules.get(&code) else {
                return Err(format!("screening rule {code} is missing from the profile"));
            };
            if rule.title.trim().is_empty() {
                return Err(format!("screening rule {code} has an empty title"));
            }
            if rule.clause.trim().is_empty() {
                return Err(format!("screening rule {code} has an empty clause"));
            }
        }
        if !is_plausible_host(&self.website_host) {
            return Err(format!(
                "website_host `{}` is not a lowercase host name such as cor.mt.gov",
                self.website_host
            ));
        }
        Ok(())
    }
}

/// `label(.label)+`, labels of `[a-z0-9-]` not starting or ending with `-`, at most 253 bytes.
fn is_plausible_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    host.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.bytes().any(|b| b.is_ascii_lowercase()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// Parses a profile's `[screening]` table the way the server does.
    pub(crate) fn from_profile(profile: &str) -> ScreeningPolicy {
        let value: toml::Table = toml::from_str(profile).unwrap();
        let host = value["department"]["website_host"].as_str().unwrap().to_owned();
        let mut policy: ScreeningPolicy = value["screening"].clone().try_into().unwrap();
        policy.website_host = host;
        policy
    }

    #[test]
    fn shipped_profiles_parse_and_validate() {
        for profile in [
            include_str!("../profiles/mt-doc.toml"),
            include_str!("../profiles/il-doc.toml"),
        ] {
            let policy = from_profile(profile);
            policy.validate().unwrap();
            assert_eq!(policy.rules.len(), RuleCode::ALL.len());
            assert_eq!(
                policy.severity(RuleCode::RestrictedTopic, Context::PublicComment),
                None
            );
            assert_eq!(
                policy.severity(RuleCode::PpiSsn, Context::StaffContent),
                Some(Severity::Block)
            );
        }
    }

    #[test]
    fn bad_levels_unknown_keys_and_missing_contexts_are_rejected() {
        let bad_level =
            "title='t'\nclause='c'\npublic_comment='MAYBE'\nofficial_post='OFF'\nstaff_content='OFF'";
        assert!(toml::from_str::<RulePolicy>(bad_level).is_err());
        let unknown =
            "title='t'\nclause='c'\npublic_comment='OFF'\nofficial_post='OFF'\nstaff_content='OFF'\nextra=1";
        assert!(toml::from_str::<RulePolicy>(unknown).is_err());
        let missing = "title='t'\nclause='c'\npublic_comment='OFF'\nofficial_post='OFF'";
        assert!(toml::from_str::<RulePolicy>(missing).is_err());
        let bad_code = "[rules.PPI_NOPE]\ntitle='t'\nclause='c'\npublic_comment='OFF'\nofficial_post='OFF'\nstaff_content='OFF'";
        assert!(toml::from_str::<ScreeningPolicy>(bad_code).is_err());
    }

    #[test]
    fn validate_names_the_rule_and_checks_the_host() {
        let mut policy = from_profile(include_str!("../profiles/mt-doc.toml"));
        policy.rules.get_mut(&RuleCode::Obscene).unwrap().clause = " ".into();
        assert!(policy.validate().unwrap_err().contains("OBSCENE"));
        let mut policy = from_profile(include_str!("../profiles/mt-doc.toml"));
        policy.rules.remove(&RuleCode::MediaConsent);
        assert!(policy.validate().unwrap_err().contains("MEDIA_CONSENT"));
        for bad in [
            "",
            "COR.mt.gov",
            "cor",
            "https://cor.mt.gov",
            "cor..gov",
            "-a.gov",
            "a.123",
        ] {
            policy = from_profile(include_str!("../profiles/mt-doc.toml"));
            policy.website_host = bad.into();
            assert!(policy.validate().is_err(), "{bad}");
        }
    }
}
