//! Each method's parameter names, in IDL order, and the key of the IDL's nested struct where it has one: what turns positional and nested parameters into named ones.

/// The parameter names of each method, in IDL order, and the key of the
/// IDL's nested struct, if it has one.
pub(super) fn signature(method: &str) -> Option<(&'static [&'static str], Option<&'static str>)> {
    Some(match method {
        "fetchUrl" => (&["name", "url", "poster", "placement"], Some("url")),
        "postHtml" => (
            &["name", "data", "baseUrl", "width", "height", "placement"],
            Some("html"),
        ),
        "whatsLoaded" | "currentUrl" | "listContent" | "hideBackdrop" | "ping" | "reset"
        | "unsubscribe" => (&[], None),
        "subscribe" => (&["events"], None),
        "stats" => (&["since", "reset"], None),
        "getState" => (&[], None),
        "timeline" => (&["date"], None),
        "display" => (&["power"], None),
        "setState" => (&["format", "version", "state"], Some("document")),
        "remove" | "raise" | "play" | "pause" => (&["name"], None),
        "showBackdrop" => (&["color", "above"], None),
        "screenshot" => (&["max_width"], None),
        "preview" => (&["layout", "max_width"], None),
        "place" => (
            &[
                "name", "x", "y", "scale", "rotation", "width", "z", "animate", "gestures",
                "pinned", "fill",
            ],
            None,
        ),
        _ => return None,
    })
}
