//! Moderation types: comments, decisions, appeals, statistics, live events.

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use entity::{appeal, comment, moderation_decision};
use sea_orm::EntityTrait;

use super::platform::Platform;
use super::screening::{Finding, ScreeningProvenance, Verdict, stored_findings, stored_provenance};
use super::user::User;
use super::{load_failed, loader, user_by_id};
use crate::error::{AppError, AppResult};
use crate::events::{EventKind, ModerationEvent as BusEvent};
use crate::graphql::context::{request, state};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::{AppealsOf, CommenterHistory, DecisionsOf, History, PlatformId};
use crate::graphql::scalars::Timestamp;
use crate::service::comments::CommentStatus;

/// A public comment.
pub struct Comment(pub comment::Model);

#[Object]
impl Comment {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Comment, self.0.id)
    }

    /// The platform.
    async fn platform(&self, ctx: &Context<'_>) -> AppResult<Option<Platform>> {
        Ok(loader(ctx)?
            .load_one(PlatformId(self.0.platform_id))
            .await
            .map_err(load_failed)?
            .map(Platform))
    }

    /// The post it answers.
    async fn post_id(&self) -> Option<ID> {
        self.0.post_id.map(|id| encode(Kind::Post, id))
    }

    /// The post it answers, as an object.
    async fn post(&self, ctx: &Context<'_>) -> AppResult<Option<super::posting::Post>> {
        let Some(id) = self.0.post_id else { return Ok(None) };
        let row = entity::post::Entity::find_by_id(id).one(&state(ctx)?.db).await?;
        Ok(row
            .filter(|p| p.department_id == self.0.department_id)
            .map(super::posting::Post))
    }

    /// The platform's id of the comment.
    async fn external_id(&self) -> &str {
        &self.0.external_id
    }

    /// The commenter.
    async fn author_handle(&self) -> &str {
        &self.0.author_handle
    }

    /// The text.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// Where it stands.
    async fn status(&self) -> AppResult<CommentStatus> {
        CommentStatus::parse(&self.0.status).ok_or_else(|| {
            AppError::from(anyhow::anyhow!(
                "comment {} has status {}",
                self.0.id,
                self.0.status
            ))
        })
    }

    /// Screening verdict on ingest.
    async fn verdict(&self) -> Verdict {
        match self.0.verdict.as_str() {
            "BLOCK" => Verdict::Block,
            "REVIEW" => Verdict::Review,
            _ => Verdict::Clear,
        }
    }

    /// Screening findings (UTF-16 offsets for highlighting).
    async fn findings(&self) -> Vec<Finding> {
        stored_findings(Some(&self.0.findings))
    }

    /// What produced the screening (engine version, model and heads).
    async fn screened_by(&self) -> Option<ScreeningProvenance> {
        stored_provenance(self.0.screened_by.as_deref())
    }

    /// When the platform received it.
    async fn received_at(&self) -> Timestamp {
        Timestamp(self.0.received_at)
    }

    /// Every decision on it, oldest first; nothing is erased.
    async fn decisions(&self, ctx: &Context<'_>) -> AppResult<Vec<ModerationDecision>> {
        let rows = loader(ctx)?
            .load_one(DecisionsOf(self.0.id))
            .await
            .map_err(load_failed)?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(ModerationDecision)
            .collect())
    }

    /// The most recent decisions (at most 20) on this commenter's other comments on the same
    /// platform, oldest first; `priorDecisionCount` says how many there are in all.
    async fn prior_decisions(&self, ctx: &Context<'_>) -> AppResult<Vec<ModerationDecision>> {
        Ok(self
            .history(ctx)
            .await?
            .recent
            .into_iter()
            .filter(|d| d.comment_id != self.0.id)
            .map(ModerationDecision)
            .collect())
    }

    /// How many decisions there are on this commenter's other comments on the same platform.
    async fn prior_decision_count(&self, ctx: &Context<'_>) -> AppResult<u64> {
        let total = self.history(ctx).await?.total;
        let own = loader(ctx)?
            .load_one(DecisionsOf(self.0.id))
            .await
            .map_err(load_failed)?
            .map_or(0, |d| d.len() as u64);
        Ok(total.saturating_sub(own))
    }

    /// Appeals.
    async fn appeals(&self, ctx: &Context<'_>) -> AppResult<Vec<Appeal>> {
        let rows = loader(ctx)?
            .load_one(AppealsOf(self.0.id))
            .await
            .map_err(load_failed)?;
        Ok(rows.unwrap_or_default().into_iter().map(Appeal).collect())
    }
}

