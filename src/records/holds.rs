//! Legal holds (IL 01.02.400 II.G.1.e): placed and released by a director; a record inside an
//! active hold's scope (platforms, employees, period) is neither purged nor edited.

use chrono::{DateTime, Utc};
use entity::legal_hold;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use crate::auth::{Principal, Role, permissions};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};

/// The scope of a hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// Platforms (empty: all).
    pub platform_ids: Vec<i64>,
    /// Employees (empty: all).
    pub user_ids: Vec<i64>,
    /// From (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// To (exclusive).
    pub to: Option<DateTime<Utc>>,
}

impl Scope {
    /// The scope stored in a hold row.
    pub fn of(h: &legal_hold::Model) -> Self {
        Self {
            platform_ids: serde_json::from_str(&h.platform_ids).unwrap_or_default(),
            user_ids: serde_json::from_str(&h.user_ids).unwrap_or_default(),
            from: h.from_at,
            to: h.to_at,
        }
    }

    /// Whether a record of this platform, person and time falls inside the scope. A record with
    /// no platform (or no person) is inside when the scope does not narrow by that dimension.
    pub fn covers(&self, platform_id: Option<i64>, user_id: Option<i64>, at: DateTime<Utc>) -> bool {
        let platform_ok =
            self.platform_ids.is_empty() || platform_id.is_some_and(|p| self.platform_ids.contains(&p));
        let user_ok = self.user_ids.is_empty() || user_id.is_some_and(|u| self.user_ids.contains(&u));
        let from_ok = self.from.is_none_or(|f| at >= f);
        let to_ok = self.to.is_none_or(|t| at < t);
        platform_ok && user_ok && from_ok && to_ok
    }
}

fn require_director(p: &Principal) -> AppResult<()> {
    if p.role == Role::Director {
        Ok(())
    } else {
        Err(AppError::forbidden_by(
            "only a director places or releases legal holds",
            "IL 01.02.400 II.G.1.e",
        ))
    }
}

/// Refuses platforms and employees outside the caller's department (they answer as missing).
async fn require_own<C: ConnectionTrait>(db: &C, p: &Principal, scope: &Scope) -> AppResult<()> {
    let mut platforms = scope.platform_ids.clone();
    platforms.sort_unstable();
    platforms.dedup();
    let mut users = scope.user_ids.clone();
    users.sort_unstable();
    users.dedup();
    if !platforms.is_empty() {
        let found = entity::platform::Entity::find()
            .filter(entity::platform::Column::Id.is_in(platforms.clone()))
            .filter(entity::platform::Column::DepartmentId.eq(p.department_id))
            .count(db)
            .await?;
        if found != platforms.len() as u64 {
            return Err(AppError::NotFound("platform"));
        }
    }
    if !users.is_empty() {
        let found = entity::user::Entity::find()
            .filter(entity::user::Column::Id.is_in(users.clone()))
            .filter(entity::user::Column::DepartmentId.eq(p.department_id))
            .count(db)
            .await?;
        if found != users.len() as u64 {
            return Err(AppError::NotFound("employee"));
        }
    }
    Ok(())
}

