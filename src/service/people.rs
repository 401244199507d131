//! A director manages the department's people: lists them, assigns roles, suspends and
//! reinstates. Each change is audited and takes effect on the subject's next request (the
//! session check reads role and status every time; an open WebSocket closes with 4403 on a
//! role change and 4401 on suspension). A department is never left without an active director.

use chrono::Utc;
use entity::user;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use crate::auth::session_cache::SessionCache;
use crate::auth::{Principal, Role, UserStatus};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::service::paging::{Direction, Page, Window};

/// The clause behind a director's authority over roles (both directives make the director
/// responsible for who speaks for the department).
fn director_only(p: &Principal) -> AppResult<()> {
    if p.role == Role::Director {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only the department's director manages roles and suspensions".into(),
        ))
    }
}

/// One page of the department's employees, newest first, filtered by role and status.
pub async fn page(
    db: &DatabaseConnection,
    p: &Principal,
    department_code: &str,
    role: Option<Role>,
    status: Option<UserStatus>,
    window: Window,
) -> AppResult<Page<user::Model>> {
    crate::auth::permissions::require_own_department(p, department_code)?;
    director_only(p)?;
    let mut q = user::Entity::find().filter(user::Column::DepartmentId.eq(p.department_id));
    if let Some(r) = role {
        q = q.filter(user::Column::Role.eq(r.as_str()));
    }
    if let Some(s) = status {
        q = q.filter(user::Column::Status.eq(s.as_str()));
    }
    crate::service::paging::fetch(db, q, user::Column::Id, Direction::Descending, window).await
}

/// The department's active directors, locked until the transaction ends (PostgreSQL; SQLite's
/// write transaction already excludes other writers), so two concurrent demotions cannot both
/// see the other director.
async fn lock_directors(txn: &DatabaseTransaction, department_id: i64) -> AppResult<Vec<i64>> {
    let rows = user::Entity::find()
        .filter(user::Column::DepartmentId.eq(department_id))
        .filter(user::Column::Role.eq(Role::Director.as_str()))
        .filter(user::Column::Status.eq(UserStatus::Active.as_str()))
        .order_by_asc(user::Column::Id)
        .lock_exclusive()
        .all(txn)
        .await?;
    Ok(rows.into_iter().map(|u| u.id).collect())
}

/// The subject, in the director's department (others do not exist for them).
async fn subject(txn: &DatabaseTransaction, p: &Principal, id: i64) -> AppResult<user::Model> {
    user::Entity::find_by_id(id)
        .one(txn)
        .await?
        .filter(|u| u.department_id == p.department_id)
        .ok_or(AppError::NotFound("employee"))
}

/// Refuses a change that would leave no active director besides `leaving`.
async fn keep_a_director(txn: &DatabaseTransaction, p: &Principal, leaving: &user::Model) -> AppResult<()> {
    let directors = lock_directors(txn, p.department_id).await?;
    if directors.contains(&leaving.id) && directors.len() == 1 {
        return Err(AppError::Conflict(
            "the department would be left without a director: assign another director first".into(),
        ));
    }
    Ok(())
}

/// Gives an employee of the director's own department another role.
pub async fn assign_role(
    db: &DatabaseConnection,
    sessions: &SessionCache,
    p: &Principal,
    id: i64,
    role: Role,
    meta: &RequestMeta,
) -> AppResult<user::Model> {
    director_only(p)?;
    let txn = begin_write(db).await?;
    let u = subject(&txn, p, id).await?;
    if UserStatus::parse(&u.status) == Some(UserStatus::Separated) {
        return Err(AppError::Conflict("a separated employee holds no role".into()));
    }
    let from = u.role.clone();
    if from == role.as_str() {
        txn.commit().await?;
        return Ok(u);
    }
    if role != Role::Director {
        keep_a_director(&txn, p, &u).await?;
    }
    let mut row: user::ActiveModel = u.into();
    row.role = Set(role.as_str().to_owned());
    row.updated_at = Set(Utc::now());
    let row = row.update(&txn).await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "user.role_assigned",
        Outcome::Success,
    )
    .subject("User", row.id)
    .detail(json!({ "from": from, "to": role.as_str() }));
    audit::append(&txn, meta, ev.actor(p.user_id)).await?;
    txn.commit().await?;
    sessions.forget_user(row.id);
    Ok(row)
}

/// Suspends (`true`) or reinstates (`false`) an employee. Suspension ends their sessions at
/// once; a director cannot suspend themselves or the last director.
pub async fn set_suspended(
    db: &DatabaseConnection,
    sessions: &SessionCache,
    p: &Principal,
    id: i64,
    suspend: bool,
    reason: &str,
    meta: &RequestMeta,
) -> AppResult<user::Model> {
    director_only(p)?;
    let reason = super::required_reason(reason)?;
    if suspend && id == p.user_id {
        return Err(AppError::Conflict("a director cannot suspend themselves".into()));
    }
    let txn = begin_write(db).await?;
    let u = subject(&txn, p, id).await?;
    let (from, to) = if suspend {
        (UserStatus::Active, UserStatus::Suspended)
    } else {
        (UserStatus::Suspended, UserStatus::Active)
    };
    if UserStatus::parse(&u.status) != Some(from) {
        return Err(AppError::Conflict(format!(
            "the employee is {}, not {}",
            u.status,
            from.as_str()
        )));
    }
    if suspend {
        keep_a_director(&txn, p, &u).await?;
    }
    let now = Utc::now();
    let mut row: user::ActiveModel = u.into();
    row.status = Set(to.as_str().to_owned());
    row.updated_at = Set(now);
    let row = row.update(&txn).await?;
    let ended = if suspend {
        super::sessions::end_all(&txn, row.id, now).await?
    } else {
        0
    };
    let action = if suspend {
        "user.suspended"
    } else {
        "user.reinstated"
    };
    let ev = NewEvent::department(&p.department_code, p.department_id, action, Outcome::Success)
        .subject("User", row.id)
        .detail(json!({ "reason": reason, "sessions_ended": ended }));
    audit::append(&txn, meta, ev.actor(p.user_id)).await?;
    txn.commit().await?;
    sessions.forget_user(row.id);
    Ok(row)
}
