//! One error type at the edge, with stable codes that become GraphQL `extensions.code`.
//!
//! Expected refusals carry a message meant for the caller (and, where a directive refused, the
//! clause). Unexpected failures wrap `anyhow::Error`: they are logged whole with a correlation id
//! and shown to the caller only as a generic message with that id.

use std::sync::Arc;

use async_graphql::ErrorExtensions;

/// Every way a request can fail.
///
/// Deliberately not `Display`: async-graphql turns any `Display` error into a plain message
/// without a code, so this type converts only through its own `From` impl below.
#[derive(Clone, Debug)]
pub enum AppError {
    /// No valid credentials.
    Unauthenticated(String),
    /// Authenticated, but the rule named in the message does not allow it.
    Forbidden(String),
    /// Missing, or belonging to another department (the two look the same).
    NotFound(&'static str),
    /// Malformed or invalid input.
    BadUserInput(String),
    /// The state changed underneath, or the request repeats something unique.
    Conflict(String),
    /// A text or media breaks the directive; the findings say where and under which clause.
    PolicyViolation {
        /// Summary for people.
        message: String,
        /// The findings, in the API's shape.
        findings: serde_json::Value,
    },
    /// Too many attempts; retry later.
    RateLimited {
        /// Seconds until the next attempt may succeed.
        retry_after_secs: u64,
    },
    /// A part the request needs is at capacity or down; retry later.
    Unavailable {
        /// What is unavailable, for people.
        message: String,
        /// Seconds after which a retry may succeed.
        retry_after_secs: u64,
    },
    /// Anything unexpected; details go to the log only.
    Internal(Arc<anyhow::Error>),
}

impl AppError {
    /// The stable code clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadUserInput(_) => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::PolicyViolation { .. } => "POLICY_VIOLATION",
            Self::Unavailable { .. } => "UNAVAILABLE",
            Self::Internal(_) => "INTERNAL",
        }
    }

    /// The message for the caller (internal details are not part of it).
    pub fn message(&self) -> String {
        match self {
            Self::Unauthenticated(m) | Self::Forbidden(m) | Self::BadUserInput(m) | Self::Conflict(m) => {
                m.clone()
            }
            Self::NotFound(what) => format!("{what} not found"),
            Self::PolicyViolation { message, .. } | Self::Unavailable { message, .. } => message.clone(),
            Self::RateLimited { retry_after_secs } => {
                format!("too many attempts; try again in {retry_after_secs} s")
            }
            Self::Internal(_) => "internal error".into(),
        }
    }

    /// The message with internal details, for the command line and logs.
    pub fn describe(&self) -> String {
        match self {
            Self::Internal(e) => format!("{e:#}"),
            other => other.message(),
        }
    }

    /// Shorthand for a refusal that cites the clause that refused.
    pub fn forbidden_by(what: &str, clause: &str) -> Self {
        Self::Forbidden(format!("{what} ({clause})"))
    }
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        Self::Internal(Arc::new(err))
    }
}

/// Seconds a client is told to wait when the database cannot be reached.
pub const DATABASE_RETRY_AFTER_SECS: u64 = 5;

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        if crate::db::storage_failure(&err) {
            tracing::error!(error = %err, "the database cannot store data (disk full or failing)");
            return Self::Unavailable {
                message: "the database cannot store data right now; retry later".into(),
                retry_after_secs: DATABASE_RETRY_AFTER_SECS,
            };
        }
        if crate::db::unreachable(&err) {
            tracing::warn!(error = %err, "database unavailable");
            return Self::Unavailable {
                message: "the database is unavailable; retry shortly".into(),
                retry_after_secs: DATABASE_RETRY_AFTER_SECS,
            };
        }
        Self::Internal(Arc::new(anyhow::Error::new(err).context("database")))
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        match &err {
            AppError::Internal(inner) => {
                let correlation_id = uuid::Uuid::new_v4().to_string();
                tracing::error!(correlation_id, error = format!("{inner:#}"), "internal error");
                async_graphql::Error::new(format!(
                    "internal error; quote reference {correlation_id} to the administrator"
                ))
                .extend_with(|_, e| {
                    e.set("code", "INTERNAL");
                    e.set("correlationId", correlation_id.clone());
                })
            }
            other => {
                let retry = match other {
                    AppError::RateLimited { retry_after_secs }
                    | AppError::Unavailable { retry_after_secs, .. } => Some(*retry_after_secs),
                    _ => None,
                };
                let findings = match other {
                    AppError::PolicyViolation { findings, .. } => {
                        async_graphql::Value::from_json(findings.clone()).ok()
                    }
                    _ => None,
                };
                async_graphql::Error::new(other.message()).extend_with(|_, e| {
                    e.set("code", other.code());
                    if let Some(f) = findings.clone() {
                        e.set("findings", f);
                    }
                    if let Some(secs) = retry {
                        e.set("retryAfterSeconds", secs);
                    }
                })
            }
        }
    }
}

/// Result alias of the service layer.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_details_and_carry_a_correlation_id() {
        let err = AppError::from(anyhow::anyhow!("connection refused to 10.0.0.5:5432 user=admin"));
        let gql: async_graphql::Error = err.into();
        assert!(!gql.message.contains("10.0.0.5"), "{}", gql.message);
        let ext = gql.extensions.unwrap();
        assert_eq!(ext.get("code"), Some(&async_graphql::Value::from("INTERNAL")));
        assert!(ext.get("correlationId").is_some());
    }

    #[test]
    fn an_unreachable_database_is_unavailable_not_internal() {
        use sea_orm::{ConnAcquireErr, DbErr};
        let err = AppError::from(DbErr::ConnectionAcquire(ConnAcquireErr::Timeout));
        assert_eq!(err.code(), "UNAVAILABLE");
        let err = AppError::from(DbErr::Custom("constraint".into()));
        assert_eq!(err.code(), "INTERNAL");
    }

    #[test]
    fn expected_errors_keep_their_code_and_message() {
        let gql: async_graphql::Error = AppError::NotFound("department").into();
        assert_eq!(gql.message, "department not found");
        assert_eq!(
            gql.extensions.unwrap().get("code"),
            Some(&async_graphql::Value::from("NOT_FOUND"))
        );
    }
}
