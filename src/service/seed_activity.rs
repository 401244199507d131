//! Demo activity: what a department looks like after a few days of use, so that `serve --demo`
//! gives the console something to work on. Per department: one approved platform with public
//! comments waiting in the moderation queue (screened by the running engine, as ingestion
//! screens them), and a second platform still waiting for its approvals.
//!
//! Everything goes through the same service functions the API calls, with the demo users as
//! actors, so the audit log records it like any other work. A department that already has a
//! platform is left alone: seeding twice changes nothing.

use chrono::{Duration, Utc};
use entity::platform;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::auth::{Principal, Role};
use crate::error::{AppError, AppResult};
use crate::records::audit::RequestMeta;
use crate::service::platform_rules::{Declared, Network};
use crate::service::{comments, departments, platforms, seed, users};
use crate::state::AppState;

/// The demo comments of a department: (commenter, text). Clean ones, and ones that trip the
/// SSN, threat, profanity, insult and advertising rules.
const COMMENTS: [(&str, &str); 8] = [
    (
        "marta.k",
        "What are the visiting hours on Saturdays? We drive three hours and want to get it right.",
    ),
    (
        "j_benally",
        "My brother's SSN is 523-41-7788, please use it to find his property form.",
    ),
    (
        "night_owl_77",
        "That officer on the gate had better watch his back. We know what he drives.",
    ),
    ("dee.walters", "This new mail policy is f***ing ridiculous."),
    (
        "Rob_H",
        "Whoever runs this page is a useless clown who cannot answer a simple question.",
    ),
    (
        "bestbailbonds",
        "Need bail fast? Call Ace Bail Bonds today, 20% off with code FREEDOM!",
    ),
    (
        "grandma_liz",
        "Thank you to the staff who helped me with the video visit sign-up. Very kind.",
    ),
    (
        "t.okafor",
        "How do I put money on my son's commissary account from out of state?",
    ),
];

/// What the activity seed did.
#[derive(Debug, Default)]
pub struct ActivityReport {
    /// Platforms created.
    pub platforms: usize,
    /// Comments ingested.
    pub comments: usize,
}

/// Seeds the demo activity of every demo department that has no platform yet.
pub async fn seed_activity(state: &AppState, meta: &RequestMeta) -> AppResult<ActivityReport> {
    let mut report = ActivityReport::default();
    for code in seed::DEPARTMENTS {
        let Some(dept) = departments::find_by_code(&state.db, code).await? else {
            continue;
        };
        let existing = platform::Entity::find()
            .filter(platform::Column::DepartmentId.eq(dept.id))
            .count(&state.db)
            .await?;
        if existing > 0 {
            continue;
        }
        let director = principal(state, code, Role::Director).await?;
        let pio = principal(state, code, Role::Pio).await?;
        let staff = principal(state, code, Role::Staff).await?;
        let profile = state.profiles.of(code)?;
        let host = profile.screening.website_host.clone();

        let purpose = profile_purpose(state, code)?;
        // Both proposed by staff (any employee may); the first approved by the quorum's seats
        // in turn, the second left waiting.
        let mut live = None;
        for (network, name) in [(Network::Facebook, "Facebook"), (Network::Instagram, "Instagram")] {
            let declared = declared(code, &host, network, name, &purpose);
            let row = platforms::propose(&state.db, &state.profiles, &staff, code, declared, meta).await?;
            report.platforms += 1;
            if live.is_none() {
                let mut status = row.status.clone();
                for approver in [&director, &pio] {
                    if status != "PROPOSED" {
                        break;
                    }
                    status = platforms::approve(&state.db, &state.profiles, approver, row.id, None, meta)
                        .await?
                        .status;
                }
                live = Some(row);
            }
        }
        let Some(live) = live else {
            continue;
        };

        let start = Utc::now() - Duration::hours(COMMENTS.len() as i64 + 1);
        for (i, (handle, body)) in COMMENTS.iter().enumerate() {
            let incoming = comments::Incoming {
                platform_id: live.id,
                external_id: format!("demo-{}", i + 1),
                author_handle: (*handle).to_owned(),
                body: (*body).to_owned(),
                post_id: None,
                received_at: Some(start + Duration::hours(i as i64)),
            };
            let (_, new) = comments::ingest(state, (&pio).into(), incoming, meta).await?;
            report.comments += usize::from(new);
        }
    }
    Ok(report)
}

/// The demo user of `role` in `code`, as a principal (the seed acts outside any session).
async fn principal(state: &AppState, code: &str, role: Role) -> AppResult<Principal> {
    let email = seed::demo_email(code, role);
    let user = users::find_by_email(&state.db, &email)
        .await?
        .ok_or_else(|| AppError::Conflict(format!("demo user {email} is missing")))?;
    Ok(Principal {
        user_id: user.id,
        role,
        department_id: user.department_id,
        department_code: code.to_owned(),
        session_id: "demo-seed".to_owned(),
    })
}

/// The first purpose the department's profile permits.
fn profile_purpose(state: &AppState, code: &str) -> AppResult<String> {
    state
        .profiles
        .of(code)?
        .platforms
        .purposes
        .first()
        .map(|p| p.code.clone())
        .ok_or_else(|| AppError::Conflict(format!("profile {code} declares no platform purpose")))
}

/// A complete declaration, so the compliance checklist is met.
fn declared(code: &str, host: &str, network: Network, name: &str, purpose: &str) -> Declared {
    let slug = code.to_lowercase().replace('-', "");
    Declared {
        network,
        handle: format!("{slug}.official"),
        url: format!("https://www.{}.com/{slug}.official", name.to_lowercase()),
        purposes: vec![purpose.to_owned()],
        purpose_statement: format!(
            "Official {name} account of the {code} for public-safety notices and visiting updates."
        ),
        scope_statement: "Announcements from the department; comments are moderated under the \
                          department's social media directive."
            .to_owned(),
        website_link: format!("https://{host}"),
        maintained_by_statement: format!("Maintained by the {code} Public Information Office."),
        logo_url: format!("https://{host}/logo.png"),
        contact_info: format!("Public Information Office, https://{host}/contact"),
    }
}
