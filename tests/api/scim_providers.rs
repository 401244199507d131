//! Provisioning sequences as Microsoft Entra ID and Okta send them: core attributes only, the
//! core `userType`, and PATCH paths for attributes this server does not keep.

#![allow(clippy::unwrap_used)]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::integration_token;
use crate::helpers::spawn_app;
use crate::scim::{CORE, DOC, ENTERPRISE, scim};

const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn employment(user: &Value) -> &str {
    user[DOC]["employmentType"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn an_entra_style_sequence_provisions_an_mt_employee_without_the_extension() {
    let app = spawn_app().await;
    let token = integration_token(&app, "MT-DOC", "scim");
    let t = Some(token.as_str());
    let (s, _, b) = scim(
        &app,
        t,
        Method::GET,
        "/Users?filter=userName%20eq%20%22ajones%40mt-doc.demo%22",
        None,
    )
    .await;
    assert_eq!((s, b["totalResults"].as_u64()), (StatusCode::OK, Some(0)), "{b}");
    let create = json!({
        "schemas": [CORE, ENTERPRISE],
        "externalId": "0a21f0f2-8d2a-4f8e-97a9-0b3f5d8b1b7e",
        "userName": "ajones@mt-doc.demo",
        "active": true,
        "displayName": "Alex Jones",
        "title": "Correctional Officer",
        "emails": [{ "primary": true, "type": "work", "value": "ajones@mt-doc.demo" }],
        "name": { "formatted": "Alex Jones", "familyName": "Jones", "givenName": "Alex" },
        "phoneNumbers": [{ "type": "work", "value": "406-555-0100" }],
        ENTERPRISE: { "employeeNumber": "MT-7", "department": "Deer Lodge" },
    });
    let (s, _, user) = scim(&app, t, Method::POST, "/Users", Some(create)).await;
    assert_eq!(s, StatusCode::CREATED, "{user}");
    assert_eq!(employment(&user), "FULL_TIME", "MT-DOC's default: {user}");
    let id = user["id"].as_str().unwrap().to_owned();
    let patch = json!({
        "schemas": [PATCH],
        "Operations": [
            { "op": "Add", "path": "title", "value": "Sergeant" },
            { "op": "Add", "path": "phoneNumbers[type eq \"work\"].value", "value": "406-555-0199" },
            { "op": "Add", "path": "addresses[type eq \"work\"].formatted", "value": "500 Conley Lake Rd" },
            { "op": "Replace", "path": "preferredLanguage", "value": "en-US" },
            { "op": "Replace", "path": "displayName", "value": "Alex R. Jones" },
        ],
    });
    let (s, _, b) = scim(&app, t, Method::PATCH, &format!("/Users/{id}"), Some(patch)).await;
    assert!(
        s.is_success(),
        "unknown core attributes are accepted and ignored: {s} {b}"
    );
    let (_, _, user) = scim(&app, t, Method::GET, &format!("/Users/{id}"), None).await;
    assert_eq!(user["displayName"], "Alex R. Jones", "{user}");
    assert_eq!(employment(&user), "FULL_TIME");
    let off =
        json!({"schemas": [PATCH], "Operations": [{ "op": "Replace", "path": "active", "value": "False" }]});
    let (s, _, b) = scim(&app, t, Method::PATCH, &format!("/Users/{id}"), Some(off)).await;
    assert!(s.is_success(), "{b}");
    let (_, _, user) = scim(&app, t, Method::GET, &format!("/Users/{id}"), None).await;
    assert_eq!(user["active"], false, "{user}");
}

#[tokio::test]
async fn an_okta_style_sequence_maps_user_type_for_il() {
    let app = spawn_app().await;
    let token = integration_token(&app, "IL-DOC", "scim");
    let t = Some(token.as_str());
    let body = |user_type: Option<&str>| {
        let mut v = json!({
            "schemas": [CORE],
            "userName": "sam.lee@il-doc.demo",
            "name": { "givenName": "Sam", "familyName": "Lee" },
            "emails": [{ "primary": true, "value": "sam.lee@il-doc.demo", "type": "work" }],
            "displayName": "Sam Lee",
            "locale": "en-US",
            "active": true,
            "groups": [],
        });
        if let Some(u) = user_type {
            v["userType"] = json!(u);
        }
        v
    };
    // IL 01.02.400 II.E: HR must say how the person is employed; the refusal cites IL's clause.
    let (s, _, b) = scim(&app, t, Method::POST, "/Users", Some(body(None))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert!(b["detail"].as_str().unwrap().contains("IL 01.02.400 II.E"), "{b}");
    let (s, _, user) = scim(&app, t, Method::POST, "/Users", Some(body(Some("Contractor")))).await;
    assert_eq!(s, StatusCode::CREATED, "{user}");
    assert_eq!(employment(&user), "CONTRACTUAL");
    let id = user["id"].as_str().unwrap().to_owned();
    let mut replace = body(Some("Intern"));
    replace["id"] = json!(id);
    let (s, _, user) = scim(&app, t, Method::PUT, &format!("/Users/{id}"), Some(replace)).await;
    assert_eq!(s, StatusCode::OK, "{user}");
    assert_eq!(employment(&user), "TEMPORARY");
    let off = json!({"schemas": [PATCH], "Operations": [{ "op": "replace", "value": { "active": false } }]});
    let (s, _, b) = scim(&app, t, Method::PATCH, &format!("/Users/{id}"), Some(off)).await;
    assert!(s.is_success(), "{b}");
}

#[tokio::test]
async fn an_mt_refusal_never_cites_il() {
    let app = spawn_app().await;
    let token = integration_token(&app, "MT-DOC", "scim");
    let doc = json!({
        "schemas": [CORE],
        "userName": "x@mt-doc.demo",
        "emails": [{ "value": "x@mt-doc.demo" }],
        "userType": "Wizard",
    });
    let (s, _, b) = scim(&app, Some(&token), Method::POST, "/Users", Some(doc)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(!b["detail"].as_str().unwrap().contains("IL 01.02.400"), "{b}");
}
