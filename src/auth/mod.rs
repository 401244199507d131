//! Authentication and authorization: who the caller is, and what they may do.
//!
//! The HTTP layer turns a bearer token into an optional [`Principal`] once per request; every
//! service function then calls a named check from [`permissions`].

pub mod integration;
pub mod jwt;
pub mod password;
pub mod permissions;
pub mod principal;
pub mod session_cache;
pub mod throttle;
pub mod tokens;

use serde::{Deserialize, Serialize};

pub use principal::Principal;

/// Who performs an operation that people and integrations may both perform.
#[derive(Clone, Copy, Debug)]
pub enum Actor<'a> {
    /// A signed-in employee.
    User(&'a Principal),
    /// An integration token.
    Integration(&'a integration::Integration),
}

impl<'a> From<&'a Principal> for Actor<'a> {
    fn from(p: &'a Principal) -> Self {
        Self::User(p)
    }
}

/// An integration may act only within its token's scope.
pub fn require_scope(
    i: &integration::Integration,
    scope: integration::TokenScope,
) -> crate::error::AppResult<()> {
    if i.scope == scope {
        Ok(())
    } else {
        Err(crate::error::AppError::Forbidden(format!(
            "this integration token is for {}, not {}",
            i.scope.as_str(),
            scope.as_str()
        )))
    }
}

impl Actor<'_> {
    /// Department acted for.
    pub fn department_id(&self) -> i64 {
        match self {
            Self::User(p) => p.department_id,
            Self::Integration(i) => i.department_id,
        }
    }

    /// That department's code.
    pub fn department_code(&self) -> &str {
        match self {
            Self::User(p) => &p.department_code,
            Self::Integration(i) => &i.department_code,
        }
    }

    /// The employee, if a person acts.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Self::User(p) => Some(p.user_id),
            Self::Integration(_) => None,
        }
    }
}

/// A role of an employee (DESIGN section 1).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, async_graphql::Enum,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// The department's director.
    Director,
    /// The Public Information Officer (MT: the designated Communications Director).
    Pio,
    /// Any other employee.
    Staff,
}

impl Role {
    /// Stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Director => "DIRECTOR",
            Self::Pio => "PIO",
            Self::Staff => "STAFF",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "DIRECTOR" => Some(Self::Director),
            "PIO" => Some(Self::Pio),
            "STAFF" => Some(Self::Staff),
            _ => None,
        }
    }
}

/// Employment status as HR reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum UserStatus {
    /// May sign in and act.
    Active,
    /// Temporarily barred.
    Suspended,
    /// No longer employed.
    Separated,
}

impl UserStatus {
    /// Stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Suspended => "SUSPENDED",
            Self::Separated => "SEPARATED",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ACTIVE" => Some(Self::Active),
            "SUSPENDED" => Some(Self::Suspended),
            "SEPARATED" => Some(Self::Separated),
            _ => None,
        }
    }
}

/// Employment type (IL 01.02.400 II.E).
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum, clap::ValueEnum)]
pub enum EmploymentType {
    /// Full-time.
    FullTime,
    /// Part-time.
    PartTime,
    /// Conditional.
    Conditional,
    /// Temporary.
    Temporary,
    /// Contractual.
    Contractual,
}

impl EmploymentType {
    /// Stored and API name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FullTime => "FULL_TIME",
            Self::PartTime => "PART_TIME",
            Self::Conditional => "CONDITIONAL",
            Self::Temporary => "TEMPORARY",
            Self::Contractual => "CONTRACTUAL",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "FULL_TIME" => Some(Self::FullTime),
            "PART_TIME" => Some(Self::PartTime),
            "CONDITIONAL" => Some(Self::Conditional),
            "TEMPORARY" => Some(Self::Temporary),
            "CONTRACTUAL" => Some(Self::Contractual),
            _ => None,
        }
    }
}
