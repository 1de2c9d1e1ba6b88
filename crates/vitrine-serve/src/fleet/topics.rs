//! The fleet's topic scheme: the topics a kiosk listens on and publishes to, and what an incoming topic is.
//!
//! ```text
//! vitrine/<kiosk_id>/cmd          commands to one kiosk         (QoS 1)
//! vitrine/group/<group>/cmd       commands to a group            (QoS 1)
//! vitrine/all/cmd                 commands to every kiosk        (QoS 1)
//! vitrine/<kiosk_id>/reply        replies, correlated by id      (QoS 1)
//! vitrine/<kiosk_id>/events       the event stream               (QoS 0)
//! vitrine/<kiosk_id>/status       online/offline and what shows  (retained, QoS 1)
//! vitrine/<kiosk_id>/screenshot   a PNG, on request              (QoS 0)
//! vitrine/<kiosk_id>/desired      desired state for one kiosk    (retained)
//! vitrine/group/<group>/desired   desired state for a group      (retained)
//! vitrine/all/desired             desired state for every kiosk  (retained)
//! ```

/// Every topic starts with this level.
pub const ROOT: &str = "vitrine";

/// One kiosk's topics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topics {
    id: String,
    groups: Vec<String>,
}

/// What a message that arrived is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Incoming {
    Command,
    Desired,
}

impl Topics {
    /// The topics of kiosk `id` in `groups` (both checked by the config).
    pub fn new(id: &str, groups: &[String]) -> Self {
        Self {
            id: id.to_string(),
            groups: groups.to_vec(),
        }
    }

    /// This kiosk's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The groups it is in.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    fn own(&self, leaf: &str) -> String {
        format!("{ROOT}/{}/{leaf}", self.id)
    }

    /// Where commands for this kiosk arrive, or desired states (`leaf`):
    /// its own, each group's, and everyone's.
    fn addressed(&self, leaf: &str) -> Vec<String> {
        let mut t = vec![self.own(leaf), format!("{ROOT}/all/{leaf}")];
        t.extend(
            self.groups
                .iter()
                .map(|g| format!("{ROOT}/group/{g}/{leaf}")),
        );
        t
    }

    /// Every topic the kiosk subscribes to.
    pub fn subscriptions(&self) -> Vec<String> {
        let mut t = self.addressed("cmd");
        t.extend(self.addressed("desired"));
        t
    }

    pub fn reply(&self) -> String {
        self.own("reply")
    }

    pub fn events(&self) -> String {
        self.own("events")
    }

    pub fn status(&self) -> String {
        self.own("status")
    }

    pub fn screenshot(&self) -> String {
        self.own("screenshot")
    }

    /// The day's proof of play, retained.
    pub fn plays(&self) -> String {
        self.own("plays")
    }

    /// The status document's fixed part, as published retained on the
    /// status topic; the offline one is the last will.
    pub fn status_document(&self, online: bool) -> serde_json::Value {
        serde_json::json!({
            "kiosk_id": self.id,
            "online": online,
            "groups": self.groups,
            "version": env!("CARGO_PKG_VERSION"),
        })
    }

    /// What a message on `topic` is, if it is one this kiosk takes.
    pub fn classify(&self, topic: &str) -> Option<Incoming> {
        if self.addressed("cmd").iter().any(|t| t == topic) {
            Some(Incoming::Command)
        } else if self.addressed("desired").iter().any(|t| t == topic) {
            Some(Incoming::Desired)
        } else {
            None
        }
    }
}

/// The command topic of a target as `vitrine ctl --fleet` names it: a kiosk
/// id, `group:<name>`, or `all`.
pub fn command_topic(target: &str) -> Option<String> {
    let ok = vitrine_config::is_topic_name;
    match target.split_once(':') {
        Some(("group", g)) if ok(g) => Some(format!("{ROOT}/group/{g}/cmd")),
        None if target == "all" => Some(format!("{ROOT}/all/cmd")),
        None if ok(target) && target != "group" => Some(format!("{ROOT}/{target}/cmd")),
        _ => None,
    }
}

/// The kiosk id of a kiosk's own topic (`vitrine/<id>/<leaf>`).
pub fn kiosk_of<'a>(topic: &'a str, leaf: &str) -> Option<&'a str> {
    let rest = topic.strip_prefix(ROOT)?.strip_prefix('/')?;
    let (id, tail) = rest.split_once('/')?;
    (tail == leaf && id != "all" && id != "group").then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kiosk_takes_its_own_its_groups_and_everyones_messages_only() {
        let t = Topics::new("k1", &["north".into()]);
        assert_eq!(t.classify("vitrine/k1/cmd"), Some(Incoming::Command));
        assert_eq!(t.classify("vitrine/all/cmd"), Some(Incoming::Command));
        assert_eq!(
            t.classify("vitrine/group/north/cmd"),
            Some(Incoming::Command)
        );
        assert_eq!(
            t.classify("vitrine/group/north/desired"),
            Some(Incoming::Desired)
        );
        assert_eq!(t.classify("vitrine/group/south/cmd"), None);
        assert_eq!(t.classify("vitrine/k2/cmd"), None);
        assert_eq!(t.classify("vitrine/k1/reply"), None);
        assert_eq!(t.subscriptions().len(), 6);
        assert_eq!(t.status(), "vitrine/k1/status");
    }

    #[test]
    fn ctl_targets_name_one_topic_each() {
        assert_eq!(command_topic("k1").as_deref(), Some("vitrine/k1/cmd"));
        assert_eq!(command_topic("all").as_deref(), Some("vitrine/all/cmd"));
        assert_eq!(
            command_topic("group:north").as_deref(),
            Some("vitrine/group/north/cmd")
        );
        for bad in ["", "group", "group:", "a/b", "k+", "group:a/b", "x:y"] {
            assert_eq!(command_topic(bad), None, "{bad}");
        }
        assert_eq!(kiosk_of("vitrine/k1/reply", "reply"), Some("k1"));
        assert_eq!(kiosk_of("vitrine/all/reply", "reply"), None);
        assert_eq!(kiosk_of("vitrine/k1/status", "reply"), None);
    }
}
