//! `/Users`: list and filter, search, create, read, replace, patch and delete employees of
//! the integration token's department (RFC 7644 §3.3–3.6).

use std::collections::HashMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use entity::user;
use serde_json::{Map, Value, json};

use super::error::{ScimError, ScimResult};
use super::filter::{self, CompareOp, Filter, Literal};
use super::patch;
use super::projection::Projection;
use super::request::{base_url, integration, json_body, meta, respond};
use super::schema::UserCaseRules;
use super::user_doc::{self, Mode, get_ci};
use crate::auth::integration::Integration;
use crate::policy::profile::EmployeeRules;
use crate::service::provisioning::{self, HrRecord, Narrowing, Updated};
use crate::state::AppState;

/// Most resources in one list response.
pub const MAX_RESULTS: u64 = 200;
const LIST_RESPONSE: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const SEARCH_REQUEST: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// A list or search request.
struct ListRequest {
    filter: Option<Filter>,
    start_index: u64,
    count: u64,
    projection: Projection,
}

fn number(raw: Option<&str>, name: &str) -> ScimResult<Option<i64>> {
    raw.map(|r| {
        r.trim()
            .parse::<i64>()
            .map_err(|_| ScimError::invalid_value(format!("{name} must be an integer")))
    })
    .transpose()
}

impl ListRequest {
    fn new(
        filter: Option<&str>,
        start_index: Option<i64>,
        count: Option<i64>,
        attributes: Option<&str>,
        excluded: Option<&str>,
    ) -> ScimResult<Self> {
        Ok(Self {
            filter: filter
                .filter(|f| !f.trim().is_empty())
                .map(filter::parse_filter)
                .transpose()?,
            // RFC 7644 §3.4.2.4: below 1 means 1; a negative count means 0.
            start_index: start_index.unwrap_or(1).max(1).unsigned_abs(),
            count: count
                .unwrap_or(MAX_RESULTS as i64)
                .clamp(0, MAX_RESULTS as i64)
                .unsigned_abs(),
            projection: Projection::parse(attributes, excluded)?,
        })
    }
}

fn render(u: &user::Model, base: &str) -> ScimResult<Value> {
    Ok(user_doc::render(u, &HrRecord::of(u)?, base))
}

/// What SQL can narrow from a filter's top-level `and` terms.
fn narrowing(f: &Filter, n: &mut Narrowing) {
    match f {
        Filter::And(a, b) => {
            narrowing(a, n);
            narrowing(b, n);
        }
        Filter::Compare {
            path,
            op,
            value: Literal::Str(v),
        } if path.urn.is_none() => {
            let attr = path.attr.to_ascii_lowercase();
            let sub = path.sub_attr.as_deref().map(str::to_ascii_lowercase);
            match (attr.as_str(), sub.as_deref(), op) {
                ("username", None, CompareOp::Eq) => n.user_name = Some(v.clone()),
                ("externalid", None, CompareOp::Eq) => n.external_id = Some(v.clone()),
                // An id that is not ours matches nothing.
                ("id", None, CompareOp::Eq) => n.id = Some(user_doc::user_id(v).unwrap_or(-1)),
                (
                    "emails",
                    None | Some("value"),
                    CompareOp::Eq | CompareOp::Co | CompareOp::Sw | CompareOp::Ew,
                ) => {
                    n.email_contains = Some(v.clone());
                }
                _ => {}
            }
        }
        _ => {}
    }
}

