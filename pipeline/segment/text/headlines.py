"""Headline zones to bodies (headlines summarise their story) and headline parts; the finished articles."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence

from pipeline.models import Article
from pipeline.segment.bylines import LEAD
from pipeline.segment.normalize import (
    PARAGRAPH_BREAK,
    ends_sentence,
    join_wrapped,
    paragraphs,
    text_width,
    tidy_headline,
    tidy_spaces,
)
from pipeline.segment.text.lines import (
    ADJACENT_BONUS,
    FURNITURE,
    MIN_HEADLINE_MATCH,
    NO_HEADLINE,
    SAYS,
    Line,
)
from pipeline.segment.text.stories import Body, Zone, bigram_list
from pipeline.segment.words import person_names, word_across

# Running text shares far fewer of its words with the rest of its story than a headline does (most of its words
# are its own): an eighth of them, weighted, and under half as much with any other story tell a story's stray part.
STRAY_MATCH = 0.12
# Text most of whose weighted words are in one body (and under half as many in any other) sums up that story.
CLEAR_HEADLINE_MATCH = 0.5
SENTENCE_MARKS = re.compile(r"[，。！？；,!?;]")
KICKER_LINES = 2  # lines a kicker wraps to, at most, in a headline group
# Longer than a teaser box's few entries: a story set without punctuation (a poem, a list) is rare but real.
MIN_UNPUNCTUATED_STORY = 80


def _bigrams(text: str) -> set[str]:
    return set(bigram_list(text))


def _weights(bodies: Sequence[Body]) -> dict[str, float]:
    """Inverse document frequency of bigrams over the page's bodies: words every story uses say little."""
    df: Counter[str] = Counter()
    for b in bodies:
        df.update(_bigrams("".join(b.lines)))
    n = max(1, len(bodies))
    return {g: math.log(1 + n / c) for g, c in df.items()}


def _overlap(head: str, body_grams: set[str], weights: dict[str, float]) -> float:
    grams = _bigrams(head)
    if not grams:
        return 0.0
    # fsum: a set's order changes from run to run (string hashing), and a rounded sum with it, which would let
    # near-ties between two bodies fall either way.
    total = math.fsum(weights.get(g, math.log(2)) for g in grams)
    return math.fsum(weights.get(g, 0.0) for g in grams if g in body_grams) / total


def match_zones(zones: list[Zone], bodies: list[Body], fragments: list[str]) -> dict[int, list[Line]]:
    """Body index -> its headline lines. Unmatched zones and unrelated zone lines go to `fragments`. On a page
    whose headlines follow their text, their names-only bylines first move to the story before them."""
    follows = _headlines_follow(zones, bodies)
    if follows:
        _bylines_after_headlines(zones, bodies)  # before the bodies' words are counted: a name leaves a body
    step = -1 if follows else 1
    weights = _weights(bodies)
    grams = [_bigrams("".join(b.lines)) for b in bodies]
    zones = [part for zone in zones for part in _split_zone(zone, grams, weights)]
    scored = []
    for zi, zone in enumerate(zones):
        text = " ".join(x.text for x in zone.lines)
        for bi, body in enumerate(bodies):
            score = _overlap(text, grams[bi], weights)
            near = body.position - zone.position == step
            scored.append((score + (ADJACENT_BONUS if near else 0.0), score, zi, bi))
    out: dict[int, list[Line]] = {}
    used: set[int] = set()
    for _rank, score, zi, bi in sorted(scored, reverse=True):
        if zi in used or bi in out or score < MIN_HEADLINE_MATCH:
            continue
        used.add(zi)
        keep = _drop_detached(zones[zi].lines, grams[bi], weights)
        fragments.extend(x.text for x in zones[zi].lines if x not in keep)
        out[bi] = keep
    for zi, zone in enumerate(zones):
        if zi in used:
            continue
        follower = _untitled_follower(zone, bodies, out, step)
        if follower is None:
            fragments.extend(x.text for x in zone.lines)
        else:
            out[follower] = zone.lines
    _signatures(out, bodies, fragments)
    return out


# A line this wide (in ems) is a column line of text, wider than a headline group's lines over a commentary.
BODY_WIDTH = 16


