//! Public comments (MT IV.A.2.c; IL 01.02.400 II.G.4.b): ingested from platforms, screened in the
//! PUBLIC_COMMENT context, queued for moderators. Ingest is idempotent on (platform, external id).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{comment, comment_rule, post};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbBackend, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait, Select, SqlErr,
};
use serde_json::json;

use super::delegations;
use super::posts::findings_json;
use crate::auth::integration::TokenScope;
use crate::auth::{Actor, Principal, require_scope};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::events::{EventKind, ModerationEvent};
use crate::policy::Profiles;
use crate::policy::profile::Responsibility;
use crate::policy::quorum::Capacity;
use crate::policy::screening::{self, Context, RuleCode, Verdict};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::service::paging::{self, Direction, Page, Window};
use crate::state::AppState;

/// Where a comment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum CommentStatus {
    /// Waiting for a moderator.
    Pending,
    /// Visible.
    Published,
    /// Hidden from the public.
    Hidden,
    /// Removed.
    Removed,
    /// Handed up for a second opinion.
    Escalated,
}

impl CommentStatus {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "PENDING",
            Self::Published => "PUBLISHED",
            Self::Hidden => "HIDDEN",
            Self::Removed => "REMOVED",
            Self::Escalated => "ESCALATED",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Published,
            Self::Hidden,
            Self::Removed,
            Self::Escalated,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// A comment as the platform delivered it.
pub struct Incoming {
    /// The platform.
    pub platform_id: i64,
    /// The platform's id of the comment.
    pub external_id: String,
    /// The commenter's handle.
    pub author_handle: String,
    /// The text.
    pub body: String,
    /// The post it answers, if known.
    pub post_id: Option<i64>,
    /// When the platform received it.
    pub received_at: Option<DateTime<Utc>>,
}

/// The caller's way of acting as moderator (in person or as designee), or FORBIDDEN.
pub async fn moderator<C: ConnectionTrait>(
    db: &C,
    profiles: &Profiles,
    p: &Principal,
) -> AppResult<Capacity> {
    let profile = profiles.of(&p.department_code)?;
    delegations::capacities(db, profiles, p, Responsibility::ModerateComments)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            AppError::forbidden_by(
                "you may not moderate comments",
                &profile.comments.moderation_clause,
            )
        })
}

/// How an actor may ingest or file: a moderator (in person or as designee) or an integration
/// with the INGEST scope. Returns (designee-of, integration token id).
pub async fn acting<C: ConnectionTrait>(
    db: &C,
    profiles: &Profiles,
    actor: Actor<'_>,
) -> AppResult<(Option<i64>, Option<i64>)> {
    match actor {
        Actor::User(p) => Ok((moderator(db, profiles, p).await?.as_designee_of, None)),
        Actor::Integration(i) => {
            require_scope(i, TokenScope::Ingest)?;
            Ok((None, Some(i.token_id)))
        }
    }
}

/// Loads a comment of a department.
pub async fn find_in<C: ConnectionTrait>(db: &C, department_id: i64, id: i64) -> AppResult<comment::Model> {
    comment::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| c.department_id == department_id)
        .ok_or(AppError::NotFound("comment"))
}

/// Loads and locks comments of a department for a decision on them. PostgreSQL holds the row
/// locks (taken in id order, so two decisions never deadlock) until the transaction ends; on
/// SQLite the lock is not needed, as write transactions (`begin_write`) run one at a time.
pub async fn lock_in(
    txn: &DatabaseTransaction,
    department_id: i64,
    ids: &[i64],
) -> AppResult<HashMap<i64, comment::Model>> {
    let rows = comment::Entity::find()
        .filter(comment::Column::Id.is_in(ids.iter().copied()))
        .filter(comment::Column::DepartmentId.eq(department_id))
        .order_by_asc(comment::Column::Id)
        .lock_exclusive()
        .all(txn)
        .await?;
    let found: HashMap<i64, comment::Model> = rows.into_iter().map(|c| (c.id, c)).collect();
    if ids.iter().any(|id| !found.contains_key(id)) {
        return Err(AppError::NotFound("comment"));
    }
    Ok(found)
}

/// Loads a comment of the caller's department.
pub async fn find<C: ConnectionTrait>(db: &C, p: &Principal, id: i64) -> AppResult<comment::Model> {
    comment::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| c.department_id == p.department_id)
        .ok_or(AppError::NotFound("comment"))
}

/// Rule codes stored for filtering: `,OBSCENE,PPI_SSN,`.
fn rule_codes(findings: &[screening::Finding]) -> String {
    let mut codes: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    format!(",{},", codes.join(","))
}

