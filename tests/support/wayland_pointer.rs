//! A real Wayland pointer for the window tests: a client of the compositor that creates a pointer through wlroots' virtual-pointer protocol (`zwlr_virtual_pointer_manager_v1`, which sway offers) and moves and clicks it as a person would, since a headless seat has no input devices.

use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

use wayland_client::protocol::{wl_pointer, wl_registry, wl_seat};
use wayland_client::{Connection, Dispatch, EventQueue, QueueHandle};
use wayland_protocols_wlr::virtual_pointer::v1::client::{
    zwlr_virtual_pointer_manager_v1::ZwlrVirtualPointerManagerV1,
    zwlr_virtual_pointer_v1::ZwlrVirtualPointerV1,
};

/// `BTN_LEFT` from linux/input-event-codes.h.
const BTN_LEFT: u32 = 0x110;

#[derive(Default)]
struct Globals {
    seat: Option<wl_seat::WlSeat>,
    manager: Option<ZwlrVirtualPointerManagerV1>,
}

impl Dispatch<wl_registry::WlRegistry, ()> for Globals {
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
                "wl_seat" if state.seat.is_none() => {
                    state.seat = Some(registry.bind(name, 1, qh, ()));
                }
                "zwlr_virtual_pointer_manager_v1" => {
                    state.manager = Some(registry.bind(name, 1, qh, ()));
                }
                _ => {}
            }
        }
    }
}

wayland_client::delegate_noop!(Globals: ignore wl_seat::WlSeat);
wayland_client::delegate_noop!(Globals: ignore ZwlrVirtualPointerManagerV1);
wayland_client::delegate_noop!(Globals: ignore ZwlrVirtualPointerV1);

/// A virtual pointer on the compositor at `socket`, over an output of
/// `size` (absolute positions are fractions of it).
pub struct Pointer {
    connection: Connection,
    queue: EventQueue<Globals>,
    globals: Globals,
    pointer: ZwlrVirtualPointerV1,
    size: (u32, u32),
    started: Instant,
}

impl Pointer {
    pub fn connect(socket: &Path, size: (u32, u32)) -> Pointer {
        let stream = UnixStream::connect(socket).expect("the compositor's Wayland socket");
        let connection = Connection::from_socket(stream).expect("a Wayland connection");
        let mut queue = connection.new_event_queue();
        let qh = queue.handle();
        connection.display().get_registry(&qh, ());
        let mut globals = Globals::default();
        queue.roundtrip(&mut globals).expect("the registry");
        let manager = globals
            .manager
            .clone()
            .expect("the compositor offers zwlr_virtual_pointer_manager_v1");
        let pointer = manager.create_virtual_pointer(globals.seat.as_ref(), &qh, ());
        queue.roundtrip(&mut globals).expect("the virtual pointer");
        Pointer {
            connection,
            queue,
            globals,
            pointer,
            size,
            started: Instant::now(),
        }
    }

    fn time(&self) -> u32 {
        self.started.elapsed().as_millis() as u32
    }

    fn send(&mut self) {
        self.pointer.frame();
        self.queue
            .roundtrip(&mut self.globals)
            .expect("the compositor took the event");
        let _ = self.connection.flush();
    }

    /// Moves to (`x`, `y`) output pixels.
    pub fn move_to(&mut self, x: f64, y: f64) {
        let (w, h) = self.size;
        self.pointer.motion_absolute(
            self.time(),
            x.clamp(0.0, f64::from(w)) as u32,
            y.clamp(0.0, f64::from(h)) as u32,
            w,
            h,
        );
        self.send();
    }

    /// Presses or releases the left button.
    pub fn button(&mut self, pressed: bool) {
        let state = if pressed {
            wl_pointer::ButtonState::Pressed
        } else {
            wl_pointer::ButtonState::Released
        };
        self.pointer.button(self.time(), BTN_LEFT, state);
        self.send();
    }

    /// Presses at `from`, moves by `by` in `steps`, and releases, with a
    /// person's pace between events.
    pub fn drag(&mut self, from: (f64, f64), by: (f64, f64), steps: u32) {
        self.move_to(from.0, from.1);
        std::thread::sleep(Duration::from_millis(50));
        self.button(true);
        for i in 1..=steps {
            let t = f64::from(i) / f64::from(steps);
            std::thread::sleep(Duration::from_millis(30));
            self.move_to(from.0 + by.0 * t, from.1 + by.1 * t);
        }
        std::thread::sleep(Duration::from_millis(50));
        self.button(false);
    }

    /// A click at (`x`, `y`).
    pub fn tap(&mut self, x: f64, y: f64) {
        self.move_to(x, y);
        std::thread::sleep(Duration::from_millis(50));
        self.button(true);
        std::thread::sleep(Duration::from_millis(60));
        self.button(false);
    }
}
