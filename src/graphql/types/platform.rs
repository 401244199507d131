//! `Platform` and what hangs off it: approvals, checklist, versions, change requests.

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::{approval, platform, platform_change_request, platform_version};

use super::policy_rule::PlatformPurpose;
use super::user::User;
use super::{load_failed, loader, user_by_id};
use crate::auth::Role;
use crate::error::{AppError, AppResult};
use crate::graphql::context::state;
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::{ApprovalsOf, ChangeRequestsOf, VersionsOf};
use crate::graphql::scalars::Timestamp;
use crate::policy::profile::ChecklistElement;
use crate::policy::quorum::missing_seats;
use crate::service::approvals::{Subject, filled};
use crate::service::platform_rules::{Network, PlatformStatus};
use crate::service::platforms::{checklist_of, declared, status};

/// An official site, page or account of the department.
pub struct Platform(pub platform::Model);

#[Object]
impl Platform {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Platform, self.0.id)
    }

    /// Lifecycle state.
    async fn status(&self) -> AppResult<PlatformStatus> {
        status(&self.0)
    }

    /// Why it was rejected, suspended or retired.
    async fn status_reason(&self) -> Option<&str> {
        self.0.status_reason.as_deref()
    }

    /// Network.
    async fn network(&self) -> Network {
        declared(&self.0).network
    }

    /// Handle.
    async fn handle(&self) -> &str {
        &self.0.handle
    }

    /// Page URL.
    async fn url(&self) -> &str {
        &self.0.url
    }

    /// Declared purpose codes (MT IV.A.1, IL 01.02.400 II.G.2).
    async fn purposes(&self) -> Vec<String> {
        declared(&self.0).purposes
    }

    /// The declared purposes as the department's profile states them, with their clauses.
    async fn purpose_details(&self, ctx: &Context<'_>) -> AppResult<Vec<PlatformPurpose>> {
        let profile = profile_for(ctx, self.0.department_id).await?;
        let declared = declared(&self.0).purposes;
        Ok(profile
            .platforms
            .purposes
            .iter()
            .filter(|p| declared.contains(&p.code))
            .map(PlatformPurpose::from)
            .collect())
    }

    /// Statement of purpose.
    async fn purpose_statement(&self) -> &str {
        &self.0.purpose_statement
    }

    /// Statement of scope.
    async fn scope_statement(&self) -> &str {
        &self.0.scope_statement
    }

    /// Link to the official website.
    async fn website_link(&self) -> &str {
        &self.0.website_link
    }

    /// Maintained-by statement.
    async fn maintained_by_statement(&self) -> &str {
        &self.0.maintained_by_statement
    }

    /// Logo URL.
    async fn logo_url(&self) -> &str {
        &self.0.logo_url
    }

    /// Contact information.
    async fn contact_info(&self) -> &str {
        &self.0.contact_info
    }

    /// Current version number.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Who proposed it.
    async fn proposed_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.proposed_by_user_id)).await
    }

    /// When it was proposed.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    /// Terms of service acceptance by the PIO (IL 01.02.400 II.F.2), if recorded.
    async fn terms_acceptance(&self) -> Option<TermsAcceptance> {
        Some(TermsAcceptance {
            accepted_by_id: self.0.terms_accepted_by_user_id?,
            accepted_at: Timestamp(self.0.terms_accepted_at?),
            terms_version: self.0.terms_version.clone().unwrap_or_default(),
            terms_url: self.0.terms_url.clone().unwrap_or_default(),
        })
    }

    /// Each required element with met/unmet and its clause.
    async fn compliance_checklist(&self, ctx: &Context<'_>) -> AppResult<Vec<ChecklistItem>> {
        let profile = profile_for(ctx, self.0.department_id).await?;
        Ok(checklist_of(&profile, &self.0)?
            .into_iter()
            .map(|l| ChecklistItem {
                element: l.element,
                met: l.met,
                clause: l.clause,
            })
            .collect())
    }

    /// Approvals recorded, oldest first.
    async fn approvals(&self, ctx: &Context<'_>) -> AppResult<Vec<Approval>> {
        approvals(ctx, Subject::Platform, self.0.id).await
    }

    /// Seats of the quorum still open, e.g. `["DIRECTOR", "PIO"]` or `["DIRECTOR or PIO"]`.
    async fn missing_approvals(&self, ctx: &Context<'_>) -> AppResult<Vec<String>> {
        if status(&self.0)? != PlatformStatus::Proposed {
            return Ok(Vec::new());
        }
        let rows = approval_rows(ctx, Subject::Platform, self.0.id).await?;
        let profile = profile_for(ctx, self.0.department_id).await?;
        Ok(describe_seats(&missing_seats(
            &profile.platforms.quorum,
            &filled(&rows),
        )))
    }

    /// Change requests waiting for their quorum.
    async fn pending_change_requests(&self, ctx: &Context<'_>) -> AppResult<Vec<PlatformChangeRequest>> {
        Ok(change_requests(ctx, self.0.id)
            .await?
            .into_iter()
            .filter(|c| c.status == "PENDING")
            .map(PlatformChangeRequest)
            .collect())
    }

    /// Every change request, decided or not.
    async fn change_requests(&self, ctx: &Context<'_>) -> AppResult<Vec<PlatformChangeRequest>> {
        Ok(change_requests(ctx, self.0.id)
            .await?
            .into_iter()
            .map(PlatformChangeRequest)
            .collect())
    }

    /// Every version of the declared content, oldest first.
    async fn versions(&self, ctx: &Context<'_>) -> AppResult<Vec<PlatformVersion>> {
        let rows = loader(ctx)?
            .load_one(VersionsOf(self.0.id))
            .await
            .map_err(load_failed)?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(PlatformVersion)
            .collect())
    }
}

