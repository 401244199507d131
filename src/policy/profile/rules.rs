//! The rule sections of a profile: platforms, roles, delegation, posts, comments, retention,
//! employees. Each names the clause it enforces.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::auth::Role;

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
    pub public_reasons: BTreeMap<crate::policy::screening::RuleCode, String>,
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
