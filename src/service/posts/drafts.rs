//! Drafting, editing and submitting a post: every version is kept, and submission screens the
//! text and the media's consents.

use chrono::Utc;
use entity::post;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::json;

use super::media::{MediaItem, check_media, consent_findings, media_of, replace_media};
use super::{PostStatus, check_body, find, findings_json, insert_version, require_authorized};
use crate::auth::Principal;
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::Profiles;
use crate::policy::screening::{Context, Verdict};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::service::platforms;
use crate::state::AppState;

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

/// Changes a draft (the author, while authorized for its platform); every version is kept.
pub async fn update(
    db: &DatabaseConnection,
    profiles: &Profiles,
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
    // The authorization must still be live when the draft changes (IL 01.02.400 II.G.5.a).
    require_authorized(&txn, profiles, p, current.platform_id).await?;
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
            find(&txn, p, id).await?.status
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
        .screen(
            p.department_id,
            &profile.screening,
            Context::OfficialPost,
            &current.body,
        )
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
            Expr::value(crate::service::screening::provenance_json(&result.provenance)),
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
