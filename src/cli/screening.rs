//! Screening on the command line: quality per stage, training heads, tuning and importing the
//! model, and the heads a department uses.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Subcommand};

use crate::config::{DatabaseArgs, ScreeningArgs, ScreeningChoice};
use crate::policy::Profiles;
use crate::policy::screening::RuleCode;
use crate::policy::screening::eval::{self, CorpusItem, EvalReport};
use crate::policy::screening::model::train::{self, Progress, TrainOptions};
use crate::policy::screening::model::tune::{self, TuneOptions, TuneProgress};
use crate::policy::screening::model::{self, Heads, ModelFiles, ModelStage, StageReports};
use crate::records::RequestMeta;
use crate::service::{departments, screener, screening_heads};
use crate::startup::{load_profiles, open_existing};

/// The shipped training corpus (also the base of a department's own heads).
pub const SHIPPED_CORPUS: &str = include_str!("../policy/screening/training/corpus.jsonl");

/// The evaluation set (never trained on), for before/after scores of a department's heads.
const EVALUATION_SET: &str = include_str!("../../tests/screening_corpus.jsonl");

/// `eval-screening`.
#[derive(Args)]
pub struct EvalArgs {
    /// JSON lines: {"department", "context", "text", "expected": [rule codes]}.
    file: PathBuf,
    /// Model and heads to evaluate.
    #[command(flatten)]
    screening: ScreeningArgs,
    /// Print the items each stage got wrong.
    #[arg(long)]
    confusions: bool,
}

/// `screening …`.
#[derive(Subcommand)]
pub enum ScreeningCommand {
    /// Train the per-rule heads over the model's embeddings and write a heads file.
    Train(TrainArgs),
    /// Fine-tune the encoder on a corpus and write a model directory (f16 weights).
    Tune(TuneArgs),
    /// Screen a department's texts with heads it trained (`--heads HASH`) or with the shipped
    /// heads again (`--shipped`); audited. Running servers switch within 30 s.
    Select {
        /// Department code.
        #[arg(long)]
        department: String,
        /// Hash of stored heads (see `screening heads`).
        #[arg(long, required_unless_present = "shipped", conflicts_with = "shipped")]
        heads: Option<String>,
        /// Back to the shipped heads.
        #[arg(long)]
        shipped: bool,
    },
    /// List the heads a department trained, and which one it uses.
    Heads {
        /// Department code.
        #[arg(long)]
        department: String,
    },
    /// Convert a sentence-transformers BERT model (f32) into a model directory of f16 weights
    /// with reference embeddings.
    ImportModel {
        /// Directory with config.json, tokenizer.json and model.safetensors.
        from: PathBuf,
        /// Directory to write.
        #[arg(long)]
        out: PathBuf,
    },
}

/// `screening train`.
#[derive(Args)]
pub struct TrainArgs {
    /// Labelled JSON lines to train on (default: the shipped training corpus).
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Heads file to write (required unless `--department`, which stores the heads in the
    /// database).
    #[arg(long, required_unless_present = "department")]
    out: Option<PathBuf>,
    /// Train heads for this department: the corpus plus its moderators' decisions.
    #[arg(long, requires = "include_decisions")]
    department: Option<String>,
    /// Add the department's decisions as labels (HIDE/REMOVE with rules: positives; PUBLISH of
    /// a flagged comment: clean).
    #[arg(long, requires = "department")]
    include_decisions: bool,
    /// Make the department screen with the new heads at once (audited).
    #[arg(long, requires = "department")]
    select: bool,
    /// Directory of the model to train on (default: the shipped model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Cross-validation folds.
    #[arg(long, default_value_t = 5)]
    folds: u64,
    /// Precision rules and model together must keep on out-of-fold scores.
    #[arg(long, default_value_t = 0.95, value_parser = fraction)]
    target_precision: f64,
    /// Recall a rule should reach: below it, the threshold is lowered while precision stays at
    /// `--floor-precision` or above.
    #[arg(long, default_value_t = 0.80, value_parser = fraction)]
    recall_floor: f64,
    /// Precision a rule may fall to in order to reach `--recall-floor`.
    #[arg(long, default_value_t = 0.90, value_parser = fraction)]
    floor_precision: f64,
    /// How sentence vectors are made: `separate` embeds each sentence on its own (two passes
    /// per text), `in-context` pools each sentence from the whole text's pass (one pass: about
    /// 1.5 times as fast in batches, and a little less recall; see README).
    #[arg(long, value_enum, default_value_t = Pooling::Separate)]
    sentence_pooling: Pooling,
    /// Labelled JSON lines to score before and after (never trained on; default for
    /// `--department`: the shipped evaluation set).
    #[arg(long)]
    eval: Option<PathBuf>,
}

/// `--sentence-pooling`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Pooling {
    /// Each sentence embedded on its own.
    Separate,
    /// Sentences pooled from the whole text's pass.
    InContext,
}

