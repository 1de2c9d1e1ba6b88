//! `vitrine ctl`: drive a running vitrine over its JSON socket (or through the fleet's broker), and print what it answers.

use serde_json::Value;

pub use super::ctl_args::CtlArgs;
use super::ctl_args::{CtlCommand, FramingArg, request};
use vitrine::config::Config;
use vitrine::remote::{Client, ClientError, Framing};

/// How `ctl` ended: the process exit code.
pub enum Outcome {
    Ok,
    /// A non-SUCCESS status or an RPC error.
    Failed,
    /// Bad usage or no connection.
    Usage,
}

/// Runs one `ctl` command and prints its result.
pub fn run(config: &Config, args: &CtlArgs) -> Outcome {
    let command = match request(&args.command) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("vitrine ctl: {e}");
            return Outcome::Usage;
        }
    };
    if let Some(target) = &args.fleet {
        if matches!(args.command, CtlCommand::Watch { .. }) {
            eprintln!(
                "vitrine ctl: watch the fleet's events on vitrine/<kiosk>/events with any MQTT client"
            );
            return Outcome::Usage;
        }
        return match super::ctl_fleet::run(
            config,
            args.broker.as_deref(),
            target,
            &command,
            args.timeout,
        ) {
            Ok(g) if g.failed == 0 && g.silent == 0 && g.answered > 0 => Outcome::Ok,
            Ok(_) => Outcome::Failed,
            Err(e) => {
                eprintln!("vitrine ctl: {e}");
                Outcome::Usage
            }
        };
    }
    let host = args
        .host
        .clone()
        .unwrap_or_else(|| match config.remote.bind.as_str() {
            "0.0.0.0" => "127.0.0.1".into(),
            "::" => "::1".into(),
            other => other.into(),
        });
    let port = args.port.unwrap_or(config.remote.port);
    let token = args
        .token
        .clone()
        .or_else(|| Some(config.remote.token.clone()).filter(|t| !t.is_empty()));
    let framing = match args.framing {
        FramingArg::Auto | FramingArg::V2 => Framing::V2,
        FramingArg::V1 => Framing::V1,
        FramingArg::Le => Framing::Le,
    };
    let mut client = match Client::connect(&host, port, framing, token, args.timeout) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("vitrine ctl: cannot connect to {host}:{port}: {e}");
            return Outcome::Usage;
        }
    };
    let watching = matches!(args.command, CtlCommand::Watch { .. });
    match client.send(&command) {
        Ok(_) if watching => match super::ctl_events::watch(&mut client) {
            Ok(()) => Outcome::Ok,
            Err(e) => {
                eprintln!("vitrine ctl: {e}");
                Outcome::Failed
            }
        },
        Ok(result) => print_result(&args.command, &result),
        Err(ClientError::Rpc { code, message }) => {
            eprintln!("vitrine ctl: error {code}: {message}");
            Outcome::Failed
        }
        Err(e) => {
            eprintln!("vitrine ctl: {e}");
            Outcome::Usage
        }
    }
}

fn print_result(command: &CtlCommand, result: &Value) -> Outcome {
    if let CtlCommand::Screenshot { out, .. } | CtlCommand::Preview { out, .. } = command {
        let Some(png) = result["png_base64"].as_str().and_then(decode_base64) else {
            eprintln!("vitrine ctl: the screenshot reply has no image");
            return Outcome::Failed;
        };
        if let Err(e) = std::fs::write(out, png) {
            eprintln!("vitrine ctl: cannot write {}: {e}", out.display());
            return Outcome::Usage;
        }
        say(&format!(
            "{} ({}x{})",
            out.display(),
            result["width"],
            result["height"]
        ));
        return Outcome::Ok;
    }
    if let CtlCommand::Stats { csv, plays, .. } = command {
        return match super::ctl_events::print_stats(result, *csv, *plays) {
            Ok(()) => Outcome::Ok,
            Err(e) => {
                eprintln!("vitrine ctl: {e}");
                Outcome::Failed
            }
        };
    }
    match result {
        Value::String(s) => say(s),
        other => say(&serde_json::to_string_pretty(other).unwrap_or_default()),
    }
    match result.get("status").and_then(Value::as_str) {
        Some("SUCCESS") | None => Outcome::Ok,
        Some(_) => Outcome::Failed,
    }
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

/// Prints a line; a closed pipe (`| head`) is not an error worth a panic.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}
