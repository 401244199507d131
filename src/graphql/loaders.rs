//! Per-request DataLoaders: nested fields cost one statement per kind, not one per item.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use entity::{
    appeal, approval, authorization_platform, comment, department, facility, moderation_decision, platform,
    platform_change_request, platform_version, post_media, post_version, user,
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
};

/// Loads rows by id or by owner in batches.
pub struct DbLoader {
    db: DatabaseConnection,
}

/// A failed batch; cloned to every waiting field.
pub type LoadError = Arc<sea_orm::DbErr>;

/// The loader of one request, with a per-request cache (which prefetching fills).
pub fn new_loader(db: DatabaseConnection) -> DataLoader<DbLoader, HashMapCache> {
    DataLoader::with_cache(DbLoader { db }, tokio::spawn, HashMapCache::default())
}

/// The loader type of a request.
pub type RequestLoader = DataLoader<DbLoader, HashMapCache>;

/// Key: a user id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UserId(pub i64);
/// Key: a department id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DepartmentId(pub i64);
/// Key: the department whose facilities are wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FacilitiesOf(pub i64);

impl Loader<UserId> for DbLoader {
    type Value = user::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[UserId]) -> Result<HashMap<UserId, Self::Value>, Self::Error> {
        let rows = user::Entity::find()
            .filter(user::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (UserId(r.id), r)).collect())
    }
}

impl Loader<DepartmentId> for DbLoader {
    type Value = department::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[DepartmentId]) -> Result<HashMap<DepartmentId, Self::Value>, Self::Error> {
        let rows = department::Entity::find()
            .filter(department::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (DepartmentId(r.id), r)).collect())
    }
}

impl Loader<FacilitiesOf> for DbLoader {
    type Value = Vec<facility::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[FacilitiesOf]) -> Result<HashMap<FacilitiesOf, Self::Value>, Self::Error> {
        let rows = facility::Entity::find()
            .filter(facility::Column::DepartmentId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(facility::Column::Name)
            .all(&self.db)
            .await?;
        let mut out: HashMap<FacilitiesOf, Vec<facility::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            out.entry(FacilitiesOf(r.department_id)).or_default().push(r);
        }
        Ok(out)
    }
}

/// Key: the approvals of a subject (`PLATFORM` or `PLATFORM_CHANGE`, id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ApprovalsOf(pub &'static str, pub i64);
/// Key: the versions of a platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct VersionsOf(pub i64);
/// Key: the change requests of a platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ChangeRequestsOf(pub i64);

impl Loader<ApprovalsOf> for DbLoader {
    type Value = Vec<approval::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[ApprovalsOf]) -> Result<HashMap<ApprovalsOf, Self::Value>, Self::Error> {
        let mut out: HashMap<ApprovalsOf, Vec<approval::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        let kinds: Vec<&str> = keys.iter().map(|k| k.0).collect();
        let rows = approval::Entity::find()
            .filter(approval::Column::SubjectType.is_in(kinds))
            .filter(approval::Column::SubjectId.is_in(keys.iter().map(|k| k.1)))
            .order_by_asc(approval::Column::Id)
            .all(&self.db)
            .await?;
        for r in rows {
            if let Some(v) = out
                .iter_mut()
                .find(|(k, _)| k.0 == r.subject_type && k.1 == r.subject_id)
                .map(|(_, v)| v)
            {
                v.push(r);
            }
        }
        Ok(out)
    }
}

impl Loader<VersionsOf> for DbLoader {
    type Value = Vec<platform_version::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[VersionsOf]) -> Result<HashMap<VersionsOf, Self::Value>, Self::Error> {
        let rows = platform_version::Entity::find()
            .filter(platform_version::Column::PlatformId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(platform_version::Column::Version)
            .all(&self.db)
            .await?;
        let mut out: HashMap<VersionsOf, Vec<_>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            out.entry(VersionsOf(r.platform_id)).or_default().push(r);
        }
        Ok(out)
    }
}

impl Loader<ChangeRequestsOf> for DbLoader {
    type Value = Vec<platform_change_request::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[ChangeRequestsOf],
    ) -> Result<HashMap<ChangeRequestsOf, Self::Value>, Self::Error> {
        let rows = platform_change_request::Entity::find()
            .filter(platform_change_request::Column::PlatformId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(platform_change_request::Column::Id)
            .all(&self.db)
            .await?;
        let mut out: HashMap<ChangeRequestsOf, Vec<_>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            out.entry(ChangeRequestsOf(r.platform_id)).or_default().push(r);
        }
        Ok(out)
    }
}

/// Key: a platform id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PlatformId(pub i64);
/// Key: the body versions of a post.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PostVersionsOf(pub i64);
/// Key: the media of a post.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MediaOf(pub i64);
/// Key: the platforms named by an authorization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AuthorizedPlatformsOf(pub i64);

impl Loader<PlatformId> for DbLoader {
    type Value = platform::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[PlatformId]) -> Result<HashMap<PlatformId, Self::Value>, Self::Error> {
        let rows = platform::Entity::find()
            .filter(platform::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (PlatformId(r.id), r)).collect())
    }
}

impl Loader<PostVersionsOf> for DbLoader {
    type Value = Vec<post_version::Model>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[PostVersionsOf],
    ) -> Result<HashMap<PostVersionsOf, Self::Value>, Self::Error> {
        let rows = post_version::Entity::find()
            .filter(post_version::Column::PostId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(post_version::Column::Version)
            .all(&self.db)
            .await?;
        let mut out: HashMap<PostVersionsOf, Vec<_>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            out.entry(PostVersionsOf(r.post_id)).or_default().push(r);
        }
        Ok(out)
    }
}

