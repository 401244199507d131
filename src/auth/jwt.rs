//! Access tokens: HS256 JWTs with pinned algorithm, issuer, audience, type and time checks.

use std::time::Duration;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::Role;
use crate::config::Secret;

/// `iss` of every token this server issues.
pub const ISSUER: &str = "policy-admin";
/// `aud` of access tokens for the GraphQL API.
pub const AUDIENCE: &str = "policy-admin-api";
/// `typ` claim of access tokens; anything else is refused.
pub const ACCESS_TYPE: &str = "access";
/// Allowed clock skew between instances, seconds.
const LEEWAY_SECS: u64 = 5;

/// Claims of an access token.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// User id.
    pub sub: String,
    /// Expiry (Unix seconds).
    pub exp: i64,
    /// Issued at.
    pub iat: i64,
    /// Not before.
    pub nbf: i64,
    /// Token id.
    pub jti: String,
    /// Token type, always `access`.
    pub typ: String,
    /// Role at issue time (informational; the role is re-read per request).
    pub role: Role,
    /// Department code at issue time.
    pub dept: String,
    /// Sign-in session (refresh family) the token belongs to.
    pub sid: String,
}

/// Signs and checks access tokens.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

/// A freshly issued access token.
pub struct IssuedToken {
    /// The compact JWT.
    pub token: String,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

impl JwtKeys {
    /// Keys from the configured secret.
    pub fn new(secret: &Secret, ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECS;
        Self {
            encoding: EncodingKey::from_secret(secret.expose().as_bytes()),
            decoding: DecodingKey::from_secret(secret.expose().as_bytes()),
            validation,
            ttl,
        }
    }

    /// Issues an access token for a user.
    pub fn issue(&self, user_id: i64, role: Role, dept: &str, sid: &str) -> anyhow::Result<IssuedToken> {
        let now = Utc::now();
        let expires_at = now + self.ttl;
        let claims = Claims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: user_id.to_string(),
            exp: expires_at.timestamp(),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            jti: uuid::Uuid::new_v4().to_string(),
            typ: ACCESS_TYPE.into(),
            role,
            dept: dept.to_owned(),
            sid: sid.to_owned(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok(IssuedToken { token, expires_at })
    }

    /// Signs arbitrary claims with this key (tests build tampered tokens with it).
    pub fn sign_raw<T: Serialize>(&self, claims: &T) -> anyhow::Result<String> {
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &self.encoding,
        )?)
    }

    /// Checks a token and returns its claims; every failure looks the same to the caller.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        (data.claims.typ == ACCESS_TYPE).then_some(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::new(&Secret::new("a".repeat(32)), Duration::from_secs(900))
    }

    #[test]
    fn issued_tokens_verify() {
        let k = keys();
        let t = k.issue(7, Role::Pio, "MT-DOC", "fam").unwrap();
        let c = k.verify(&t.token).unwrap();
        assert_eq!(c.sub, "7");
        assert_eq!(c.role, Role::Pio);
    }

    #[test]
    fn another_key_does_not_verify() {
        let t = keys().issue(7, Role::Pio, "MT-DOC", "fam").unwrap();
        let other = JwtKeys::new(&Secret::new("b".repeat(32)), Duration::from_secs(900));
        assert!(other.verify(&t.token).is_none());
    }
}
