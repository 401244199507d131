//! `Department` and `Facility`.

use async_graphql::{Context, ID, Object};
use entity::{department, facility};

use super::{load_failed, loader};
use crate::error::AppResult;
use crate::graphql::context::state;
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::FacilitiesOf;

/// A department (tenant) and its policy profile.
pub struct Department(pub department::Model);

#[Object]
impl Department {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Department, self.0.id)
    }

    /// Code, e.g. `MT-DOC`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Official website host, e.g. `cor.mt.gov`.
    async fn website(&self) -> &str {
        &self.0.website_host
    }

    /// Official website URL, from the profile.
    async fn website_url(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        Ok(profile_field(ctx, &self.0.code, |p| {
            p.department.website_url.clone()
        })?)
    }

    /// Contact information, from the profile.
    async fn contact(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        Ok(profile_field(ctx, &self.0.code, |p| {
            p.department.contact.clone()
        })?)
    }

    /// Logo URL, from the profile.
    async fn logo_url(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        Ok(profile_field(ctx, &self.0.code, |p| {
            p.department.logo_url.clone()
        })?)
    }

    /// The directive the department's profile implements, e.g. `01.02.400 Department Use of Social Media`.
    async fn directive(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        Ok(profile_field(ctx, &self.0.code, |p| {
            format!("{} {}", p.directive.number, p.directive.title)
        })?)
    }

    /// Facilities, offices, programs and parole services (IL 01.02.400 II.B).
    async fn facilities(&self, ctx: &Context<'_>) -> AppResult<Vec<Facility>> {
        let rows = loader(ctx)?
            .load_one(FacilitiesOf(self.0.id))
            .await
            .map_err(load_failed)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(Facility).collect())
    }
}

fn profile_field<T>(
    ctx: &Context<'_>,
    code: &str,
    f: impl Fn(&crate::policy::Profile) -> T,
) -> AppResult<Option<T>> {
    Ok(state(ctx)?.profiles.get(code).map(|p| f(p)))
}

/// A facility, office, program or parole service.
pub struct Facility(pub facility::Model);

#[Object]
impl Facility {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Facility, self.0.id)
    }

    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// `FACILITY`, `OFFICE`, `PROGRAM` or `PAROLE_SERVICES`.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
}
