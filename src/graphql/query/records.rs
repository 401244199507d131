//! Records queries: legal holds.

use async_graphql::{Context, Object};

use crate::error::AppResult;
use crate::graphql::context::{principal, state};
use crate::graphql::types::records::{LegalHold, Webhook};
use crate::records::holds;

/// Records read operations.
#[derive(Default)]
pub struct RecordsQuery;

#[Object]
impl RecordsQuery {
    /// Legal holds of the department, newest first (director and PIO).
    async fn legal_holds(&self, ctx: &Context<'_>, department_code: String) -> AppResult<Vec<LegalHold>> {
        let rows = holds::list(&state(ctx)?.db, principal(ctx)?, &department_code).await?;
        Ok(rows.into_iter().map(LegalHold).collect())
    }

    /// Webhooks of the department with their delivery history (directors).
    async fn webhooks(&self, ctx: &Context<'_>, department_code: String) -> AppResult<Vec<Webhook>> {
        let rows = crate::records::webhooks::list(&state(ctx)?.db, principal(ctx)?, &department_code).await?;
        Ok(rows.into_iter().map(Webhook).collect())
    }
}