/// A moderation decision.
pub struct ModerationDecision(pub moderation_decision::Model);

#[Object]
impl ModerationDecision {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::ModerationDecision, self.0.id)
    }

    /// The comment.
    async fn comment_id(&self) -> ID {
        encode(Kind::Comment, self.0.comment_id)
    }

    /// The comment, as an object.
    async fn comment(&self, ctx: &Context<'_>) -> AppResult<Option<Comment>> {
        comment_of(ctx, self.0.comment_id, self.0.department_id).await
    }

    /// What the moderator did.
    async fn action(&self) -> AppResult<crate::service::moderation::ModerationAction> {
        crate::graphql::types::codes::known(
            crate::service::moderation::ModerationAction::parse,
            "decision",
            self.0.id,
            &self.0.action,
        )
    }

    /// Rule codes it rests on.
    async fn rules(&self) -> Vec<String> {
        serde_json::from_str(&self.0.rules).unwrap_or_default()
    }

    /// The clauses of those rules.
    async fn clauses(&self) -> Vec<String> {
        serde_json::from_str(&self.0.clauses).unwrap_or_default()
    }

    /// Staff-only note (never shown to integrations).
    async fn note(&self, ctx: &Context<'_>) -> AppResult<Option<&str>> {
        if request(ctx)?.integration.is_some() {
            return Ok(None);
        }
        Ok(self.0.note.as_deref())
    }

    /// What the commenter may be told.
    async fn public_reason(&self) -> Option<&str> {
        self.0.public_reason.as_deref()
    }

    /// Who decided (hidden from integrations when the department's profile says so).
    async fn moderator(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        if names_hidden(ctx)? {
            return Ok(None);
        }
        user_by_id(ctx, Some(self.0.moderator_user_id)).await
    }

    /// Whose authority they used as designee ("by X as designee of Y").
    async fn as_designee_of(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        if names_hidden(ctx)? {
            return Ok(None);
        }
        user_by_id(ctx, self.0.as_designee_of_user_id).await
    }

    /// The earlier decision this one reverses.
    async fn reverses_decision_id(&self) -> Option<ID> {
        self.0
            .reverses_decision_id
            .map(|id| encode(Kind::ModerationDecision, id))
    }

    /// The appeal that led to it.
    async fn appeal_id(&self) -> Option<ID> {
        self.0.appeal_id.map(|id| encode(Kind::Appeal, id))
    }

    /// When.
    async fn at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }
}

/// Whether moderator identities are hidden from this caller: an integration of a department
/// whose profile sets `comments.hide_moderator_names_from_integrations`.
pub(crate) fn names_hidden(ctx: &Context<'_>) -> AppResult<bool> {
    let Some(i) = &request(ctx)?.integration else {
        return Ok(false);
    };
    Ok(state(ctx)?
        .profiles
        .get(&i.department_code)
        .is_some_and(|p| p.comments.hide_moderator_names_from_integrations))
}

/// An appeal against a decision.
pub struct Appeal(pub appeal::Model);

#[Object]
impl Appeal {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Appeal, self.0.id)
    }

    /// The contested decision.
    async fn decision_id(&self) -> ID {
        encode(Kind::ModerationDecision, self.0.decision_id)
    }

    /// The contested decision, as an object.
    async fn decision(&self, ctx: &Context<'_>) -> AppResult<Option<ModerationDecision>> {
        let row = moderation_decision::Entity::find_by_id(self.0.decision_id)
            .one(&state(ctx)?.db)
            .await?;
        Ok(row
            .filter(|d| d.department_id == self.0.department_id)
            .map(ModerationDecision))
    }

    /// The comment the contested decision was about.
    async fn comment(&self, ctx: &Context<'_>) -> AppResult<Option<Comment>> {
        comment_of(ctx, self.0.comment_id, self.0.department_id).await
    }

    /// The commenter's text.
    async fn text(&self) -> &str {
        &self.0.text
    }

    /// Where it stands.
    async fn status(&self) -> AppResult<crate::graphql::types::codes::AppealStatus> {
        crate::graphql::types::codes::known(
            crate::graphql::types::codes::AppealStatus::parse,
            "appeal",
            self.0.id,
            &self.0.status,
        )
    }

    /// Who decided it (hidden from integrations when the department's profile says so).
    async fn decided_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        if names_hidden(ctx)? {
            return Ok(None);
        }
        user_by_id(ctx, self.0.decided_by_user_id).await
    }

    /// When filed.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }
}