def _signatures(out: dict[int, list[Line]], bodies: list[Body], fragments: list[str]) -> None:
    """A person's name closing a story's headline group (`roles._signed_titles`: an upright title with its
    author's name beside it, a title over a bare name) is that story's byline, not part of its title. Taken out
    of the group in place; it becomes the story's authors unless the story names them already. Co-authors'
    names stand one under the other, so each bare name at the group's foot is one of them. A signed headline
    ends with its author's name: a line after the names (a chart's title the stream put next, no deck), or
    lines as wide as text (the next story's first lines), go to `fragments`."""
    for bi, lines in out.items():
        k = next((k for k in range(1, len(lines)) if person_names(lines[k].text)), None)
        while k is not None and k + 1 < len(lines) and person_names(lines[k + 1].text):
            k += 1
        after = lines[k + 1 :] if k is not None else []
        one = len(after) == 1 and not after[0].text.startswith(("——", "—"))
        if after and (one or all(text_width(x.text) >= BODY_WIDTH for x in after)):
            # (One line only, unless all run as wide as text: a bare name inside a longer group is more likely
            # words that read as one, `时强调`; lines of body width after it are the next story's first lines.)
            fragments.extend(x.text for x in after)
            del lines[len(lines) - len(after) :]
        names: tuple[str, ...] = ()
        while len(lines) >= 2 and (more := person_names(lines[-1].text)):
            names = (*more, *names)
            lines.pop()
        if names and not bodies[bi].authors:
            bodies[bi].opening = names


def _split_zone(zone: Zone, grams: list[set[str]], weights: dict[str, float]) -> list[Zone]:
    """A zone cut where its lines stop summing up one story and start summing up another.

    A layout program writes each headline group as a frame of its own, in the order the frames were made, so a
    dump in drawing order can set two or three stories' headline groups one after another with no text between.
    A headline repeats its story's key words, so each group's lines together share words with one body. The zone
    is cut into pieces that each clearly sum up one story (`_best_body`), neighbours different stories, taking
    the cut whose pieces match best in total; it stays whole when no such cut exists (one story's lines cannot
    be cut so, as two parts of them would not clearly match two different stories). A dashed line (`——…`) is a
    deck set under the title above it, and a kicker (`…强调`) stands over its title: no cut before the one or
    after the other; nor before a bare name (its title's author), nor where a word runs across the break (a part
    wrapped over a narrow frame)."""
    lines = zone.lines
    n = len(lines)
    if n < 2:
        return [zone]
    cuttable = [k == 0 or _may_cut(lines[k - 1].text, lines[k].text) for k in range(n)]
    # best[i]: (total score, body of the first piece, cuts after i) of the best cut of lines[i:] into clear pieces
    best: dict[int, tuple[float, int, tuple[int, ...]]] = {}
    for i in range(n - 1, -1, -1):
        if not cuttable[i]:
            continue
        for j in range(i + 1, n + 1):
            if j < n and (not cuttable[j] or j not in best):
                continue
            piece = _best_body(_text(lines[i:j]), grams, weights)
            if piece is None or (j < n and best[j][1] == piece[1]):
                continue
            score, after = (piece[0], ()) if j == n else (best[j][0] + piece[0], (j, *best[j][2]))
            if i not in best or score > best[i][0]:
                best[i] = (score, piece[1], after)
    if 0 not in best or not best[0][2]:
        return [zone]
    cuts = [0, *best[0][2], n]
    return [Zone(lines[a:b], zone.position) for a, b in itertools.pairwise(cuts)]


def _text(lines: Sequence[Line]) -> str:
    return " ".join(x.text for x in lines)


def _may_cut(before: str, after: str) -> bool:
    """Two headline groups can meet between these lines (see `_split_zone`). A bare name closes the group above
    it (the author's name set under or beside the title, `roles._signed_titles`): no group opens with one."""
    if after.startswith(("——", "—", "--")) or person_names(after):
        return False
    return not (SAYS.search(before) or word_across(before, after))


def _best_body(
    text: str, grams: list[set[str]], weights: dict[str, float], least: float = CLEAR_HEADLINE_MATCH
) -> tuple[float, int] | None:
    """(score, body index) of the body the text clearly sums up: at least `least` of its weighted words there
    and under half as much in any other body; None when no body is that clear."""
    if len(grams) < 2:
        return None
    scores = sorted(((_overlap(text, g, weights), i) for i, g in enumerate(grams)), reverse=True)
    (top, i), (second, _) = scores[0], scores[1]
    return (top, i) if top >= least and second < 0.5 * top else None


