//! Records and integrations on the command line: purge, export, tokens, audit anchors.

use std::io::Write;

use anyhow::Context as _;
use clap::Subcommand;
use sea_orm::EntityTrait;

use crate::config::DatabaseArgs;
use crate::records::RequestMeta;
use crate::startup::{load_profiles, open_existing};

#[derive(Subcommand)]
pub(super) enum TokenCommand {
    /// Create a token for an integration of one department and one scope; prints it once.
    Create {
        /// Department code.
        #[arg(long)]
        department: String,
        /// What the token may do.
        #[arg(long, value_enum)]
        scope: crate::auth::integration::TokenScope,
        /// A name for people, e.g. "Facebook connector".
        #[arg(long)]
        name: String,
    },
    /// List tokens (never the tokens themselves).
    List {
        /// Only this department's.
        #[arg(long)]
        department: Option<String>,
    },
    /// Revoke a token at once.
    Revoke {
        /// The id printed by `token list`.
        id: i64,
    },
}

#[derive(Subcommand)]
pub(super) enum AuditCommand {
    /// Print the head (event count and last hash) of every audit chain, or of one department's.
    /// Keep the output somewhere the database administrator cannot change.
    Head {
        /// Department code (default: every chain).
        #[arg(long)]
        department: Option<String>,
    },
    /// Verify a department's chain and that it still contains an anchor printed earlier by
    /// `audit head`; exits with status 1 when the chain is broken, truncated or rewritten.
    Verify {
        /// Department code (or `_SYSTEM`).
        #[arg(long)]
        department: String,
        /// The hash printed by `audit head`.
        #[arg(long)]
        expect: String,
    },
}

pub(super) async fn purge(db: &DatabaseArgs, apply: bool, department: Option<&str>) -> anyhow::Result<()> {
    use crate::records::retention;
    let profiles = load_profiles()?;
    let db = open_existing(&db.database_url, &profiles).await?;
    let plans = retention::plan(&db, &profiles, department)
        .await
        .map_err(|e| anyhow::anyhow!(e.describe()))?;
    anyhow::ensure!(
        department.is_none() || !plans.is_empty(),
        "no department {}",
        department.unwrap_or_default()
    );
    let meta = RequestMeta::cli();
    for plan in &plans {
        println!(
            "{}: {} comments, {} posts, {} sessions past retention; {} kept under legal hold",
            plan.department_code,
            plan.comments.len(),
            plan.posts.len(),
            plan.sessions.len(),
            plan.held
        );
        if !apply {
            continue;
        }
        retention::apply(&db, plan, &meta, |done, total| super::progress("", done, total))
            .await
            .map_err(|e| anyhow::anyhow!(e.describe()))?;
        println!("{}: purged {} records", plan.department_code, plan.total());
    }
    if !apply {
        println!("dry run: nothing was deleted (pass --apply to delete)");
    }
    Ok(())
}

pub(super) async fn export(
    db: &DatabaseArgs,
    department: &str,
    out: &std::path::Path,
    hold_id: Option<i64>,
) -> anyhow::Result<()> {
    use crate::records::export::{Export, Request};
    use crate::records::holds::Scope;
    let profiles = load_profiles()?;
    let db = open_existing(&db.database_url, &profiles).await?;
    let dept = crate::service::departments::find_by_code(&db, department)
        .await
        .map_err(|e| anyhow::anyhow!(e.describe()))?
        .with_context(|| format!("no department {department}"))?;
    let scope = match hold_id {
        None => Scope::default(),
        Some(id) => {
            let hold = entity::legal_hold::Entity::find_by_id(id)
                .one(&db)
                .await?
                .filter(|h| h.department_id == dept.id)
                .with_context(|| format!("no legal hold {id} in {department}"))?;
            Scope::of(&hold)
        }
    };
    let tmp = out.with_extension("partial");
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?,
    );
    let mut export = Export::new(
        db.clone(),
        Request {
            department_id: dept.id,
            department_code: dept.code.clone(),
            scope,
        },
    );
    let mut shown = std::time::Instant::now();
    while let Some(chunk) = export
        .next_chunk()
        .await
        .map_err(|e| anyhow::anyhow!(e.describe()))?
    {
        file.write_all(&chunk).context("writing the export")?;
        if shown.elapsed().as_millis() > 200 {
            eprint!("\rexported {} records", export.written());
            shown = std::time::Instant::now();
        }
    }
    file.flush().context("writing the export")?;
    drop(file);
    std::fs::rename(&tmp, out).with_context(|| format!("moving the export to {}", out.display()))?;
    eprintln!("\rexported {} records to {}", export.written(), out.display());
    Ok(())
}

