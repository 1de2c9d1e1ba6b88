//! The screen's power through the compositor: wlroots' output-power protocol (`zwlr_output_power_manager_v1`, which sway offers and cage 0.1.4 does not), on a Wayland connection of its own, for every output.

use wayland_client::protocol::{wl_output, wl_registry};
use wayland_client::{Connection, Dispatch, EventQueue, QueueHandle};
use wayland_protocols_wlr::output_power_management::v1::client::{
    zwlr_output_power_manager_v1::ZwlrOutputPowerManagerV1,
    zwlr_output_power_v1::{self, ZwlrOutputPowerV1},
};

use super::switch::PowerSwitch;

#[derive(Default)]
struct State {
    outputs: Vec<wl_output::WlOutput>,
    manager: Option<ZwlrOutputPowerManagerV1>,
    /// An output's power object said it cannot be switched.
    failed: bool,
}

impl Dispatch<wl_registry::WlRegistry, ()> for State {
    fn event(
        state: &mut Self,
        registry: &wl_registry::WlRegistry,
        event: wl_registry::Event,
        _: &(),
        _: &Connection,
        qh: &QueueHandle<Self>,
    ) {
        if let wl_registry::Event::Global {
            name, interface, ..
        } = event
        {
            match interface.as_str() {
                "wl_output" => state.outputs.push(registry.bind(name, 1, qh, ())),
                "zwlr_output_power_manager_v1" => {
                    state.manager = Some(registry.bind(name, 1, qh, ()));
                }
                _ => {}
            }
        }
    }
}

impl Dispatch<ZwlrOutputPowerV1, ()> for State {
    fn event(
        state: &mut Self,
        _: &ZwlrOutputPowerV1,
        event: zwlr_output_power_v1::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        if let zwlr_output_power_v1::Event::Failed = event {
            state.failed = true;
        }
    }
}

wayland_client::delegate_noop!(State: ignore wl_output::WlOutput);
wayland_client::delegate_noop!(State: ignore ZwlrOutputPowerManagerV1);

/// The compositor's output power, for every output it has.
pub struct WaylandPower {
    queue: EventQueue<State>,
    state: State,
    powers: Vec<ZwlrOutputPowerV1>,
}

impl WaylandPower {
    /// The switch, when `WAYLAND_DISPLAY` names a compositor that offers
    /// the protocol; `None` otherwise (the screen then goes black instead).
    pub fn connect() -> Option<WaylandPower> {
        std::env::var_os("WAYLAND_DISPLAY")?;
        let connection = Connection::connect_to_env().ok()?;
        let mut queue = connection.new_event_queue();
        let qh = queue.handle();
        connection.display().get_registry(&qh, ());
        let mut state = State::default();
        queue.roundtrip(&mut state).ok()?;
        let manager = state.manager.clone()?;
        let powers = state
            .outputs
            .iter()
            .map(|o| manager.get_output_power(o, &qh, ()))
            .collect();
        queue.roundtrip(&mut state).ok()?;
        Some(WaylandPower {
            queue,
            state,
            powers,
        })
    }
}

impl PowerSwitch for WaylandPower {
    fn name(&self) -> &'static str {
        "wayland-output-power"
    }

    fn set(&mut self, on: bool) -> Result<(), String> {
        let mode = if on {
            zwlr_output_power_v1::Mode::On
        } else {
            zwlr_output_power_v1::Mode::Off
        };
        self.state.failed = false;
        for p in &self.powers {
            p.set_mode(mode);
        }
        // One round trip: the compositor has applied it (or said it failed)
        // and every event it sent since the last switch is read.
        self.queue
            .roundtrip(&mut self.state)
            .map_err(|e| e.to_string())?;
        if self.state.failed {
            return Err("the compositor cannot switch an output".into());
        }
        Ok(())
    }
}
