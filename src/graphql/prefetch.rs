//! Prefetching for connection pages: the page resolver looks ahead at the selected fields and
//! primes the request's DataLoaders with one statement per kind, so nested fields read from the
//! cache. DataLoader batching alone groups keys by a timer; two waves of user look-ups (after
//! approvals, after versions) can then land in one batch or two depending on load. Priming makes
//! the cost of a page a fixed number of statements whatever the page size or machine load.

use std::collections::{BTreeSet, HashMap};

use async_graphql::Context;
use entity::{
    appeal, approval, comment, department, moderation_decision, platform, platform_change_request,
    platform_version, post, post_media, post_version, user,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::loaders::{
    self, AppealsOf, ApprovalsOf, ChangeRequestsOf, CommenterHistory, DbLoader, DecisionsOf, DepartmentId,
    MediaOf, PlatformId, PostVersionsOf, RequestLoader, UserId, VersionsOf,
};
use super::types::loader;
use crate::error::AppResult;
use crate::service::approvals::Subject;

/// Primes the loaders for a page of platforms according to what the query selects below
/// `edges.node`.
pub async fn platforms(
    ctx: &Context<'_>,
    db: &DatabaseConnection,
    rows: &[platform::Model],
) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let node = ctx.look_ahead().field("edges").field("node");
    let l = loader(ctx)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut users: BTreeSet<i64> = BTreeSet::new();
    let departments: BTreeSet<i64> = rows.iter().map(|r| r.department_id).collect();
    if node.field("proposedBy").exists() {
        users.extend(rows.iter().map(|r| r.proposed_by_user_id));
    }
    if node.field("termsAcceptance").field("acceptedBy").exists() {
        users.extend(rows.iter().filter_map(|r| r.terms_accepted_by_user_id));
    }
    if node.field("approvals").exists() || node.field("missingApprovals").exists() {
        prime_approvals(l, db, Subject::Platform, &ids, &mut users).await?;
    }
    if node.field("versions").exists() {
        let found = platform_version::Entity::find()
            .filter(platform_version::Column::PlatformId.is_in(ids.clone()))
            .order_by_asc(platform_version::Column::Version)
            .all(db)
            .await?;
        users.extend(found.iter().map(|v| v.created_by_user_id));
        feed_grouped(l, &ids, found, |v| VersionsOf(v.platform_id), VersionsOf).await;
    }
    let changes_selected =
        node.field("pendingChangeRequests").exists() || node.field("changeRequests").exists();
    if changes_selected {
        let found = platform_change_request::Entity::find()
            .filter(platform_change_request::Column::PlatformId.is_in(ids.clone()))
            .order_by_asc(platform_change_request::Column::Id)
            .all(db)
            .await?;
        users.extend(found.iter().map(|c| c.requested_by_user_id));
        let cr_ids: Vec<i64> = found.iter().map(|c| c.id).collect();
        prime_approvals(l, db, Subject::PlatformChange, &cr_ids, &mut users).await?;
        feed_grouped(
            l,
            &ids,
            found,
            |c| ChangeRequestsOf(c.platform_id),
            ChangeRequestsOf,
        )
        .await;
    }
    feed_people(l, db, users, departments).await
}

/// Primes the loaders for a page of posts: authors, platforms, approvals and approvers,
/// versions and media, as selected below `edges.node`.
pub async fn posts(ctx: &Context<'_>, db: &DatabaseConnection, rows: &[post::Model]) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let node = ctx.look_ahead().field("edges").field("node");
    let l = loader(ctx)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut users: BTreeSet<i64> = BTreeSet::new();
    let departments: BTreeSet<i64> = rows.iter().map(|r| r.department_id).collect();
    if node.field("author").exists() {
        users.extend(rows.iter().map(|r| r.author_user_id));
    }
    if node.field("platform").exists() {
        let platform_ids: BTreeSet<i64> = rows.iter().map(|r| r.platform_id).collect();
        let found = platform::Entity::find()
            .filter(platform::Column::Id.is_in(platform_ids))
            .all(db)
            .await?;
        l.feed_many(found.into_iter().map(|x| (PlatformId(x.id), x)))
            .await;
    }
    if node.field("approvals").exists() {
        prime_approvals(l, db, Subject::Post, &ids, &mut users).await?;
    }
    if node.field("versions").exists() {
        let found = post_version::Entity::find()
            .filter(post_version::Column::PostId.is_in(ids.clone()))
            .order_by_asc(post_version::Column::Version)
            .all(db)
            .await?;
        users.extend(found.iter().map(|v| v.created_by_user_id));
        feed_grouped(l, &ids, found, |v| PostVersionsOf(v.post_id), PostVersionsOf).await;
    }
    if node.field("media").exists() {
        let found = post_media::Entity::find()
            .filter(post_media::Column::PostId.is_in(ids.clone()))
            .order_by_asc(post_media::Column::Id)
            .all(db)
            .await?;
        feed_grouped(l, &ids, found, |m| MediaOf(m.post_id), MediaOf).await;
    }
    feed_people(l, db, users, departments).await
}