/// A count under a key.
#[derive(SimpleObject)]
pub struct Count {
    /// Rule code, clause, action or status.
    pub key: String,
    /// How many.
    pub count: i64,
}

/// Moderation statistics of a period.
#[derive(SimpleObject)]
pub struct ModerationStats {
    /// Decisions per rule code.
    pub by_rule: Vec<Count>,
    /// Decisions per clause.
    pub by_clause: Vec<Count>,
    /// Decisions per action.
    pub by_action: Vec<Count>,
    /// Comments first decided in the period.
    pub decided_comments: i64,
    /// Median seconds from receipt to first decision.
    pub median_seconds_to_first_decision: Option<f64>,
    /// 90th percentile seconds from receipt to first decision.
    pub p90_seconds_to_first_decision: Option<f64>,
    /// Decisions that reversed an earlier one.
    pub reversals: i64,
    /// Appeals filed in the period, by status.
    pub appeals: Vec<Count>,
}

impl From<crate::service::moderation_log::Stats> for ModerationStats {
    fn from(s: crate::service::moderation_log::Stats) -> Self {
        let counts = |m: std::collections::BTreeMap<String, i64>| {
            m.into_iter().map(|(key, count)| Count { key, count }).collect()
        };
        Self {
            by_rule: counts(s.by_rule),
            by_clause: counts(s.by_clause),
            by_action: counts(s.by_action),
            decided_comments: s.decided_comments,
            median_seconds_to_first_decision: s.median_seconds_to_first_decision,
            p90_seconds_to_first_decision: s.p90_seconds_to_first_decision,
            reversals: s.reversals,
            appeals: counts(s.appeals),
        }
    }
}

/// A live moderation event.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ModerationEvent {
    /// What happened.
    pub kind: EventKind,
    /// The comment's id.
    pub comment_id: ID,
    #[graphql(skip)]
    comment_row: i64,
    /// The decision, for COMMENT_DECIDED.
    pub decision_id: Option<ID>,
    /// The appeal, for APPEAL_FILED.
    pub appeal_id: Option<ID>,
    /// The comment's status after the event.
    pub status: CommentStatus,
    /// When.
    pub at: Timestamp,
}

impl TryFrom<BusEvent> for ModerationEvent {
    type Error = String;

    /// Fails for a status this version does not know (an event from a newer instance).
    fn try_from(e: BusEvent) -> Result<Self, String> {
        let status = CommentStatus::parse(&e.status)
            .ok_or_else(|| format!("moderation event with unknown status {:?}", e.status))?;
        Ok(Self {
            kind: e.kind,
            comment_id: encode(Kind::Comment, e.comment_id),
            comment_row: e.comment_id,
            decision_id: e.decision_id.map(|id| encode(Kind::ModerationDecision, id)),
            appeal_id: e.appeal_id.map(|id| encode(Kind::Appeal, id)),
            status,
            at: Timestamp(e.at),
        })
    }
}

/// A comment of `department_id` (references never cross departments).
async fn comment_of(ctx: &Context<'_>, id: i64, department_id: i64) -> AppResult<Option<Comment>> {
    let row = comment::Entity::find_by_id(id).one(&state(ctx)?.db).await?;
    Ok(row.filter(|c| c.department_id == department_id).map(Comment))
}

#[ComplexObject]
impl ModerationEvent {
    /// The comment as it is after the event, with its findings and decisions, so that a
    /// client's normalised cache (keyed by `id`) updates itself. Null if it is gone.
    async fn comment(&self, ctx: &Context<'_>) -> AppResult<Option<Comment>> {
        let row = comment::Entity::find_by_id(self.comment_row)
            .one(&state(ctx)?.db)
            .await?;
        Ok(row.map(Comment))
    }
}

impl Comment {
    /// The commenter's history on the comment's platform (batched over a page).
    async fn history(&self, ctx: &Context<'_>) -> AppResult<History> {
        let key = CommenterHistory(self.0.platform_id, self.0.author_handle.clone());
        Ok(loader(ctx)?
            .load_one(key)
            .await
            .map_err(load_failed)?
            .unwrap_or_default())
    }
}
