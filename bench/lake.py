"""The lake at archive scale: a synthetic multi-year archive of one paper on SeaweedFS, then publish, query and
search timings in the uncompacted and compacted layouts, beside the same queries over one local Parquet file.

Generating (not timed as a result): `--years` of days (default 2, about 8 minutes here; `--years 20` is the 20-year archive, ~7,300
days and ~250k stories, about half an hour here) with realistic per-day counts (8 pages on weekdays, 4 at weekends,
4–6 stories a page, ~1,000 characters a story). Story text is sentences drawn from the bundled real articles and
from sentences of jieba dictionary words in proportion to their frequency, so the vocabulary has a natural long
tail; each sentence is cut into words once, so a story's words are the words of its sentences (what jieba gives
within a sentence) and the generator does not spend 25 minutes in jieba. Days are bulk-loaded a month per commit
(one predicate overwrite per table and month), then the search index is built from the tables once, then
`--publish` (default 30) more days are published one by one through `pipeline.lake.tables.publish_day` and
`sync_index`, as the DAG's publish task does. No raw page bytes are written (nothing here reads them).

Measured and printed, each beside its reference from the same run:

- publish of one day (median, p95) into the big archive vs into an empty lake, and the publishing process's peak
  resident memory in both (a child process each): flat in archive size when checkpoints work;
- a one-month filter and a full-scan aggregate (stories per year and page) through the views, uncompacted (one
  file per month and table, plus the daily ones) and after `epaper compact` (one file per year), vs the same
  query over one local Parquet file holding the same rows (target: compacted full scan within 3x);
- search p50/p95 over 50 queries (words of middling frequency and real phrases) before and after the index is
  compacted (target: p50 < 300 ms, p95 < 1 s).

Run: .venv/bin/python bench/lake.py [--years N | --days N] [--publish N] [--local DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jieba
import pyarrow as pa

from pipeline.lake.compact import compact
from pipeline.lake.index import compact_index, sync_index, words
from pipeline.lake.store import Store, open_store
from pipeline.lake.tables import lake_schema, publish_day, write_rows
from pipeline.models import ArticleRecord, IssueRecord, PageRecord, articles_table, issues_table, pages_table
from pipeline.query import connect
from pipeline.query.search import search

PAPER = "dqnews"
START = dt.date(2006, 1, 1)
ROOT = Path(__file__).resolve().parent.parent


# --- text ---------------------------------------------------------------------------------------------------


class Corpus:
    """Sentences with their jieba words, cut once; stories are drawn from them."""

    def __init__(self, rng: random.Random, n_synthetic: int = 4000) -> None:
        real = json.loads((ROOT / "tests/fixtures/texts/dqnews-2023-05-25-p01.json").read_text(encoding="utf-8"))
        text = "".join("".join(map(str, story.get("paragraphs", []))) for story in real["stories"])
        sentences = [s + "。" for s in text.replace("\n", "").split("。") if len(s) > 8]
        vocab, weights = _dictionary()
        cum = list(itertools.accumulate(weights))  # once: `choices` with plain weights sums them on every call
        for _ in range(n_synthetic):
            n = rng.randint(6, 16)
            sentences.append("".join(rng.choices(vocab, cum_weights=cum, k=n)) + "。")
        self.sentences = sentences
        self.words = [words(s) for s in sentences]
        self.vocab = vocab
        self.weights = weights

    def story(self, rng: random.Random) -> tuple[str, str, str, str]:
        """(title, body, title words, body words) of a story of ~1,000 characters."""
        picks = [rng.randrange(len(self.sentences)) for _ in range(rng.randint(14, 30))]
        title_pick = rng.randrange(len(self.sentences))
        title = self.sentences[title_pick][:18].rstrip("。")
        body = "\n".join("".join(self.sentences[i] for i in picks[j : j + 4]) for j in range(0, len(picks), 4))
        return title, body, words(title), " ".join(self.words[i] for i in picks)

    def queries(self, rng: random.Random, n: int) -> list[str]:
        """Words of middling frequency (not the 200 commonest, not hapaxes) and two-word phrases."""
        ranked = sorted(range(len(self.vocab)), key=lambda i: -self.weights[i])
        middling = [self.vocab[i] for i in ranked[200:5000] if len(self.vocab[i]) >= 2]
        out = [rng.choice(middling) for _ in range(n - n // 5)]
        out += [rng.choice(middling) + rng.choice(middling) for _ in range(n // 5)]
        return out


def _dictionary() -> tuple[list[str], list[float]]:
    path = Path(jieba.__file__).parent / "dict.txt"
    vocab, weights = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and int(parts[1]) >= 50 and all("\u4e00" <= ch <= "\u9fff" for ch in parts[0]):
            vocab.append(parts[0])
            weights.append(float(parts[1]))
    return vocab, weights


# --- days ---------------------------------------------------------------------------------------------------


def day_tables(corpus: Corpus, day: dt.date, rng: random.Random) -> tuple[dict[str, pa.Table], list[str]]:
    """A day's record tables (and the stories' words, title words first) with per-day counts of a county daily."""
    n_pages = 4 if day.weekday() >= 5 else 8
    records, pages, cut = [], [], []
    for page in range(1, n_pages + 1):
        for i in range(1, rng.randint(4, 6) + 1):
            title, body, tw, bw = corpus.story(rng)
            aid = f"{PAPER}-{day.isoformat()}-a-p{page:04d}-i{i:04d}"
            records.append(
                ArticleRecord(aid, PAPER, day, page, (page,), i, None, title, None, (), body, None, None, (aid,))
            )
            cut.append((tw, bw))
        pages.append(PageRecord(PAPER, day, page, None, "pdf", None, None, "ok", None, 5))
    issue = IssueRecord(PAPER, "德清新闻", day, n_pages, 0, len(records), "complete")
    tables = {"articles": articles_table(records), "pages": pages_table(pages), "issues": issues_table([issue])}
    return tables, [f"{t}\t{b}" for t, b in cut]


def bulk_load(store: Store, corpus: Corpus, days: list[dt.date], rng: random.Random) -> None:
    """One predicate overwrite per table and month (the bench's shortcut; the product publishes per day)."""
    months: dict[tuple[int, int], list[dt.date]] = {}
    for d in days:
        months.setdefault((d.year, d.month), []).append(d)
    run = "bench-bulk"
    for n, ((year, month), mdays) in enumerate(sorted(months.items()), start=1):
        parts: dict[str, list[pa.Table]] = {"articles": [], "pages": [], "issues": []}
        for d in mdays:
            tables, cut = day_tables(corpus, d, rng)
            for name, t in tables.items():
                parts[name].append(_with_columns(name, t, run, cut))
        predicate = f"paper = '{PAPER}' AND issue_date >= '{mdays[0]}' AND issue_date <= '{mdays[-1]}'"
        for name in ("articles", "pages", "issues"):
            write_rows(store, name, pa.concat_tables(parts[name]), predicate, f"month {year}-{month:02d}")
        if n % 12 == 0:
            print(f"  loaded {year}-{month:02d}", flush=True)


def _with_columns(name: str, t: pa.Table, run: str, cut: list[str]) -> pa.Table:
    cols = {c: t.column(c) for c in t.column_names}
    cols["year"] = pa.array([d.year for d in t.column("issue_date").to_pylist()], pa.int32())
    cols["run_id"] = pa.array([run] * t.num_rows, pa.string())
    if name == "articles":
        cols["title_words"] = pa.array([c.split("\t")[0] for c in cut], pa.string())
        cols["body_words"] = pa.array([c.split("\t")[1] for c in cut], pa.string())
    schema = lake_schema(name)
    return pa.Table.from_pydict({f.name: cols[f.name] for f in schema}, schema=schema)


def publish_days(store: Store, corpus: Corpus, days: list[dt.date], rng: random.Random) -> list[float]:
    """Publish days one by one as the DAG would (tables, then the index); seconds per day."""
    took = []
    for d in days:
        tables, _ = day_tables(corpus, d, rng)
        start = time.perf_counter()
        publish_day(store, PAPER, d, tables, f"bench-{d}", words)
        sync_index(store, (PAPER, d.year))  # as `pipeline.daily.publish_day` does
        took.append(time.perf_counter() - start)
    return took


# --- measuring -----------------------------------------------------------------------------------------------


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    """Median seconds of `repeat` calls."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


MONTH_SQL = "SELECT count(*), sum(n_chars) FROM {src} WHERE issue_date BETWEEN DATE '{a}' AND DATE '{b}'"
SCAN_SQL = "SELECT year(issue_date) AS y, page, count(*) FROM {src} GROUP BY ALL ORDER BY ALL"


def query_figures(lake: str, month: tuple[str, str], local_file: Path) -> dict[str, float]:
    con = connect(lake)
    local = f"read_parquet('{local_file}')"
    return {
        "month": timed(lambda: con.execute(MONTH_SQL.format(src="articles", a=month[0], b=month[1])).fetchall()),
        "scan": timed(lambda: con.execute(SCAN_SQL.format(src="articles")).fetchall()),
        "month_local": timed(lambda: con.execute(MONTH_SQL.format(src=local, a=month[0], b=month[1])).fetchall()),
        "scan_local": timed(lambda: con.execute(SCAN_SQL.format(src=local)).fetchall()),
    }


def search_figures(store: Store, queries: list[str]) -> tuple[float, float]:
    search(store, queries[0])  # the first call loads jieba's dictionary: not a query's cost
    took = []
    for q in queries:
        start = time.perf_counter()
        search(store, q, limit=10)
        took.append(time.perf_counter() - start)
    return pct(took, 0.5), pct(took, 0.95)


def child_publish(lake: str, env: dict[str, str], first: dt.date, n: int) -> tuple[list[float], float]:
    """Publish `n` days from `first` in a fresh process: (seconds per day, peak RSS MiB of that process)."""
    code = (
        "import sys, json, random, datetime as dt\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from bench.lake import Corpus, publish_days\n"
        "from pipeline.lake.store import open_store\n"
        "rng = random.Random(7); corpus = Corpus(rng)\n"
        "first = dt.date.fromisoformat(sys.argv[3])\n"
        "days = [first + dt.timedelta(days=i) for i in range(int(sys.argv[4]))]\n"
        "took = publish_days(open_store(sys.argv[2]), corpus, days, rng)\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(json.dumps({'took': took, 'rss': int(hwm) / 1024}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(ROOT), lake, first.isoformat(), str(n)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["took"], result["rss"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=float, default=2.0, help="years of archive to generate (20: the full bench)")
    parser.add_argument("--days", type=int, default=None, help="days of archive to generate (overrides --years)")
    parser.add_argument("--publish", type=int, default=30, help="days published one by one after the bulk load")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--local", type=Path, default=None, help="a folder lake instead of SeaweedFS")
    args = parser.parse_args(argv)
    import os

    n_days = args.days if args.days is not None else round(args.years * 365.25)
    rng = random.Random(2024)
    work = Path(tempfile.mkdtemp(prefix="bench-lake-"))
    server = None
    env = dict(os.environ)
    if args.local is None:
        from tests.s3server import start_s3_server

        server = start_s3_server(work / "weed")
        env.update(server.env())
        os.environ.update(server.env())
        os.environ["EPAPER_CACHE"] = str(work / "cache")
        env["EPAPER_CACHE"] = str(work / "cache")
        lake, empty_lake = f"s3://{env['S3_BUCKET']}/archive", f"s3://{env['S3_BUCKET']}/empty"
    else:
        lake, empty_lake = str(args.local / "archive"), str(args.local / "empty")
    try:
        store = open_store(lake)
        print(f"generating {n_days} days into {lake} …", flush=True)
        start = time.perf_counter()
        corpus = Corpus(rng)
        days = [START + dt.timedelta(days=i) for i in range(n_days)]
        bulk_load(store, corpus, days, rng)
        t_load = time.perf_counter() - start
        start = time.perf_counter()
        sync_index(store)
        t_index = time.perf_counter() - start
        n_articles = (connect(lake).execute("SELECT count(*) FROM articles").fetchone() or (0,))[0]
        print(f"  {n_days} days, {n_articles} stories: bulk load {t_load:.0f} s, index {t_index:.0f} s", flush=True)

        next_day = days[-1] + dt.timedelta(days=1)
        took_big, rss_big = child_publish(lake, env, next_day, args.publish)
        took_empty, rss_empty = child_publish(empty_lake, env, next_day, args.publish)

        m0 = days[len(days) // 2].replace(day=1)
        m1 = (m0.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        local_file = work / "articles.parquet"
        connect(lake).execute(f"COPY (SELECT * FROM articles) TO '{local_file}' (FORMAT parquet, COMPRESSION zstd)")
        queries = corpus.queries(random.Random(5), args.queries)
        unc = query_figures(lake, (m0.isoformat(), m1.isoformat()), local_file)
        s_unc = search_figures(store, queries)
        start = time.perf_counter()
        today = next_day + dt.timedelta(days=400)  # every generated year closed
        compact(store, PAPER, today, retention=0)
        t_compact = time.perf_counter() - start
        compact_index(store)
        comp = query_figures(lake, (m0.isoformat(), m1.isoformat()), local_file)
        s_comp = search_figures(store, queries)
    finally:
        if server is not None:
            server.stop()

    def ms(x: float) -> str:
        return f"{x * 1000:.0f} ms"

    print()
    print(
        f"archive: {n_days} days, {n_articles} stories, {'SeaweedFS' if server else 'folder'}; compact took "
        f"{t_compact:.0f} s"
    )
    print("| what | uncompacted | compacted | reference |")
    print("|---|---|---|---|")
    print(
        f"| publish one day, median (p95) | {ms(statistics.median(took_big))} ({ms(pct(took_big, 0.95))}) | | "
        f"{ms(statistics.median(took_empty))} ({ms(pct(took_empty, 0.95))}) into an empty lake |"
    )
    print(f"| publishing process peak RSS | {rss_big:.0f} MiB | | {rss_empty:.0f} MiB into an empty lake |")
    print(f"| one-month filter | {ms(unc['month'])} | {ms(comp['month'])} | {ms(comp['month_local'])} one local file |")
    print(
        f"| full-scan aggregate (per year and page) | {ms(unc['scan'])} | {ms(comp['scan'])} | "
        f"{ms(comp['scan_local'])} one local file ({comp['scan'] / comp['scan_local']:.1f}x; target ≤ 3x) |"
    )
    print(
        f"| search p50 / p95 ({len(queries)} queries) | {ms(s_unc[0])} / {ms(s_unc[1])} | {ms(s_comp[0])} / "
        f"{ms(s_comp[1])} | target p50 < 300 ms, p95 < 1 s |"
    )
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
