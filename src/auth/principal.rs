//! The authenticated caller, as re-read from the database for each request.

use super::Role;

/// Who is calling: resolved once per request from a verified access token and the user's
/// current row (so a suspended or separated employee is refused from their next request on).
#[derive(Clone, Debug)]
pub struct Principal {
    /// User id.
    pub user_id: i64,
    /// Current role.
    pub role: Role,
    /// Department id.
    pub department_id: i64,
    /// Department code.
    pub department_code: String,
    /// Sign-in session (refresh family) of the token.
    pub session_id: String,
}
