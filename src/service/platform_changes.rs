//! Change requests (MT IV.A.2.b): any modification or expansion of an approved platform is
//! approved under the platform quorum *before* it takes effect. Approving applies the change as
//! a new version; every version is kept.

use chrono::Utc;
use entity::{platform, platform_change_request};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::approvals::{self, Ask, Recorded, Subject};
use super::delegations;
use super::platform_rules::{Declared, Network, PlatformStatus};
use super::platforms::{self, declared, enum_name, insert_version, lock_in_status};
use crate::auth::{Principal, Role};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::Profiles;
use crate::policy::profile::Responsibility;
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};

/// The fields a change request may set; absent ones stay as they are.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Changes {
    /// New network (a move to another network).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<Network>,
    /// New handle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    /// New URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// New purposes (an expansion, or a narrowing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purposes: Option<Vec<String>>,
    /// New purpose statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose_statement: Option<String>,
    /// New scope statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_statement: Option<String>,
    /// New website link.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website_link: Option<String>,
    /// New maintained-by statement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintained_by_statement: Option<String>,
    /// New logo URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// New contact information.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_info: Option<String>,
}

impl Changes {
    fn is_empty(&self) -> bool {
        serde_json::to_value(self).is_ok_and(|v| v.as_object().is_some_and(|o| o.is_empty()))
    }

    /// The declared content after applying these changes.
    pub fn apply(&self, mut d: Declared) -> Declared {
        let c = self.clone();
        if let Some(v) = c.network {
            d.network = v;
        }
        let set = |slot: &mut String, v: Option<String>| {
            if let Some(v) = v {
                *slot = v;
            }
        };
        set(&mut d.handle, c.handle);
        set(&mut d.url, c.url);
        if let Some(v) = c.purposes {
            d.purposes = v;
        }
        set(&mut d.purpose_statement, c.purpose_statement);
        set(&mut d.scope_statement, c.scope_statement);
        set(&mut d.website_link, c.website_link);
        set(&mut d.maintained_by_statement, c.maintained_by_statement);
        set(&mut d.logo_url, c.logo_url);
        set(&mut d.contact_info, c.contact_info);
        d
    }
}

const CHANGEABLE: [PlatformStatus; 3] = [
    PlatformStatus::Approved,
    PlatformStatus::Active,
    PlatformStatus::Suspended,
];

/// Files a change request; any employee of the department may.
pub async fn request(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    platform_id: i64,
    summary: &str,
    changes: Changes,
    meta: &RequestMeta,
) -> AppResult<platform_change_request::Model> {
    let profile = profiles.of(&p.department_code)?;
    let current = platforms::find(db, p, platform_id).await?;
    if !CHANGEABLE.contains(&platforms::status(&current)?) {
        return Err(AppError::Conflict(format!(
            "platform is {}; only approved, active or suspended platforms take change requests",
            current.status
        )));
    }
    if changes.is_empty() {
        return Err(AppError::BadUserInput(
            "a change request must change at least one field".into(),
        ));
    }
    let summary = summary.trim();
    if summary.is_empty() || summary.chars().count() > 2000 {
        return Err(AppError::BadUserInput(
            "summary must have 1-2000 characters".into(),
        ));
    }
    changes.apply(declared(&current)).validate(profile)?;
    let txn = begin_write(db).await?;
    let row = platform_change_request::ActiveModel {
        platform_id: Set(current.id),
        department_id: Set(p.department_id),
        requested_by_user_id: Set(p.user_id),
        changes: Set(serde_json::to_string(&changes).map_err(anyhow::Error::from)?),
        summary: Set(summary.to_owned()),
        status: Set("PENDING".into()),
        base_version: Set(current.version),
        reason: Set(None),
        decided_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "platform.change_requested",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("PlatformChangeRequest", row.id)
    .detail(
        json!({ "platform_id": current.id, "changes": changes, "clause": profile.platforms.change_clause }),
    );
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// Loads a change request of the caller's department.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    p: &Principal,
    id: i64,
) -> AppResult<platform_change_request::Model> {
    platform_change_request::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|x| x.department_id == p.department_id)
        .ok_or(AppError::NotFound("change request"))
}

/// Approves a change request; the last seat applies it to the platform as a new version.
pub async fn approve(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    note: Option<String>,
    meta: &RequestMeta,
) -> AppResult<platform_change_request::Model> {
    let profile = profiles.of(&p.department_code)?;
    let clause = &profile.platforms.change_clause;
    let txn = begin_write(db).await?;
    let cr = find(&txn, p, id).await?;
    let capacities = delegations::capacities(&txn, profiles, p, Responsibility::ApprovePlatforms).await?;
    if !lock_pending(&txn, id).await? {
        return Err(AppError::Conflict(format!(
            "change request is {}, not PENDING",
            find(&txn, p, id).await?.status
        )));
    }
    let recorded = approvals::record(
        &txn,
        p,
        Ask {
            seats: &profile.platforms.quorum,
            clause,
            subject: Subject::PlatformChange,
            subject_id: id,
            proposer_user_id: cr.requested_by_user_id,
            capacities: &capacities,
            note,
        },
    )
    .await?;
    let Recorded::New { row, complete } = recorded else {
        txn.rollback().await?;
        return Ok(cr);
    };
    let mut ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "platform.change_approval_recorded",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("PlatformChangeRequest", id)
    .detail(json!({ "seat": row.seat, "role": row.approver_role, "clause": clause }));
    ev.on_behalf_of_user_id = row.as_designee_of_user_id;
    audit::append(&txn, meta, ev).await?;
    if complete {
        apply(&txn, profiles, p, &cr).await?;
        let mut done = NewEvent::department(
            &p.department_code,
            p.department_id,
            "platform.change_approved",
            Outcome::Success,
        )
        .actor(p.user_id)
        .subject("Platform", cr.platform_id)
        .detail(json!({ "change_request_id": id, "clause": clause }));
        done.on_behalf_of_user_id = row.as_designee_of_user_id;
        audit::append(&txn, meta, done).await?;
    }
    let out = find(&txn, p, id).await?;
    txn.commit().await?;
    Ok(out)
}

