//! The moderation log and the PIO's statistics (counts by rule, clause and action; time from
//! ingest to first decision; reversals; appeals and their outcomes).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::{appeal, comment, moderation_decision};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::comments;
use crate::auth::{Actor, Principal, permissions};
use crate::error::AppResult;
use crate::policy::Profiles;
use crate::service::paging::{Direction, Page, Window};

/// Filters of the log.
#[derive(Default)]
pub struct LogFilter {
    /// Action.
    pub action: Option<String>,
    /// Moderator.
    pub moderator_id: Option<i64>,
    /// At or after.
    pub from: Option<DateTime<Utc>>,
    /// Before.
    pub to: Option<DateTime<Utc>>,
}

/// A page of decisions, newest first (moderators only).
pub async fn page(
    db: &DatabaseConnection,
    profiles: &Profiles,
    actor: Actor<'_>,
    department_code: &str,
    f: LogFilter,
    window: Window,
) -> AppResult<Page<moderation_decision::Model>> {
    if actor.department_code() != department_code {
        return Err(crate::error::AppError::NotFound("department"));
    }
    comments::acting(db, profiles, actor).await?;
    let mut q = moderation_decision::Entity::find()
        .filter(moderation_decision::Column::DepartmentId.eq(actor.department_id()));
    if let Some(a) = f.action {
        q = q.filter(moderation_decision::Column::Action.eq(a));
    }
    if let Some(m) = f.moderator_id {
        q = q.filter(moderation_decision::Column::ModeratorUserId.eq(m));
    }
    if let Some(x) = f.from {
        q = q.filter(moderation_decision::Column::CreatedAt.gte(x));
    }
    if let Some(x) = f.to {
        q = q.filter(moderation_decision::Column::CreatedAt.lt(x));
    }
    crate::service::paging::fetch(
        db,
        q,
        moderation_decision::Column::Id,
        Direction::Descending,
        window,
    )
    .await
}

/// Statistics over a period.
#[derive(Debug, Default, PartialEq)]
pub struct Stats {
    /// Decisions per rule code.
    pub by_rule: BTreeMap<String, i64>,
    /// Decisions per clause.
    pub by_clause: BTreeMap<String, i64>,
    /// Decisions per action.
    pub by_action: BTreeMap<String, i64>,
    /// Comments first decided in the period.
    pub decided_comments: i64,
    /// Median seconds from receipt to first decision.
    pub median_seconds_to_first_decision: Option<f64>,
    /// 90th percentile of the same.
    pub p90_seconds_to_first_decision: Option<f64>,
    /// Decisions that reversed an earlier one.
    pub reversals: i64,
    /// Appeals filed in the period, by status (OPEN, UPHELD, OVERTURNED).
    pub appeals: BTreeMap<String, i64>,
}

/// The nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

/// Computes the statistics of decisions and appeals made in `[from, to)` (moderators only).
pub async fn stats(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    department_code: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Stats> {
    permissions::require_own_department(p, department_code)?;
    comments::moderator(db, profiles, p).await?;
    let decisions = moderation_decision::Entity::find()
        .filter(moderation_decision::Column::DepartmentId.eq(p.department_id))
        .filter(moderation_decision::Column::CreatedAt.gte(from))
        .filter(moderation_decision::Column::CreatedAt.lt(to))
        .all(db)
        .await?;
    let mut s = Stats::default();
    for d in &decisions {
        *s.by_action.entry(d.action.clone()).or_default() += 1;
        let rules: Vec<String> = serde_json::from_str(&d.rules).unwrap_or_default();
        let clauses: Vec<String> = serde_json::from_str(&d.clauses).unwrap_or_default();
        for r in rules {
            *s.by_rule.entry(r).or_default() += 1;
        }
        for c in clauses {
            *s.by_clause.entry(c).or_default() += 1;
        }
        s.reversals += i64::from(d.reverses_decision_id.is_some());
    }
    let decided = comment::Entity::find()
        .filter(comment::Column::DepartmentId.eq(p.department_id))
        .filter(comment::Column::FirstDecisionAt.gte(from))
        .filter(comment::Column::FirstDecisionAt.lt(to))
        .all(db)
        .await?;
    let mut waits: Vec<f64> = decided
        .iter()
        .filter_map(|c| {
            c.first_decision_at
                .map(|f| (f - c.received_at).num_milliseconds() as f64 / 1000.0)
        })
        .collect();
    waits.sort_by(f64::total_cmp);
    s.decided_comments = waits.len() as i64;
    s.median_seconds_to_first_decision = percentile(&waits, 0.5);
    s.p90_seconds_to_first_decision = percentile(&waits, 0.9);
    let appeals = appeal::Entity::find()
        .filter(appeal::Column::DepartmentId.eq(p.department_id))
        .filter(appeal::Column::CreatedAt.gte(from))
        .filter(appeal::Column::CreatedAt.lt(to))
        .all(db)
        .await?;
    for a in appeals {
        *s.appeals.entry(a.status).or_default() += 1;
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(percentile(&v, 0.5), Some(5.0));
        assert_eq!(percentile(&v, 0.9), Some(9.0));
        assert_eq!(percentile(&[4.0], 0.9), Some(4.0));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
