//! Posting authorizations (IL 01.02.400 II.G.5.a-b, II.F.3): written approval for a specified
//! period, naming the platforms, renewable, revocable. Status is computed from the clock, so an
//! authorization stops working at its end instant with no job.

use chrono::{DateTime, Duration, Utc};
use entity::{authorization_platform, platform, posting_authorization, user};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    ExprTrait, QueryFilter,
};
use serde_json::json;

use super::delegations;
use super::platform_rules::PlatformStatus;
use crate::auth::{Principal, Role, UserStatus, permissions};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::Profiles;
use crate::policy::profile::Responsibility;
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::service::paging::{Direction, Page, Window};

/// Where an authorization stands at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum AuthorizationStatus {
    /// Not started yet.
    Pending,
    /// In force.
    Active,
    /// Past its end instant.
    Expired,
    /// Revoked.
    Revoked,
}

/// The status of an authorization at `now`, pure.
pub fn status_at(a: &posting_authorization::Model, now: DateTime<Utc>) -> AuthorizationStatus {
    if a.revoked_at.is_some() {
        AuthorizationStatus::Revoked
    } else if now < a.valid_from {
        AuthorizationStatus::Pending
    } else if now >= a.valid_until {
        AuthorizationStatus::Expired
    } else {
        AuthorizationStatus::Active
    }
}

/// A grant request.
pub struct Grant {
    /// The employee.
    pub user_id: i64,
    /// Platforms it covers.
    pub platform_ids: Vec<i64>,
    /// Start.
    pub valid_from: DateTime<Utc>,
    /// End (exclusive).
    pub valid_until: DateTime<Utc>,
    /// Reference of the written approval (memo number, document id).
    pub approval_reference: String,
}

