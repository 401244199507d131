//! Enums for the codes stored as text: the schema lists every value a client can meet, and a
//! stored value outside the list is an internal error, not a string passed on.

use crate::error::{AppError, AppResult};

/// Declares an enum of stored codes with its `parse`.
macro_rules! stored_codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Parses the stored code.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// The stored code.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }
        }
    };
}

stored_codes! {
    /// Where an appeal stands.
    AppealStatus {
        /// Waiting for a decision.
        Open = "OPEN",
        /// The original decision stands.
        Upheld = "UPHELD",
        /// The original decision was reversed.
        Overturned = "OVERTURNED",
    }
}

stored_codes! {
    /// Where a platform change request stands.
    ChangeRequestStatus {
        /// Waiting for its quorum.
        Pending = "PENDING",
        /// Approved and applied.
        Approved = "APPROVED",
        /// Rejected.
        Rejected = "REJECTED",
    }
}

stored_codes! {
    /// Where a recorded violation stands.
    ViolationStatus {
        /// Not yet resolved.
        Open = "OPEN",
        /// Resolved with an outcome.
        Resolved = "RESOLVED",
    }
}

stored_codes! {
    /// What a review of staff content found.
    StaffContentOutcome {
        /// Nothing against the directive.
        NoViolation = "NO_VIOLATION",
        /// A violation (recorded separately).
        Violation = "VIOLATION",
    }
}

stored_codes! {
    /// Where a webhook delivery stands.
    DeliveryStatus {
        /// Not yet delivered; retried.
        Pending = "PENDING",
        /// Accepted by the receiver.
        Delivered = "DELIVERED",
        /// Given up after the last attempt.
        Failed = "FAILED",
    }
}

/// `parse(raw)`, or an internal error naming the record (the database holds a code this
/// version does not know).
pub fn known<T>(parse: fn(&str) -> Option<T>, what: &str, id: i64, raw: &str) -> AppResult<T> {
    parse(raw).ok_or_else(|| AppError::from(anyhow::anyhow!("{what} {id} has unknown code {raw:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_codes_parse_and_others_are_errors() {
        assert_eq!(AppealStatus::parse("UPHELD"), Some(AppealStatus::Upheld));
        assert_eq!(DeliveryStatus::parse("pending"), None);
        assert!(known(ViolationStatus::parse, "violation", 1, "CLOSED").is_err());
        assert_eq!(
            known(StaffContentOutcome::parse, "review", 1, "NO_VIOLATION").unwrap(),
            StaffContentOutcome::NoViolation
        );
    }
}
