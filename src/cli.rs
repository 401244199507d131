//! The command line: `serve`, `migrate`, `seed`, `schema`, `user create`.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use sea_orm::EntityTrait;

use crate::auth::password::{Hasher, check_strength};
use crate::auth::{EmploymentType, Role};
use crate::config::{Config, DatabaseArgs, Secret, ServeArgs};
use crate::records::RequestMeta;
use crate::service::{seed, users};
use crate::startup::{Application, load_profiles, prepare_database};

/// policy-admin: run a Department of Corrections' official social media by its directive.
#[derive(Parser)]
#[command(name = "policy-admin", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    db: DatabaseArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (applies migrations first).
    Serve(Box<ServeArgs>),
    /// Apply database migrations and create departments from the profiles.
    Migrate,
    /// Load data into the database.
    Seed {
        /// Load the demo departments, facilities and one user per role (DESIGN section 5).
        #[arg(long)]
        demo: bool,
        /// Password of the demo users; generated and printed when unset.
        #[arg(long, env = "POLICY_ADMIN_DEMO_PASSWORD", hide_env_values = true)]
        demo_password: Option<Secret>,
    },
    /// Print the GraphQL schema (SDL) to standard output.
    Schema,
    /// Manage employees.
    #[command(subcommand)]
    User(UserCommand),
    /// Integration tokens (shown once at creation, stored as a hash).
    #[command(subcommand)]
    Token(TokenCommand),
    /// Remove records past the profile's retention periods that no legal hold covers (never the
    /// audit log). Shows what it would do unless `--apply` is given.
    Purge {
        /// Only report (the default).
        #[arg(long, conflicts_with = "apply")]
        dry_run: bool,
        /// Delete.
        #[arg(long)]
        apply: bool,
        /// Only this department.
        #[arg(long)]
        department: Option<String>,
    },
    /// Write the e-discovery export of a department (NDJSON with a closing manifest) to a file.
    Export {
        /// Department code.
        #[arg(long)]
        department: String,
        /// Output file.
        #[arg(long)]
        out: std::path::PathBuf,
        /// Only this legal hold's scope.
        #[arg(long)]
        hold_id: Option<i64>,
    },
    /// Audit-chain anchors kept outside the database.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Measure screening quality on a labelled corpus: per-rule precision, recall, F1 and the
    /// confusion list. Exits with status 1 when a rule falls below its threshold.
    EvalScreening {
        /// JSON lines: {"department", "context", "text", "expected": [rule codes]}.
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an employee who can sign in. The password is read from standard input (one
    /// line) or asked for at a prompt; it is never an argument.
    Create {
        /// Department code, e.g. MT-DOC.
        #[arg(long)]
        department: String,
        /// Role.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Sign-in e-mail address.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Employment type.
        #[arg(long, value_enum, default_value = "full-time")]
        employment_type: EmploymentType,
    },
    /// Set an employee's password (e.g. for one provisioned through SCIM), read like `create`'s;
    /// their existing sessions end.
    SetPassword {
        /// Sign-in e-mail address.
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
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
enum AuditCommand {
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

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(&s.to_uppercase()).ok_or_else(|| "expected DIRECTOR, PIO or STAFF".into())
}

/// Runs the command line and maps failures to exit code 1 with a message.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("POLICY_ADMIN_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if std::env::var("POLICY_ADMIN_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve(&cli.db, &args).await,
        Command::Migrate => {
            let profiles = load_profiles()?;
            prepare_database(&cli.db.database_url, &profiles).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Seed { demo, demo_password } => {
            if !demo {
                anyhow::bail!("nothing to seed: pass --demo to load the demo data");
            }
            let profiles = load_profiles()?;
            let db = prepare_database(&cli.db.database_url, &profiles).await?;
            let hasher = Hasher::new(2).await?;
            let (password, generated) = match demo_password {
                Some(p) => (p, false),
                None => (Secret::new(crate::auth::tokens::random_token(15)), true),
            };
            let report = seed::seed_demo(&db, &hasher, &password, &RequestMeta::cli())
                .await
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            print_demo(
                report.users_created,
                report.users_existing,
                generated.then_some(password.expose()),
            );
            Ok(())
        }
        Command::EvalScreening { file } => eval_screening(&file),
        Command::Audit(cmd) => audit(&cli.db, cmd).await,
        Command::Token(cmd) => token(&cli.db, cmd).await,
        Command::Export {
            department,
            out,
            hold_id,
        } => export(&cli.db, &department, &out, hold_id).await,
        Command::Purge {
            dry_run: _,
            apply,
            department,
        } => purge(&cli.db, apply, department.as_deref()).await,
        Command::Schema => {
            print!("{}", crate::graphql::sdl());
            Ok(())
        }
        Command::User(UserCommand::Create {
            department,
            role,
            email,
            name,
            employment_type,
        }) => {
            let email = users::Email::parse(&email).map_err(|e| anyhow::anyhow!(e.describe()))?;
            let (db, hash) = new_password_and_database(&cli.db.database_url).await?;
            let new = users::NewUser {
                department_code: department,
                role,
                email,
                name,
                employment_type,
                password_hash: hash,
            };
            let row = users::create(&db, new, &RequestMeta::cli())
                .await
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            println!("created user {} ({}, {})", row.email, row.role, row.id);
            Ok(())
        }
        Command::User(UserCommand::SetPassword { email }) => {
            let email = users::Email::parse(&email).map_err(|e| anyhow::anyhow!(e.describe()))?;
            let (db, hash) = new_password_and_database(&cli.db.database_url).await?;
            let row = users::set_password(&db, &email, hash, &RequestMeta::cli())
                .await
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            println!(
                "password set for {} ({}); their sessions have ended",
                row.email, row.id
            );
            Ok(())
        }
    }
}

async fn serve(db: &DatabaseArgs, args: &ServeArgs) -> anyhow::Result<()> {
    let resolved = Config::from_args(db, args)?;
    if resolved.generated_secret {
        tracing::warn!(
            "POLICY_ADMIN_JWT_SECRET is not set: using a random secret for this run (demo only; tokens end with the process)"
        );
    }
    let introspection = resolved.config.introspection;
    let app = Application::build(resolved.config).await?;
    if let Some(demo) = &app.demo {
        print_demo(
            demo.users_created,
            6 - demo.users_created,
            demo.generated_password.as_deref(),
        );
    }
    let url = format!("http://{}:{}", app.state().config.bind.ip(), app.port());
    println!("listening on {url}");
    if introspection {
        println!("GraphiQL: {url}/graphql");
    }
    std::io::stdout().flush().ok();
    app.run_until_stopped().await.context("server")
}

fn print_demo(created: usize, existing: usize, generated: Option<&str>) {
    println!("demo data: {created} users created, {existing} already present");
    match generated {
        Some(p) if created > 0 => println!("demo password (shown once): {p}"),
        _ if created == 0 => println!("demo users already existed; their password is unchanged"),
        _ => println!("demo password: the value of POLICY_ADMIN_DEMO_PASSWORD"),
    }
    println!("demo users: director|pio|staff @ mt-doc.demo / il-doc.demo");
}

async fn purge(db: &DatabaseArgs, apply: bool, department: Option<&str>) -> anyhow::Result<()> {
    use crate::records::retention;
    let profiles = load_profiles()?;
    let db = prepare_database(&db.database_url, &profiles).await?;
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
        retention::apply(&db, plan, &meta, |done, total| {
            let width = 30;
            let filled = (done * width).checked_div(total).unwrap_or(width).min(width);
            eprint!(
                "\r  [{}{}] {done}/{total}",
                "#".repeat(filled),
                ".".repeat(width - filled)
            );
        })
        .await
        .map_err(|e| anyhow::anyhow!(e.describe()))?;
        eprintln!();
        println!("{}: purged {} records", plan.department_code, plan.total());
    }
    if !apply {
        println!("dry run: nothing was deleted (pass --apply to delete)");
    }
    Ok(())
}

async fn export(
    db: &DatabaseArgs,
    department: &str,
    out: &std::path::Path,
    hold_id: Option<i64>,
) -> anyhow::Result<()> {
    use crate::records::export::{Export, Request};
    use crate::records::holds::Scope;
    let profiles = load_profiles()?;
    let db = prepare_database(&db.database_url, &profiles).await?;
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

async fn token(db: &DatabaseArgs, cmd: TokenCommand) -> anyhow::Result<()> {
    use crate::service::integration_tokens;
    let profiles = load_profiles()?;
    let db = prepare_database(&db.database_url, &profiles).await?;
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

async fn audit(db: &DatabaseArgs, cmd: AuditCommand) -> anyhow::Result<()> {
    use crate::records::anchor::{self, AnchorCheck};
    let db = crate::db::connect(&db.database_url).await?;
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

fn eval_screening(file: &std::path::Path) -> anyhow::Result<()> {
    use crate::policy::screening::eval;
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let items = eval::parse_corpus(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let profiles = load_profiles()?;
    let report = eval::evaluate(&items, |code| profiles.get(code).map(|p| &p.screening));
    print!("{}", report.render());
    let failures = report.failures();
    anyhow::ensure!(failures.is_empty(), "below threshold: {}", failures.join("; "));
    Ok(())
}

/// Reads and checks a new password (before touching the database), then opens the database
/// and hashes the password.
async fn new_password_and_database(
    database_url: &str,
) -> anyhow::Result<(sea_orm::DatabaseConnection, String)> {
    let password = read_password()?;
    check_strength(password.expose()).map_err(|e| anyhow::anyhow!(e))?;
    let profiles = load_profiles()?;
    let db = prepare_database(database_url, &profiles).await?;
    let hash = Hasher::new(1).await?.hash(&password).await?;
    Ok((db, hash))
}

fn read_password() -> anyhow::Result<Secret> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").context("reading password")?;
        let second = rpassword::prompt_password("Repeat password: ").context("reading password")?;
        anyhow::ensure!(first == second, "the passwords do not match");
        Ok(Secret::new(first))
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading password from standard input")?;
        Ok(Secret::new(line.trim_end_matches(['\r', '\n'])))
    }
}
