"""What the lake archived of a day's site objects: its `fetches` rows, and the raw bytes they point at. The site
source asks through `LakeArchive` for conditional GETs; `epaper reprocess` and resumable backfill read the rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pipeline.lake.store import Store, open_store
from pipeline.lake.tables import read_day
from pipeline.models import FetchRecord


class LakeArchive:
    """What the lake archived of a day's site objects, for conditional GETs: a URL's `fetches` row and a loader
    of its raw bytes. Reads the day's `fetches` partition once; `forget` drops it when the day is fetched anew."""

    def __init__(self, lake: str, paper: str) -> None:
        self.lake = lake
        self.paper = paper
        self._days: dict[dt.date, dict[str, FetchRecord]] = {}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LakeArchive) and (self.lake, self.paper) == (other.lake, other.paper)

    def __hash__(self) -> int:
        return hash((self.lake, self.paper))

    def __call__(self, day: dt.date, url: str) -> tuple[FetchRecord, Callable[[], bytes | None]] | None:
        if day not in self._days:
            self._days[day] = {r.url: r for r in archived_fetches(open_store(self.lake), self.paper, day)}
        record = self._days[day].get(url)
        if record is None or record.raw_key is None or not (record.etag or record.last_modified):
            return None
        key = record.raw_key
        return record, lambda: _read_or_none(self.lake, key)

    def forget(self, day: dt.date) -> None:
        self._days.pop(day, None)


def archived_fetches(store: Store, paper: str, day: dt.date) -> list[FetchRecord]:
    """The day's `fetches` rows as records (empty when none were written)."""
    table = read_day(store, "fetches", paper, day)
    if table is None:
        return []
    return [FetchRecord(**row) for row in table.to_pylist()]


def _read_or_none(lake: str, key: str) -> bytes | None:
    try:
        return open_store(lake).read_bytes(key)
    except FileNotFoundError:
        return None
