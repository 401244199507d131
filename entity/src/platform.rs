//! An official social media site, page or account (MT IV.A.2; IL 01.02.400 II.G.1).

use sea_orm::entity::prelude::*;

/// One row of `platforms`.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "platforms")]
pub struct Model {
    /// Surrogate key.
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Owning department.
    pub department_id: i64,
    /// `FACEBOOK`, `INSTAGRAM`, … or `OTHER`.
    pub network: String,
    /// Account handle.
    pub handle: String,
    /// Page URL.
    #[sea_orm(column_type = "Text")]
    pub url: String,
    /// Declared purpose codes, JSON array.
    #[sea_orm(column_type = "Text")]
    pub purposes: String,
    /// Statement of purpose (IL II.G.1.b).
    #[sea_orm(column_type = "Text")]
    pub purpose_statement: String,
    /// Statement of scope (IL II.G.1.b).
    #[sea_orm(column_type = "Text")]
    pub scope_statement: String,
    /// Link to the official website (IL II.G.1.c, MT IV.A.4).
    #[sea_orm(column_type = "Text")]
    pub website_link: String,
    /// Maintained-by statement (IL II.G.1.d).
    #[sea_orm(column_type = "Text")]
    pub maintained_by_statement: String,
    /// Department logo shown (IL II.G.1.d).
    #[sea_orm(column_type = "Text")]
    pub logo_url: String,
    /// Contact information shown (IL II.G.1.d).
    #[sea_orm(column_type = "Text")]
    pub contact_info: String,
    /// Lifecycle state.
    pub status: String,
    /// Reason of the last rejection, suspension or retirement.
    #[sea_orm(column_type = "Text")]
    pub status_reason: Option<String>,
    /// Current version number (1 at proposal).
    pub version: i32,
    /// Who proposed it.
    pub proposed_by_user_id: i64,
    /// PIO who accepted the terms of service (IL II.F.2).
    pub terms_accepted_by_user_id: Option<i64>,
    /// When the terms were accepted.
    pub terms_accepted_at: Option<DateTimeUtc>,
    /// Version of the terms accepted.
    pub terms_version: Option<String>,
    /// Where the accepted terms are published.
    #[sea_orm(column_type = "Text")]
    pub terms_url: Option<String>,
    /// When proposed.
    pub created_at: DateTimeUtc,
    /// Last change.
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
