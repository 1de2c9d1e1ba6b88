//! The `vitrine` command line: run the kiosk (the default), replay gesture traces, print the config.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use vitrine::config::{self, Config};
use vitrine::{assets, replay};

/// A kiosk display manager for in-store multi-touch screens.
#[derive(Parser, Debug)]
#[command(name = "vitrine", version, about)]
struct Cli {
    /// Config file [default: $VITRINE_CONFIG, else /etc/vitrine/vitrine.toml].
    /// A missing file means the defaults.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Print the effective config as TOML and exit.
    #[arg(long)]
    print_config: bool,

    #[command(flatten)]
    run: RunArgs,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the kiosk (the default when no command is given).
    Run(RunArgs),
    /// Replay a touch trace through the scene core and print the final state as JSON.
    Replay(ReplayArgs),
}

#[derive(Args, Debug, Default, PartialEq)]
struct RunArgs {
    /// Render offscreen, without a window.
    #[arg(long)]
    headless: bool,
}

#[derive(Args, Debug)]
struct ReplayArgs {
    /// The scene: window size and widgets, back to front (SCENE.json).
    #[arg(long, value_name = "SCENE.json")]
    scene: PathBuf,
    /// The touch events, one JSON object per line (TRACE.jsonl).
    #[arg(long, value_name = "TRACE.jsonl")]
    trace: PathBuf,
    /// Advance the clock to this time after the last event, so glides and
    /// fades finish (e.g. "3s").
    #[arg(long, value_name = "TIME", value_parser = config::duration::parse)]
    until: Option<Duration>,
    /// Print compact JSON on one line.
    #[arg(long)]
    compact: bool,
}

/// An error that is the user's to fix: bad input, bad config. Exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vitrine: {e:#}");
            let usage = e.downcast_ref::<UsageError>().is_some()
                || e.downcast_ref::<config::ConfigError>().is_some()
                || e.downcast_ref::<replay::ReplayError>().is_some();
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

fn load_config(path: Option<&Path>) -> anyhow::Result<Config> {
    let explicit = path.is_some();
    let path = path
        .map(Path::to_path_buf)
        .unwrap_or_else(config::default_path);
    let (config, found) = Config::load(&path)?;
    match (found, explicit) {
        (true, _) => tracing::info!(path = %path.display(), "loaded config"),
        (false, true) => {
            tracing::warn!(path = %path.display(), "config file not found; using defaults")
        }
        (false, false) => tracing::debug!(path = %path.display(), "no config file; using defaults"),
    }
    Ok(config)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let config = load_config(cli.config.as_deref())?;
    if cli.print_config {
        print!("{}", config.to_toml());
        return Ok(());
    }
    if cli.command.is_some() && cli.run != RunArgs::default() {
        return Err(UsageError(
            "run options go after `run` when a command is given, e.g. `vitrine run --headless`"
                .into(),
        )
        .into());
    }
    match cli.command {
        Some(Command::Replay(args)) => replay_cmd(&config, &args),
        Some(Command::Run(args)) => run_cmd(&config, &args),
        None => run_cmd(&config, &cli.run),
    }
}

fn read_input(path: &Path, what: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| UsageError(format!("cannot read {what} {}: {e}", path.display())).into())
}

fn replay_cmd(config: &Config, args: &ReplayArgs) -> anyhow::Result<()> {
    let scene = read_input(&args.scene, "scene")?;
    let trace = read_input(&args.trace, "trace")?;
    let out = replay::run(config, &scene, &trace, args.until).map_err(|e| {
        let path = match e {
            replay::ReplayError::Scene { .. } => &args.scene,
            _ => &args.trace,
        };
        anyhow::Error::new(e).context(format!("in {}", path.display()))
    })?;
    let json = if args.compact {
        serde_json::to_string(&out)
    } else {
        serde_json::to_string_pretty(&out)
    }
    .context("cannot encode the replay result")?;
    println!("{json}");
    Ok(())
}

/// Until the renderer lands, running the kiosk means running the built-in
/// demo through the headless scene core: the demo scene and a demo gesture.
fn run_cmd(config: &Config, args: &RunArgs) -> anyhow::Result<()> {
    let demo = assets::demo_dir().map_err(|e| UsageError(e.to_string()))?;
    tracing::info!(
        headless = args.headless,
        assets = %demo.display(),
        "no renderer is built yet: running the demo through the headless scene core"
    );
    let scene = read_input(&demo.join("scene.json"), "demo scene")?;
    let trace = read_input(&demo.join("trace.jsonl"), "demo trace")?;
    let out = replay::run(config, &scene, &trace, Some(Duration::from_secs(5)))?;
    for w in &out.widgets {
        let [x, y] = w.corners[0];
        println!(
            "{:<10} top-left ({x:7.1}, {y:7.1})  scale {:.2}  rotation {:6.1}°{}",
            w.name,
            w.scale,
            w.rotation,
            w.video_state
                .map(|s| format!("  video {s}"))
                .unwrap_or_default()
        );
    }
    Ok(())
}
