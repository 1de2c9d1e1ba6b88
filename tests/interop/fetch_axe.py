"""Fetches axe-core from the npm registry (the tarball, not the npm client),
checks it against the registry's published SHA-512, and keeps axe.min.js.

Usage: python fetch_axe.py VERSION SHA512_BASE64 OUT_DIR
"""

import base64
import hashlib
import io
import pathlib
import sys
import tarfile
import urllib.request


def main():
    version, integrity, out = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    target = out / "axe.min.js"
    if target.exists():
        return
    url = "https://registry.npmjs.org/axe-core/-/axe-core-%s.tgz" % version
    with urllib.request.urlopen(url, timeout=120) as r:
        data = r.read()
    got = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if got != integrity:
        sys.exit("axe-core %s: checksum mismatch (got %s)" % (version, got))
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        script = tar.extractfile("package/axe.min.js").read()
    out.mkdir(parents=True, exist_ok=True)
    target.write_bytes(script)
    print("axe-core %s: %d bytes" % (version, len(script)))


if __name__ == "__main__":
    main()
