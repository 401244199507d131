//! Department policy profiles: parsed from the embedded TOML files and validated at start-up.
//!
//! A malformed profile stops the server with an error that names the file and the field.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use serde::Deserialize;

use super::screening::ScreeningPolicy;

mod rules;
use crate::auth::Role;
pub use rules::*;

/// The profiles shipped in the binary: (file name, contents).
const EMBEDDED: [(&str, &str); 2] = [
    ("mt-doc.toml", include_str!("../profiles/mt-doc.toml")),
    ("il-doc.toml", include_str!("../profiles/il-doc.toml")),
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
mod tests;
