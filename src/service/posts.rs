//! Official posts (IL 01.02.400 II.G.3-G.5, MT IV.A.4): DRAFT → SUBMITTED → APPROVED/REJECTED →
//! PUBLISHED → REMOVED. Submitting screens the text (OFFICIAL_POST) and checks media consent;
//! a BLOCK verdict refuses the submit with the findings. One approval, never the author's.
//! Every version of the body is kept (IL 01.02.400 II.G.1.e).

use chrono::Utc;
use entity::{post, post_consent, post_media, post_version};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::approvals::{self, Ask, Recorded, Subject};
use super::consents::{SubjectKind, live_for_media, name_key};
use super::{authorizations, delegations, platforms};
use crate::auth::{Principal, Role};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::profile::Responsibility;
use crate::policy::screening::{self, Context, Finding, RuleCode, Source, Verdict};
use crate::policy::{Profile, Profiles};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::state::AppState;

/// A person a media item depicts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Depicted {
    /// Their name as on the consent form.
    pub subject_name: String,
    /// In custody or employee.
    pub subject_kind: SubjectKind,
}

/// A media item of a post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaItem {
    /// Reference of the file (asset id, URL).
    pub reference: String,
    /// Who it depicts (empty when nobody in custody and no employee appears).
    pub depicts: Vec<Depicted>,
}

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
    super::screening::check_size(body)
}

fn check_media(media: &[MediaItem]) -> AppResult<()> {
    if media.len() > 20 {
        return Err(AppError::BadUserInput("at most 20 media items".into()));
    }
    for m in media {
        if m.reference.trim().is_empty() || m.reference.chars().count() > 500 {
            return Err(AppError::BadUserInput(
                "each media item needs a reference of 1-500 characters".into(),
            ));
        }
        if m.depicts.iter().any(|d| d.subject_name.trim().is_empty()) {
            return Err(AppError::BadUserInput("each depicted person needs a name".into()));
        }
    }
    Ok(())
}

