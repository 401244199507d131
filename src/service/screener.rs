//! The screening service: rules inline, the model on one worker thread that batches whatever
//! requests are waiting, and the heads each department uses.
//!
//! The worker takes every job queued while it was busy (up to [`MAX_BATCH`]) into one batch:
//! an idle server answers a lone request at once, a busy one amortises the model's weights over
//! many texts. Jobs beyond [`QUEUE`] are refused with `UNAVAILABLE` rather than queued without
//! bound. The encoder computes on candle's threads (all cores).

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, RwLock};

use tokio::sync::oneshot;

use crate::config::{ScreeningArgs, ScreeningChoice};
use crate::error::{AppError, AppResult};
use crate::policy::screening::model::{
    self, Encoder, Heads, ModelFiles, ModelHit, ModelJob, ModelStage, RuleSet,
};
use crate::policy::screening::{
    self, Context, Mode, Provenance, ScreeningPolicy, ScreeningResult, engine_version,
};

/// Texts per model batch.
const MAX_BATCH: usize = 32;

/// Jobs waiting for the model before new ones are refused.
const QUEUE: usize = 512;

/// What is known about a loaded encoder besides its weights.
#[derive(Clone, Copy, Debug)]
pub struct EncoderInfo {
    /// The encoder was fine-tuned on part of the shipped corpus.
    pub tuned: bool,
}

/// Loads the encoder the settings name (the shipped one is loaded once per process).
pub fn load_encoder(args: &ScreeningArgs) -> Result<(Arc<Encoder>, EncoderInfo), String> {
    match &args.model {
        None => Ok((
            model::shipped_encoder()?,
            EncoderInfo {
                tuned: model::SHIPPED_TUNED,
            },
        )),
        Some(dir) => {
            let files = ModelFiles::from_dir(dir)?;
            let tuned = dir.join("tuning.json").exists();
            Ok((Arc::new(Encoder::load(&files)?), EncoderInfo { tuned }))
        }
    }
}

/// Loads model and heads for `full` screening (`None` for `rules-only`); heads trained on
/// another model are refused.
pub fn load_stage(args: &ScreeningArgs) -> Result<Option<ModelStage>, String> {
    if args.mode == ScreeningChoice::RulesOnly {
        return Ok(None);
    }
    let (encoder, _) = load_encoder(args)?;
    let (heads, hash) = match &args.heads {
        None => Heads::embedded()?,
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let heads = Heads::parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            (heads, model::sha256_tag(&bytes))
        }
    };
    ModelStage::new(encoder, heads, hash).map(Some)
}

/// One text for the worker.
struct Job {
    text: String,
    context: Context,
    rules: RuleSet,
    heads: Arc<Heads>,
    reply: oneshot::Sender<Result<Vec<ModelHit>, String>>,
}

/// Heads selected for one department, with their hash.
#[derive(Clone)]
pub struct SelectedHeads {
    /// The heads.
    pub heads: Arc<Heads>,
    /// Their hash.
    pub hash: String,
}

/// The screening service of a running server.
pub struct Screener {
    stage: Option<Arc<ModelStage>>,
    jobs: Option<SyncSender<Job>>,
    departments: RwLock<HashMap<i64, SelectedHeads>>,
}

impl Screener {
    /// Loads what the settings ask for and starts the worker; an error means the server must
    /// not start.
    pub fn start(args: &ScreeningArgs) -> Result<Self, String> {
        let Some(stage) = load_stage(args)? else {
            return Ok(Self {
                stage: None,
                jobs: None,
                departments: RwLock::default(),
            });
        };
        let stage = Arc::new(stage);
        let (tx, rx) = std::sync::mpsc::sync_channel(QUEUE);
        let encoder = stage.encoder.clone();
        std::thread::Builder::new()
            .name("screening-model".into())
            .spawn(move || work(&encoder, &rx))
            .map_err(|e| format!("starting the screening worker: {e}"))?;
        Ok(Self {
            stage: Some(stage),
            jobs: Some(tx),
            departments: RwLock::default(),
        })
    }

    /// Whether the model runs.
    pub fn mode(&self) -> Mode {
        if self.stage.is_some() {
            Mode::Full
        } else {
            Mode::RulesOnly
        }
    }

