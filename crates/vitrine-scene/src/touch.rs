//! Touch dispatch: hit-testing top-most first, per-finger capture, taps, and the start of glides.

use std::time::Duration;

use glam::{DAffine2, DVec2};

use super::arena::{Layer, Scene};
use super::effect::Effect;
use super::geometry::is_usable_transform;
use super::ids::WidgetId;
use super::inertia::{Inertia, VelocityTracker};
use super::input::{Finger, FingerId, Hit, Phase, TouchEvent, TouchOutcome};
use super::interaction::Interaction;
use super::scatter::{Captured, keep_on_screen_offset, transform_with_touch};
use super::widget::Kind;

impl Scene {
    /// What a window point lands on, top-most first. Rotated and scaled
    /// bounds are exact: the point is mapped through each widget's inverse.
    pub fn hit_test(&self, pos: DVec2) -> Hit {
        for layer in self.order.iter().rev() {
            match *layer {
                Layer::Backdrop if self.backdrop.is_shown() => return Hit::Backdrop,
                Layer::Backdrop => {}
                Layer::Widget(id) => {
                    if let Some(w) = self.get(id)
                        && w.contains(pos)
                        && w.accepts_touches()
                    {
                        return Hit::Widget(id);
                    }
                }
            }
        }
        Hit::Nothing
    }

    /// Dispatches one touch event. The clock first advances to its time.
    pub fn touch(&mut self, ev: TouchEvent) -> TouchOutcome {
        if !ev.pos.is_finite() {
            return TouchOutcome::Ignored;
        }
        self.advance(ev.time);
        match ev.phase {
            Phase::Start => self.finger_down(ev),
            Phase::Move => self.finger_move(ev),
            Phase::End => self.finger_up(ev, false),
            Phase::Cancel => self.finger_up(ev, true),
        }
    }

    fn finger_down(&mut self, ev: TouchEvent) -> TouchOutcome {
        // A second start for a finger that is down means the source lost its
        // end; the old finger is cancelled rather than left captured.
        if self.fingers.contains_key(&ev.id) {
            self.finger_up(ev, true);
        }
        let target = self.hit_test(ev.pos);
        let mut alone = true;
        if let Hit::Widget(id) = target {
            if self.get(id).is_some_and(|w| w.scatter.bring_to_front) {
                // The id came from the hit test, so the widget exists.
                let _ = self.raise(id);
            }
            if let Some(w) = self.get_mut(id) {
                w.inertia = None;
                w.tween = None;
                w.captured.push(ev.id);
                alone = w.captured.len() == 1;
                match &mut w.interaction {
                    Some(i) if !alone => i.finger_down(w.captured.len()),
                    _ => w.interaction = Some(Interaction::begin(ev.time, w.transform)),
                }
            }
            self.gliding.retain(|g| *g != id);
            if !alone {
                self.mark_shared(id);
            }
        }
        let mut velocity = VelocityTracker::default();
        velocity.push(ev.time, ev.pos);
        self.fingers.insert(
            ev.id,
            Finger {
                target,
                start: ev.pos,
                start_time: ev.time,
                last: ev.pos,
                travel: 0.0,
                alone,
                velocity,
            },
        );
        TouchOutcome::Delivered(target)
    }

    /// Marks every finger on a widget as shared, so none of them is a tap.
    fn mark_shared(&mut self, id: WidgetId) {
        for f in self.fingers.values_mut() {
            if f.target == Hit::Widget(id) {
                f.alone = false;
            }
        }
    }

    fn finger_move(&mut self, ev: TouchEvent) -> TouchOutcome {
        let Some(finger) = self.fingers.get_mut(&ev.id) else {
            return TouchOutcome::Ignored;
        };
        finger.travel = finger.travel.max(finger.start.distance(ev.pos));
        finger.velocity.push(ev.time, ev.pos);
        let target = finger.target;
        if let Hit::Widget(id) = target {
            self.transform_widget(id, ev.id, ev.pos);
        }
        if let Some(finger) = self.fingers.get_mut(&ev.id) {
            finger.last = ev.pos;
        }
        TouchOutcome::Delivered(target)
    }

