//! Pure platform rules: field validation, the compliance checklist, official-host matching.

use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};
use crate::policy::Profile;
use crate::policy::profile::ChecklistElement;

/// Networks an official platform can be on (IL 01.02.400 II.E examples).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Network {
    /// Facebook.
    Facebook,
    /// Instagram.
    Instagram,
    /// LinkedIn.
    Linkedin,
    /// X (formerly Twitter).
    X,
    /// YouTube.
    Youtube,
    /// Reddit.
    Reddit,
    /// Tumblr.
    Tumblr,
    /// WhatsApp.
    Whatsapp,
    /// Any other network.
    Other,
}

/// Lifecycle of a platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, async_graphql::Enum)]
pub enum PlatformStatus {
    /// Waiting for its quorum.
    Proposed,
    /// Quorum complete, not yet live.
    Approved,
    /// Live.
    Active,
    /// Temporarily off.
    Suspended,
    /// Closed for good.
    Retired,
    /// Refused.
    Rejected,
}

impl PlatformStatus {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "PROPOSED",
            Self::Approved => "APPROVED",
            Self::Active => "ACTIVE",
            Self::Suspended => "SUSPENDED",
            Self::Retired => "RETIRED",
            Self::Rejected => "REJECTED",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Proposed,
            Self::Approved,
            Self::Active,
            Self::Suspended,
            Self::Retired,
            Self::Rejected,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    /// Whether the quorum approved it at some point.
    pub fn was_approved(self) -> bool {
        matches!(
            self,
            Self::Approved | Self::Active | Self::Suspended | Self::Retired
        )
    }
}

/// The declared content of a platform: what a proposal sets and a change request modifies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declared {
    /// Network.
    pub network: Network,
    /// Handle.
    pub handle: String,
    /// Page URL.
    pub url: String,
    /// Purpose codes from the profile.
    pub purposes: Vec<String>,
    /// Purpose statement.
    pub purpose_statement: String,
    /// Scope statement.
    pub scope_statement: String,
    /// Link to the official website.
    pub website_link: String,
    /// Maintained-by statement.
    pub maintained_by_statement: String,
    /// Logo URL.
    pub logo_url: String,
    /// Contact information.
    pub contact_info: String,
}

/// Longest statement accepted.
const MAX_TEXT: usize = 4_000;

impl Declared {
    /// Trims and validates against the department's profile.
    pub fn validate(mut self, profile: &Profile) -> AppResult<Self> {
        let bad = |m: String| Err(AppError::BadUserInput(m));
        self.handle = self.handle.trim().to_owned();
        if self.handle.is_empty()
            || self.handle.chars().count() > 100
            || self.handle.contains(char::is_whitespace)
        {
            return bad("handle must be 1-100 characters without spaces".into());
        }
        self.url = self.url.trim().to_owned();
        if !is_web_url(&self.url) {
            return bad("url must be an http(s) URL".into());
        }
        if self.purposes.is_empty() {
            return bad(format!(
                "declare at least one purpose ({})",
                profile.platforms.purpose_clause
            ));
        }
        let mut seen = Vec::new();
        for code in &self.purposes {
            if !profile.platforms.purposes.iter().any(|p| &p.code == code) {
                let allowed: Vec<&str> = profile
                    .platforms
                    .purposes
                    .iter()
                    .map(|p| p.code.as_str())
                    .collect();
                return bad(format!(
                    "purpose {code} is not permitted ({}); permitted: {}",
                    profile.platforms.purpose_clause,
                    allowed.join(", ")
                ));
            }
            if seen.contains(code) {
                return bad(format!("purpose {code} is declared twice"));
            }
            seen.push(code.clone());
        }
        for (name, v) in [
            ("purposeStatement", &mut self.purpose_statement),
            ("scopeStatement", &mut self.scope_statement),
            ("websiteLink", &mut self.website_link),
            ("maintainedByStatement", &mut self.maintained_by_statement),
            ("logoUrl", &mut self.logo_url),
            ("contactInfo", &mut self.contact_info),
        ] {
            *v = v.trim().to_owned();
            if v.chars().count() > MAX_TEXT {
                return bad(format!("{name} must have at most {MAX_TEXT} characters"));
            }
        }
        Ok(self)
    }
}