    /// The loaded model stage, if any.
    pub fn stage(&self) -> Option<&ModelStage> {
        self.stage.as_deref()
    }

    /// Reads the heads departments selected (`policy-admin screening select`) and uses them
    /// from the next screening on. Heads that do not fit the loaded model are an error and
    /// change nothing.
    pub async fn load_department_heads<C: sea_orm::ConnectionTrait>(&self, db: &C) -> Result<(), String> {
        let Some(stage) = &self.stage else {
            return Ok(());
        };
        let rows = super::screening_heads::selected(db)
            .await
            .map_err(|e| e.describe())?;
        let mut map = HashMap::with_capacity(rows.len());
        for row in rows {
            let known = self.departments.read().ok().and_then(|m| {
                m.get(&row.department_id)
                    .filter(|s| s.hash == row.heads_hash)
                    .cloned()
            });
            let selected = match known {
                Some(s) => s,
                None => {
                    let heads = Heads::parse(row.heads.as_bytes()).map_err(|e| {
                        format!(
                            "heads {} of department {}: {e}",
                            row.heads_hash, row.department_id
                        )
                    })?;
                    model::check_pairing(&stage.encoder, &heads).map_err(|e| {
                        format!(
                            "heads {} of department {}: {e}",
                            row.heads_hash, row.department_id
                        )
                    })?;
                    SelectedHeads {
                        heads: Arc::new(heads),
                        hash: row.heads_hash,
                    }
                }
            };
            map.insert(row.department_id, selected);
        }
        if let Ok(mut current) = self.departments.write() {
            *current = map;
        }
        Ok(())
    }

    /// The heads a department uses.
    pub fn heads_for(&self, department_id: i64) -> Option<SelectedHeads> {
        let stage = self.stage.as_ref()?;
        let own = self
            .departments
            .read()
            .ok()
            .and_then(|m| m.get(&department_id).cloned());
        Some(own.unwrap_or_else(|| SelectedHeads {
            heads: stage.heads.clone(),
            hash: stage.heads_hash.clone(),
        }))
    }

    /// Screens a text of a department with every stage that is on.
    pub async fn screen(
        &self,
        department_id: i64,
        policy: &ScreeningPolicy,
        context: Context,
        text: &str,
    ) -> AppResult<ScreeningResult> {
        let (Some(stage), Some(jobs), Some(selected)) =
            (&self.stage, &self.jobs, self.heads_for(department_id))
        else {
            return Ok(screening::screen(policy, context, text));
        };
        let (reply, answer) = oneshot::channel();
        let job = Job {
            text: text.to_owned(),
            context,
            rules: RuleSet::on(policy, context),
            heads: selected.heads.clone(),
            reply,
        };
        match jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                return Err(AppError::Unavailable {
                    message: "the screening model is at capacity; retry shortly".into(),
                    retry_after_secs: 1,
                });
            }
            Err(TrySendError::Disconnected(_)) => {
                return Err(anyhow::anyhow!("the screening worker has stopped").into());
            }
        }
        let hits = answer
            .await
            .map_err(|_| anyhow::anyhow!("the screening worker dropped a job"))?
            .map_err(|e| anyhow::anyhow!("screening model: {e}"))?;
        let provenance = Provenance {
            mode: Mode::Full,
            engine: engine_version().to_owned(),
            model: Some(stage.encoder.hash().to_owned()),
            heads: Some(selected.hash),
        };
        Ok(screening::screen_with_model(
            policy, context, text, &hits, provenance,
        ))
    }
}

/// The worker loop: one batch of everything waiting, until the server drops the sender.
fn work(encoder: &Encoder, rx: &Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let jobs: Vec<ModelJob<'_>> = batch
            .iter()
            .map(|j| ModelJob {
                text: &j.text,
                context: j.context,
                rules: j.rules,
                heads: &j.heads,
            })
            .collect();
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| model::model_hits(encoder, &jobs)))
            .unwrap_or_else(|_| Err("the model panicked".into()));
        drop(jobs);
        match result {
            Ok(hits) => {
                for (job, h) in batch.into_iter().zip(hits) {
                    let _ = job.reply.send(Ok(h));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "screening model failed");
                for job in batch {
                    let _ = job.reply.send(Err(e.clone()));
                }
            }
        }
    }
}
