//! Department policy profiles: parsed from the embedded TOML files and validated at start-up.
//!
//! A malformed profile stops the server with an error that names the file and the field.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::screening::ScreeningPolicy;
use crate::auth::Role;

/// The profiles shipped in the binary: (file name, contents).
const EMBEDDED: [(&str, &str); 2] = [
    ("mt-doc.toml", include_str!("profiles/mt-doc.toml")),
    ("il-doc.toml", include_str!("profiles/il-doc.toml")),
];

/// A department's whole policy profile.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Who the department is.
    pub department: DepartmentInfo,
    /// Which directive the profile implements.
    pub directive: DirectiveInfo,
    /// Official platforms: purposes and approval quorum.
    pub platforms: PlatformRules,
    /// Which responsibilities each role holds.
    pub responsibilities: BTreeMap<Role, Vec<Responsibility>>,
    /// What may be delegated (IL 01.02.400 II.D).
    pub delegation: DelegationRules,
    /// Policy acknowledgements.
    pub acknowledgements: AcknowledgementRules,
    /// Posting authorizations.
    pub authorizations: AuthorizationRules,
    /// Official posts.
    pub posts: PostRules,
    /// Personal profiles used on duty.
    pub staff_profiles: ClauseOnly,
    /// Violations.
    pub violations: ClauseOnly,
    /// Public comments and moderation.
    pub comments: CommentRules,
    /// How long records are kept before they may be purged.
    pub retention: RetentionRules,
    /// Facility reviews.
    pub facility_reviews: FacilityReviewRules,
    /// Screening rule catalogue (website host filled in from `department`).
    pub screening: ScreeningPolicy,
    /// How employees provisioned by HR are classified.
    #[serde(default)]
    pub employees: EmployeeRules,
}

/// How an employee's employment type is set when HR provisions them (SCIM).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmployeeRules {
    /// The clause that defines the employment types, where the directive has one (IL 01.02.400
    /// II.E); cited when a provisioning request gives none and there is no default.
    pub employment_type_clause: Option<String>,
    /// The type given to an employee whose provisioning request names none (neither the
    /// project's extension nor the core `userType`), e.g. `FULL_TIME`.
    pub default_employment_type: Option<String>,
}

impl EmployeeRules {
    /// The default employment type, if the profile has one (validated at load).
    pub fn fallback(&self) -> Option<crate::auth::EmploymentType> {
        self.default_employment_type
            .as_deref()
            .and_then(crate::auth::EmploymentType::parse)
    }
}

/// Identity and contact details of a department.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentInfo {
    /// Stable code, e.g. `MT-DOC`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Official website host (no scheme), e.g. `cor.mt.gov`.
    pub website_host: String,
    /// Official website URL.
    pub website_url: String,
    /// Contact information shown on pages.
    pub contact: String,
    /// Logo URL.
    pub logo_url: String,
    /// Prefix of every clause citation, e.g. `IL 01.02.400`.
    pub citation_prefix: String,
    /// E-mail domains that are not personal (department or government).
    pub government_email_domains: Vec<String>,
}

/// The directive the profile implements.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectiveInfo {
    /// Title.
    pub title: String,
    /// Number.
    pub number: String,
    /// Effective date (ISO 8601), when the directive states one.
    pub effective: Option<chrono::NaiveDate>,
    /// Version string employees acknowledge.
    pub version: String,
}

/// One permitted platform purpose.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Stable code.
    pub code: String,
    /// Description.
    pub title: String,
    /// Clause that permits it.
    pub clause: String,
}

/// Platform rules.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformRules {
    /// Clause requiring approval.
    pub approval_clause: String,
    /// Clause requiring approval of changes.
    pub change_clause: String,
    /// Clause cited when a purpose is not permitted.
    pub purpose_clause: String,
    /// Clause on who activates, suspends and retires platforms.
    pub lifecycle_clause: String,
    /// Clause on who accepts terms of service.
    pub terms_clause: String,
    /// Seats of the quorum; each seat lists the roles that may fill it.
    pub quorum: Vec<Vec<Role>>,
    /// Permitted purposes.
    pub purposes: Vec<Purpose>,
    /// Elements a platform needs before it may go active.
    pub checklist: Vec<ChecklistRule>,
}