async fn profile_for(
    ctx: &Context<'_>,
    department_id: i64,
) -> AppResult<std::sync::Arc<crate::policy::Profile>> {
    let dept = loader(ctx)?
        .load_one(crate::graphql::loaders::DepartmentId(department_id))
        .await
        .map_err(load_failed)?
        .ok_or_else(|| AppError::from(anyhow::anyhow!("department {department_id} missing")))?;
    state(ctx)?
        .profiles
        .get(&dept.code)
        .cloned()
        .ok_or_else(|| AppError::from(anyhow::anyhow!("no profile for {}", dept.code)))
}

async fn approval_rows(ctx: &Context<'_>, subject: Subject, id: i64) -> AppResult<Vec<approval::Model>> {
    Ok(loader(ctx)?
        .load_one(ApprovalsOf(subject.as_str(), id))
        .await
        .map_err(load_failed)?
        .unwrap_or_default())
}

async fn approvals(ctx: &Context<'_>, subject: Subject, id: i64) -> AppResult<Vec<Approval>> {
    Ok(approval_rows(ctx, subject, id)
        .await?
        .into_iter()
        .map(Approval)
        .collect())
}

async fn change_requests(
    ctx: &Context<'_>,
    platform_id: i64,
) -> AppResult<Vec<platform_change_request::Model>> {
    Ok(loader(ctx)?
        .load_one(ChangeRequestsOf(platform_id))
        .await
        .map_err(load_failed)?
        .unwrap_or_default())
}

/// Seats for people: each seat's roles joined by "or".
pub fn describe_seats(seats: &[Vec<Role>]) -> Vec<String> {
    seats
        .iter()
        .map(|s| s.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(" or "))
        .collect()
}

/// One approval filling one seat.
pub struct Approval(pub approval::Model);

#[Object]
impl Approval {
    /// Who approved.
    async fn approver(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.approver_user_id)).await
    }

    /// Role whose seat was filled.
    async fn role(&self) -> AppResult<Role> {
        Role::parse(&self.0.approver_role)
            .ok_or_else(|| AppError::from(anyhow::anyhow!("approval {} has an unknown role", self.0.id)))
    }

    /// Whose authority was used, when the approver acted as designee ("by X as designee of Y").
    async fn as_designee_of(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, self.0.as_designee_of_user_id).await
    }

    /// Seat index in the quorum.
    async fn seat(&self) -> i32 {
        self.0.seat
    }

    /// Approver's note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// When.
    async fn at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }
}

/// One line of the compliance checklist.
#[derive(SimpleObject)]
pub struct ChecklistItem {
    /// Element.
    pub element: ChecklistElement,
    /// Whether it is met.
    pub met: bool,
    /// The clause requiring it.
    pub clause: String,
}

/// Terms-of-service acceptance.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct TermsAcceptance {
    #[graphql(skip)]
    accepted_by_id: i64,
    /// When.
    pub accepted_at: Timestamp,
    /// Version of the terms.
    pub terms_version: String,
    /// Where the terms are published.
    pub terms_url: String,
}

#[async_graphql::ComplexObject]
impl TermsAcceptance {
    /// The PIO who accepted them.
    async fn accepted_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.accepted_by_id)).await
    }
}

/// One version of a platform's declared content.
pub struct PlatformVersion(pub platform_version::Model);

#[Object]
impl PlatformVersion {
    /// Version number.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The declared fields at this version, as JSON text.
    async fn snapshot(&self) -> &str {
        &self.0.snapshot
    }

    /// The change request that produced it (none for the proposal).
    async fn change_request_id(&self) -> Option<ID> {
        self.0
            .change_request_id
            .map(|id| encode(Kind::PlatformChangeRequest, id))
    }

    /// Who caused it.
    async fn created_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.created_by_user_id)).await
    }

    /// When it took effect.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }
}

/// A requested modification or expansion of a platform (MT IV.A.2.b).
pub struct PlatformChangeRequest(pub platform_change_request::Model);

#[Object]
impl PlatformChangeRequest {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::PlatformChangeRequest, self.0.id)
    }

    /// The platform.
    async fn platform_id(&self) -> ID {
        encode(Kind::Platform, self.0.platform_id)
    }

    /// The platform, as an object.
    async fn platform(&self, ctx: &Context<'_>) -> AppResult<Option<Platform>> {
        Ok(loader(ctx)?
            .load_one(crate::graphql::loaders::PlatformId(self.0.platform_id))
            .await
            .map_err(load_failed)?
            .filter(|p| p.department_id == self.0.department_id)
            .map(Platform))
    }

    /// Where it stands.
    async fn status(&self) -> AppResult<crate::graphql::types::codes::ChangeRequestStatus> {
        crate::graphql::types::codes::known(
            crate::graphql::types::codes::ChangeRequestStatus::parse,
            "change request",
            self.0.id,
            &self.0.status,
        )
    }

    /// The requested changes as JSON text (only the fields that change).
    async fn changes(&self) -> &str {
        &self.0.changes
    }

    /// Why, in the requester's words.
    async fn summary(&self) -> &str {
        &self.0.summary
    }

    /// Platform version the request was made against.
    async fn base_version(&self) -> i32 {
        self.0.base_version
    }

    /// Rejection reason.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// Who asked.
    async fn requested_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.requested_by_user_id)).await
    }

    /// Approvals recorded.
    async fn approvals(&self, ctx: &Context<'_>) -> AppResult<Vec<Approval>> {
        approvals(ctx, Subject::PlatformChange, self.0.id).await
    }

    /// When requested.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    /// When decided.
    async fn decided_at(&self) -> Option<Timestamp> {
        self.0.decided_at.map(Timestamp)
    }
}
