//! Facility reviews (IL 01.02.400 II.C): "a facility review of this directive shall be conducted
//! at least annually". DUE, OVERDUE and CURRENT are computed from the profile's interval.

use chrono::{Days, NaiveDate, Utc};
use entity::{facility, facility_review};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

use super::delegations;
use crate::auth::{Principal, permissions};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::Profiles;
use crate::policy::profile::{FacilityReviewRules, Responsibility};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};

/// Where a facility stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum ReviewStatus {
    /// Reviewed recently enough.
    Current,
    /// The deadline is near.
    Due,
    /// The deadline has passed.
    Overdue,
}

/// A facility with its last review and deadline.
pub struct FacilityReviewState {
    /// The facility.
    pub facility: facility::Model,
    /// Its latest review, if any.
    pub last_review: Option<facility_review::Model>,
    /// The deadline of the next review.
    pub due_on: NaiveDate,
    /// Status on `today`.
    pub status: ReviewStatus,
}

/// The deadline and status of a facility, pure.
pub fn review_status(
    rules: &FacilityReviewRules,
    created_on: NaiveDate,
    last_reviewed_on: Option<NaiveDate>,
    today: NaiveDate,
) -> (NaiveDate, ReviewStatus) {
    let base = last_reviewed_on.unwrap_or(created_on);
    let due_on = base
        .checked_add_days(Days::new(rules.interval_days.into()))
        .unwrap_or(NaiveDate::MAX);
    let status = if today > due_on {
        ReviewStatus::Overdue
    } else if (due_on - today).num_days() <= i64::from(rules.due_soon_days) {
        ReviewStatus::Due
    } else {
        ReviewStatus::Current
    };
    (due_on, status)
}

/// Records a review of a facility (director or PIO, or their designee for RECORD_REVIEWS).
pub async fn record(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    facility_id: i64,
    reviewed_on: NaiveDate,
    findings: &str,
    meta: &RequestMeta,
) -> AppResult<facility_review::Model> {
    let profile = profiles.of(&p.department_code)?;
    let fac = facility::Entity::find_by_id(facility_id)
        .one(db)
        .await?
        .filter(|f| f.department_id == p.department_id)
        .ok_or(AppError::NotFound("facility"))?;
    let caps = delegations::capacities(db, profiles, p, Responsibility::RecordReviews).await?;
    let Some(cap) = caps.first() else {
        return Err(AppError::forbidden_by(
            "you may not record facility reviews",
            &profile.facility_reviews.clause,
        ));
    };
    if reviewed_on > Utc::now().date_naive() {
        return Err(AppError::BadUserInput(
            "reviewedOn cannot be in the future".into(),
        ));
    }
    let findings = findings.trim();
    if findings.is_empty() || findings.chars().count() > 10_000 {
        return Err(AppError::BadUserInput(
            "findings must have 1-10000 characters".into(),
        ));
    }
    let txn = begin_write(db).await?;
    let row = facility_review::ActiveModel {
        facility_id: Set(fac.id),
        department_id: Set(p.department_id),
        reviewer_user_id: Set(p.user_id),
        as_designee_of_user_id: Set(cap.as_designee_of),
        reviewed_on: Set(reviewed_on),
        findings: Set(findings.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "facility.reviewed",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("Facility", fac.id)
    .detail(json!({ "reviewed_on": reviewed_on, "clause": profile.facility_reviews.clause }));
    ev.on_behalf_of_user_id = cap.as_designee_of;
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// Every facility of the department with its review status, optionally filtered.
pub async fn states(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    department_code: &str,
    filter: Option<ReviewStatus>,
) -> AppResult<Vec<FacilityReviewState>> {
    permissions::require_own_department(p, department_code)?;
    let profile = profiles.of(department_code)?;
    let facilities = facility::Entity::find()
        .filter(facility::Column::DepartmentId.eq(p.department_id))
        .order_by_asc(facility::Column::Name)
        .all(db)
        .await?;
    let reviews = facility_review::Entity::find()
        .filter(facility_review::Column::DepartmentId.eq(p.department_id))
        .order_by_desc(facility_review::Column::ReviewedOn)
        .order_by_desc(facility_review::Column::Id)
        .all(db)
        .await?;
    let today = Utc::now().date_naive();
    let mut out = Vec::with_capacity(facilities.len());
    for f in facilities {
        let last = reviews.iter().find(|r| r.facility_id == f.id).cloned();
        let (due_on, status) = review_status(
            &profile.facility_reviews,
            f.created_at.date_naive(),
            last.as_ref().map(|r| r.reviewed_on),
            today,
        );
        if filter.is_none_or(|s| s == status) {
            out.push(FacilityReviewState {
                facility: f,
                last_review: last,
                due_on,
                status,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> FacilityReviewRules {
        FacilityReviewRules {
            interval_days: 365,
            due_soon_days: 30,
            clause: "IL 01.02.400 II.C".into(),
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn status_follows_the_annual_interval() {
        let r = rules();
        assert_eq!(
            review_status(&r, d(2025, 1, 1), Some(d(2026, 1, 1)), d(2026, 6, 1)).1,
            ReviewStatus::Current
        );
        assert_eq!(
            review_status(&r, d(2025, 1, 1), Some(d(2026, 1, 1)), d(2026, 12, 15)).1,
            ReviewStatus::Due
        );
        assert_eq!(
            review_status(&r, d(2025, 1, 1), Some(d(2026, 1, 1)), d(2027, 1, 2)).1,
            ReviewStatus::Overdue
        );
        let (due, s) = review_status(&r, d(2025, 1, 1), None, d(2026, 6, 1));
        assert_eq!(
            (due, s),
            (d(2026, 1, 1), ReviewStatus::Overdue),
            "never reviewed counts from creation"
        );
    }
}
