//! Posting types: authorizations, posts and their versions and media, consents, staff
//! profiles, staff content reviews, violations.

use async_graphql::{Context, ID, InputObject, Object};
use chrono::Utc;
use entity::{consent, post, post_version, posting_authorization};

use super::platform::{Approval, Platform};
use super::screening::{Finding, ScreeningProvenance, Verdict, stored_findings, stored_provenance};
use super::user::User;
use super::{load_failed, loader, user_by_id};
use crate::error::{AppError, AppResult};
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::{ApprovalsOf, AuthorizedPlatformsOf, MediaOf, PlatformId, PostVersionsOf};
use crate::graphql::scalars::Timestamp;
use crate::service::approvals::Subject;
use crate::service::authorizations::{AuthorizationStatus, status_at};
use crate::service::consents::{SubjectKind, is_live};
use crate::service::posts::{Depicted, PostStatus, media_item};

/// A written posting authorization (IL 01.02.400 II.G.5.a).
pub struct Authorization(pub posting_authorization::Model);

#[Object]
impl Authorization {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Authorization, self.0.id)
    }

    /// The authorized employee.
    async fn user(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.user_id)).await
    }

    /// Who granted it.
    async fn granted_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.granted_by_user_id)).await
    }

    /// Whose authority the grantor used as designee.
    async fn as_designee_of(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, self.0.as_designee_of_user_id).await
    }

    /// The platforms it covers (IL 01.02.400 II.G.5.b).
    async fn platforms(&self, ctx: &Context<'_>) -> AppResult<Vec<Platform>> {
        let l = loader(ctx)?;
        let ids = l
            .load_one(AuthorizedPlatformsOf(self.0.id))
            .await
            .map_err(load_failed)?
            .unwrap_or_default();
        let found = l
            .load_many(ids.into_iter().map(PlatformId))
            .await
            .map_err(load_failed)?;
        let mut out: Vec<Platform> = found.into_values().map(Platform).collect();
        out.sort_by_key(|p| p.0.id);
        Ok(out)
    }

    /// Start.
    async fn valid_from(&self) -> Timestamp {
        Timestamp(self.0.valid_from)
    }

    /// End (exclusive): it stops working at this instant.
    async fn valid_until(&self) -> Timestamp {
        Timestamp(self.0.valid_until)
    }

    /// Reference of the written approval.
    async fn approval_reference(&self) -> &str {
        &self.0.approval_reference
    }

    /// Status now.
    async fn status(&self) -> AuthorizationStatus {
        status_at(&self.0, Utc::now())
    }

    /// The authorization this one renews.
    async fn renewed_from_id(&self) -> Option<ID> {
        self.0.renewed_from_id.map(|id| encode(Kind::Authorization, id))
    }

    /// When revoked.
    async fn revoked_at(&self) -> Option<Timestamp> {
        self.0.revoked_at.map(Timestamp)
    }

    /// Why revoked.
    async fn revoke_reason(&self) -> Option<&str> {
        self.0.revoke_reason.as_deref()
    }
}

/// A person a media item depicts.
#[derive(async_graphql::SimpleObject, InputObject)]
#[graphql(input_name = "DepictedInput")]
pub struct DepictedPerson {
    /// Name as on the consent form.
    pub subject_name: String,
    /// In custody or employee.
    pub subject_kind: SubjectKind,
}

/// A media item of a post.
#[derive(async_graphql::SimpleObject)]
pub struct Media {
    /// Reference of the file.
    pub reference: String,
    /// People in custody or employees it depicts (IL 01.02.400 II.G.4.e).
    pub depicts: Vec<DepictedPerson>,
}

/// A media item to attach.
#[derive(InputObject)]
pub struct MediaInput {
    /// Reference of the file (asset id, URL).
    pub reference: String,
    /// People in custody or employees it depicts; empty when nobody.
    #[graphql(default)]
    pub depicts: Vec<DepictedPerson>,
}

impl From<MediaInput> for crate::service::posts::MediaItem {
    fn from(m: MediaInput) -> Self {
        Self {
            reference: m.reference,
            depicts: m
                .depicts
                .into_iter()
                .map(|d| Depicted {
                    subject_name: d.subject_name,
                    subject_kind: d.subject_kind,
                })
                .collect(),
        }
    }
}

/// An official post.
pub struct Post(pub post::Model);

