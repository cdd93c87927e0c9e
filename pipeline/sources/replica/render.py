"""Render the replica e-paper site into a folder: pages made by the project's page generator
(`tests/fixtures/make_pages.py`: page PDFs with their ground truth), dressed as page indexes and article pages in
the three Founder URL families with the messy markup of the real sites.

Sites rendered (`SITES`):

- `dqnews` at the root: classic family, zjol markup (`.main-ednav-nav a#pageLink`, `ul.main-ed-articlenav-list`,
  `.main-article-*`, `#ozoom` inside `<founder-content>`), UTF-8, 2023-05-20..2023-05-31 with gap days (404),
  one day that redirects to the latest issue (its printed date differs), `paperindex.htm` redirecting by
  `<meta http-equiv=refresh>`; node ids that are not page numbers; `?div=-1` links; an editor credit listed
  like an article; some bylines as the body's first paragraph (`■本报记者 …`); a story jumping pages;
- `zjrb/`: classic family, old table markup (`table.wz tr` rows for 引题/主题/副题), GBK (declared `gb2312`),
  upper-case tags, unquoted attributes, a `period.xml` calendar;
- `rmrb/`: `pc` family since 2024-12-01 (PDF under `attachement/` with a random name, `<MAP NAME=PagePicMap>`
  hotspots, `p#PreTitle` / `h2#Title` / `p#SubTitle`), and `nbs` family before (`nbs.D110000renmrb_NN.htm`,
  `document.write(view("…"))` link texts, `h3`/`h1`/`h2`/`h4`, `#ozoom` duplicated in a hidden copy).

Hotspot polygons are the generator's article regions scaled to the page image, so HTML articles can be placed on
the PDF. Output is deterministic for a given generator: same bytes, same ETags on every render.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from types import ModuleType

import pymupdf

RENDER_VERSION = "2"
IMAGE_WIDTH = 400
EDITOR_CREDIT = "本版责编：{name}  版式：{name2}"


@dataclass(frozen=True, slots=True)
class SiteSpec:
    """One replica site: where it lives, its family per date, what it serves."""

    paper: str
    prefix: str  # folder under the root, "" or "name/"
    dates: tuple[dt.date, ...]
    encoding: str = "utf-8"
    pages: int = 2
    gaps: tuple[dt.date, ...] = ()  # dates in range with no issue: 404
    redirected: tuple[dt.date, ...] = ()  # dates whose index redirects to the latest issue


def _days(first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    return tuple(first + dt.timedelta(days=i) for i in range((last - first).days + 1))


D = dt.date
SITES = (
    SiteSpec(
        "dqnews",
        "",
        _days(D(2023, 5, 20), D(2023, 5, 31)),
        gaps=(D(2023, 5, 21), D(2023, 5, 28)),
        redirected=(D(2023, 5, 27),),
    ),
    SiteSpec("zjrb", "zjrb/", (D(2023, 5, 25), D(2023, 5, 26)), encoding="gbk", gaps=(D(2023, 5, 26),)),
    SiteSpec("rmrb", "rmrb/", (D(2018, 11, 20), D(2024, 12, 25))),
)


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    name: str
    pdf: bytes
    image: bytes
    image_size: tuple[int, int]
    scale: float  # image pixels per PDF point
    articles: tuple[dict[str, object], ...]
    captions: tuple[str, ...]


def make_pages_module(root: Path | None = None) -> ModuleType:
    """The project's page generator, loaded from the source checkout (`tests/fixtures/make_pages.py`)."""
    base = root or Path(__file__).resolve().parents[3]
    path = base / "tests" / "fixtures" / "make_pages.py"
    if not path.is_file():
        raise FileNotFoundError(f"the replica renders from the page generator {path}: run it from a source checkout")
    name = "epaper_replica_make_pages"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def render_site(root: Path, force: bool = False) -> Path:
    """Render every site of `SITES` into `root` (skipped when `root` holds this render version already).
    Returns `root`."""
    root = Path(root)
    marker = root / "_version"
    if not force and marker.is_file() and marker.read_text() == RENDER_VERSION:
        return root
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    gen = make_pages_module()
    redirects: dict[str, str] = {}
    charsets: dict[str, str] = {}
    files: dict[str, bytes] = {"robots.txt": b"User-agent: *\nDisallow: /private/\n"}
    for site in SITES:
        charsets[site.prefix] = "gb2312" if site.encoding == "gbk" else site.encoding
        files.update(_render(site, gen, redirects))
    for rel, data in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    # A redirect off the site: the fetcher must refuse to follow it.
    redirects["/offsite/index.htm"] = "http://elsewhere.example/html/index.htm"
    (root / "_redirects.json").write_text(json.dumps(redirects, indent=1))
    # Longest prefix first: the root site's "" must not shadow the others.
    ordered = dict(sorted(charsets.items(), key=lambda kv: -len(kv[0])))
    (root / "_charsets.json").write_text(json.dumps(ordered, indent=1))
    marker.write_text(RENDER_VERSION)
    return root


