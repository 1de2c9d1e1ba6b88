//! The `vitrine` command line: run the kiosk (the default), replay gesture traces, print the config, drive a kiosk, check the machine, and print completions and the manual page.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, CommandFactory, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

mod cli;

use cli::{ctl, journal, man};

use vitrine::app::{self, RunOptions};
use vitrine::config::{self, Config};
use vitrine::replay;
use vitrine::rotation::Rotation;

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
    /// Drive a running vitrine over its JSON socket.
    Ctl(ctl::CtlArgs),
    /// Check this machine for what the kiosk needs, print a table, and exit
    /// 0 when it can run (1 when something is missing, with what to install).
    Doctor {
        /// The kiosk will run headless: no display is needed.
        #[arg(long)]
        headless: bool,
    },
    /// Print shell completions to stdout, e.g. `vitrine completions bash`
    /// (the package installs bash, zsh and fish completions).
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to stdout; the package installs it.
    #[command(hide = true)]
    Manpage,
}

#[derive(Args, Debug, Default, PartialEq)]
struct RunArgs {
    /// Render offscreen, without a window (also the fallback when there is no display).
    #[arg(long)]
    headless: bool,
    /// Open a window instead of going fullscreen.
    #[arg(long)]
    windowed: bool,
    /// Window or headless frame size in pixels, e.g. 1280x720 [default: window.size].
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    size: Option<(u32, u32)>,
    /// Turn the picture clockwise on the panel: 0, 90, 180 or 270 degrees
    /// [default: window.rotation]. With 90 or 270, --size is the panel's.
    #[arg(long, value_name = "DEG", value_parser = parse_rotation)]
    rotation: Option<Rotation>,
    /// Write one PNG of the composed frame and exit.
    #[arg(long, value_name = "FILE")]
    screenshot: Option<PathBuf>,
    /// With --screenshot: take it no earlier than this after start, e.g. 1.5s
    /// (it also waits for content to finish loading).
    #[arg(long, value_name = "TIME", value_parser = config::duration::parse, requires = "screenshot")]
    after: Option<Duration>,
    /// Exit after this long, e.g. 30s.
    #[arg(long, value_name = "TIME", value_parser = config::duration::parse)]
    exit_after: Option<Duration>,
    /// Start the kiosk's clock at this RFC 3339 instant, e.g.
    /// 2027-03-28T01:59:50+01:00, and let it run at real speed: to check a
    /// schedule before it goes live, for demos and for tests.
    #[arg(long, value_name = "INSTANT", value_parser = vitrine::plan::Clock::parse_instant)]
    clock: Option<vitrine::plan::Timestamp>,
    /// Start with an empty screen instead of the built-in demo.
    #[arg(long)]
    no_demo: bool,
    /// Show this image, video or page at start (a file or a URL; repeatable).
    /// The demo is not shown then.
    #[arg(long, value_name = "FILE|URL")]
    load: Vec<String>,
    /// Listen for remote control on this port instead of remote.port (0: any free port).
    #[arg(long, value_name = "PORT")]
    remote_port: Option<u16>,
    /// Do not start the remote control server.
    #[arg(long)]
    no_remote: bool,
    /// Serve Thrift on this port instead of thrift.port (0: any free port).
    #[arg(long, value_name = "PORT")]
    thrift_port: Option<u16>,
    /// Do not start the Thrift endpoint.
    #[arg(long)]
    no_thrift: bool,
    /// Listen for TUIO on this UDP port (0: any free port), even with
    /// tuio.enabled = false.
    #[arg(long, value_name = "PORT")]
    tuio_port: Option<u16>,
    /// Serve the admin page on this port instead of admin.port (0: any free port).
    #[arg(long, value_name = "PORT")]
    admin_port: Option<u16>,
    /// Do not serve the admin page.
    #[arg(long)]
    no_admin: bool,
    /// Do not connect to the fleet's broker (fleet.enabled).
    #[arg(long)]
    no_fleet: bool,
    /// Neither restore nor save the desired state (state.enabled = false).
    #[arg(long)]
    no_state: bool,
}

fn parse_rotation(text: &str) -> Result<Rotation, String> {
    let degrees: u32 = text
        .parse()
        .map_err(|_| format!("{text:?} is not 0, 90, 180 or 270"))?;
    Rotation::try_from(degrees)
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{text:?} is not a size like 1280x720");
    let (w, h) = text.split_once(['x', 'X']).ok_or_else(bad)?;
    let w: u32 = w.trim().parse().map_err(|_| bad())?;
    let h: u32 = h.trim().parse().map_err(|_| bad())?;
    if w == 0 || h == 0 || w > 16384 || h > 16384 {
        return Err(format!(
            "{text:?}: width and height must be between 1 and 16384"
        ));
    }
    Ok((w, h))
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
                || e.downcast_ref::<replay::ReplayError>().is_some()
                || matches!(
                    e.downcast_ref::<app::AppError>(),
                    Some(app::AppError::Remote(_) | app::AppError::Thrift(_))
                );
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Under systemd, stderr goes to the journal, which stamps each line
    // itself and reads a `<N>` prefix as its syslog priority.
    if std::env::var_os("JOURNAL_STREAM").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .event_format(journal::Journal)
            .init();
        return;
    }
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
    // Made from the command line alone: no config is read.
    match cli.command {
        Some(Command::Completions { shell }) => {
            man::completions(Cli::command(), shell, &mut std::io::stdout().lock());
            return Ok(());
        }
        Some(Command::Manpage) => {
            return man::manpage(Cli::command(), &mut std::io::stdout().lock())
                .context("cannot write the manual page");
        }
        _ => {}
    }
    // The doctor reports a bad config in its table rather than stopping.
    if let Some(Command::Doctor { headless }) = cli.command {
        let opts = vitrine::doctor::DoctorOptions {
            config: cli.config.clone().unwrap_or_else(config::default_path),
            headless,
        };
        let report = vitrine::doctor::run(&opts);
        print!("{}", report.render());
        std::process::exit(if report.can_run() { 0 } else { 1 });
    }
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
        Some(Command::Ctl(args)) => {
            let code = match ctl::run(&config, &args) {
                ctl::Outcome::Ok => 0,
                ctl::Outcome::Failed => 1,
                ctl::Outcome::Usage => 2,
            };
            std::process::exit(code);
        }
        Some(Command::Replay(args)) => replay_cmd(&config, &args),
        // Handled above, before the config is loaded.
        Some(Command::Doctor { .. } | Command::Completions { .. } | Command::Manpage) => Ok(()),
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

/// Runs the kiosk: a window, or offscreen with --headless or no display.
fn run_cmd(config: &Config, args: &RunArgs) -> anyhow::Result<()> {
    let mut config = config.clone();
    if let Some(r) = args.rotation {
        config.window.rotation = r;
    }
    let opts = RunOptions {
        headless: args.headless,
        windowed: args.windowed,
        size: args.size,
        screenshot: args.screenshot.clone(),
        after: args.after.unwrap_or_default(),
        exit_after: args.exit_after,
        clock: args.clock,
        demo: !args.no_demo && args.load.is_empty(),
        load: args.load.clone(),
        remote_port: args.remote_port,
        no_remote: args.no_remote,
        thrift_port: args.thrift_port,
        no_thrift: args.no_thrift,
        tuio_port: args.tuio_port,
        admin_port: args.admin_port,
        no_admin: args.no_admin,
        no_fleet: args.no_fleet,
        no_state: args.no_state,
    };
    app::run(config, opts)?;
    Ok(())
}
