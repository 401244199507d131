//! Governance mutations: platforms, change requests, designees, reviews, acknowledgements.
//! Every refusal by a rule is audited as DENIED.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::NaiveDate;

use crate::error::AppResult;
use crate::graphql::context::{principal, request, state};
use crate::graphql::ids::{self, Kind};
use crate::graphql::scalars::Timestamp;
use crate::graphql::types::governance::{Delegation, FacilityReview, PolicyAcknowledgement};
use crate::graphql::types::platform::{Platform, PlatformChangeRequest};
use crate::policy::profile::Responsibility;
use crate::service::delegations::{self, NewDelegation};
use crate::service::platform_changes::{self, Changes};
use crate::service::platform_rules::{Declared, Network};
use crate::service::platforms::{self, Move};
use crate::service::refusals::audited;
use crate::service::{acknowledgements, facility_reviews};

/// A proposed official platform.
#[derive(InputObject)]
pub struct ProposePlatformInput {
    /// Department code.
    pub department_code: String,
    /// Network.
    pub network: Network,
    /// Account handle.
    pub handle: String,
    /// Page URL.
    pub url: String,
    /// Purpose codes of the department's profile, as `platformPurposes` lists them (MT IV.A.1,
    /// IL 01.02.400 II.G.2).
    pub purposes: Vec<String>,
    /// Statement of purpose (IL 01.02.400 II.G.1.b).
    pub purpose_statement: String,
    /// Statement of scope (IL 01.02.400 II.G.1.b).
    pub scope_statement: String,
    /// Link to the official website (IL 01.02.400 II.G.1.c, MT IV.A.4).
    pub website_link: String,
    /// Maintained-by statement (IL 01.02.400 II.G.1.d).
    pub maintained_by_statement: String,
    /// Logo URL (IL 01.02.400 II.G.1.d).
    pub logo_url: String,
    /// Contact information (IL 01.02.400 II.G.1.d).
    pub contact_info: String,
}

/// A requested change of an approved platform (MT IV.A.2.b); absent fields stay as they are.
#[derive(InputObject)]
pub struct PlatformChangeInput {
    /// The platform.
    pub platform_id: ID,
    /// Why.
    pub summary: String,
    /// New network.
    pub network: Option<Network>,
    /// New handle.
    pub handle: Option<String>,
    /// New URL.
    pub url: Option<String>,
    /// New purpose codes (see `platformPurposes`).
    pub purposes: Option<Vec<String>>,
    /// New purpose statement.
    pub purpose_statement: Option<String>,
    /// New scope statement.
    pub scope_statement: Option<String>,
    /// New website link.
    pub website_link: Option<String>,
    /// New maintained-by statement.
    pub maintained_by_statement: Option<String>,
    /// New logo URL.
    pub logo_url: Option<String>,
    /// New contact information.
    pub contact_info: Option<String>,
}

/// A designation (IL 01.02.400 II.D).
#[derive(InputObject)]
pub struct DelegateInput {
    /// The designee.
    pub to_user_id: ID,
    /// What they may do for you.
    pub responsibilities: Vec<Responsibility>,
    /// Start.
    pub valid_from: Timestamp,
    /// End (exclusive).
    pub valid_until: Timestamp,
    /// Why.
    pub reason: String,
}

/// A facility review (IL 01.02.400 II.C).
#[derive(InputObject)]
pub struct RecordFacilityReviewInput {
    /// The facility.
    pub facility_id: ID,
    /// Date of the review.
    pub reviewed_on: NaiveDate,
    /// Findings.
    pub findings: String,
}

/// Governance write operations.
#[derive(Default)]
pub struct GovernanceMutation;

