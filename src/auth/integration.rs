//! Integrations: systems that call the API with a department- and scope-limited bearer token
//! instead of a person's access token.

/// Prefix of every integration token, so it is told apart from a JWT at a glance.
pub const TOKEN_PREFIX: &str = "pat_";

/// What a token may be used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TokenScope {
    /// HR provisioning (SCIM).
    Scim,
    /// Platform connectors: ingest comments, file appeals, read the moderation log.
    Ingest,
}

impl TokenScope {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scim => "SCIM",
            Self::Ingest => "INGEST",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Scim, Self::Ingest].into_iter().find(|x| x.as_str() == s)
    }
}

/// An authenticated integration.
#[derive(Clone, Debug)]
pub struct Integration {
    /// Token id.
    pub token_id: i64,
    /// Its name.
    pub name: String,
    /// Department it acts for.
    pub department_id: i64,
    /// That department's code.
    pub department_code: String,
    /// What it may do.
    pub scope: TokenScope,
}