def _drop_detached(lines: list[Line], body_grams: set[str], weights: dict[str, float]) -> list[Line]:
    """Zone lines minus a teaser stuck to its edge: a first or last line set apart (blank line or indent) that
    shares no word with the story. A bare name closing the group is its author's signature (`_signatures`): a
    name is never among its story's words."""

    def detached(k: int) -> bool:
        x = lines[k]
        if k == len(lines) - 1 and person_names(x.text):
            return False
        apart = x.indent or (k == 0 and len(lines) > 1 and lines[1].gap_before) or (k > 0 and x.gap_before)
        return apart and _overlap(x.text, body_grams, weights) == 0

    keep = list(lines)
    if len(keep) > 1 and detached(0):
        keep = keep[1:]
    if len(keep) > 1 and detached(len(lines) - 1):
        keep = keep[:-1]
    return keep


def _untitled_follower(zone: Zone, bodies: list[Body], taken: dict[int, list[Line]], step: int = 1) -> int | None:
    """The body next to a zone that matched nothing, on the side the page's headlines stand (`step`: +1 the
    body after it, -1 the one before), if that body has no headline yet: position decides when the words cannot."""
    for bi, body in enumerate(bodies):
        if body.position == zone.position + step and bi not in taken:
            return bi
    return None


def _bylines_after_headlines(zones: list[Zone], bodies: list[Body]) -> None:
    """On a page whose stream sets each headline group after its text (`_headlines_follow`), the byline is drawn
    with its headline: the names-only lines (`李忠杰`, `周 江`; co-authors one under the other) that end a
    headline group, or the one that stands right after it at the head of the next text, name the authors of the
    story before the group, not of the text after it. The names must read as persons' names (`person_names`): a
    cartoon's title set under the byline (`消费升级`) is none. Moved there, in place."""
    by_position = {b.position: b for b in bodies}
    for zone in zones:
        signed = by_position.get(zone.position - 1)
        if signed is None or signed.authors:
            continue
        found: tuple[str, ...] = ()
        while len(zone.lines) > 1 and (names := person_names(zone.lines[-1].text)):
            zone.lines.pop()  # co-authors' names stand one under the other, each on a line of its own
            found = (*names, *found)
        if found:
            signed.closing = found
            continue
        after = by_position.get(zone.position + 1)
        if after is not None and after.lines and (names := person_names(after.lines[0])) and not after.opening:
            after.lines.pop(0)
            signed.closing = names


def _headlines_follow(zones: list[Zone], bodies: list[Body]) -> bool:
    """The dump sets each headline group after its story's text. Extractors give a page's text in the order
    its content stream draws it, and some typesetting systems (the 方正 exports of 人民日报) draw a story's text
    first and its headline and byline last: the page then opens with body text that is no continuation
    (no `（上接…）`) and ends with a headline group that has no text after it. Headlines printed above their story
    in stream order do the opposite, so one page reads one way throughout."""
    if len(zones) < 2 or len(bodies) < 2:
        return False
    first, last = bodies[0], bodies[-1]
    return first.position < zones[0].position and not first.from_page and zones[-1].position > last.position


def _opens_with_dateline(body: Body) -> bool:
    """The text opens with a dateline (`本报讯`, `新华社北京1月3日电`): a story's own first words, which a brief
    set without a headline (a news-in-brief item) carries too."""
    first = next((x for x in body.lines if x != PARAGRAPH_BREAK), "")
    return LEAD.match(first) is not None


