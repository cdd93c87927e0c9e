"""Local-folder source: `<root>/<paper>/<YYYY-MM-DD>/<NN>.{txt,pdf,html}`, one file per page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pipeline.errors import NoIssueError, PageError
from pipeline.models import PageRef, RawPage

PAGE_FILE = re.compile(r"^(\d{1,3})\.(txt|pdf|html?)$", re.IGNORECASE)
# When a page exists in several forms, segmentation reads the most faithful one.
KIND_PREFERENCE = {"pdf": 0, "txt": 1, "html": 2}


class LocalFolderSource:
    """Pages from a folder tree. Reads files; writes nothing."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def list_pages(self, paper: str, issue_date: dt.date) -> list[PageRef]:
        """One ref per page number, in page order; `NoIssueError` when the day's folder has no page files."""
        folder = self.root / paper / issue_date.isoformat()
        best: dict[int, Path] = {}
        html: dict[int, Path] = {}
        for path in sorted(folder.glob("*")) if folder.is_dir() else []:
            m = PAGE_FILE.match(path.name)
            if not m or not path.is_file():
                continue
            page = int(m.group(1))
            kind = _kind(path)
            if kind == "html":
                html[page] = path
            current = best.get(page)
            if current is None or KIND_PREFERENCE[kind] < KIND_PREFERENCE[_kind(current)]:
                best[page] = path
        if not best:
            raise NoIssueError(paper, issue_date, None, f"no pages in {folder}")
        return [
            PageRef(paper, issue_date, page, _kind(path), str(path), _companion(html.get(page), path))
            for page, path in sorted(best.items())
        ]

    def fetch(self, ref: PageRef) -> RawPage:
        """The page file's bytes; `PageError` if it vanished or cannot be read."""
        try:
            return RawPage(ref, Path(ref.location).read_bytes())
        except OSError as exc:
            raise PageError(ref.paper, ref.issue_date, ref.page, f"cannot read {ref.location}: {exc}") from exc


def _companion(html: Path | None, read: Path) -> str | None:
    """The page's HTML, when the page is read from another form (the HTML then cross-checks it)."""
    return str(html) if html is not None and html != read else None


def _kind(path: Path) -> str:
    kind = path.suffix[1:].lower()
    return "html" if kind == "htm" else kind
