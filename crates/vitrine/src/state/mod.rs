//! The desired state: what the back office asked the kiosk to show (each widget's source and home, their order, the backdrop) with a revision number, as one serde document.
//!
//! The kiosk keeps this document durably ([`store`]) and restores it at
//! start. It changes only through the operations here, each of which says
//! whether anything changed, so the revision grows by exactly one per real
//! change. Touches never change it: a customer's drag is not the shop's
//! layout.

pub mod durable;
pub mod store;

pub use store::{Opened, Store, StoreError};
pub use vitrine_api::document::{
    Backdrop, Desired, Document, FORMAT, Home, Item, Layout, LayoutRef, Source, Transition,
    VERSION, Widget,
};
