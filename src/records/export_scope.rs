//! Which rows of each record kind an export's scope selects. Every kind honours every filter:
//!
//! - **platforms**: the platform's own rows; approvals of it, of its change requests and of its
//!   posts; authorizations that cover it; its posts and their versions; its comments and their
//!   decisions; audit events about any of those. Violations concern people, not platforms, and
//!   are left out when platforms are named.
//! - **people**: what they did or what concerns them: platforms they proposed or accepted the
//!   terms of, versions they made, approvals they gave (in person or through a designee),
//!   authorizations they hold, posts they wrote and their versions, comments they decided and
//!   their decisions, violations recorded against them, audit events they acted in or on
//!   behalf of.
//! - **period** (`from` inclusive, `to` exclusive): each record by its own time (created,
//!   received or occurred).

use entity::{
    approval, audit_event, authorization_platform, comment, moderation_decision, platform,
    platform_change_request, platform_version, post, post_version, posting_authorization, violation,
};
use sea_orm::sea_query::{Alias, Expr, Func, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, EntityTrait, ExprTrait, QueryFilter, Select};

use super::holds::Scope;

/// How each kind is filtered, stated in the manifest.
pub const RULES: [(&str, &str); 10] = [
    (
        "platform",
        "platforms: the platform; people: proposed it or accepted its terms; period: created",
    ),
    (
        "platform_version",
        "platforms: of the platform; people: made the version; period: created",
    ),
    (
        "approval",
        "platforms: of the platform, its change requests or its posts; people: approver or the one they stood in for; period: created",
    ),
    (
        "authorization",
        "platforms: covers the platform; people: holds it; period: created",
    ),
    (
        "post",
        "platforms: on the platform; people: wrote it; period: created",
    ),
    (
        "post_version",
        "platforms and people: of a post in scope; period: created",
    ),
    (
        "comment",
        "platforms: on the platform; people: decided by them; period: received",
    ),
    (
        "moderation_decision",
        "platforms: on a comment of the platform; people: decided by them; period: created",
    ),
    (
        "violation",
        "platforms: none (violations concern people); people: recorded against them; period: created",
    ),
    (
        "audit_event",
        "platforms: about the platform or its change requests, posts or comments; people: actor or on behalf of; period: occurred",
    ),
];

fn period<E: EntityTrait, C: ColumnTrait>(mut q: Select<E>, col: C, s: &Scope) -> Select<E> {
    if let Some(f) = s.from {
        q = q.filter(col.gte(f));
    }
    if let Some(t) = s.to {
        q = q.filter(col.lt(t));
    }
    q
}

fn by_platform(s: &Scope) -> bool {
    !s.platform_ids.is_empty()
}

fn by_people(s: &Scope) -> bool {
    !s.user_ids.is_empty()
}

/// `SELECT id FROM <entity> WHERE platform_id IN (…)`.
fn ids_on_platforms<E: EntityTrait, C: ColumnTrait>(id: C, platform_col: C, s: &Scope) -> SelectStatement {
    Query::select()
        .column(id)
        .from(E::default())
        .and_where(Expr::col(platform_col).is_in(s.platform_ids.clone()))
        .to_owned()
}

/// The same as `ids_on_platforms`, the ids as text (audit events name their subject by a
/// string id).
fn text_ids_on_platforms<E: EntityTrait, C: ColumnTrait>(
    id: C,
    platform_col: C,
    s: &Scope,
) -> SelectStatement {
    Query::select()
        .expr(Func::cast_as(Expr::col(id), Alias::new("TEXT")))
        .from(E::default())
        .and_where(Expr::col(platform_col).is_in(s.platform_ids.clone()))
        .to_owned()
}

/// Platforms.
pub fn platforms(d: i64, s: &Scope) -> Select<platform::Entity> {
    let mut q = platform::Entity::find().filter(platform::Column::DepartmentId.eq(d));
    if by_platform(s) {
        q = q.filter(platform::Column::Id.is_in(s.platform_ids.clone()));
    }
    if by_people(s) {
        q = q.filter(
            Condition::any()
                .add(platform::Column::ProposedByUserId.is_in(s.user_ids.clone()))
                .add(platform::Column::TermsAcceptedByUserId.is_in(s.user_ids.clone())),
        );
    }
    period(q, platform::Column::CreatedAt, s)
}