/// Drafts a post for a platform the caller is authorized to post on.
pub async fn create(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    platform_id: i64,
    body: &str,
    media: Vec<MediaItem>,
    meta: &RequestMeta,
) -> AppResult<post::Model> {
    check_body(body)?;
    check_media(&media)?;
    let platform = platforms::find(db, p, platform_id).await?;
    if platform.status != "ACTIVE" {
        return Err(AppError::BadUserInput(format!(
            "platform is {}; posts go only to ACTIVE platforms (IL 01.02.400 II.G.5.b)",
            platform.status
        )));
    }
    require_authorized(db, profiles, p, platform_id).await?;
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let row = post::ActiveModel {
        department_id: Set(p.department_id),
        platform_id: Set(platform_id),
        author_user_id: Set(p.user_id),
        status: Set(PostStatus::Draft.as_str().to_owned()),
        body: Set(body.to_owned()),
        version: Set(1),
        verdict: Set(None),
        findings: Set(None),
        external_url: Set(None),
        submitted_at: Set(None),
        published_at: Set(None),
        published_by_user_id: Set(None),
        removed_at: Set(None),
        status_reason: Set(None),
        consent_flag: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_version(&txn, &row, p.user_id).await?;
    replace_media(&txn, row.id, &media).await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "post.drafted",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Post", row.id)
    .detail(json!({ "platform_id": platform_id, "media": media.len() }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// Changes a draft (the author only); every version is kept.
pub async fn update(
    db: &DatabaseConnection,
    p: &Principal,
    id: i64,
    body: &str,
    media: Option<Vec<MediaItem>>,
    meta: &RequestMeta,
) -> AppResult<post::Model> {
    check_body(body)?;
    if let Some(m) = &media {
        check_media(m)?;
    }
    let txn = begin_write(db).await?;
    let current = find(&txn, p, id).await?;
    if current.author_user_id != p.user_id {
        return Err(AppError::Forbidden("only the author edits a draft".into()));
    }
    let scopes = crate::records::holds::active_scopes(&txn, p.department_id).await?;
    if crate::records::holds::held(
        &scopes,
        Some(current.platform_id),
        Some(current.author_user_id),
        current.created_at,
    ) {
        return Err(AppError::Conflict(
            "the post is under a legal hold and cannot be edited (IL 01.02.400 II.G.1.e)".into(),
        ));
    }
    let next = current.version + 1;
    let done = post::Entity::update_many()
        .col_expr(post::Column::Body, Expr::value(body))
        .col_expr(post::Column::Version, Expr::value(next))
        .col_expr(post::Column::Verdict, Expr::value(Option::<String>::None))
        .col_expr(post::Column::Findings, Expr::value(Option::<String>::None))
        .col_expr(post::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(post::Column::Id.eq(id))
        .filter(post::Column::Status.eq(PostStatus::Draft.as_str()))
        .filter(post::Column::Version.eq(current.version))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::Conflict(format!(
            "post is {}; only drafts change",
            current.status
        )));
    }
    let row = find(&txn, p, id).await?;
    insert_version(&txn, &row, p.user_id).await?;
    if let Some(m) = &media {
        replace_media(&txn, id, m).await?;
    }
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "post.edited",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Post", id)
    .detail(json!({ "version": next }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// The media of a post.
pub async fn media_of<C: ConnectionTrait>(db: &C, post_id: i64) -> AppResult<Vec<MediaItem>> {
    Ok(post_media::Entity::find()
        .filter(post_media::Column::PostId.eq(post_id))
        .order_by_asc(post_media::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|m| media_item(&m))
        .collect())
}

/// A stored media row as an item.
pub fn media_item(m: &post_media::Model) -> MediaItem {
    MediaItem {
        reference: m.media_reference.clone(),
        depicts: serde_json::from_str(&m.depicts).unwrap_or_default(),
    }
}

/// MEDIA_CONSENT findings for media depicting someone without a live consent, and the ids of
/// the consents that cover the rest.
async fn consent_findings<C: ConnectionTrait>(
    db: &C,
    profile: &Profile,
    department_id: i64,
    media: &[MediaItem],
) -> AppResult<(Vec<Finding>, Vec<i64>)> {
    let Some(severity) = profile
        .screening
        .severity(RuleCode::MediaConsent, Context::OfficialPost)
    else {
        return Ok((Vec::new(), Vec::new()));
    };
    let rule = profile.screening.rules.get(&RuleCode::MediaConsent);
    let clause = rule.map(|r| r.clause.clone()).unwrap_or_default();
    let refs: Vec<String> = media
        .iter()
        .filter(|m| !m.depicts.is_empty())
        .map(|m| m.reference.clone())
        .collect();
    let live = live_for_media(db, department_id, &refs, Utc::now()).await?;
    let mut findings = Vec::new();
    let mut used = Vec::new();
    for m in media {
        for d in &m.depicts {
            let found = live.iter().find(|c| {
                c.media_reference == m.reference
                    && c.subject_kind == d.subject_kind.as_str()
                    && name_key(&c.subject_name) == name_key(&d.subject_name)
            });
            match found {
                Some(c) => used.push(c.id),
                None => findings.push(Finding {
                    rule: RuleCode::MediaConsent,
                    severity,
                    clause: clause.clone(),
                    message: format!(
                        "media {} depicts {} with no live consent on record",
                        m.reference,
                        match d.subject_kind {
                            SubjectKind::InCustody => "a person in custody",
                            SubjectKind::Employee => "an employee",
                        }
                    ),
                    start: 0,
                    end: 0,
                    excerpt: m.reference.clone(),
                    source: Source::Rule,
                    score: None,
                }),
            }
        }
    }
    used.sort_unstable();
    used.dedup();
    Ok((findings, used))
}

/// The findings in the API's JSON shape (for POLICY_VIOLATION errors and storage).
pub fn findings_json(findings: &[Finding]) -> serde_json::Value {
    serde_json::to_value(findings).unwrap_or(serde_json::Value::Null)
}

/// Screens and submits a draft (the author). BLOCK findings refuse it with POLICY_VIOLATION;
/// the findings are stored with the post either way.
pub async fn submit(state: &AppState, p: &Principal, id: i64, meta: &RequestMeta) -> AppResult<post::Model> {
    let (db, profiles) = (&state.db, &*state.profiles);
    let profile = profiles.of(&p.department_code)?;
    let current = find(db, p, id).await?;
    if current.author_user_id != p.user_id {
        return Err(AppError::Forbidden("only the author submits a draft".into()));
    }
    if current.status != PostStatus::Draft.as_str() {
        return Err(AppError::Conflict(format!(
            "post is {}, not DRAFT",
            current.status
        )));
    }
    require_authorized(db, profiles, p, current.platform_id).await?;
    let media = media_of(db, id).await?;
    let mut result = state
        .screener
        .screen(p.department_id, &profile.screening, Context::OfficialPost, &current.body)
        .await?;
    let (consent, _) = consent_findings(db, profile, p.department_id, &media).await?;
    result.findings.extend(consent);
    let worst = result.findings.iter().map(|f| f.severity).max();
    let verdict = Verdict::from_worst(worst);
    let stored = findings_json(&result.findings).to_string();
    let blocked = verdict == Verdict::Block;
    let txn = begin_write(db).await?;
    let mut q = post::Entity::update_many()
        .col_expr(post::Column::Verdict, Expr::value(verdict.as_str()))
        .col_expr(post::Column::Findings, Expr::value(stored))
        .col_expr(
            post::Column::ScreenedBy,
            Expr::value(super::screening::provenance_json(&result.provenance)),
        )
        .col_expr(post::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(post::Column::Id.eq(id))
        .filter(post::Column::Status.eq(PostStatus::Draft.as_str()))
        .filter(post::Column::Version.eq(current.version));
    if !blocked {
        q = q
            .col_expr(post::Column::Status, Expr::value(PostStatus::Submitted.as_str()))
            .col_expr(post::Column::SubmittedAt, Expr::value(Utc::now()));
    }
    if q.exec(&txn).await?.rows_affected != 1 {
        return Err(AppError::Conflict(
            "the draft changed while it was being submitted".into(),
        ));
    }
    let rules: Vec<&str> = result.findings.iter().map(|f| f.rule.as_str()).collect();
    let (action, outcome) = if blocked {
        ("post.submit", Outcome::Denied)
    } else {
        ("post.submitted", Outcome::Success)
    };
    let ev = NewEvent::department(&p.department_code, p.department_id, action, outcome)
        .actor(p.user_id)
        .subject("Post", id)
        .detail(json!({ "verdict": verdict.as_str(), "rules": rules, "version": current.version }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    if blocked {
        return Err(AppError::PolicyViolation {
            message: format!("the post breaks the directive: {}", rules.join(", ")),
            findings: findings_json(&result.findings),
        });
    }
    find(db, p, id).await
}

/// Approves a submitted post: one approval by a role of the profile's `posts.approvers` (or
/// their designee), never the author.
pub async fn approve(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    note: Option<String>,
    meta: &RequestMeta,
) -> AppResult<post::Model> {
    let profile = profiles.of(&p.department_code)?;
    let clause = &profile.posts.approval_clause;
    let txn = begin_write(db).await?;
    let current = find(&txn, p, id).await?;
    let caps = delegations::capacities(&txn, profiles, p, Responsibility::ApprovePosts).await?;
    if !lock_in(&txn, id, &[PostStatus::Submitted]).await? {
        return Err(AppError::Conflict(format!(
            "post is {}, not SUBMITTED",
            current.status
        )));
    }
    let seats = vec![profile.posts.approvers.clone()];
    let ask = Ask {
        seats: &seats,
        clause,
        subject: Subject::Post,
        subject_id: id,
        proposer_user_id: current.author_user_id,
        capacities: &caps,
        note,
    };
    let Recorded::New { row, complete } = approvals::record(&txn, p, ask).await? else {
        txn.rollback().await?;
        return Ok(current);
    };
    if complete {
        transition(&txn, id, &[PostStatus::Submitted], PostStatus::Approved, None).await?;
    }
    let mut ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "post.approved",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Post", id)
    .detail(json!({ "role": row.approver_role, "clause": clause }));
    ev.on_behalf_of_user_id = row.as_designee_of_user_id;
    audit::append(&txn, meta, ev).await?;
    let out = find(&txn, p, id).await?;
    txn.commit().await?;
    Ok(out)
}

/// Rejects a submitted post with a reason (same people who approve, never the author).
pub async fn reject(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    reason: &str,
    meta: &RequestMeta,
) -> AppResult<post::Model> {
    let profile = profiles.of(&p.department_code)?;
    let clause = &profile.posts.approval_clause;
    let reason = super::required_reason(reason)?;
    let txn = begin_write(db).await?;
    let current = find(&txn, p, id).await?;
    let caps = delegations::capacities(&txn, profiles, p, Responsibility::ApprovePosts).await?;
    let Some(cap) = caps.iter().find(|c| profile.posts.approvers.contains(&c.role)) else {
        return Err(AppError::forbidden_by("you may not decide on posts", clause));
    };
    if current.author_user_id == p.user_id || current.author_user_id == cap.authority_user_id {
        return Err(AppError::forbidden_by("nobody decides on their own post", clause));
    }
    if !transition(
        &txn,
        id,
        &[PostStatus::Submitted],
        PostStatus::Rejected,
        Some(&reason),
    )
    .await?
    {
        return Err(AppError::Conflict(format!(
            "post is {}, not SUBMITTED",
            current.status
        )));
    }
    let mut ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "post.rejected",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Post", id)
    .detail(json!({ "reason": reason }));
    ev.on_behalf_of_user_id = cap.as_designee_of;
    audit::append(&txn, meta, ev).await?;
    let out = find(&txn, p, id).await?;
    txn.commit().await?;
    Ok(out)
}

/// Records where an approved post went live (the PIO or the author). Media consent is checked
/// again: a consent that lapsed since submission stops publication.
pub async fn publish(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    id: i64,
    external_url: &str,
    meta: &RequestMeta,
) -> AppResult<post::Model> {
    let profile = profiles.of(&p.department_code)?;
    let current = find(db, p, id).await?;
    if p.role != Role::Pio && current.author_user_id != p.user_id {
        return Err(AppError::forbidden_by(
            "only the PIO or the author records publication",
            &profile.posts.approval_clause,
        ));
    }
    let url = external_url.trim();
    if !url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
        return Err(AppError::BadUserInput(
            "externalUrl must be an http(s) URL".into(),
        ));
    }
    let media = media_of(db, id).await?;
    let (missing, used) = consent_findings(db, profile, p.department_id, &media).await?;
    if missing.iter().any(|f| f.severity == screening::Severity::Block) {
        return Err(AppError::PolicyViolation {
            message: "a consent lapsed since the post was submitted".into(),
            findings: findings_json(&missing),
        });
    }
    let txn = begin_write(db).await?;
    let done = post::Entity::update_many()
        .col_expr(post::Column::Status, Expr::value(PostStatus::Published.as_str()))
        .col_expr(post::Column::ExternalUrl, Expr::value(url))
        .col_expr(post::Column::PublishedAt, Expr::value(Utc::now()))
        .col_expr(post::Column::PublishedByUserId, Expr::value(p.user_id))
        .col_expr(post::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(post::Column::Id.eq(id))
        .filter(post::Column::Status.eq(PostStatus::Approved.as_str()))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::Conflict(format!(
            "post is {}, not APPROVED",
            current.status
        )));
    }
    if !used.is_empty() {
        post_consent::Entity::insert_many(used.iter().map(|c| post_consent::ActiveModel {
            post_id: Set(id),
            consent_id: Set(*c),
            ..Default::default()
        }))
        .exec(&txn)
        .await?;
    }
    let hook = json!({ "post_id": id, "platform_id": current.platform_id, "external_url": url });
    crate::records::webhooks::enqueue(
        &txn,
        p.department_id,
        "post.published",
        &format!("post.published:{id}"),
        hook,
    )
    .await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "post.published",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Post", id)
    .detail(json!({ "external_url": url, "consents": used }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    find(db, p, id).await
}

/// Takes a post down (director, PIO or the author), with a reason.
pub async fn remove(
    db: &DatabaseConnection,
    p: &Principal,
    id: i64,
    reason: &str,
    meta: &RequestMeta,
) -> AppResult<post::Model> {
    let reason = super::required_reason(reason)?;
    let txn = begin_write(db).await?;
    let current = find(&txn, p, id).await?;
    if p.role == Role::Staff && current.author_user_id != p.user_id {
        return Err(AppError::Forbidden(
            "only the director, the PIO or the author removes a post".into(),
        ));
    }
    let from = [PostStatus::Submitted, PostStatus::Approved, PostStatus::Published];
    if !transition(&txn, id, &from, PostStatus::Removed, Some(&reason)).await? {
        return Err(AppError::Conflict(format!("post is {}", current.status)));
    }
    post::Entity::update_many()
        .col_expr(post::Column::RemovedAt, Expr::value(Utc::now()))
        .filter(post::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "post.removed",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Post", id)
    .detail(json!({ "reason": reason, "from": current.status }));
    audit::append(&txn, meta, ev).await?;
    let out = find(&txn, p, id).await?;
    txn.commit().await?;
    Ok(out)
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

async fn replace_media(txn: &DatabaseTransaction, post_id: i64, media: &[MediaItem]) -> AppResult<()> {
    post_media::Entity::delete_many()
        .filter(post_media::Column::PostId.eq(post_id))
        .exec(txn)
        .await?;
    if media.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let mut rows = Vec::with_capacity(media.len());
    for m in media {
        rows.push(post_media::ActiveModel {
            post_id: Set(post_id),
            media_reference: Set(m.reference.trim().to_owned()),
            depicts: Set(serde_json::to_string(&m.depicts).map_err(anyhow::Error::from)?),
            created_at: Set(now),
            ..Default::default()
        });
    }
    post_media::Entity::insert_many(rows).exec(txn).await?;
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
    first: u64,
    before_id: Option<i64>,
) -> AppResult<(Vec<post::Model>, bool)> {
    use sea_orm::Condition;
    crate::auth::permissions::require_own_department(p, department_code)?;
    let mut q = post::Entity::find()
        .filter(post::Column::DepartmentId.eq(p.department_id))
        .order_by_desc(post::Column::Id);
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
    if let Some(b) = before_id {
        q = q.filter(post::Column::Id.lt(b));
    }
    super::fetch_page(db, q, first).await
}
