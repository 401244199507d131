//! Governance queries: platforms, delegations, facility reviews, acknowledgements, the inbox.

use crate::graphql::paging::{self, Paged};
use async_graphql::{Context, Object};
use entity::delegation;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::{Role, permissions};
use crate::error::AppResult;
use crate::graphql::context::{principal, state};
use crate::graphql::prefetch;
use crate::graphql::types::governance::{Delegation, FacilityReviewStatus, PendingApproval};
use crate::graphql::types::platform::Platform;
use crate::graphql::types::policy_rule::PlatformPurpose;
use crate::graphql::types::user::User;
use crate::service::delegations::is_live;
use crate::service::facility_reviews::{self, ReviewStatus};
use crate::service::platform_rules::PlatformStatus;
use crate::service::{acknowledgements, pending, platforms};

/// Governance read operations.
#[derive(Default)]
pub struct GovernanceQuery;

#[Object]
impl GovernanceQuery {
    /// The department's official platforms, oldest first.
    #[expect(clippy::too_many_arguments, reason = "one argument per filter of the list")]
    async fn platforms(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        status: Option<PlatformStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> AppResult<Paged<Platform>> {
        let p = principal(ctx)?;
        let window = paging::window(ctx, first, after, last, before)?;
        let db = &state(ctx)?.db;
        let page = platforms::page(db, p, &department_code, status, window).await?;
        prefetch::platforms(ctx, db, &page.rows).await?;
        Ok(paging::connection(page, |r| r.id, Platform))
    }

    /// The purposes the department's platforms may serve, with the clause permitting each: the
    /// codes `proposePlatform` and `requestPlatformChange` accept.
    async fn platform_purposes(
        &self,
        ctx: &Context<'_>,
        department_code: String,
    ) -> AppResult<Vec<PlatformPurpose>> {
        permissions::require_own_department(principal(ctx)?, &department_code)?;
        let profile = state(ctx)?.profiles.of(&department_code)?;
        Ok(profile
            .platforms
            .purposes
            .iter()
            .map(PlatformPurpose::from)
            .collect())
    }

    /// Delegations of the department (directors and PIOs see all; others their own).
    async fn delegations(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        #[graphql(default = true)] active_only: bool,
    ) -> AppResult<Vec<Delegation>> {
        let p = principal(ctx)?;
        permissions::require_own_department(p, &department_code)?;
        let mut q = delegation::Entity::find()
            .filter(delegation::Column::DepartmentId.eq(p.department_id))
            .order_by_asc(delegation::Column::Id);
        if p.role == Role::Staff {
            q = q.filter(
                Condition::any()
                    .add(delegation::Column::ToUserId.eq(p.user_id))
                    .add(delegation::Column::FromUserId.eq(p.user_id)),
            );
        }
        let now = chrono::Utc::now();
        Ok(q.all(&state(ctx)?.db)
            .await?
            .into_iter()
            .filter(|d| !active_only || is_live(d, now))
            .map(Delegation)
            .collect())
    }

    /// Facilities with their annual review status (IL 01.02.400 II.C).
    async fn facility_reviews(
        &self,
        ctx: &Context<'_>,
        department_code: String,
        status: Option<ReviewStatus>,
    ) -> AppResult<Vec<FacilityReviewStatus>> {
        let p = principal(ctx)?;
        let st = state(ctx)?;
        let rows = facility_reviews::states(&st.db, &st.profiles, p, &department_code, status).await?;
        Ok(rows.into_iter().map(FacilityReviewStatus).collect())
    }

    /// Active employees who have not acknowledged the directive in force (director and PIO).
    async fn unacknowledged_employees(
        &self,
        ctx: &Context<'_>,
        department_code: String,
    ) -> AppResult<Vec<User>> {
        let p = principal(ctx)?;
        let st = state(ctx)?;
        let rows = acknowledgements::unacknowledged(&st.db, &st.profiles, p, &department_code).await?;
        Ok(rows.into_iter().map(User).collect())
    }

    /// Everything waiting for a seat the caller can fill, oldest first.
    async fn pending_approvals(
        &self,
        ctx: &Context<'_>,
        department_code: String,
    ) -> AppResult<Vec<PendingApproval>> {
        let p = principal(ctx)?;
        let st = state(ctx)?;
        let items = pending::inbox(&st.db, &st.profiles, p, &department_code).await?;
        Ok(items.into_iter().map(PendingApproval).collect())
    }
}
