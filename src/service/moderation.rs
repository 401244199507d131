//! Moderation decisions (MT IV.A.2.c; IL 01.02.400 II.G.4.b) and appeals.
//!
//! A decision names its action, the rules and their clauses, a staff-only note and what the
//! commenter may be told. Hiding or removing needs at least one rule. A later decision may
//! reverse an earlier one; nothing is erased. An appeal is decided by someone other than the
//! moderator whose decision it contests.

use chrono::Utc;
use entity::{appeal, comment, moderation_decision};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;

use super::comments::{self, CommentStatus};
use crate::auth::{Actor, Principal};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::events::{EventKind, ModerationEvent};
use crate::policy::Profile;
use crate::policy::quorum::Capacity;
use crate::policy::screening::RuleCode;
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::state::AppState;

/// What a moderator does with a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ModerationAction {
    /// Make it visible.
    Publish,
    /// Hide it from the public.
    Hide,
    /// Remove it.
    Remove,
    /// Hand it up for a second opinion.
    Escalate,
}

impl ModerationAction {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Publish => "PUBLISH",
            Self::Hide => "HIDE",
            Self::Remove => "REMOVE",
            Self::Escalate => "ESCALATE",
        }
    }

    fn index(self) -> usize {
        match self {
            Self::Publish => 0,
            Self::Hide => 1,
            Self::Remove => 2,
            Self::Escalate => 3,
        }
    }

    fn status(self) -> CommentStatus {
        match self {
            Self::Publish => CommentStatus::Published,
            Self::Hide => CommentStatus::Hidden,
            Self::Remove => CommentStatus::Removed,
            Self::Escalate => CommentStatus::Escalated,
        }
    }
}

/// A decision to apply to one or more comments.
#[derive(Clone)]
pub struct Decision {
    /// Action.
    pub action: ModerationAction,
    /// Rule codes it rests on.
    pub rules: Vec<String>,
    /// Staff-only note.
    pub note: Option<String>,
    /// What the commenter may be told (canned from the profile when absent).
    pub public_reason: Option<String>,
}

/// Most comments one bulk decision may cover.
pub const MAX_BULK: usize = 100;

/// The validated rules with their clauses, and the public reason.
fn justify(profile: &Profile, d: &Decision) -> AppResult<(Vec<String>, Vec<String>, Option<String>)> {
    let clause = &profile.comments.moderation_clause;
    let mut rules = Vec::new();
    let mut clauses = Vec::new();
    for r in &d.rules {
        let code: RuleCode = r
            .parse()
            .map_err(|_| AppError::BadUserInput(format!("unknown rule code {r}")))?;
        let c = profile
            .screening
            .rules
            .get(&code)
            .map(|x| x.clause.clone())
            .unwrap_or_default();
        if !rules.contains(&code.as_str().to_owned()) {
            rules.push(code.as_str().to_owned());
            clauses.push(c);
        }
    }
    if matches!(d.action, ModerationAction::Hide | ModerationAction::Remove) && rules.is_empty() {
        return Err(AppError::BadUserInput(format!(
            "hiding or removing a comment needs at least one rule code as its reason ({clause})"
        )));
    }
    let public = match (&d.public_reason, d.action) {
        (Some(r), _) if !r.trim().is_empty() => Some(r.trim().to_owned()),
        (_, ModerationAction::Hide | ModerationAction::Remove) => {
            rules.iter().zip(&clauses).find_map(|(rule, c)| {
                let code: RuleCode = rule.parse().ok()?;
                profile
                    .comments
                    .public_reasons
                    .get(&code)
                    .map(|t| t.replace("{clause}", c))
            })
        }
        _ => None,
    };
    if d.note.as_ref().is_some_and(|n| n.chars().count() > 4000) {
        return Err(AppError::BadUserInput(
            "note must have at most 4000 characters".into(),
        ));
    }
    Ok((rules, clauses, public))
}