fn is_web_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// Whether `link` points at the official host or one of its subdomains; look-alikes such as
/// `cor.mt.gov.evil.com` or `cormt.gov` do not count.
pub fn links_to_official_host(link: &str, official_host: &str) -> bool {
    let Ok(u) = url::Url::parse(link) else {
        return false;
    };
    if !matches!(u.scheme(), "http" | "https") {
        return false;
    }
    let Some(host) = u.host_str().map(|h| h.trim_end_matches('.').to_ascii_lowercase()) else {
        return false;
    };
    host == official_host || host.ends_with(&format!(".{official_host}"))
}

/// One line of the compliance checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChecklistLine {
    /// Element.
    pub element: ChecklistElement,
    /// Whether it is met.
    pub met: bool,
    /// Clause requiring it.
    pub clause: String,
}

/// The checklist of a platform under its department's profile.
pub fn checklist(
    profile: &Profile,
    d: &Declared,
    terms_accepted: bool,
    status: PlatformStatus,
) -> Vec<ChecklistLine> {
    let filled = |s: &str| !s.trim().is_empty();
    profile
        .platforms
        .checklist
        .iter()
        .map(|rule| {
            let met = match rule.element {
                ChecklistElement::PurposeScopeStatement => {
                    filled(&d.purpose_statement) && filled(&d.scope_statement)
                }
                ChecklistElement::WebsiteLink => {
                    links_to_official_host(&d.website_link, &profile.department.website_host)
                }
                ChecklistElement::MaintainedByStatement => filled(&d.maintained_by_statement),
                ChecklistElement::Logo => url::Url::parse(&d.logo_url).is_ok_and(|u| u.scheme() == "https"),
                ChecklistElement::ContactInfo => filled(&d.contact_info),
                ChecklistElement::TermsAccepted => terms_accepted,
                ChecklistElement::QuorumApproval => status.was_approved(),
            };
            ChecklistLine {
                element: rule.element,
                met,
                clause: rule.clause.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_official_host_and_its_subdomains_count() {
        for ok in [
            "https://cor.mt.gov",
            "https://www.cor.mt.gov/news?x=1",
            "http://COR.MT.GOV./a",
        ] {
            assert!(links_to_official_host(ok, "cor.mt.gov"), "{ok}");
        }
        for bad in [
            "https://cor.mt.gov.evil.com",
            "https://cormt.gov",
            "https://evilcor.mt.gov",
            "ftp://cor.mt.gov",
            "cor.mt.gov",
        ] {
            assert!(!links_to_official_host(bad, "cor.mt.gov"), "{bad}");
        }
    }

    fn declared() -> Declared {
        Declared {
            network: Network::Facebook,
            handle: "montanadoc".into(),
            url: "https://facebook.com/montanadoc".into(),
            purposes: vec!["PUBLIC_SAFETY".into()],
            purpose_statement: "Public safety alerts".into(),
            scope_statement: "Statewide".into(),
            website_link: "https://cor.mt.gov".into(),
            maintained_by_statement: "Maintained by the Montana DOC".into(),
            logo_url: "https://cor.mt.gov/logo.png".into(),
            contact_info: "Helena".into(),
        }
    }

    #[test]
    fn purposes_come_from_the_profile() {
        let profiles = crate::policy::Profiles::embedded().unwrap();
        let mt = profiles.get("MT-DOC").unwrap();
        assert!(declared().validate(mt).is_ok());
        let mut d = declared();
        d.purposes = vec!["OUTREACH".into()];
        let err = d.validate(mt).unwrap_err();
        assert!(err.message().contains("MT IV.A.1"), "{}", err.message());
    }

    #[test]
    fn the_checklist_names_each_unmet_element_with_its_clause() {
        let profiles = crate::policy::Profiles::embedded().unwrap();
        let il = profiles.get("IL-DOC").unwrap();
        let mut d = declared();
        d.website_link = "https://idoc.illinois.gov.example.com".into();
        let lines = checklist(il, &d, false, PlatformStatus::Approved);
        let unmet: Vec<_> = lines
            .iter()
            .filter(|l| !l.met)
            .map(|l| (l.element, l.clause.as_str()))
            .collect();
        assert_eq!(
            unmet,
            vec![
                (ChecklistElement::WebsiteLink, "IL 01.02.400 II.G.1.c"),
                (ChecklistElement::TermsAccepted, "IL 01.02.400 II.F.2")
            ]
        );
    }
}
