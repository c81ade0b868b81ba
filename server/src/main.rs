//! `server`: runs the portal (`serve`, the default) and the operators' commands.

use clap::Parser;
use server::cli::{Cli, Command};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let settings = match server::config::Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("Configuration error: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    server::telemetry::init(&settings);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::startup::serve(settings).await,
        Command::Migrate => server::cli::migrate(&settings).await,
        Command::DemoSeed => server::cli::demo_seed(&settings).await,
        Command::Admin(command) => server::cli::admin(&settings, command).await,
        Command::RotateKey => server::cli::rotate_key(&settings).await,
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "stopped with an error");
            eprintln!("Error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
