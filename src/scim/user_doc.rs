//! An employee as a SCIM User document, and back: rendering from the database row, and
//! reading a client's document into what HR asserts ([`HrRecord`]).
//!
//! Attribute names are matched without case (RFC 7643 §2.1); read-only and unknown attributes
//! in a client's document are ignored (RFC 7644 §3.3, §3.5.1).

use entity::user;
use serde_json::{Map, Value, json};

use super::error::{ScimError, ScimResult};
use super::schema::{CORE_USER, DOC_USER, ENTERPRISE_USER};
use crate::auth::EmploymentType;
use crate::graphql::ids::{self, Kind};
use crate::policy::profile::EmployeeRules;
use crate::service::provisioning::{HrEmail, HrRecord};

/// The SCIM id of an employee (the same opaque ID the GraphQL API uses).
pub fn scim_id(user_id: i64) -> String {
    ids::encode(Kind::User, user_id).0
}

/// The employee behind a SCIM id, if it is one.
pub fn user_id(scim_id: &str) -> Option<i64> {
    match ids::decode_any(scim_id) {
        Some((Kind::User, id)) => Some(id),
        _ => None,
    }
}

/// Renders an employee; `base` is the SCIM base URL.
pub fn render(u: &user::Model, hr: &HrRecord, base: &str) -> Value {
    let id = scim_id(u.id);
    let mut doc = Map::new();
    let mut schemas = vec![json!(CORE_USER)];
    doc.insert("id".into(), json!(id));
    if let Some(ext) = &hr.external_id {
        doc.insert("externalId".into(), json!(ext));
    }
    doc.insert("userName".into(), json!(hr.user_name));
    let mut name = Map::new();
    for (key, value) in [
        ("formatted", &hr.formatted_name),
        ("familyName", &hr.family_name),
        ("givenName", &hr.given_name),
    ] {
        if let Some(v) = value {
            name.insert(key.into(), json!(v));
        }
    }
    if !name.is_empty() {
        doc.insert("name".into(), Value::Object(name));
    }
    if let Some(d) = &hr.display_name {
        doc.insert("displayName".into(), json!(d));
    }
    doc.insert("active".into(), json!(hr.active));
    doc.insert("emails".into(), json!(hr.emails));
    doc.insert("roles".into(), json!([{ "value": u.role, "primary": true }]));
    let mut enterprise = Map::new();
    for (key, value) in [
        ("employeeNumber", &hr.employee_number),
        ("department", &hr.org_unit),
    ] {
        if let Some(v) = value {
            enterprise.insert(key.into(), json!(v));
        }
    }
    if !enterprise.is_empty() {
        schemas.push(json!(ENTERPRISE_USER));
        doc.insert(ENTERPRISE_USER.into(), Value::Object(enterprise));
    }
    schemas.push(json!(DOC_USER));
    doc.insert(
        DOC_USER.into(),
        json!({ "employmentType": hr.employment_type.as_str() }),
    );
    doc.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": u.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "lastModified": u.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "location": format!("{base}/Users/{id}"),
        }),
    );
    doc.insert("schemas".into(), Value::Array(schemas));
    Value::Object(doc)
}

/// How a document is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// POST: `active` defaults to true; the employment type is required.
    Create,
    /// PUT: omitted `active` and employment type keep their values; other omitted attributes
    /// are cleared.
    Replace,
    /// The result of applying PATCH operations to the current document: nothing may be missing.
    Patched,
}

/// Looks an attribute up without regard to case.
pub fn get_ci<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

fn string(obj: &Map<String, Value>, name: &str, label: &str) -> ScimResult<Option<String>> {
    match get_ci(obj, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone()).filter(|s| !s.trim().is_empty())),
        Some(_) => Err(ScimError::invalid_value(format!("{label} must be a string"))),
    }
}