def absorb_strays(bodies: list[Body], matches: dict[int, list[Line]]) -> tuple[list[Body], dict[int, list[Line]]]:
    """The bodies left once text with no headline, no byline, no jump marker and no dateline is joined to the
    story whose words it shares clearly (`_best_body`), after that story's text. Every story on a page has a
    headline; one that goes on from another page says so (`（上接第1版）`), and a brief set without one opens with
    its dateline. Text with none of these is part of a story the dump wrote apart from it (a geometric extractor
    writes a story's columns as separate blocks, and can set one elsewhere on the page), and a story's text
    repeats its own words. The part is smaller than its story (most of a story stands under its headline), and
    words tell stories apart only where there are at least two others. Returns the bodies kept and `matches`
    (body index -> headline lines) re-keyed to them."""
    weights = _weights(bodies)
    grams = [_bigrams("".join(b.lines)) for b in bodies]
    into: dict[int, int] = {}
    for i, body in enumerate(bodies):
        if i in matches or body.authors or body.to_page or body.from_page or _opens_with_dateline(body):
            continue
        others = [g if j != i and j not in into else set() for j, g in enumerate(grams)]
        if sum(bool(g) for g in others) < 2:
            continue  # words tell one story from another only where there are others to tell it from
        best = _best_body("".join(body.lines), others, weights, STRAY_MATCH)
        if best is not None and best[1] in matches and len(grams[i]) < len(grams[best[1]]):
            into[i] = best[1]  # (a stray part is smaller than the story it left: most of it sits under its headline)
    for i, j in into.items():
        bodies[j].lines.extend([PARAGRAPH_BREAK, *bodies[i].lines])
    kept = [i for i in range(len(bodies)) if i not in into]
    renumber = {old: new for new, old in enumerate(kept)}
    return [bodies[i] for i in kept], {renumber[i]: head for i, head in matches.items() if i in renumber}


# --- 5. articles ------------------------------------------------------------------------------------------------


def keep_body(body: Body, fragments: list[str]) -> bool:
    """Bodies too small to be a story (a caption, page furniture) become fragments, and so do short runs of lines
    with no sentence mark at all (`，。！？；`): news text is written in sentences, so such a run is a list (a
    teaser box's entries, headlines set without weight)."""
    text = "".join(x for x in body.lines if x != PARAGRAPH_BREAK)
    if FURNITURE.search(text) and len(text) < 40:
        fragments.append(text)
        return False
    if len(text) < 12 and not ends_sentence(text) and not (body.to_page or body.from_page):
        fragments.append(text)
        return False
    if not SENTENCE_MARKS.search(text) and len(text) < MIN_UNPUNCTUATED_STORY and not (body.to_page or body.from_page):
        fragments.append(text)  # news text is sentences; lines with no mark at all are a list (a teaser box)
        return False
    return bool(text) or bool(body.to_page or body.from_page)


