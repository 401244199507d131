//! Violations (IL 01.02.400 II.G.6): findings against an employee, recorded and resolved by the
//! director or PIO; visible to the employee themself, the department's director and PIO only.

use chrono::Utc;
use entity::{user, violation};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::json;

use crate::auth::{Principal, Role, permissions};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::Profiles;
use crate::policy::screening::RuleCode;
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::service::paging::{Direction, Page, Window};

/// How a violation was resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ViolationOutcome {
    /// Nothing further.
    NoAction,
    /// Counseling.
    Counseling,
    /// Written reprimand.
    WrittenReprimand,
    /// Suspension.
    Suspension,
    /// Referred for discharge ("discipline up to, and including, discharge").
    DischargeReferral,
}

impl ViolationOutcome {
    /// Parses the stored name (its serde name, as `platforms::enum_name` writes it).
    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

fn require_manager(profiles: &Profiles, p: &Principal) -> AppResult<()> {
    let profile = profiles.of(&p.department_code)?;
    match p.role {
        Role::Director | Role::Pio => Ok(()),
        Role::Staff => Err(AppError::forbidden_by(
            "only the director or the PIO records and resolves violations",
            &profile.violations.clause,
        )),
    }
}

/// A violation to record.
pub struct NewViolation {
    /// The employee.
    pub user_id: i64,
    /// Rule codes broken.
    pub rule_codes: Vec<String>,
    /// Short subject.
    pub subject: String,
    /// What happened.
    pub description: String,
}

/// Records a violation against an employee of the department.
pub async fn record(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    new: NewViolation,
    meta: &RequestMeta,
) -> AppResult<violation::Model> {
    let NewViolation {
        user_id,
        rule_codes,
        subject,
        description,
    } = new;
    require_manager(profiles, p)?;
    let employee = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.department_id == p.department_id)
        .ok_or(AppError::NotFound("user"))?;
    if rule_codes.is_empty() {
        return Err(AppError::BadUserInput("name at least one rule code".into()));
    }
    if let Some(bad) = rule_codes.iter().find(|c| c.parse::<RuleCode>().is_err()) {
        return Err(AppError::BadUserInput(format!("unknown rule code {bad}")));
    }
    let (subject, description) = (subject.trim(), description.trim());
    if subject.is_empty() || description.is_empty() || subject.chars().count() > 500 {
        return Err(AppError::BadUserInput(
            "subject (1-500 characters) and description are required".into(),
        ));
    }
    let txn = begin_write(db).await?;
    let row = violation::ActiveModel {
        department_id: Set(p.department_id),
        user_id: Set(employee.id),
        rule_codes: Set(json!(rule_codes).to_string()),
        subject: Set(subject.to_owned()),
        description: Set(description.to_owned()),
        recorded_by_user_id: Set(p.user_id),
        status: Set("OPEN".into()),
        outcome: Set(None),
        resolution_note: Set(None),
        resolved_by_user_id: Set(None),
        resolved_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let hook = json!({ "violation_id": row.id, "user_id": employee.id, "rule_codes": rule_codes });
    crate::records::webhooks::enqueue(
        &txn,
        p.department_id,
        "violation.recorded",
        &format!("violation.recorded:{}", row.id),
        hook,
    )
    .await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "violation.recorded",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Violation", row.id)
    .detail(json!({ "user_id": employee.id, "rule_codes": rule_codes }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// Resolves an open violation.
pub async fn resolve(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    outcome: ViolationOutcome,
    note: &str,
    meta: &RequestMeta,
) -> AppResult<violation::Model> {
    require_manager(profiles, p)?;
    let current = find_visible(db, p, id).await?;
    let txn = begin_write(db).await?;
    let done = violation::Entity::update_many()
        .col_expr(violation::Column::Status, Expr::value("RESOLVED"))
        .col_expr(
            violation::Column::Outcome,
            Expr::value(super::platforms::enum_name(&outcome)),
        )
        .col_expr(violation::Column::ResolutionNote, Expr::value(note.trim()))
        .col_expr(violation::Column::ResolvedByUserId, Expr::value(p.user_id))
        .col_expr(violation::Column::ResolvedAt, Expr::value(Utc::now()))
        .filter(violation::Column::Id.eq(id))
        .filter(violation::Column::Status.eq("OPEN"))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::Conflict(format!("violation is {}", current.status)));
    }
    let hook = json!({ "violation_id": id, "user_id": current.user_id, "outcome": outcome });
    crate::records::webhooks::enqueue(
        &txn,
        p.department_id,
        "violation.resolved",
        &format!("violation.resolved:{id}"),
        hook,
    )
    .await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "violation.resolved",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Violation", id)
    .detail(json!({ "outcome": outcome }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    find_visible(db, p, id).await
}

/// A violation the caller may see: their own, or any of the department for director and PIO.
pub async fn find_visible(db: &DatabaseConnection, p: &Principal, id: i64) -> AppResult<violation::Model> {
    violation::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|v| v.department_id == p.department_id && (p.role != Role::Staff || v.user_id == p.user_id))
        .ok_or(AppError::NotFound("violation"))
}

/// A page of the violations the caller may see, newest first: (rows, more).
pub async fn page(
    db: &DatabaseConnection,
    p: &Principal,
    department_code: &str,
    user_id: Option<i64>,
    status: Option<&str>,
    window: Window,
) -> AppResult<Page<violation::Model>> {
    permissions::require_own_department(p, department_code)?;
    let mut q = violation::Entity::find().filter(violation::Column::DepartmentId.eq(p.department_id));
    if p.role == Role::Staff {
        q = q.filter(violation::Column::UserId.eq(p.user_id));
    } else if let Some(u) = user_id {
        q = q.filter(violation::Column::UserId.eq(u));
    }
    if let Some(s) = status {
        q = q.filter(violation::Column::Status.eq(s));
    }
    crate::service::paging::fetch(db, q, violation::Column::Id, Direction::Descending, window).await
}
