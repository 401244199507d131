//! Moderation queries: the queue, the log, statistics.

use async_graphql::{Context, ID, Object};

use crate::error::{AppError, AppResult};
use crate::graphql::context::{actor, principal, state};
use crate::graphql::ids::{self, Kind};
use crate::graphql::paging::{self, Paged};
use crate::graphql::prefetch;
use crate::graphql::scalars::Timestamp;
use crate::graphql::types::moderation::{Comment, ModerationDecision, ModerationStats, names_hidden};
use crate::policy::screening::RuleCode;
use crate::service::comments::{self, CommentStatus, QueueFilter};
use crate::service::moderation::ModerationAction;
use crate::service::moderation_log::{self, LogFilter};

/// Moderation read operations.
#[derive(Default)]
pub struct ModerationQuery;

#[Object]
impl ModerationQuery {
    /// Comments waiting for a decision (or in `status`), oldest first, filtered by platform and
    /// rule; each with its findings, decisions and the commenter's prior decisions.
    #[expect(clippy::too_many_arguments, reason = "one argument per filter of the queue")]
    async fn moderation_queue(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        platform_id: Option<ID>,
        rule: Option<String>,
        status: Option<CommentStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<Paged<Comment>> {
        let p = principal(ctx)?;
        let st = state(ctx)?;
        let window = paging::window(ctx, first, after, last, before)?;
        let rule = rule
            .map(|r| {
                r.parse::<RuleCode>()
                    .map_err(|_| AppError::BadUserInput(format!("unknown rule code {r}")))
            })
            .transpose()?;
        let filter = QueueFilter {
            platform_id: platform_id
                .as_ref()
                .map(|x| ids::decode(x, Kind::Platform))
                .transpose()?,
            rule,
            status,
        };
        let page = comments::queue(&st.db, &st.profiles, p, &department_code, filter, window).await?;
        prefetch::comments(ctx, &st.db, &page.rows).await?;
        Ok(paging::connection(page, |r| r.id, Comment))
    }

    /// Every decision of the department, newest first: actor (and designee-of), rules, clauses.
    #[expect(clippy::too_many_arguments, reason = "one argument per filter of the log")]
    async fn moderation_log(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        action: Option<ModerationAction>,
        moderator_id: Option<ID>,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<Paged<ModerationDecision>> {
        let who = actor(ctx)?;
        let st = state(ctx)?;
        if moderator_id.is_some() && names_hidden(ctx)? {
            return Err(AppError::Forbidden(
                "this department does not show integrations who moderated, so they cannot filter by moderator".into(),
            ));
        }
        let window = paging::window(ctx, first, after, last, before)?;
        let filter = LogFilter {
            action: action.map(|a| a.as_str().to_owned()),
            moderator_id: moderator_id
                .as_ref()
                .map(|x| ids::decode(x, Kind::User))
                .transpose()?,
            from: from.map(|t| t.0),
            to: to.map(|t| t.0),
        };
        let page = moderation_log::page(&st.db, &st.profiles, who, &department_code, filter, window).await?;
        Ok(paging::connection(page, |r| r.id, ModerationDecision))
    }

    /// Counts by rule, clause and action, time to first decision, reversals and appeals in
    /// `[from, to)`.
    async fn moderation_stats(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        from: Timestamp,
        to: Timestamp,
    ) -> AppResult<ModerationStats> {
        let p = principal(ctx)?;
        let st = state(ctx)?;
        if to <= from {
            return Err(AppError::BadUserInput("`to` must be after `from`".into()));
        }
        Ok(
            moderation_log::stats(&st.db, &st.profiles, p, &department_code, from.0, to.0)
                .await?
                .into(),
        )
    }
}
