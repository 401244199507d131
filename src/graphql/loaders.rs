//! Per-request DataLoaders: nested fields cost one statement per kind, not one per item.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, Loader};
use entity::{department, facility, user};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

/// Loads rows by id or by owner in batches.
pub struct DbLoader {
    db: DatabaseConnection,
}

/// A failed batch; cloned to every waiting field.
pub type LoadError = Arc<sea_orm::DbErr>;

/// The loader of one request.
pub fn new_loader(db: DatabaseConnection) -> DataLoader<DbLoader> {
    DataLoader::new(DbLoader { db }, tokio::spawn)
}

/// Key: a user id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UserId(pub i64);
/// Key: a department id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DepartmentId(pub i64);
/// Key: the department whose facilities are wanted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FacilitiesOf(pub i64);

impl Loader<UserId> for DbLoader {
    type Value = user::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[UserId]) -> Result<HashMap<UserId, Self::Value>, Self::Error> {
        let rows = user::Entity::find()
            .filter(user::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (UserId(r.id), r)).collect())
    }
}

impl Loader<DepartmentId> for DbLoader {
    type Value = department::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[DepartmentId]) -> Result<HashMap<DepartmentId, Self::Value>, Self::Error> {
        let rows = department::Entity::find()
            .filter(department::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (DepartmentId(r.id), r)).collect())
    }
}

impl Loader<FacilitiesOf> for DbLoader {
    type Value = Vec<facility::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[FacilitiesOf]) -> Result<HashMap<FacilitiesOf, Self::Value>, Self::Error> {
        let rows = facility::Entity::find()
            .filter(facility::Column::DepartmentId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(facility::Column::Name)
            .all(&self.db)
            .await?;
        let mut out: HashMap<FacilitiesOf, Vec<facility::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            out.entry(FacilitiesOf(r.department_id)).or_default().push(r);
        }
        Ok(out)
    }
}
