//! `User`: an employee. The password hash is never exposed.

use async_graphql::{Context, ID, Object};
use entity::user;

use super::department::Department;
use super::{load_failed, loader};
use crate::auth::{EmploymentType, Role, UserStatus};
use crate::error::{AppError, AppResult};
use crate::graphql::context::state;
use crate::graphql::ids::{Kind, encode};
use crate::graphql::loaders::DepartmentId;
use crate::policy::profile::Responsibility;

/// An employee.
pub struct User(pub user::Model);

#[Object]
impl User {
    /// Opaque ID.
    pub async fn id(&self) -> ID {
        encode(Kind::User, self.0.id)
    }

    /// Sign-in address.
    async fn email(&self) -> &str {
        &self.0.email
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Role.
    async fn role(&self) -> AppResult<Role> {
        Role::parse(&self.0.role).ok_or_else(|| corrupt(&self.0, "role"))
    }

    /// Employment status from HR.
    async fn status(&self) -> AppResult<UserStatus> {
        UserStatus::parse(&self.0.status).ok_or_else(|| corrupt(&self.0, "status"))
    }

    /// Employment type (IL 01.02.400 II.E).
    async fn employment_type(&self) -> AppResult<EmploymentType> {
        EmploymentType::parse(&self.0.employment_type).ok_or_else(|| corrupt(&self.0, "employment type"))
    }

    /// The department.
    async fn department(&self, ctx: &Context<'_>) -> AppResult<Department> {
        loader(ctx)?
            .load_one(DepartmentId(self.0.department_id))
            .await
            .map_err(load_failed)?
            .map(Department)
            .ok_or_else(|| AppError::from(anyhow::anyhow!("user {} has no department", self.0.id)))
    }

    /// What the user's role may do under the department's profile, so that a client shows only
    /// what it can use; what they may do as someone's designee is in `delegations`.
    async fn responsibilities(&self, ctx: &Context<'_>) -> AppResult<Vec<Responsibility>> {
        let role = Role::parse(&self.0.role).ok_or_else(|| corrupt(&self.0, "role"))?;
        let department = loader(ctx)?
            .load_one(DepartmentId(self.0.department_id))
            .await
            .map_err(load_failed)?
            .ok_or_else(|| AppError::from(anyhow::anyhow!("user {} has no department", self.0.id)))?;
        let profile = state(ctx)?.profiles.of(&department.code)?;
        Ok(profile.responsibilities.get(&role).cloned().unwrap_or_default())
    }
}

fn corrupt(u: &user::Model, what: &str) -> AppError {
    AppError::from(anyhow::anyhow!("user {} has an unknown {what}", u.id))
}
