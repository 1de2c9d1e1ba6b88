//! Events pushed to subscribers (std and serde only): declares the event types and the bus that numbers them and fans them out to bounded queues.

mod bus;
mod event;

pub use bus::{Bus, BusError, Closed, Control, Delivery, Stamped, Subscription};
pub use event::{DayTotal, Event, EventType, SUMMARY_ITEMS, TypeSet};
