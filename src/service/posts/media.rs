//! The media of a post, whom they depict, and the consents on record for them
//! (IL 01.02.400 II.G.4, MT IV.A.4).

use chrono::Utc;
use entity::post_media;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::policy::Profile;
use crate::policy::screening::{Context, Finding, RuleCode, Source};
use crate::service::consents::{SubjectKind, live_for_media, name_key};

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

pub(super) fn check_media(media: &[MediaItem]) -> AppResult<()> {
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
pub(super) async fn consent_findings<C: ConnectionTrait>(
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

pub(super) async fn replace_media(
    txn: &DatabaseTransaction,
    post_id: i64,
    media: &[MediaItem],
) -> AppResult<()> {
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