def _render(site: SiteSpec, gen: ModuleType, redirects: dict[str, str]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    published = [d for d in site.dates if d not in site.gaps and d not in site.redirected]
    ids = _Ids(site.paper)
    for day in published:
        pages = _pages(gen, site, day)
        render = _family(site, day)
        files.update({site.prefix + k: v for k, v in render(site, day, pages, ids).items()})
    latest = max(published)
    first_page = _first_page_path(site, latest)
    for day in site.redirected:
        redirects["/" + site.prefix + _first_page_path(site, day)] = "/" + site.prefix + first_page
    files[site.prefix + "paperindex.htm"] = (
        f'<html><head><meta http-equiv="refresh" content="0; URL={first_page}"></head><body></body></html>'
    ).encode()
    if site.paper == "zjrb":
        for month in sorted({(d.year, d.month) for d in site.dates}):
            files[f"{site.prefix}html/{month[0]}-{month[1]:02d}/period.xml"] = _period_xml(site, published, month)
    return files


def _family(site: SiteSpec, day: dt.date) -> Callable[[SiteSpec, dt.date, list[Page], _Ids], dict[str, bytes]]:
    if site.paper == "rmrb":
        return _pc if day >= D(2024, 12, 1) else _nbs
    return _zjol if site.paper == "dqnews" else _tables


def _first_page_path(site: SiteSpec, day: dt.date) -> str:
    if site.paper == "rmrb":
        if day >= D(2024, 12, 1):
            return f"pc/layout/{day:%Y%m}/{day:%d}/node_01.html"
        return f"html/{day:%Y-%m}/{day:%d}/nbs.D110000renmrb_01.htm"
    return f"html/{day:%Y-%m}/{day:%d}/{_node(site, 1)}"


def _node(site: SiteSpec, page: int) -> str:
    """Classic node ids are site-specific, not page numbers: dqnews counts 1, 3, 4, …; zjrb uses letters."""
    if site.paper == "zjrb":
        return f"node_A{page:02d}.htm"
    return f"node_{1 if page == 1 else page + 1}.htm"


class _Ids:
    """Article ids of one site, increasing like a CMS's (deterministic)."""

    def __init__(self, paper: str) -> None:
        self.n = 30048000 if paper == "rmrb" else 1893000

    def next(self) -> int:
        self.n += 1
        return self.n


def _pages(gen: ModuleType, site: SiteSpec, day: dt.date) -> list[Page]:
    seed = int(hashlib.sha1(f"{site.paper}-{day}".encode()).hexdigest()[:6], 16)
    with tempfile.TemporaryDirectory() as tmp:
        pdfs = gen.make_day(seed, Path(tmp), issue_date=day, n_pages=site.pages)
        out = []
        for pdf in pdfs:
            truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
            data = pdf.read_bytes()
            image, size, scale = _image(data)
            captions = tuple(f for f in truth["fragments"] if not str(f).startswith("导读"))
            out.append(
                Page(truth["page"], truth["page_name"], data, image, size, scale, tuple(truth["articles"]), captions)
            )
    return out


def _image(pdf: bytes) -> tuple[bytes, tuple[int, int], float]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:  # type: ignore[no-untyped-call]
        page = doc[0]
        scale = IMAGE_WIDTH / page.rect.width
        pix = page.get_pixmap(matrix=pymupdf.Matrix(scale, scale))  # type: ignore[no-untyped-call]
        return pix.tobytes("jpeg", jpg_quality=40), (pix.width, pix.height), scale


def _polygon(article: dict[str, object], page: Page, points: int = 4) -> str:
    """The article's hotspot: the bounding box of its regions on the page image, as polygon coordinates."""
    rects = [r for r in article["regions"] if r[0] == page.number]  # type: ignore[attr-defined]
    x0 = min(r[1] for r in rects) * page.scale
    y0 = min(r[2] for r in rects) * page.scale
    x1 = max(r[3] for r in rects) * page.scale
    y1 = max(r[4] for r in rects) * page.scale
    pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    if points == 6:  # nbs-style: the same box traced with two extra points on its right edge
        pts = [(x1, y0 + 20), (x1, y0), (x0, y0), (x0, y0 + 20), (x0, y1), (x1, y1)]
    return ",".join(f"{round(x, 2):g},{round(y, 2):g}" for x, y in pts)


def _paragraphs(a: dict[str, object]) -> list[str]:
    paras = str(a["body"]).split("\n")
    if a["continued_from_page"]:
        paras[0] = f"（上接第{a['continued_from_page']}版）{paras[0]}"
    if a["continues_to_page"]:
        paras.append(f"（下转第{a['continues_to_page']}版）")
    return paras


def _names(a: dict[str, object]) -> list[str]:
    return [str(n) for n in a["authors"]]  # type: ignore[attr-defined]


def _byline(a: dict[str, object]) -> str:
    names = _names(a)
    return f"记者 {' '.join(names)}" if names else ""


def _credit(page: Page) -> str:
    names = ("王洁", "陈蕾", "沈佳", "姚琴")
    return EDITOR_CREDIT.format(name=names[page.number % 4], name2=names[(page.number + 1) % 4])


def _e(x: object) -> str:
    return escape(str(x)) if x else ""


def _pdf_name(site: SiteSpec, day: dt.date, page: int) -> str:
    """A name like the sites' own: random-looking, so it must be read from the page index."""
    return str(uuid.UUID(hashlib.md5(f"{site.paper}{day}{page}".encode()).hexdigest())) + ".pdf"


# --- classic, zjol markup (dqnews) ------------------------------------------------------------------------------


def _zjol(site: SiteSpec, day: dt.date, pages: list[Page], ids: _Ids) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    folder = f"html/{day:%Y-%m}/{day:%d}/"
    nav = "".join(
        f'<li><a id="pageLink" href="{_node(site, p.number)}">第{p.number:02d}版：{p.name}</a></li>' for p in pages
    )
    for p in pages:
        img = f"../../../images/{day:%Y-%m}/{day:%d}/{p.number:02d}/P{p.number:02d}_b.jpg"
        pdf = f"../../../images/{day:%Y-%m}/{day:%d}/{p.number:02d}/{_pdf_name(site, day, p.number)}"
        files[f"images/{day:%Y-%m}/{day:%d}/{p.number:02d}/P{p.number:02d}_b.jpg"] = p.image
        files[f"images/{day:%Y-%m}/{day:%d}/{p.number:02d}/{_pdf_name(site, day, p.number)}"] = p.pdf
        links, areas = [], []
        for k, a in enumerate(p.articles):
            cid = ids.next()
            href = f"content_{cid}.htm?div=-1"
            links.append(f'<li><a href="{href}">{_e(a["title"]) or "　"}</a></li>')
            areas.append(f'<area shape="polygon" coords="{_polygon(a, p)}" href="{href}">')
            files[folder + f"content_{cid}.htm"] = _zjol_article(site, day, p, a, k, pages).encode()
        credit_id = ids.next()
        links.append(f'<li><a href="content_{credit_id}.htm?div=-1">{_credit(p)}</a></li>')
        files[folder + f"content_{credit_id}.htm"] = _zjol_credit(day, p).encode()
        w, h = p.image_size
        files[folder + _node(site, p.number)] = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>德清新闻</title></head>
<body>
<!--enpproperty <date>{day:%Y-%m-%d}</date><page>{p.number}</page><pagename>{p.name}</pagename> /enpproperty-->
<div class="main-ednav"><ul class="main-ednav-nav">{nav}</ul></div>
<div class="main-ed-date">{day.year}年{day.month:02d}月{day.day:02d}日</div>
<div class="main-ed-pageifm"><span>第{p.number:02d}版：{p.name}</span> <a class="pdf" href="{pdf}">PDF</a></div>
<div class="main-ed-map"><img src="{img}" width="{w}" height="{h}" usemap="#PagePicMap">
<map name="PagePicMap">{"".join(areas)}</map></div>
<div class="main-ed-articlenav"><ul class="main-ed-articlenav-list">{"".join(links)}</ul></div>
</body></html>
""".encode()
    return files


def _zjol_article(site: SiteSpec, day: dt.date, p: Page, a: dict[str, object], k: int, pages: list[Page]) -> str:
    paras = _paragraphs(a)
    byline = _byline(a)
    author_el = f'<div class="main-article-author">{_e(byline)}</div>'
    if byline and k % 2 == 1:  # the byline as the body's first paragraph, as many sites print it
        paras.insert(0, f"■本报{byline}")
        author_el = '<div class="main-article-author"></div>'
    body = "".join(f"<p>\u3000\u3000{_e(x)}</p>\n" for x in paras)
    photo = ""
    if k == 0 and p.captions:
        photo = (
            f'<table class="main-article-photo"><tr><td><img src="../../../images/{day:%Y-%m}/{day:%d}/'
            f'{p.number:02d}/P{p.number:02d}_b.jpg"></td></tr><tr><td class="caption">{_e(p.captions[0])}</td></tr></table>'
        )
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{_e(a["title"])}</title></head><body>
<!--enpproperty <articleid>{k}</articleid><date>{day:%Y-%m-%d}</date><author>{_e(" ".join(_names(a)))}</author><title>{_e(a["title"])}</title> /enpproperty-->
<div class="main-ed-date">{day.year}年{day.month:02d}月{day.day:02d}日</div>
<div class="main-article-alltitle">
<div class="main-article-pretitle">{_e(a["kicker"])}</div>
<div class="main-article-title">{_e(a["title"])}</div>
<div class="main-article-subtitle">{_e(a["subtitle"])}</div>
{author_el}
</div>
<div class="main-article-content"><div id="ozoom"><founder-content>
{photo}{body}</founder-content></div></div>
</body></html>
"""


def _zjol_credit(day: dt.date, p: Page) -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<div class="main-article-alltitle"><div class="main-article-title">{_credit(p)}</div></div>
<div class="main-article-content"><div id="ozoom"><founder-content><p>{_credit(p)}</p></founder-content></div></div>
</body></html>
"""


# --- classic, old table markup, GBK (zjrb) ----------------------------------------------------------------------


def _tables(site: SiteSpec, day: dt.date, pages: list[Page], ids: _Ids) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    folder = f"html/{day:%Y-%m}/{day:%d}/"
    nav = "".join(
        f"<TR><TD class=default><A id=pageLink href={_node(site, p.number)}>第{p.number:02d}版：{p.name}</A></TD></TR>"
        for p in pages
    )
    for p in pages:
        base = f"page/{day:%Y-%m}/{day:%d}/{p.number:02d}/"
        files[base + f"{day:%Y%m%d}{p.number:02d}.pdf"] = p.pdf
        files[base + f"{day:%Y%m%d}{p.number:02d}_b.jpg"] = p.image
        links, areas = [], []
        for a in p.articles:
            cid = ids.next()
            links.append(f"<TR><TD><A href=content_{cid}.htm>{_e(a['title']) or '　'}</A></TD></TR>")
            areas.append(f"<AREA shape=polygon coords={_polygon(a, p)} href=content_{cid}.htm>")
            files[folder + f"content_{cid}.htm"] = _table_article(day, p, a).encode(site.encoding)
        w, h = p.image_size
        files[folder + _node(site, p.number)] = f"""<HTML><HEAD>
<META http-equiv=Content-Type content="text/html; charset=gb2312"><TITLE>浙江日报</TITLE></HEAD>
<BODY>
<TABLE class=pagelist>{nav}</TABLE>
<TABLE><TR><TD class=pagename>第{p.number:02d}版：{p.name}</TD>
<TD><A href=../../../{base}{day:%Y%m%d}{p.number:02d}.pdf>PDF版</A></TD></TR></TABLE>
<MAP NAME=PagePicMap>{"".join(areas)}</MAP><IMG src=../../../{base}{day:%Y%m%d}{p.number:02d}_b.jpg width={w} height={h} USEMAP=#PagePicMap>
<TABLE class=titlelist>{"".join(links)}</TABLE>
<DIV class=riqi>{day.year}年{day.month}月{day.day}日</DIV>
</BODY></HTML>
""".encode(site.encoding)
    return files


def _table_article(day: dt.date, p: Page, a: dict[str, object]) -> str:
    body = "".join(f"<P>\u3000\u3000{_e(x)}</P>\n" for x in _paragraphs(a))
    return f"""<HTML><HEAD><META http-equiv=Content-Type content="text/html; charset=gb2312"></HEAD><BODY>
<TABLE class=wz>
<TR><TD class=yt>{_e(a["kicker"])}</TD></TR>
<TR><TD class=bt>{_e(a["title"])}</TD></TR>
<TR><TD class=ft>{_e(a["subtitle"])}</TD></TR>
<TR><TD class=zz>{_e(_byline(a))}</TD></TR>
</TABLE>
<DIV id=ozoom>{body}</DIV>
</BODY></HTML>
"""


def _period_xml(site: SiteSpec, published: list[dt.date], month: tuple[int, int]) -> bytes:
    rows = "".join(
        f"<period><period_name>{d:%Y-%m-%d}</period_name><period_date>{d:%Y-%m-%d}</period_date>"
        f"<front_page>{_node(site, 1)}</front_page></period>"
        for d in published
        if (d.year, d.month) == month
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><calendar><periodlist>{rows}</periodlist></calendar>'.encode()


# --- pc (rmrb since 2024-12) ------------------------------------------------------------------------------------


def _pc(site: SiteSpec, day: dt.date, pages: list[Page], ids: _Ids) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    ym, dd = f"{day:%Y%m}", f"{day:%d}"
    nav = "".join(
        f'<div class="swiper-slide"><a id="pageLink" href="node_{p.number:02d}.html">{p.number:02d}版：{p.name}</a></div>'
        for p in pages
    )
    for p in pages:
        pdf = _pdf_name(site, day, p.number)
        img = pdf.replace(".pdf", ".jpg.2")
        files[f"pc/attachement/{ym}/{dd}/{pdf}"] = p.pdf
        files[f"pc/pic/{ym}/{dd}/{img}"] = p.image
        links, areas = [], []
        for a in p.articles:
            cid = ids.next()
            href = f"../../../content/{ym}/{dd}/content_{cid}.html"
            areas.append(f'<Area coords="{_polygon(a, p)}" shape="polygon" href="{href}">')
            links.append(f'<li>\n<span>·</span>\n<a href="{href}"> {_e(a["title"])} </a>\n</li>')
            files[f"pc/content/{ym}/{dd}/content_{cid}.html"] = _pc_article(day, p, a).encode()
        w, h = p.image_size
        files[f"pc/layout/{ym}/{dd}/node_{p.number:02d}.html"] = f"""
<!DOCTYPE html>
<html lang="en"><head><meta http-equiv="Content-Type" content="text/html;charset=utf-8" /><title>人民日报-人民网</title></head>
<body onLoad="initialize();">
<div class="main w1000"><div class="left paper-box"><div class="paper">
<MAP NAME="PagePicMap">{"".join(areas)}</MAP>
<img width="{w}" height="{h}" src="../../../pic/{ym}/{dd}/{img}" border="0" USEMAP=#PagePicMap>
</div><div class="paper-bot"><p class="left ban">
第{p.number:02d}版：{p.name}
</p><p class="right btn"><a href="../../../attachement/{ym}/{dd}/{pdf}">PDF下载</a></p></div></div>
<div class="right right-main"><div class="date-box"><p class="date left">人民日报 <span class="newstime">{day.year}年{day.month:02d}月{day.day:02d}日</span></p></div>
<div class="swiper-box"><div class="swiper-container">{nav}</div></div>
<div class="news"><ul class="news-list">{"".join(links)}</ul></div></div></div>
</body></html>
""".encode()
    return files


def _pc_article(day: dt.date, p: Page, a: dict[str, object]) -> str:
    body = "".join(f"<p>\u3000\u3000{_e(x)}</p>\n" for x in _paragraphs(a))
    byline = f"本报{_byline(a)}" if a["authors"] else ""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{_e(a["title"])}</title></head><body>
<div class="article">
<p id="PreTitle">{_e(a["kicker"])}</p>
<h2 id="Title">{_e(a["title"])}</h2>
<p id="SubTitle">{_e(a["subtitle"])}</p>
<p class="sec">{_e(byline)}<span class="date">《人民日报》（{day.year}年{day.month:02d}月{day.day:02d}日 第{p.number:02d}版）</span></p>
<div id="ozoom">
{body}</div></div></body></html>
"""


# --- nbs (rmrb before 2024-12) ----------------------------------------------------------------------------------


def _nbs(site: SiteSpec, day: dt.date, pages: list[Page], ids: _Ids) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    folder = f"html/{day:%Y-%m}/{day:%d}/"
    stamp = f"{day:%Y%m%d}"
    nav = "".join(
        f'<li><div class="right_title-name"><a id=pageLink href=nbs.D110000renmrb_{p.number:02d}.htm>'
        f'第{p.number:02d}版：{p.name}</a></div><div class="right_title-pdf"><a href=../../../page/{day:%Y-%m}/{day:%d}/'
        f'{p.number:02d}/rmrb{stamp}{p.number:02d}.pdf><img src="../../../tplimg/ico3.gif" border=0></a></div></li>'
        for p in pages
    )
    for p in pages:
        base = f"page/{day:%Y-%m}/{day:%d}/{p.number:02d}/rmrb{stamp}{p.number:02d}"
        files[base + ".pdf"] = p.pdf
        files[base + "_b.jpg"] = p.image
        links, areas = [], []
        for seq, a in enumerate(p.articles, start=1):
            href = f"nw.D110000renmrb_{stamp}_{seq}-{p.number:02d}.htm"
            areas.append(f'<Area coords="{_polygon(a, p, 6)}" shape="polygon" href="{href}">')
            links.append(
                f'<li><a href={href}>\n<script>\ndocument.write(view("{_e(a["title"])}  "))\n</script>\n</a></li>'
            )
            files[folder + href] = _nbs_article(day, p, a).encode()
        w, h = p.image_size
        files[
            folder + f"nbs.D110000renmrb_{p.number:02d}.htm"
        ] = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="content-type" content="text/html;charset=utf-8" /><title>人民日报</title>
<script>function view(str) {{ return str; }}</script></head><body>
<div class="left_c"><div class="ban"><div><map name=PagePicMap>{"".join(areas)}</map><img width={w} height={h}
src=../../../{base}_b.jpg border=0 USEMAP=#PagePicMap></div></div>
<div class="ban_t"><div><ul><li>
{p.number:02d}版:{p.name}
&nbsp;
<a href=../../../{base}.pdf> <IMG src="../../../tplimg/ico4.gif" border=0></a>
PDF版下载</li></ul></div></div></div>
<div class="right_c"><div id="riqi_">人民日报 {day.year}年{day.month:02d}月{day.day:02d}日</div>
<DIV id="ozoom"><div id="titleList"><ul>{"".join(links)}</ul></div>
<div id="pageList"><ul>{nav}</ul></div></DIV></div>
</body></html>
""".encode()
    return files


def _nbs_article(day: dt.date, p: Page, a: dict[str, object]) -> str:
    body = "".join(f"<P>\u3000\u3000{_e(x)}</P>\n" for x in _paragraphs(a))
    return f"""<!DOCTYPE html><html><head><meta http-equiv="content-type" content="text/html;charset=utf-8" />
<meta name='publishdate' content='{day:%Y-%m-%d}'><title>{_e(a["title"])}</title></head><body>
<div class="text_c"><br />
<h3>{_e(a["kicker"])}</h3>
<h1>{_e(a["title"])}</h1>
<h2>{_e(a["subtitle"])}</h2>
<h4>{_e(" ".join(_names(a)))}</h4>
<div class="lai"> 《人民日报》（{day.year}年{day.month:02d}月{day.day:02d}日 &nbsp; {p.number:02d} 版）</div>
<div class="c_c"><DIV id=ozoom style="zoom:100%;"><div id="showArtPicsDiv" align="center"></div>
<!--enpcontent-->{body}<!--/enpcontent-->
</DIV></div></div>
<div style="display:none" id="articleContent"><!--enpcontent-->{body}<!--/enpcontent--></div>
</body></html>
"""
