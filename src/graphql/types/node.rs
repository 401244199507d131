//! The `Node` interface: any object by its opaque ID.

use async_graphql::{ID, Interface};

use super::audit::AuditEvent;
use super::department::{Department, Facility};
use super::governance::{Delegation, FacilityReview};
use super::moderation::{Appeal, Comment, ModerationDecision};
use super::platform::{Platform, PlatformChangeRequest};
use super::posting::{Authorization, Consent, Post, StaffContentReview, StaffProfile, Violation};
use super::records::{LegalHold, Webhook, WebhookDelivery};
use super::user::User;

/// An object with a global ID.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    /// A department.
    Department(Department),
    /// A facility.
    Facility(Facility),
    /// An employee.
    User(User),
    /// An audit event.
    AuditEvent(AuditEvent),
    /// An official platform.
    Platform(Platform),
    /// A platform change request.
    PlatformChangeRequest(PlatformChangeRequest),
    /// A delegation.
    Delegation(Delegation),
    /// A facility review.
    FacilityReview(FacilityReview),
    /// A posting authorization.
    Authorization(Authorization),
    /// A post.
    Post(Post),
    /// A consent record.
    Consent(Consent),
    /// A violation.
    Violation(Violation),
    /// A personal profile.
    StaffProfile(StaffProfile),
    /// A staff content review.
    StaffContentReview(StaffContentReview),
    /// A public comment.
    Comment(Comment),
    /// A moderation decision.
    ModerationDecision(ModerationDecision),
    /// An appeal.
    Appeal(Appeal),
    /// A legal hold.
    LegalHold(LegalHold),
    /// A registered webhook.
    Webhook(Webhook),
    /// One delivery of a webhook.
    WebhookDelivery(WebhookDelivery),
}
