//! Command-line interface of the server binary.

use clap::{Parser, Subcommand};

use crate::{config::Settings, ServerError};
use app::backend::{demo, Db};

/// The job-centre portal.
#[derive(Debug, Parser)]
#[command(name = "server", version, about = "Jobcenter digital – the citizen portal")]
pub struct Cli {
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the portal (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create demo data if the database is empty, then exit.
    DemoSeed,
    /// Operator tasks: job centres and staff accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// After replacing SECRET_KEY (the old key in SECRET_KEY_PREVIOUS): re-encrypt the
    /// stored authenticator-app secrets under the new key, then exit.
    RotateKey,
}

/// `server admin …`
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a job centre.
    CreateJobCentre {
        /// Name, e.g. "Jobcenter Musterstadt" (unique).
        #[arg(long)]
        name: String,
        /// Street and house number.
        #[arg(long)]
        street: String,
        /// Postcode.
        #[arg(long)]
        postcode: String,
        /// City.
        #[arg(long)]
        city: String,
        /// Public telephone number.
        #[arg(long)]
        phone: String,
        /// Public e-mail address.
        #[arg(long)]
        email: String,
    },
    /// Create a staff account for a job centre; prints a one-time link to set the
    /// password (valid one hour; afterwards "Zugangsdaten vergessen?" works).
    CreateStaff {
        /// The job centre's name.
        #[arg(long)]
        job_centre: String,
        /// The staff member's e-mail address (the user name).
        #[arg(long)]
        email: String,
        /// Name shown on the desk and under letters.
        #[arg(long)]
        name: String,
    },
    /// List job centres and staff accounts.
    List,
}

/// Opens the configured database and applies pending migrations.
pub async fn open_database(settings: &Settings) -> Result<Db, ServerError> {
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    Ok(db)
}

/// `server migrate`
pub async fn migrate(settings: &Settings) -> Result<(), ServerError> {
    let db = open_database(settings).await?;
    db.close().await;
    println!("Database is up to date.");
    Ok(())
}

/// `server demo-seed` (development only: the demo staff account has a published password)
pub async fn demo_seed(settings: &Settings) -> Result<(), ServerError> {
    if !settings.is_development() {
        return Err(crate::config::ConfigError::Missing {
            name: "APP_ENV",
            problem: "demo data (a staff account with a published password) only with APP_ENV=development",
        }
        .into());
    }
    let db = open_database(settings).await?;
    report_seed(demo::seed_if_empty(&db, app::backend::clock::Clock::system().now()).await?);
    db.close().await;
    Ok(())
}

/// The server secret of these settings: `SECRET_KEY` (with `SECRET_KEY_PREVIOUS`), or in
/// development without it the generated one kept in the database.
pub async fn server_secret(settings: &Settings, db: &Db) -> Result<app::backend::secrets::ServerSecret, ServerError> {
    use app::backend::secrets::ServerSecret;
    Ok(match &settings.secret_key {
        Some(key) => ServerSecret::with_previous(key, &settings.secret_key_previous)?,
        None if settings.is_development() => ServerSecret::load_or_generate(db).await?,
        None => {
            return Err(crate::config::ConfigError::Missing {
                name: "SECRET_KEY",
                problem: "is required outside development (at least 32 random bytes, base64)",
            }
            .into())
        }
    })
}

/// `server rotate-key`
pub async fn rotate_key(settings: &Settings) -> Result<(), ServerError> {
    let db = open_database(settings).await?;
    let secret = server_secret(settings, &db).await?;
    let report = app::backend::mfa::totp::reencrypt(&db, &secret).await?;
    db.close().await;
    println!(
        "Key {}: {} authenticator-app secrets re-encrypted, {} already under it, {} unreadable.",
        secret.key_id(),
        report.moved,
        report.current,
        report.unreadable
    );
    if report.unreadable > 0 {
        return Err(ServerError::Admin(
            "some secrets are under a key that is not configured: add it to SECRET_KEY_PREVIOUS and run again".to_owned(),
        ));
    }
    println!(
        "Keep the old key in SECRET_KEY_PREVIOUS while codes hashed under it may still be used \
         (activation codes until they expire, recovery codes until renewed); signed cookies live minutes."
    );
    Ok(())
}

/// `server admin …`
pub async fn admin(settings: &Settings, command: AdminCommand) -> Result<(), ServerError> {
    use app::backend::{job_centres, staff};
    let db = open_database(settings).await?;
    let now = app::backend::clock::Clock::system().now();
    let result = match command {
        AdminCommand::CreateJobCentre { name, street, postcode, city, phone, email } => {
            let new = app::domain::job_centre::JobCentreContact { name: name.clone(), street, postcode, city, phone, email };
            job_centres::create(&db, &new, now).await.map(|id| println!("Job centre {name:?} created (id {id}).")).map_err(ServerError::from)
        }
        AdminCommand::CreateStaff { job_centre, email, name } => {
            match staff::create_account(&db, &job_centre, &email, &name, None, now).await {
                Ok(created) => {
                    println!("Staff account {email} created for {job_centre:?}.");
                    if let Some(token) = created.set_password_token {
                        println!("Set the password within one hour: {}/passwort-vergessen/neu?token={token}", settings.public_url.as_str().trim_end_matches('/'));
                    }
                    println!("On first sign-in a second factor (passkey or authenticator app) must be set up.");
                    Ok(())
                }
                Err(error) => Err(ServerError::Admin(error.to_string())),
            }
        }
        AdminCommand::List => {
            let centres = job_centres::list(&db).await?;
            let members = staff::list(&db).await?;
            for centre in &centres {
                println!("{} — {}, {} {} · {} · {}", centre.contact.name, centre.contact.street, centre.contact.postcode, centre.contact.city, centre.contact.phone, centre.contact.email);
                for (member, email) in members.iter().filter(|(m, _)| m.job_centre_id == centre.id) {
                    println!("    staff: {} <{}>", member.display_name, email);
                }
            }
            if centres.is_empty() {
                println!("No job centres yet (server admin create-job-centre …).");
            }
            Ok(())
        }
    };
    db.close().await;
    result
}

/// Prints what the demo seed did.
pub fn report_seed(outcome: demo::SeedOutcome) {
    match outcome {
        demo::SeedOutcome::AlreadyPopulated => {
            println!("Database already contains data; demo data not added.")
        }
        demo::SeedOutcome::Seeded { job_centre, staff_email, staff_password } => {
            println!("Demo data created: {job_centre} with two client records.");
            println!("Staff desk (/intern): sign in as {staff_email} with password {staff_password}");
            println!("(the first sign-in asks to set up a passkey or an authenticator app).");
        }
    }
}
