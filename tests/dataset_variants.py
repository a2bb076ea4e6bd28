"""A dataset with some of its tables replaced, for tests of rules on data the shipped
dataset does not have (a pinyin with ü, a region word equal to a point's name)."""

from __future__ import annotations

from typing import Any

from hipguide.dataset import FILES, Dataset


def variant(dataset: Dataset, **changes: Any) -> Dataset:
    """``dataset`` with the tables named in ``changes`` replaced (``points=(...)``)."""
    tables = {attribute: getattr(dataset, attribute) for attribute, _, _ in FILES.values()}
    return Dataset(dataset.directory, **{**tables, **changes})