def headline_parts(lines: Sequence[Line]) -> tuple[str | None, str, str | None]:
    """(kicker, title, subtitle) of a headline group, by boldness and order (see module doc, rule 5)."""
    lines = unwrapped(lines)
    dashed: list[Line] = []
    for k, x in enumerate(lines):
        if x.text.startswith(("——", "—", "--")):
            dashed.append(x)
        elif k and lines[k - 1] in dashed and x.bold == lines[k - 1].bold and _runs_on(lines[k - 1], x):
            dashed.append(x)  # the rest of a dashed subtitle broken by its column
    rest = [x for x in lines if x not in dashed]
    plain = [i for i, x in enumerate(rest) if not x.bold]
    if plain and plain[0] > 0 and _couplet(rest[plain[0] - 1].text) and not _couplet(rest[plain[0]].text):
        # A couplet (对仗: two phrases of one length set apart, `增强紧迫感 找准发力点`) is how a title reads; set
        # bold over a plain line, it is the title and the plain line its deck, not a kicker over its title.
        k = plain[0] - 1
        kicker = _join(rest[:k])
        return kicker, rest[k].text, _join([*rest[k + 1 :], *dashed], strip_dash=True)
    signed = len(rest) >= 2 and len(plain) == len(rest) and not dashed and rest[0].signed
    if len(rest) > 2:  # a kicker over several lines: headline phrases all, the last right over the name
        signed = signed and rest[-1].signed and not any(SAYS.search(x.text) or NO_HEADLINE.search(x.text) for x in rest)
    if signed and not SAYS.search(rest[-1].text):
        # A commentary signed by its author's bare name under its headline (a theory or opinion page) sets its
        # title right over the name and a kicker (引题) over its title, in one or more lines (`适应融合趋势` /
        # `增强竞争优势`); its deck, when it has one, opens with a dash. (Two short phrases of one length, one
        # per line, are one title: `全力以赴稳经济` / `用心用情优服务`.)
        k = len(rest) - 1
        while k > 0 and _continues_title(rest[k - 1], rest[k]):
            k -= 1
        if k > 0:
            return _join(rest[:k]), " ".join(x.text for x in rest[k:]), None
    if plain:
        first, last = plain[0], plain[0]
        says = _kicker_end(rest) if first == 0 else None
        if says is not None:
            # `…时强调` is how a kicker reads (who spoke, where), whatever its weight and the title's under it;
            # a long kicker wraps to a second line that ends so.
            first = last = says + 1
        # The title is the first plain line (or the line under a `…强调` kicker) and what continues it in its
        # weight: its wrapped rest, or a parallel second phrase set on a line of its own. A further plain line is
        # the subtitle (副题), set under the title.
        weight = rest[first].bold
        while last + 1 < len(rest) and rest[last + 1].bold == weight and _continues_title(rest[last], rest[last + 1]):
            last += 1
        title = " ".join(x.text for x in rest[first : last + 1])
        kicker_lines: list[Line] = []
        k = first - 1
        # The bold line right above the title is the kicker; a longer bold line right above that one, of which
        # it is the wrapped remainder, belongs to it too. (A plain kicker was recognised by its words above.)
        while (
            k >= 0
            and (rest[k].bold or k == 0 == first - 1)
            and (not kicker_lines or _wraps_into(rest[k], kicker_lines[0]))
        ):
            kicker_lines.insert(0, rest[k])
            k -= 1
        if says is not None:  # one kicker wrapped to its verb's line: the lines run on without a space
            kicker_lines = [_merged(list(rest[:first]))[0]] if first > 1 else list(rest[:first])
        kicker = _join(kicker_lines)
        below = [x for x in rest[last + 1 :] if not x.bold]  # plain lines under the title: its deck
        said = rest[:first] if says is not None else []
        others = below + [
            x
            for i, x in enumerate(rest)
            if not first <= i <= last and x not in kicker_lines and x not in below and x not in said
        ]
    elif rest:
        # All of one weight: a third line, or `…时强调` (who spoke, where), makes the first line the kicker.
        kicker_line = rest[0] if len(rest) >= 3 or (len(rest) == 2 and SAYS.search(rest[0].text)) else None
        body = [x for x in rest if x is not kicker_line]
        title, others = body[0].text, body[1:]
        kicker = kicker_line.text if kicker_line else None
    else:
        return None, "", _join(dashed, strip_dash=True)
    subtitle = _join([*others, *dashed], strip_dash=True)
    return kicker, title, subtitle


def _kicker_end(rest: Sequence[Line]) -> int | None:
    """The index of the line ending a kicker by its verb (`…上强调`): the first line, or the second when the
    first runs on into it in the same weight (a kicker wrapped by its frame), with a title left under it."""
    for k in range(min(KICKER_LINES, len(rest) - 1)):
        if k and (rest[k].bold != rest[0].bold or ends_sentence(rest[k - 1].text)):
            return None
        if SAYS.search(rest[k].text):
            return k
    return None


def _couplet(text: str) -> bool:
    """Two or more phrases of one length (three characters at least) set apart by spaces: a headline's
    parallel phrases (`全力以赴稳经济 用心用情优服务`)."""
    parts = text.split()
    return len(parts) >= 2 and len({len(p) for p in parts}) == 1 and len(parts[0]) >= 3


def unwrapped(lines: Sequence[Line]) -> list[Line]:
    """Headline lines with each part's wrapped lines joined into one line. A headline set over a narrow frame is
    broken wherever the frame is full, not between phrases: a line joins the part above it when a word runs
    across the break (`敖煜新在调研二` / `季度…`), or when two or more lines of equal weight hold the same width
    (`_same_width`) and a third of that width or shorter follows, as only a frame's width makes them, or when a
    long line is followed by a clearly shorter rest (`_wraps_into`). A dash opens a part (a subtitle); a line
    ending a sentence or a kicker's verb (`…强调`) closes one; a change of weight is a change of part."""
    out: list[Line] = []
    part: list[Line] = []
    for k, x in enumerate(lines):
        if part and _same_part(part, x, lines[k + 1] if k + 1 < len(lines) else None):
            part.append(x)
            continue
        out.extend(_merged(part))
        part = [x]
    out.extend(_merged(part))
    return out


