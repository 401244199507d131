//! Reading request bodies with a size limit, refusing early on a declared length, and with a
//! bound on the body bytes held in memory by all requests together: a request waits for its
//! share (its declared length, or the limit when none is declared) before reading, and keeps
//! it until it is answered, so a burst of large bodies cannot grow the process for good.

use std::ops::Deref;

use actix_web::http::header;
use actix_web::{HttpRequest, web};
use futures_util::StreamExt;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Request body memory shared by all requests, in KiB.
const BUDGET_KIB: usize = 32 * 1024;
/// The longest a body may take to arrive (a slow sender must not hold its share for long).
const READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);
static BUDGET: Semaphore = Semaphore::const_new(BUDGET_KIB);

/// A body read into memory, holding its share of the budget while it lives.
pub struct Body {
    bytes: web::BytesMut,
    _share: SemaphorePermit<'static>,
}

impl Deref for Body {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

/// Why a body could not be read.
#[derive(Debug)]
pub enum BodyError {
    /// Longer than the limit (declared or streamed).
    TooLarge,
    /// The connection failed mid-body.
    Unreadable(String),
}

/// Reads the whole body, up to `limit` bytes.
pub async fn read_limited(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Body, BodyError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge);
    }
    let kib = declared.unwrap_or(limit).div_ceil(1024).clamp(1, BUDGET_KIB);
    let share = BUDGET
        .acquire_many(u32::try_from(kib).unwrap_or(u32::MAX))
        .await
        .map_err(|_| BodyError::Unreadable("the server is shutting down".into()))?;
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(4096).min(limit));
    let deadline = tokio::time::Instant::now() + READ_TIMEOUT;
    loop {
        let next = tokio::time::timeout_at(deadline, payload.next())
            .await
            .map_err(|_| BodyError::Unreadable("the body took too long to arrive".into()))?;
        let Some(chunk) = next else { break };
        let chunk = chunk.map_err(|e| BodyError::Unreadable(e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Body {
        bytes: body,
        _share: share,
    })
}

/// The media type of the request without parameters, lower-cased.
pub fn media_type(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|essence| essence.trim().to_ascii_lowercase())
}
