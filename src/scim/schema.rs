//! The User schemas this server serves (RFC 7643 §4.1, §4.3, and this project's extension):
//! one table of attribute definitions drives the `/Schemas` documents, filter case rules and
//! PATCH path checks, so what is published is what is enforced.
//!
//! Differences from the RFC's core schema, published as such: `emails` is required (the
//! primary address is the sign-in address) and `active` is required (it is employment status;
//! a create without it means active); `roles` is read-only (a director assigns roles). Only the
//! attributes below are kept; others are ignored.

use serde_json::{Value, json};

use super::filter::{self, AttrPath};

/// The core User schema.
pub const CORE_USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// The enterprise User extension.
pub const ENTERPRISE_USER: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/// This project's extension: employment type (IL 01.02.400 II.E).
pub const DOC_USER: &str = "urn:policy-admin:scim:schemas:extension:doc:2.0:User";

/// Value type of an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Text.
    String,
    /// `true` or `false`.
    Boolean,
    /// An object of sub-attributes.
    Complex,
}

/// Who may change an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mutability {
    /// Only the server.
    ReadOnly,
    /// Clients.
    ReadWrite,
}

/// One attribute definition.
#[derive(Clone, Copy, Debug)]
pub struct Attr {
    /// Canonical name.
    pub name: &'static str,
    /// Value type.
    pub kind: Kind,
    /// Multi-valued.
    pub multi: bool,
    /// Must be present.
    pub required: bool,
    /// Compared with case.
    pub case_exact: bool,
    /// Who may change it.
    pub mutability: Mutability,
    /// `none`, `server` or `global`.
    pub uniqueness: &'static str,
    /// Suggested values.
    pub canonical: &'static [&'static str],
    /// Sub-attributes of a complex attribute.
    pub sub: &'static [Attr],
    /// For people.
    pub description: &'static str,
}

const fn text(name: &'static str, description: &'static str) -> Attr {
    Attr {
        name,
        kind: Kind::String,
        multi: false,
        required: false,
        case_exact: false,
        mutability: Mutability::ReadWrite,
        uniqueness: "none",
        canonical: &[],
        sub: &[],
        description,
    }
}

const fn boolean(name: &'static str, description: &'static str) -> Attr {
    Attr {
        kind: Kind::Boolean,
        ..text(name, description)
    }
}

const fn complex(name: &'static str, sub: &'static [Attr], description: &'static str) -> Attr {
    Attr {
        kind: Kind::Complex,
        sub,
        ..text(name, description)
    }
}

impl Attr {
    const fn required(self) -> Self {
        Self {
            required: true,
            ..self
        }
    }

    const fn multi(self) -> Self {
        Self { multi: true, ..self }
    }

    const fn read_only(self) -> Self {
        Self {
            mutability: Mutability::ReadOnly,
            ..self
        }
    }

    const fn canonical(self, canonical: &'static [&'static str]) -> Self {
        Self { canonical, ..self }
    }

    /// A sub-attribute by name, without regard to case.
    pub fn sub_attr(&self, name: &str) -> Option<&'static Attr> {
        self.sub.iter().find(|a| a.name.eq_ignore_ascii_case(name))
    }
}

const NAME_PARTS: &[Attr] = &[
    text("formatted", "The full name, formatted for display."),
    text("familyName", "Family name."),
    text("givenName", "Given name."),
];

const EMAIL_PARTS: &[Attr] = &[
    text("value", "The address.").required(),
    text("type", "work, home or other.").canonical(&["work", "home", "other"]),
    boolean("primary", "The sign-in address (at most one)."),
];

const CORE_ATTRS: &[Attr] = &[
    Attr {
        uniqueness: "server",
        ..text("userName", "Unique identifier from HR; compared without case.").required()
    },
    complex("name", NAME_PARTS, "The employee's name."),
    text("displayName", "The name shown to people."),
    boolean(
        "active",
        "Employed. false separates the employee: posting authorizations, delegations and sessions \
         are revoked.",
    )
    .required(),
    complex(
        "emails",
        EMAIL_PARTS,
        "E-mail addresses; the primary one (else the first) is the sign-in address.",
    )
    .multi()
    .required(),
    complex(
        "roles",
        ROLE_PARTS,
        "The employee's role (DIRECTOR, PIO or STAFF). Read-only: a director assigns roles, never HR.",
    )
    .multi()
    .read_only(),
];

const ROLE_PARTS: &[Attr] = &[
    text("value", "DIRECTOR, PIO or STAFF.")
        .read_only()
        .canonical(&["DIRECTOR", "PIO", "STAFF"]),
    boolean("primary", "Always true: an employee has one role.").read_only(),
];

const ENTERPRISE_ATTRS: &[Attr] = &[
    text("employeeNumber", "Number assigned by HR."),
    text(
        "department",
        "Organisational unit inside the department (the department itself is the token's).",
    ),
];

const DOC_ATTRS: &[Attr] = &[text("employmentType", "Employment type (IL 01.02.400 II.E).")
    .required()
    .canonical(&[
        "FULL_TIME",
        "PART_TIME",
        "CONDITIONAL",
        "TEMPORARY",
        "CONTRACTUAL",
    ])];

/// A published schema.
#[derive(Debug)]
pub struct SchemaDef {
    /// URN.
    pub id: &'static str,
    /// Short name.
    pub name: &'static str,
    /// For people.
    pub description: &'static str,
    /// Attributes.
    pub attrs: &'static [Attr],
}