async fn run_list(state: &AppState, i: &Integration, base: &str, q: ListRequest) -> ScimResult<HttpResponse> {
    let offset = q.start_index - 1;
    let (total, page) = match &q.filter {
        None => {
            let (total, rows) = provisioning::page(&state.db, i, offset, q.count).await?;
            let docs = rows
                .iter()
                .map(|u| render(u, base))
                .collect::<ScimResult<Vec<_>>>()?;
            (total, docs)
        }
        Some(f) => {
            let mut n = Narrowing::default();
            narrowing(f, &mut n);
            let mut matched = Vec::new();
            for u in provisioning::candidates(&state.db, i, &n).await? {
                let doc = render(&u, base)?;
                if filter::matches(f, &doc, &UserCaseRules) {
                    matched.push(doc);
                }
            }
            let total = matched.len() as u64;
            let page = matched
                .into_iter()
                .skip(usize::try_from(offset).unwrap_or(usize::MAX))
                .take(usize::try_from(q.count).unwrap_or(usize::MAX))
                .collect();
            (total, page)
        }
    };
    let resources: Vec<Value> = page.into_iter().map(|d| q.projection.apply(d)).collect();
    Ok(respond(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_RESPONSE],
            "totalResults": total,
            "itemsPerPage": resources.len(),
            "startIndex": q.start_index,
            "Resources": resources,
        }),
    ))
}

/// `GET /Users?filter=…&startIndex=…&count=…&attributes=…&excludedAttributes=…`.
pub async fn list(
    req: HttpRequest,
    params: web::Query<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> ScimResult<HttpResponse> {
    let i = integration(&req, &state).await?;
    let p = |k: &str| params.get(k).map(String::as_str);
    let q = ListRequest::new(
        p("filter"),
        number(p("startIndex"), "startIndex")?,
        number(p("count"), "count")?,
        p("attributes"),
        p("excludedAttributes"),
    )?;
    run_list(&state, &i, &base_url(&req), q).await
}

fn joined(v: Option<&Value>, name: &str) -> ScimResult<Option<String>> {
    match v {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Array(items)) => items
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| ScimError::invalid_value(format!("{name} must list strings")))
            })
            .collect::<ScimResult<Vec<_>>>()
            .map(|v| Some(v.join(","))),
        Some(_) => Err(ScimError::invalid_value(format!(
            "{name} must be a list of strings"
        ))),
    }
}

/// `POST /Users/.search` with a SearchRequest body.
pub async fn search(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> ScimResult<HttpResponse> {
    let i = integration(&req, &state).await?;
    let body = json_body(&req, payload).await?;
    let Value::Object(obj) = &body else {
        return Err(ScimError::invalid_syntax(
            "the body must be a SearchRequest object",
        ));
    };
    user_doc::require_schema(obj, SEARCH_REQUEST)?;
    let int = |k: &str| match get_ci(obj, k) {
        None => Ok(None),
        Some(v) => v
            .as_i64()
            .map(Some)
            .ok_or_else(|| ScimError::invalid_value(format!("{k} must be an integer"))),
    };
    let filter = match get_ci(obj, "filter") {
        None => None,
        Some(Value::String(f)) => Some(f.as_str()),
        Some(_) => return Err(ScimError::bad("invalidFilter", "filter must be a string")),
    };
    let q = ListRequest::new(
        filter,
        int("startIndex")?,
        int("count")?,
        joined(get_ci(obj, "attributes"), "attributes")?.as_deref(),
        joined(get_ci(obj, "excludedAttributes"), "excludedAttributes")?.as_deref(),
    )?;
    run_list(&state, &i, &base_url(&req), q).await
}

fn id_of(raw: &str) -> ScimResult<i64> {
    user_doc::user_id(raw).ok_or_else(|| ScimError::not_found(format!("no user {raw}")))
}

fn one(
    u: &user::Model,
    req: &HttpRequest,
    status: StatusCode,
    projection: &Projection,
) -> ScimResult<HttpResponse> {
    let doc = projection.apply(render(u, &base_url(req))?);
    let location = doc["meta"]["location"].as_str().map(str::to_owned);
    let mut r = respond(status, &doc);
    if let Some(loc) = location.and_then(|l| header::HeaderValue::from_str(&l).ok()) {
        r.headers_mut().insert(header::LOCATION, loc);
    }
    Ok(r)
}

fn projection(params: &HashMap<String, String>) -> ScimResult<Projection> {
    Projection::parse(
        params.get("attributes").map(String::as_str),
        params.get("excludedAttributes").map(String::as_str),
    )
}

/// The employment rules of the integration's department (none when it has no profile).
fn employee_rules<'a>(state: &'a AppState, i: &Integration) -> &'a EmployeeRules {
    static NONE: EmployeeRules = EmployeeRules {
        employment_type_clause: None,
        default_employment_type: None,
    };
    state
        .profiles
        .get(&i.department_code)
        .map_or(&NONE, |p| &p.employees)
}

