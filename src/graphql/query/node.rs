//! Resolving any object by its opaque ID, scoped to the caller's department.

use async_graphql::{Context, ID};
use entity::{
    appeal, audit_event, comment, consent, delegation, department, facility, facility_review, legal_hold,
    moderation_decision, platform, platform_change_request, post, posting_authorization,
    staff_content_review, staff_profile, user, violation, webhook, webhook_delivery,
};
use sea_orm::EntityTrait;

use crate::auth::{Role, permissions};
use crate::error::AppResult;
use crate::graphql::context::{principal, state};
use crate::graphql::ids::{self, Kind};
use crate::graphql::types::audit::AuditEvent;
use crate::graphql::types::department::{Department, Facility};
use crate::graphql::types::governance::{Delegation, FacilityReview};
use crate::graphql::types::moderation::{Appeal, Comment, ModerationDecision};
use crate::graphql::types::node::Node;
use crate::graphql::types::platform::{Platform, PlatformChangeRequest};
use crate::graphql::types::posting::{
    Authorization, Consent, Post, StaffContentReview, StaffProfile, Violation,
};
use crate::graphql::types::records::{LegalHold, Webhook, WebhookDelivery};
use crate::graphql::types::user::User;

/// The object behind `id`, or `None` when it is missing or belongs to another department.
pub async fn resolve(ctx: &Context<'_>, id: &ID) -> AppResult<Option<Node>> {
    let p = principal(ctx)?;
    let db = &state(ctx)?.db;
    let Some((kind, n)) = ids::decode_any(id) else {
        return Ok(None);
    };
    let own = p.department_id;
    let node = match kind {
        Kind::Department => department::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|d| d.id == own)
            .map(|d| Node::Department(Department(d))),
        Kind::Facility => facility::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|f| f.department_id == own)
            .map(|f| Node::Facility(Facility(f))),
        Kind::User => user::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|u| u.department_id == own)
            .map(|u| Node::User(User(u))),
        Kind::AuditEvent => {
            let e = audit_event::Entity::find_by_id(n)
                .one(db)
                .await?
                .filter(|e| e.department_id == Some(own));
            match e {
                Some(e) if permissions::can_read_audit_log(p, &p.department_code).is_ok() => {
                    Some(Node::AuditEvent(AuditEvent(e)))
                }
                _ => None,
            }
        }
        Kind::Platform => platform::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| x.department_id == own)
            .map(|x| Node::Platform(Platform(x))),
        Kind::PlatformChangeRequest => platform_change_request::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| x.department_id == own)
            .map(|x| Node::PlatformChangeRequest(PlatformChangeRequest(x))),
        Kind::Delegation => delegation::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| x.department_id == own)
            .map(|x| Node::Delegation(Delegation(x))),
        Kind::FacilityReview => facility_review::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| x.department_id == own)
            .map(|x| Node::FacilityReview(FacilityReview(x))),
        Kind::Authorization => posting_authorization::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| permissions::can_see_personal(p, x.department_id, x.user_id))
            .map(|x| Node::Authorization(Authorization(x))),
        Kind::Post => post::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| permissions::can_see_post(p, x.department_id, x.author_user_id, &x.status))
            .map(|x| Node::Post(Post(x))),
        Kind::Consent => consent::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| x.department_id == own && p.role != Role::Staff)
            .map(|x| Node::Consent(Consent(x))),
        Kind::Violation => violation::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| permissions::can_see_personal(p, x.department_id, x.user_id))
            .map(|x| Node::Violation(Violation(x))),
        Kind::StaffProfile => staff_profile::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| permissions::can_see_personal(p, x.department_id, x.user_id))
            .map(|x| Node::StaffProfile(StaffProfile(x))),
        Kind::StaffContentReview => staff_content_review::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| permissions::can_see_personal(p, x.department_id, x.staff_user_id))
            .map(|x| Node::StaffContentReview(StaffContentReview(x))),
        // Comment bodies may hold personal information and decisions carry staff notes: they
        // are for the director, the PIO and moderators acting through the queue.
        Kind::Comment => comment::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| x.department_id == own && p.role != Role::Staff)
            .map(|x| Node::Comment(Comment(x))),
        Kind::ModerationDecision => moderation_decision::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| x.department_id == own && p.role != Role::Staff)
            .map(|x| Node::ModerationDecision(ModerationDecision(x))),
        Kind::Appeal => appeal::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| x.department_id == own && p.role != Role::Staff)
            .map(|x| Node::Appeal(Appeal(x))),
        Kind::LegalHold => legal_hold::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| x.department_id == own && p.role != Role::Staff)
            .map(|x| Node::LegalHold(LegalHold(x))),
        // Webhooks are the director's (the `webhooks` query's rule).
        Kind::Webhook => webhook::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| x.department_id == own && p.role == Role::Director)
            .map(|x| Node::Webhook(Webhook(x))),
        Kind::WebhookDelivery => webhook_delivery::Entity::find_by_id(n)
            .one(db)
            .await?
            .filter(|x| x.department_id == own && p.role == Role::Director)
            .map(|x| Node::WebhookDelivery(WebhookDelivery(x))),
    };
    Ok(node)
}
