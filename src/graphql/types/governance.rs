//! Delegations, facility reviews, acknowledgements and the approval inbox.

use async_graphql::{Context, ID, Object};
use chrono::{NaiveDate, Utc};
use entity::{delegation, facility_review, policy_acknowledgement};

use super::department::Facility;
use super::platform::describe_seats;
use super::user::User;
use super::user_by_id;
use crate::error::AppResult;
use crate::graphql::ids::{Kind, encode};
use crate::graphql::scalars::Timestamp;
use crate::policy::profile::Responsibility;
use crate::service::delegations::{is_live, responsibilities_of};
use crate::service::facility_reviews::{FacilityReviewState, ReviewStatus};
use crate::service::pending::{PendingItem, PendingKind};

/// A designation of a person to act for another (IL 01.02.400 II.D).
pub struct Delegation(pub delegation::Model);

#[Object]
impl Delegation {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Delegation, self.0.id)
    }

    /// Who delegates.
    async fn from(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.from_user_id)).await
    }

    /// The designee.
    async fn to(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.to_user_id)).await
    }

    /// What the designee may do.
    async fn responsibilities(&self) -> Vec<Responsibility> {
        responsibilities_of(&self.0)
    }

    /// Start.
    async fn valid_from(&self) -> Timestamp {
        Timestamp(self.0.valid_from)
    }

    /// End (exclusive).
    async fn valid_until(&self) -> Timestamp {
        Timestamp(self.0.valid_until)
    }

    /// Why.
    async fn reason(&self) -> &str {
        &self.0.reason
    }

    /// When revoked, if it was.
    async fn revoked_at(&self) -> Option<Timestamp> {
        self.0.revoked_at.map(Timestamp)
    }

    /// Whether it is in force now.
    async fn active(&self) -> bool {
        is_live(&self.0, Utc::now())
    }
}

/// A recorded facility review.
pub struct FacilityReview(pub facility_review::Model);

#[Object]
impl FacilityReview {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::FacilityReview, self.0.id)
    }

    /// Date of the review.
    async fn reviewed_on(&self) -> NaiveDate {
        self.0.reviewed_on
    }

    /// Findings.
    async fn findings(&self) -> &str {
        &self.0.findings
    }

    /// Who recorded it.
    async fn reviewer(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.reviewer_user_id)).await
    }

    /// Whose authority the reviewer used as designee.
    async fn as_designee_of(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, self.0.as_designee_of_user_id).await
    }
}

/// A facility with its review deadline (IL 01.02.400 II.C).
pub struct FacilityReviewStatus(pub FacilityReviewState);

#[Object]
impl FacilityReviewStatus {
    /// The facility.
    async fn facility(&self) -> Facility {
        Facility(self.0.facility.clone())
    }

    /// Its latest review.
    async fn last_review(&self) -> Option<FacilityReview> {
        self.0.last_review.clone().map(FacilityReview)
    }

    /// Deadline of the next review.
    async fn due_on(&self) -> NaiveDate {
        self.0.due_on
    }

    /// CURRENT, DUE or OVERDUE today.
    async fn status(&self) -> ReviewStatus {
        self.0.status
    }
}

/// An acknowledgement of the directive.
pub struct PolicyAcknowledgement(pub policy_acknowledgement::Model);

#[Object]
impl PolicyAcknowledgement {
    /// Version acknowledged.
    async fn version(&self) -> &str {
        &self.0.version
    }

    /// When.
    async fn acknowledged_at(&self) -> Timestamp {
        Timestamp(self.0.acknowledged_at)
    }
}

/// Something waiting for the caller's approval.
pub struct PendingApproval(pub PendingItem);

#[Object]
impl PendingApproval {
    /// Kind.
    async fn kind(&self) -> PendingKind {
        self.0.kind
    }

    /// The platform or change request.
    async fn subject_id(&self) -> ID {
        match self.0.kind {
            PendingKind::Platform => encode(Kind::Platform, self.0.subject_id),
            PendingKind::PlatformChange => encode(Kind::PlatformChangeRequest, self.0.subject_id),
        }
    }

    /// The platform or change request, as an object.
    async fn subject(&self, ctx: &Context<'_>) -> AppResult<Option<super::node::Node>> {
        let id = match self.0.kind {
            PendingKind::Platform => encode(Kind::Platform, self.0.subject_id),
            PendingKind::PlatformChange => encode(Kind::PlatformChangeRequest, self.0.subject_id),
        };
        crate::graphql::query::node::resolve(ctx, &id).await
    }

    /// For people.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// When submitted.
    async fn submitted_at(&self) -> Timestamp {
        Timestamp(self.0.submitted_at)
    }

    /// Who submitted it.
    async fn submitted_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.submitted_by)).await
    }

    /// Seats still open, e.g. `["DIRECTOR", "PIO"]`.
    async fn missing(&self) -> Vec<String> {
        describe_seats(&self.0.missing)
    }

    /// Whose seat the caller would fill as designee, if not their own.
    async fn as_designee_of(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, self.0.as_designee_of).await
    }
}
