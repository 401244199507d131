//! SCIM 2.0 over HTTP as an HR system uses it: provisioning, look-ups by filter, paging,
//! replace, patch, delete, and the refusals (RFC 7644 error bodies and status codes).

#![allow(clippy::unwrap_used)]

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::fixtures::integration_token;
use crate::helpers::{TestApp, spawn_app};

pub const CORE: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const DOC: &str = "urn:policy-admin:scim:schemas:extension:doc:2.0:User";
pub const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
pub const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// One SCIM call; returns status, the response's content type and its JSON body.
pub async fn scim(
    app: &TestApp,
    token: Option<&str>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, String, Value) {
    let mut req = app.client.request(method, format!("{}/scim/v2{path}", app.addr));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req
            .header("content-type", "application/scim+json")
            .body(b.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let ct = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, ct, resp.json().await.unwrap_or(Value::Null))
}

/// A User document for HR's `POST`.
pub fn employee(user_name: &str, email: &str) -> Value {
    json!({
        "schemas": [CORE, ENTERPRISE, DOC],
        "userName": user_name,
        "externalId": format!("HR-{user_name}"),
        "name": { "givenName": "Pat", "familyName": "Lee" },
        "emails": [{ "value": email, "type": "work", "primary": true }],
        ENTERPRISE: { "employeeNumber": "E-1", "department": "Communications" },
        DOC: { "employmentType": "CONTRACTUAL" },
    })
}

fn assert_scim_error(
    status: StatusCode,
    ct: &str,
    body: &Value,
    expected: StatusCode,
    scim_type: Option<&str>,
) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(ct, "application/scim+json", "{body}");
    assert_eq!(
        body["schemas"][0], "urn:ietf:params:scim:api:messages:2.0:Error",
        "{body}"
    );
    assert_eq!(body["status"], expected.as_u16().to_string(), "{body}");
    if let Some(t) = scim_type {
        assert_eq!(body["scimType"], t, "{body}");
    }
}

