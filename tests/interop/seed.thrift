// The seed's original interface (../shared/seeds/), as its blog post printed
// it, with the braces and enum values the post's formatting lost: the four
// methods and their two structs, nothing of vitrine's optional extensions. A
// client generated from this file must still work against vitrine.

namespace cpp displaymanager
namespace py seed_displaymanager

enum pushResult {
  SUCCESS = 0,
  INVALID_ARGUMENT = 1,
  NOT_FOUND = 2,
  UNSUPPORTED = 3,
  LOAD_FAILED = 4,
  FORBIDDEN = 5,
  TIMEOUT = 6,
}

struct pushUrl {
  1: string name,
  2: string url
}

struct pushHtml {
  1: string name,
  2: string data
}

service displaymanager {
  pushResult fetchUrl(1: pushUrl url);
  pushResult postHtml(1: pushHtml html);
  string whatsLoaded();
  string currentUrl();
}
