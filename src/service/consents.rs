//! Consent records for media depicting people in custody or employees (IL 01.02.400 II.G.4.e,
//! II.G.5.e). Revoking a consent flags the published posts that relied on it.

use chrono::{DateTime, Utc};
use entity::{consent, post, post_consent};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    ExprTrait, QueryFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::delegations;
use crate::auth::Principal;
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::Profiles;
use crate::policy::profile::Responsibility;
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::service::paging::{Direction, Page, Window};

/// Who a media item depicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubjectKind {
    /// A person in custody.
    InCustody,
    /// An employee.
    Employee,
}

impl SubjectKind {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InCustody => "IN_CUSTODY",
            Self::Employee => "EMPLOYEE",
        }
    }
}

/// A consent to record.
pub struct NewConsent {
    /// Who consents.
    pub subject_name: String,
    /// In custody or employee.
    pub subject_kind: SubjectKind,
    /// The media it covers.
    pub media_reference: String,
    /// When granted.
    pub granted_at: DateTime<Utc>,
    /// When it ends, if it does.
    pub expires_at: Option<DateTime<Utc>>,
    /// Where the signed form is kept.
    pub document_reference: String,
}

/// Normalised form used to match a depicted person with a consent.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether a consent is live at `now`.
pub fn is_live(c: &consent::Model, now: DateTime<Utc>) -> bool {
    c.revoked_at.is_none() && c.granted_at <= now && c.expires_at.is_none_or(|e| now < e)
}

async fn require_recorder(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
) -> AppResult<Option<i64>> {
    let profile = profiles.of(&p.department_code)?;
    let caps = delegations::capacities(db, profiles, p, Responsibility::ApprovePosts).await?;
    caps.first().map(|c| c.as_designee_of).ok_or_else(|| {
        AppError::forbidden_by(
            "only those who approve posts record consents",
            &profile.posts.consent_clause,
        )
    })
}

/// Records a consent.
pub async fn record(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    new: NewConsent,
    meta: &RequestMeta,
) -> AppResult<consent::Model> {
    let on_behalf = require_recorder(db, profiles, p).await?;
    for (name, v) in [
        ("subjectName", &new.subject_name),
        ("mediaReference", &new.media_reference),
        ("documentReference", &new.document_reference),
    ] {
        if v.trim().is_empty() || v.chars().count() > 500 {
            return Err(AppError::BadUserInput(format!(
                "{name} must have 1-500 characters"
            )));
        }
    }
    if new.expires_at.is_some_and(|e| e <= new.granted_at) {
        return Err(AppError::BadUserInput("expiresAt must be after grantedAt".into()));
    }
    let txn = begin_write(db).await?;
    let row = consent::ActiveModel {
        department_id: Set(p.department_id),
        subject_name: Set(new.subject_name.trim().to_owned()),
        subject_kind: Set(new.subject_kind.as_str().to_owned()),
        media_reference: Set(new.media_reference.trim().to_owned()),
        granted_at: Set(new.granted_at),
        expires_at: Set(new.expires_at),
        document_reference: Set(new.document_reference.trim().to_owned()),
        recorded_by_user_id: Set(p.user_id),
        revoked_at: Set(None),
        revoked_by_user_id: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    // The consent names a person; the audit row keeps only the reference to it.
    let mut ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "consent.recorded",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Consent", row.id)
    .detail(json!({ "subject_kind": row.subject_kind, "media_reference": row.media_reference }));
    ev.on_behalf_of_user_id = on_behalf;
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// Revokes a consent and flags every published post that relied on it; returns the flagged
/// post ids.
pub async fn revoke(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    meta: &RequestMeta,
) -> AppResult<(consent::Model, Vec<i64>)> {
    let on_behalf = require_recorder(db, profiles, p).await?;
    let current = consent::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| c.department_id == p.department_id)
        .ok_or(AppError::NotFound("consent"))?;
    if current.revoked_at.is_some() {
        return Ok((current, Vec::new()));
    }
    let now = Utc::now();
    let txn = begin_write(db).await?;
    consent::Entity::update_many()
        .col_expr(consent::Column::RevokedAt, Expr::value(now))
        .col_expr(consent::Column::RevokedByUserId, Expr::value(p.user_id))
        .filter(consent::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let relying = Query::select()
        .column(post_consent::Column::PostId)
        .from(post_consent::Entity)
        .and_where(Expr::col(post_consent::Column::ConsentId).eq(id))
        .to_owned();
    let flagged: Vec<i64> = post::Entity::find()
        .filter(post::Column::Id.in_subquery(relying))
        .filter(post::Column::Status.eq("PUBLISHED"))
        .all(&txn)
        .await?
        .into_iter()
        .map(|x| x.id)
        .collect();
    if !flagged.is_empty() {
        post::Entity::update_many()
            .col_expr(
                post::Column::ConsentFlag,
                Expr::value(format!("consent {id} was revoked at {}", now.to_rfc3339())),
            )
            .filter(post::Column::Id.is_in(flagged.clone()))
            .exec(&txn)
            .await?;
    }
    let mut ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "consent.revoked",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Consent", id)
    .detail(json!({ "flagged_posts": flagged }));
    ev.on_behalf_of_user_id = on_behalf;
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    let row = consent::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("consent"))?;
    Ok((row, flagged))
}

/// Live consents of a department for the given media references.
pub async fn live_for_media<C: ConnectionTrait>(
    db: &C,
    department_id: i64,
    media: &[String],
    now: DateTime<Utc>,
) -> AppResult<Vec<consent::Model>> {
    if media.is_empty() {
        return Ok(Vec::new());
    }
    Ok(consent::Entity::find()
        .filter(consent::Column::DepartmentId.eq(department_id))
        .filter(consent::Column::MediaReference.is_in(media.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .filter(|c| is_live(c, now))
        .collect())
}

/// A page of the department's consents, newest first (director and PIO): (rows, more).
pub async fn page(
    db: &DatabaseConnection,
    p: &Principal,
    department_code: &str,
    window: Window,
) -> AppResult<Page<consent::Model>> {
    crate::auth::permissions::require_own_department(p, department_code)?;
    if p.role == crate::auth::Role::Staff {
        return Err(AppError::Forbidden(
            "consent records are for the director and the PIO".into(),
        ));
    }
    let q = consent::Entity::find().filter(consent::Column::DepartmentId.eq(p.department_id));
    crate::service::paging::fetch(db, q, consent::Column::Id, Direction::Descending, window).await
}
