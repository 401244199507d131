//! The reference admin console, served from the binary at `/console`: no CDN, works offline.
//!
//! The console is plain ES modules under `src/console/` (Preact and htm vendored, provenance and
//! hashes in `src/console/vendor/README.md`) that speak only the public GraphQL API, over
//! `/graphql` and `/graphql/ws`. It is served whether or not introspection is on: it needs none.
//! Every response carries a Content-Security-Policy that allows scripts, styles and
//! connections only from the server itself, and no inline script or style at all.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};

use super::responses::error;

/// What the console may load and where it may connect: only this server, nothing inline.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

/// An embedded file of `src/console/`.
macro_rules! asset {
    ($name:literal, $content_type:expr) => {
        Asset {
            name: $name,
            content_type: $content_type,
            bytes: include_bytes!(concat!("../console/", $name)),
        }
    };
}

const ASSETS: &[Asset] = &[
    asset!("index.html", HTML),
    asset!("app.css", CSS),
    asset!("main.js", JS),
    asset!("api.js", JS),
    asset!("socket.js", JS),
    asset!("html.js", JS),
    asset!("ui.js", JS),
    asset!("clauses.js", JS),
    asset!("highlight.js", JS),
    asset!("signin.js", JS),
    asset!("shell.js", JS),
    asset!("screens.js", JS),
    asset!("queue.js", JS),
    asset!("decide.js", JS),
    asset!("records.js", JS),
    asset!("holds.js", JS),
    asset!("approvals.js", JS),
    asset!("compose.js", JS),
    asset!("platforms.js", JS),
    asset!("authorizations.js", JS),
    asset!("people.js", JS),
    asset!("vendor/preact.module.js", JS),
    asset!("vendor/hooks.module.js", JS),
    asset!("vendor/htm.module.js", JS),
    asset!("vendor/LICENSE-preact", TEXT),
    asset!("vendor/LICENSE-htm", TEXT),
    asset!("vendor/README.md", TEXT),
];

/// `GET /console`: the page.
pub async fn page() -> HttpResponse {
    serve("index.html")
}

/// `GET /console/{file}`: one of the embedded files (`/console/` is the page).
pub async fn asset(name: web::Path<String>) -> HttpResponse {
    match name.as_str() {
        "" => serve("index.html"),
        other => serve(other),
    }
}

/// The embedded file `name`, revalidated on every load (the files change with the binary and
/// their names carry no hash); `nosniff` and `no-referrer` come from the app's default headers.
fn serve(name: &str) -> HttpResponse {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => HttpResponse::Ok()
            .content_type(a.content_type)
            .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
            .insert_header((header::X_FRAME_OPTIONS, "DENY"))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(a.bytes),
        None => error(StatusCode::NOT_FOUND, "NOT_FOUND", "no such console file"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(a: &Asset) -> &str {
        std::str::from_utf8(a.bytes).unwrap_or_default()
    }

    /// Every `import … from "./x.js"` and every `/console/…` reference names an embedded
    /// file, so the page never asks for something the binary lacks.
    #[test]
    fn every_file_the_console_loads_is_embedded() {
        for a in ASSETS.iter().filter(|a| a.content_type == JS) {
            let dir = a.name.rsplit_once('/').map_or("", |(d, _)| d);
            for spec in text(a).split(['"', '\'']).filter(|s| s.starts_with("./")) {
                if !spec.ends_with(".js") {
                    continue;
                }
                let joined = if dir.is_empty() {
                    spec[2..].to_owned()
                } else {
                    format!("{dir}/{}", &spec[2..])
                };
                assert!(
                    ASSETS.iter().any(|x| x.name == joined),
                    "{} imports {spec}, which is not embedded",
                    a.name
                );
            }
        }
        let page = ASSETS.iter().find(|a| a.name == "index.html").map(text);
        for src in page
            .unwrap_or_default()
            .split('"')
            .filter(|s| s.starts_with("/console/"))
        {
            let name = &src["/console/".len()..];
            assert!(ASSETS.iter().any(|a| a.name == name), "{name} is not embedded");
        }
    }

    /// The console's own code reaches nothing but its server, and the page has no inline
    /// script or style for the policy to refuse.
    #[test]
    fn the_console_reaches_only_its_server_and_has_nothing_inline() {
        for a in ASSETS.iter().filter(|a| !a.name.starts_with("vendor/")) {
            let t = text(a);
            assert!(
                !t.contains("http://") && !t.contains("https://"),
                "{} names an outside address",
                a.name
            );
            assert!(!t.contains("style=\""), "{} has an inline style", a.name);
        }
        let page = ASSETS.iter().find(|a| a.name == "index.html").map(text);
        let page = page.unwrap_or_default();
        assert!(!page.contains("<script>") && !page.contains("<style"), "{page}");
    }
}
