//! The command line: `serve`, `migrate`, `seed`, `schema`, `user`, records commands
//! ([`records`]) and screening commands ([`screening`]).

mod records;
mod screening;

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::auth::password::{Hasher, check_strength};
use crate::auth::{EmploymentType, Role};
use crate::config::{Config, DatabaseArgs, Secret, ServeArgs};
use crate::records::RequestMeta;
use crate::service::{seed, users};
use crate::startup::{Application, load_profiles, open_existing, prepare_database};

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
    /// Print the trusted-documents file (`POLICY_ADMIN_TRUSTED_DOCUMENTS`) for every
    /// `.graphql` file under DIR: one named operation per file, hashed byte for byte.
    TrustedDocuments {
        /// Folder of `.graphql` files (searched recursively).
        dir: std::path::PathBuf,
    },
    /// Manage employees.
    #[command(subcommand)]
    User(UserCommand),
    /// Integration tokens (shown once at creation, stored as a hash).
    #[command(subcommand)]
    Token(records::TokenCommand),
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
    Audit(records::AuditCommand),
    /// Measure screening quality on a labelled corpus, per rule and per stage (rules, model,
    /// combined). Exits with status 1 when a rule of the combined engine falls below its
    /// threshold.
    EvalScreening(screening::EvalArgs),
    /// Train screening heads, tune or import the screening model, choose a department's heads.
    #[command(subcommand)]
    Screening(screening::ScreeningCommand),
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
        Command::EvalScreening(args) => screening::eval(&args),
        Command::Screening(cmd) => screening::run(&cli.db, cmd).await,
        Command::Audit(cmd) => records::audit(&cli.db, cmd).await,
        Command::Token(cmd) => records::token(&cli.db, cmd).await,
        Command::Export {
            department,
            out,
            hold_id,
        } => records::export(&cli.db, &department, &out, hold_id).await,
        Command::Purge {
            dry_run: _,
            apply,
            department,
        } => records::purge(&cli.db, apply, department.as_deref()).await,
        Command::Schema => {
            print!("{}", crate::graphql::sdl());
            Ok(())
        }
        Command::TrustedDocuments { dir } => {
            let manifest = crate::http::persisted::manifest_of(&dir).map_err(anyhow::Error::msg)?;
            println!("{}", serde_json::to_string_pretty(&manifest)?);
            eprintln!("{} trusted documents", manifest.operations.len());
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
    // Standard output may be closed (a supervisor that does not read it): never fail on it.
    let mut out = std::io::stdout();
    let _ = writeln!(out, "listening on {url}");
    if introspection {
        let _ = writeln!(out, "GraphiQL: {url}/graphql");
    }
    out.flush().ok();
    app.run_until_stopped().await.context("server")
}

/// Draws a progress bar on standard error (`label [#####.....] done/total`), in place.
fn progress(label: &str, done: usize, total: usize) {
    let width = 30;
    let filled = (done * width).checked_div(total).unwrap_or(width).min(width);
    eprint!(
        "\r  {label}[{}{}] {done}/{total}",
        "#".repeat(filled),
        ".".repeat(width - filled)
    );
    if done >= total {
        eprintln!();
    }
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

async fn new_password_and_database(
    database_url: &str,
) -> anyhow::Result<(sea_orm::DatabaseConnection, String)> {
    let password = read_password()?;
    check_strength(password.expose()).map_err(|e| anyhow::anyhow!(e))?;
    let profiles = load_profiles()?;
    let db = open_existing(database_url, &profiles).await?;
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
