//! The approval inbox: everything waiting for a seat the caller can fill, in person or as a
//! designee, oldest first, with what the quorum still lacks.

use chrono::{DateTime, Utc};
use entity::{approval, platform, platform_change_request};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::approvals::{Subject, filled};
use super::delegations;
use super::platform_rules::PlatformStatus;
use crate::auth::{Principal, Role, permissions};
use crate::error::AppResult;
use crate::policy::Profiles;
use crate::policy::profile::Responsibility;
use crate::policy::quorum::{SeatDecision, choose_seat, missing_seats};

/// What kind of item waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum PendingKind {
    /// A proposed platform.
    Platform,
    /// A change request of a platform.
    PlatformChange,
}

/// One waiting item.
pub struct PendingItem {
    /// Kind.
    pub kind: PendingKind,
    /// Id of the platform or change request.
    pub subject_id: i64,
    /// For people.
    pub title: String,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// Who submitted it.
    pub submitted_by: i64,
    /// Seats still open, each as the roles that may fill it.
    pub missing: Vec<Vec<Role>>,
    /// Whose seat the caller would fill as designee, if not their own.
    pub as_designee_of: Option<i64>,
}

/// The caller's inbox.
pub async fn inbox(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    department_code: &str,
) -> AppResult<Vec<PendingItem>> {
    permissions::require_own_department(p, department_code)?;
    let profile = profiles.of(department_code)?;
    let caps = delegations::capacities(db, profiles, p, Responsibility::ApprovePlatforms).await?;
    if caps.is_empty() {
        return Ok(Vec::new());
    }
    let proposed = platform::Entity::find()
        .filter(platform::Column::DepartmentId.eq(p.department_id))
        .filter(platform::Column::Status.eq(PlatformStatus::Proposed.as_str()))
        .all(db)
        .await?;
    let changes = platform_change_request::Entity::find()
        .filter(platform_change_request::Column::DepartmentId.eq(p.department_id))
        .filter(platform_change_request::Column::Status.eq("PENDING"))
        .all(db)
        .await?;
    let approvals = approval::Entity::find()
        .filter(approval::Column::DepartmentId.eq(p.department_id))
        .filter(
            approval::Column::SubjectType
                .is_in([Subject::Platform.as_str(), Subject::PlatformChange.as_str()]),
        )
        .order_by_asc(approval::Column::Id)
        .all(db)
        .await?;
    let of = |kind: Subject, id: i64| -> Vec<approval::Model> {
        approvals
            .iter()
            .filter(|a| a.subject_type == kind.as_str() && a.subject_id == id)
            .cloned()
            .collect()
    };
    let seats = &profile.platforms.quorum;
    let mut out = Vec::new();
    let mut consider =
        |kind: PendingKind, subject: Subject, id: i64, by: i64, at: DateTime<Utc>, title: String| {
            let f = filled(&of(subject, id));
            if let SeatDecision::Fill { capacity, .. } = choose_seat(seats, &f, by, p.user_id, &caps) {
                out.push(PendingItem {
                    kind,
                    subject_id: id,
                    title,
                    submitted_at: at,
                    submitted_by: by,
                    missing: missing_seats(seats, &f),
                    as_designee_of: capacity.as_designee_of,
                });
            }
        };
    for x in &proposed {
        let title = format!("New platform: {} {}", x.network, x.handle);
        consider(
            PendingKind::Platform,
            Subject::Platform,
            x.id,
            x.proposed_by_user_id,
            x.created_at,
            title,
        );
    }
    for c in &changes {
        let title = format!("Change to platform {}: {}", c.platform_id, c.summary);
        consider(
            PendingKind::PlatformChange,
            Subject::PlatformChange,
            c.id,
            c.requested_by_user_id,
            c.created_at,
            title,
        );
    }
    out.sort_by_key(|i| (i.submitted_at, i.subject_id));
    Ok(out)
}