/// `POST /Users`.
pub async fn create(
    req: HttpRequest,
    params: web::Query<HashMap<String, String>>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> ScimResult<HttpResponse> {
    let i = integration(&req, &state).await?;
    let body = json_body(&req, payload).await?;
    let hr = user_doc::parse(&body, Mode::Create, None, employee_rules(&state, &i))?;
    let u = provisioning::create(&state.db, &i, hr, &meta(&req)).await?;
    one(&u, &req, StatusCode::CREATED, &projection(&params)?)
}

/// `GET /Users/{id}`.
pub async fn get(
    req: HttpRequest,
    id: web::Path<String>,
    params: web::Query<HashMap<String, String>>,
    state: web::Data<AppState>,
) -> ScimResult<HttpResponse> {
    let i = integration(&req, &state).await?;
    let u = provisioning::find(&state.db, &i, id_of(&id)?).await?;
    one(&u, &req, StatusCode::OK, &projection(&params)?)
}

/// `PUT /Users/{id}`: replaces what HR records.
pub async fn replace(
    req: HttpRequest,
    id: web::Path<String>,
    params: web::Query<HashMap<String, String>>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> ScimResult<HttpResponse> {
    let i = integration(&req, &state).await?;
    let body = json_body(&req, payload).await?;
    rewrite(&req, &state, &i, &id, &params, |current| {
        user_doc::parse(
            &body,
            Mode::Replace,
            Some(&HrRecord::of(current)?),
            employee_rules(&state, &i),
        )
    })
    .await
}

/// `PATCH /Users/{id}`: the operations apply to the current document, which must still read
/// as a User afterwards; all or nothing.
pub async fn modify(
    req: HttpRequest,
    id: web::Path<String>,
    params: web::Query<HashMap<String, String>>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> ScimResult<HttpResponse> {
    let i = integration(&req, &state).await?;
    let body = json_body(&req, payload).await?;
    let base = base_url(&req);
    rewrite(&req, &state, &i, &id, &params, |current| {
        let before = HrRecord::of(current)?;
        let mut doc = match user_doc::render(current, &before, &base) {
            Value::Object(doc) => doc,
            _ => Map::new(),
        };
        patch::apply(&mut doc, &body)?;
        user_doc::parse(
            &Value::Object(doc),
            Mode::Patched,
            Some(&before),
            employee_rules(&state, &i),
        )
    })
    .await
}

/// Tries of a read-modify-write that lost a race before giving up.
const ATTEMPTS: usize = 3;

/// Reads the employee, derives the new record from it, and stores it unless the row changed
/// in between (then reads again, a few times).
async fn rewrite(
    req: &HttpRequest,
    state: &AppState,
    i: &Integration,
    raw_id: &str,
    params: &HashMap<String, String>,
    derive: impl Fn(&user::Model) -> ScimResult<HrRecord>,
) -> ScimResult<HttpResponse> {
    let id = id_of(raw_id)?;
    let projection = projection(params)?;
    for _ in 0..ATTEMPTS {
        let current = provisioning::find(&state.db, i, id).await?;
        let hr = derive(&current)?;
        let based_on = Some(current.updated_at);
        if let Updated::Done(u) =
            provisioning::update(&state.db, &state.sessions, i, id, hr, based_on, &meta(req)).await?
        {
            return one(&u, req, StatusCode::OK, &projection);
        }
    }
    Err(ScimError::status(
        StatusCode::CONFLICT,
        "the user kept changing while this request was applied; retry",
    ))
}

/// `DELETE /Users/{id}`: the employee is separated and leaves SCIM; the record stays.
pub async fn delete(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> ScimResult<HttpResponse> {
    let i = integration(&req, &state).await?;
    provisioning::deprovision(&state.db, &state.sessions, &i, id_of(&id)?, &meta(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}
