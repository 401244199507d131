//! What happens to a submitted post: approval (one, never the author's), rejection,
//! publication (consents checked again) and removal.

use chrono::Utc;
use entity::{post, post_consent};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;

use super::media::{consent_findings, media_of};
use super::{PostStatus, find, findings_json, lock_in, transition};
use crate::auth::{Principal, Role};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::Profiles;
use crate::policy::profile::Responsibility;
use crate::policy::screening;
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::service::approvals::{self, Ask, Recorded, Subject};
use crate::service::delegations;

/// Approves a submitted post: one approval by a role of the profile's `posts.approvers` (or
/// their designee), never the author.
pub async fn approve(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    note: Option<String>,
    meta: &RequestMeta,
) -> AppResult<post::Model> {
    let profile = profiles.of(&p.department_code)?;
    let clause = &profile.posts.approval_clause;
    let txn = begin_write(db).await?;
    let current = find(&txn, p, id).await?;
    let caps = delegations::capacities(&txn, profiles, p, Responsibility::ApprovePosts).await?;
    if !lock_in(&txn, id, &[PostStatus::Submitted]).await? {
        return Err(AppError::Conflict(format!(
            "post is {}, not SUBMITTED",
            find(&txn, p, id).await?.status
        )));
    }
    let seats = vec![profile.posts.approvers.clone()];
    let ask = Ask {
        seats: &seats,
        clause,
        subject: Subject::Post,
        subject_id: id,
        proposer_user_id: current.author_user_id,
        capacities: &caps,
        note,
    };
    let Recorded::New { row, complete } = approvals::record(&txn, p, ask).await? else {
        txn.rollback().await?;
        return Ok(current);
    };
    if complete {
        transition(&txn, id, &[PostStatus::Submitted], PostStatus::Approved, None).await?;
    }
    let mut ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "post.approved",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Post", id)
    .detail(json!({ "role": row.approver_role, "clause": clause }));
    ev.on_behalf_of_user_id = row.as_designee_of_user_id;
    audit::append(&txn, meta, ev).await?;
    let out = find(&txn, p, id).await?;
    txn.commit().await?;
    Ok(out)
}

/// Rejects a submitted post with a reason (same people who approve, never the author).
pub async fn reject(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    reason: &str,
    meta: &RequestMeta,
) -> AppResult<post::Model> {
    let profile = profiles.of(&p.department_code)?;
    let clause = &profile.posts.approval_clause;
    let reason = crate::service::required_reason(reason)?;
    let txn = begin_write(db).await?;
    let current = find(&txn, p, id).await?;
    let caps = delegations::capacities(&txn, profiles, p, Responsibility::ApprovePosts).await?;
    let Some(cap) = caps.iter().find(|c| profile.posts.approvers.contains(&c.role)) else {
        return Err(AppError::forbidden_by("you may not decide on posts", clause));
    };
    if current.author_user_id == p.user_id || current.author_user_id == cap.authority_user_id {
        return Err(AppError::forbidden_by("nobody decides on their own post", clause));
    }
    if !transition(
        &txn,
        id,
        &[PostStatus::Submitted],
        PostStatus::Rejected,
        Some(&reason),
    )
    .await?
    {
        return Err(AppError::Conflict(format!(
            "post is {}, not SUBMITTED",
            find(&txn, p, id).await?.status
        )));
    }
    let mut ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "post.rejected",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Post", id)
    .detail(json!({ "reason": reason }));
    ev.on_behalf_of_user_id = cap.as_designee_of;
    audit::append(&txn, meta, ev).await?;
    let out = find(&txn, p, id).await?;
    txn.commit().await?;
    Ok(out)
}

/// Records where an approved post went live (the PIO, or the author while authorized for the
/// platform). Media consent is checked again: a consent that lapsed since submission stops
/// publication.
pub async fn publish(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    external_url: &str,
    meta: &RequestMeta,
) -> AppResult<post::Model> {
    let profile = profiles.of(&p.department_code)?;
    let current = find(db, p, id).await?;
    if p.role != Role::Pio && current.author_user_id != p.user_id {
        return Err(AppError::forbidden_by(
            "only the PIO or the author records publication",
            &profile.posts.approval_clause,
        ));
    }
    if p.role != Role::Pio {
        // An author publishes only while their authorization is live (IL 01.02.400 II.G.5.a).
        super::require_authorized(db, profiles, p, current.platform_id).await?;
    }
    let url = external_url.trim();
    if !url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
        return Err(AppError::BadUserInput(
            "externalUrl must be an http(s) URL".into(),
        ));
    }
    let media = media_of(db, id).await?;
    let (missing, used) = consent_findings(db, profile, p.department_id, &media).await?;
    if missing.iter().any(|f| f.severity == screening::Severity::Block) {
        return Err(AppError::PolicyViolation {
            message: "a consent lapsed since the post was submitted".into(),
            findings: findings_json(&missing),
        });
    }
    let txn = begin_write(db).await?;
    let done = post::Entity::update_many()
        .col_expr(post::Column::Status, Expr::value(PostStatus::Published.as_str()))
        .col_expr(post::Column::ExternalUrl, Expr::value(url))
        .col_expr(post::Column::PublishedAt, Expr::value(Utc::now()))
        .col_expr(post::Column::PublishedByUserId, Expr::value(p.user_id))
        .col_expr(post::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(post::Column::Id.eq(id))
        .filter(post::Column::Status.eq(PostStatus::Approved.as_str()))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::Conflict(format!(
            "post is {}, not APPROVED",
            find(&txn, p, id).await?.status
        )));
    }
    if !used.is_empty() {
        post_consent::Entity::insert_many(used.iter().map(|c| post_consent::ActiveModel {
            post_id: Set(id),
            consent_id: Set(*c),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
    }
    let hook = json!({ "post_id": id, "platform_id": current.platform_id, "external_url": url });
    crate::records::webhooks::enqueue(
        &txn,
        p.department_id,
        "post.published",
        &format!("post.published:{id}"),
        hook,
    )
    .await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "post.published",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Post", id)
    .detail(json!({ "external_url": url, "consents": used }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    find(db, p, id).await
}

/// Takes a post down (director, PIO or the author), with a reason.
pub async fn remove(
    db: &DatabaseConnection,
    p: &Principal,
    id: i64,
    reason: &str,
    meta: &RequestMeta,
) -> AppResult<post::Model> {
    let reason = crate::service::required_reason(reason)?;
    let txn = begin_write(db).await?;
    let current = find(&txn, p, id).await?;
    if p.role == Role::Staff && current.author_user_id != p.user_id {
        return Err(AppError::Forbidden(
            "only the director, the PIO or the author removes a post".into(),
        ));
    }
    let from = [PostStatus::Submitted, PostStatus::Approved, PostStatus::Published];
    if !transition(&txn, id, &from, PostStatus::Removed, Some(&reason)).await? {
        return Err(AppError::Conflict(format!(
            "post is {}",
            find(&txn, p, id).await?.status
        )));
    }
    post::Entity::update_many()
        .col_expr(post::Column::RemovedAt, Expr::value(Utc::now()))
        .filter(post::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "post.removed",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Post", id)
    .detail(json!({ "reason": reason, "from": current.status }));
    audit::append(&txn, meta, ev).await?;
    let out = find(&txn, p, id).await?;
    txn.commit().await?;
    Ok(out)
}
