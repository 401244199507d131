//! Departments: created and kept in step with their embedded profiles at start-up.

use chrono::Utc;
use entity::department;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter,
};
use serde_json::json;

use crate::db::begin_write;
use crate::error::AppResult;
use crate::policy::Profiles;
use crate::records::audit::{self, NewEvent, Outcome, RequestMeta, SYSTEM_CHAIN};

/// Creates a department row and its audit chain for every profile, and updates name and website
/// when a profile changed. Idempotent.
pub async fn sync(db: &DatabaseConnection, profiles: &Profiles, meta: &RequestMeta) -> AppResult<()> {
    let txn = begin_write(db).await?;
    audit::ensure_chain(&txn, SYSTEM_CHAIN).await?;
    for profile in profiles.iter() {
        let info = &profile.department;
        let existing = find_by_code(&txn, &info.code).await?;
        let (row, action) = match existing {
            None => {
                let row = department::ActiveModel {
                    code: Set(info.code.clone()),
                    name: Set(info.name.clone()),
                    website_host: Set(info.website_host.clone()),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                (row, Some("department.created"))
            }
            Some(row) if row.name != info.name || row.website_host != info.website_host => {
                let mut active: department::ActiveModel = row.into();
                active.name = Set(info.name.clone());
                active.website_host = Set(info.website_host.clone());
                (active.update(&txn).await?, Some("department.profile_synced"))
            }
            Some(row) => (row, None),
        };
        audit::ensure_chain(&txn, &row.code).await?;
        if let Some(action) = action {
            let ev = NewEvent::department(&row.code, row.id, action, Outcome::Success)
                .subject("Department", row.id)
                .detail(json!({ "name": row.name, "website_host": row.website_host }));
            audit::append(&txn, meta, ev).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}

/// A department by code.
pub async fn find_by_code<C: ConnectionTrait>(db: &C, code: &str) -> AppResult<Option<department::Model>> {
    Ok(department::Entity::find()
        .filter(department::Column::Code.eq(code))
        .one(db)
        .await?)
}
