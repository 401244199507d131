//! Posting mutations: authorizations, staff profiles, posts, consents, staff content reviews,
//! violations. Every refusal by a rule is audited as DENIED.

use async_graphql::{Context, ID, InputObject, Object};

use crate::error::AppResult;
use crate::graphql::context::{principal, request, state};
use crate::graphql::ids::{self, Kind};
use crate::graphql::scalars::Timestamp;
use crate::graphql::types::posting::{
    Authorization, Consent, MediaInput, Post, StaffContentReview, StaffProfile, Violation,
};
use crate::service::authorizations::{self, Grant};
use crate::service::consents::{self, NewConsent, SubjectKind};
use crate::service::platform_rules::Network;
use crate::service::refusals::audited;
use crate::service::staff_content::{self, ReviewOutcome, StaffContent};
use crate::service::violations::{self, NewViolation, ViolationOutcome};
use crate::service::{posts, staff_profiles};

/// A written posting authorization (IL 01.02.400 II.G.5.a).
#[derive(InputObject)]
pub struct GrantAuthorizationInput {
    /// The employee.
    pub user_id: ID,
    /// Platforms it covers (ACTIVE, of the department).
    pub platform_ids: Vec<ID>,
    /// Start.
    pub valid_from: Timestamp,
    /// End (exclusive); at most the profile's maximum after the start.
    pub valid_until: Timestamp,
    /// Reference of the written approval.
    pub approval_reference: String,
}

/// A post draft.
#[derive(InputObject)]
pub struct CreatePostInput {
    /// The platform.
    pub platform_id: ID,
    /// The text.
    pub body: String,
    /// Media items and whom they depict.
    pub media: Option<Vec<MediaInput>>,
}

/// A consent record.
#[derive(InputObject)]
pub struct RecordConsentInput {
    /// Who consents.
    pub subject_name: String,
    /// In custody or employee.
    pub subject_kind: SubjectKind,
    /// The media it covers.
    pub media_reference: String,
    /// When granted.
    pub granted_at: Timestamp,
    /// When it ends, if it does.
    pub expires_at: Option<Timestamp>,
    /// Where the signed form is kept.
    pub document_reference: String,
}

/// A personal profile used on duty (MT IV.B.1).
#[derive(InputObject)]
pub struct RegisterStaffProfileInput {
    /// Network.
    pub network: Network,
    /// Handle.
    pub handle: String,
    /// A personal (not department or government) e-mail address.
    pub personal_email: String,
}

/// A review of an employee's personal content (MT IV.B.3).
#[derive(InputObject)]
pub struct ReviewStaffContentInput {
    /// The employee.
    pub staff_user_id: ID,
    /// Where the content is.
    pub content_reference: String,
    /// Its text, screened in the STAFF_CONTENT context and not stored.
    pub text: String,
    /// The conclusion.
    pub outcome: ReviewOutcome,
    /// Notes.
    #[graphql(default)]
    pub note: String,
}

/// A violation (IL 01.02.400 II.G.6).
#[derive(InputObject)]
pub struct RecordViolationInput {
    /// The employee.
    pub user_id: ID,
    /// Rule codes broken.
    pub rule_codes: Vec<String>,
    /// Subject.
    pub subject: String,
    /// What happened.
    pub description: String,
}

/// Posting write operations.
#[derive(Default)]
pub struct PostingMutation;