/// Stores one `comment_rules` row per rule of a new comment, for the queue's rule filter.
async fn index_rules<C: ConnectionTrait>(db: &C, c: &comment::Model) -> AppResult<()> {
    let rows: Vec<comment_rule::ActiveModel> = c
        .rule_codes
        .split(',')
        .filter(|code| !code.is_empty())
        .map(|code| comment_rule::ActiveModel {
            comment_id: Set(c.id),
            rule_code: Set(code.to_owned()),
            department_id: Set(c.department_id),
            platform_id: Set(c.platform_id),
            status: Set(c.status.clone()),
        })
        .collect();
    if !rows.is_empty() {
        comment_rule::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Moves a comment's `comment_rules` rows to its new status (in the decision's transaction).
pub(crate) async fn set_rules_status<C: ConnectionTrait>(
    db: &C,
    comment_id: i64,
    status: CommentStatus,
) -> AppResult<()> {
    comment_rule::Entity::update_many()
        .col_expr(comment_rule::Column::Status, Expr::value(status.as_str()))
        .filter(comment_rule::Column::CommentId.eq(comment_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Ingests a comment; returns it and whether it is new. Screening runs once, on first ingest.
pub async fn ingest(
    state: &AppState,
    actor: Actor<'_>,
    inc: Incoming,
    meta: &RequestMeta,
) -> AppResult<(comment::Model, bool)> {
    let (db, profiles) = (&state.db, &state.profiles);
    let profile = profiles.of(actor.department_code())?;
    let (on_behalf, integration) = acting(db, profiles, actor).await?;
    let platform = super::platforms::find_in(db, actor.department_id(), inc.platform_id).await?;
    let external_id = inc.external_id.trim();
    let handle = inc.author_handle.trim();
    if external_id.is_empty() || external_id.len() > 200 || handle.is_empty() || handle.len() > 200 {
        return Err(AppError::BadUserInput(
            "externalId and authorHandle must have 1-200 characters".into(),
        ));
    }
    super::screening::check_size(&inc.body)?;
    if let Some(existing) = by_external_id(db, platform.id, external_id).await? {
        return Ok((existing, false));
    }
    if let Some(post_id) = inc.post_id {
        let ok = post::Entity::find_by_id(post_id)
            .one(db)
            .await?
            .is_some_and(|x| x.platform_id == platform.id && x.department_id == actor.department_id());
        if !ok {
            return Err(AppError::NotFound("post"));
        }
    }
    let result = state
        .screener
        .screen(
            actor.department_id(),
            &profile.screening,
            Context::PublicComment,
            &inc.body,
        )
        .await?;
    let auto = profile.comments.auto_publish_clear && result.verdict == Verdict::Clear;
    let status = if auto {
        CommentStatus::Published
    } else {
        CommentStatus::Pending
    };
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let inserted = comment::ActiveModel {
        department_id: Set(actor.department_id()),
        platform_id: Set(platform.id),
        post_id: Set(inc.post_id),
        external_id: Set(external_id.to_owned()),
        author_handle: Set(handle.to_owned()),
        body: Set(inc.body.clone()),
        received_at: Set(inc.received_at.unwrap_or(now)),
        status: Set(status.as_str().to_owned()),
        verdict: Set(result.verdict.as_str().to_owned()),
        findings: Set(findings_json(&result.findings).to_string()),
        rule_codes: Set(rule_codes(&result.findings)),
        screened_by: Set(Some(super::screening::provenance_json(&result.provenance))),
        first_decision_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let row = match inserted {
        Ok(row) => row,
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            let existing = by_external_id(db, platform.id, external_id).await?;
            return existing
                .map(|c| (c, false))
                .ok_or(AppError::Conflict("comment ingested concurrently".into()));
        }
        Err(e) => return Err(e.into()),
    };
    index_rules(&txn, &row).await?;
    let rules: Vec<&str> = result.findings.iter().map(|f| f.rule.as_str()).collect();
    let mut ev = NewEvent::department(
        actor.department_code(),
        actor.department_id(),
        "comment.ingested",
        Outcome::Success,
    )
    .subject("Comment", row.id)
    .detail(json!({
        "platform_id": platform.id, "verdict": row.verdict, "rules": rules, "status": row.status,
        "integration_token_id": integration,
    }));
    ev.actor_user_id = actor.user_id();
    ev.on_behalf_of_user_id = on_behalf;
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    state
        .metrics
        .comments_ingested
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    state
        .events
        .publish(vec![ModerationEvent {
            kind: EventKind::CommentIngested,
            department_id: actor.department_id(),
            comment_id: row.id,
            decision_id: None,
            appeal_id: None,
            status: row.status.clone(),
            at: now,
        }])
        .await;
    Ok((row, true))
}

async fn by_external_id<C: ConnectionTrait>(
    db: &C,
    platform_id: i64,
    external_id: &str,
) -> AppResult<Option<comment::Model>> {
    Ok(comment::Entity::find()
        .filter(comment::Column::PlatformId.eq(platform_id))
        .filter(comment::Column::ExternalId.eq(external_id))
        .one(db)
        .await?)
}

/// Filters of the moderation queue.
pub struct QueueFilter {
    /// Platform.
    pub platform_id: Option<i64>,
    /// Comments with a finding of this rule.
    pub rule: Option<RuleCode>,
    /// Status (PENDING when absent).
    pub status: Option<CommentStatus>,
}

/// A page of the queue, oldest first (moderators only).
pub async fn queue(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    department_code: &str,
    f: QueueFilter,
    window: Window,
) -> AppResult<Page<comment::Model>> {
    crate::auth::permissions::require_own_department(p, department_code)?;
    moderator(db, profiles, p).await?;
    let (q, key) = queue_select(db.get_database_backend(), p.department_id, &f, window);
    match key {
        QueueKey::Comment(key) => paging::fetch(db, q, key, Direction::Ascending, window).await,
        QueueKey::Rule(key) => paging::fetch(db, q, key, Direction::Ascending, window).await,
    }
}

/// The statement that reads one page of the queue, as [`queue`] runs it (for `EXPLAIN`).
pub fn queue_statement(
    backend: DbBackend,
    department_id: i64,
    f: &QueueFilter,
    window: Window,
) -> Select<comment::Entity> {
    let (q, key) = queue_select(backend, department_id, f, window);
    match key {
        QueueKey::Comment(key) => paging::statement(q, key, Direction::Ascending, window),
        QueueKey::Rule(key) => paging::statement(q, key, Direction::Ascending, window),
    }
}

/// `column` holds `status`, and the page is ordered by it before its key (the same way).
///
/// Asked for `status = 'PENDING' ORDER BY id`, PostgreSQL walks the primary key and filters,
/// which it prices as cheap because its statistics cannot tell that the pending comments are
/// the newest: after a cleared backlog of 900,000 decided comments that walk took 0.9 s for the
/// first page. `status BETWEEN 'PENDING' AND 'PENDING'` selects the same rows, but the order
/// `status, id` is then one only the queue's indexes provide, so they are used however the rows
/// lie on disk (and whether or not the visibility map allows index-only scans). SQLite plans
/// the equality well, and a range there would end the index's prefix before the platform.
fn by_status<E: EntityTrait>(
    q: Select<E>,
    backend: DbBackend,
    column: impl ColumnTrait,
    status: CommentStatus,
    window: Window,
) -> Select<E> {
    let filter = match backend {
        DbBackend::Postgres => column.between(status.as_str(), status.as_str()),
        _ => column.eq(status.as_str()),
    };
    q.filter(filter)
        .order_by(column, paging::order(Direction::Ascending, window))
}

/// The column a queue page is paged by (after its status).
#[derive(Clone, Copy, Debug)]
pub enum QueueKey {
    /// `comments.id`.
    Comment(comment::Column),
    /// `comment_rules.comment_id`, when the queue is filtered by rule.
    Rule(comment_rule::Column),
}

/// The queue's filter as one statement an index serves: `(department, status[, platform], id)`
/// on `comments`, or, filtered by rule, `(department, status, rule[, platform], comment)` on
/// `comment_rules` joined to each comment by its key; ordered by status first ([`by_status`]).
pub fn queue_select(
    backend: DbBackend,
    department_id: i64,
    f: &QueueFilter,
    window: Window,
) -> (Select<comment::Entity>, QueueKey) {
    let status = f.status.unwrap_or(CommentStatus::Pending);
    let Some(rule) = f.rule else {
        let all = comment::Entity::find().filter(comment::Column::DepartmentId.eq(department_id));
        let mut q = by_status(all, backend, comment::Column::Status, status, window);
        if let Some(x) = f.platform_id {
            q = q.filter(comment::Column::PlatformId.eq(x));
        }
        return (q, QueueKey::Comment(comment::Column::Id));
    };
    // comment_rules carries the comment's department, platform and status, so the filter
    // stays on its index and the comment is read by its primary key.
    let all = comment::Entity::find()
        .join(JoinType::InnerJoin, comment_rule::Relation::Comment.def().rev())
        .filter(comment_rule::Column::DepartmentId.eq(department_id));
    let mut q = by_status(all, backend, comment_rule::Column::Status, status, window)
        .filter(comment_rule::Column::RuleCode.eq(rule.as_str()));
    if let Some(x) = f.platform_id {
        q = q.filter(comment_rule::Column::PlatformId.eq(x));
    }
    (q, QueueKey::Rule(comment_rule::Column::CommentId))
}