/// Every schema served, core first.
pub const SCHEMAS: &[SchemaDef] = &[
    SchemaDef {
        id: CORE_USER,
        name: "User",
        description: "An employee of the department.",
        attrs: CORE_ATTRS,
    },
    SchemaDef {
        id: ENTERPRISE_USER,
        name: "EnterpriseUser",
        description: "Enterprise user extension (employee number and organisational unit).",
        attrs: ENTERPRISE_ATTRS,
    },
    SchemaDef {
        id: DOC_USER,
        name: "CorrectionsUser",
        description: "Employment type of a Department of Corrections employee.",
        attrs: DOC_ATTRS,
    },
];

/// A schema by URN, without regard to case.
pub fn schema(urn: &str) -> Option<&'static SchemaDef> {
    SCHEMAS.iter().find(|s| s.id.eq_ignore_ascii_case(urn))
}

/// Where a path points: an attribute of a schema, or a whole extension.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    /// A common attribute kept outside the schemas (`externalId`).
    ExternalId,
    /// Attributes the server owns (`id`, `meta`, `schemas`).
    ServerOwned,
    /// An attribute of a schema.
    Attribute(&'static SchemaDef, &'static Attr),
    /// A whole extension object.
    Extension(&'static SchemaDef),
}

/// Resolves the attribute part of a path (its sub-attribute is the caller's to check).
pub fn resolve(path: &AttrPath) -> Option<Target> {
    let schema_def = match &path.urn {
        Some(urn) => schema(urn)?,
        None => {
            if let Some(ext) = schema(&path.attr).filter(|s| s.id != CORE_USER) {
                return Some(Target::Extension(ext));
            }
            if path.attr.eq_ignore_ascii_case("externalId") {
                return Some(Target::ExternalId);
            }
            if ["id", "meta", "schemas"]
                .iter()
                .any(|n| path.attr.eq_ignore_ascii_case(n))
            {
                return Some(Target::ServerOwned);
            }
            &SCHEMAS[0]
        }
    };
    schema_def
        .attrs
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(&path.attr))
        .map(|a| Target::Attribute(schema_def, a))
}

/// Case rules for filters: `id` and `externalId` compare with case, the rest as defined above.
pub struct UserCaseRules;

impl filter::Schema for UserCaseRules {
    fn case_exact(&self, path: &AttrPath) -> bool {
        match resolve(path) {
            Some(Target::ExternalId) => true,
            Some(Target::ServerOwned) => path.attr.eq_ignore_ascii_case("id"),
            Some(Target::Attribute(_, a)) => match &path.sub_attr {
                Some(sub) => a.sub_attr(sub).is_some_and(|s| s.case_exact),
                None => a.case_exact,
            },
            _ => false,
        }
    }
}

fn attr_json(a: &Attr) -> Value {
    let kind = match a.kind {
        Kind::String => "string",
        Kind::Boolean => "boolean",
        Kind::Complex => "complex",
    };
    let mut v = json!({
        "name": a.name,
        "type": kind,
        "multiValued": a.multi,
        "description": a.description,
        "required": a.required,
        "mutability": match a.mutability {
            Mutability::ReadOnly => "readOnly",
            Mutability::ReadWrite => "readWrite",
        },
        "returned": "default",
    });
    if a.kind == Kind::String {
        v["caseExact"] = json!(a.case_exact);
        v["uniqueness"] = json!(a.uniqueness);
    }
    if !a.canonical.is_empty() {
        v["canonicalValues"] = json!(a.canonical);
    }
    if a.kind == Kind::Complex {
        v["subAttributes"] = Value::Array(a.sub.iter().map(attr_json).collect());
    }
    v
}

/// The `/Schemas/{id}` document of a schema.
pub fn schema_json(s: &SchemaDef, base: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": s.id,
        "name": s.name,
        "description": s.description,
        "attributes": s.attrs.iter().map(attr_json).collect::<Vec<_>>(),
        "meta": { "resourceType": "Schema", "location": format!("{base}/Schemas/{}", s.id) },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scim::filter::Schema as _;

    fn path(urn: Option<&str>, attr: &str, sub: Option<&str>) -> AttrPath {
        AttrPath {
            urn: urn.map(str::to_owned),
            attr: attr.to_owned(),
            sub_attr: sub.map(str::to_owned),
        }
    }

    #[test]
    fn paths_resolve_to_the_published_attributes() {
        assert!(matches!(
            resolve(&path(None, "USERNAME", None)),
            Some(Target::Attribute(_, a)) if a.name == "userName"
        ));
        assert!(matches!(
            resolve(&path(Some(ENTERPRISE_USER), "employeeNumber", None)),
            Some(Target::Attribute(s, _)) if s.id == ENTERPRISE_USER
        ));
        assert!(matches!(
            resolve(&path(None, DOC_USER, None)),
            Some(Target::Extension(s)) if s.id == DOC_USER
        ));
        assert!(matches!(
            resolve(&path(None, "meta", None)),
            Some(Target::ServerOwned)
        ));
        assert!(resolve(&path(None, "nickName", None)).is_none());
        assert!(resolve(&path(Some("urn:x:y"), "a", None)).is_none());
    }

    #[test]
    fn case_rules_follow_the_schema() {
        assert!(UserCaseRules.case_exact(&path(None, "externalId", None)));
        assert!(UserCaseRules.case_exact(&path(None, "id", None)));
        assert!(!UserCaseRules.case_exact(&path(None, "userName", None)));
        assert!(!UserCaseRules.case_exact(&path(None, "emails", Some("value"))));
    }

    #[test]
    fn schema_documents_list_every_attribute() {
        let doc = schema_json(&SCHEMAS[0], "https://x/scim/v2");
        let names: Vec<_> = doc["attributes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            names,
            ["userName", "name", "displayName", "active", "emails", "roles"]
        );
        assert_eq!(
            doc["attributes"][4]["subAttributes"][1]["canonicalValues"][0],
            "work"
        );
    }
}
