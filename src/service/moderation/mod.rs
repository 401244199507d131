//! Moderation decisions (MT IV.A.2.c; IL 01.02.400 II.G.4.b) and appeals.
//!
//! A decision names its action, the rules and their clauses, a staff-only note and what the
//! commenter may be told. Hiding or removing needs at least one rule. A later decision may
//! reverse an earlier one; nothing is erased. An appeal is decided by someone other than the
//! moderator whose decision it contests.
//!
//! Decisions on one comment serialise: each takes the comment's row lock (PostgreSQL) inside a
//! write transaction (one at a time on SQLite) before it reads the latest decision, so the
//! comment's status is always its last decision's and reversals form one chain.

mod appeals;

pub use appeals::{AppealOutcome, decide_appeal, file_appeal};

use chrono::Utc;
use entity::{comment, moderation_decision};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;

use super::comments::{self, CommentStatus};
use crate::auth::Principal;
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
    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Publish, Self::Hide, Self::Remove, Self::Escalate]
            .into_iter()
            .find(|a| a.as_str() == s)
    }

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
    let mut locked = comments::lock_in(&txn, p.department_id, ids).await?;
    for id in ids {
        let Some(c) = locked.get(id).cloned() else {
            return Err(AppError::NotFound("comment"));
        };
        let j = Justified {
            action: d.action,
            rules: &rules,
            clauses: &clauses,
            note: &d.note,
            public: &public,
            appeal_id: None,
        };
        let row = decide(&txn, p, &cap, &c, j, meta).await?;
        if let Some(c) = locked.get_mut(id) {
            // The same comment twice in one call: its first decision time is set now.
            c.first_decision_at = c.first_decision_at.or(Some(row.created_at));
        }
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

pub(super) fn decided_event(
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
pub(super) struct Justified<'a> {
    pub action: ModerationAction,
    pub rules: &'a [String],
    pub clauses: &'a [String],
    pub note: &'a Option<String>,
    pub public: &'a Option<String>,
    pub appeal_id: Option<i64>,
}

pub(super) async fn decide(
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
    comments::set_rules_status(txn, c.id, action.status()).await?;
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