/// Applies one decision to each comment, in one transaction, each audited; emits events after
/// commit.
pub async fn moderate(
    state: &AppState,
    p: &Principal,
    ids: &[i64],
    d: Decision,
    meta: &RequestMeta,
) -> AppResult<Vec<moderation_decision::Model>> {
    let profile = state.profiles.of(&p.department_code)?;
    if ids.is_empty() || ids.len() > MAX_BULK {
        return Err(AppError::BadUserInput(format!(
            "decide on 1 to {MAX_BULK} comments at once"
        )));
    }
    let cap = comments::moderator(&state.db, &state.profiles, p).await?;
    let (rules, clauses, public) = justify(profile, &d)?;
    let txn = begin_write(&state.db).await?;
    let mut out = Vec::with_capacity(ids.len());
    let mut events = Vec::with_capacity(ids.len());
    let mut reversals = 0;
    for id in ids {
        let c = comments::find(&txn, p, *id).await?;
        let j = Justified {
            action: d.action,
            rules: &rules,
            clauses: &clauses,
            note: &d.note,
            public: &public,
            appeal_id: None,
        };
        let row = decide(&txn, p, &cap, &c, j, meta).await?;
        reversals += usize::from(row.reverses_decision_id.is_some());
        events.push(decided_event(p, &c, &row, d.action));
        out.push(row);
    }
    txn.commit().await?;
    state.metrics.decisions[d.action.index()]
        .fetch_add(out.len() as u64, std::sync::atomic::Ordering::Relaxed);
    state
        .metrics
        .reversals
        .fetch_add(reversals as u64, std::sync::atomic::Ordering::Relaxed);
    state.events.publish(events).await;
    Ok(out)
}

fn decided_event(
    p: &Principal,
    c: &comment::Model,
    row: &moderation_decision::Model,
    action: ModerationAction,
) -> ModerationEvent {
    ModerationEvent {
        kind: EventKind::CommentDecided,
        department_id: p.department_id,
        comment_id: c.id,
        decision_id: Some(row.id),
        appeal_id: None,
        status: action.status().as_str().to_owned(),
        at: row.created_at,
    }
}

/// A justified decision, ready to record.
struct Justified<'a> {
    action: ModerationAction,
    rules: &'a [String],
    clauses: &'a [String],
    note: &'a Option<String>,
    public: &'a Option<String>,
    appeal_id: Option<i64>,
}

async fn decide(
    txn: &DatabaseTransaction,
    p: &Principal,
    cap: &Capacity,
    c: &comment::Model,
    j: Justified<'_>,
    meta: &RequestMeta,
) -> AppResult<moderation_decision::Model> {
    let Justified {
        action,
        rules,
        clauses,
        note,
        public,
        appeal_id,
    } = j;
    let last = moderation_decision::Entity::find()
        .filter(moderation_decision::Column::CommentId.eq(c.id))
        .order_by_desc(moderation_decision::Column::Id)
        .one(txn)
        .await?;
    let reverses = last.filter(|l| l.action != action.as_str()).map(|l| l.id);
    let now = Utc::now();
    let row = moderation_decision::ActiveModel {
        department_id: Set(p.department_id),
        comment_id: Set(c.id),
        action: Set(action.as_str().to_owned()),
        rules: Set(json!(rules).to_string()),
        clauses: Set(json!(clauses).to_string()),
        note: Set(note
            .as_ref()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())),
        public_reason: Set(public.clone()),
        moderator_user_id: Set(p.user_id),
        as_designee_of_user_id: Set(cap.as_designee_of),
        reverses_decision_id: Set(reverses),
        appeal_id: Set(appeal_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut update = comment::Entity::update_many()
        .col_expr(comment::Column::Status, Expr::value(action.status().as_str()))
        .filter(comment::Column::Id.eq(c.id));
    if c.first_decision_at.is_none() {
        update = update.col_expr(comment::Column::FirstDecisionAt, Expr::value(now));
    }
    update.exec(txn).await?;
    let hook = json!({ "comment_id": c.id, "decision_id": row.id, "action": action.as_str(), "rules": rules, "public_reason": public });
    crate::records::webhooks::enqueue(
        txn,
        p.department_id,
        "comment.decided",
        &format!("comment.decided:{}", row.id),
        hook,
    )
    .await?;
    let mut ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "comment.decided",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Comment", c.id)
    .detail(json!({
        "decision_id": row.id, "action": action.as_str(), "rules": rules, "clauses": clauses,
        "reverses": reverses, "appeal_id": appeal_id,
    }));
    ev.on_behalf_of_user_id = cap.as_designee_of;
    audit::append(txn, meta, ev).await?;
    Ok(row)
}

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
    let c = comments::find_in(&txn, actor.department_id(), comment_id).await?;
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
        let c = comments::find(&txn, p, a.comment_id).await?;
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