/// A boolean, also accepting the strings `"true"`/`"false"` some HR systems send.
pub fn boolean(v: &Value, label: &str) -> ScimResult<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(ScimError::invalid_value(format!("{label} must be true or false"))),
    }
}

fn object<'a>(
    obj: &'a Map<String, Value>,
    name: &str,
    label: &str,
) -> ScimResult<Option<&'a Map<String, Value>>> {
    match get_ci(obj, name) {
        None => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(_) => Err(ScimError::invalid_value(format!("{label} must be an object"))),
    }
}

fn emails(obj: &Map<String, Value>) -> ScimResult<Vec<HrEmail>> {
    let items = match get_ci(obj, "emails") {
        None => return Ok(Vec::new()),
        Some(Value::Array(items)) => items.clone(),
        Some(one @ Value::Object(_)) => vec![one.clone()],
        Some(_) => return Err(ScimError::invalid_value("emails must be a list of objects")),
    };
    items
        .iter()
        .map(|item| {
            let Value::Object(e) = item else {
                return Err(ScimError::invalid_value("each of emails must be an object"));
            };
            let value = string(e, "value", "emails.value")?
                .ok_or_else(|| ScimError::invalid_value("each of emails needs a value"))?;
            let primary = get_ci(e, "primary")
                .map(|v| boolean(v, "emails.primary"))
                .transpose()?;
            Ok(HrEmail {
                value,
                kind: string(e, "type", "emails.type")?,
                primary,
            })
        })
        .collect()
}

/// Parses an employment type: canonical names, any case, `-` or `_` or spaces between words.
pub fn employment_type(raw: &str) -> ScimResult<EmploymentType> {
    let canonical = raw.trim().to_uppercase().replace(['-', ' '], "_");
    EmploymentType::parse(&canonical).ok_or_else(|| {
        ScimError::invalid_value(format!(
            "employmentType must be FULL_TIME, PART_TIME, CONDITIONAL, TEMPORARY or CONTRACTUAL \
             (IL 01.02.400 II.E), not {raw:?}"
        ))
    })
}

/// A request body must name its schema in `schemas` (RFC 7644 §3.3, §3.4.3, §3.5.2).
pub fn require_schema(obj: &Map<String, Value>, urn: &str) -> ScimResult<()> {
    let listed = match get_ci(obj, "schemas") {
        Some(Value::Array(s)) => s
            .iter()
            .any(|s| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn))),
        _ => false,
    };
    if listed {
        Ok(())
    } else {
        Err(ScimError::invalid_syntax(format!("schemas must list {urn}")))
    }
}

/// Maps the core `userType` (free text in RFC 7643; identity providers send values such as
/// `Employee`, `Contractor`, `Intern`) to an employment type; `None` when it says nothing about
/// employment.
pub fn user_type(raw: &str) -> Option<EmploymentType> {
    let t = raw.trim().to_lowercase().replace(['-', '_'], " ");
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match t.as_str() {
        "employee" | "staff" | "regular" | "full time" | "fulltime" | "permanent" => EmploymentType::FullTime,
        "part time" | "parttime" => EmploymentType::PartTime,
        "conditional" | "probationary" | "probation" => EmploymentType::Conditional,
        "temporary" | "temp" | "seasonal" | "intern" | "student" | "trainee" => EmploymentType::Temporary,
        "contractor" | "contract" | "contractual" | "vendor" | "consultant" => EmploymentType::Contractual,
        _ => return employment_type(raw).ok(),
    })
}

