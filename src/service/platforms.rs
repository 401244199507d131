//! Official platforms (MT IV.A.2-4; IL 01.02.400 II.F.2, II.G.1-2): proposal, quorum approval,
//! rejection, activation, suspension, retirement and terms-of-service acceptance.
//!
//! Every state change is a conditional update checked by rows affected, so of two concurrent
//! requests exactly one changes the state; each writes its audit event in the same transaction.

use chrono::Utc;
use entity::{platform, platform_version};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter,
};
use serde_json::json;

use super::approvals::{self, Ask, Recorded, Subject};
use super::delegations;
use super::platform_rules::{ChecklistLine, Declared, PlatformStatus, checklist};
use crate::auth::{Principal, Role};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::profile::Responsibility;
use crate::policy::{Profile, Profiles};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::service::paging::{Direction, Page, Window};

/// The declared content of a stored platform.
pub fn declared(p: &platform::Model) -> Declared {
    Declared {
        network: serde_json::from_value(json!(p.network)).unwrap_or(super::platform_rules::Network::Other),
        handle: p.handle.clone(),
        url: p.url.clone(),
        purposes: serde_json::from_str(&p.purposes).unwrap_or_default(),
        purpose_statement: p.purpose_statement.clone(),
        scope_statement: p.scope_statement.clone(),
        website_link: p.website_link.clone(),
        maintained_by_statement: p.maintained_by_statement.clone(),
        logo_url: p.logo_url.clone(),
        contact_info: p.contact_info.clone(),
    }
}

/// The status of a stored platform.
pub fn status(p: &platform::Model) -> AppResult<PlatformStatus> {
    PlatformStatus::parse(&p.status)
        .ok_or_else(|| AppError::from(anyhow::anyhow!("platform {} has status {}", p.id, p.status)))
}

/// The compliance checklist of a stored platform.
pub fn checklist_of(profile: &Profile, p: &platform::Model) -> AppResult<Vec<ChecklistLine>> {
    Ok(checklist(
        profile,
        &declared(p),
        p.terms_accepted_at.is_some(),
        status(p)?,
    ))
}

/// Loads a platform of the caller's department.
pub async fn find<C: ConnectionTrait>(db: &C, p: &Principal, id: i64) -> AppResult<platform::Model> {
    find_in(db, p.department_id, id).await
}

/// Loads a platform of a department.
pub async fn find_in<C: ConnectionTrait>(db: &C, department_id: i64, id: i64) -> AppResult<platform::Model> {
    platform::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|x| x.department_id == department_id)
        .ok_or(AppError::NotFound("platform"))
}