#[Object]
impl PostingMutation {
    /// Grants a written posting authorization for a specified period.
    async fn grant_authorization(
        &self,
        ctx: &Context<'_>,
        input: GrantAuthorizationInput,
    ) -> AppResult<Authorization> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let g = Grant {
            user_id: ids::decode(&input.user_id, Kind::User)?,
            platform_ids: input
                .platform_ids
                .iter()
                .map(|x| ids::decode(x, Kind::Platform))
                .collect::<AppResult<_>>()?,
            valid_from: input.valid_from.0,
            valid_until: input.valid_until.0,
            approval_reference: input.approval_reference,
        };
        let r = authorizations::grant(&st.db, &st.profiles, p, g, None, meta).await;
        audited(&st.db, p, "authorization.grant", None, meta, r)
            .await
            .map(Authorization)
    }

    /// Renews an authorization; the renewal continues it and keeps the chain.
    async fn renew_authorization(
        &self,
        ctx: &Context<'_>,
        id: ID,
        valid_until: Timestamp,
        approval_reference: String,
    ) -> AppResult<Authorization> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Authorization)?;
        let r = authorizations::renew(
            &st.db,
            &st.profiles,
            p,
            id,
            valid_until.0,
            approval_reference,
            meta,
        )
        .await;
        audited(
            &st.db,
            p,
            "authorization.renew",
            Some(("Authorization", id)),
            meta,
            r,
        )
        .await
        .map(Authorization)
    }

    /// Revokes an authorization at once.
    async fn revoke_authorization(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> AppResult<Authorization> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Authorization)?;
        let r = authorizations::revoke(&st.db, &st.profiles, p, id, &reason, meta).await;
        audited(
            &st.db,
            p,
            "authorization.revoke",
            Some(("Authorization", id)),
            meta,
            r,
        )
        .await
        .map(Authorization)
    }

    /// Registers the personal profile the caller uses on duty (MT IV.B.1).
    async fn register_staff_profile(
        &self,
        ctx: &Context<'_>,
        input: RegisterStaffProfileInput,
    ) -> AppResult<StaffProfile> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let r = staff_profiles::register(
            &st.db,
            &st.profiles,
            p,
            input.network,
            &input.handle,
            &input.personal_email,
            meta,
        )
        .await;
        r.map(StaffProfile)
    }

    /// Drafts a post (needs a live authorization for the platform).
    async fn create_post(&self, ctx: &Context<'_>, input: CreatePostInput) -> AppResult<Post> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let platform_id = ids::decode(&input.platform_id, Kind::Platform)?;
        let media = input
            .media
            .unwrap_or_default()
            .into_iter()
            .map(Into::into)
            .collect();
        let r = posts::create(&st.db, &st.profiles, p, platform_id, &input.body, media, meta).await;
        audited(&st.db, p, "post.create", Some(("Platform", platform_id)), meta, r)
            .await
            .map(Post)
    }

    /// Changes a draft (the author); every version is kept.
    async fn update_post(
        &self,
        ctx: &Context<'_>,
        id: ID,
        body: String,
        media: Option<Vec<MediaInput>>,
    ) -> AppResult<Post> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Post)?;
        let media = media.map(|m| m.into_iter().map(Into::into).collect());
        let r = posts::update(&st.db, &st.profiles, p, id, &body, media, meta).await;
        audited(&st.db, p, "post.update", Some(("Post", id)), meta, r)
            .await
            .map(Post)
    }

    /// Screens and submits a draft; BLOCK findings refuse it with POLICY_VIOLATION.
    async fn submit_post(&self, ctx: &Context<'_>, id: ID) -> AppResult<Post> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Post)?;
        let r = posts::submit(st, p, id, meta).await;
        audited(&st.db, p, "post.submit", Some(("Post", id)), meta, r)
            .await
            .map(Post)
    }

    /// Approves a submitted post (one approval; never the author).
    async fn approve_post(&self, ctx: &Context<'_>, id: ID, note: Option<String>) -> AppResult<Post> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Post)?;
        let r = posts::approve(&st.db, &st.profiles, p, id, note, meta).await;
        audited(&st.db, p, "post.approve", Some(("Post", id)), meta, r)
            .await
            .map(Post)
    }

    /// Rejects a submitted post with a reason.
    async fn reject_post(&self, ctx: &Context<'_>, id: ID, reason: String) -> AppResult<Post> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Post)?;
        let r = posts::reject(&st.db, &st.profiles, p, id, &reason, meta).await;
        audited(&st.db, p, "post.reject", Some(("Post", id)), meta, r)
            .await
            .map(Post)
    }

    /// Records where an approved post went live (the PIO or the author).
    async fn publish_post(&self, ctx: &Context<'_>, id: ID, external_url: String) -> AppResult<Post> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Post)?;
        let r = posts::publish(&st.db, &st.profiles, p, id, &external_url, meta).await;
        audited(&st.db, p, "post.publish", Some(("Post", id)), meta, r)
            .await
            .map(Post)
    }

    /// Takes a post down with a reason.
    async fn remove_post(&self, ctx: &Context<'_>, id: ID, reason: String) -> AppResult<Post> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Post)?;
        let r = posts::remove(&st.db, p, id, &reason, meta).await;
        audited(&st.db, p, "post.remove", Some(("Post", id)), meta, r)
            .await
            .map(Post)
    }

    /// Records a consent to appear in media (IL 01.02.400 II.G.4.e, II.G.5.e).
    async fn record_consent(&self, ctx: &Context<'_>, input: RecordConsentInput) -> AppResult<Consent> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let new = NewConsent {
            subject_name: input.subject_name,
            subject_kind: input.subject_kind,
            media_reference: input.media_reference,
            granted_at: input.granted_at.0,
            expires_at: input.expires_at.map(|t| t.0),
            document_reference: input.document_reference,
        };
        let r = consents::record(&st.db, &st.profiles, p, new, meta).await;
        audited(&st.db, p, "consent.record", None, meta, r)
            .await
            .map(Consent)
    }

    /// Revokes a consent; published posts that relied on it are flagged.
    async fn revoke_consent(&self, ctx: &Context<'_>, id: ID) -> AppResult<Consent> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Consent)?;
        let r = consents::revoke(&st.db, &st.profiles, p, id, meta)
            .await
            .map(|(c, _)| c);
        audited(&st.db, p, "consent.revoke", Some(("Consent", id)), meta, r)
            .await
            .map(Consent)
    }

    /// Records the outcome for an employee's personal content brought to the PIO (MT IV.B.3).
    async fn review_staff_content(
        &self,
        ctx: &Context<'_>,
        input: ReviewStaffContentInput,
    ) -> AppResult<StaffContentReview> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let c = StaffContent {
            staff_user_id: ids::decode(&input.staff_user_id, Kind::User)?,
            content_reference: input.content_reference,
            text: input.text,
            outcome: input.outcome,
            note: input.note,
        };
        let r = staff_content::review(st, p, c, meta).await;
        audited(&st.db, p, "staff_content.review", None, meta, r)
            .await
            .map(StaffContentReview)
    }

    /// Records a violation against an employee (IL 01.02.400 II.G.6).
    async fn record_violation(&self, ctx: &Context<'_>, input: RecordViolationInput) -> AppResult<Violation> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let new = NewViolation {
            user_id: ids::decode(&input.user_id, Kind::User)?,
            rule_codes: input.rule_codes,
            subject: input.subject,
            description: input.description,
        };
        let r = violations::record(&st.db, &st.profiles, p, new, meta).await;
        audited(&st.db, p, "violation.record", None, meta, r)
            .await
            .map(Violation)
    }

    /// Resolves a violation with an outcome.
    async fn resolve_violation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        outcome: ViolationOutcome,
        #[graphql(default)] note: String,
    ) -> AppResult<Violation> {
        let (st, p, meta) = (state(ctx)?, principal(ctx)?, &request(ctx)?.meta);
        let id = ids::decode(&id, Kind::Violation)?;
        let r = violations::resolve(&st.db, &st.profiles, p, id, outcome, &note, meta).await;
        audited(&st.db, p, "violation.resolve", Some(("Violation", id)), meta, r)
            .await
            .map(Violation)
    }
}