#[Object]
impl GovernanceMutation {
    /// Proposes an official platform (any employee, IL 01.02.400 II.F.3).
    async fn propose_platform(&self, ctx: &Context<'_>, input: ProposePlatformInput) -> AppResult<Platform> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let d = Declared {
            network: input.network,
            handle: input.handle,
            url: input.url,
            purposes: input.purposes,
            purpose_statement: input.purpose_statement,
            scope_statement: input.scope_statement,
            website_link: input.website_link,
            maintained_by_statement: input.maintained_by_statement,
            logo_url: input.logo_url,
            contact_info: input.contact_info,
        };
        let r = platforms::propose(&st.db, &st.profiles, p, &input.department_code, d, meta).await;
        audited(&st.db, p, "platform.propose", None, meta, r)
            .await
            .map(Platform)
    }

    /// Approves a proposed platform, filling one seat of the department's quorum.
    async fn approve_platform(&self, ctx: &Context<'_>, id: ID, note: Option<String>) -> AppResult<Platform> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Platform)?;
        let r = platforms::approve(&st.db, &st.profiles, p, id, note, meta).await;
        audited(&st.db, p, "platform.approve", Some(("Platform", id)), meta, r)
            .await
            .map(Platform)
    }

    /// Rejects a proposed platform with a reason.
    async fn reject_platform(&self, ctx: &Context<'_>, id: ID, reason: String) -> AppResult<Platform> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Platform)?;
        let r = platforms::reject(&st.db, &st.profiles, p, id, &reason, meta).await;
        audited(&st.db, p, "platform.reject", Some(("Platform", id)), meta, r)
            .await
            .map(Platform)
    }

    /// Makes an approved (or suspended) platform active once its checklist is complete.
    async fn activate_platform(&self, ctx: &Context<'_>, id: ID) -> AppResult<Platform> {
        self.lifecycle(ctx, id, Move::Activate, None, "platform.activate")
            .await
    }

    /// Suspends an active platform.
    async fn suspend_platform(&self, ctx: &Context<'_>, id: ID, reason: String) -> AppResult<Platform> {
        self.lifecycle(ctx, id, Move::Suspend, Some(reason), "platform.suspend")
            .await
    }

    /// Retires a platform for good.
    async fn retire_platform(&self, ctx: &Context<'_>, id: ID, reason: String) -> AppResult<Platform> {
        self.lifecycle(ctx, id, Move::Retire, Some(reason), "platform.retire")
            .await
    }

    /// Records the PIO's acceptance of the platform's terms of service (IL 01.02.400 II.F.2).
    async fn accept_platform_terms(
        &self,
        ctx: &Context<'_>,
        id: ID,
        terms_url: String,
        terms_version: String,
    ) -> AppResult<Platform> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Platform)?;
        let r = platforms::accept_terms(&st.db, &st.profiles, p, id, &terms_url, &terms_version, meta).await;
        audited(
            &st.db,
            p,
            "platform.accept_terms",
            Some(("Platform", id)),
            meta,
            r,
        )
        .await
        .map(Platform)
    }

    /// Requests a modification or expansion of an approved platform (MT IV.A.2.b).
    async fn request_platform_change(
        &self,
        ctx: &Context<'_>,
        input: PlatformChangeInput,
    ) -> AppResult<PlatformChangeRequest> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let platform_id = ids::decode(&input.platform_id, Kind::Platform)?;
        let changes = Changes {
            network: input.network,
            handle: input.handle,
            url: input.url,
            purposes: input.purposes,
            purpose_statement: input.purpose_statement,
            scope_statement: input.scope_statement,
            website_link: input.website_link,
            maintained_by_statement: input.maintained_by_statement,
            logo_url: input.logo_url,
            contact_info: input.contact_info,
        };
        let r = platform_changes::request(
            &st.db,
            &st.profiles,
            p,
            platform_id,
            &input.summary,
            changes,
            meta,
        )
        .await;
        audited(
            &st.db,
            p,
            "platform.request_change",
            Some(("Platform", platform_id)),
            meta,
            r,
        )
        .await
        .map(PlatformChangeRequest)
    }

    /// Approves a change request; the last seat applies it as a new version.
    async fn approve_platform_change(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: Option<String>,
    ) -> AppResult<PlatformChangeRequest> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::PlatformChangeRequest)?;
        let r = platform_changes::approve(&st.db, &st.profiles, p, id, note, meta).await;
        audited(
            &st.db,
            p,
            "platform.approve_change",
            Some(("PlatformChangeRequest", id)),
            meta,
            r,
        )
        .await
        .map(PlatformChangeRequest)
    }

    /// Rejects a change request with a reason.
    async fn reject_platform_change(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> AppResult<PlatformChangeRequest> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::PlatformChangeRequest)?;
        let r = platform_changes::reject(&st.db, &st.profiles, p, id, &reason, meta).await;
        audited(
            &st.db,
            p,
            "platform.reject_change",
            Some(("PlatformChangeRequest", id)),
            meta,
            r,
        )
        .await
        .map(PlatformChangeRequest)
    }

    /// Names a designee for some of the caller's responsibilities (IL 01.02.400 II.D).
    async fn delegate(&self, ctx: &Context<'_>, input: DelegateInput) -> AppResult<Delegation> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let new = NewDelegation {
            to_user_id: ids::decode(&input.to_user_id, Kind::User)?,
            responsibilities: input.responsibilities,
            valid_from: input.valid_from.0,
            valid_until: input.valid_until.0,
            reason: input.reason,
        };
        let r = delegations::delegate(&st.db, &st.profiles, p, new, meta).await;
        audited(&st.db, p, "delegation.create", None, meta, r)
            .await
            .map(Delegation)
    }

    /// Revokes a delegation at once.
    async fn revoke_delegation(&self, ctx: &Context<'_>, id: ID) -> AppResult<Delegation> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Delegation)?;
        let r = delegations::revoke(&st.db, &st.profiles, p, id, meta).await;
        audited(&st.db, p, "delegation.revoke", Some(("Delegation", id)), meta, r)
            .await
            .map(Delegation)
    }

    /// Records a facility review (IL 01.02.400 II.C).
    async fn record_facility_review(
        &self,
        ctx: &Context<'_>,
        input: RecordFacilityReviewInput,
    ) -> AppResult<FacilityReview> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let facility_id = ids::decode(&input.facility_id, Kind::Facility)?;
        let r = facility_reviews::record(
            &st.db,
            &st.profiles,
            p,
            facility_id,
            input.reviewed_on,
            &input.findings,
            meta,
        )
        .await;
        audited(
            &st.db,
            p,
            "facility.review",
            Some(("Facility", facility_id)),
            meta,
            r,
        )
        .await
        .map(FacilityReview)
    }

    /// Acknowledges the directive version in force (IL 01.02.400 II.F.1).
    async fn acknowledge_policy(
        &self,
        ctx: &Context<'_>,
        version: String,
    ) -> AppResult<PolicyAcknowledgement> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let r = acknowledgements::acknowledge(&st.db, &st.profiles, p, &version, meta).await;
        r.map(PolicyAcknowledgement)
    }
}

impl GovernanceMutation {
    async fn lifecycle(
        &self,
        ctx: &Context<'_>,
        id: ID,
        mv: Move,
        reason: Option<String>,
        action: &'static str,
    ) -> AppResult<Platform> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Platform)?;
        let r = platforms::change_lifecycle(&st.db, &st.profiles, p, id, mv, reason.as_deref(), meta).await;
        audited(&st.db, p, action, Some(("Platform", id)), meta, r)
            .await
            .map(Platform)
    }
}