/// Proposes a platform; any employee of the department may (IL 01.02.400 II.F.3).
pub async fn propose(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    department_code: &str,
    input: Declared,
    meta: &RequestMeta,
) -> AppResult<platform::Model> {
    crate::auth::permissions::require_own_department(p, department_code)?;
    let profile = profiles.of(&p.department_code)?;
    let d = input.validate(profile)?;
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let row = platform::ActiveModel {
        department_id: Set(p.department_id),
        network: Set(enum_name(&d.network)),
        handle: Set(d.handle.clone()),
        url: Set(d.url.clone()),
        purposes: Set(json!(d.purposes).to_string()),
        purpose_statement: Set(d.purpose_statement.clone()),
        scope_statement: Set(d.scope_statement.clone()),
        website_link: Set(d.website_link.clone()),
        maintained_by_statement: Set(d.maintained_by_statement.clone()),
        logo_url: Set(d.logo_url.clone()),
        contact_info: Set(d.contact_info.clone()),
        status: Set(PlatformStatus::Proposed.as_str().to_owned()),
        status_reason: Set(None),
        version: Set(1),
        proposed_by_user_id: Set(p.user_id),
        terms_accepted_by_user_id: Set(None),
        terms_accepted_at: Set(None),
        terms_version: Set(None),
        terms_url: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_version(&txn, &row, &d, None, p.user_id).await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "platform.proposed",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Platform", row.id)
    .detail(json!({ "network": row.network, "handle": row.handle, "purposes": d.purposes }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// Records an approval; the last seat of the quorum moves the platform to APPROVED.
pub async fn approve(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    note: Option<String>,
    meta: &RequestMeta,
) -> AppResult<platform::Model> {
    let profile = profiles.of(&p.department_code)?;
    let clause = &profile.platforms.approval_clause;
    let txn = begin_write(db).await?;
    let current = find(&txn, p, id).await?;
    let capacities = delegations::capacities(&txn, profiles, p, Responsibility::ApprovePlatforms).await?;
    if !lock_in_status(&txn, id, &[PlatformStatus::Proposed]).await? {
        let already = approvals::of_subject(&txn, Subject::Platform, id)
            .await?
            .iter()
            .any(|a| a.approver_user_id == p.user_id);
        if already {
            return Ok(current);
        }
        // The status read before the attempt may be stale: state the one that won.
        return Err(AppError::Conflict(format!(
            "platform is {}, not PROPOSED",
            find(&txn, p, id).await?.status
        )));
    }
    let recorded = approvals::record(
        &txn,
        p,
        Ask {
            seats: &profile.platforms.quorum,
            clause,
            subject: Subject::Platform,
            subject_id: id,
            proposer_user_id: current.proposed_by_user_id,
            capacities: &capacities,
            note,
        },
    )
    .await?;
    let Recorded::New { row, complete } = recorded else {
        txn.rollback().await?;
        return Ok(current);
    };
    let mut ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "platform.approval_recorded",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Platform", id)
    .detail(json!({ "seat": row.seat, "role": row.approver_role, "clause": clause }));
    ev.on_behalf_of_user_id = row.as_designee_of_user_id;
    audit::append(&txn, meta, ev.clone()).await?;
    if complete {
        if !transition(
            &txn,
            id,
            &[PlatformStatus::Proposed],
            PlatformStatus::Approved,
            None,
        )
        .await?
        {
            return Err(AppError::Conflict("platform changed while approving".into()));
        }
        let hook = json!({ "platform_id": id, "clause": clause });
        crate::records::webhooks::enqueue(
            &txn,
            p.department_id,
            "platform.approved",
            &format!("platform.approved:{id}"),
            hook,
        )
        .await?;
        let mut done = NewEvent::department(
            &p.department_code,
            p.department_id,
            "platform.approved",
            Outcome::Success,
        )
        .actor(p.user_id)
        .subject("Platform", id)
        .detail(json!({ "clause": clause }));
        done.on_behalf_of_user_id = row.as_designee_of_user_id;
        audit::append(&txn, meta, done).await?;
    }
    let out = find(&txn, p, id).await?;
    txn.commit().await?;
    Ok(out)
}

/// Rejects a proposal; anyone who could fill a seat of the quorum may.
pub async fn reject(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    reason: &str,
    meta: &RequestMeta,
) -> AppResult<platform::Model> {
    let profile = profiles.of(&p.department_code)?;
    let reason = super::required_reason(reason)?;
    let txn = begin_write(db).await?;
    let current = find(&txn, p, id).await?;
    let capacities = delegations::capacities(&txn, profiles, p, Responsibility::ApprovePlatforms).await?;
    let seat_roles: Vec<Role> = profile.platforms.quorum.iter().flatten().copied().collect();
    let Some(cap) = capacities.iter().find(|c| seat_roles.contains(&c.role)) else {
        return Err(AppError::forbidden_by(
            "only someone who may approve platforms may reject one",
            &profile.platforms.approval_clause,
        ));
    };
    if current.proposed_by_user_id == p.user_id || current.proposed_by_user_id == cap.authority_user_id {
        return Err(AppError::forbidden_by(
            "nobody decides on what they proposed",
            &profile.platforms.approval_clause,
        ));
    }
    if !transition(
        &txn,
        id,
        &[PlatformStatus::Proposed],
        PlatformStatus::Rejected,
        Some(&reason),
    )
    .await?
    {
        // The status read before the attempt may be stale: state the one that won.
        return Err(AppError::Conflict(format!(
            "platform is {}, not PROPOSED",
            find(&txn, p, id).await?.status
        )));
    }
    let mut ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "platform.rejected",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Platform", id)
    .detail(json!({ "reason": reason }));
    ev.on_behalf_of_user_id = cap.as_designee_of;
    audit::append(&txn, meta, ev).await?;
    let out = find(&txn, p, id).await?;
    txn.commit().await?;
    Ok(out)
}

/// Lifecycle moves a director or PIO makes.
#[derive(Clone, Copy, Debug)]
pub enum Move {
    /// APPROVED or SUSPENDED → ACTIVE, once the checklist is complete.
    Activate,
    /// ACTIVE → SUSPENDED.
    Suspend,
    /// APPROVED, ACTIVE or SUSPENDED → RETIRED.
    Retire,
}

/// Activates, suspends or retires a platform.
pub async fn change_lifecycle(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    mv: Move,
    reason: Option<&str>,
    meta: &RequestMeta,
) -> AppResult<platform::Model> {
    let profile = profiles.of(&p.department_code)?;
    let clause = &profile.platforms.lifecycle_clause;
    if !matches!(p.role, Role::Director | Role::Pio) {
        return Err(AppError::forbidden_by(
            "only a director or PIO activates, suspends or retires platforms",
            clause,
        ));
    }
    let reason = match (mv, reason) {
        (Move::Activate, _) => None,
        (_, r) => Some(super::required_reason(r.unwrap_or_default())?),
    };
    let (from, to, action) = match mv {
        Move::Activate => (
            vec![PlatformStatus::Approved, PlatformStatus::Suspended],
            PlatformStatus::Active,
            "platform.activated",
        ),
        Move::Suspend => (
            vec![PlatformStatus::Active],
            PlatformStatus::Suspended,
            "platform.suspended",
        ),
        Move::Retire => (
            vec![
                PlatformStatus::Approved,
                PlatformStatus::Active,
                PlatformStatus::Suspended,
            ],
            PlatformStatus::Retired,
            "platform.retired",
        ),
    };
    let txn = begin_write(db).await?;
    let current = find(&txn, p, id).await?;
    if matches!(mv, Move::Activate) {
        let unmet: Vec<String> = checklist_of(profile, &current)?
            .into_iter()
            .filter(|l| !l.met)
            .map(|l| format!("{} ({})", element_name(l.element), l.clause))
            .collect();
        if !unmet.is_empty() && status(&current)? != PlatformStatus::Proposed {
            return Err(AppError::Forbidden(format!(
                "the platform cannot go active until its checklist is complete; missing: {}",
                unmet.join("; ")
            )));
        }
    }
    if !transition(&txn, id, &from, to, reason.as_deref()).await? {
        let allowed: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
        return Err(AppError::Conflict(format!(
            "platform is {}; this needs {}",
            current.status,
            allowed.join(" or ")
        )));
    }
    if matches!(mv, Move::Suspend) {
        let hook = json!({ "platform_id": id, "reason": reason });
        let key = format!("platform.suspended:{id}:{}", Utc::now().timestamp_micros());
        crate::records::webhooks::enqueue(&txn, p.department_id, "platform.suspended", &key, hook).await?;
    }
    let ev = NewEvent::department(&p.department_code, p.department_id, action, Outcome::Success)
        .actor(p.user_id)
        .subject("Platform", id)
        .detail(json!({ "from": current.status, "reason": reason, "clause": clause }));
    audit::append(&txn, meta, ev).await?;
    let out = find(&txn, p, id).await?;
    txn.commit().await?;
    Ok(out)
}

/// Records that the PIO accepted the platform's terms of service (IL 01.02.400 II.F.2).
pub async fn accept_terms(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    terms_url: &str,
    terms_version: &str,
    meta: &RequestMeta,
) -> AppResult<platform::Model> {
    let profile = profiles.of(&p.department_code)?;
    if p.role != Role::Pio {
        return Err(AppError::forbidden_by(
            "only the PIO may accept terms of service",
            &profile.platforms.terms_clause,
        ));
    }
    let terms_url = terms_url.trim();
    if !url::Url::parse(terms_url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
        return Err(AppError::BadUserInput("termsUrl must be an http(s) URL".into()));
    }
    let terms_version = terms_version.trim();
    if terms_version.is_empty() || terms_version.len() > 100 {
        return Err(AppError::BadUserInput(
            "termsVersion must have 1-100 characters".into(),
        ));
    }
    let txn = begin_write(db).await?;
    let current = find(&txn, p, id).await?;
    if matches!(
        status(&current)?,
        PlatformStatus::Rejected | PlatformStatus::Retired
    ) {
        return Err(AppError::Conflict(format!("platform is {}", current.status)));
    }
    let now = Utc::now();
    let mut active: platform::ActiveModel = current.into();
    active.terms_accepted_by_user_id = Set(Some(p.user_id));
    active.terms_accepted_at = Set(Some(now));
    active.terms_url = Set(Some(terms_url.to_owned()));
    active.terms_version = Set(Some(terms_version.to_owned()));
    active.updated_at = Set(now);
    let out = active.update(&txn).await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "platform.terms_accepted",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Platform", id)
    .detail(json!({ "terms_url": terms_url, "terms_version": terms_version }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(out)
}

/// A page of the department's platforms, oldest first: (rows, more).
pub async fn page(
    db: &DatabaseConnection,
    p: &Principal,
    department_code: &str,
    status: Option<PlatformStatus>,
    window: Window,
) -> AppResult<Page<platform::Model>> {
    crate::auth::permissions::require_own_department(p, department_code)?;
    let mut q = platform::Entity::find().filter(platform::Column::DepartmentId.eq(p.department_id));
    if let Some(s) = status {
        q = q.filter(platform::Column::Status.eq(s.as_str()));
    }
    crate::service::paging::fetch(db, q, platform::Column::Id, Direction::Ascending, window).await
}

/// Locks the platform row if it is in one of `states` (a no-op update that takes the row lock).
pub(crate) async fn lock_in_status(
    txn: &DatabaseTransaction,
    id: i64,
    states: &[PlatformStatus],
) -> AppResult<bool> {
    let res = platform::Entity::update_many()
        .col_expr(platform::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(platform::Column::Id.eq(id))
        .filter(platform::Column::Status.is_in(states.iter().map(|s| s.as_str())))
        .exec(txn)
        .await?;
    Ok(res.rows_affected == 1)
}

async fn transition(
    txn: &DatabaseTransaction,
    id: i64,
    from: &[PlatformStatus],
    to: PlatformStatus,
    reason: Option<&str>,
) -> AppResult<bool> {
    let mut q = platform::Entity::update_many()
        .col_expr(platform::Column::Status, Expr::value(to.as_str()))
        .col_expr(platform::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(platform::Column::Id.eq(id))
        .filter(platform::Column::Status.is_in(from.iter().map(|s| s.as_str())));
    if let Some(r) = reason {
        q = q.col_expr(platform::Column::StatusReason, Expr::value(r));
    }
    Ok(q.exec(txn).await?.rows_affected == 1)
}

/// Inserts the record of one version of a platform's declared content.
pub(crate) async fn insert_version(
    txn: &DatabaseTransaction,
    row: &platform::Model,
    d: &Declared,
    change_request_id: Option<i64>,
    by: i64,
) -> AppResult<()> {
    platform_version::ActiveModel {
        platform_id: Set(row.id),
        version: Set(row.version),
        snapshot: Set(serde_json::to_string(d).map_err(anyhow::Error::from)?),
        change_request_id: Set(change_request_id),
        created_by_user_id: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The stored name of a serde enum value.
pub(crate) fn enum_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The API name of a checklist element.
pub fn element_name(e: crate::policy::profile::ChecklistElement) -> String {
    enum_name(&e)
}