#[Object]
impl Post {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Post, self.0.id)
    }

    /// Workflow state.
    async fn status(&self) -> AppResult<PostStatus> {
        PostStatus::parse(&self.0.status)
            .ok_or_else(|| AppError::from(anyhow::anyhow!("post {} has status {}", self.0.id, self.0.status)))
    }

    /// The platform it is for.
    async fn platform(&self, ctx: &Context<'_>) -> AppResult<Option<Platform>> {
        Ok(loader(ctx)?
            .load_one(PlatformId(self.0.platform_id))
            .await
            .map_err(load_failed)?
            .map(Platform))
    }

    /// The author.
    async fn author(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.author_user_id)).await
    }

    /// Current body.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// Current version number.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Verdict of the last screening.
    async fn verdict(&self) -> Option<Verdict> {
        self.0.verdict.as_deref().and_then(|v| match v {
            "CLEAR" => Some(Verdict::Clear),
            "REVIEW" => Some(Verdict::Review),
            "BLOCK" => Some(Verdict::Block),
            _ => None,
        })
    }

    /// Findings of the last screening (text rules and media consent).
    async fn findings(&self) -> Vec<Finding> {
        stored_findings(self.0.findings.as_deref())
    }

    /// What produced the last screening (null before the post was first submitted).
    async fn screened_by(&self) -> Option<ScreeningProvenance> {
        stored_provenance(self.0.screened_by.as_deref())
    }

    /// Media items.
    async fn media(&self, ctx: &Context<'_>) -> AppResult<Vec<Media>> {
        let rows = loader(ctx)?
            .load_one(MediaOf(self.0.id))
            .await
            .map_err(load_failed)?
            .unwrap_or_default();
        Ok(rows
            .iter()
            .map(media_item)
            .map(|m| Media {
                reference: m.reference,
                depicts: m
                    .depicts
                    .into_iter()
                    .map(|d| DepictedPerson {
                        subject_name: d.subject_name,
                        subject_kind: d.subject_kind,
                    })
                    .collect(),
            })
            .collect())
    }

    /// Approvals.
    async fn approvals(&self, ctx: &Context<'_>) -> AppResult<Vec<Approval>> {
        let rows = loader(ctx)?
            .load_one(ApprovalsOf(Subject::Post.as_str(), self.0.id))
            .await
            .map_err(load_failed)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(Approval).collect())
    }

    /// Every version of the body, oldest first.
    async fn versions(&self, ctx: &Context<'_>) -> AppResult<Vec<PostVersion>> {
        let rows = loader(ctx)?
            .load_one(PostVersionsOf(self.0.id))
            .await
            .map_err(load_failed)?;
        Ok(rows.unwrap_or_default().into_iter().map(PostVersion).collect())
    }

    /// Where it went live.
    async fn external_url(&self) -> Option<&str> {
        self.0.external_url.as_deref()
    }

    /// Reason of rejection or removal.
    async fn status_reason(&self) -> Option<&str> {
        self.0.status_reason.as_deref()
    }

    /// Set when a consent the published post relied on was revoked.
    async fn consent_flag(&self) -> Option<&str> {
        self.0.consent_flag.as_deref()
    }

    /// When drafted.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    /// When submitted.
    async fn submitted_at(&self) -> Option<Timestamp> {
        self.0.submitted_at.map(Timestamp)
    }

    /// When published.
    async fn published_at(&self) -> Option<Timestamp> {
        self.0.published_at.map(Timestamp)
    }
}

/// One version of a post's body.
pub struct PostVersion(pub post_version::Model);

#[Object]
impl PostVersion {
    /// Version number.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// The body at this version.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// Who wrote it.
    async fn created_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user_by_id(ctx, Some(self.0.created_by_user_id)).await
    }

    /// When.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }
}

/// A consent record (IL 01.02.400 II.G.4.e, II.G.5.e).
pub struct Consent(pub consent::Model);

#[Object]
impl Consent {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Consent, self.0.id)
    }

    /// Who consented.
    async fn subject_name(&self) -> &str {
        &self.0.subject_name
    }

    /// In custody or employee.
    async fn subject_kind(&self) -> &str {
        &self.0.subject_kind
    }

    /// The media it covers.
    async fn media_reference(&self) -> &str {
        &self.0.media_reference
    }

    /// When granted.
    async fn granted_at(&self) -> Timestamp {
        Timestamp(self.0.granted_at)
    }

    /// When it ends.
    async fn expires_at(&self) -> Option<Timestamp> {
        self.0.expires_at.map(Timestamp)
    }

    /// Where the signed form is.
    async fn document_reference(&self) -> &str {
        &self.0.document_reference
    }

    /// Whether it is live now.
    async fn live(&self) -> bool {
        is_live(&self.0, Utc::now())
    }

    /// When revoked.
    async fn revoked_at(&self) -> Option<Timestamp> {
        self.0.revoked_at.map(Timestamp)
    }
}

pub use super::conduct::{StaffContentReview, StaffProfile, Violation};
