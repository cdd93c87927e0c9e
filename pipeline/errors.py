"""Errors that say whether to retry.

Every error names the paper, the issue date and (where there is one) the page, so a log line or an Airflow task
failure tells an operator what went wrong without reading a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence


class EpaperError(Exception):
    """Base error: carries where it happened and why."""

    retryable = False

    def __init__(self, paper: str, issue_date: dt.date | None, page: int | None, reason: str) -> None:
        self.paper = paper
        self.issue_date = issue_date
        self.page = page
        self.reason = reason
        super().__init__(self.describe())

    def describe(self) -> str:
        """One line: `paper dqnews, date 2023-05-25, page 3: reason`."""
        where = [f"paper {self.paper}"]
        if self.issue_date is not None:
            where.append(f"date {self.issue_date.isoformat()}")
        if self.page is not None:
            where.append(f"page {self.page}")
        return f"{', '.join(where)}: {self.reason}"


class TransientError(EpaperError):
    """Timeouts, 5xx, throttling: retrying later may succeed."""

    retryable = True


class TerminalError(EpaperError):
    """Bad input or a broken page: retrying the same input will fail the same way."""


class NoIssueError(TerminalError):
    """The paper has no issue for this date (no pages found)."""


class PageError(TerminalError):
    """One page could not be decoded, extracted or segmented."""


class IncompleteDayError(TerminalError):
    """Some pages failed; the rest of the day was archived. Re-run after a fix completes it."""

    def __init__(self, paper: str, issue_date: dt.date, failures: Sequence[EpaperError]) -> None:
        self.failures = failures
        pages = ", ".join(f"page {f.page}: {f.reason}" for f in failures)
        super().__init__(paper, issue_date, None, f"day incomplete, {len(failures)} page(s) failed ({pages})")