/// Rejects a change request (anyone who may approve platforms, except the requester).
pub async fn reject(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    reason: &str,
    meta: &RequestMeta,
) -> AppResult<platform_change_request::Model> {
    let profile = profiles.of(&p.department_code)?;
    let clause = &profile.platforms.change_clause;
    let reason = super::required_reason(reason)?;
    let txn = begin_write(db).await?;
    let cr = find(&txn, p, id).await?;
    let caps = delegations::capacities(&txn, profiles, p, Responsibility::ApprovePlatforms).await?;
    let seat_roles: Vec<Role> = profile.platforms.quorum.iter().flatten().copied().collect();
    let Some(cap) = caps
        .iter()
        .find(|c| seat_roles.contains(&c.role) && c.authority_user_id != cr.requested_by_user_id)
    else {
        return Err(AppError::forbidden_by(
            "you may not decide on this change request",
            clause,
        ));
    };
    if cr.requested_by_user_id == p.user_id {
        return Err(AppError::forbidden_by(
            "nobody decides on what they requested",
            clause,
        ));
    }
    let done = platform_change_request::Entity::update_many()
        .col_expr(platform_change_request::Column::Status, Expr::value("REJECTED"))
        .col_expr(
            platform_change_request::Column::Reason,
            Expr::value(reason.as_str()),
        )
        .col_expr(
            platform_change_request::Column::DecidedAt,
            Expr::value(Utc::now()),
        )
        .filter(platform_change_request::Column::Id.eq(id))
        .filter(platform_change_request::Column::Status.eq("PENDING"))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::Conflict(format!(
            "change request is {}, not PENDING",
            find(&txn, p, id).await?.status
        )));
    }
    let mut ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "platform.change_rejected",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("PlatformChangeRequest", id)
    .detail(json!({ "reason": reason }));
    ev.on_behalf_of_user_id = cap.as_designee_of;
    audit::append(&txn, meta, ev).await?;
    let out = find(&txn, p, id).await?;
    txn.commit().await?;
    Ok(out)
}

async fn lock_pending(txn: &DatabaseTransaction, id: i64) -> AppResult<bool> {
    let res = platform_change_request::Entity::update_many()
        .col_expr(
            platform_change_request::Column::Status,
            Expr::col(platform_change_request::Column::Status),
        )
        .filter(platform_change_request::Column::Id.eq(id))
        .filter(platform_change_request::Column::Status.eq("PENDING"))
        .exec(txn)
        .await?;
    Ok(res.rows_affected == 1)
}

async fn apply(
    txn: &DatabaseTransaction,
    profiles: &Profiles,
    p: &Principal,
    cr: &platform_change_request::Model,
) -> AppResult<()> {
    let profile = profiles.of(&p.department_code)?;
    if !lock_in_status(txn, cr.platform_id, &CHANGEABLE).await? {
        return Err(AppError::Conflict(
            "the platform is no longer approved, active or suspended".into(),
        ));
    }
    let current = platforms::find(txn, p, cr.platform_id).await?;
    if current.version != cr.base_version {
        return Err(AppError::Conflict(format!(
            "the platform changed (version {} → {}) since this request; file it again",
            cr.base_version, current.version
        )));
    }
    let changes: Changes = serde_json::from_str(&cr.changes).map_err(anyhow::Error::from)?;
    let next = changes.apply(declared(&current)).validate(profile)?;
    let mut active: platform::ActiveModel = current.into();
    active.network = Set(enum_name(&next.network));
    active.handle = Set(next.handle.clone());
    active.url = Set(next.url.clone());
    active.purposes = Set(json!(next.purposes).to_string());
    active.purpose_statement = Set(next.purpose_statement.clone());
    active.scope_statement = Set(next.scope_statement.clone());
    active.website_link = Set(next.website_link.clone());
    active.maintained_by_statement = Set(next.maintained_by_statement.clone());
    active.logo_url = Set(next.logo_url.clone());
    active.contact_info = Set(next.contact_info.clone());
    active.version = Set(cr.base_version + 1);
    active.updated_at = Set(Utc::now());
    let updated = active.update(txn).await?;
    insert_version(txn, &updated, &next, Some(cr.id), p.user_id).await?;
    platform_change_request::Entity::update_many()
        .col_expr(platform_change_request::Column::Status, Expr::value("APPROVED"))
        .col_expr(
            platform_change_request::Column::DecidedAt,
            Expr::value(Utc::now()),
        )
        .filter(platform_change_request::Column::Id.eq(cr.id))
        .exec(txn)
        .await?;
    Ok(())
}