/// Feeds the users named in a page and the departments of the page and of those users (one
/// statement each; none for an empty set of users).
async fn feed_people(
    l: &RequestLoader,
    db: &DatabaseConnection,
    users: BTreeSet<i64>,
    mut departments: BTreeSet<i64>,
) -> AppResult<()> {
    if !users.is_empty() {
        let found = user::Entity::find()
            .filter(user::Column::Id.is_in(users))
            .all(db)
            .await?;
        departments.extend(found.iter().map(|u| u.department_id));
        l.feed_many(found.into_iter().map(|u| (UserId(u.id), u))).await;
    }
    if !departments.is_empty() {
        let found = department::Entity::find()
            .filter(department::Column::Id.is_in(departments))
            .all(db)
            .await?;
        l.feed_many(found.into_iter().map(|d| (DepartmentId(d.id), d)))
            .await;
    }
    Ok(())
}

/// Loads the approvals of `ids` (one statement, none when empty), feeds them per subject and
/// notes their approvers and designees-of for [`feed_people`].
async fn prime_approvals(
    l: &RequestLoader,
    db: &DatabaseConnection,
    subject: Subject,
    ids: &[i64],
    users: &mut BTreeSet<i64>,
) -> AppResult<()> {
    let found = if ids.is_empty() {
        Vec::new()
    } else {
        approval::Entity::find()
            .filter(approval::Column::SubjectType.eq(subject.as_str()))
            .filter(approval::Column::SubjectId.is_in(ids.to_vec()))
            .order_by_asc(approval::Column::Id)
            .all(db)
            .await?
    };
    users.extend(
        found
            .iter()
            .flat_map(|a| [Some(a.approver_user_id), a.as_designee_of_user_id])
            .flatten(),
    );
    let tag = subject.as_str();
    feed_grouped(
        l,
        ids,
        found,
        |a| ApprovalsOf(tag, a.subject_id),
        |id| ApprovalsOf(tag, id),
    )
    .await;
    Ok(())
}

/// Feeds one `Vec` per owner id (empty ones too, so no owner triggers a load of its own).
async fn feed_grouped<K, V>(
    l: &RequestLoader,
    owners: &[i64],
    rows: Vec<V>,
    key_of: impl Fn(&V) -> K,
    key_for: impl Fn(i64) -> K,
) where
    K: std::hash::Hash + Eq + Clone + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
    DbLoader: async_graphql::dataloader::Loader<K, Value = Vec<V>>,
{
    let mut grouped: HashMap<K, Vec<V>> = owners.iter().map(|id| (key_for(*id), Vec::new())).collect();
    for r in rows {
        grouped.entry(key_of(&r)).or_default().push(r);
    }
    l.feed_many(grouped).await;
}

/// Primes the loaders for a page of the moderation queue: platforms, decisions, appeals, the
/// commenters' prior decisions and the moderators, as selected below `edges.node`.
pub async fn comments(ctx: &Context<'_>, db: &DatabaseConnection, rows: &[comment::Model]) -> AppResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let node = ctx.look_ahead().field("edges").field("node");
    let l = loader(ctx)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut users: BTreeSet<i64> = BTreeSet::new();
    if node.field("platform").exists() {
        let platform_ids: BTreeSet<i64> = rows.iter().map(|r| r.platform_id).collect();
        let found = platform::Entity::find()
            .filter(platform::Column::Id.is_in(platform_ids))
            .all(db)
            .await?;
        l.feed_many(found.into_iter().map(|x| (PlatformId(x.id), x)))
            .await;
    }
    let decisions = node.field("decisions");
    if decisions.exists() {
        let found = moderation_decision::Entity::find()
            .filter(moderation_decision::Column::CommentId.is_in(ids.clone()))
            .order_by_asc(moderation_decision::Column::Id)
            .all(db)
            .await?;
        if names_people(&decisions) {
            users.extend(found.iter().flat_map(deciders));
        }
        feed_grouped(l, &ids, found, |d| DecisionsOf(d.comment_id), DecisionsOf).await;
    }
    if node.field("appeals").exists() {
        let found = appeal::Entity::find()
            .filter(appeal::Column::CommentId.is_in(ids.clone()))
            .order_by_asc(appeal::Column::Id)
            .all(db)
            .await?;
        users.extend(found.iter().filter_map(|a| a.decided_by_user_id));
        feed_grouped(l, &ids, found, |a| AppealsOf(a.comment_id), AppealsOf).await;
    }
    let prior = node.field("priorDecisions");
    if prior.exists() {
        let keys = rows
            .iter()
            .map(|r| CommenterHistory(r.platform_id, r.author_handle.clone()));
        let grouped = loaders::commenter_history(db, keys).await?;
        if names_people(&prior) {
            users.extend(grouped.values().flat_map(|h| &h.recent).flat_map(deciders));
        }
        l.feed_many(grouped).await;
    }
    feed_people(l, db, users, BTreeSet::new()).await
}

/// Whether a selection of decisions asks for the people who made them.
fn names_people(decisions: &async_graphql::Lookahead<'_>) -> bool {
    decisions.field("moderator").exists() || decisions.field("asDesigneeOf").exists()
}

/// The moderator of a decision and whom they acted for.
fn deciders(d: &moderation_decision::Model) -> impl Iterator<Item = i64> {
    [Some(d.moderator_user_id), d.as_designee_of_user_id]
        .into_iter()
        .flatten()
}