impl Loader<MediaOf> for DbLoader {
    type Value = Vec<post_media::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[MediaOf]) -> Result<HashMap<MediaOf, Self::Value>, Self::Error> {
        let rows = post_media::Entity::find()
            .filter(post_media::Column::PostId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(post_media::Column::Id)
            .all(&self.db)
            .await?;
        let mut out: HashMap<MediaOf, Vec<_>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            out.entry(MediaOf(r.post_id)).or_default().push(r);
        }
        Ok(out)
    }
}

impl Loader<AuthorizedPlatformsOf> for DbLoader {
    type Value = Vec<i64>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[AuthorizedPlatformsOf],
    ) -> Result<HashMap<AuthorizedPlatformsOf, Self::Value>, Self::Error> {
        let rows = authorization_platform::Entity::find()
            .filter(authorization_platform::Column::AuthorizationId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        let mut out: HashMap<AuthorizedPlatformsOf, Vec<i64>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            out.entry(AuthorizedPlatformsOf(r.authorization_id))
                .or_default()
                .push(r.platform_id);
        }
        Ok(out)
    }
}

/// Key: the decisions on a comment, oldest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DecisionsOf(pub i64);
/// Key: the appeals of a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AppealsOf(pub i64);
/// Key: every decision on the comments of one commenter on one platform.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CommenterHistory(pub i64, pub String);

impl Loader<DecisionsOf> for DbLoader {
    type Value = Vec<moderation_decision::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[DecisionsOf]) -> Result<HashMap<DecisionsOf, Self::Value>, Self::Error> {
        let rows = moderation_decision::Entity::find()
            .filter(moderation_decision::Column::CommentId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(moderation_decision::Column::Id)
            .all(&self.db)
            .await?;
        let mut out: HashMap<DecisionsOf, Vec<_>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            out.entry(DecisionsOf(r.comment_id)).or_default().push(r);
        }
        Ok(out)
    }
}

impl Loader<AppealsOf> for DbLoader {
    type Value = Vec<appeal::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[AppealsOf]) -> Result<HashMap<AppealsOf, Self::Value>, Self::Error> {
        let rows = appeal::Entity::find()
            .filter(appeal::Column::CommentId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(appeal::Column::Id)
            .all(&self.db)
            .await?;
        let mut out: HashMap<AppealsOf, Vec<_>> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            out.entry(AppealsOf(r.comment_id)).or_default().push(r);
        }
        Ok(out)
    }
}

impl Loader<CommenterHistory> for DbLoader {
    type Value = History;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[CommenterHistory],
    ) -> Result<HashMap<CommenterHistory, Self::Value>, Self::Error> {
        Ok(commenter_history(&self.db, keys.iter().cloned()).await?)
    }
}

/// Decisions kept per commenter for a queue page: the most recent ones.
pub const HISTORY: i64 = 20;

/// A commenter's moderation history on one platform.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// The [`HISTORY`] most recent decisions on their comments, oldest first.
    pub recent: Vec<moderation_decision::Model>,
    /// Decisions on their comments in all.
    pub total: u64,
}

/// A decision with the platform and handle of the comment it decided, its rank by recency and
/// the size of its commenter's history.
#[derive(FromQueryResult)]
struct DecisionOfCommenter {
    #[sea_orm(nested)]
    decision: moderation_decision::Model,
    commenter_platform_id: i64,
    commenter_handle: String,
    history_total: i64,
}

/// The recent decisions and the count of each commenter's history, in one statement: the
/// decisions joined to two columns of their comments (not whole comment rows), ranked per
/// commenter by window functions, so that a prolific commenter costs no more than
/// [`HISTORY`] rows.
pub async fn commenter_history(
    db: &DatabaseConnection,
    keys: impl Iterator<Item = CommenterHistory>,
) -> Result<HashMap<CommenterHistory, History>, sea_orm::DbErr> {
    use sea_orm::QueryTrait;
    use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Query};
    let mut out: HashMap<CommenterHistory, History> = keys.map(|k| (k, History::default())).collect();
    if out.is_empty() {
        return Ok(out);
    }
    let platforms: std::collections::BTreeSet<i64> = out.keys().map(|k| k.0).collect();
    let handles: std::collections::BTreeSet<&str> = out.keys().map(|k| k.1.as_str()).collect();
    let commenter = "PARTITION BY comments.platform_id, comments.author_handle";
    let ranked = moderation_decision::Entity::find()
        .inner_join(comment::Entity)
        .column_as(comment::Column::PlatformId, "commenter_platform_id")
        .column_as(comment::Column::AuthorHandle, "commenter_handle")
        .expr_as(
            Expr::cust(format!(
                "ROW_NUMBER() OVER ({commenter} ORDER BY moderation_decisions.id DESC)"
            )),
            "recency",
        )
        .expr_as(
            Expr::cust(format!("COUNT(*) OVER ({commenter})")),
            "history_total",
        )
        .filter(comment::Column::PlatformId.is_in(platforms))
        .filter(comment::Column::AuthorHandle.is_in(handles))
        .into_query();
    let recent = Query::select()
        .column(Asterisk)
        .from_subquery(ranked, Alias::new("history"))
        .and_where(Expr::col(Alias::new("recency")).lte(HISTORY))
        .order_by(Alias::new("id"), sea_orm::Order::Asc)
        .to_owned();
    let stmt = db.get_database_backend().build(&recent);
    let rows = DecisionOfCommenter::find_by_statement(stmt).all(db).await?;
    for r in rows {
        if let Some(h) = out.get_mut(&CommenterHistory(r.commenter_platform_id, r.commenter_handle)) {
            h.total = u64::try_from(r.history_total).unwrap_or(0);
            h.recent.push(r.decision);
        }
    }
    Ok(out)
}
