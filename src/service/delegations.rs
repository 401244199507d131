//! Designees (IL 01.02.400 II.D): a director or PIO names a person to act for them for stated
//! responsibilities between two instants. A delegation stops at its end instant or when revoked,
//! with no job needed: every check reads the clock.

use chrono::{DateTime, Utc};
use entity::{delegation, user};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter,
};
use serde_json::json;

use crate::auth::{Principal, Role, UserStatus};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::Profiles;
use crate::policy::profile::Responsibility;
use crate::policy::quorum::Capacity;
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};

/// What `delegate` needs.
pub struct NewDelegation {
    /// The designee.
    pub to_user_id: i64,
    /// What they may do.
    pub responsibilities: Vec<Responsibility>,
    /// Start.
    pub valid_from: DateTime<Utc>,
    /// End (exclusive).
    pub valid_until: DateTime<Utc>,
    /// Why.
    pub reason: String,
}

/// Longest delegation accepted, days.
const MAX_DELEGATION_DAYS: i64 = 366;

/// Creates a delegation from the caller to another employee of the department.
pub async fn delegate(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    new: NewDelegation,
    meta: &RequestMeta,
) -> AppResult<delegation::Model> {
    let profile = profiles.of(&p.department_code)?;
    let clause = &profile.delegation.clause;
    if !matches!(p.role, Role::Director | Role::Pio) {
        return Err(AppError::forbidden_by(
            "only a director or PIO may name a designee",
            clause,
        ));
    }
    if new.responsibilities.is_empty() {
        return Err(AppError::BadUserInput("name at least one responsibility".into()));
    }
    let held = profile.responsibilities.get(&p.role).cloned().unwrap_or_default();
    if let Some(r) = new.responsibilities.iter().find(|r| !held.contains(r)) {
        return Err(AppError::forbidden_by(
            &format!(
                "you can delegate only your own responsibilities; {} is not yours",
                r.as_str()
            ),
            clause,
        ));
    }
    if let Some(r) = new
        .responsibilities
        .iter()
        .find(|r| profile.delegation.non_delegable.contains(r))
    {
        return Err(AppError::forbidden_by(
            &format!("the department does not allow delegating {}", r.as_str()),
            clause,
        ));
    }
    if new.valid_until <= new.valid_from {
        return Err(AppError::BadUserInput(
            "validUntil must be after validFrom".into(),
        ));
    }
    if (new.valid_until - new.valid_from).num_days() > MAX_DELEGATION_DAYS {
        return Err(AppError::BadUserInput(format!(
            "a delegation may cover at most {MAX_DELEGATION_DAYS} days"
        )));
    }
    if new.reason.trim().is_empty() {
        return Err(AppError::BadUserInput("give a reason".into()));
    }
    if new.to_user_id == p.user_id {
        return Err(AppError::BadUserInput("you cannot designate yourself".into()));
    }
    let to = user::Entity::find_by_id(new.to_user_id)
        .one(db)
        .await?
        .filter(|u| u.department_id == p.department_id)
        .ok_or(AppError::NotFound("user"))?;
    if to.status != UserStatus::Active.as_str() {
        return Err(AppError::BadUserInput(
            "the designee is not an active employee".into(),
        ));
    }
    let mut responsibilities: Vec<&str> = new.responsibilities.iter().map(|r| r.as_str()).collect();
    responsibilities.sort_unstable();
    responsibilities.dedup();
    let txn = begin_write(db).await?;
    let row = delegation::ActiveModel {
        department_id: Set(p.department_id),
        from_user_id: Set(p.user_id),
        to_user_id: Set(to.id),
        responsibilities: Set(json!(responsibilities).to_string()),
        valid_from: Set(new.valid_from),
        valid_until: Set(new.valid_until),
        reason: Set(new.reason.trim().to_owned()),
        revoked_at: Set(None),
        revoked_by_user_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "delegation.created",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Delegation", row.id)
    .detail(json!({
        "to_user_id": to.id,
        "responsibilities": responsibilities,
        "valid_from": row.valid_from,
        "valid_until": row.valid_until,
    }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// Revokes a delegation (by its delegator, or a director of the department). Idempotent.
pub async fn revoke(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    meta: &RequestMeta,
) -> AppResult<delegation::Model> {
    let profile = profiles.of(&p.department_code)?;
    let row = delegation::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|d| d.department_id == p.department_id)
        .ok_or(AppError::NotFound("delegation"))?;
    if row.from_user_id != p.user_id && p.role != Role::Director {
        return Err(AppError::forbidden_by(
            "only the person who delegated, or a director, may revoke a delegation",
            &profile.delegation.clause,
        ));
    }
    if row.revoked_at.is_some() {
        return Ok(row);
    }
    let txn = begin_write(db).await?;
    let mut active: delegation::ActiveModel = row.into();
    active.revoked_at = Set(Some(Utc::now()));
    active.revoked_by_user_id = Set(Some(p.user_id));
    let row = active.update(&txn).await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "delegation.revoked",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Delegation", row.id);
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// The responsibilities listed in a delegation row.
pub fn responsibilities_of(d: &delegation::Model) -> Vec<Responsibility> {
    serde_json::from_str(&d.responsibilities).unwrap_or_default()
}

/// Whether a delegation is live at `now`.
pub fn is_live(d: &delegation::Model, now: DateTime<Utc>) -> bool {
    d.revoked_at.is_none() && d.valid_from <= now && now < d.valid_until
}

/// Every way the caller can act for `what`: in person when their role holds it, and as
/// designee of each active delegator who holds it and delegated it to them. Own role first.
pub async fn capacities<C: ConnectionTrait>(
    db: &C,
    profiles: &Profiles,
    p: &Principal,
    what: Responsibility,
) -> AppResult<Vec<Capacity>> {
    let mut out = Vec::new();
    if profiles.holds(&p.department_code, p.role, what) {
        out.push(Capacity {
            role: p.role,
            authority_user_id: p.user_id,
            as_designee_of: None,
        });
    }
    let now = Utc::now();
    let rows = delegation::Entity::find()
        .filter(delegation::Column::ToUserId.eq(p.user_id))
        .filter(delegation::Column::DepartmentId.eq(p.department_id))
        .filter(delegation::Column::RevokedAt.is_null())
        .filter(delegation::Column::ValidFrom.lte(now))
        .filter(delegation::Column::ValidUntil.gt(now))
        .find_also_related(user::Entity)
        .all(db)
        .await?;
    for (d, from) in rows {
        let Some(from) = from else { continue };
        let Some(role) = Role::parse(&from.role) else {
            continue;
        };
        let live_delegator = from.status == UserStatus::Active.as_str();
        if live_delegator
            && responsibilities_of(&d).contains(&what)
            && profiles.holds(&p.department_code, role, what)
        {
            out.push(Capacity {
                role,
                authority_user_id: from.id,
                as_designee_of: Some(from.id),
            });
        }
    }
    Ok(out)
}
