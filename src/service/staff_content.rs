//! Reviews of employees' personal content brought to the PIO (MT IV.B.3): the text is screened
//! in the STAFF_CONTENT context and the outcome recorded. The record keeps the findings (with
//! masked excerpts) and a reference to the content, not the content itself.

use chrono::Utc;
use entity::{staff_content_review, user};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use serde_json::json;

use super::posts::findings_json;
use crate::auth::{Principal, Role};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::screening::{Context, RuleCode};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::state::AppState;

/// The PIO's conclusion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReviewOutcome {
    /// The content breaks nothing.
    NoViolation,
    /// The content breaks the directive.
    Violation,
}

/// What is reviewed.
pub struct StaffContent {
    /// The employee.
    pub staff_user_id: i64,
    /// Where the content is (URL or description).
    pub content_reference: String,
    /// The content's text, screened and not stored.
    pub text: String,
    /// The conclusion.
    pub outcome: ReviewOutcome,
    /// Notes.
    pub note: String,
}

/// Records a review (director or PIO).
pub async fn review(
    state: &AppState,
    p: &Principal,
    c: StaffContent,
    meta: &RequestMeta,
) -> AppResult<staff_content_review::Model> {
    let (db, profile) = (&state.db, state.profiles.of(&p.department_code)?);
    let clause = profile
        .screening
        .rules
        .get(&RuleCode::RepresentationClaim)
        .map(|r| r.clause.clone())
        .unwrap_or_default();
    if !matches!(p.role, Role::Director | Role::Pio) {
        return Err(AppError::forbidden_by(
            "only the director or the PIO reviews staff content",
            &clause,
        ));
    }
    let employee = user::Entity::find_by_id(c.staff_user_id)
        .one(db)
        .await?
        .filter(|u| u.department_id == p.department_id)
        .ok_or(AppError::NotFound("user"))?;
    let reference = c.content_reference.trim();
    if reference.is_empty() || reference.chars().count() > 1000 {
        return Err(AppError::BadUserInput(
            "contentReference must have 1-1000 characters".into(),
        ));
    }
    super::screening::check_size(&c.text)?;
    let result = state
        .screener
        .screen(
            p.department_id,
            &profile.screening,
            Context::StaffContent,
            &c.text,
        )
        .await?;
    let txn = begin_write(db).await?;
    let row = staff_content_review::ActiveModel {
        department_id: Set(p.department_id),
        staff_user_id: Set(employee.id),
        reviewer_user_id: Set(p.user_id),
        content_reference: Set(reference.to_owned()),
        outcome: Set(super::platforms::enum_name(&c.outcome)),
        note: Set(c.note.trim().to_owned()),
        findings: Set(findings_json(&result.findings).to_string()),
        screened_by: Set(Some(super::screening::provenance_json(&result.provenance))),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let rules: Vec<&str> = result.findings.iter().map(|f| f.rule.as_str()).collect();
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "staff_content.reviewed",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("User", employee.id)
    .detail(json!({ "outcome": c.outcome, "rules": rules }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}
