//! Recording an approval against a profile's quorum, shared by platforms and change requests.
//!
//! Callers first lock the subject with a conditional update (which also checks its state), so
//! approvals of one subject are strictly serialised on PostgreSQL (row lock) and SQLite (write
//! lock); the unique indexes on `approvals` back that up.

use chrono::Utc;
use entity::approval;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};

use crate::auth::{Principal, Role};
use crate::error::{AppError, AppResult};
use crate::policy::quorum::{Capacity, Filled, SeatDecision, choose_seat};

/// Kinds of subject that need a quorum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A proposed platform.
    Platform,
    /// A change request of a platform.
    PlatformChange,
    /// A submitted post.
    Post,
}

impl Subject {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Platform => "PLATFORM",
            Self::PlatformChange => "PLATFORM_CHANGE",
            Self::Post => "POST",
        }
    }
}

/// The approvals recorded for a subject, oldest first.
pub async fn of_subject<C: ConnectionTrait>(
    db: &C,
    subject: Subject,
    id: i64,
) -> AppResult<Vec<approval::Model>> {
    Ok(approval::Entity::find()
        .filter(approval::Column::SubjectType.eq(subject.as_str()))
        .filter(approval::Column::SubjectId.eq(id))
        .order_by_asc(approval::Column::Id)
        .all(db)
        .await?)
}

/// The seats an approval row fills, for the quorum arithmetic.
pub fn filled(rows: &[approval::Model]) -> Vec<Filled> {
    rows.iter()
        .map(|a| Filled {
            seat: usize::try_from(a.seat).unwrap_or(usize::MAX),
            approver_user_id: a.approver_user_id,
            as_designee_of: a.as_designee_of_user_id,
        })
        .collect()
}

/// What happened to an approval request.
pub enum Recorded {
    /// A new approval row; `complete` when it filled the last seat.
    New {
        /// The row.
        row: approval::Model,
        /// Whether the quorum is now complete.
        complete: bool,
    },
    /// The caller had already approved.
    AlreadyApproved,
}

/// One approval to record: what is approved, under which quorum, by which capacities.
pub struct Ask<'a> {
    /// Seats of the quorum.
    pub seats: &'a [Vec<Role>],
    /// Clause cited in refusals.
    pub clause: &'a str,
    /// Kind of subject.
    pub subject: Subject,
    /// Its id.
    pub subject_id: i64,
    /// Who proposed or requested it.
    pub proposer_user_id: i64,
    /// How the caller can act.
    pub capacities: &'a [Capacity],
    /// The approver's note.
    pub note: Option<String>,
}

/// Records the caller's approval of a subject whose row the caller has locked.
pub async fn record<C: ConnectionTrait>(db: &C, p: &Principal, ask: Ask<'_>) -> AppResult<Recorded> {
    let Ask {
        seats,
        clause,
        subject,
        subject_id,
        proposer_user_id,
        capacities,
        note,
    } = ask;
    let existing = of_subject(db, subject, subject_id).await?;
    let mut filled = filled(&existing);
    let (seat, capacity) = match choose_seat(seats, &filled, proposer_user_id, p.user_id, capacities) {
        SeatDecision::AlreadyApproved => return Ok(Recorded::AlreadyApproved),
        SeatDecision::Refused(why) => return Err(AppError::forbidden_by(&why, clause)),
        SeatDecision::Fill { seat, capacity } => (seat, capacity),
    };
    let row = approval::ActiveModel {
        department_id: Set(p.department_id),
        subject_type: Set(subject.as_str().to_owned()),
        subject_id: Set(subject_id),
        seat: Set(i32::try_from(seat).map_err(|_| anyhow::anyhow!("seat index out of range"))?),
        approver_user_id: Set(p.user_id),
        approver_role: Set(capacity.role.as_str().to_owned()),
        as_designee_of_user_id: Set(capacity.as_designee_of),
        note: Set(note.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    filled.push(Filled {
        seat,
        approver_user_id: p.user_id,
        as_designee_of: capacity.as_designee_of,
    });
    let complete = crate::policy::quorum::missing_seats(seats, &filled).is_empty();
    Ok(Recorded::New { row, complete })
}