/// Reads a client's User document; `rules` are the department's (default type, clause).
pub fn parse(
    doc: &Value,
    mode: Mode,
    current: Option<&HrRecord>,
    rules: &EmployeeRules,
) -> ScimResult<HrRecord> {
    let Value::Object(obj) = doc else {
        return Err(ScimError::invalid_syntax("the body must be a JSON object"));
    };
    if mode != Mode::Patched {
        require_schema(obj, CORE_USER)?;
    }
    let user_name = string(obj, "userName", "userName")?
        .ok_or_else(|| ScimError::invalid_value("userName is required"))?;
    let name = object(obj, "name", "name")?;
    let name_part = |key: &str| match name {
        Some(n) => string(n, key, &format!("name.{key}")),
        None => Ok(None),
    };
    let emails = emails(obj)?;
    if emails.is_empty() {
        return Err(ScimError::invalid_value(
            "emails is required: the primary address is the employee's sign-in address",
        ));
    }
    let enterprise = object(obj, ENTERPRISE_USER, ENTERPRISE_USER)?;
    let enterprise_field = |key: &str| match enterprise {
        Some(e) => string(e, key, key),
        None => Ok(None),
    };
    let doc_ext = object(obj, DOC_USER, DOC_USER)?;
    let explicit = match doc_ext
        .map(|d| string(d, "employmentType", "employmentType"))
        .transpose()?
    {
        Some(Some(raw)) => Some(employment_type(&raw)?),
        _ => match string(obj, "userType", "userType")? {
            Some(raw) => Some(user_type(&raw).ok_or_else(|| {
                ScimError::invalid_value(format!(
                    "userType {raw:?} does not say how the person is employed: use Employee, \
                     Full-time, Part-time, Conditional, Temporary, Intern or Contractor, or \
                     send {DOC_USER} with employmentType"
                ))
            })?),
            None => None,
        },
    };
    let employment = match (explicit, mode, current) {
        (Some(t), _, _) => t,
        (None, Mode::Replace, Some(c)) => c.employment_type,
        (None, Mode::Patched, _) => {
            return Err(ScimError::invalid_value(
                "employmentType cannot be removed; set another value",
            ));
        }
        (None, _, _) => match rules.fallback() {
            Some(t) => t,
            None => {
                let cite = rules
                    .employment_type_clause
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default();
                return Err(ScimError::invalid_value(format!(
                    "employmentType is required{cite}: send userType (Employee, Part-time, \
                     Temporary, Contractor, …) or {DOC_USER} with employmentType FULL_TIME, \
                     PART_TIME, CONDITIONAL, TEMPORARY or CONTRACTUAL"
                )));
            }
        },
    };
    let active = match get_ci(obj, "active") {
        Some(v) => boolean(v, "active")?,
        None => match (mode, current) {
            (Mode::Create, _) => true,
            (Mode::Replace, Some(c)) => c.active,
            _ => {
                return Err(ScimError::invalid_value(
                    "active cannot be removed; set it to false to separate the employee",
                ));
            }
        },
    };
    Ok(HrRecord {
        user_name,
        external_id: string(obj, "externalId", "externalId")?,
        display_name: string(obj, "displayName", "displayName")?,
        given_name: name_part("givenName")?,
        family_name: name_part("familyName")?,
        formatted_name: name_part("formatted")?,
        emails,
        employee_number: enterprise_field("employeeNumber")?,
        org_unit: enterprise_field("department")?,
        employment_type: employment,
        active,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn il() -> EmployeeRules {
        EmployeeRules {
            employment_type_clause: Some("IL 01.02.400 II.E".into()),
            default_employment_type: None,
        }
    }

    fn mt() -> EmployeeRules {
        EmployeeRules {
            employment_type_clause: None,
            default_employment_type: Some("FULL_TIME".into()),
        }
    }

    fn minimal() -> Value {
        json!({
            "schemas": [CORE_USER, DOC_USER],
            "userName": "BJensen",
            "emails": [{ "value": "bjensen@example.org", "type": "work", "primary": true }],
            DOC_USER: { "employmentType": "part-time" },
        })
    }

    #[test]
    fn a_minimal_create_defaults_to_active() {
        let hr = parse(&minimal(), Mode::Create, None, &il()).unwrap();
        assert!(hr.active);
        assert_eq!(hr.employment_type, EmploymentType::PartTime);
        assert_eq!(hr.user_name, "BJensen");
    }

    #[test]
    fn names_match_without_case_and_strings_count_as_booleans() {
        let doc = json!({
            "SCHEMAS": [CORE_USER.to_uppercase()],
            "USERNAME": "x",
            "Active": "False",
            "EMAILS": { "VALUE": "x@example.org" },
            DOC_USER: { "EMPLOYMENTTYPE": "Contractual" },
        });
        let hr = parse(&doc, Mode::Create, None, &il()).unwrap();
        assert!(!hr.active);
        assert_eq!(hr.emails[0].value, "x@example.org");
        assert_eq!(hr.employment_type, EmploymentType::Contractual);
    }

    #[test]
    fn missing_or_wrong_parts_are_refused() {
        let mut doc = minimal();
        doc["schemas"] = json!([]);
        assert_eq!(
            parse(&doc, Mode::Create, None, &il()).unwrap_err().scim_type,
            Some("invalidSyntax")
        );
        for (key, value) in [
            ("userName", Value::Null),
            ("userName", json!(5)),
            ("emails", json!([])),
            ("active", json!("maybe")),
            (DOC_USER, json!({ "employmentType": "SEASONAL" })),
            (DOC_USER, Value::Null),
        ] {
            let mut doc = minimal();
            doc[key] = value;
            let e = parse(&doc, Mode::Create, None, &il()).unwrap_err();
            assert_eq!(e.scim_type, Some("invalidValue"), "{key}");
        }
    }

    #[test]
    fn replace_keeps_what_it_does_not_assert_and_patched_needs_everything() {
        let mut current = parse(&minimal(), Mode::Create, None, &il()).unwrap();
        current.active = false;
        let mut doc = minimal();
        doc.as_object_mut().unwrap().remove(DOC_USER);
        let hr = parse(&doc, Mode::Replace, Some(&current), &il()).unwrap();
        assert!(!hr.active);
        assert_eq!(hr.employment_type, EmploymentType::PartTime);
        assert!(parse(&doc, Mode::Patched, Some(&current), &il()).is_err());
    }

    #[test]
    fn the_core_user_type_sets_the_employment_type() {
        for (raw, expected) in [
            ("Employee", EmploymentType::FullTime),
            ("Part-time", EmploymentType::PartTime),
            ("Contractor", EmploymentType::Contractual),
            ("Intern", EmploymentType::Temporary),
            ("TEMPORARY", EmploymentType::Temporary),
        ] {
            let mut doc = minimal();
            doc.as_object_mut().unwrap().remove(DOC_USER);
            doc["userType"] = json!(raw);
            assert_eq!(
                parse(&doc, Mode::Create, None, &il()).unwrap().employment_type,
                expected,
                "{raw}"
            );
        }
        let mut doc = minimal();
        doc["userType"] = json!("Contractor");
        let hr = parse(&doc, Mode::Create, None, &il()).unwrap();
        assert_eq!(hr.employment_type, EmploymentType::PartTime, "the extension wins");
        doc.as_object_mut().unwrap().remove(DOC_USER);
        doc["userType"] = json!("Wizard");
        assert!(parse(&doc, Mode::Create, None, &il()).is_err());
    }

    #[test]
    fn without_a_type_the_department_default_applies_or_its_own_clause_is_cited() {
        let mut doc = minimal();
        doc.as_object_mut().unwrap().remove(DOC_USER);
        let hr = parse(&doc, Mode::Create, None, &mt()).unwrap();
        assert_eq!(hr.employment_type, EmploymentType::FullTime);
        let e = parse(&doc, Mode::Create, None, &il()).unwrap_err();
        assert!(e.detail.contains("(IL 01.02.400 II.E)"), "{}", e.detail);
        let none = EmployeeRules::default();
        let e = parse(&doc, Mode::Create, None, &none).unwrap_err();
        assert!(
            !e.detail.contains("IL 01.02.400"),
            "no other department's clause: {}",
            e.detail
        );
    }
}
