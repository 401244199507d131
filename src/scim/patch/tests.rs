//! PATCH semantics, operation by operation.

use serde_json::json;

use super::*;
use crate::scim::schema::{DOC_USER, ENTERPRISE_USER};

fn doc() -> Map<String, Value> {
    let v = json!({
        "schemas": [schema::CORE_USER],
        "id": "x",
        "userName": "bjensen",
        "active": true,
        "emails": [
            { "value": "b@work.example", "type": "work", "primary": true },
            { "value": "b@home.example", "type": "home" }
        ],
        "roles": [{ "value": "STAFF", "primary": true }],
        DOC_USER: { "employmentType": "FULL_TIME" },
    });
    v.as_object().unwrap().clone()
}

fn patch(ops: Value) -> Value {
    json!({ "schemas": [PATCH_OP], "Operations": ops })
}

fn run(ops: Value) -> ScimResult<Map<String, Value>> {
    let mut d = doc();
    apply(&mut d, &patch(ops)).map(|()| d)
}

#[test]
fn replace_without_path_and_azure_style_values() {
    let d = run(json!([{ "op": "Replace", "value": { "active": false, "displayName": "Babs" } }])).unwrap();
    assert_eq!(d["active"], json!(false));
    assert_eq!(d["displayName"], json!("Babs"));
    let d = run(json!([{ "op": "replace", "path": "active", "value": "False" }])).unwrap();
    assert_eq!(d["active"], json!("False"));
}

#[test]
fn extension_attributes_by_urn_path_and_by_urn_key() {
    let path = format!("{ENTERPRISE_USER}:employeeNumber");
    let d = run(json!([{ "op": "add", "path": path, "value": "701984" }])).unwrap();
    assert_eq!(d[ENTERPRISE_USER]["employeeNumber"], json!("701984"));
    let key = format!("{ENTERPRISE_USER}:department");
    let d = run(json!([{ "op": "add", "value": { key: "Communications" } }])).unwrap();
    assert_eq!(d[ENTERPRISE_USER]["department"], json!("Communications"));
    let d = run(json!([{ "op": "remove", "path": path }])).unwrap();
    assert!(d.get(ENTERPRISE_USER).is_none());
}

#[test]
fn value_filters_select_values() {
    let d = run(
        json!([{ "op": "replace", "path": "emails[type eq \"home\"].value", "value": "n@home.example" }]),
    )
    .unwrap();
    assert_eq!(d["emails"][1]["value"], json!("n@home.example"));
    assert_eq!(d["emails"][0]["value"], json!("b@work.example"));
    let d = run(json!([{ "op": "remove", "path": "emails[type eq \"home\"]" }])).unwrap();
    assert_eq!(d["emails"].as_array().unwrap().len(), 1);
    let e = run(json!([{ "op": "replace", "path": "emails[type eq \"other\"].value", "value": "x@y.z" }]))
        .unwrap_err();
    assert_eq!(e.scim_type, Some("noTarget"));
}

#[test]
fn add_appends_and_keeps_one_primary() {
    let d = run(
        json!([{ "op": "add", "path": "emails", "value": [{ "value": "c@x.example", "primary": true }] }]),
    )
    .unwrap();
    let emails = d["emails"].as_array().unwrap();
    assert_eq!(emails.len(), 3);
    assert_eq!(emails[0]["primary"], json!(false));
    assert_eq!(emails[2]["primary"], json!(true));
}

#[test]
fn complex_values_merge_and_sub_attributes_go() {
    let d = run(json!([
        { "op": "add", "path": "name", "value": { "givenName": "Barbara", "FAMILYNAME": "Jensen" } },
        { "op": "replace", "path": "name.givenName", "value": "Babs" },
        { "op": "remove", "path": "name.familyName" },
    ]))
    .unwrap();
    assert_eq!(d["name"], json!({ "givenName": "Babs" }));
    let d = run(json!([{ "op": "add", "path": "name.givenName", "value": "A" }, { "op": "remove", "path": "name.givenName" }]))
        .unwrap();
    assert!(d.get("name").is_none());
}

#[test]
fn refusals_carry_the_rfc_error_types() {
    let cases = [
        (json!([{ "op": "remove" }]), "noTarget"),
        (json!([{ "op": "move", "path": "active" }]), "invalidSyntax"),
        (
            json!([{ "op": "add", "path": "shoeSize", "value": "x" }]),
            "invalidPath",
        ),
        (
            json!([{ "op": "add", "path": "emails[", "value": "x" }]),
            "invalidPath",
        ),
        (
            json!([{ "op": "replace", "path": "id", "value": "y" }]),
            "mutability",
        ),
        (
            json!([{ "op": "add", "path": "roles", "value": [{ "value": "DIRECTOR" }] }]),
            "mutability",
        ),
        (json!([{ "op": "add", "path": "userName" }]), "invalidValue"),
        (json!([]), "invalidSyntax"),
    ];
    for (ops, expected) in cases {
        let e = run(ops.clone()).unwrap_err();
        assert_eq!(e.scim_type, Some(expected), "{ops}");
    }
    let mut d = doc();
    let e = apply(&mut d, &json!({ "Operations": [] })).unwrap_err();
    assert_eq!(e.scim_type, Some("invalidSyntax"));
}

#[test]
fn role_is_never_set_through_an_unpathed_value() {
    let value = json!({ "roles": [{ "value": "DIRECTOR" }], DOC_USER: { "employmentType": "TEMPORARY" } });
    let d = run(json!([{ "op": "replace", "value": value }])).unwrap();
    assert_eq!(d["roles"], json!([{ "value": "STAFF", "primary": true }]));
    assert_eq!(d[DOC_USER]["employmentType"], json!("TEMPORARY"));
}
