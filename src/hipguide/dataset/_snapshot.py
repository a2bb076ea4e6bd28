"""The shipped dataset, validated ahead of time and shipped beside the loader as plain data.

Parsing the YAML and validating it takes longer than a first run may (DESIGN.md
section 5), and for the shipped dataset the answer is always the same. So the package
carries :data:`SNAPSHOT`: what a full load of the shipped ``data/`` folder gave, in
the cache's stored form (:mod:`._cache`: marshal of plain values, every value checked
before use). It is used only for the shipped folder, and only while its key matches:
the hipguide version, the record layout, and the size and checksum of the *content*
of every dataset file and figure (not their times, which an install changes). A
dataset file edited after installing, a new version of the code, or a damaged
snapshot: the YAML is parsed as ever. A test holds the snapshot equal to a full load
of ``data/``; after editing the dataset, write it again with
``python -m hipguide.dataset._snapshot``.

Like the user's cache, reading it imports nothing beyond what Python has loaded at
start.
"""

from __future__ import annotations

import os

from hipguide import __version__
from hipguide.dataset import _cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The snapshot file, beside this module.
SNAPSHOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shipped.snapshot")
#: No dataset file is near this; a larger one is not the shipped dataset.
MAX_FILE_BYTES = 2 * 1024 * 1024


def snapshot_key(folder: str, files: tuple[str, ...], layout: str) -> str:
    """The key the snapshot must match: version, layout, and each file's content.

    "" when a file cannot be read or is too large (the full load then reports it).
    """
    from hipguide.cachefile import checksum

    parts = [f"hipguide {__version__} snapshot {_cache.CACHE_FORMAT} layout {layout}"]
    for name in files:
        try:
            with open(os.path.join(folder, name), "rb") as handle:
                content = handle.read(MAX_FILE_BYTES + 1)
        except OSError:
            return ""
        if len(content) > MAX_FILE_BYTES:
            return ""
        parts.append(f"{name}:{checksum(content):x}")
    return "|".join(parts)


def read(
    key: str, records: dict[str, type], path: str = SNAPSHOT
) -> tuple[dict[str, Any], bytes] | None:
    """The shipped fields for ``key``, rebuilt into records, with the stored body they
    came from (the user's cache stores the same); None if the snapshot is missing,
    damaged or made for other files or code."""
    import marshal

    from hipguide import cachefile

    try:
        body = cachefile.read(path, key, _cache.MAX_CACHE_BYTES, own=False)
        if body is None:
            return None
        return _cache._rebuild(marshal.loads(body), records), body
    except Exception:  # any fault at all means: parse the YAML instead
        return None


def write(path: str = SNAPSHOT) -> str:
    """Load the shipped dataset in full, ignoring every cache, and store it as the
    snapshot at ``path``; returns the path. For the project's own use after editing
    ``data/``."""
    import marshal

    from hipguide import config, dataset
    from hipguide.cachefile import pack

    folder = config.shipped_data_folder()
    loaded = dataset.load_dataset_uncached(folder)
    key = snapshot_key(folder, dataset.dataset_files(folder), dataset._layout_fingerprint())
    if not key:
        raise OSError(f"The dataset in {folder} cannot be read.")
    layout = _cache.layout_of(dataset.RECORDS, dataset._top_hints())
    body = marshal.dumps(_cache._encode(dataset._fields_of(loaded), layout))
    with open(path, "wb") as handle:
        handle.write(pack(key, body))
    return path


if __name__ == "__main__":
    print(f"Wrote {write()}")
