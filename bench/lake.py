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

Run: .venv/bin/python bench/lake.py [--years N | --days N] [--publish N] [--local] [--work DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb
import jieba
import pyarrow as pa

from pipeline.lake.compact import compact
from pipeline.lake.index import sync_index, words
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
    """Median of 3 runs of each query on one connection (as a notebook reuses it), and the first scan of a new
    connection including the connecting (as one `epaper sql` process pays it), each beside the local file."""
    local = f"read_parquet('{local_file}')"
    start = time.perf_counter()
    con = connect(lake)
    con.execute(SCAN_SQL.format(src="articles")).fetchall()
    cold = time.perf_counter() - start
    start = time.perf_counter()
    duckdb.connect().execute(SCAN_SQL.format(src=local)).fetchall()
    cold_local = time.perf_counter() - start
    return {
        "cold": cold,
        "cold_local": cold_local,
        "month": timed(lambda: con.execute(MONTH_SQL.format(src="articles", a=month[0], b=month[1])).fetchall()),
        "scan": timed(lambda: con.execute(SCAN_SQL.format(src="articles")).fetchall()),
        # the same over the Delta table without the views' join with `issues` (which rows are published)
        "scan_table": timed(lambda: con.execute(SCAN_SQL.format(src="delta_articles")).fetchall()),
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


@contextlib.contextmanager
def _lake(data: Path, work: Path, local: bool) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(lake URL, empty lake URL, environment for child processes) over `data`: a folder, or a SeaweedFS
    serving its data from `data` (stopped on exit)."""
    env = dict(os.environ)
    if local:
        yield str(data / "archive"), str(data / "empty"), env
        return
    from tests.s3server import start_s3_server

    server = start_s3_server(data, timeout=300)  # a big data folder can take a while to come up under load
    env.update(server.env(), EPAPER_CACHE=str(work / "cache"))
    os.environ.update(env)
    try:
        yield f"s3://{env['S3_BUCKET']}/archive", f"s3://{env['S3_BUCKET']}/empty", env
    finally:
        server.stop()


def generate(lake: str, empty_lake: str, env: dict[str, str], n_days: int, n_publish: int) -> dict[str, Any]:
    """Bulk-load `n_days`, build the index, then publish `n_publish` days one by one into it and into an empty
    lake (a child process each); returns the figures of these steps."""
    rng = random.Random(2024)
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
    took_big, rss_big = child_publish(lake, env, next_day, n_publish)
    took_empty, rss_empty = child_publish(empty_lake, env, next_day, n_publish)
    return {
        "n_days": n_days,
        "n_articles": n_articles,
        "t_load": t_load,
        "t_index": t_index,
        "took_big": took_big,
        "rss_big": rss_big,
        "took_empty": took_empty,
        "rss_empty": rss_empty,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=float, default=2.0, help="years of archive to generate (20: the full bench)")
    parser.add_argument("--days", type=int, default=None, help="days of archive to generate (overrides --years)")
    parser.add_argument("--publish", type=int, default=30, help="days published one by one after the bulk load")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--local", action="store_true", help="a folder lake instead of SeaweedFS")
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="keep the generated archive here (and a copy of its uncompacted layout); run again with the same "
        "folder to measure again without generating (default: a temporary folder)",
    )
    args = parser.parse_args(argv)
    n_days = args.days if args.days is not None else round(args.years * 365.25)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-lake-"))
    work.mkdir(parents=True, exist_ok=True)
    data, pristine = work / ("lake" if args.local else "weed"), work / "uncompacted"
    facts_file = work / "generated.json"
    facts = json.loads(facts_file.read_text()) if facts_file.exists() else None
    if facts is not None and (facts["n_days"] != n_days or facts["local"] != args.local):
        parser.error(f"{work} holds another archive ({facts['n_days']} days); pick another --work")
    if facts is None:
        shutil.rmtree(data, ignore_errors=True)
        with _lake(data, work, args.local) as (lake, empty_lake, env):
            facts = generate(lake, empty_lake, env, n_days, args.publish) | {"local": args.local}
        shutil.rmtree(pristine, ignore_errors=True)
        shutil.copytree(data, pristine, symlinks=True)  # the uncompacted layout, for a later run to measure
        facts_file.write_text(json.dumps(facts))
    else:
        print(f"reusing the archive in {work} ({n_days} days, {facts['n_articles']} stories)", flush=True)
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(pristine, data, symlinks=True)
    days = [START + dt.timedelta(days=i) for i in range(n_days)]
    next_day = days[-1] + dt.timedelta(days=1)
    m0 = days[len(days) // 2].replace(day=1)
    m1 = (m0.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    month = (m0.isoformat(), m1.isoformat())
    queries = Corpus(random.Random(2024)).queries(random.Random(5), args.queries)
    with _lake(data, work, args.local) as (lake, _, env):
        store = open_store(lake)
        local_file = work / "articles.parquet"
        connect(lake).execute(f"COPY (SELECT * FROM articles) TO '{local_file}' (FORMAT parquet, COMPRESSION zstd)")
        unc = query_figures(lake, month, local_file)
        s_unc = search_figures(store, queries)
        start = time.perf_counter()
        today = next_day + dt.timedelta(days=400)  # every generated year closed
        compact(store, PAPER, today, retention=0)
        t_compact = time.perf_counter() - start
        comp = query_figures(lake, month, local_file)
        s_comp = search_figures(store, queries)
    n_articles, took_big, rss_big = facts["n_articles"], facts["took_big"], facts["rss_big"]
    took_empty, rss_empty = facts["took_empty"], facts["rss_empty"]

    def ms(x: float) -> str:
        return f"{x * 1000:.0f} ms"

    print()
    print(
        f"archive: {n_days} days, {n_articles} stories, {'folder' if args.local else 'SeaweedFS'}; generated in "
        f"{facts['t_load']:.0f} s (bulk load) + {facts['t_index']:.0f} s (index); compact took {t_compact:.0f} s"
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
        f"| the same over the `articles` Delta table, without the join with `issues` | {ms(unc['scan_table'])} | "
        f"{ms(comp['scan_table'])} | {comp['scan_table'] / comp['scan_local']:.1f}x the local file |"
    )
    print(
        f"| connect + first full scan (one `epaper sql` process) | {ms(unc['cold'])} | {ms(comp['cold'])} | "
        f"{ms(comp['cold_local'])} one local file, new connection |"
    )
    print(
        f"| search p50 / p95 ({len(queries)} queries) | {ms(s_unc[0])} / {ms(s_unc[1])} | {ms(s_comp[0])} / "
        f"{ms(s_comp[1])} | target p50 < 300 ms, p95 < 1 s |"
    )
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
