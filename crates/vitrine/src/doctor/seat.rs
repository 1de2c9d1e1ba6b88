//! The doctor's Wayland seat check: which compositor runs, the protocols vitrine relies on or would use (decorations, presentation time, output power, the virtual pointer the tests drive), and whether the last run's first frame was taken.

use std::path::Path;

use wayland_client::protocol::wl_registry;
use wayland_client::{Connection, Dispatch, QueueHandle};

use super::report::Check;
use crate::config::Config;

/// The protocols looked for: the global's interface and what it is for.
const PROTOCOLS: &[(&str, &str)] = &[
    ("zxdg_decoration_manager_v1", "decorations"),
    ("wp_presentation", "presentation time"),
    ("zwlr_output_power_manager_v1", "output power"),
    ("zwlr_virtual_pointer_manager_v1", "virtual pointer"),
];

/// The interfaces the compositor offers.
#[derive(Default)]
struct Globals(Vec<String>);

impl Dispatch<wl_registry::WlRegistry, ()> for Globals {
    fn event(
        state: &mut Self,
        _: &wl_registry::WlRegistry,
        event: wl_registry::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        if let wl_registry::Event::Global { interface, .. } = event {
            state.0.push(interface);
        }
    }
}

/// The compositor's globals, through its own socket.
fn globals() -> Result<Vec<String>, String> {
    let connection = Connection::connect_to_env().map_err(|e| e.to_string())?;
    let mut queue = connection.new_event_queue();
    connection.display().get_registry(&queue.handle(), ());
    let mut globals = Globals::default();
    queue.roundtrip(&mut globals).map_err(|e| e.to_string())?;
    Ok(globals.0)
}

/// The process listening on the Wayland socket: its path's inode in
/// /proc/net/unix, then the process holding that socket (one of this
/// user's, as a compositor usually is).
fn compositor() -> Option<String> {
    let name = std::env::var_os("WAYLAND_DISPLAY")?;
    let path = Path::new(&name);
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        Path::new(&std::env::var_os("XDG_RUNTIME_DIR")?).join(path)
    };
    let path = path.to_string_lossy().into_owned();
    let table = std::fs::read_to_string("/proc/net/unix").ok()?;
    let inode = table.lines().skip(1).find_map(|l| {
        let fields: Vec<&str> = l.split_whitespace().collect();
        // Num RefCount Protocol Flags Type St Inode Path; St 01 listens.
        (fields.len() >= 8 && fields[7] == path && fields[5] == "01").then(|| fields[6].to_string())
    })?;
    let wanted = format!("socket:[{inode}]");
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(Result::ok)
        .find_map(|e| {
            let pid = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let holds = std::fs::read_dir(e.path().join("fd"))
                .ok()?
                .filter_map(Result::ok)
                .any(|fd| {
                    std::fs::read_link(fd.path()).is_ok_and(|t| t.as_os_str() == wanted.as_str())
                });
            holds.then(|| {
                let comm = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default();
                format!("{} (pid {pid})", comm.trim())
            })
        })
}

/// What the last windowed run recorded of its first frame.
fn last_first_frame(config: &Config) -> String {
    let Some(dir) = config.state.resolve_dir() else {
        return "no state folder, so no record of a first frame".into();
    };
    match crate::app::FirstFrameRecord::read(&dir) {
        Some(r) => r.describe(),
        None => format!(
            "no windowed run recorded yet in {}",
            Path::new(&dir).display()
        ),
    }
}

/// The Wayland seat, when there is one; `None` under X11 or headless.
pub fn seat(config: &Config) -> Option<Check> {
    std::env::var_os("WAYLAND_DISPLAY").filter(|v| !v.is_empty())?;
    let who = compositor().unwrap_or_else(|| "an unknown compositor".into());
    let globals = match globals() {
        Ok(g) => g,
        Err(e) => {
            return Some(Check::missing(
                "wayland",
                format!("{who}: cannot list its protocols: {e}"),
                "check that the compositor runs and that this user may use its socket",
            ));
        }
    };
    let offered: Vec<String> = PROTOCOLS
        .iter()
        .map(|(interface, what)| {
            let yes = globals.iter().any(|g| g == interface);
            format!("{what} ({interface}): {}", if yes { "yes" } else { "no" })
        })
        .collect();
    let power = if globals.iter().any(|g| g == "zwlr_output_power_manager_v1") {
        "the compositor's output power (and a black frame)"
    } else {
        "a black frame (the compositor offers no output power)"
    };
    let detail = format!(
        "{who}\n{}\nscreen power: {power}\nlast run: {}",
        offered.join("\n"),
        last_first_frame(config)
    );
    Some(Check::ok("wayland", detail))
}
