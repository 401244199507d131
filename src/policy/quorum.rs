//! Quorum arithmetic, pure: which seat an approver may fill, or why they may not.
//!
//! A profile's quorum is a list of seats, each naming the roles that may fill it (MT-DOC: one
//! seat for the director *or* the PIO, MT IV.A.2.a; IL-DOC: a director seat *and* a PIO seat,
//! IL 01.02.400 II.G.1.a). Rules enforced here, whatever the profile:
//! - nobody approves what they proposed, in person or through a designee;
//! - one person's authority fills at most one seat (in person or as someone's designee);
//! - a designee fills the seat of the person they stand in for, recorded as such.

use crate::auth::Role;

/// A way the approver can act: in person with their own role, or as designee of someone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capacity {
    /// Role whose seat this capacity can fill.
    pub role: Role,
    /// The person whose authority is used (the approver themself, or the delegator).
    pub authority_user_id: i64,
    /// `Some(delegator)` when acting as designee.
    pub as_designee_of: Option<i64>,
}

/// An approval already recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filled {
    /// Seat index.
    pub seat: usize,
    /// Who approved.
    pub approver_user_id: i64,
    /// Whose authority they used, if not their own.
    pub as_designee_of: Option<i64>,
}

/// The outcome of asking for a seat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SeatDecision {
    /// Fill this seat with this capacity.
    Fill {
        /// Seat index.
        seat: usize,
        /// Capacity used.
        capacity: Capacity,
    },
    /// This person (or the authority they hold) already approved: nothing to do.
    AlreadyApproved,
    /// Refused, with a reason for people.
    Refused(String),
}

/// Decides the seat for `approver` acting through `capacities` (own role first).
pub fn choose_seat(
    seats: &[Vec<Role>],
    filled: &[Filled],
    proposer_user_id: i64,
    approver_user_id: i64,
    capacities: &[Capacity],
) -> SeatDecision {
    let used = |uid: i64| {
        filled
            .iter()
            .any(|f| f.approver_user_id == uid || f.as_designee_of == Some(uid))
    };
    if filled.iter().any(|f| f.approver_user_id == approver_user_id) {
        return SeatDecision::AlreadyApproved;
    }
    if approver_user_id == proposer_user_id {
        return SeatDecision::Refused("nobody approves what they proposed".into());
    }
    if used(approver_user_id) {
        return SeatDecision::Refused("your authority already fills a seat of this quorum".into());
    }
    let open: Vec<usize> = (0..seats.len())
        .filter(|i| !filled.iter().any(|f| f.seat == *i))
        .collect();
    if open.is_empty() {
        return SeatDecision::Refused("every seat of the quorum is already filled".into());
    }
    let mut reason = None;
    for cap in capacities {
        if cap.authority_user_id == proposer_user_id {
            reason = Some("a designee cannot approve for the person who proposed it");
            continue;
        }
        if cap.as_designee_of.is_some() && used(cap.authority_user_id) {
            reason = Some("the person you stand in for has already approved");
            continue;
        }
        if let Some(seat) = open.iter().copied().find(|s| seats[*s].contains(&cap.role)) {
            return SeatDecision::Fill {
                seat,
                capacity: cap.clone(),
            };
        }
    }
    let wanted: Vec<String> = open
        .iter()
        .map(|s| {
            seats[*s]
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        })
        .collect();
    SeatDecision::Refused(match reason {
        Some(r) => r.to_owned(),
        None => format!("the open seats need {}", wanted.join(" and ")),
    })
}

