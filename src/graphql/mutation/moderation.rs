//! Moderation mutations: ingest, decisions (single and bulk), appeals.

use async_graphql::{Context, ID, InputObject, Object};

use crate::error::AppResult;
use crate::graphql::context::{actor, principal, request, state};
use crate::graphql::ids::{self, Kind};
use crate::graphql::scalars::Timestamp;
use crate::graphql::types::moderation::{Appeal, Comment, ModerationDecision};
use crate::service::comments::{self, Incoming};
use crate::service::moderation::{self, AppealOutcome, Decision, ModerationAction};
use crate::service::refusals::audited;

/// A comment delivered by a platform.
#[derive(InputObject)]
pub struct IngestCommentInput {
    /// The platform.
    pub platform_id: ID,
    /// The platform's id of the comment (ingest is idempotent on it).
    pub external_id: String,
    /// The commenter's handle.
    pub author_handle: String,
    /// The text.
    pub body: String,
    /// The post it answers.
    pub post_id: Option<ID>,
    /// When the platform received it.
    pub received_at: Option<Timestamp>,
}

/// Moderation write operations.
#[derive(Default)]
pub struct ModerationMutation;

#[Object]
impl ModerationMutation {
    /// Ingests a comment (moderators, or integrations with an INGEST token); screened on first
    /// ingest.
    async fn ingest_comment(&self, ctx: &Context<'_>, input: IngestCommentInput) -> AppResult<Comment> {
        let (st, who, meta) = (state(ctx)?, actor(ctx)?, &request(ctx)?.meta);
        let inc = Incoming {
            platform_id: ids::decode(&input.platform_id, Kind::Platform)?,
            external_id: input.external_id,
            author_handle: input.author_handle,
            body: input.body,
            post_id: input
                .post_id
                .as_ref()
                .map(|x| ids::decode(x, Kind::Post))
                .transpose()?,
            received_at: input.received_at.map(|t| t.0),
        };
        let r = comments::ingest(st, who, inc, meta).await.map(|(c, _)| c);
        audited(&st.db, who, "comment.ingest", None, meta, r)
            .await
            .map(Comment)
    }

    /// Decides on a comment. HIDE and REMOVE need at least one rule code; `note` is staff-only,
    /// `publicReason` what the commenter may be told (canned per rule when absent).
    async fn moderate_comment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        action: ModerationAction,
        rules: Option<Vec<String>>,
        note: Option<String>,
        public_reason: Option<String>,
    ) -> AppResult<ModerationDecision> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Comment)?;
        let d = Decision {
            action,
            rules: rules.unwrap_or_default(),
            note,
            public_reason,
        };
        let r = moderation::moderate(st, p, &[id], d, meta).await;
        let mut rows = audited(&st.db, p, "comment.moderate", Some(("Comment", id)), meta, r).await?;
        rows.pop()
            .map(ModerationDecision)
            .ok_or_else(|| anyhow::anyhow!("no decision recorded").into())
    }

    /// Applies one decision with one justification to many comments; each is audited.
    async fn moderate_comments(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
        action: ModerationAction,
        rules: Option<Vec<String>>,
        note: Option<String>,
        public_reason: Option<String>,
    ) -> AppResult<Vec<ModerationDecision>> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let ids: Vec<i64> = ids
            .iter()
            .map(|x| ids::decode(x, Kind::Comment))
            .collect::<AppResult<_>>()?;
        let d = Decision {
            action,
            rules: rules.unwrap_or_default(),
            note,
            public_reason,
        };
        let r = moderation::moderate(st, p, &ids, d, meta).await;
        Ok(audited(&st.db, p, "comment.moderate_bulk", None, meta, r)
            .await?
            .into_iter()
            .map(ModerationDecision)
            .collect())
    }

    /// Records a commenter's appeal against the latest decision on their comment (from an
    /// integration on the commenter's behalf, or a moderator).
    async fn appeal_decision(&self, ctx: &Context<'_>, comment_id: ID, text: String) -> AppResult<Appeal> {
        let (st, who, meta) = (state(ctx)?, actor(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&comment_id, Kind::Comment)?;
        let r = moderation::file_appeal(st, who, id, &text, meta).await;
        audited(&st.db, who, "comment.appeal", Some(("Comment", id)), meta, r)
            .await
            .map(Appeal)
    }

    /// Decides an appeal (never by the original moderator); overturning publishes the comment.
    async fn decide_appeal(
        &self,
        ctx: &Context<'_>,
        id: ID,
        outcome: AppealOutcome,
        note: Option<String>,
    ) -> AppResult<Appeal> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Appeal)?;
        let r = moderation::decide_appeal(st, p, id, outcome, note, meta).await;
        audited(&st.db, p, "comment.decide_appeal", Some(("Appeal", id)), meta, r)
            .await
            .map(Appeal)
    }
}
