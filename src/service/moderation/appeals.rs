//! Appeals: a commenter contests the latest decision on a comment; someone other than its
//! moderator upholds or overturns it.

use chrono::Utc;
use entity::{appeal, moderation_decision};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::{Justified, ModerationAction, decide, decided_event};
use crate::auth::{Actor, Principal};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::events::{EventKind, ModerationEvent};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::service::comments;
use crate::state::AppState;

/// Records a commenter's appeal against the latest decision on a comment (filed by a moderator
/// on the commenter's behalf until integrations file them).
pub async fn file_appeal(
    state: &AppState,
    actor: Actor<'_>,
    comment_id: i64,
    text: &str,
    meta: &RequestMeta,
) -> AppResult<appeal::Model> {
    let (on_behalf, integration) = comments::acting(&state.db, &state.profiles, actor).await?;
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 4000 {
        return Err(AppError::BadUserInput(
            "the appeal needs a text of 1-4000 characters".into(),
        ));
    }
    let txn = begin_write(&state.db).await?;
    let c = locked(&txn, actor.department_id(), comment_id).await?;
    let Some(last) = moderation_decision::Entity::find()
        .filter(moderation_decision::Column::CommentId.eq(c.id))
        .order_by_desc(moderation_decision::Column::Id)
        .one(&txn)
        .await?
    else {
        return Err(AppError::Conflict("there is no decision to appeal".into()));
    };
    let open = appeal::Entity::find()
        .filter(appeal::Column::CommentId.eq(c.id))
        .filter(appeal::Column::Status.eq("OPEN"))
        .one(&txn)
        .await?;
    if open.is_some() {
        return Err(AppError::Conflict(
            "an appeal of this comment is already open".into(),
        ));
    }
    let row = appeal::ActiveModel {
        department_id: Set(actor.department_id()),
        comment_id: Set(c.id),
        decision_id: Set(last.id),
        text: Set(text.to_owned()),
        status: Set("OPEN".into()),
        filed_by_user_id: Set(actor.user_id()),
        decided_by_user_id: Set(None),
        decision_note: Set(None),
        decided_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut ev = NewEvent::department(
        actor.department_code(),
        actor.department_id(),
        "comment.appealed",
        Outcome::Success,
    )
    .subject("Comment", c.id)
    .detail(json!({ "appeal_id": row.id, "decision_id": last.id, "integration_token_id": integration }));
    ev.actor_user_id = actor.user_id();
    ev.on_behalf_of_user_id = on_behalf;
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    state
        .metrics
        .appeals
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    state
        .events
        .publish(vec![ModerationEvent {
            kind: EventKind::AppealFiled,
            department_id: actor.department_id(),
            comment_id: c.id,
            decision_id: Some(last.id),
            appeal_id: Some(row.id),
            status: c.status.clone(),
            at: row.created_at,
        }])
        .await;
    Ok(row)
}

/// How an appeal ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum AppealOutcome {
    /// The decision stands.
    Uphold,
    /// The decision is reversed: the comment is published.
    Overturn,
}

/// Decides an appeal; the decider is never the moderator (or the authority) of the contested
/// decision. Overturning records a PUBLISH decision that reverses it.
pub async fn decide_appeal(
    state: &AppState,
    p: &Principal,
    appeal_id: i64,
    outcome: AppealOutcome,
    note: Option<String>,
    meta: &RequestMeta,
) -> AppResult<appeal::Model> {
    let profile = state.profiles.of(&p.department_code)?;
    let cap = comments::moderator(&state.db, &state.profiles, p).await?;
    let txn = begin_write(&state.db).await?;
    let a = appeal::Entity::find_by_id(appeal_id)
        .one(&txn)
        .await?
        .filter(|a| a.department_id == p.department_id)
        .ok_or(AppError::NotFound("appeal"))?;
    let contested = moderation_decision::Entity::find_by_id(a.decision_id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::from(anyhow::anyhow!("appeal {} without its decision", a.id)))?;
    let involved = [
        Some(contested.moderator_user_id),
        contested.as_designee_of_user_id,
    ];
    if involved.contains(&Some(p.user_id)) || involved.contains(&Some(cap.authority_user_id)) {
        return Err(AppError::forbidden_by(
            "an appeal is decided by someone other than the original moderator",
            &profile.comments.moderation_clause,
        ));
    }
    let status = match outcome {
        AppealOutcome::Uphold => "UPHELD",
        AppealOutcome::Overturn => "OVERTURNED",
    };
    let done = appeal::Entity::update_many()
        .col_expr(appeal::Column::Status, Expr::value(status))
        .col_expr(appeal::Column::DecidedByUserId, Expr::value(p.user_id))
        .col_expr(appeal::Column::DecisionNote, Expr::value(note.clone()))
        .col_expr(appeal::Column::DecidedAt, Expr::value(Utc::now()))
        .filter(appeal::Column::Id.eq(a.id))
        .filter(appeal::Column::Status.eq("OPEN"))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::Conflict(format!("appeal is {}", a.status)));
    }
    let mut events = Vec::new();
    if outcome == AppealOutcome::Overturn {
        let c = locked(&txn, p.department_id, a.comment_id).await?;
        let rules: Vec<String> = serde_json::from_str(&contested.rules).unwrap_or_default();
        let clauses: Vec<String> = serde_json::from_str(&contested.clauses).unwrap_or_default();
        let public = Some("Your appeal was granted and your comment is published.".to_owned());
        let j = Justified {
            action: ModerationAction::Publish,
            rules: &rules,
            clauses: &clauses,
            note: &note,
            public: &public,
            appeal_id: Some(a.id),
        };
        let row = decide(&txn, p, &cap, &c, j, meta).await?;
        events.push(decided_event(p, &c, &row, ModerationAction::Publish));
    }
    let mut ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "comment.appeal_decided",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Comment", a.comment_id)
    .detail(json!({ "appeal_id": a.id, "outcome": status }));
    ev.on_behalf_of_user_id = cap.as_designee_of;
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    state.events.publish(events).await;
    appeal::Entity::find_by_id(a.id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("appeal"))
}

/// Loads and locks one comment of a department (see `comments::lock_in`).
async fn locked(
    txn: &sea_orm::DatabaseTransaction,
    department_id: i64,
    id: i64,
) -> AppResult<entity::comment::Model> {
    comments::lock_in(txn, department_id, &[id])
        .await?
        .remove(&id)
        .ok_or(AppError::NotFound("comment"))
}
