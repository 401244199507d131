//! Official posts (IL 01.02.400 II.G.3-G.5, MT IV.A.4): DRAFT → SUBMITTED → APPROVED/REJECTED →
//! PUBLISHED → REMOVED. Submitting screens the text (OFFICIAL_POST) and checks media consent;
//! a BLOCK verdict refuses the submit with the findings. One approval, never the author's.
//! Every version of the body is kept (IL 01.02.400 II.G.1.e).
//!
//! Drafting and submission are in [`drafts`], the decisions after submission in [`decisions`],
//! media and their consents in [`media`].

mod decisions;
mod drafts;
mod media;

use chrono::Utc;
use entity::{post, post_version};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter,
};

pub use decisions::{approve, publish, reject, remove};
pub use drafts::{create, submit, update};
pub use media::{Depicted, MediaItem, media_item, media_of};

use super::authorizations;
use crate::auth::{Principal, Role};
use crate::error::{AppError, AppResult};
use crate::policy::Profiles;
use crate::policy::profile::Responsibility;
use crate::policy::screening::Finding;
use crate::service::paging::{Direction, Page, Window};

/// Post states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum PostStatus {
    /// Being written.
    Draft,
    /// Waiting for approval.
    Submitted,
    /// Approved, not yet live.
    Approved,
    /// Refused.
    Rejected,
    /// Live on the platform.
    Published,
    /// Taken down.
    Removed,
}

impl PostStatus {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "DRAFT",
            Self::Submitted => "SUBMITTED",
            Self::Approved => "APPROVED",
            Self::Rejected => "REJECTED",
            Self::Published => "PUBLISHED",
            Self::Removed => "REMOVED",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Draft,
            Self::Submitted,
            Self::Approved,
            Self::Rejected,
            Self::Published,
            Self::Removed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// Loads a post of the caller's department.
pub async fn find<C: ConnectionTrait>(db: &C, p: &Principal, id: i64) -> AppResult<post::Model> {
    post::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|x| x.department_id == p.department_id)
        .ok_or(AppError::NotFound("post"))
}

/// Whether the caller may write for the platform now: a live written authorization naming it
/// (IL 01.02.400 II.G.5.a-b), or a role that approves posts itself.
async fn require_authorized<C: ConnectionTrait>(
    db: &C,
    profiles: &Profiles,
    p: &Principal,
    platform_id: i64,
) -> AppResult<()> {
    let profile = profiles.of(&p.department_code)?;
    if profiles.holds(&p.department_code, p.role, Responsibility::ApprovePosts) {
        return Ok(());
    }
    if authorizations::live_for(db, p.user_id, platform_id, Utc::now())
        .await?
        .is_some()
    {
        return Ok(());
    }
    Err(AppError::forbidden_by(
        "you have no live written authorization to post on this platform",
        &profile.authorizations.clause,
    ))
}

fn check_body(body: &str) -> AppResult<()> {
    if body.trim().is_empty() {
        return Err(AppError::BadUserInput("the post needs a body".into()));
    }
    crate::service::screening::check_size(body)
}

/// The findings in the API's JSON shape (for POLICY_VIOLATION errors and storage).
pub fn findings_json(findings: &[Finding]) -> serde_json::Value {
    serde_json::to_value(findings).unwrap_or(serde_json::Value::Null)
}

async fn lock_in(txn: &DatabaseTransaction, id: i64, states: &[PostStatus]) -> AppResult<bool> {
    let res = post::Entity::update_many()
        .col_expr(post::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(post::Column::Id.eq(id))
        .filter(post::Column::Status.is_in(states.iter().map(|s| s.as_str())))
        .exec(txn)
        .await?;
    Ok(res.rows_affected == 1)
}

async fn transition(
    txn: &DatabaseTransaction,
    id: i64,
    from: &[PostStatus],
    to: PostStatus,
    reason: Option<&str>,
) -> AppResult<bool> {
    let mut q = post::Entity::update_many()
        .col_expr(post::Column::Status, Expr::value(to.as_str()))
        .col_expr(post::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(post::Column::Id.eq(id))
        .filter(post::Column::Status.is_in(from.iter().map(|s| s.as_str())));
    if let Some(r) = reason {
        q = q.col_expr(post::Column::StatusReason, Expr::value(r));
    }
    Ok(q.exec(txn).await?.rows_affected == 1)
}

async fn insert_version(txn: &DatabaseTransaction, row: &post::Model, by: i64) -> AppResult<()> {
    post_version::ActiveModel {
        post_id: Set(row.id),
        version: Set(row.version),
        body: Set(row.body.clone()),
        created_by_user_id: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Filters of the posts list.
#[derive(Default)]
pub struct PostFilter {
    /// Status.
    pub status: Option<PostStatus>,
    /// Platform.
    pub platform_id: Option<i64>,
    /// Author.
    pub author_id: Option<i64>,
    /// Created at or after.
    pub from: Option<chrono::DateTime<Utc>>,
    /// Created before.
    pub to: Option<chrono::DateTime<Utc>>,
}

/// A page of posts, newest first; staff see their own and the published ones.
pub async fn page(
    db: &DatabaseConnection,
    p: &Principal,
    department_code: &str,
    f: PostFilter,
    window: Window,
) -> AppResult<Page<post::Model>> {
    use sea_orm::Condition;
    crate::auth::permissions::require_own_department(p, department_code)?;
    let mut q = post::Entity::find().filter(post::Column::DepartmentId.eq(p.department_id));
    if p.role == Role::Staff {
        q = q.filter(
            Condition::any()
                .add(post::Column::AuthorUserId.eq(p.user_id))
                .add(post::Column::Status.eq(PostStatus::Published.as_str())),
        );
    }
    if let Some(s) = f.status {
        q = q.filter(post::Column::Status.eq(s.as_str()));
    }
    if let Some(x) = f.platform_id {
        q = q.filter(post::Column::PlatformId.eq(x));
    }
    if let Some(x) = f.author_id {
        q = q.filter(post::Column::AuthorUserId.eq(x));
    }
    if let Some(x) = f.from {
        q = q.filter(post::Column::CreatedAt.gte(x));
    }
    if let Some(x) = f.to {
        q = q.filter(post::Column::CreatedAt.lt(x));
    }
    crate::service::paging::fetch(db, q, post::Column::Id, Direction::Descending, window).await
}
