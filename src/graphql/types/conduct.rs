//! Staff conduct on social media: registered personal profiles, reviews of staff content,
//! violations.

use async_graphql::{Context, ID, Object};
use entity::{staff_content_review, staff_profile, violation};

use super::screening::{Finding, ScreeningProvenance, stored_findings, stored_provenance};
use super::user::User;
use super::user_by_id;
use crate::error::AppResult;
use crate::graphql::ids::{Kind, encode};
use crate::graphql::scalars::Timestamp;

/// A personal profile an employee uses on duty (MT IV.B.1).
pub struct StaffProfile(pub staff_profile::Model);

#[Object]
impl StaffProfile {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::StaffProfile, self.0.id)
    }

    /// The employee.
    async fn user(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.user_id)).await
    }

    /// Network.
    async fn network(&self) -> &str {
        &self.0.network
    }

    /// Handle.
    async fn handle(&self) -> &str {
        &self.0.handle
    }

    /// The personal address it is registered with.
    async fn personal_email(&self) -> &str {
        &self.0.personal_email
    }
}

/// A review of an employee's personal content (MT IV.B.3).
pub struct StaffContentReview(pub staff_content_review::Model);

#[Object]
impl StaffContentReview {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::StaffContentReview, self.0.id)
    }

    /// The employee.
    async fn staff(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.staff_user_id)).await
    }

    /// Who reviewed.
    async fn reviewer(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.reviewer_user_id)).await
    }

    /// Where the content is.
    async fn content_reference(&self) -> &str {
        &self.0.content_reference
    }

    /// What the review found.
    async fn outcome(&self) -> AppResult<crate::graphql::types::codes::StaffContentOutcome> {
        crate::graphql::types::codes::known(
            crate::graphql::types::codes::StaffContentOutcome::parse,
            "staff content review",
            self.0.id,
            &self.0.outcome,
        )
    }

    /// Notes.
    async fn note(&self) -> &str {
        &self.0.note
    }

    /// What screening found (excerpts masked).
    async fn findings(&self) -> Vec<Finding> {
        stored_findings(Some(&self.0.findings))
    }

    /// What produced the screening.
    async fn screened_by(&self) -> Option<ScreeningProvenance> {
        stored_provenance(self.0.screened_by.as_deref())
    }
}

/// A violation (IL 01.02.400 II.G.6).
pub struct Violation(pub violation::Model);

#[Object]
impl Violation {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Violation, self.0.id)
    }

    /// The employee.
    async fn user(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.user_id)).await
    }

    /// Rule codes broken.
    async fn rule_codes(&self) -> Vec<String> {
        serde_json::from_str(&self.0.rule_codes).unwrap_or_default()
    }

    /// Subject.
    async fn subject(&self) -> &str {
        &self.0.subject
    }

    /// What happened.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Who recorded it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.recorded_by_user_id)).await
    }

    /// Where it stands.
    async fn status(&self) -> AppResult<crate::graphql::types::codes::ViolationStatus> {
        crate::graphql::types::codes::known(
            crate::graphql::types::codes::ViolationStatus::parse,
            "violation",
            self.0.id,
            &self.0.status,
        )
    }

    /// Outcome, once resolved.
    async fn outcome(&self) -> AppResult<Option<crate::service::violations::ViolationOutcome>> {
        self.0
            .outcome
            .as_deref()
            .map(|o| {
                crate::graphql::types::codes::known(
                    crate::service::violations::ViolationOutcome::parse,
                    "violation",
                    self.0.id,
                    o,
                )
            })
            .transpose()
    }

    /// Resolution note.
    async fn resolution_note(&self) -> Option<&str> {
        self.0.resolution_note.as_deref()
    }

    /// When recorded.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    /// When resolved.
    async fn resolved_at(&self) -> Option<Timestamp> {
        self.0.resolved_at.map(Timestamp)
    }
}
