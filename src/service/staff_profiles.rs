//! Personal profiles used on duty (MT IV.B.1): registered with a *personal* e-mail address; an
//! address on the department's or a government domain is refused with the clause.

use chrono::Utc;
use entity::staff_profile;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::json;

use super::platform_rules::Network;
use super::platforms::enum_name;
use super::users::Email;
use crate::auth::{Principal, Role, permissions};
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::policy::{Profile, Profiles};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::service::paging::{Direction, Page, Window};

/// Whether an e-mail address is on the department's website domain or a listed government
/// domain (or a subdomain of one), pure.
pub fn is_government_address(profile: &Profile, email: &Email) -> bool {
    let domain = email
        .as_str()
        .rsplit_once('@')
        .map(|(_, d)| d)
        .unwrap_or_default();
    let official = &profile.department.website_host;
    let on = |d: &str| domain == d || domain.ends_with(&format!(".{d}"));
    on(official) || profile.department.government_email_domains.iter().any(|d| on(d))
}

/// Registers the caller's personal profile for a network.
pub async fn register(
    db: &DatabaseConnection,
    profiles: &Profiles,
    p: &Principal,
    network: Network,
    handle: &str,
    personal_email: &str,
    meta: &RequestMeta,
) -> AppResult<staff_profile::Model> {
    let profile = profiles.of(&p.department_code)?;
    let email = Email::parse(personal_email)?;
    if is_government_address(profile, &email) {
        return Err(AppError::BadUserInput(format!(
            "register the profile with a personal e-mail address, not a department or government one ({})",
            profile.staff_profiles.clause
        )));
    }
    let handle = handle.trim();
    if handle.is_empty() || handle.chars().count() > 100 || handle.contains(char::is_whitespace) {
        return Err(AppError::BadUserInput(
            "handle must be 1-100 characters without spaces".into(),
        ));
    }
    let network = enum_name(&network);
    let exists = staff_profile::Entity::find()
        .filter(staff_profile::Column::UserId.eq(p.user_id))
        .filter(staff_profile::Column::Network.eq(network.as_str()))
        .filter(staff_profile::Column::Handle.eq(handle))
        .one(db)
        .await?;
    if exists.is_some() {
        return Err(AppError::Conflict("this profile is already registered".into()));
    }
    let txn = begin_write(db).await?;
    let row = staff_profile::ActiveModel {
        department_id: Set(p.department_id),
        user_id: Set(p.user_id),
        network: Set(network),
        handle: Set(handle.to_owned()),
        personal_email: Set(email.as_str().to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let ev = NewEvent::department(
        &p.department_code,
        p.department_id,
        "staff_profile.registered",
        Outcome::Success,
    )
    .actor(p.user_id)
    .subject("StaffProfile", row.id)
    .detail(json!({ "network": row.network, "handle": row.handle }));
    audit::append(&txn, meta, ev).await?;
    txn.commit().await?;
    Ok(row)
}

/// A page of registered profiles, newest first: directors and PIOs see the department's,
/// others their own.
pub async fn page(
    db: &DatabaseConnection,
    p: &Principal,
    department_code: &str,
    window: Window,
) -> AppResult<Page<staff_profile::Model>> {
    permissions::require_own_department(p, department_code)?;
    let mut q = staff_profile::Entity::find().filter(staff_profile::Column::DepartmentId.eq(p.department_id));
    if p.role == Role::Staff {
        q = q.filter(staff_profile::Column::UserId.eq(p.user_id));
    }
    crate::service::paging::fetch(db, q, staff_profile::Column::Id, Direction::Descending, window).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_and_government_addresses_are_not_personal() {
        let profiles = Profiles::embedded().unwrap();
        let mt = profiles.get("MT-DOC").unwrap();
        for gov in ["jo@mt.gov", "jo@cor.mt.gov", "jo@doj.mt.gov", "jo@usa.gov"] {
            assert!(is_government_address(mt, &Email::parse(gov).unwrap()), "{gov}");
        }
        for personal in ["jo@gmail.com", "jo@mtgov.com", "jo@gov.example.com"] {
            assert!(
                !is_government_address(mt, &Email::parse(personal).unwrap()),
                "{personal}"
            );
        }
    }
}
