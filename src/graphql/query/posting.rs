//! Posting queries: authorizations, posts, consents, staff profiles, violations.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::consent;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::{Role, permissions};
use crate::error::{AppError, AppResult};
use crate::graphql::context::{principal, state};
use crate::graphql::ids::{self, Kind};
use crate::graphql::prefetch;
use crate::graphql::types::posting::{Authorization, Consent, Post, StaffProfile, Violation};
use crate::service::authorizations::{self, AuthorizationStatus};
use crate::service::posts::{self, PostFilter, PostStatus};
use crate::service::{staff_profiles, violations};

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
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
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
            from,
            to,
        };
        let db = &state(ctx)?.db;
        let (rows, more) = posts::page(db, p, &department_code, filter, first, before).await?;
        prefetch::posts(ctx, db, &rows).await?;
        let mut conn = Connection::new(before.is_some(), more);
        conn.edges
            .extend(rows.into_iter().map(|r| Edge::new(ids::cursor(r.id), Post(r))));
        Ok(conn)
    }

    /// Consent records of the department (director and PIO).
    async fn consents(&self, ctx: &Context<'_>, department_code: String) -> AppResult<Vec<Consent>> {
        let p = principal(ctx)?;
        permissions::require_own_department(p, &department_code)?;
        if p.role == Role::Staff {
            return Err(AppError::Forbidden(
                "consent records are for the director and the PIO".into(),
            ));
        }
        let rows = consent::Entity::find()
            .filter(consent::Column::DepartmentId.eq(p.department_id))
            .order_by_desc(consent::Column::Id)
            .all(&state(ctx)?.db)
            .await?;
        Ok(rows.into_iter().map(Consent).collect())
    }

    /// Personal profiles used on duty (director and PIO: all; others: their own).
    async fn staff_profiles(
        &self,
        ctx: &Context<'_>,
        department_code: String,
    ) -> AppResult<Vec<StaffProfile>> {
        let p = principal(ctx)?;
        let rows = staff_profiles::list(&state(ctx)?.db, p, &department_code).await?;
        Ok(rows.into_iter().map(StaffProfile).collect())
    }

    /// Violations: the employee sees their own; the director and PIO the department's.
    async fn violations(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        user_id: Option<ID>,
    ) -> AppResult<Vec<Violation>> {
        let p = principal(ctx)?;
        let user_id = user_id.as_ref().map(|x| ids::decode(x, Kind::User)).transpose()?;
        let rows = violations::list(&state(ctx)?.db, p, &department_code, user_id).await?;
        Ok(rows.into_iter().map(Violation).collect())
    }
}
