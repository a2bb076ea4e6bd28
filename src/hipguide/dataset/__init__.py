"""The dataset in ``data/``: load it, validate it, look things up in it.

One entry point, :func:`load_dataset`. Each file is read with PyYAML's safe loader
(the C one where present) and turned into the records of :mod:`hipguide.models` by
reading their type hints (:mod:`._build`); every fault raises
:class:`~hipguide.errors.DataError` naming the file, the entry, the field and, for
YAML syntax errors, the line. Then every cross-reference is checked (:mod:`._check`).
The figures (``figures/*.svg``, :mod:`._figures`) are checked too: every point's
figure must exist and its position lie inside it. A dataset that validated is kept in
the user's cache folder as plain data (:mod:`._cache`) and read back while its files,
figures included, are unchanged. On a first run, the shipped dataset comes from the
snapshot validated ahead of time and shipped with the package (:mod:`._snapshot`),
while its files are the ones it was made from.

A cached load imports nothing beyond what Python has loaded at start (no typing,
pathlib, re, enum, functools or yaml: each costs more than the whole cached load may,
DESIGN.md section 5); a test holds it so. Folders are text on that path, and
:attr:`Dataset.directory` makes the Path when first asked for.
"""

from __future__ import annotations

import os

from hipguide import config, models
from hipguide.models import (
    Area,
    Channel,
    Condition,
    Effect,
    Point,
    Question,
    Region,
    Role,
    Rules,
    Source,
    Tier,
    Triage,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path, PurePath
    from typing import Any

#: The files of a dataset: (attribute, record type, holds a list of entries).
FILES: dict[str, tuple[str, type, bool]] = {
    "sources.yaml": ("sources", Source, True),
    "regions.yaml": ("regions", Region, True),
    "channels.yaml": ("channels", Channel, True),
    "points.yaml": ("points", Point, True),
    "conditions.yaml": ("conditions", Condition, True),
    "areas.yaml": ("areas", Area, True),
    "triage.yaml": ("triage", Triage, False),
    "routine.yaml": ("rules", Rules, False),
}
#: The folder of a dataset that holds its figures (:mod:`._figures`).
FIGURES = "figures"


def figure_names(folder: str | PurePath) -> tuple[str, ...]:
    """The file names (``body-back.svg``) in a dataset's ``figures`` folder, sorted; ()
    when there is no such folder."""
    try:
        names = os.listdir(os.path.join(folder, FIGURES))
    except OSError:
        return ()
    return tuple(sorted(name for name in names if name.endswith(".svg")))


# The canonical spelling of a point code is written out by hand rather than as a
# regular expression: every load spells each code and alias this way, and importing re
# costs more than a cached load may (a test holds it equal to removing the pattern
# ``[\s\-_]+``, then matching ``([A-Z]+)0*(\d+)``).
def normalize_code(text: str) -> str:
    """Canonical form of a point code: ``gb-30``, ``GB 30`` and ``GB030`` give ``GB30``."""
    compact = "".join(text.split()).replace("-", "").replace("_", "").upper()
    letters = len(compact) - len(compact.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    digits = compact[letters:]
    if not letters or not digits.isdecimal():
        return compact
    return f"{compact[:letters]}{digits.lstrip('0') or '0'}"


_ATTRIBUTES = {attribute for attribute, _, _ in FILES.values()}
#: Every record type of :mod:`hipguide.models`, by name (for the cache's layout): all of
#: them, so that a record added there can never be cached as a bare tuple.
RECORDS: dict[str, type] = {
    name: value
    for name, value in vars(models).items()
    if isinstance(value, type) and issubclass(value, tuple) and "_fields" in value.__dict__
    and value.__module__ == models.__name__ and value.__name__ == name != "_Record"
}  # fmt: skip

__all__ = [
    "FILES",
    "Dataset",
    "dataset_files",
    "load_dataset",
    "load_dataset_uncached",
    "normalize_code",
]


class Dataset:
    """The whole validated dataset, with lookups by code or id."""

    def __init__(
        self,
        directory: str | PurePath,
        *,
        sources: tuple[Source, ...],
        regions: tuple[Region, ...],
        channels: tuple[Channel, ...],
        points: tuple[Point, ...],
        conditions: tuple[Condition, ...],
        areas: tuple[Area, ...],
        triage: Triage,
        rules: Rules,
    ) -> None:
        self._directory = directory
        self._by_id_table: dict[str, dict[str, Any]] | None = None
        self.sources = sources
        self.regions = regions
        self.channels = channels
        self.points = points
        self.conditions = conditions
        self.areas = areas
        self.triage = triage
        self.rules = rules
        self._points = {p.code: p for p in points}
        self._codes: dict[str, Point] | None = None

    def point(self, code: str) -> Point:
        """The point with this WHO (or Tung) code; KeyError if there is none."""
        return self._points[code]

    def point_by_code(self, text: str) -> Point | None:
        """The point whose code or alias is ``text`` in any format (``gb-30``, ``SJ14``)."""
        codes = self._codes
        if codes is None:  # made when first asked for: most commands never look codes up
            codes = self._codes = {
                normalize_code(name): p for p in self.points for name in (p.code, *p.aliases)
            }
        return codes.get(normalize_code(text))

    @property
    def directory(self) -> Path:
        """The dataset's folder."""
        folder = self._directory
        if isinstance(folder, str):
            from pathlib import Path

            folder = self._directory = Path(folder)
        return folder  # type: ignore[return-value]

    @property
    def _by_id(self) -> dict[str, dict[str, Any]]:
        table = self._by_id_table
        if table is None:
            table = self._by_id_table = self._tables()
        return table

    def _tables(self) -> dict[str, dict[str, Any]]:
        return {
            "condition": {c.id: c for c in self.conditions},
            "area": {a.id: a for a in self.areas},
            "source": {s.id: s for s in self.sources},
            "region": {r.id: r for r in self.regions},
            "tier": {t.id: t for t in self.triage.tiers},
            "question": {q.id: q for q in self.triage.questions},
            "role": {r.id: r for r in self.rules.roles},
            "effect": {e.id: e for e in self.rules.effects},
            "channel": {c.name: c for c in self.channels},
        }

    def condition(self, condition_id: str) -> Condition:
        """The condition with this id; KeyError if there is none."""
        return self._by_id["condition"][condition_id]  # type: ignore[no-any-return]

    def area(self, area_id: str) -> Area:
        """The painful area with this id; KeyError if there is none."""
        return self._by_id["area"][area_id]  # type: ignore[no-any-return]

    def source(self, source_id: str) -> Source:
        """The source with this id; KeyError if there is none."""
        return self._by_id["source"][source_id]  # type: ignore[no-any-return]

    def region(self, region_id: str) -> Region:
        """The body region with this id; KeyError if there is none."""
        return self._by_id["region"][region_id]  # type: ignore[no-any-return]

    def tier(self, tier_id: str) -> Tier:
        """The verdict tier with this id; KeyError if there is none."""
        return self._by_id["tier"][tier_id]  # type: ignore[no-any-return]

    def question(self, question_id: str) -> Question:
        """The question of the check with this id; KeyError if there is none."""
        return self._by_id["question"][question_id]  # type: ignore[no-any-return]

    def role(self, role_id: str) -> Role:
        """The routine role with this id; KeyError if there is none."""
        return self._by_id["role"][role_id]  # type: ignore[no-any-return]

    def effect(self, effect_id: str) -> Effect:
        """The caution effect with this id; KeyError if there is none."""
        return self._by_id["effect"][effect_id]  # type: ignore[no-any-return]

    def channel(self, name: str) -> Channel:
        """The channel a point's ``channel`` names; KeyError if there is none."""
        return self._by_id["channel"][name]  # type: ignore[no-any-return]


def load_dataset(directory: str | PurePath | None = None) -> Dataset:
    """Read, validate and cross-check every file of the dataset in ``directory``
    (default: :func:`hipguide.config.data_dir`).

    A dataset that validated before, with its files unchanged since, comes from the
    cache instead.
    """
    from hipguide.dataset import _cache

    folder = directory if directory is not None else config.data_folder()
    if not os.path.isdir(folder):
        from hipguide.errors import DataError

        what = "is not a folder" if os.path.exists(folder) else "does not exist"
        raise DataError(f"Dataset folder {folder} {what}.", _hint())
    files = dataset_files(folder)
    layout = _layout_fingerprint()
    key = _cache.cache_key(folder, files, layout)
    fields = _cache.read(key, RECORDS) if key else None
    if fields is not None and fields.keys() == _ATTRIBUTES:
        return Dataset(folder, **fields)
    shipped = _shipped_snapshot(folder, files, layout)
    if shipped is not None:
        fields, body = shipped
        if key:
            _cache.store(key, body)
        return Dataset(folder, **fields)
    dataset = load_dataset_uncached(folder)
    if key:
        _cache.write(key, _fields_of(dataset), _cache.layout_of(RECORDS, _top_hints()))
    return dataset


def dataset_files(folder: str | PurePath) -> tuple[str, ...]:
    """Every file a load of ``folder`` reads: the YAML files, then the figures."""
    return (*FILES, *(f"{FIGURES}/{name}" for name in figure_names(folder)))


def _shipped_snapshot(
    folder: str | PurePath, files: tuple[str, ...], layout: str
) -> tuple[dict[str, Any], bytes] | None:
    """The fields of the snapshot shipped with the package (:mod:`._snapshot`), with its
    stored body, when ``folder`` is the shipped dataset and its files are the ones it was
    made from."""
    shipped = config.shipped_data_folder()
    if os.path.realpath(folder) != os.path.realpath(shipped):
        return None
    from hipguide.dataset import _snapshot

    key = _snapshot.snapshot_key(shipped, files, layout)
    found = _snapshot.read(key, RECORDS) if key else None
    return found if found is not None and found[0].keys() == _ATTRIBUTES else None


def load_dataset_uncached(folder: str | PurePath) -> Dataset:
    """Parse and validate every file of the dataset in ``folder``, ignoring any cache."""
    from pathlib import Path

    import yaml

    from hipguide.dataset._build import Where, build, build_list
    from hipguide.dataset._check import check_references
    from hipguide.dataset._figures import read_figures
    from hipguide.dataset._yaml import read_yaml

    fields: dict[str, Any] = {}
    for name, (attribute, record_type, is_list) in FILES.items():
        document = read_yaml(Path(folder, name), yaml)
        if is_list:
            fields[attribute] = build_list(name, document, record_type)
        else:
            fields[attribute] = build(record_type, document, Where(name, "", ""))
    dataset = Dataset(folder, **fields)
    check_references(dataset, read_figures(folder))
    return dataset


def _fields_of(dataset: Dataset) -> dict[str, Any]:
    return {attribute: getattr(dataset, attribute) for attribute, _, _ in FILES.values()}


def _top_hints() -> dict[str, Any]:
    return {
        attribute: (tuple[record_type, ...] if is_list else record_type)  # type: ignore[valid-type]
        for attribute, record_type, is_list in FILES.values()
    }


def _layout_fingerprint() -> str:
    """Changes whenever a record gains, loses, reorders or retypes a field, or a choice
    of a ``Literal`` changes: it is made of the annotations as written (text, under
    ``from __future__ import annotations``), so it needs no type hints evaluated."""
    from hipguide.cachefile import checksum

    annotations = [cls.__dict__["__annotations__"] for cls in RECORDS.values()]  # noqa: RUF063
    text = repr((list(RECORDS), annotations, models.CHOICES))
    return f"{checksum(text.encode('utf-8')):x}"


def _hint() -> str:
    from hipguide.dataset._yaml import HINT

    return HINT
