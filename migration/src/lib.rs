//! sea-orm migrations of policy-admin, one table per file, applied in order by `serve` and
//! `migrate`.

pub use sea_orm_migration::MigratorTrait;
use sea_orm_migration::prelude::*;

mod m20261122_000001_create_departments;
mod m20261122_000002_create_facilities;
mod m20261122_000003_create_users;
mod m20261122_000004_create_refresh_sessions;
mod m20261122_000005_create_audit_chains;
mod m20261122_000006_create_audit_events;
mod m20261122_000007_create_platforms;
mod m20261122_000008_create_platform_versions;
mod m20261122_000009_create_platform_change_requests;
mod m20261122_000010_create_approvals;
mod m20261122_000011_create_delegations;
mod m20261122_000012_create_facility_reviews;
mod m20261122_000013_create_policy_acknowledgements;
mod m20261122_000014_create_posting_authorizations;
mod m20261122_000015_create_authorization_platforms;
mod m20261122_000016_create_staff_profiles;
mod m20261122_000017_create_posts;
mod m20261122_000018_create_post_versions;
mod m20261122_000019_create_post_media;
mod m20261122_000020_create_consents;
mod m20261122_000021_create_post_consents;
mod m20261122_000022_create_staff_content_reviews;
mod m20261122_000023_create_violations;
mod m20261122_000024_create_comments;
mod m20261122_000025_create_moderation_decisions;
mod m20261122_000026_create_appeals;
mod m20261122_000027_create_integration_tokens;
mod m20261122_000028_create_legal_holds;
mod m20261122_000029_create_webhooks;
mod m20261122_000030_create_webhook_deliveries;
mod m20261122_000031_add_users_provisioning;
mod m20261201_000032_add_screening_provenance;
mod m20261201_000033_create_screening_heads;
pub mod m20261202_000034_audit_append_only;
mod m20261202_000035_create_login_throttle;
mod m20261202_000036_queue_indexes;
mod m20261202_000037_session_notify;

/// Every migration of the schema, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_departments::Migration),
            Box::new(m20261122_000002_create_facilities::Migration),
            Box::new(m20261122_000003_create_users::Migration),
            Box::new(m20261122_000004_create_refresh_sessions::Migration),
            Box::new(m20261122_000005_create_audit_chains::Migration),
            Box::new(m20261122_000006_create_audit_events::Migration),
            Box::new(m20261122_000007_create_platforms::Migration),
            Box::new(m20261122_000008_create_platform_versions::Migration),
            Box::new(m20261122_000009_create_platform_change_requests::Migration),
            Box::new(m20261122_000010_create_approvals::Migration),
            Box::new(m20261122_000011_create_delegations::Migration),
            Box::new(m20261122_000012_create_facility_reviews::Migration),
            Box::new(m20261122_000013_create_policy_acknowledgements::Migration),
            Box::new(m20261122_000014_create_posting_authorizations::Migration),
            Box::new(m20261122_000015_create_authorization_platforms::Migration),
            Box::new(m20261122_000016_create_staff_profiles::Migration),
            Box::new(m20261122_000017_create_posts::Migration),
            Box::new(m20261122_000018_create_post_versions::Migration),
            Box::new(m20261122_000019_create_post_media::Migration),
            Box::new(m20261122_000020_create_consents::Migration),
            Box::new(m20261122_000021_create_post_consents::Migration),
            Box::new(m20261122_000022_create_staff_content_reviews::Migration),
            Box::new(m20261122_000023_create_violations::Migration),
            Box::new(m20261122_000024_create_comments::Migration),
            Box::new(m20261122_000025_create_moderation_decisions::Migration),
            Box::new(m20261122_000026_create_appeals::Migration),
            Box::new(m20261122_000027_create_integration_tokens::Migration),
            Box::new(m20261122_000028_create_legal_holds::Migration),
            Box::new(m20261122_000029_create_webhooks::Migration),
            Box::new(m20261122_000030_create_webhook_deliveries::Migration),
            Box::new(m20261122_000031_add_users_provisioning::Migration),
            Box::new(m20261201_000032_add_screening_provenance::Migration),
            Box::new(m20261201_000033_create_screening_heads::Migration),
            Box::new(m20261202_000034_audit_append_only::Migration),
            Box::new(m20261202_000035_create_login_throttle::Migration),
            Box::new(m20261202_000036_queue_indexes::Migration),
            Box::new(m20261202_000037_session_notify::Migration),
        ]
    }
}

/// Runs raw statements in order (triggers and functions that the schema builder cannot state).
pub(crate) async fn execute_all(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::ConnectionTrait;
    let db = manager.get_connection();
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}
