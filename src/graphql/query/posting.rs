//! Posting queries: authorizations, posts, consents, staff profiles, violations.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object};

use crate::error::AppResult;
use crate::graphql::context::{principal, state};
use crate::graphql::ids::{self, Kind};
use crate::graphql::prefetch;
use crate::graphql::scalars::Timestamp;
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
    async fn authorizations(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        status: Option<AuthorizationStatus>,
        expiring_within_days: Option<u32>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, Authorization>> {
        let p = principal(ctx)?;
        let first = ids::page_size(first)?;
        let before = after.as_deref().map(ids::decode_cursor).transpose()?;
        let db = &state(ctx)?.db;
        let (rows, more) = authorizations::page(
            db,
            p,
            &department_code,
            status,
            expiring_within_days,
            first,
            before,
        )
        .await?;
        let mut conn = Connection::new(before.is_some(), more);
        conn.edges.extend(
            rows.into_iter()
                .map(|r| Edge::new(ids::cursor(r.id), Authorization(r))),
        );
        Ok(conn)
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
    ) -> AppResult<Connection<String, Post>> {
        let p = principal(ctx)?;
        let first = ids::page_size(first)?;
        let before = after.as_deref().map(ids::decode_cursor).transpose()?;
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
        let (rows, more) = posts::page(db, p, &department_code, filter, first, before).await?;
        prefetch::posts(ctx, db, &rows).await?;
        let mut conn = Connection::new(before.is_some(), more);
        conn.edges
            .extend(rows.into_iter().map(|r| Edge::new(ids::cursor(r.id), Post(r))));
        Ok(conn)
    }

    /// Consent records of the department, newest first (director and PIO).
    async fn consents(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, Consent>> {
        let p = principal(ctx)?;
        let first = ids::page_size(first)?;
        let before = after.as_deref().map(ids::decode_cursor).transpose()?;
        let (rows, more) = consents::page(&state(ctx)?.db, p, &department_code, first, before).await?;
        Ok(connection(before.is_some(), more, rows, |r| r.id, Consent))
    }

    /// Personal profiles used on duty, newest first (director and PIO: all; others: their own).
    async fn staff_profiles(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, StaffProfile>> {
        let p = principal(ctx)?;
        let first = ids::page_size(first)?;
        let before = after.as_deref().map(ids::decode_cursor).transpose()?;
        let (rows, more) = staff_profiles::page(&state(ctx)?.db, p, &department_code, first, before).await?;
        Ok(connection(before.is_some(), more, rows, |r| r.id, StaffProfile))
    }

    /// Violations, newest first: the employee sees their own; the director and PIO the
    /// department's, filtered by employee and status (`OPEN`, `RESOLVED`).
    async fn violations(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        user_id: Option<ID>,
        status: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, Violation>> {
        let p = principal(ctx)?;
        let first = ids::page_size(first)?;
        let before = after.as_deref().map(ids::decode_cursor).transpose()?;
        let user_id = user_id.as_ref().map(|x| ids::decode(x, Kind::User)).transpose()?;
        let db = &state(ctx)?.db;
        let (rows, more) =
            violations::page(db, p, &department_code, user_id, status.as_deref(), first, before).await?;
        Ok(connection(before.is_some(), more, rows, |r| r.id, Violation))
    }
}

/// A connection over rows paged by descending id.
fn connection<R, N: async_graphql::OutputType>(
    has_previous: bool,
    more: bool,
    rows: Vec<R>,
    id: impl Fn(&R) -> i64,
    wrap: impl Fn(R) -> N,
) -> Connection<String, N> {
    let mut conn = Connection::new(has_previous, more);
    conn.edges
        .extend(rows.into_iter().map(|r| Edge::new(ids::cursor(id(&r)), wrap(r))));
    conn
}