/// Platform versions.
pub fn platform_versions(d: i64, s: &Scope) -> Select<platform_version::Entity> {
    let mut owners = Query::select()
        .column(platform::Column::Id)
        .from(platform::Entity)
        .and_where(Expr::col(platform::Column::DepartmentId).eq(d))
        .to_owned();
    if by_platform(s) {
        owners.and_where(Expr::col(platform::Column::Id).is_in(s.platform_ids.clone()));
    }
    let mut q =
        platform_version::Entity::find().filter(platform_version::Column::PlatformId.in_subquery(owners));
    if by_people(s) {
        q = q.filter(platform_version::Column::CreatedByUserId.is_in(s.user_ids.clone()));
    }
    period(q, platform_version::Column::CreatedAt, s)
}

/// Approvals.
pub fn approvals(d: i64, s: &Scope) -> Select<approval::Entity> {
    let mut q = approval::Entity::find().filter(approval::Column::DepartmentId.eq(d));
    if by_platform(s) {
        let changes = ids_on_platforms::<platform_change_request::Entity, _>(
            platform_change_request::Column::Id,
            platform_change_request::Column::PlatformId,
            s,
        );
        let posts = ids_on_platforms::<post::Entity, _>(post::Column::Id, post::Column::PlatformId, s);
        let subject = |kind: &str| approval::Column::SubjectType.eq(kind.to_owned());
        q = q.filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(subject("PLATFORM"))
                        .add(approval::Column::SubjectId.is_in(s.platform_ids.clone())),
                )
                .add(
                    Condition::all()
                        .add(subject("PLATFORM_CHANGE"))
                        .add(approval::Column::SubjectId.in_subquery(changes)),
                )
                .add(
                    Condition::all()
                        .add(subject("POST"))
                        .add(approval::Column::SubjectId.in_subquery(posts)),
                ),
        );
    }
    if by_people(s) {
        q = q.filter(
            Condition::any()
                .add(approval::Column::ApproverUserId.is_in(s.user_ids.clone()))
                .add(approval::Column::AsDesigneeOfUserId.is_in(s.user_ids.clone())),
        );
    }
    period(q, approval::Column::CreatedAt, s)
}

/// Posting authorizations.
pub fn authorizations(d: i64, s: &Scope) -> Select<posting_authorization::Entity> {
    let mut q =
        posting_authorization::Entity::find().filter(posting_authorization::Column::DepartmentId.eq(d));
    if by_platform(s) {
        let covering = ids_on_platforms::<authorization_platform::Entity, _>(
            authorization_platform::Column::AuthorizationId,
            authorization_platform::Column::PlatformId,
            s,
        );
        q = q.filter(posting_authorization::Column::Id.in_subquery(covering));
    }
    if by_people(s) {
        q = q.filter(posting_authorization::Column::UserId.is_in(s.user_ids.clone()));
    }
    period(q, posting_authorization::Column::CreatedAt, s)
}

/// Posts in scope, without the period (their versions are dated on their own).
fn posts_of(d: i64, s: &Scope) -> Select<post::Entity> {
    let mut q = post::Entity::find().filter(post::Column::DepartmentId.eq(d));
    if by_platform(s) {
        q = q.filter(post::Column::PlatformId.is_in(s.platform_ids.clone()));
    }
    if by_people(s) {
        q = q.filter(post::Column::AuthorUserId.is_in(s.user_ids.clone()));
    }
    q
}

/// Posts.
pub fn posts(d: i64, s: &Scope) -> Select<post::Entity> {
    period(posts_of(d, s), post::Column::CreatedAt, s)
}