impl From<Pooling> for model::SentencePooling {
    fn from(p: Pooling) -> Self {
        match p {
            Pooling::InContext => Self::InContext,
            Pooling::Separate => Self::Separate,
        }
    }
}

/// A number from 0 to 1.
fn fraction(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("expected a number from 0 to 1, got `{s}`")),
    }
}

/// `screening tune`.
#[derive(Args)]
pub struct TuneArgs {
    /// Labelled JSON lines (one item in five, by hash, is kept out for thresholds).
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Directory of the model to start from (default: the shipped model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Directory to write the tuned model to.
    #[arg(long)]
    out: PathBuf,
    /// Passes over the corpus.
    #[arg(long, default_value_t = 3)]
    epochs: usize,
    /// Peak learning rate of the encoder.
    #[arg(long, default_value_t = 5e-5)]
    learning_rate: f64,
}

/// Runs a `screening` subcommand.
pub async fn run(db: &DatabaseArgs, cmd: ScreeningCommand) -> anyhow::Result<()> {
    match cmd {
        ScreeningCommand::Train(args) => train_heads(db, &args).await,
        ScreeningCommand::Select {
            department,
            heads,
            shipped: _,
        } => {
            let (db, dept) = department_db(db, &department).await?;
            screening_heads::select(&db, &dept, heads.as_deref(), &RequestMeta::cli())
                .await
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            println!(
                "{department} now screens with {} heads (running servers switch within 30 s)",
                heads.as_deref().unwrap_or("the shipped")
            );
            Ok(())
        }
        ScreeningCommand::Heads { department } => {
            let (db, dept) = department_db(db, &department).await?;
            let rows = screening_heads::list(&db, &dept)
                .await
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            if !rows.iter().any(|r| r.selected) {
                println!("* shipped heads");
            }
            for r in rows {
                println!(
                    "{} {}  {} items  trained {}",
                    if r.selected { "*" } else { " " },
                    r.heads_hash,
                    r.items,
                    r.created_at.format("%Y-%m-%d %H:%M")
                );
            }
            Ok(())
        }
        ScreeningCommand::Tune(args) => tune_model(&args),
        ScreeningCommand::ImportModel { from, out } => {
            let files = ModelFiles::from_dir(&from).map_err(anyhow::Error::msg)?;
            let weights = tune::load_weights(&files).map_err(anyhow::Error::msg)?;
            let hash = tune::write_model(&weights, &files, &out).map_err(anyhow::Error::msg)?;
            println!("wrote {} (model {hash})", out.display());
            Ok(())
        }
    }
}

/// `eval-screening FILE`.
pub fn eval(args: &EvalArgs) -> anyhow::Result<()> {
    let items = read_corpus(&args.file)?;
    let profiles = load_profiles()?;
    let policy_for = |code: &str| profiles.get(code).map(|p| &p.screening);
    let failures = if args.screening.mode == ScreeningChoice::RulesOnly {
        let report = eval::evaluate(&items, policy_for);
        print_report("rules", &report, args.confusions);
        report.failures()
    } else {
        let stage = screener::load_stage(&args.screening).map_err(anyhow::Error::msg)?;
        let stage = stage.context("no model stage")?;
        let reports = stages(&stage, &items, &profiles, &stage.heads)?;
        print_report("rules", &reports.rules, args.confusions);
        print_report("model", &reports.model, args.confusions);
        print_report("combined", &reports.combined, args.confusions);
        reports.combined.failures()
    };
    anyhow::ensure!(failures.is_empty(), "below threshold: {}", failures.join("; "));
    Ok(())
}

fn stages(
    stage: &ModelStage,
    items: &[CorpusItem],
    profiles: &Profiles,
    heads: &Heads,
) -> anyhow::Result<StageReports> {
    model::evaluate_stages(
        &stage.encoder,
        items,
        |code| profiles.get(code).map(|p| &p.screening),
        |_| heads,
        |done, total| super::progress("screening ", done, total),
    )
    .map_err(anyhow::Error::msg)
}

fn print_report(stage: &str, report: &EvalReport, confusions: bool) {
    println!("== {stage} ==");
    let text = report.render();
    match text.split_once("\nconfusions") {
        Some((scores, rest)) if confusions => print!("{scores}\nconfusions{rest}"),
        Some((scores, _)) => print!("{scores}"),
        None => print!("{text}"),
    }
    println!("content rules macro-F1: {:.3}\n", report.content_macro_f1());
}

/// Progress of training on standard error.
struct TrainProgress;

impl Progress for TrainProgress {
    fn embedded(&mut self, done: usize, total: usize) {
        super::progress("embedding ", done, total);
    }