/// Places a hold.
pub async fn place(
    db: &DatabaseConnection,
    p: &Principal,
    name: &str,
    matter: &str,
    scope: Scope,
    meta: &RequestMeta,
) -> AppResult<legal_hold::Model> {
    require_director(p)?;
    let (name, matter) = (name.trim(), matter.trim());
    if name.is_empty() || matter.is_empty() || name.chars().count() > 200 {
        return Err(AppError::BadUserInput(
            "name (1-200 characters) and matter are required".into(),
        ));
    }
    if let (Some(f), Some(t)) = (scope.from, scope.to)
        && t <= f
    {
        return Err(AppError::BadUserInput("`to` must be after `from`".into()));
    }
    if scope.platform_ids.len() > 100 || scope.user_ids.len() > 1_000 {
        return Err(AppError::BadUserInput(
            "a hold names at most 100 platforms and 1,000 employees".into(),
        ));
    }
    let txn = begin_write(db).await?;
    require_own(&txn, p, &scope).await?;
    let row = legal_hold::ActiveModel {
        department_id: Set(p.department_id),
        name: Set(name.to_owned()),
        matter: Set(matter.to_owned()),
        platform_ids: Set(json!(scope.platform_ids).to_string()),
        user_ids: Set(json!(scope.user_ids).to_string()),
        from_at: Set(scope.from),
        to_at: Set(scope.to),
        placed_by_user_id: Set(p.user_id),
        placed_at: Set(Utc::now()),
        released_by_user_id: Set(None),
        released_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "legal_hold.placed",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("LegalHold", row.id)
    .detail(json!({ "name": name, "platform_ids": scope.platform_ids, "user_ids": scope.user_ids }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// Releases a hold; idempotent.
pub async fn release(
    db: &DatabaseConnection,
    p: &Principal,
    id: i64,
    meta: &RequestMeta,
) -> AppResult<legal_hold::Model> {
    require_director(p)?;
    let current = find(db, p, id).await?;
    if current.released_at.is_none() {
        let txn = begin_write(db).await?;
        legal_hold::Entity::update_many()
            .col_expr(legal_hold::Column::ReleasedAt, Expr::value(Utc::now()))
            .col_expr(legal_hold::Column::ReleasedByUserId, Expr::value(p.user_id))
            .filter(legal_hold::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        let ev = NewEvent::department(
            &p.department_code,
            p.department_id,
            "legal_hold.released",
            Outcome::Success,
        )
        .actor(p.user_id)
        .subject("LegalHold", id);
        audit::append(&txn, meta, ev).await?;
        txn.commit().await?;
    }
    find(db, p, id).await
}

/// A hold of the caller's department.
pub async fn find<C: ConnectionTrait>(db: &C, p: &Principal, id: i64) -> AppResult<legal_hold::Model> {
    legal_hold::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|h| h.department_id == p.department_id)
        .ok_or(AppError::NotFound("legal hold"))
}

/// Holds of the department (directors and PIOs).
pub async fn list(
    db: &DatabaseConnection,
    p: &Principal,
    department_code: &str,
) -> AppResult<Vec<legal_hold::Model>> {
    permissions::require_own_department(p, department_code)?;
    if p.role == Role::Staff {
        return Err(AppError::Forbidden(
            "legal holds are for the director and the PIO".into(),
        ));
    }
    Ok(legal_hold::Entity::find()
        .filter(legal_hold::Column::DepartmentId.eq(p.department_id))
        .order_by_desc(legal_hold::Column::Id)
        .all(db)
        .await?)
}

/// The scopes of a department's active holds.
pub async fn active_scopes<C: ConnectionTrait>(db: &C, department_id: i64) -> AppResult<Vec<Scope>> {
    Ok(legal_hold::Entity::find()
        .filter(legal_hold::Column::DepartmentId.eq(department_id))
        .filter(legal_hold::Column::ReleasedAt.is_null())
        .all(db)
        .await?
        .iter()
        .map(Scope::of)
        .collect())
}

/// Whether any active hold covers the record.
pub fn held(scopes: &[Scope], platform_id: Option<i64>, user_id: Option<i64>, at: DateTime<Utc>) -> bool {
    scopes.iter().any(|s| s.covers(platform_id, user_id, at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_scope_covers_its_platforms_people_and_period() {
        let at = Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap();
        let s = Scope {
            platform_ids: vec![1],
            user_ids: vec![],
            from: Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
            to: Some(Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap()),
        };
        assert!(s.covers(Some(1), Some(9), at));
        assert!(!s.covers(Some(2), Some(9), at));
        assert!(
            !s.covers(None, Some(9), at),
            "a record with no platform is outside a platform scope"
        );
        assert!(!s.covers(Some(1), None, Utc.with_ymd_and_hms(2025, 5, 1, 0, 0, 0).unwrap()));
        assert!(
            Scope::default().covers(None, None, at),
            "an unbounded hold covers everything"
        );
    }
}
