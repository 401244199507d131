//! Opaque, typed global IDs (`base64url("Kind:123")`) and cursors.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{AppError, AppResult};

/// Kinds of node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A department.
    Department,
    /// A facility.
    Facility,
    /// A user.
    User,
    /// An audit event.
    AuditEvent,
    /// An official platform.
    Platform,
    /// A platform change request.
    PlatformChangeRequest,
    /// A delegation.
    Delegation,
    /// A facility review.
    FacilityReview,
    /// A posting authorization.
    Authorization,
    /// A post.
    Post,
    /// A consent record.
    Consent,
    /// A violation.
    Violation,
    /// A registered personal profile.
    StaffProfile,
    /// A staff content review.
    StaffContentReview,
    /// A public comment.
    Comment,
    /// A moderation decision.
    ModerationDecision,
    /// An appeal.
    Appeal,
    /// A legal hold.
    LegalHold,
    /// A registered webhook.
    Webhook,
    /// One delivery of a webhook.
    WebhookDelivery,
}

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Self::Department => "Department",
            Self::Facility => "Facility",
            Self::User => "User",
            Self::AuditEvent => "AuditEvent",
            Self::Platform => "Platform",
            Self::PlatformChangeRequest => "PlatformChangeRequest",
            Self::Delegation => "Delegation",
            Self::FacilityReview => "FacilityReview",
            Self::Authorization => "Authorization",
            Self::Post => "Post",
            Self::Consent => "Consent",
            Self::Violation => "Violation",
            Self::StaffProfile => "StaffProfile",
            Self::StaffContentReview => "StaffContentReview",
            Self::Comment => "Comment",
            Self::ModerationDecision => "ModerationDecision",
            Self::Appeal => "Appeal",
            Self::LegalHold => "LegalHold",
            Self::Webhook => "Webhook",
            Self::WebhookDelivery => "WebhookDelivery",
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        [
            Self::Department,
            Self::Facility,
            Self::User,
            Self::AuditEvent,
            Self::Platform,
            Self::PlatformChangeRequest,
            Self::Delegation,
            Self::FacilityReview,
            Self::Authorization,
            Self::Post,
            Self::Consent,
            Self::Violation,
            Self::StaffProfile,
            Self::StaffContentReview,
            Self::Comment,
            Self::ModerationDecision,
            Self::Appeal,
            Self::LegalHold,
            Self::Webhook,
            Self::WebhookDelivery,
        ]
        .into_iter()
        .find(|k| k.tag() == tag)
    }
}

/// Encodes a global ID.
pub fn encode(kind: Kind, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.tag())))
}

/// Decodes any global ID; `None` when it is not one of ours.
pub fn decode_any(id: &str) -> Option<(Kind, i64)> {
    let raw = URL_SAFE_NO_PAD.decode(id.as_bytes()).ok()?;
    let text = std::str::from_utf8(&raw).ok()?;
    let (tag, num) = text.split_once(':')?;
    Some((Kind::from_tag(tag)?, num.parse().ok()?))
}

/// Decodes a global ID of the expected kind, `BAD_USER_INPUT` otherwise.
pub fn decode(id: &ID, kind: Kind) -> AppResult<i64> {
    match decode_any(id) {
        Some((k, n)) if k == kind => Ok(n),
        _ => Err(AppError::BadUserInput(format!("not a {} ID", kind.tag()))),
    }
}

/// Encodes a cursor over a sequence number.
pub fn cursor(seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("c:{seq}"))
}

/// Decodes a cursor.
pub fn decode_cursor(c: &str) -> AppResult<i64> {
    URL_SAFE_NO_PAD
        .decode(c.as_bytes())
        .ok()
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|t| t.strip_prefix("c:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| AppError::BadUserInput("invalid cursor".into()))
}

/// Largest page a connection returns.
pub const MAX_PAGE: i32 = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_typed() {
        let id = encode(Kind::User, 42);
        assert_eq!(decode(&id, Kind::User).unwrap(), 42);
        assert!(decode(&id, Kind::Department).is_err());
        assert!(decode_any("garbage!").is_none());
        assert_eq!(decode_cursor(&cursor(7)).unwrap(), 7);
    }
}
