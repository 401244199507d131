//! Queries of the core: the caller, departments, rules, the audit log.

use crate::graphql::paging::{self, Paged};
use async_graphql::{Context, ID, Object};
use entity::{department, user};
use sea_orm::EntityTrait;

use crate::auth::permissions;
use crate::error::{AppError, AppResult};
use crate::graphql::context::{principal, state};
use crate::graphql::ids::{self, Kind};
use crate::graphql::types::audit::{AuditEvent, AuditVerification};
use crate::graphql::types::department::Department;
use crate::graphql::types::node::Node;
use crate::graphql::types::policy_rule::PolicyRule;
use crate::graphql::types::screening::{ScreenTextInput, ScreeningResult};
use crate::graphql::types::user::User;
use crate::service::audit_log;

/// Core read operations.
#[derive(Default)]
pub struct CoreQuery;

#[Object]
impl CoreQuery {
    /// The department's employees, newest first (director only), filtered by role and status.
    #[expect(clippy::too_many_arguments, reason = "one argument per filter of the list")]
    async fn employees(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        role: Option<crate::auth::Role>,
        status: Option<crate::auth::UserStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<Paged<User>> {
        let p = principal(ctx)?;
        let window = paging::window(ctx, first, after, last, before)?;
        let db = &state(ctx)?.db;
        let page = crate::service::people::page(db, p, &department_code, role, status, window).await?;
        Ok(paging::connection(page, |u| u.id, User))
    }

    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> AppResult<User> {
        let p = principal(ctx)?;
        let u = user::Entity::find_by_id(p.user_id)
            .one(&state(ctx)?.db)
            .await?
            .ok_or(AppError::NotFound("user"))?;
        Ok(User(u))
    }

    /// The departments the caller can see: their own.
    async fn departments(&self, ctx: &Context<'_>) -> AppResult<Vec<Department>> {
        let p = principal(ctx)?;
        let d = department::Entity::find_by_id(p.department_id)
            .one(&state(ctx)?.db)
            .await?;
        Ok(d.into_iter().map(Department).collect())
    }

    /// A department by code; null for an unknown code or another department.
    async fn department(&self, ctx: &Context<'_>, code: String) -> AppResult<Option<Department>> {
        let p = principal(ctx)?;
        if permissions::require_own_department(p, &code).is_err() {
            return Ok(None);
        }
        let d = department::Entity::find_by_id(p.department_id)
            .one(&state(ctx)?.db)
            .await?;
        Ok(d.map(Department))
    }

    /// Any object by ID; null when missing or of another department.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Node>> {
        super::node::resolve(ctx, &id).await
    }

    /// The screening rules of the department: codes, titles, clause citations, severities.
    async fn policy_rules(&self, ctx: &Context<'_>, department_code: String) -> AppResult<Vec<PolicyRule>> {
        let p = principal(ctx)?;
        permissions::require_own_department(p, &department_code)?;
        let profile = state(ctx)?.profiles.of(&department_code)?;
        Ok(profile
            .screening
            .rules
            .iter()
            .map(|(code, s)| {
                let canned = profile.comments.public_reasons.get(code);
                PolicyRule::from_setting(code.as_str(), s, canned)
            })
            .collect())
    }

    /// Screens a text under the department's profile: findings cite their clause, offsets are
    /// UTF-16 code units of the text, personal information in excerpts is masked.
    async fn screen_text(&self, ctx: &Context<'_>, input: ScreenTextInput) -> AppResult<ScreeningResult> {
        let p = principal(ctx)?;
        let st = state(ctx)?;
        let r = crate::service::screening::screen_text(
            st,
            p,
            &input.department_code,
            input.context.into(),
            &input.text,
        )
        .await?;
        Ok(r.into())
    }

    /// The department's audit log, newest first (director and PIO only).
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<Paged<AuditEvent>> {
        let p = principal(ctx)?;
        let window = paging::window(ctx, first, after, last, before)?;
        let page = audit_log::page(state(ctx)?, p, &department_code, window).await?;
        Ok(paging::connection(page, |e| e.seq, AuditEvent))
    }

    /// Re-computes the department's audit chain and names the first broken event.
    async fn verify_audit_log(
        &self,
        ctx: &Context<'_>,
        department_code: String,
    ) -> AppResult<AuditVerification> {
        let p = principal(ctx)?;
        let v = audit_log::verify(state(ctx)?, p, &department_code).await?;
        Ok(AuditVerification {
            ok: v.ok,
            checked: v.checked,
            first_broken_id: v.first_broken_id.map(|id| ids::encode(Kind::AuditEvent, id)),
            reason: v.reason,
            head_hash: v.head_hash,
        })
    }
}