/// Post versions.
pub fn post_versions(d: i64, s: &Scope) -> Select<post_version::Entity> {
    use sea_orm::{QuerySelect, QueryTrait};
    let owners = posts_of(d, s).select_only().column(post::Column::Id).into_query();
    period(
        post_version::Entity::find().filter(post_version::Column::PostId.in_subquery(owners)),
        post_version::Column::CreatedAt,
        s,
    )
}

/// Comments in scope, without the period.
fn comments_of(d: i64, s: &Scope) -> Select<comment::Entity> {
    let mut q = comment::Entity::find().filter(comment::Column::DepartmentId.eq(d));
    if by_platform(s) {
        q = q.filter(comment::Column::PlatformId.is_in(s.platform_ids.clone()));
    }
    if by_people(s) {
        let decided = Query::select()
            .column(moderation_decision::Column::CommentId)
            .from(moderation_decision::Entity)
            .and_where(Expr::col(moderation_decision::Column::ModeratorUserId).is_in(s.user_ids.clone()))
            .to_owned();
        q = q.filter(comment::Column::Id.in_subquery(decided));
    }
    q
}

/// Comments.
pub fn comments(d: i64, s: &Scope) -> Select<comment::Entity> {
    period(comments_of(d, s), comment::Column::ReceivedAt, s)
}

/// Moderation decisions.
pub fn decisions(d: i64, s: &Scope) -> Select<moderation_decision::Entity> {
    let mut q = moderation_decision::Entity::find().filter(moderation_decision::Column::DepartmentId.eq(d));
    if by_platform(s) {
        let on = ids_on_platforms::<comment::Entity, _>(comment::Column::Id, comment::Column::PlatformId, s);
        q = q.filter(moderation_decision::Column::CommentId.in_subquery(on));
    }
    if by_people(s) {
        q = q.filter(moderation_decision::Column::ModeratorUserId.is_in(s.user_ids.clone()));
    }
    period(q, moderation_decision::Column::CreatedAt, s)
}

/// Violations (none when platforms are named).
pub fn violations(d: i64, s: &Scope) -> Select<violation::Entity> {
    let mut q = violation::Entity::find().filter(violation::Column::DepartmentId.eq(d));
    if by_platform(s) {
        q = q.filter(Expr::val(1).eq(0));
    }
    if by_people(s) {
        q = q.filter(violation::Column::UserId.is_in(s.user_ids.clone()));
    }
    period(q, violation::Column::CreatedAt, s)
}

/// Audit events of the department's chain.
pub fn audit_events(chain: &str, s: &Scope) -> Select<audit_event::Entity> {
    let mut q = audit_event::Entity::find().filter(audit_event::Column::ChainKey.eq(chain));
    if by_platform(s) {
        let about = |kind: &str, ids: SelectStatement| {
            Condition::all()
                .add(audit_event::Column::SubjectType.eq(kind.to_owned()))
                .add(audit_event::Column::SubjectId.in_subquery(ids))
        };
        let platforms =
            text_ids_on_platforms::<platform::Entity, _>(platform::Column::Id, platform::Column::Id, s);
        let changes = text_ids_on_platforms::<platform_change_request::Entity, _>(
            platform_change_request::Column::Id,
            platform_change_request::Column::PlatformId,
            s,
        );
        let posts = text_ids_on_platforms::<post::Entity, _>(post::Column::Id, post::Column::PlatformId, s);
        let comments =
            text_ids_on_platforms::<comment::Entity, _>(comment::Column::Id, comment::Column::PlatformId, s);
        q = q.filter(
            Condition::any()
                .add(about("Platform", platforms))
                .add(about("PlatformChangeRequest", changes))
                .add(about("Post", posts))
                .add(about("Comment", comments)),
        );
    }
    if by_people(s) {
        q = q.filter(
            Condition::any()
                .add(audit_event::Column::ActorUserId.is_in(s.user_ids.clone()))
                .add(audit_event::Column::OnBehalfOfUserId.is_in(s.user_ids.clone())),
        );
    }
    period(q, audit_event::Column::OccurredAt, s)
}