def _same_part(part: list[Line], x: Line, nxt: Line | None) -> bool:
    last = part[-1]
    if (
        not _same_weight(last, x)
        or x.text.startswith(("——", "—", "--"))
        or ends_sentence(last.text)
        or SAYS.search(last.text)
    ):
        return False
    if word_across(last.text, x.text) or _wraps_into(last, x):
        return True
    if len(part) > 1:
        if not _same_width(part[-2], last):
            return False  # the part's last line was shorter: it has ended
        return _same_width(last, x) or text_width(x.text) < text_width(last.text)  # the rest, or its last line
    if not _same_width(last, x):
        return False
    # Two lines of equal width open a part when a third follows of that width or shorter (the part's rest).
    return (
        nxt is not None
        and _same_weight(x, nxt)
        and not nxt.text.startswith(("——", "—", "--"))
        and (_same_width(x, nxt) or text_width(nxt.text) < text_width(x.text))
    )


def _same_weight(a: Line, b: Line) -> bool:
    """Both lines bold or both plain; a line of one or two characters says nothing about weight (an extractor
    merges a fake-bold copy of a lone character into the original)."""
    return a.bold == b.bold or min(len(a.text.strip()), len(b.text.strip())) <= 2


def _same_width(a: Line, b: Line) -> bool:
    """Two lines as wide as each other: the same count of characters (quotes set full-width), or the same width
    within half a character (quotes, digits and Latin set half-width)."""
    x, y = a.text.strip(), b.text.strip()
    return len(x) == len(y) or abs(text_width(x) - text_width(y)) <= 0.6


def _merged(part: list[Line]) -> list[Line]:
    if len(part) < 2:
        return part
    text = ""
    for x in part:
        text = join_wrapped(text, x.text) if text else x.text
    first = part[0]
    # (A part over its author's name is signed if any of its lines is: only the lowest were marked.)
    return [Line(text, first.bold, first.indent, first.gap_before, signed=any(x.signed for x in part))]


def _continues_title(line: Line, nxt: Line) -> bool:
    """`nxt` carries on the title on `line`: the rest of it wrapped, or the second of two parallel phrases, one
    per line (`张张叶子动起来` / `层层责任强落实`: same length, no spaces, short as title phrases are)."""
    if _wraps_into(line, nxt):
        return True
    a, b = line.text.strip(), nxt.text.strip()
    return " " not in a and " " not in b and max(len(a), len(b)) <= 9 and abs(len(a) - len(b)) <= 1


def _runs_on(line: Line, nxt: Line) -> bool:
    """`nxt` may carry on `line` (a long line, not finished, and `nxt` no longer than it)."""
    a, b = text_width(line.text), text_width(nxt.text)
    return a >= 10 and b <= a + 1.5 and not ends_sentence(line.text)


def _wraps_into(line: Line, nxt: Line) -> bool:
    """`nxt` is the rest of `line` broken by the width of its column: `line` is long and clearly longer."""
    a, b = text_width(line.text), text_width(nxt.text)
    return a >= 10 and b <= 0.7 * a


def _join(lines: Sequence[Line], strip_dash: bool = False) -> str | None:
    """Headline lines of one part as one text: separate lines with a space, a wrapped remainder without one
    (and, within a dashed subtitle, any line carrying on the one before)."""
    dashed_run = bool(lines) and strip_dash and lines[0].text.startswith(("——", "—", "--"))
    text = ""
    for i, x in enumerate(lines):
        part = x.text.lstrip("—-").strip() if strip_dash else x.text
        if not part:
            continue
        wrapped = i > 0 and (_wraps_into(lines[i - 1], x) or (dashed_run and _runs_on(lines[i - 1], x)))
        text = join_wrapped(text, part) if wrapped else (f"{text} {part}" if text else part)
    return text or None


def make_article(body: Body, head: list[Line] | None) -> Article:
    kicker, title, subtitle = headline_parts(head or [])
    return Article(
        title=tidy_headline(title),
        kicker=kicker and tidy_headline(kicker),
        subtitle=subtitle and tidy_headline(subtitle),
        authors=body.authors,
        body=tidy_spaces("\n".join(paragraphs(body.lines))),
        continues_to_page=body.to_page,
        continued_from_page=body.from_page,
    )
