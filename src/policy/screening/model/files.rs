//! The three files of a sentence-embedding model, where they come from, and their identity.
//!
//! The shipped model lives in `minilm/` beside this file (with its licence and provenance) and is
//! embedded in the binary, so screening needs no download. `POLICY_ADMIN_SCREENING_MODEL=DIR`
//! names another BERT-family model instead: a directory with `config.json`, `tokenizer.json` and
//! `model.safetensors`.
//!
//! A model's identity is its hash: SHA-256 over the SHA-256 of `config.json`, `tokenizer.json`
//! and `model.safetensors`, in that order, written as hex lines. Heads record the hash of the
//! model they were trained on; a server refuses heads trained on another model.

use std::borrow::Cow;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The shipped model's config, tokenizer and weights (f16, de-quantised to f32 at load).
static EMBEDDED_CONFIG: &[u8] = include_bytes!("minilm/config.json");
static EMBEDDED_TOKENIZER: &[u8] = include_bytes!("minilm/tokenizer.json");
static EMBEDDED_WEIGHTS: &[u8] = include_bytes!("minilm/model.safetensors");

/// Largest weights file read from a directory (a BERT-base model is ~440 MB in f32).
const MAX_WEIGHTS_BYTES: u64 = 1 << 30;

/// The bytes of one model.
#[derive(Clone)]
pub struct ModelFiles {
    /// `config.json` (Hugging Face BERT configuration).
    pub config: Cow<'static, [u8]>,
    /// `tokenizer.json` (Hugging Face tokenizers format).
    pub tokenizer: Cow<'static, [u8]>,
    /// `model.safetensors` (f32, f16 or bf16 tensors).
    pub weights: Cow<'static, [u8]>,
    /// Where the files came from, for messages.
    pub origin: String,
}

impl ModelFiles {
    /// The model shipped in the binary.
    pub fn embedded() -> Self {
        Self {
            config: Cow::Borrowed(EMBEDDED_CONFIG),
            tokenizer: Cow::Borrowed(EMBEDDED_TOKENIZER),
            weights: Cow::Borrowed(EMBEDDED_WEIGHTS),
            origin: "the shipped all-MiniLM-L6-v2".into(),
        }
    }

    /// Reads `config.json`, `tokenizer.json` and `model.safetensors` from `dir`.
    pub fn from_dir(dir: &Path) -> Result<Self, String> {
        let read = |name: &str| -> Result<Vec<u8>, String> {
            let path = dir.join(name);
            let len = std::fs::metadata(&path)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .len();
            if len > MAX_WEIGHTS_BYTES {
                return Err(format!("{}: larger than 1 GiB", path.display()));
            }
            std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
        };
        Ok(Self {
            config: Cow::Owned(read("config.json")?),
            tokenizer: Cow::Owned(read("tokenizer.json")?),
            weights: Cow::Owned(read("model.safetensors")?),
            origin: dir.display().to_string(),
        })
    }

    /// The model's identity (see the module documentation), as `sha256:<hex>`.
    pub fn hash(&self) -> String {
        let mut lines = String::new();
        for part in [&self.config, &self.tokenizer, &self.weights] {
            lines.push_str(&hex::encode(Sha256::digest(part.as_ref())));
            lines.push('\n');
        }
        format!("sha256:{}", hex::encode(Sha256::digest(lines.as_bytes())))
    }
}

/// `sha256:<hex>` of some bytes (heads files, corpora).
pub fn sha256_tag(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_covers_every_file() {
        let shipped = ModelFiles::embedded();
        let base = shipped.hash();
        assert!(base.starts_with("sha256:") && base.len() == 71);
        let mut other = shipped.clone();
        let mut tok = other.tokenizer.to_vec();
        tok.push(b'\n');
        other.tokenizer = Cow::Owned(tok);
        assert_ne!(other.hash(), base);
        let mut other = shipped.clone();
        let mut config = other.config.to_vec();
        config.push(b' ');
        other.config = Cow::Owned(config);
        assert_ne!(other.hash(), base);
    }

    #[test]
    fn a_directory_without_the_files_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = ModelFiles::from_dir(dir.path()).err().unwrap();
        assert!(err.contains("config.json"), "{err}");
    }
}