    fn rule(&mut self, rule: RuleCode, n: usize, of: usize) {
        eprintln!("  training {rule} ({n}/{of})");
    }
}

impl TuneProgress for TrainProgress {
    fn step(&mut self, step: usize, total: usize, loss: f64) {
        super::progress(&format!("tuning (loss {loss:.4}) "), step, total);
    }
}

async fn train_heads(db: &DatabaseArgs, args: &TrainArgs) -> anyhow::Result<()> {
    let (mut corpus_text, mut items) = corpus(args.corpus.as_deref())?;
    let profiles = load_profiles()?;
    let department = match &args.department {
        Some(code) => {
            let (db, dept) = department_db(db, code).await?;
            let decisions = screening_heads::decisions_as_items(&db, &dept)
                .await
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            println!("{code}: {} decisions used as labels", decisions.len());
            for d in &decisions {
                corpus_text.push_str(&serde_json::to_string(d)?);
                corpus_text.push('\n');
            }
            items.extend(decisions);
            Some((db, dept))
        }
        None => None,
    };
    let choice = ScreeningArgs {
        mode: ScreeningChoice::Full,
        model: args.model.clone(),
        heads: None,
    };
    let (encoder, info) = screener::load_encoder(&choice).map_err(anyhow::Error::msg)?;
    let opts = TrainOptions {
        folds: args.folds,
        target_precision: args.target_precision,
        recall_floor: args.recall_floor,
        floor_precision: args.floor_precision,
        alpha: 1.0,
        tuned_encoder: info.tuned,
        sentence_pooling: args.sentence_pooling.into(),
        scope: args.department.clone().unwrap_or_else(|| "shipped".into()),
        trained_at: training_date(),
        corpus_hash: model::sha256_tag(corpus_text.as_bytes()),
    };
    let policy_for = |code: &str| profiles.get(code).map(|p| &p.screening);
    let heads =
        train::train(&encoder, &items, policy_for, &opts, &mut TrainProgress).map_err(anyhow::Error::msg)?;
    let bytes = heads.to_bytes().map_err(anyhow::Error::msg)?;
    let hash = model::sha256_tag(&bytes);
    if let Some(out) = &args.out {
        write_atomically(out, &bytes)?;
        println!("wrote {} ({hash})", out.display());
    }
    println!(
        "{:<24} {:>9} {:>10} {:>7} {:>9}",
        "rule", "positives", "threshold", "cv P", "cv R"
    );
    for h in &heads.heads {
        println!(
            "{:<24} {:>9} {:>10.3} {:>7.3} {:>9.3}",
            h.rule.as_str(),
            h.cv.positives,
            h.threshold,
            h.cv.precision,
            h.cv.recall
        );
    }
    let eval_items = match (&args.eval, &department) {
        (Some(path), _) => Some(read_corpus(path)?),
        (None, Some((_, dept))) => Some(
            eval::parse_corpus(EVALUATION_SET)
                .map_err(anyhow::Error::msg)?
                .into_iter()
                .filter(|i| i.department == dept.code)
                .collect(),
        ),
        (None, None) => None,
    };
    let heads = std::sync::Arc::new(heads);
    let mut summary = serde_json::Map::new();
    if let Some(eval_items) = eval_items {
        let before = match &department {
            Some((db, dept)) => current_heads(db, dept).await?,
            None => Heads::embedded().map_err(anyhow::Error::msg)?.0,
        };
        let mut stage = ModelStage {
            encoder,
            heads: std::sync::Arc::new(before),
            heads_hash: String::new(),
        };
        let old = stages(&stage, &eval_items, &profiles, &stage.heads)?;
        stage.heads = heads.clone();
        let new = stages(&stage, &eval_items, &profiles, &stage.heads)?;
        print_report("before (combined)", &old.combined, false);
        print_report("after (combined)", &new.combined, false);
        summary.insert("evaluation_items".into(), eval_items.len().into());
        summary.insert("before_macro_f1".into(), old.combined.content_macro_f1().into());
        summary.insert("after_macro_f1".into(), new.combined.content_macro_f1().into());
    }
    if let Some((db, dept)) = &department {
        let meta = RequestMeta::cli();
        let txn = crate::db::begin_write(db).await?;
        screening_heads::store(&txn, dept, &heads, &bytes, &hash, summary.into(), &meta)
            .await
            .map_err(|e| anyhow::anyhow!(e.describe()))?;
        txn.commit().await?;
        println!("stored heads {hash} for {}", dept.code);
        if args.select {
            screening_heads::select(db, dept, Some(&hash), &meta)
                .await
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            println!(
                "{} now screens with them (running servers switch within 30 s)",
                dept.code
            );
        } else {
            println!(
                "select them with: policy-admin screening select --department {} --heads {hash}",
                dept.code
            );
        }
    }
    Ok(())
}

/// The heads a department screens with now.
async fn current_heads(
    db: &sea_orm::DatabaseConnection,
    dept: &entity::department::Model,
) -> anyhow::Result<Heads> {
    let selected = screening_heads::list(db, dept)
        .await
        .map_err(|e| anyhow::anyhow!(e.describe()))?
        .into_iter()
        .find(|r| r.selected);
    match selected {
        Some(row) => Heads::parse(row.heads.as_bytes()).map_err(anyhow::Error::msg),
        None => Ok(Heads::embedded().map_err(anyhow::Error::msg)?.0),
    }
}

/// The database (which must already exist) and a department of it.
async fn department_db(
    db: &DatabaseArgs,
    code: &str,
) -> anyhow::Result<(sea_orm::DatabaseConnection, entity::department::Model)> {
    let profiles = load_profiles()?;
    let conn = open_existing(&db.database_url, &profiles).await?;
    let dept = departments::find_by_code(&conn, code)
        .await
        .map_err(|e| anyhow::anyhow!(e.describe()))?
        .with_context(|| format!("no department {code}"))?;
    Ok((conn, dept))
}

fn tune_model(args: &TuneArgs) -> anyhow::Result<()> {
    let (corpus_text, items) = corpus(args.corpus.as_deref())?;
    let profiles = load_profiles()?;
    let files = match &args.model {
        Some(dir) => ModelFiles::from_dir(dir).map_err(anyhow::Error::msg)?,
        None => ModelFiles::embedded(),
    };
    let opts = TuneOptions {
        epochs: args.epochs,
        learning_rate: args.learning_rate,
        ..TuneOptions::default()
    };
    let policy_for = |code: &str| profiles.get(code).map(|p| &p.screening);
    let weights =
        tune::tune(&files, &items, policy_for, &opts, &mut TrainProgress).map_err(anyhow::Error::msg)?;
    let hash = tune::write_model(&weights, &files, &args.out).map_err(anyhow::Error::msg)?;
    let record = serde_json::json!({
        "base_model": files.hash(),
        "corpus": model::sha256_tag(corpus_text.as_bytes()),
        "items": items.len(),
        "held_out": "items whose FNV-1a text hash is 0 mod 5 are not tuned on",
        "options": opts,
        "model": hash,
    });
    let mut json = serde_json::to_vec_pretty(&record)?;
    json.push(b'\n');
    write_atomically(&args.out.join("tuning.json"), &json)?;
    println!("wrote {} (model {hash})", args.out.display());
    Ok(())
}

fn corpus(path: Option<&Path>) -> anyhow::Result<(String, Vec<CorpusItem>)> {
    let text = match path {
        Some(p) => std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?,
        None => SHIPPED_CORPUS.to_owned(),
    };
    let items = eval::parse_corpus(&text).map_err(anyhow::Error::msg)?;
    anyhow::ensure!(!items.is_empty(), "the corpus is empty");
    Ok((text, items))
}

fn read_corpus(path: &Path) -> anyhow::Result<Vec<CorpusItem>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    eval::parse_corpus(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// `SOURCE_DATE_EPOCH` (reproducible files) or today, as `YYYY-MM-DD`.
fn training_date() -> String {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(chrono::Utc::now)
        .format("%Y-%m-%d")
        .to_string()
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, and renames it into place, so a
/// crash or a full disk never leaves a half-written file.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp =
        tempfile::NamedTempFile::new_in(dir).with_context(|| format!("writing into {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("writing {}", path.display()))?;
    // A temporary file is private (0600); what is written here is meant to be shared.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    tmp.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
