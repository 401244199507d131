//! Employees: creation (CLI, demo seed) and look-ups.

use chrono::Utc;
use entity::user;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter,
};
use serde_json::json;

use crate::auth::{EmploymentType, Role, UserStatus};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::service::departments;

/// A validated, normalised e-mail address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Lower-cases and checks the shape `local@domain.tld`.
    pub fn parse(raw: &str) -> AppResult<Self> {
        let e = raw.trim().to_lowercase();
        let bad = || AppError::BadUserInput("email must look like name@example.org".into());
        let (local, domain) = e.split_once('@').ok_or_else(bad)?;
        let ok = !local.is_empty()
            && e.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !e.chars().any(|c| c.is_whitespace() || c.is_control())
            && !domain.contains('@');
        if ok { Ok(Self(e)) } else { Err(bad()) }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What is needed to create an employee.
pub struct NewUser {
    /// Department code.
    pub department_code: String,
    /// Role.
    pub role: Role,
    /// E-mail.
    pub email: Email,
    /// Display name.
    pub name: String,
    /// Employment type.
    pub employment_type: EmploymentType,
    /// Argon2id PHC string, hashed by the caller.
    pub password_hash: String,
}

/// Creates an employee; `CONFLICT` when the address is taken.
pub async fn create(db: &DatabaseConnection, new: NewUser, meta: &RequestMeta) -> AppResult<user::Model> {
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::BadUserInput(
            "name must have 1 to 200 characters".into(),
        ));
    }
    let txn = begin_write(db).await?;
    let dept = departments::find_by_code(&txn, &new.department_code)
        .await?
        .ok_or(AppError::NotFound("department"))?;
    if find_by_email(&txn, new.email.as_str()).await?.is_some()
        || find_by_user_name(&txn, new.email.as_str()).await?.is_some()
    {
        return Err(AppError::Conflict(format!(
            "a user with e-mail {} exists",
            new.email.as_str()
        )));
    }
    let now = Utc::now();
    let row = user::ActiveModel {
        department_id: Set(dept.id),
        email: Set(new.email.as_str().to_owned()),
        user_name: Set(new.email.as_str().to_owned()),
        user_name_key: Set(Some(new.email.as_str().to_owned())),
        display_name: Set(Some(name.clone())),
        name: Set(name),
        role: Set(new.role.as_str().to_owned()),
        employment_type: Set(new.employment_type.as_str().to_owned()),
        status: Set(UserStatus::Active.as_str().to_owned()),
        password_hash: Set(Some(new.password_hash)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let ev = NewEvent::department(&dept.code, dept.id, "user.created", Outcome::Success)
        .subject("User", row.id)
        .detail(json!({ "role": row.role, "employment_type": row.employment_type }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// Sets an employee's password (hashed by the caller) and ends their sessions.
pub async fn set_password(
    db: &DatabaseConnection,
    email: &Email,
    password_hash: String,
    meta: &RequestMeta,
) -> AppResult<user::Model> {
    let txn = begin_write(db).await?;
    let u = find_by_email(&txn, email.as_str())
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let dept = entity::department::Entity::find_by_id(u.department_id)
        .one(&txn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("user {} without department", u.id))?;
    let now = Utc::now();
    let mut row: user::ActiveModel = u.into();
    row.password_hash = Set(Some(password_hash));
    row.updated_at = Set(now);
    let row = row.update(&txn).await?;
    let ended = crate::service::sessions::end_all(&txn, row.id, now).await?;
    let ev = NewEvent::department(&dept.code, dept.id, "user.password_set", Outcome::Success)
        .subject("User", row.id)
        .detail(json!({ "sessions_ended": ended }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// An employee by (normalised) e-mail.
pub async fn find_by_email<C: ConnectionTrait>(db: &C, email: &str) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await?)
}

/// An employee by HR user name, compared without case.
pub async fn find_by_user_name<C: ConnectionTrait>(
    db: &C,
    user_name: &str,
) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find()
        .filter(user::Column::UserNameKey.eq(user_name.to_lowercase()))
        .one(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse(" Pio@MT-DOC.demo ").unwrap().as_str(),
            "pio@mt-doc.demo"
        );
        for bad in ["", "no-at", "a@b", "a@.b", "a b@c.d", "@c.d", "a@b@c.d"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