#[tokio::test]
async fn hr_provisions_finds_pages_and_changes_employees() {
    let app = spawn_app().await;
    let token = integration_token(&app, "MT-DOC", "scim");
    let t = Some(token.as_str());

    let mut doc = employee("Pat.Lee", "pat.lee@mt.example");
    doc["roles"] = json!([{ "value": "DIRECTOR" }]);
    let resp = app
        .client
        .post(format!("{}/scim/v2/Users", app.addr))
        .bearer_auth(&token)
        .header("content-type", "application/scim+json")
        .body(doc.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(resp.headers()["content-type"], "application/scim+json");
    let created: Value = resp.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(location.ends_with(&format!("/scim/v2/Users/{id}")), "{location}");
    assert_eq!(created["meta"]["location"], location.as_str());
    assert_eq!(
        created["roles"],
        json!([{ "value": "STAFF", "primary": true }]),
        "roles come from a director"
    );
    assert_eq!(created["active"], true);
    assert_eq!(created[DOC]["employmentType"], "CONTRACTUAL");
    assert_eq!(created[ENTERPRISE]["department"], "Communications");

    // The same person in GraphQL, for the director.
    let director = app.login("director@mt-doc.demo").await;
    let q = "query($id: ID!) { node(id: $id) { ... on User { email name role status employmentType } } }";
    let (_, b) = app.gql(q, json!({"id": id}), Some(&director.access)).await;
    assert_eq!(
        b["data"]["node"],
        json!({"email": "pat.lee@mt.example", "name": "Pat Lee", "role": "STAFF", "status": "ACTIVE", "employmentType": "CONTRACTUAL"})
    );

    // User names are unique without case; the sign-in address too.
    let (s, ct, b) = scim(
        &app,
        t,
        Method::POST,
        "/Users",
        Some(employee("PAT.LEE", "other@mt.example")),
    )
    .await;
    assert_scim_error(s, &ct, &b, StatusCode::CONFLICT, Some("uniqueness"));
    let (s, ct, b) = scim(
        &app,
        t,
        Method::POST,
        "/Users",
        Some(employee("p2", "Pat.Lee@MT.example")),
    )
    .await;
    assert_scim_error(s, &ct, &b, StatusCode::CONFLICT, Some("uniqueness"));

    for i in 0..3 {
        let (s, _, b) = scim(
            &app,
            t,
            Method::POST,
            "/Users",
            Some(employee(&format!("clerk{i}"), &format!("clerk{i}@mt.example"))),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
    }

    // Filters: userName without case, externalId with case, e-mails, value paths, logic.
    let count = |b: &Value| b["totalResults"].as_u64().unwrap();
    let find = |f: &str| format!("/Users?filter={}", urlencoding(f));
    for (filter, expected) in [
        ("userName eq \"pat.lee\"", 1),
        ("externalId eq \"HR-Pat.Lee\"", 1),
        ("externalId eq \"hr-pat.lee\"", 0),
        ("emails eq \"pat.lee@mt.example\"", 1),
        ("emails.value co \"@MT.EXAMPLE\"", 4),
        ("emails[type eq \"work\" and value sw \"clerk\"]", 3),
        ("userName sw \"clerk\" and not (userName eq \"clerk1\")", 2),
        (
            &format!("{ENTERPRISE}:employeeNumber eq \"E-1\" and active eq true"),
            4,
        ),
        ("id eq \"not-an-id\"", 0),
    ] {
        let (s, ct, b) = scim(&app, t, Method::GET, &find(filter), None).await;
        assert_eq!(
            (s, ct.as_str()),
            (StatusCode::OK, "application/scim+json"),
            "{filter}: {b}"
        );
        assert_eq!(count(&b), expected, "{filter}: {b}");
        assert_eq!(
            b["schemas"][0],
            "urn:ietf:params:scim:api:messages:2.0:ListResponse"
        );
    }
    let (s, ct, b) = scim(&app, t, Method::GET, &find("userName xx \"a\""), None).await;
    assert_scim_error(s, &ct, &b, StatusCode::BAD_REQUEST, Some("invalidFilter"));

    // Paging: the demo seed's three MT employees plus four made here.
    let (_, _, b) = scim(&app, t, Method::GET, "/Users?startIndex=2&count=2", None).await;
    assert_eq!(
        (count(&b), b["itemsPerPage"].as_u64(), b["startIndex"].as_u64()),
        (7, Some(2), Some(2))
    );
    let (_, _, b) = scim(
        &app,
        t,
        Method::GET,
        "/Users?startIndex=7&count=5&attributes=userName",
        None,
    )
    .await;
    let only = &b["Resources"][0];
    assert_eq!(b["Resources"].as_array().unwrap().len(), 1);
    assert!(
        only.get("emails").is_none() && only["id"].is_string() && only["userName"].is_string(),
        "{b}"
    );
    let (s, ct, b) = scim(&app, t, Method::GET, "/Users?count=ten", None).await;
    assert_scim_error(s, &ct, &b, StatusCode::BAD_REQUEST, Some("invalidValue"));
    let search = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": "userName sw \"clerk\"", "count": 1, "attributes": ["userName"],
    });
    let (s, _, b) = scim(&app, t, Method::POST, "/Users/.search", Some(search)).await;
    assert_eq!(
        (s, count(&b), b["itemsPerPage"].as_u64()),
        (StatusCode::OK, 3, Some(1)),
        "{b}"
    );

    // Replace: omitted optional attributes are cleared, omitted status and type are kept.
    let put = json!({
        "schemas": [CORE], "userName": "pat.lee", "displayName": "Patricia Lee",
        "emails": [{ "value": "patricia.lee@mt.example", "primary": true }],
    });
    let (s, _, b) = scim(&app, t, Method::PUT, &format!("/Users/{id}"), Some(put)).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        (b["displayName"].as_str(), b.get("name"), b.get(ENTERPRISE)),
        (Some("Patricia Lee"), None, None)
    );
    assert_eq!(
        (b["active"].as_bool(), b[DOC]["employmentType"].as_str()),
        (Some(true), Some("CONTRACTUAL"))
    );
    let (_, b) = app.gql(q, json!({"id": id}), Some(&director.access)).await;
    assert_eq!(
        b["data"]["node"]["email"], "patricia.lee@mt.example",
        "the primary address signs in"
    );

    // Patch: values, extension paths; roles and ids stay the server's.
    let ops = json!({ "schemas": [PATCH_OP], "Operations": [
        { "op": "add", "path": "name.givenName", "value": "Patricia" },
        { "op": "replace", "path": format!("{DOC}:employmentType"), "value": "part-time" },
        { "op": "add", "value": { format!("{ENTERPRISE}:employeeNumber"): "E-9" } },
    ]});
    let (s, _, b) = scim(&app, t, Method::PATCH, &format!("/Users/{id}"), Some(ops)).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(
        (
            b["name"]["givenName"].as_str(),
            b[DOC]["employmentType"].as_str(),
            b[ENTERPRISE]["employeeNumber"].as_str()
        ),
        (Some("Patricia"), Some("PART_TIME"), Some("E-9"))
    );
    for (op, scim_type) in [
        (
            json!({ "op": "add", "path": "roles", "value": [{ "value": "PIO" }] }),
            "mutability",
        ),
        (
            json!({ "op": "replace", "path": "id", "value": "x" }),
            "mutability",
        ),
        (json!({ "op": "remove", "path": "userName" }), "invalidValue"),
        (json!({ "op": "remove", "path": "active" }), "invalidValue"),
        (
            json!({ "op": "replace", "path": "emails[type eq \"home\"].value", "value": "a@b.example" }),
            "noTarget",
        ),
        (
            json!({ "op": "replace", "path": "shoeSize", "value": "x" }),
            "invalidPath",
        ),
    ] {
        let body = json!({ "schemas": [PATCH_OP], "Operations": [op] });
        let (s, ct, b) = scim(&app, t, Method::PATCH, &format!("/Users/{id}"), Some(body)).await;
        assert_scim_error(s, &ct, &b, StatusCode::BAD_REQUEST, Some(scim_type));
    }
    let (_, b) = app.gql(q, json!({"id": id}), Some(&director.access)).await;
    assert_eq!(b["data"]["node"]["role"], "STAFF");

    // Delete: gone from SCIM, kept (separated) for the record.
    let (s, _, _) = scim(&app, t, Method::DELETE, &format!("/Users/{id}"), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, ct, b) = scim(&app, t, Method::GET, &format!("/Users/{id}"), None).await;
    assert_scim_error(s, &ct, &b, StatusCode::NOT_FOUND, None);
    let (_, b) = app.gql(q, json!({"id": id}), Some(&director.access)).await;
    assert_eq!(b["data"]["node"]["status"], "SEPARATED", "{b}");

    let actions = app.audit_actions("MT-DOC", &director.access).await;
    for a in [
        "user.provisioned",
        "user.updated",
        "user.deprovisioned",
        "user.separated",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

/// Percent-encodes a query value.
fn urlencoding(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn only_a_scim_token_of_the_department_gets_in() {
    let app = spawn_app().await;
    let mt = integration_token(&app, "MT-DOC", "scim");
    let il = integration_token(&app, "IL-DOC", "scim");
    let ingest = integration_token(&app, "MT-DOC", "ingest");
    let director = app.login("director@mt-doc.demo").await;

    let (s, _, b) = scim(
        &app,
        Some(&mt),
        Method::POST,
        "/Users",
        Some(employee("a.b", "a.b@mt.example")),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let id = b["id"].as_str().unwrap().to_owned();

    for (token, expected) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some("pat_scim_not-a-token"), StatusCode::UNAUTHORIZED),
        (Some(director.access.as_str()), StatusCode::UNAUTHORIZED),
        (Some(ingest.as_str()), StatusCode::FORBIDDEN),
    ] {
        let (s, ct, b) = scim(&app, token, Method::GET, "/Users", None).await;
        assert_scim_error(s, &ct, &b, expected, None);
    }
    let resp = app.get("/scim/v2/Users").await;
    assert_eq!(resp.headers()["www-authenticate"], "Bearer realm=\"scim\"");

    // Another department's employee answers like a missing one, in every verb.
    for method in [Method::GET, Method::PUT, Method::PATCH, Method::DELETE] {
        let body = match method {
            Method::PUT => Some(employee("a.b", "a.b@mt.example")),
            Method::PATCH => Some(
                json!({ "schemas": [PATCH_OP], "Operations": [{ "op": "remove", "path": "externalId" }] }),
            ),
            _ => None,
        };
        let (s, ct, b) = scim(&app, Some(&il), method.clone(), &format!("/Users/{id}"), body).await;
        assert_scim_error(s, &ct, &b, StatusCode::NOT_FOUND, None);
    }
    let (_, _, b) = scim(
        &app,
        Some(&il),
        Method::GET,
        "/Users?filter=userName%20eq%20%22a.b%22",
        None,
    )
    .await;
    assert_eq!(b["totalResults"], 0);

    // Media type, body shape, size, unknown endpoints, unsupported methods.
    let resp = app
        .client
        .post(format!("{}/scim/v2/Users", app.addr))
        .bearer_auth(&mt)
        .header("content-type", "text/plain")
        .body(employee("c.d", "c.d@mt.example").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let big = json!({ "schemas": [CORE], "userName": "x".repeat(300 * 1024) });
    let (s, ct, b) = scim(&app, Some(&mt), Method::POST, "/Users", Some(big)).await;
    assert_scim_error(s, &ct, &b, StatusCode::PAYLOAD_TOO_LARGE, None);
    let (s, ct, b) = scim(
        &app,
        Some(&mt),
        Method::POST,
        "/Users",
        Some(json!(["not", "an", "object"])),
    )
    .await;
    assert_scim_error(s, &ct, &b, StatusCode::BAD_REQUEST, Some("invalidSyntax"));
    let mut no_type = employee("c.d", "c.d@mt.example");
    no_type.as_object_mut().unwrap().remove(DOC);
    // IL 01.02.400 II.E classifies staff, so IL-DOC needs a type; MT-DOC's profile has a default.
    let (s, ct, b) = scim(&app, Some(&il), Method::POST, "/Users", Some(no_type)).await;
    assert_scim_error(s, &ct, &b, StatusCode::BAD_REQUEST, Some("invalidValue"));
    assert!(b["detail"].as_str().unwrap().contains("IL 01.02.400 II.E"), "{b}");
    let (s, ct, b) = scim(&app, Some(&mt), Method::GET, "/Nope", None).await;
    assert_scim_error(s, &ct, &b, StatusCode::NOT_FOUND, None);
    let (s, ct, b) = scim(&app, Some(&mt), Method::DELETE, "/Users", None).await;
    assert_scim_error(s, &ct, &b, StatusCode::METHOD_NOT_ALLOWED, None);
    let (s, ct, b) = scim(&app, Some(&mt), Method::POST, "/Bulk", Some(json!({}))).await;
    assert_scim_error(s, &ct, &b, StatusCode::NOT_IMPLEMENTED, None);

    // Discovery needs no token and tells what is served.
    let (s, _, b) = scim(&app, None, Method::GET, "/ServiceProviderConfig", None).await;
    assert_eq!(
        (
            s,
            b["patch"]["supported"].as_bool(),
            b["bulk"]["supported"].as_bool()
        ),
        (StatusCode::OK, Some(true), Some(false))
    );
    let (_, _, b) = scim(&app, None, Method::GET, "/ResourceTypes/User", None).await;
    assert_eq!(
        b["schemaExtensions"][1],
        json!({ "schema": DOC, "required": true })
    );
    let (_, _, b) = scim(&app, None, Method::GET, &format!("/Schemas/{CORE}"), None).await;
    let roles = b["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "roles")
        .unwrap();
    assert_eq!(roles["mutability"], "readOnly");
}

#[tokio::test]
async fn a_provisioned_employee_signs_in_once_an_administrator_sets_a_password() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let app = spawn_app().await;
    let token = integration_token(&app, "IL-DOC", "scim");
    let (s, _, b) = scim(
        &app,
        Some(&token),
        Method::POST,
        "/Users",
        Some(employee("jo", "Jo@IL.example")),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let login = |password: &'static str| {
        let app = &app;
        async move {
            let vars = json!({"email": "jo@il.example", "password": password});
            app.gql(crate::helpers::LOGIN, vars, None).await.1
        }
    };
    assert_eq!(
        crate::helpers::code(&login("a-long-enough-password").await),
        "UNAUTHENTICATED"
    );

    let set_password = |password: &[u8]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_policy-admin"))
            .args(["user", "set-password", "--email", "jo@il.example"])
            .env("DATABASE_URL", &app.database_url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(password).unwrap();
        child.wait_with_output().unwrap()
    };
    let out = set_password(b"a-long-enough-password\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let b = login("a-long-enough-password").await;
    assert_eq!(b["data"]["login"]["user"]["role"], "STAFF", "{b}");
    let access = b["data"]["login"]["accessToken"].as_str().unwrap().to_owned();

    // Setting it again ends the sessions opened with the old one.
    let out = set_password(b"another-long-password\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (_, me) = app.gql("{ me { id } }", json!({}), Some(&access)).await;
    assert_eq!(crate::helpers::code(&me), "UNAUTHENTICATED", "{me}");
    assert!(
        !set_password(b"short\n").status.success(),
        "weak passwords are refused"
    );
}
