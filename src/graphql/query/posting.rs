//! Posting queries: authorizations, posts, consents, staff profiles, violations.

use async_graphql::{Context, ID, Object};

use crate::error::{AppError, AppResult};
use crate::graphql::context::{principal, state};
use crate::graphql::ids::{self, Kind};
use crate::graphql::paging::{self, Paged};
use crate::graphql::prefetch;
use crate::graphql::scalars::Timestamp;
use crate::graphql::types::codes::ViolationStatus;
use crate::graphql::types::posting::{Authorization, Consent, Post, StaffProfile, Violation};
use crate::service::authorizations::{self, AuthorizationStatus};
use crate::service::posts::{self, PostFilter, PostStatus};
use crate::service::{consents, staff_profiles, violations};

/// Posting read operations.
#[derive(Default)]
pub struct PostingQuery;

#[Object]
impl PostingQuery {
    /// Posting authorizations, newest first (directors and PIOs: the department's; others:
    /// their own). `expiringWithinDays` lists live ones ending soon.
    #[expect(clippy::too_many_arguments, reason = "one argument per filter of the list")]
    async fn authorizations(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        status: Option<AuthorizationStatus>,
        expiring_within_days: Option<u32>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<Paged<Authorization>> {
        let p = principal(ctx)?;
        let window = paging::window(ctx, first, after, last, before)?;
        let db = &state(ctx)?.db;
        let page =
            authorizations::page(db, p, &department_code, status, expiring_within_days, window).await?;
        Ok(paging::connection(page, |r| r.id, Authorization))
    }

    /// Posts, newest first, filtered by status, platform, author and creation time.
    #[expect(clippy::too_many_arguments, reason = "one argument per filter of the list")]
    async fn posts(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        status: Option<PostStatus>,
        platform_id: Option<ID>,
        author_id: Option<ID>,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<Paged<Post>> {
        let p = principal(ctx)?;
        let window = paging::window(ctx, first, after, last, before)?;
        let filter = PostFilter {
            status,
            platform_id: platform_id
                .as_ref()
                .map(|x| ids::decode(x, Kind::Platform))
                .transpose()?,
            author_id: author_id
                .as_ref()
                .map(|x| ids::decode(x, Kind::User))
                .transpose()?,
            from: from.map(|t| t.0),
            to: to.map(|t| t.0),
        };
        let db = &state(ctx)?.db;
        let page = posts::page(db, p, &department_code, filter, window).await?;
        prefetch::posts(ctx, db, &page.rows).await?;
        Ok(paging::connection(page, |r| r.id, Post))
    }

    /// Consent records of the department, newest first (director and PIO).
    async fn consents(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<Paged<Consent>> {
        let p = principal(ctx)?;
        let window = paging::window(ctx, first, after, last, before)?;
        let page = consents::page(&state(ctx)?.db, p, &department_code, window).await?;
        Ok(paging::connection(page, |r| r.id, Consent))
    }

    /// Personal profiles used on duty, newest first (director and PIO: all; others: their own).
    async fn staff_profiles(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<Paged<StaffProfile>> {
        let p = principal(ctx)?;
        let window = paging::window(ctx, first, after, last, before)?;
        let page = staff_profiles::page(&state(ctx)?.db, p, &department_code, window).await?;
        Ok(paging::connection(page, |r| r.id, StaffProfile))
    }

    /// Violations, newest first: the employee sees their own; the director and PIO the
    /// department's, filtered by employee and status.
    #[expect(clippy::too_many_arguments, reason = "one argument per filter of the list")]
    async fn violations(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        user_id: Option<ID>,
        #[graphql(deprecation = "use `withStatus`, which takes the enum")] status: Option<String>,
        with_status: Option<ViolationStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<Paged<Violation>> {
        let p = principal(ctx)?;
        let window = paging::window(ctx, first, after, last, before)?;
        let user_id = user_id.as_ref().map(|x| ids::decode(x, Kind::User)).transpose()?;
        let status = match (status, with_status) {
            (Some(_), Some(_)) => {
                return Err(AppError::BadUserInput(
                    "give `withStatus` or `status`, not both".into(),
                ));
            }
            (Some(s), None) => Some(
                ViolationStatus::parse(&s)
                    .ok_or_else(|| AppError::BadUserInput(format!("unknown violation status {s:?}")))?,
            ),
            (None, s) => s,
        };
        let db = &state(ctx)?.db;
        let page = violations::page(
            db,
            p,
            &department_code,
            user_id,
            status.map(ViolationStatus::as_str),
            window,
        )
        .await?;
        Ok(paging::connection(page, |r| r.id, Violation))
    }
}