    /// Applies one captured finger's move to its widget.
    fn transform_widget(&mut self, id: WidgetId, finger: FingerId, pos: DVec2) {
        let mut captured = std::mem::take(&mut self.scratch);
        captured.clear();
        if let Some(w) = self.get(id) {
            captured.extend(w.captured.iter().filter_map(|f| {
                self.fingers.get(f).map(|state| Captured {
                    finger: *f,
                    last: state.last,
                })
            }));
        }
        let window = self.settings.window;
        if let Some(w) = self.get_mut(id) {
            let mut t = w.transform;
            if transform_with_touch(&mut t, &w.scatter, &captured, finger, pos) {
                let back = keep_on_screen_offset(&t, w.size, window, &w.scatter);
                t = DAffine2::from_translation(back) * t;
                if is_usable_transform(&t) {
                    w.set_transform(t);
                    self.dirty = true;
                }
            }
        }
        self.scratch = captured;
    }

    fn finger_up(&mut self, ev: TouchEvent, cancelled: bool) -> TouchOutcome {
        let Some(finger) = self.fingers.remove(&ev.id) else {
            return TouchOutcome::Ignored;
        };
        let travel = finger.travel.max(finger.start.distance(ev.pos));
        let tap = !cancelled
            && finger.alone
            && travel <= self.settings.touch.tap_max_distance
            && ev.time.saturating_sub(finger.start_time) <= self.settings.touch.tap_max_duration;
        match finger.target {
            Hit::Widget(id) => {
                let Some(w) = self.get_mut(id) else {
                    return TouchOutcome::Delivered(Hit::Nothing);
                };
                w.captured.retain(|f| *f != ev.id);
                if let Some(i) = &mut w.interaction {
                    i.finger_up(travel, tap);
                }
                let last = w.captured.is_empty();
                let local = w.to_local(ev.pos);
                if tap {
                    self.tapped(id, local);
                } else if !cancelled && last {
                    self.maybe_glide(id, &finger.velocity, ev.time);
                }
                if last {
                    self.end_interaction(id, ev.time);
                }
                if tap {
                    return TouchOutcome::Tapped(id);
                }
            }
            Hit::Backdrop => {
                if tap && self.settings.backdrop_tap_to_dismiss && self.backdrop.is_shown() {
                    self.hide_backdrop(ev.time);
                    self.effects.push(Effect::BackdropDismissed);
                }
            }
            Hit::Nothing => {}
        }
        TouchOutcome::Delivered(finger.target)
    }

    fn tapped(&mut self, id: WidgetId, local: DVec2) {
        self.effects.push(Effect::Tap { widget: id, local });
        if let Some(w) = self.get_mut(id)
            && let Kind::Video { control, .. } = &mut w.kind
        {
            let command = control.toggle();
            self.effects.push(Effect::Video {
                widget: id,
                command,
            });
            self.dirty = true;
        }
    }

    /// Starts a glide when the last finger leaves a widget fast enough.
    fn maybe_glide(&mut self, id: WidgetId, velocity: &VelocityTracker, now: Duration) {
        let Some(w) = self.get_mut(id) else { return };
        let s = &w.scatter;
        if !(s.inertia && s.translate) {
            return;
        }
        let v = velocity.velocity(now);
        if v.length() < s.inertia_min_speed || v.length() == 0.0 {
            return;
        }
        w.inertia = Some(Inertia::new(v, now, s.inertia_friction));
        self.gliding.push(id);
    }

    /// The last finger left widget `id` at `now`: its interaction is over,
    /// and what it was goes out as an effect.
    fn end_interaction(&mut self, id: WidgetId, now: Duration) {
        let tap_distance = self.settings.touch.tap_max_distance;
        let Some(w) = self.get_mut(id) else { return };
        if let Some(i) = w.interaction.take() {
            let record = i.finish(id, now, &w.transform, tap_distance);
            self.effects.push(Effect::Gesture(record));
        }
    }

    /// Cancels the capture of every finger held by a widget below the
    /// backdrop, so a gesture under a modal cannot live on (Kivy #4756).
    pub(super) fn cancel_fingers_below(&mut self, backdrop_z: usize, now: Duration) {
        let below: Vec<WidgetId> = self.order[..backdrop_z]
            .iter()
            .filter_map(|l| match l {
                Layer::Widget(id) => Some(*id),
                Layer::Backdrop => None,
            })
            .collect();
        for id in below {
            let Some(w) = self.get_mut(id) else { continue };
            if w.captured.is_empty() {
                continue;
            }
            let fingers = std::mem::take(&mut w.captured);
            for f in fingers {
                if let Some(state) = self.fingers.get_mut(&f) {
                    state.target = Hit::Nothing;
                }
            }
            self.end_interaction(id, now);
        }
    }
}
