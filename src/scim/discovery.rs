//! Discovery endpoints (RFC 7644 §4): `ServiceProviderConfig`, `ResourceTypes`, `Schemas`.
//! They describe the server only, so they answer without a token.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use super::error::{ScimError, ScimResult};
use super::request::{base_url, respond};
use super::schema::{self, CORE_USER, DOC_USER, ENTERPRISE_USER, SCHEMAS};
use super::users::MAX_RESULTS;

const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

fn list(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_RESPONSE],
        "totalResults": resources.len(),
        "itemsPerPage": resources.len(),
        "startIndex": 1,
        "Resources": resources,
    })
}

/// `GET /ServiceProviderConfig`.
pub async fn service_provider_config(req: HttpRequest) -> HttpResponse {
    let base = base_url(&req);
    respond(
        StatusCode::OK,
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": { "supported": true },
            "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
            "filter": { "supported": true, "maxResults": MAX_RESULTS },
            "changePassword": { "supported": false },
            "sort": { "supported": false },
            "etag": { "supported": false },
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "Integration token",
                "description": "A department integration token with the scim scope \
                                (policy-admin token create --scope scim), sent as a bearer token.",
                "primary": true,
            }],
            "meta": {
                "resourceType": "ServiceProviderConfig",
                "location": format!("{base}/ServiceProviderConfig"),
            },
        }),
    )
}

fn user_resource_type(base: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "Employees of the token's department.",
        "schema": CORE_USER,
        "schemaExtensions": [
            { "schema": ENTERPRISE_USER, "required": false },
            { "schema": DOC_USER, "required": true },
        ],
        "meta": { "resourceType": "ResourceType", "location": format!("{base}/ResourceTypes/User") },
    })
}

/// `GET /ResourceTypes`.
pub async fn resource_types(req: HttpRequest) -> HttpResponse {
    respond(StatusCode::OK, &list(vec![user_resource_type(&base_url(&req))]))
}

/// `GET /ResourceTypes/{id}`.
pub async fn resource_type(req: HttpRequest, id: web::Path<String>) -> ScimResult<HttpResponse> {
    if id.as_str() != "User" {
        return Err(ScimError::not_found(format!("no resource type {}", id.as_str())));
    }
    Ok(respond(StatusCode::OK, &user_resource_type(&base_url(&req))))
}

/// `GET /Schemas`.
pub async fn schemas(req: HttpRequest) -> HttpResponse {
    let base = base_url(&req);
    respond(
        StatusCode::OK,
        &list(SCHEMAS.iter().map(|s| schema::schema_json(s, &base)).collect()),
    )
}

/// `GET /Schemas/{id}`.
pub async fn schema_by_id(req: HttpRequest, id: web::Path<String>) -> ScimResult<HttpResponse> {
    let s = SCHEMAS
        .iter()
        .find(|s| s.id == id.as_str())
        .ok_or_else(|| ScimError::not_found(format!("no schema {}", id.as_str())))?;
    Ok(respond(StatusCode::OK, &schema::schema_json(s, &base_url(&req))))
}