/// A required element of an official page.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistRule {
    /// Which element.
    pub element: ChecklistElement,
    /// The clause requiring it.
    pub clause: String,
}

/// Elements of the platform compliance checklist.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash, async_graphql::Enum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChecklistElement {
    /// A statement of the purpose and scope of the presence.
    PurposeScopeStatement,
    /// A link to the official website (or a subdomain).
    WebsiteLink,
    /// A statement that the Department maintains the page.
    MaintainedByStatement,
    /// The Department's logo.
    Logo,
    /// Contact information.
    ContactInfo,
    /// Terms of service accepted by the PIO.
    TermsAccepted,
    /// The approval quorum is complete.
    QuorumApproval,
}

/// Responsibilities a role holds and can delegate (IL 01.02.400 II.D).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord, async_graphql::Enum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Responsibility {
    /// Approve (or reject) platforms and their change requests.
    ApprovePlatforms,
    /// Approve official posts.
    ApprovePosts,
    /// Moderate public comments.
    ModerateComments,
    /// Grant posting authorizations.
    GrantAuthorizations,
    /// Record facility reviews.
    RecordReviews,
}

impl Responsibility {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ApprovePlatforms => "APPROVE_PLATFORMS",
            Self::ApprovePosts => "APPROVE_POSTS",
            Self::ModerateComments => "MODERATE_COMMENTS",
            Self::GrantAuthorizations => "GRANT_AUTHORIZATIONS",
            Self::RecordReviews => "RECORD_REVIEWS",
        }
    }
}

/// Delegation rules.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelegationRules {
    /// Clause that allows delegation.
    pub clause: String,
    /// Responsibilities that may not be delegated.
    pub non_delegable: Vec<Responsibility>,
}

/// Acknowledgement rules.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgementRules {
    /// Clause requiring employees to be informed.
    pub clause: String,
}

/// Rules of official posts.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostRules {
    /// Roles one of whom approves a post (one approval, never the author).
    pub approvers: Vec<Role>,
    /// Clause of post approval.
    pub approval_clause: String,
    /// Clause requiring consent for media depicting people.
    pub consent_clause: String,
}

/// Rules of public comments.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentRules {
    /// Publish comments with a CLEAR verdict on ingest (monitor after publication) or hold all.
    pub auto_publish_clear: bool,
    /// Clause of moderation.
    pub moderation_clause: String,
    /// Hide moderator identities from integration tokens.
    pub hide_moderator_names_from_integrations: bool,
    /// Canned public reasons per rule code; `{clause}` is replaced by the rule's clause.
    pub public_reasons: BTreeMap<super::screening::RuleCode, String>,
}

/// Retention periods, in days.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRules {
    /// Public comments (with decisions and appeals), from receipt.
    pub comments_days: u32,
    /// Ended posts (with versions, media, approvals), from creation.
    pub posts_days: u32,
    /// Refresh-token sessions, from expiry.
    pub sessions_days: u32,
}

/// A rule that is only a clause to cite.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseOnly {
    /// The clause.
    pub clause: String,
}

/// Posting-authorization rules.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizationRules {
    /// Longest period one written authorization may cover.
    pub max_days: u32,
    /// Clause that sets it.
    pub clause: String,
}

/// Facility review rules.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacilityReviewRules {
    /// Days between reviews.
    pub interval_days: u32,
    /// Days before the deadline from which a review is DUE.
    pub due_soon_days: u32,
    /// Clause that sets it.
    pub clause: String,
}

