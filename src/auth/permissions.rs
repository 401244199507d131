//! Named permission checks, one place for every rule of who may do what.
//!
//! Scoping rule: a record of another department answers exactly like a missing one
//! ([`AppError::NotFound`]), so callers learn nothing about other departments.

use super::{Principal, Role};
use crate::error::{AppError, AppResult};

/// The caller must be signed in.
pub fn require_user(principal: Option<&Principal>) -> AppResult<&Principal> {
    principal.ok_or_else(|| AppError::Unauthenticated("sign in first".into()))
}

/// The named department must be the caller's own; otherwise it does not exist for them.
pub fn require_own_department(p: &Principal, department_code: &str) -> AppResult<()> {
    if p.department_code == department_code {
        Ok(())
    } else {
        Err(AppError::NotFound("department"))
    }
}

/// A record's department must be the caller's own.
pub fn require_same_department(p: &Principal, department_id: i64, what: &'static str) -> AppResult<()> {
    if p.department_id == department_id {
        Ok(())
    } else {
        Err(AppError::NotFound(what))
    }
}

/// Whether the caller may see a record about one employee (their violations, authorizations,
/// personal profiles, content reviews): the employee themself, or the director or PIO.
pub fn can_see_personal(p: &Principal, department_id: i64, owner_user_id: i64) -> bool {
    p.department_id == department_id && (p.role != Role::Staff || p.user_id == owner_user_id)
}

/// Whether the caller may see a post: directors and PIOs all of the department's; others their
/// own and the published ones.
pub fn can_see_post(p: &Principal, department_id: i64, author_user_id: i64, status: &str) -> bool {
    p.department_id == department_id
        && (p.role != Role::Staff || p.user_id == author_user_id || status == "PUBLISHED")
}

/// Whether the caller may read the department's audit log and verify its chain: the records
/// are the department's (IL 01.02.400 II.G.1.e), kept for its director and PIO.
pub fn can_read_audit_log(p: &Principal, department_code: &str) -> AppResult<()> {
    require_own_department(p, department_code)?;
    match p.role {
        Role::Director | Role::Pio => Ok(()),
        Role::Staff => Err(AppError::Forbidden(
            "only the director or the PIO of the department may read its audit log".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(role: Role) -> Principal {
        Principal {
            user_id: 1,
            role,
            department_id: 1,
            department_code: "MT-DOC".into(),
            session_id: "s".into(),
        }
    }

    #[test]
    fn audit_log_is_for_director_and_pio_of_the_department() {
        assert!(can_read_audit_log(&p(Role::Director), "MT-DOC").is_ok());
        assert!(can_read_audit_log(&p(Role::Pio), "MT-DOC").is_ok());
        assert!(matches!(
            can_read_audit_log(&p(Role::Staff), "MT-DOC"),
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            can_read_audit_log(&p(Role::Director), "IL-DOC"),
            Err(AppError::NotFound(_))
        ));
    }
}
