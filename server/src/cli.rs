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

/// `server demo-seed`
pub async fn demo_seed(settings: &Settings) -> Result<(), ServerError> {
    let db = open_database(settings).await?;
    report_seed(demo::seed_if_empty(&db, app::backend::clock::Clock::system().now()).await?);
    db.close().await;
    Ok(())
}

/// Prints what the demo seed did.
pub fn report_seed(outcome: demo::SeedOutcome) {
    match outcome {
        demo::SeedOutcome::AlreadyPopulated => {
            println!("Database already contains data; demo data not added.")
        }
        demo::SeedOutcome::Seeded { job_centre } => {
            println!("Demo data created: {job_centre}.")
        }
    }
}