/// Grants a written authorization (the PIO, or whoever holds GRANT_AUTHORIZATIONS by profile or
/// as designee).
pub async fn grant(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    g: Grant,
    renewed_from: Option<i64>,
    meta: &RequestMeta,
) -> AppResult<posting_authorization::Model> {
    let profile = profiles.of(&p.department_code)?;
    let clause = &profile.authorizations.clause;
    let caps = delegations::capacities(db, profiles, p, Responsibility::GrantAuthorizations).await?;
    let Some(cap) = caps.first().cloned() else {
        return Err(AppError::forbidden_by(
            "you may not grant posting authorizations",
            clause,
        ));
    };
    if g.valid_until <= g.valid_from {
        return Err(AppError::BadUserInput(
            "validUntil must be after validFrom".into(),
        ));
    }
    let max = Duration::days(i64::from(profile.authorizations.max_days));
    if g.valid_until - g.valid_from > max {
        return Err(AppError::BadUserInput(format!(
            "an authorization covers at most {} days ({clause})",
            profile.authorizations.max_days
        )));
    }
    let reference = g.approval_reference.trim();
    if reference.is_empty() || reference.chars().count() > 500 {
        return Err(AppError::BadUserInput(format!(
            "approvalReference must name the written approval, 1-500 characters ({clause})"
        )));
    }
    let mut platform_ids = g.platform_ids.clone();
    platform_ids.sort_unstable();
    platform_ids.dedup();
    if platform_ids.is_empty() {
        return Err(AppError::BadUserInput("name at least one platform".into()));
    }
    let employee = user::Entity::find_by_id(g.user_id)
        .one(db)
        .await?
        .filter(|u| u.department_id == p.department_id)
        .ok_or(AppError::NotFound("user"))?;
    if employee.status != UserStatus::Active.as_str() {
        return Err(AppError::BadUserInput("the employee is not active".into()));
    }
    let found = platform::Entity::find()
        .filter(platform::Column::Id.is_in(platform_ids.clone()))
        .filter(platform::Column::DepartmentId.eq(p.department_id))
        .all(db)
        .await?;
    if found.len() != platform_ids.len() {
        return Err(AppError::NotFound("platform"));
    }
    if let Some(x) = found.iter().find(|x| x.status != PlatformStatus::Active.as_str()) {
        return Err(AppError::BadUserInput(format!(
            "platform {} is {}; authorizations cover only ACTIVE platforms (IL 01.02.400 II.G.5.b)",
            x.handle, x.status
        )));
    }
    let txn = begin_write(db).await?;
    let row = posting_authorization::ActiveModel {
        department_id: Set(p.department_id),
        user_id: Set(employee.id),
        granted_by_user_id: Set(p.user_id),
        as_designee_of_user_id: Set(cap.as_designee_of),
        valid_from: Set(g.valid_from),
        valid_until: Set(g.valid_until),
        approval_reference: Set(reference.to_owned()),
        renewed_from_id: Set(renewed_from),
        revoked_at: Set(None),
        revoked_by_user_id: Set(None),
        revoke_reason: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    authorization_platform::Entity::insert_many(platform_ids.iter().map(|pid| {
        authorization_platform::ActiveModel {
            authorization_id: Set(row.id),
            platform_id: Set(*pid),
            ..Default::default()
        }
    }))
    .exec(&txn)
    .await?;
    let action = if renewed_from.is_some() {
        "authorization.renewed"
    } else {
        "authorization.granted"
    };
    let hook = json!({ "authorization_id": row.id, "user_id": employee.id, "valid_from": row.valid_from, "valid_until": row.valid_until });
    crate::records::webhooks::enqueue(
        &txn,
        p.department_id,
        "authorization.granted",
        &format!("authorization.granted:{}", row.id),
        hook,
    )
    .await?;
    let mut ev = NewEvent::department(&p.department_code, p.department_id, action, Outcome::Success)
        .actor(p.user_id)
        .subject("Authorization", row.id)
        .detail(json!({
            "user_id": employee.id, "platform_ids": platform_ids, "valid_from": row.valid_from,
            "valid_until": row.valid_until, "renewed_from": renewed_from, "clause": clause,
        }));
    ev.on_behalf_of_user_id = cap.as_designee_of;
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// Renews an authorization: a new written approval that continues the old one, same platforms.
pub async fn renew(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    valid_until: DateTime<Utc>,
    approval_reference: String,
    meta: &RequestMeta,
) -> AppResult<posting_authorization::Model> {
    let old = find(db, p, id).await?;
    if old.revoked_at.is_some() {
        return Err(AppError::Conflict(
            "a revoked authorization cannot be renewed".into(),
        ));
    }
    let platform_ids = platforms_of(db, &[old.id])
        .await?
        .into_iter()
        .map(|x| x.platform_id)
        .collect();
    let now = Utc::now();
    let grant_input = Grant {
        user_id: old.user_id,
        platform_ids,
        valid_from: std::cmp::max(old.valid_until, now),
        valid_until,
        approval_reference,
    };
    grant(db, profiles, p, grant_input, Some(old.id), meta).await
}

/// Revokes an authorization at once (same people who may grant).
pub async fn revoke(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    reason: &str,
    meta: &RequestMeta,
) -> AppResult<posting_authorization::Model> {
    let profile = profiles.of(&p.department_code)?;
    let current = find(db, p, id).await?;
    let caps = delegations::capacities(db, profiles, p, Responsibility::GrantAuthorizations).await?;
    let Some(cap) = caps.first().cloned() else {
        return Err(AppError::forbidden_by(
            "you may not revoke posting authorizations",
            &profile.authorizations.clause,
        ));
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::BadUserInput("give a reason".into()));
    }
    let txn = begin_write(db).await?;
    let done = posting_authorization::Entity::update_many()
        .col_expr(posting_authorization::Column::RevokedAt, Expr::value(Utc::now()))
        .col_expr(
            posting_authorization::Column::RevokedByUserId,
            Expr::value(p.user_id),
        )
        .col_expr(posting_authorization::Column::RevokeReason, Expr::value(reason))
        .filter(posting_authorization::Column::Id.eq(id))
        .filter(posting_authorization::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected == 1 {
        let hook = json!({ "authorization_id": id, "user_id": current.user_id, "reason": reason });
        crate::records::webhooks::enqueue(
            &txn,
            p.department_id,
            "authorization.revoked",
            &format!("authorization.revoked:{id}"),
            hook,
        )
        .await?;
        let mut ev = NewEvent::department(
            &p.department_code,
            p.department_id,
            "authorization.revoked",
            Outcome::Success,
        )
        .actor(p.user_id)
        .subject("Authorization", id)
        .detail(json!({ "user_id": current.user_id, "reason": reason }));
        ev.on_behalf_of_user_id = cap.as_designee_of;
        audit::append(&txn, meta, ev).await?;
    }
    txn.commit().await?;
    find(db, p, id).await
}

/// Loads an authorization of the caller's department.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    id: i64,
) -> AppResult<posting_authorization::Model> {
    posting_authorization::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|a| a.department_id == p.department_id)
        .ok_or(AppError::NotFound("authorization"))
}

