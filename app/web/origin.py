"""Where an article came from, as a page shows it: relative to what the import was given
(`seeds/003.txt`, `reuters.tar.gz!reut2-000.sgm`), never the server's absolute file path."""
from __future__ import annotations

import posixpath


def shown_origin(origin: str, import_paths: list[str]) -> str:
    """``origin`` relative to the import path that holds it, that path's last folder kept
    (``/srv/data/seeds/003.txt`` imported as ``/srv/data/seeds`` -> ``seeds/003.txt``). A URL is
    shown whole; a path under none of them shows its file name (with any archive member)."""
    if "://" in origin:
        return origin
    for given in sorted(import_paths, key=len, reverse=True):
        root = given.rstrip("/")
        if not root:
            continue
        at = _find_root(origin, root)
        if at is not None:
            base = posixpath.basename(root) or root
            rest = origin[at + len(root):].lstrip("/")
            return f"{base}/{rest}" if rest and not rest.startswith("!") else base + rest
    return posixpath.basename(origin.split("!", 1)[0]) + ("!" + origin.split("!", 1)[1] if "!" in origin else "")


def _find_root(origin: str, root: str) -> int | None:
    """Where the given path ``root`` starts in ``origin`` as whole path segments (a relative
    ``app/samples`` sits inside the stored absolute path), else None."""
    start = 0
    while (at := origin.find(root, start)) >= 0:
        before_ok = at == 0 or origin[at - 1] == "/" or root.startswith("/")
        end = at + len(root)
        after_ok = end == len(origin) or origin[end] in "/!"
        if before_ok and after_ok and (at == 0 or not root.startswith("/")):
            return at
        start = at + 1
    return None
