// The displaymanager interface from vitrine's origins, completed. vitrine
// serves it as JSON-RPC methods over jsocket framings (see docs/remote-api.md); the names and the pushResult values are the same.

namespace cpp displaymanager
namespace py displaymanager

enum pushResult {
  SUCCESS = 0,
  INVALID_ARGUMENT = 1,
  NOT_FOUND = 2,
  UNSUPPORTED = 3,
  LOAD_FAILED = 4,
  FORBIDDEN = 5,
  TIMEOUT = 6,
}

// Which gestures a widget answers; a switch left out keeps its value. (Type
// names are capitalised so that no field has its type's name, which C++
// stubs cannot compile.)
struct Gestures {
  1: optional bool translate,
  2: optional bool rotate,
  3: optional bool scale,
}

// Where content goes: the centre in window pixels, the scale or the shown
// width (the height follows), the clockwise turn in degrees; the gestures it
// answers, whether it is pinned (no gestures, taps still work) and whether it
// fills the screen ("screen": covering it, pinned, at the back; "none").
// Every field is optional; what is left out comes from the default placement.
struct Placement {
  1: optional double x,
  2: optional double y,
  3: optional double scale,
  4: optional double rotation,
  5: optional double width,
  6: optional Gestures gestures,
  7: optional bool pinned,
  8: optional string fill,
}

struct pushUrl {
  1: string name,
  2: string url,
  // For a video: an image URL shown until it first plays.
  3: optional string poster,
  4: optional Placement placement,
}

struct pushHtml {
  1: string name,
  2: string data,
  // Where relative links and resources resolve; none by default.
  3: optional string baseUrl,
  // The viewport in CSS pixels; html.viewport by default.
  4: optional i32 width,
  5: optional i32 height,
  6: optional Placement placement,
}

service displaymanager {
  // Loads a file://, http:// or https:// URL into the widget `name` (an
  // image, a video or an HTML page, sniffed). Answers once it shows or fails.
  pushResult fetchUrl(1: pushUrl url),
  // Shows an HTML document in the widget `name`.
  pushResult postHtml(1: pushHtml html),
  // The name of the front-most content, or "" when nothing is loaded.
  string whatsLoaded(),
  // The URL of the front-most content: "" for posted HTML and an empty screen.
  string currentUrl(),
}
