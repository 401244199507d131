//! Policy acknowledgements (IL 01.02.400 II.F.1): every employee acknowledges the directive
//! version in force; directors and PIOs see who has not.

use chrono::Utc;
use entity::{policy_acknowledgement, user};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, ExprTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;

use crate::auth::{Principal, Role, UserStatus, permissions};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::Profiles;
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};

/// Records the caller's acknowledgement of `version`; idempotent.
pub async fn acknowledge(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    version: &str,
    meta: &RequestMeta,
) -> AppResult<policy_acknowledgement::Model> {
    let profile = profiles.of(&p.department_code)?;
    if version != profile.directive.version {
        return Err(AppError::BadUserInput(format!(
            "the directive version in force is {} ({})",
            profile.directive.version, profile.acknowledgements.clause
        )));
    }
    let existing = policy_acknowledgement::Entity::find()
        .filter(policy_acknowledgement::Column::UserId.eq(p.user_id))
        .filter(policy_acknowledgement::Column::Version.eq(version))
        .one(db)
        .await?;
    if let Some(row) = existing {
        return Ok(row);
    }
    let txn = begin_write(db).await?;
    let row = policy_acknowledgement::ActiveModel {
        user_id: Set(p.user_id),
        department_id: Set(p.department_id),
        version: Set(version.to_owned()),
        acknowledged_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "policy.acknowledged",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("User", p.user_id)
    .detail(json!({ "version": version }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// Active employees of the department who have not acknowledged the version in force.
pub async fn unacknowledged(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    department_code: &str,
) -> AppResult<Vec<user::Model>> {
    permissions::require_own_department(p, department_code)?;
    let profile = profiles.of(department_code)?;
    if !matches!(p.role, Role::Director | Role::Pio) {
        return Err(AppError::forbidden_by(
            "only the director or the PIO may list who has not acknowledged the directive",
            &profile.acknowledgements.clause,
        ));
    }
    let acknowledged = Query::select()
        .column(policy_acknowledgement::Column::UserId)
        .from(policy_acknowledgement::Entity)
        .and_where(Expr::col(policy_acknowledgement::Column::Version).eq(profile.directive.version.as_str()))
        .to_owned();
    Ok(user::Entity::find()
        .filter(user::Column::DepartmentId.eq(p.department_id))
        .filter(user::Column::Status.eq(UserStatus::Active.as_str()))
        .filter(user::Column::Id.not_in_subquery(acknowledged))
        .order_by_asc(user::Column::Name)
        .all(db)
        .await?)
}