pub(super) async fn token(db: &DatabaseArgs, cmd: TokenCommand) -> anyhow::Result<()> {
    use crate::service::integration_tokens;
    let profiles = load_profiles()?;
    let db = open_existing(&db.database_url, &profiles).await?;
    let fail = |e: crate::error::AppError| anyhow::anyhow!(e.describe());
    match cmd {
        TokenCommand::Create {
            department,
            scope,
            name,
        } => {
            let (row, token) =
                integration_tokens::create(&db, &department, scope, &name, &RequestMeta::cli())
                    .await
                    .map_err(fail)?;
            eprintln!(
                "token {} created for {department} ({}); it is shown only now:",
                row.id, row.scope
            );
            println!("{token}");
        }
        TokenCommand::List { department } => {
            let rows = integration_tokens::list(&db, department.as_deref())
                .await
                .map_err(fail)?;
            println!(
                "{:>5}  {:<8}  {:<8}  {:<20}  {:<25}  {:<25}  name",
                "id", "dept", "scope", "created", "last used", "revoked"
            );
            let t = |d: Option<chrono::DateTime<chrono::Utc>>| {
                d.map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
                    .unwrap_or_else(|| "-".into())
            };
            for (r, dept) in rows {
                println!(
                    "{:>5}  {:<8}  {:<8}  {:<20}  {:<25}  {:<25}  {}",
                    r.id,
                    dept,
                    r.scope,
                    t(Some(r.created_at)),
                    t(r.last_used_at),
                    t(r.revoked_at),
                    r.name
                );
            }
        }
        TokenCommand::Revoke { id } => {
            let row = integration_tokens::revoke(&db, id, &RequestMeta::cli())
                .await
                .map_err(fail)?;
            println!("token {} ({}) revoked", row.id, row.name);
        }
    }
    Ok(())
}

pub(super) async fn audit(db: &DatabaseArgs, cmd: AuditCommand) -> anyhow::Result<()> {
    use crate::records::anchor::{self, AnchorCheck};
    let db = open_existing(&db.database_url, &load_profiles()?).await?;
    match cmd {
        AuditCommand::Head { department } => {
            let heads = anchor::heads(&db, department.as_deref())
                .await
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            anyhow::ensure!(
                !heads.is_empty(),
                "no audit chain found (run `policy-admin migrate` first?)"
            );
            for h in heads {
                println!("{} {} {}", h.chain_key, h.seq, h.hash);
            }
            Ok(())
        }
        AuditCommand::Verify { department, expect } => {
            let expect = expect.trim().to_lowercase();
            anyhow::ensure!(
                expect.len() == 64 && expect.bytes().all(|b| b.is_ascii_hexdigit()),
                "--expect must be a 64-digit hex hash as printed by `audit head`"
            );
            match anchor::check(&db, &department, &expect)
                .await
                .map_err(|e| anyhow::anyhow!(e.describe()))?
            {
                AnchorCheck::Unchanged => println!("ok: {department} verifies and its head is the anchor"),
                AnchorCheck::Grown(n) => {
                    println!("ok: {department} verifies and contains the anchor; {n} events since")
                }
                AnchorCheck::Broken(why) => anyhow::bail!("{department}: the chain is broken: {why}"),
                AnchorCheck::Missing => {
                    anyhow::bail!(
                        "{department}: the anchor is no longer in the chain: its tail was truncated or rewritten"
                    )
                }
            }
            Ok(())
        }
    }
}
