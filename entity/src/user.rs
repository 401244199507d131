//! An employee who can sign in.

use sea_orm::entity::prelude::*;

/// One row of `users`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Department the employee belongs to.
    pub department_id: i64,
    /// Lower-cased sign-in address, unique.
    #[sea_orm(unique)]
    pub email: String,
    /// Display name.
    pub name: String,
    /// `DIRECTOR`, `PIO` or `STAFF`.
    pub role: String,
    /// `FULL_TIME`, `PART_TIME`, `CONDITIONAL`, `TEMPORARY` or `CONTRACTUAL` (IL 01.02.400 II.E).
    pub employment_type: String,
    /// `ACTIVE`, `SUSPENDED` or `SEPARATED`.
    pub status: String,
    /// Argon2id PHC string; `None` for accounts that cannot sign in with a password.
    pub password_hash: Option<String>,
    /// When the row was created.
    pub created_at: DateTimeUtc,
    /// When the row last changed.
    pub updated_at: DateTimeUtc,
    /// HR user name (SCIM `userName`) as HR wrote it; the e-mail for accounts made here.
    pub user_name: String,
    /// `user_name` lower-cased: unique, since user names compare without case (RFC 7643 4.1.1).
    #[sea_orm(unique)]
    pub user_name_key: Option<String>,
    /// The HR system's own identifier (SCIM `externalId`), compared exactly.
    pub external_id: Option<String>,
    /// Display name as HR sent it (`name` above is what people see, derived when this is unset).
    pub display_name: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Full name formatted for display.
    pub formatted_name: Option<String>,
    /// Every e-mail HR reports, as a JSON array of `{value, type, primary}`; `None` means just
    /// the sign-in address.
    pub emails: Option<String>,
    /// Enterprise extension `employeeNumber`.
    pub employee_number: Option<String>,
    /// Enterprise extension `department`: the organisational unit inside the department.
    pub org_unit: Option<String>,
    /// When HR deleted the account; it stays, separated, for the record but leaves SCIM.
    pub deprovisioned_at: Option<DateTimeUtc>,
    /// The department (relation, not a column).
    #[sea_orm(belongs_to, from = "department_id", to = "id")]
    pub department: HasOne<super::department::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