/// The platforms named in authorizations.
pub async fn platforms_of<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> AppResult<Vec<authorization_platform::Model>> {
    Ok(authorization_platform::Entity::find()
        .filter(authorization_platform::Column::AuthorizationId.is_in(ids.to_vec()))
        .all(db)
        .await?)
}

/// The authorization that lets `user_id` post on `platform_id` at `now`, if any.
pub async fn live_for<C: ConnectionTrait>(
    db: &C,
    user_id: i64,
    platform_id: i64,
    now: DateTime<Utc>,
) -> AppResult<Option<posting_authorization::Model>> {
    let covering = Query::select()
        .column(authorization_platform::Column::AuthorizationId)
        .from(authorization_platform::Entity)
        .and_where(Expr::col(authorization_platform::Column::PlatformId).eq(platform_id))
        .to_owned();
    Ok(posting_authorization::Entity::find()
        .filter(posting_authorization::Column::UserId.eq(user_id))
        .filter(posting_authorization::Column::RevokedAt.is_null())
        .filter(posting_authorization::Column::ValidFrom.lte(now))
        .filter(posting_authorization::Column::ValidUntil.gt(now))
        .filter(posting_authorization::Column::Id.in_subquery(covering))
        .one(db)
        .await?)
}

/// A page of authorizations, newest first: directors and PIOs see the department's, others
/// their own.
pub async fn page(
    db: &DatabaseConnection,
    p: &Principal,
    department_code: &str,
    status: Option<AuthorizationStatus>,
    expiring_within_days: Option<u32>,
    window: Window,
) -> AppResult<Page<posting_authorization::Model>> {
    permissions::require_own_department(p, department_code)?;
    let now = Utc::now();
    let mut q = posting_authorization::Entity::find()
        .filter(posting_authorization::Column::DepartmentId.eq(p.department_id));
    if p.role == Role::Staff {
        q = q.filter(posting_authorization::Column::UserId.eq(p.user_id));
    }
    q = match status {
        None => q,
        Some(AuthorizationStatus::Revoked) => {
            q.filter(posting_authorization::Column::RevokedAt.is_not_null())
        }
        Some(AuthorizationStatus::Pending) => q
            .filter(posting_authorization::Column::RevokedAt.is_null())
            .filter(posting_authorization::Column::ValidFrom.gt(now)),
        Some(AuthorizationStatus::Expired) => q
            .filter(posting_authorization::Column::RevokedAt.is_null())
            .filter(posting_authorization::Column::ValidUntil.lte(now)),
        Some(AuthorizationStatus::Active) => q
            .filter(posting_authorization::Column::RevokedAt.is_null())
            .filter(posting_authorization::Column::ValidFrom.lte(now))
            .filter(posting_authorization::Column::ValidUntil.gt(now)),
    };
    if let Some(days) = expiring_within_days {
        q = q
            .filter(posting_authorization::Column::RevokedAt.is_null())
            .filter(posting_authorization::Column::ValidUntil.gt(now))
            .filter(posting_authorization::Column::ValidUntil.lte(now + Duration::days(i64::from(days))));
    }
    crate::service::paging::fetch(
        db,
        q,
        posting_authorization::Column::Id,
        Direction::Descending,
        window,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(from: i64, until: i64, revoked: bool) -> posting_authorization::Model {
        let base = DateTime::<Utc>::from_timestamp(1_000_000, 0).unwrap();
        posting_authorization::Model {
            id: 1,
            department_id: 1,
            user_id: 1,
            granted_by_user_id: 2,
            as_designee_of_user_id: None,
            valid_from: base + Duration::seconds(from),
            valid_until: base + Duration::seconds(until),
            approval_reference: "memo".into(),
            renewed_from_id: None,
            revoked_at: revoked.then_some(base),
            revoked_by_user_id: None,
            revoke_reason: None,
            created_at: base,
        }
    }

    #[test]
    fn an_authorization_stops_at_its_end_instant() {
        let base = DateTime::<Utc>::from_timestamp(1_000_000, 0).unwrap();
        let a = auth(0, 100, false);
        assert_eq!(
            status_at(&a, base - Duration::seconds(1)),
            AuthorizationStatus::Pending
        );
        assert_eq!(status_at(&a, base), AuthorizationStatus::Active);
        assert_eq!(
            status_at(&a, base + Duration::milliseconds(99_999)),
            AuthorizationStatus::Active
        );
        assert_eq!(
            status_at(&a, base + Duration::seconds(100)),
            AuthorizationStatus::Expired
        );
        assert_eq!(status_at(&auth(0, 100, true), base), AuthorizationStatus::Revoked);
    }
}
