//! GraphiQL, served from the binary: no CDN, works offline and air-gapped.
//!
//! The page (`GET /graphql` from a browser, when introspection is on) loads pinned copies of
//! GraphiQL 3.8.3, React 18.3.1 and ReactDOM 18.3.1 from `/graphiql/` (provenance and hashes in
//! `assets/README.md`), under a Content-Security-Policy that allows scripts, styles and
//! connections only from the server itself. Subscriptions go over `/graphql/ws`.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::responses::error;
use crate::state::AppState;

/// What the page may load and where it may connect: only this server. GraphiQL sets styles
/// inline and embeds its fonts and icons as `data:` URLs.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; \
     connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

/// An embedded file of `assets/`.
macro_rules! asset {
    ($name:literal, $content_type:expr) => {
        Asset {
            name: $name,
            content_type: $content_type,
            bytes: include_bytes!(concat!("assets/", $name)),
        }
    };
}

const ASSETS: &[Asset] = &[
    asset!("graphiql.min.js", JS),
    asset!("graphiql.min.css", CSS),
    asset!("react.production.min.js", JS),
    asset!("react-dom.production.min.js", JS),
    asset!("init.js", JS),
    asset!("page.css", CSS),
    asset!("LICENSE-graphiql", TEXT),
    asset!("LICENSE-react", TEXT),
];

const PAGE: &str = include_str!("assets/index.html");

/// The GraphiQL page.
pub fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .insert_header(("X-Frame-Options", "DENY"))
        .body(PAGE)
}

/// `GET /graphiql/{file}`: one of the embedded files, cacheable for a day (they change only
/// with the binary); like the page, only when introspection is on.
pub async fn asset(name: web::Path<String>, state: web::Data<AppState>) -> HttpResponse {
    let found = ASSETS.iter().find(|a| a.name == name.as_str());
    match found.filter(|_| state.config.introspection) {
        Some(a) => HttpResponse::Ok()
            .content_type(a.content_type)
            .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
            .body(a.bytes),
        None => error(
            actix_web::http::StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "no such GraphiQL file",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_the_page_loads_is_embedded() {
        for src in PAGE.split(['"', '\'']).filter(|s| s.starts_with("/graphiql/")) {
            let name = &src["/graphiql/".len()..];
            assert!(ASSETS.iter().any(|a| a.name == name), "{name} is not embedded");
        }
        assert!(
            !PAGE.contains("http://") && !PAGE.contains("https://"),
            "no outside address"
        );
    }
}
