//! Retention: what may be purged under the profile's periods, never what a legal hold covers,
//! never the audit log. `plan` decides; `apply` deletes in small transactions and writes one
//! summary audit event per department.

use chrono::{Duration, Utc};
use entity::{
    appeal, approval, comment, comment_rule, department, moderation_decision, post, post_consent, post_media,
    post_version, refresh_session,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, ExprTrait, QueryFilter, QuerySelect};
use serde_json::json;

use super::audit::{self, NewEvent, Outcome, RequestMeta};
use super::holds;
use crate::db::begin_write;
use crate::error::AppResult;
use crate::policy::Profiles;

/// Records deleted per transaction.
const BATCH: usize = 200;

/// What one department would lose.
#[derive(Debug, Default, Clone)]
pub struct Plan {
    /// Department id.
    pub department_id: i64,
    /// Department code.
    pub department_code: String,
    /// Comments past retention and not held.
    pub comments: Vec<i64>,
    /// Posts past retention and not held.
    pub posts: Vec<i64>,
    /// Sessions past retention.
    pub sessions: Vec<i64>,
    /// Records past retention kept because a hold covers them.
    pub held: usize,
}

impl Plan {
    /// Records that would be deleted.
    pub fn total(&self) -> usize {
        self.comments.len() + self.posts.len() + self.sessions.len()
    }
}

/// Works out what may be purged now.
pub async fn plan(db: &DatabaseConnection, profiles: &Profiles, only: Option<&str>) -> AppResult<Vec<Plan>> {
    let mut out = Vec::new();
    for profile in profiles.iter() {
        let code = &profile.department.code;
        if only.is_some_and(|o| o != code) {
            continue;
        }
        let Some(dept) = department::Entity::find()
            .filter(department::Column::Code.eq(code.as_str()))
            .one(db)
            .await?
        else {
            continue;
        };
        let scopes = holds::active_scopes(db, dept.id).await?;
        let now = Utc::now();
        let r = &profile.retention;
        let mut plan = Plan {
            department_id: dept.id,
            department_code: dept.code.clone(),
            ..Default::default()
        };
        let old_comments = comment::Entity::find()
            .filter(comment::Column::DepartmentId.eq(dept.id))
            .filter(comment::Column::ReceivedAt.lt(now - Duration::days(r.comments_days.into())))
            .all(db)
            .await?;
        for c in old_comments {
            if holds::held(&scopes, Some(c.platform_id), None, c.received_at) {
                plan.held += 1;
            } else {
                plan.comments.push(c.id);
            }
        }
        let old_posts = post::Entity::find()
            .filter(post::Column::DepartmentId.eq(dept.id))
            .filter(post::Column::Status.is_in(["PUBLISHED", "REJECTED", "REMOVED"]))
            .filter(post::Column::CreatedAt.lt(now - Duration::days(r.posts_days.into())))
            .all(db)
            .await?;
        for x in old_posts {
            if holds::held(&scopes, Some(x.platform_id), Some(x.author_user_id), x.created_at) {
                plan.held += 1;
            } else {
                plan.posts.push(x.id);
            }
        }
        let members = Query::select()
            .column(entity::user::Column::Id)
            .from(entity::user::Entity)
            .and_where(Expr::col(entity::user::Column::DepartmentId).eq(dept.id))
            .to_owned();
        plan.sessions = refresh_session::Entity::find()
            .filter(refresh_session::Column::ExpiresAt.lt(now - Duration::days(r.sessions_days.into())))
            .filter(refresh_session::Column::UserId.in_subquery(members))
            .select_only()
            .column(refresh_session::Column::Id)
            .into_tuple::<i64>()
            .all(db)
            .await?;
        out.push(plan);
    }
    Ok(out)
}

/// Deletes what a plan lists; `progress` is called with (done, total) after each batch.
pub async fn apply(
    db: &DatabaseConnection,
    plan: &Plan,
    meta: &RequestMeta,
    mut progress: impl FnMut(usize, usize),
) -> AppResult<()> {
    let total = plan.total();
    let mut done = 0;
    for ids in plan.comments.chunks(BATCH) {
        let txn = begin_write(db).await?;
        appeal::Entity::delete_many()
            .filter(appeal::Column::CommentId.is_in(ids.to_vec()))
            .exec(&txn)
            .await?;
        moderation_decision::Entity::delete_many()
            .filter(moderation_decision::Column::CommentId.is_in(ids.to_vec()))
            .exec(&txn)
            .await?;
        comment_rule::Entity::delete_many()
            .filter(comment_rule::Column::CommentId.is_in(ids.to_vec()))
            .exec(&txn)
            .await?;
        comment::Entity::delete_many()
            .filter(comment::Column::Id.is_in(ids.to_vec()))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        done += ids.len();
        progress(done, total);
    }
    for ids in plan.posts.chunks(BATCH) {
        let txn = begin_write(db).await?;
        post_version::Entity::delete_many()
            .filter(post_version::Column::PostId.is_in(ids.to_vec()))
            .exec(&txn)
            .await?;
        post_media::Entity::delete_many()
            .filter(post_media::Column::PostId.is_in(ids.to_vec()))
            .exec(&txn)
            .await?;
        post_consent::Entity::delete_many()
            .filter(post_consent::Column::PostId.is_in(ids.to_vec()))
            .exec(&txn)
            .await?;
        approval::Entity::delete_many()
            .filter(approval::Column::SubjectType.eq("POST"))
            .filter(approval::Column::SubjectId.is_in(ids.to_vec()))
            .exec(&txn)
            .await?;
        post::Entity::delete_many()
            .filter(post::Column::Id.is_in(ids.to_vec()))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        done += ids.len();
        progress(done, total);
    }
    for ids in plan.sessions.chunks(BATCH) {
        let txn = begin_write(db).await?;
        refresh_session::Entity::delete_many()
            .filter(refresh_session::Column::Id.is_in(ids.to_vec()))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        done += ids.len();
        progress(done, total);
    }
    let txn = begin_write(db).await?;
    let ev = NewEvent::department(&plan.department_code, plan.department_id, "records.purged", Outcome::Success).detail(json!({
        "comments": plan.comments.len(), "posts": plan.posts.len(), "sessions": plan.sessions.len(), "kept_under_hold": plan.held,
    }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(())
}