/// A profile that failed to load.
#[derive(Debug, thiserror::Error)]
#[error("policy profile {file}: {field}: {message}")]
pub struct ProfileError {
    /// File name.
    pub file: String,
    /// Field path (or `-` when the file does not parse at all).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl Profile {
    /// Parses and validates one profile file.
    pub fn parse(file: &str, text: &str) -> Result<Self, ProfileError> {
        let err = |field: &str, message: String| ProfileError {
            file: file.to_owned(),
            field: field.to_owned(),
            message,
        };
        let de = toml::Deserializer::parse(text).map_err(|e| err("-", e.to_string()))?;
        let mut profile: Profile = serde_path_to_error::deserialize(de).map_err(|e| {
            let field = e.path().to_string();
            err(&field, e.into_inner().message().to_owned())
        })?;
        profile.screening.website_host = profile.department.website_host.clone();
        profile
            .validate()
            .map_err(|(field, message)| err(&field, message))?;
        Ok(profile)
    }

    fn validate(&self) -> Result<(), (String, String)> {
        let fail = |field: &str, message: &str| Err((field.to_owned(), message.to_owned()));
        if let Some(t) = &self.employees.default_employment_type
            && crate::auth::EmploymentType::parse(t).is_none()
        {
            return fail(
                "employees.default_employment_type",
                "must be FULL_TIME, PART_TIME, CONDITIONAL, TEMPORARY or CONTRACTUAL",
            );
        }
        let d = &self.department;
        let code_ok = !d.code.is_empty()
            && d.code.len() <= 16
            && d.code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
        if !code_ok {
            return fail("department.code", "must be 1-16 of A-Z, 0-9 and '-'");
        }
        if !is_host(&d.website_host) {
            return fail(
                "department.website_host",
                "must be a lower-case host name such as cor.mt.gov",
            );
        }
        match url::Url::parse(&d.website_url) {
            Ok(u) if u.scheme() == "https" && u.host_str() == Some(d.website_host.as_str()) => {}
            _ => return fail("department.website_url", "must be an https URL on website_host"),
        }
        for (field, value) in [
            ("department.name", &d.name),
            ("department.contact", &d.contact),
            ("department.citation_prefix", &d.citation_prefix),
            ("directive.title", &self.directive.title),
            ("directive.version", &self.directive.version),
            ("platforms.approval_clause", &self.platforms.approval_clause),
            ("platforms.change_clause", &self.platforms.change_clause),
            ("platforms.purpose_clause", &self.platforms.purpose_clause),
            ("platforms.lifecycle_clause", &self.platforms.lifecycle_clause),
            ("platforms.terms_clause", &self.platforms.terms_clause),
            ("delegation.clause", &self.delegation.clause),
            ("acknowledgements.clause", &self.acknowledgements.clause),
            ("posts.approval_clause", &self.posts.approval_clause),
            ("posts.consent_clause", &self.posts.consent_clause),
            ("staff_profiles.clause", &self.staff_profiles.clause),
            ("violations.clause", &self.violations.clause),
            ("comments.moderation_clause", &self.comments.moderation_clause),
            ("authorizations.clause", &self.authorizations.clause),
            ("facility_reviews.clause", &self.facility_reviews.clause),
        ] {
            if value.trim().is_empty() {
                return fail(field, "must not be empty");
            }
        }
        if url::Url::parse(&d.logo_url)
            .map(|u| u.scheme() != "https")
            .unwrap_or(true)
        {
            return fail("department.logo_url", "must be an https URL");
        }
        if d.government_email_domains.iter().any(|h| !is_host(h)) {
            return fail(
                "department.government_email_domains",
                "each entry must be a lower-case domain",
            );
        }
        if self.platforms.quorum.is_empty() || self.platforms.quorum.iter().any(Vec::is_empty) {
            return fail(
                "platforms.quorum",
                "needs at least one seat, each with at least one role",
            );
        }
        if self.platforms.purposes.is_empty() {
            return fail("platforms.purposes", "needs at least one permitted purpose");
        }
        let mut seen = BTreeSet::new();
        for (i, p) in self.platforms.purposes.iter().enumerate() {
            if !is_code(&p.code) || !seen.insert(p.code.as_str()) {
                return fail(
                    &format!("platforms.purposes[{i}].code"),
                    "must be a unique UPPER_SNAKE code",
                );
            }
            if p.clause.trim().is_empty() || p.title.trim().is_empty() {
                return fail(
                    &format!("platforms.purposes[{i}]"),
                    "title and clause must not be empty",
                );
            }
        }
        for (i, c) in self.platforms.checklist.iter().enumerate() {
            if c.clause.trim().is_empty() {
                return fail(&format!("platforms.checklist[{i}].clause"), "must not be empty");
            }
        }
        if self
            .platforms
            .checklist
            .iter()
            .all(|c| c.element != ChecklistElement::QuorumApproval)
        {
            return fail("platforms.checklist", "must include QUORUM_APPROVAL");
        }
        for role in [Role::Director, Role::Pio] {
            if !self.responsibilities.contains_key(&role) {
                return fail(&format!("responsibilities.{}", role.as_str()), "missing");
            }
        }
        let approvers: BTreeSet<Role> = self
            .responsibilities
            .iter()
            .filter(|(_, r)| r.contains(&Responsibility::ApprovePlatforms))
            .map(|(role, _)| *role)
            .collect();
        if self
            .platforms
            .quorum
            .iter()
            .flatten()
            .any(|r| !approvers.contains(r))
        {
            return fail(
                "platforms.quorum",
                "every role in a seat must hold APPROVE_PLATFORMS",
            );
        }
        let post_approvers: BTreeSet<Role> = self
            .responsibilities
            .iter()
            .filter(|(_, r)| r.contains(&Responsibility::ApprovePosts))
            .map(|(role, _)| *role)
            .collect();
        if self.posts.approvers.is_empty() || self.posts.approvers.iter().any(|r| !post_approvers.contains(r))
        {
            return fail(
                "posts.approvers",
                "needs at least one role, each holding APPROVE_POSTS",
            );
        }
        for (field, days) in [
            ("retention.comments_days", self.retention.comments_days),
            ("retention.posts_days", self.retention.posts_days),
            ("retention.sessions_days", self.retention.sessions_days),
        ] {
            if days == 0 {
                return fail(field, "must be at least 1 day");
            }
        }
        if !(1..=3650).contains(&self.authorizations.max_days) {
            return fail("authorizations.max_days", "must be between 1 and 3650");
        }
        if self.facility_reviews.due_soon_days >= self.facility_reviews.interval_days {
            return fail(
                "facility_reviews.due_soon_days",
                "must be shorter than interval_days",
            );
        }
        if !(1..=3650).contains(&self.facility_reviews.interval_days) {
            return fail("facility_reviews.interval_days", "must be between 1 and 3650");
        }
        self.screening
            .validate()
            .map_err(|message| ("screening.rules".to_owned(), message))?;
        Ok(())
    }
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

fn is_host(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// Every loaded profile, by department code.
#[derive(Clone, Debug)]
pub struct Profiles {
    by_code: BTreeMap<String, Arc<Profile>>,
}

impl Profiles {
    /// Loads and validates the profiles embedded in the binary.
    pub fn embedded() -> Result<Self, ProfileError> {
        Self::from_sources(&EMBEDDED)
    }

    /// Loads and validates profiles from (file name, text) pairs; codes must be unique.
    pub fn from_sources(sources: &[(&str, &str)]) -> Result<Self, ProfileError> {
        let mut by_code = BTreeMap::new();
        for (file, text) in sources {
            let profile = Profile::parse(file, text)?;
            let code = profile.department.code.clone();
            if by_code.insert(code.clone(), Arc::new(profile)).is_some() {
                return Err(ProfileError {
                    file: (*file).to_owned(),
                    field: "department.code".into(),
                    message: format!("{code} is defined twice"),
                });
            }
        }
        Ok(Self { by_code })
    }

    /// Whether `role` holds `what` under this profile.
    pub fn holds(&self, code: &str, role: Role, what: Responsibility) -> bool {
        self.get(code)
            .and_then(|p| p.responsibilities.get(&role))
            .is_some_and(|r| r.contains(&what))
    }

    /// The profile of a department, or NOT_FOUND (how every request resolves its department).
    pub fn of(&self, code: &str) -> crate::error::AppResult<&Profile> {
        self.get(code)
            .map(|a| a.as_ref())
            .ok_or(crate::error::AppError::NotFound("department"))
    }

    /// The profile of a department.
    pub fn get(&self, code: &str) -> Option<&Arc<Profile>> {
        self.by_code.get(code)
    }

    /// Every profile, ordered by code.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Profile>> {
        self.by_code.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_profiles_load_and_carry_the_directive_quorums() {
        let profiles = Profiles::embedded().unwrap();
        let mt = profiles.get("MT-DOC").unwrap();
        let il = profiles.get("IL-DOC").unwrap();
        assert_eq!(mt.platforms.quorum, vec![vec![Role::Director, Role::Pio]]);
        assert_eq!(il.platforms.quorum, vec![vec![Role::Director], vec![Role::Pio]]);
        assert_eq!(mt.department.website_host, "cor.mt.gov");
        assert_eq!(il.facility_reviews.interval_days, 365);
        assert_eq!(
            il.directive.effective,
            chrono::NaiveDate::from_ymd_opt(2022, 9, 1)
        );
    }

    #[test]
    fn a_missing_field_names_file_and_field() {
        let text = EMBEDDED[0]
            .1
            .replace("name = \"Montana Department of Corrections\"\n", "");
        let err = Profile::parse("broken.toml", &text).unwrap_err();
        assert_eq!(err.file, "broken.toml");
        assert!(err.to_string().contains("department"), "{err}");
        assert!(err.message.contains("name"), "{err}");
    }

    #[test]
    fn a_wrong_type_names_the_field_path() {
        let text = EMBEDDED[1].1.replace("max_days = 365", "max_days = \"a year\"");
        let err = Profile::parse("il.toml", &text).unwrap_err();
        assert_eq!(err.field, "authorizations.max_days");
    }

    #[test]
    fn an_unknown_or_missing_rule_is_refused() {
        let text = EMBEDDED[0]
            .1
            .replace("[screening.rules.ADVERTISING]", "[screening.rules.ADVERTISING_X]");
        let err = Profile::parse("mt.toml", &text).unwrap_err();
        assert!(err.field.starts_with("screening.rules"), "{err}");
        let text = EMBEDDED[0]
            .1
            .replace("public_comment = \"REVIEW\"", "public_comment = \"SOMETIMES\"");
        let err = Profile::parse("mt.toml", &text).unwrap_err();
        assert!(err.message.contains("BLOCK, REVIEW or OFF"), "{err}");
    }

    #[test]
    fn an_empty_rule_clause_is_refused() {
        let text = EMBEDDED[1]
            .1
            .replace("clause = \"IL 01.02.400 II.G.3.b\"", "clause = \"\"");
        let err = Profile::parse("il.toml", &text).unwrap_err();
        assert_eq!(err.field, "screening.rules");
        assert!(err.message.contains("ADVERTISING"), "{err}");
    }

    #[test]
    fn an_unknown_role_in_the_quorum_is_refused() {
        let text = EMBEDDED[0]
            .1
            .replace("quorum = [[\"DIRECTOR\", \"PIO\"]]", "quorum = [[\"JANITOR\"]]");
        let err = Profile::parse("mt.toml", &text).unwrap_err();
        assert!(err.field.starts_with("platforms.quorum"), "{err}");
    }

    #[test]
    fn a_lookalike_website_url_is_refused() {
        let text = EMBEDDED[0]
            .1
            .replace("https://cor.mt.gov\"", "https://cor.mt.gov.evil.com\"");
        let err = Profile::parse("mt.toml", &text).unwrap_err();
        assert_eq!(err.field, "department.website_url");
    }
}
