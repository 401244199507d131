//! Demo data (DESIGN section 5): both departments, facilities, one user per role each.
//! Seeding twice changes nothing: existing rows are kept as they are.

use chrono::Utc;
use entity::facility;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::json;

use crate::auth::password::Hasher;
use crate::auth::{EmploymentType, Role};
use crate::config::Secret;
use crate::db::begin_write;
use crate::error::{AppError, AppResult};
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta};
use crate::service::{departments, users};

/// Demo facilities per department code: (name, kind).
const FACILITIES: [(&str, &str, &str); 6] = [
    ("MT-DOC", "Montana State Prison", "FACILITY"),
    ("MT-DOC", "Montana Women's Prison", "FACILITY"),
    ("MT-DOC", "Probation and Parole Division", "PAROLE_SERVICES"),
    ("IL-DOC", "Stateville Correctional Center", "FACILITY"),
    ("IL-DOC", "Logan Correctional Center", "FACILITY"),
    ("IL-DOC", "Parole Division", "PAROLE_SERVICES"),
];

/// Demo departments (codes); each gets one user per role in `ROLES`.
pub const DEPARTMENTS: [&str; 2] = ["MT-DOC", "IL-DOC"];
const ROLES: [Role; 3] = [Role::Director, Role::Pio, Role::Staff];

/// What seeding did.
#[derive(Debug, Default)]
pub struct SeedReport {
    /// Users created now.
    pub users_created: usize,
    /// Users that already existed (their passwords were left alone).
    pub users_existing: usize,
    /// Facilities created now.
    pub facilities_created: usize,
}

/// The demo address of a role in a department, e.g. `pio@mt-doc.demo`.
pub fn demo_email(department_code: &str, role: Role) -> String {
    format!(
        "{}@{}.demo",
        role.as_str().to_lowercase(),
        department_code.to_lowercase()
    )
}

/// Loads the demo data with the given password.
pub async fn seed_demo(
    db: &DatabaseConnection,
    hasher: &Hasher,
    password: &Secret,
    meta: &RequestMeta,
) -> AppResult<SeedReport> {
    crate::auth::password::check_strength(password.expose()).map_err(AppError::BadUserInput)?;
    let mut report = SeedReport::default();
    for (code, name, kind) in FACILITIES {
        let Some(dept) = departments::find_by_code(db, code).await? else {
            continue;
        };
        let exists = facility::Entity::find()
            .filter(facility::Column::DepartmentId.eq(dept.id))
            .filter(facility::Column::Name.eq(name))
            .one(db)
            .await?;
        if exists.is_some() {
            continue;
        }
        let txn = begin_write(db).await?;
        let row = facility::ActiveModel {
            department_id: Set(dept.id),
            name: Set(name.to_owned()),
            kind: Set(kind.to_owned()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let ev = NewEvent::department(&dept.code, dept.id, "facility.created", Outcome::Success)
            .subject("Facility", row.id)
            .detail(json!({ "name": name, "kind": kind, "source": "demo seed" }));
        audit::append(&txn, meta, ev).await?;
        txn.commit().await?;
        report.facilities_created += 1;
    }
    for code in DEPARTMENTS {
        for role in ROLES {
            let email = demo_email(code, role);
            if users::find_by_email(db, &email).await?.is_some() {
                report.users_existing += 1;
                continue;
            }
            let hash = hasher.hash(password).await?;
            let name = format!("Demo {} ({code})", title(role));
            let new = users::NewUser {
                department_code: code.to_owned(),
                role,
                email: users::Email::parse(&email)?,
                name,
                employment_type: EmploymentType::FullTime,
                password_hash: hash,
            };
            users::create(db, new, meta).await?;
            report.users_created += 1;
        }
    }
    Ok(report)
}

fn title(role: Role) -> &'static str {
    match role {
        Role::Director => "Director",
        Role::Pio => "Public Information Officer",
        Role::Staff => "Staff Member",
    }
}
