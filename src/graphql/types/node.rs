//! The `Node` interface: any object by its opaque ID.

use async_graphql::{ID, Interface};

use super::audit::AuditEvent;
use super::department::{Department, Facility};
use super::governance::{Delegation, FacilityReview};
use super::platform::{Platform, PlatformChangeRequest};
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
}