/// Seats still open, each as the roles that may fill it.
pub fn missing_seats(seats: &[Vec<Role>], filled: &[Filled]) -> Vec<Vec<Role>> {
    (0..seats.len())
        .filter(|i| !filled.iter().any(|f| f.seat == *i))
        .map(|i| seats[i].clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    fn own(uid: i64, role: Role) -> Capacity {
        Capacity {
            role,
            authority_user_id: uid,
            as_designee_of: None,
        }
    }

    fn designee(of: i64, role: Role) -> Capacity {
        Capacity {
            role,
            authority_user_id: of,
            as_designee_of: Some(of),
        }
    }

    fn mt() -> Vec<Vec<Role>> {
        vec![vec![Director, Pio]]
    }

    fn il() -> Vec<Vec<Role>> {
        vec![vec![Director], vec![Pio]]
    }

    #[test]
    fn mt_needs_one_director_or_pio() {
        assert_eq!(
            choose_seat(&mt(), &[], 9, 2, &[own(2, Pio)]),
            SeatDecision::Fill {
                seat: 0,
                capacity: own(2, Pio)
            }
        );
        let filled = [Filled {
            seat: 0,
            approver_user_id: 2,
            as_designee_of: None,
        }];
        assert!(missing_seats(&mt(), &filled).is_empty());
    }

    #[test]
    fn il_needs_a_director_and_a_pio() {
        let d = choose_seat(&il(), &[], 9, 1, &[own(1, Director)]);
        assert_eq!(
            d,
            SeatDecision::Fill {
                seat: 0,
                capacity: own(1, Director)
            }
        );
        let filled = [Filled {
            seat: 0,
            approver_user_id: 1,
            as_designee_of: None,
        }];
        assert_eq!(missing_seats(&il(), &filled), vec![vec![Pio]]);
        let second_director = choose_seat(&il(), &filled, 9, 3, &[own(3, Director)]);
        assert!(
            matches!(second_director, SeatDecision::Refused(_)),
            "{second_director:?}"
        );
    }

    #[test]
    fn staff_fill_no_seat() {
        assert!(matches!(
            choose_seat(&il(), &[], 9, 5, &[own(5, Staff)]),
            SeatDecision::Refused(_)
        ));
    }

    #[test]
    fn the_proposer_never_approves() {
        assert!(matches!(
            choose_seat(&mt(), &[], 2, 2, &[own(2, Pio)]),
            SeatDecision::Refused(_)
        ));
    }

    #[test]
    fn a_designee_of_the_proposer_cannot_approve_for_them() {
        let d = choose_seat(&il(), &[], 2, 7, &[own(7, Staff), designee(2, Pio)]);
        assert!(matches!(d, SeatDecision::Refused(r) if r.contains("proposed")));
    }

    #[test]
    fn approving_twice_is_a_no_op() {
        let filled = [Filled {
            seat: 0,
            approver_user_id: 1,
            as_designee_of: None,
        }];
        assert_eq!(
            choose_seat(&il(), &filled, 9, 1, &[own(1, Director)]),
            SeatDecision::AlreadyApproved
        );
    }

    #[test]
    fn one_person_never_fills_two_seats() {
        // The director approved in person, then tries again as designee of the PIO.
        let filled = [Filled {
            seat: 0,
            approver_user_id: 1,
            as_designee_of: None,
        }];
        let d = choose_seat(&il(), &filled, 9, 1, &[own(1, Director), designee(2, Pio)]);
        assert_eq!(d, SeatDecision::AlreadyApproved);
        // The PIO approved; their designee cannot use the PIO's authority again.
        let filled = [Filled {
            seat: 1,
            approver_user_id: 2,
            as_designee_of: None,
        }];
        let d = choose_seat(&il(), &filled, 9, 7, &[own(7, Staff), designee(2, Pio)]);
        assert!(matches!(d, SeatDecision::Refused(_)), "{d:?}");
    }

    #[test]
    fn a_designee_fills_the_seat_of_the_person_they_stand_in_for() {
        let filled = [Filled {
            seat: 0,
            approver_user_id: 1,
            as_designee_of: None,
        }];
        let d = choose_seat(&il(), &filled, 9, 7, &[own(7, Staff), designee(2, Pio)]);
        assert_eq!(
            d,
            SeatDecision::Fill {
                seat: 1,
                capacity: designee(2, Pio)
            }
        );
    }
}
