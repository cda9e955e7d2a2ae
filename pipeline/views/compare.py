"""``plans compare``: one self-contained HTML page that sets plans side by side for researchers.

The page is built from the linked :class:`~pipeline.dataset.Dataset` only (never from the
documents), so it can be made again from a published dataset. It holds its CSS inline and
its charts as inline SVG, loads nothing and runs no script, so it can be mailed, archived
and opened offline. Every value that comes from the data goes through :func:`html.escape`.

Sections: plans side by side; measures per section and per deadline quarter; executors'
load; a legal-acts × plans matrix of citations.
"""
from __future__ import annotations

import html
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import pandas as pd

from ..export import write_atomic

if TYPE_CHECKING:  # the dataset module pulls in linking; the page needs only its frames
    from ..dataset import Dataset

# How much goes on the page: enough to compare, little enough to read.
TOP_EXECUTORS = 15
MAX_CHART_PLANS = 12  # charts beyond this many plans stop being readable; tables keep all plans
SECTION_TITLE_CHARS = 90
CHART_LABEL_CHARS = 46
MAX_QUARTER_BARS = 16  # a panel with a longer span draws one bar per year instead
MAX_GAP_FILLED_YEARS = 15  # a wider span of years is most likely a misread date: show only years present
MANY_PLANS = 10  # from this many plans on, plan columns get narrow, rotated headers

# Deadline kinds without a date of their own, each in its own column (dataset value → label).
UNDATED_KINDS = {"recurrence": "recurring", "ongoing": "ongoing", "condition": "on condition"}
NO_DATE = "no date"
UNDATED_COLUMNS = [*UNDATED_KINDS.values(), NO_DATE]

# Type codes whose words alone would read wrongly in English.
TYPE_LABELS = {"cmu_resolution": "CMU resolution", "cmu_order": "CMU order"}

DATED_COLOUR = "#3b6ea8"
UNDATED_COLOUR = "#c98a2b"
EXECUTOR_COLOUR = "#4f8a5b"


# --------------------------------------------------------------------------- small helpers


def _text(value: Any) -> str:
    """A cell value as text: missing values (None, NaN, pd.NA) become ''."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):  # list-like values have no single truth value
        pass
    return str(value)


def _esc(value: Any) -> str:
    return html.escape(_text(value), quote=True)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _truncate(text: str, limit: int) -> str:
    text = _collapse(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _shortened(value: Any, limit: int) -> str:
    """Escaped text cut to ``limit`` characters, with the whole text in a ``title`` tooltip."""
    full = _collapse(_text(value))
    short = _truncate(full, limit)
    if short == full:
        return html.escape(full)
    return f'<span title="{html.escape(full)}">{html.escape(short)}</span>'


def _count(n: int, noun: str) -> str:
    """'1 measure', '2 measures'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _int(value: Any, default: int = 0) -> int:
    text = _text(value)
    try:
        return int(float(text)) if text else default
    except ValueError:
        return default


def _humanise(code: Any) -> str:
    """A type code (``development_plan``, ``cmu_resolution``) as words."""
    text = _text(code)
    return TYPE_LABELS.get(text, text.replace("_", " "))


def _columns(frame: pd.DataFrame | None, columns: Iterable[str]) -> pd.DataFrame:
    """``frame`` with every column the page reads, so a thin or empty table cannot break it."""
    frame = pd.DataFrame() if frame is None else frame
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        frame = frame.assign(**{c: pd.Series([None] * len(frame), index=frame.index, dtype=object) for c in missing})
    return frame


def _safe_url(url: Any) -> str:
    """Only plain http(s) addresses become links (a ``javascript:`` URL in the data must not)."""
    text = _text(url).strip()
    return text if re.match(r"https?://[^\s\"'<>]+$", text) else ""


# --------------------------------------------------------------------------- plans


@dataclass(frozen=True, slots=True)
class Plan:
    doc_id: str
    title: str

    def header(self, narrow: bool = False) -> str:
        """A column header: the id, with the title as a tooltip."""
        cls = ' class="rot"' if narrow else ""
        return f'<th scope="col"{cls} data-doc="{_esc(self.doc_id)}" title="{_esc(self.title)}">{_esc(self.doc_id)}</th>'


def _plans(documents: pd.DataFrame) -> list[Plan]:
    return [Plan(_text(row.doc_id), _collapse(_text(row.title))) for row in documents.itertuples(index=False)]


def _by_doc(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    if frame.empty:
        return {}
    return {str(doc_id): group for doc_id, group in frame.groupby("doc_id", sort=False)}


def _table(head: str, rows: Sequence[str], cls: str = "", attrs: str = "") -> str:
    cls_attr = f' class="{cls}"' if cls else ""
    return f"<table{cls_attr}{attrs}><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _scroll(content: str) -> str:
    return f'<div class="scroll">{content}</div>'


# --------------------------------------------------------------------------- 1. plans side by side


def _period(start: Any, end: Any) -> str:
    start, end = _text(start), _text(end)
    return f"{start} – {end}" if start or end else ""


def _nowrap(text: str) -> str:
    """Escaped ``text`` whose ISO dates do not break at their hyphens."""
    return re.sub(r"(\d{4}-\d{2}-\d{2})", r'<span class="nw">\1</span>', html.escape(text))


def _approval(row: Any) -> str:
    parts = [_humanise(row.approval_type)]
    if _text(row.approval_number):
        parts.append(f"No {_text(row.approval_number)}")
    if _text(row.approval_date):
        parts.append(f"of {_text(row.approval_date)}")
    return " ".join(p for p in parts if p)


def _plans_side_by_side(documents: pd.DataFrame, citations: pd.DataFrame,
                        executors: pd.DataFrame, plans: list[Plan]) -> str:
    cited = _by_doc(citations)
    executed = _by_doc(executors)
    docs = {_text(row.doc_id): row for row in documents.itertuples(index=False)}

    def acts(doc_id: str) -> int:
        return cited[doc_id]["entity"].nunique() if doc_id in cited else 0

    def citations_of(doc_id: str) -> int:
        return len(cited.get(doc_id, ()))

    def executor_count(doc_id: str) -> int:
        if doc_id not in executed:
            return 0
        frame = executed[doc_id]
        return frame["entity"].where(frame["entity"].notna(), "text:" + frame["executor"].astype(str)).nunique()

    fields: list[tuple[str, Any]] = [
        ("Title", lambda r, p: _shortened(r.title, 160) or '<span class="none">not recognised</span>'),
        ("Type", lambda r, p: _esc(_humanise(r.doc_type))),
        ("Issuer", lambda r, p: _esc(r.issuer)),
        ("Territory", lambda r, p: _esc(r.territory)),
        ("Period", lambda r, p: _nowrap(_period(r.period_start, r.period_end))),
        ("Approved by", lambda r, p: _nowrap(_approval(r))),
        ("Sections", lambda r, p: str(_int(r.n_sections))),
        ("Measures", lambda r, p: str(_int(r.n_measures))),
        ("Mentions", lambda r, p: str(_int(r.n_mentions))),
        ("Legal acts cited", lambda r, p: str(acts(p.doc_id))),
        ("Citations of legal acts", lambda r, p: str(citations_of(p.doc_id))),
        ("Distinct executors", lambda r, p: str(executor_count(p.doc_id))),
    ]
    numeric = {"Sections", "Measures", "Mentions", "Legal acts cited", "Citations of legal acts", "Distinct executors"}
    head = '<tr><th scope="col">Plan</th>' + "".join(
        f'<th scope="col" data-doc="{_esc(p.doc_id)}">{_esc(p.doc_id)}</th>' for p in plans) + "</tr>"
    rows = []
    for label, cell in fields:
        cls = ' class="n"' if label in numeric else ""
        cells = "".join(f'<td{cls} data-doc="{_esc(p.doc_id)}">{cell(docs[p.doc_id], p)}</td>' for p in plans)
        rows.append(f'<tr data-field="{_esc(label)}"><th scope="row">{_esc(label)}</th>{cells}</tr>')
    return _scroll(_table(head, rows, "side-by-side"))


# --------------------------------------------------------------------------- 2a. measures per section


@dataclass(frozen=True, slots=True)
class SectionCount:
    number: str
    title: str
    n_measures: int
    n_tasks: int


NO_SECTION = "(not in any section)"


def measures_per_section(measures: pd.DataFrame, sections: pd.DataFrame) -> list[SectionCount]:
    """Measures of one plan grouped by their section, in the order of the plan's hierarchy.

    Every measure is counted once, so the counts add up to the plan's measures.
    """
    if measures.empty:
        return []
    position: dict[str, tuple[int, str]] = {}
    for row in sections.sort_values("section_index").itertuples(index=False):
        title = _text(row.title)
        # A task may repeat its section's words: the first (outermost) heading wins.
        position.setdefault(title, (_int(row.section_index), _text(row.number)))
    groups: dict[str, dict[str, Any]] = {}
    for row in measures.sort_values("measure_index").itertuples(index=False):
        title = _text(row.section) or NO_SECTION
        group = groups.setdefault(title, {"first": _int(row.measure_index), "n": 0, "tasks": set()})
        group["n"] += 1
        if _text(row.task):
            group["tasks"].add(_text(row.task))
    never = 1 << 30

    def order(item: tuple[str, dict[str, Any]]) -> tuple[int, int, int]:
        title, group = item
        if title == NO_SECTION:
            return (1, never, group["first"])
        return (0, position.get(title, (never, ""))[0], group["first"])

    return [
        SectionCount(position.get(title, (0, ""))[1], title, group["n"], len(group["tasks"]))
        for title, group in sorted(groups.items(), key=order)
    ]


def _section_table(plan: Plan, counts: list[SectionCount], n_measures: int) -> str:
    if not counts:
        return '<p class="none">No measures were recognised in this plan.</p>'
    largest = max(c.n_measures for c in counts)
    rows = []
    for c in counts:
        share = 100 * c.n_measures / largest
        rows.append(
            f'<tr><td class="num">{_esc(c.number)}</td><td class="title">{_shortened(c.title, SECTION_TITLE_CHARS)}</td>'
            f'<td class="n">{c.n_tasks or ""}</td><td class="n measures">{c.n_measures}</td>'
            f'<td class="bar"><span style="width:{share:.1f}%"></span></td></tr>'
        )
    head = ('<tr><th scope="col">No.</th><th scope="col">Section</th><th scope="col">Tasks</th>'
            '<th scope="col">Measures</th><th scope="col" class="bar">Share</th></tr>')
    foot = f'<tfoot><tr><th scope="row" colspan="3">Total</th><td class="n total">{n_measures}</td><td></td></tr></tfoot>'
    return _table(head, rows, "per-section", f' data-doc="{_esc(plan.doc_id)}"').replace("</table>", foot + "</table>")


def _sections_part(plans: list[Plan], measures: dict[str, pd.DataFrame], sections: dict[str, pd.DataFrame],
                   empty_measures: pd.DataFrame, empty_sections: pd.DataFrame) -> str:
    blocks = []
    for i, plan in enumerate(plans):
        plan_measures = measures.get(plan.doc_id, empty_measures)
        counts = measures_per_section(plan_measures, sections.get(plan.doc_id, empty_sections))
        opened = " open" if len(plans) <= 6 or i == 0 else ""
        blocks.append(
            f'<details class="plan"{opened}><summary><b>{_esc(plan.doc_id)}</b> '
            f'<span class="muted">{_esc(_truncate(plan.title, 120))} · {_count(len(plan_measures), "measure")} in '
            f'{_count(len(counts), "section")}</span></summary>'
            f"{_section_table(plan, counts, len(plan_measures))}</details>"
        )
    return "".join(blocks)


# --------------------------------------------------------------------------- 2b. deadlines


def _iso_date(value: Any) -> date | None:
    text = _text(value)[:10]
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def deadline_bucket(kind: Any, start: Any, end: Any) -> tuple[int, int] | str:
    """(year, quarter) of a dated deadline — of its end, or of its start when it has no end —
    or the column of a deadline without a date of its own (recurring, ongoing, on condition, no date)."""
    kind = _text(kind)
    if kind in UNDATED_KINDS:
        return UNDATED_KINDS[kind]
    day = _iso_date(end) or _iso_date(start)
    if day is None:
        return NO_DATE
    return (day.year, (day.month - 1) // 3 + 1)


def deadline_counts(measures: pd.DataFrame) -> Counter:
    return Counter(
        deadline_bucket(row.deadline_kind, row.deadline_start, row.deadline_end)
        for row in measures.itertuples(index=False)
    )


def _year_span(years: Iterable[int]) -> list[int]:
    """The years to show: every year from first to last, so empty years show as gaps —
    unless the span is so wide that a misread date is the likelier cause."""
    present = sorted(set(years))
    if present and present[-1] - present[0] < MAX_GAP_FILLED_YEARS:
        return list(range(present[0], present[-1] + 1))
    return present


def _deadline_table(plans: list[Plan], counts: dict[str, Counter]) -> str:
    years = _year_span(key[0] for c in counts.values() for key in c if isinstance(key, tuple))
    head_years = "".join(f'<th scope="colgroup" colspan="4" class="year">{y}</th>' for y in years)
    undated_head = "".join(f'<th scope="col" rowspan="2" class="undated">{_esc(c)}</th>' for c in UNDATED_COLUMNS)
    head = (f'<tr><th scope="col" rowspan="2">Plan</th>{head_years}{undated_head}'
            f'<th scope="col" rowspan="2">Total</th></tr>'
            + "<tr>" + "".join(f'<th scope="col" class="q{q}">Q{q}</th>' for _ in years for q in range(1, 5)) + "</tr>")

    def cell(n: int, bucket: str, cls: str = "") -> str:
        classes = " ".join(c for c in ("n", cls, "zero" if not n else "") if c)
        return f'<td class="{classes}" data-bucket="{_esc(bucket)}">{n or "·"}</td>'

    rows = []
    for plan in plans:
        c = counts.get(plan.doc_id, Counter())
        cells = [cell(c[(y, q)], f"{y}-Q{q}", f"q{q}") for y in years for q in range(1, 5)]
        cells += [cell(c[column], column, "undated") for column in UNDATED_COLUMNS]
        rows.append(f'<tr data-doc="{_esc(plan.doc_id)}"><th scope="row" title="{_esc(plan.title)}">'
                    f'{_esc(plan.doc_id)}</th>{"".join(cells)}<td class="n total">{sum(c.values())}</td></tr>')
    return _scroll(_table(head, rows, "deadlines"))


def _plan_timeline(counts: Counter) -> tuple[list[str], list[int]]:
    """Bar labels and heights for one plan: its dated span (by quarter, or by year when long)."""
    dated = sorted(key for key in counts if isinstance(key, tuple))
    if not dated:
        return [], []
    (first_year, first_q), (last_year, last_q) = dated[0], dated[-1]
    n_quarters = (last_year - first_year) * 4 + last_q - first_q + 1
    if n_quarters <= MAX_QUARTER_BARS:
        keys = [(first_year + (first_q - 1 + i) // 4, (first_q - 1 + i) % 4 + 1) for i in range(n_quarters)]
        return [f"Q{q}\n{y}" if q == 1 or i == 0 else f"Q{q}" for i, (y, q) in enumerate(keys)], [counts[k] for k in keys]
    per_year: Counter = Counter()
    for year, quarter in dated:
        per_year[year] += counts[(year, quarter)]
    years = _year_span(per_year)
    return [str(y) for y in years], [per_year[y] for y in years]


# --------------------------------------------------------------------------- charts (matplotlib → inline SVG)


def _rc(chart_id: str) -> dict[str, Any]:
    return {
        "svg.fonttype": "none",  # text stays text: searchable, selectable, crisp
        "svg.hashsalt": chart_id,  # deterministic ids, and different in every chart
        "font.family": "DejaVu Sans",  # ships with matplotlib and has Cyrillic
        "font.size": 9,
        "text.parse_math": False,  # a '$' in a name must not start mathtext
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
    }


def _figure(width: float, height: float, margins: tuple[float, float, float, float]):
    """A figure ``width`` × ``height`` inches whose axes leave (left, bottom, right, top) inches free.

    Margins are set, not computed by a layout engine: the engine draws every figure twice,
    and text layout is most of a chart's cost.
    """
    # A bare Figure renders through matplotlib's own non-interactive canvases (Agg/SVG)
    # without touching pyplot's global backend, so calling this from a notebook or a
    # server leaves the caller's matplotlib state alone.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    left, bottom, right, top = margins
    fig.subplots_adjust(left=left / width, bottom=bottom / height, right=1 - right / width, top=1 - top / height)
    return fig


def _label_width(labels: Iterable[str], font_size: float) -> float:
    """Rough width in inches of the longest label (DejaVu Sans averages ~0.6 em per character)."""
    longest = max((len(label) for label in labels), default=0)
    return longest * font_size * 0.6 / 72


_ID = re.compile(r'\bid="([^"]+)"')


def _svg(fig: Any, chart_id: str, label: str) -> str:
    """The figure as an ``<svg>`` element to put straight into the page."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    # Several SVGs share one HTML document, so ids (clip paths, groups) must be unique in it.
    ids = set(_ID.findall(svg))
    prefix = re.sub(r"[^A-Za-z0-9_-]", "_", chart_id)

    def rename(match: re.Match) -> str:
        name = match.group(2)
        return f"{match.group(1)}{prefix}-{name}" if name in ids else match.group(0)

    svg = re.sub(r'(\bid="|url\(#|href="#)([^")]+)', rename, svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(label)}" class="chart" ', 1)


def _deadline_chart(plan: Plan, counts: Counter) -> str:
    import matplotlib

    labels, heights = _plan_timeline(counts)
    undated = [(column, counts[column]) for column in UNDATED_COLUMNS if counts[column]]
    n_bars = len(labels) + len(undated)
    if not n_bars:
        return ""
    chart_id = f"deadlines-{plan.doc_id}"
    with matplotlib.rc_context(_rc(chart_id)):
        # Undated columns get wider slots: their labels are words, not quarters.
        width = 0.8 + 0.36 * len(labels) + 0.62 * len(undated)
        fig = _figure(max(3.2, min(7.5, width)), 2.3, (0.55, 0.5, 0.1, 0.3))
        ax = fig.add_subplot()
        positions = list(range(len(labels)))
        ax.bar(positions, heights, color=DATED_COLOUR)
        gap = 0.8 if labels else 0
        undated_positions = [len(labels) + gap + 1.5 * i for i in range(len(undated))]
        ax.bar(undated_positions, [n for _, n in undated], color=UNDATED_COLOUR, width=1.0)
        ax.set_xticks(positions + undated_positions, labels + [c.replace(" ", "\n") for c, _ in undated])
        ax.tick_params(axis="x", labelsize=7, length=0)
        ax.set_ylabel("measures")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_title(_truncate(f"{plan.doc_id}", CHART_LABEL_CHARS), loc="left")
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        return _svg(fig, chart_id, f"Measures by deadline, {plan.doc_id}")


@dataclass(frozen=True, slots=True)
class ExecutorLoad:
    name: str
    label: str  # ORG, PERSON, ROLE, or '' when the executor was not recognised as an entity
    n_measures: int
    as_written: tuple[str, ...]


def executors_load(executors: pd.DataFrame, entity_names: dict[str, str]) -> list[ExecutorLoad]:
    """Executors of one plan with the number of measures each is named in, busiest first.

    Spellings linked to one entity count as one executor; an unrecognised executor is kept
    under its text as written.
    """
    measures: dict[str, set[int]] = defaultdict(set)
    written: dict[str, list[str]] = defaultdict(list)
    labels: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in executors.itertuples(index=False):
        text = _collapse(_text(row.executor))
        entity = _text(row.entity)
        key = entity or f"text:{text}"
        measures[key].add(_int(row.measure_index))
        if text and text not in written[key]:
            written[key].append(text)
        labels[key] = _text(row.entity_label) if entity else ""
        names[key] = _collapse(entity_names.get(entity, "")) or text
    loads = [ExecutorLoad(names[k], labels[k], len(v), tuple(written[k])) for k, v in measures.items()]
    return sorted(loads, key=lambda e: (-e.n_measures, e.name))


def _executors_chart(plan: Plan, loads: list[ExecutorLoad]) -> str:
    import matplotlib

    if not loads:
        return ""
    chart_id = f"executors-{plan.doc_id}"
    with matplotlib.rc_context(_rc(chart_id)):
        labels = [_truncate(e.name, CHART_LABEL_CHARS) for e in loads]
        left = 0.15 + _label_width(labels, 8)
        fig = _figure(left + 3.4, 0.55 + 0.24 * len(loads), (left, 0.45, 0.3, 0.1))
        ax = fig.add_subplot()
        positions = list(range(len(loads)))
        ax.barh(positions, [e.n_measures for e in loads], color=EXECUTOR_COLOUR, height=0.7)
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()  # busiest on top, as in the table
        ax.tick_params(axis="y", labelsize=8, length=0)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel("measures")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for position, load in zip(positions, loads):
            ax.text(load.n_measures, position, f" {load.n_measures}", va="center", fontsize=7)
        return _svg(fig, chart_id, f"Measures per executor, {plan.doc_id}")


# --------------------------------------------------------------------------- 2. measures part


def _deadlines_part(plans: list[Plan], measures: dict[str, pd.DataFrame], empty: pd.DataFrame) -> str:
    counts = {p.doc_id: deadline_counts(measures.get(p.doc_id, empty)) for p in plans}
    charted = sorted(plans, key=lambda p: -sum(counts[p.doc_id].values()))[:MAX_CHART_PLANS]
    charted_ids = {p.doc_id for p in charted}
    charts = [c for c in (_deadline_chart(p, counts[p.doc_id]) for p in plans if p.doc_id in charted_ids) if c]
    note = ""
    if len(plans) > MAX_CHART_PLANS:
        note = (f'<p class="muted">Charts show the {MAX_CHART_PLANS} plans with the most measures; '
                "the table has every plan.</p>")
    return (
        '<p class="muted">Each measure counts once: in the quarter of its deadline’s end (or start, '
        "when it has no end), so a measure due “during 2019–2026” counts in the last quarter of 2026. "
        "Recurring, ongoing and conditional deadlines, and deadlines without a recognised date, have "
        "columns of their own. The chart of a long plan shows one bar per year.</p>"
        + _deadline_table(plans, counts)
        + note
        + (f'<div class="charts">{"".join(f"<figure>{c}</figure>" for c in charts)}</div>' if charts else "")
    )


# --------------------------------------------------------------------------- 3. executors


def _executors_table(plan: Plan, loads: list[ExecutorLoad], n_measures: int) -> str:
    rows = []
    for rank, load in enumerate(loads, 1):
        share = f"{100 * load.n_measures / n_measures:.0f}%" if n_measures else ""
        written = " | ".join(load.as_written)
        rows.append(
            f'<tr><td class="n">{rank}</td><td title="As written: {html.escape(written)}">'
            f"{html.escape(_truncate(load.name, 80))}</td>"
            f'<td class="kind">{_esc(load.label) or "<span class=none>as written</span>"}</td>'
            f'<td class="n measures">{load.n_measures}</td><td class="n">{share}</td></tr>'
        )
    head = ('<tr><th scope="col">#</th><th scope="col">Executor</th><th scope="col">Kind</th>'
            '<th scope="col">Measures</th><th scope="col">Share</th></tr>')
    return _table(head, rows, "executors", f' data-doc="{_esc(plan.doc_id)}"')


def _executors_part(plans: list[Plan], executors: dict[str, pd.DataFrame], measures: dict[str, pd.DataFrame],
                    entity_names: dict[str, str], empty: pd.DataFrame) -> str:
    by_measures = sorted(plans, key=lambda p: -len(measures.get(p.doc_id, ())))
    charted = {p.doc_id for p in by_measures[:MAX_CHART_PLANS]}
    blocks = []
    for i, plan in enumerate(plans):
        frame = executors.get(plan.doc_id, empty)
        loads = executors_load(frame, entity_names)
        n_measures = len(measures.get(plan.doc_id, ()))
        with_executor = frame["measure_index"].nunique() if len(frame) else 0
        top = loads[:TOP_EXECUTORS]
        more = f" {_count(len(loads) - len(top), 'more executor')} named less often." if len(loads) > len(top) else ""
        summary = f"{_count(len(loads), 'executor')}; {n_measures - with_executor} of {n_measures} measures name none.{more}"
        if loads:
            chart = _executors_chart(plan, top) if plan.doc_id in charted else ""
            body = (f'<div class="pair"><div>{_executors_table(plan, top, n_measures)}</div>'
                    f'{f"<figure>{chart}</figure>" if chart else ""}</div>')
        else:
            body = '<p class="none">No executors were recognised in this plan.</p>'
        opened = " open" if len(plans) <= 6 or i == 0 else ""
        blocks.append(f'<details class="plan"{opened}><summary><b>{_esc(plan.doc_id)}</b> '
                      f'<span class="muted">{html.escape(summary)}</span></summary>{body}</details>')
    return "".join(blocks)


def _shared_executors(plans: list[Plan], executors: pd.DataFrame, entity_names: dict[str, str]) -> str:
    """Bodies and people that more than one plan names as executors (by linked entity)."""
    linked = executors[executors["entity"].notna() & (executors["entity"].astype(str) != "")]
    if linked.empty:
        return ""
    per_plan = linked.groupby(["entity", "doc_id"])["measure_index"].nunique()
    n_plans = per_plan.groupby(level=0).size()
    shared = n_plans[n_plans >= 2].index
    if len(shared) == 0:
        return '<p class="muted">No executor is named in more than one plan.</p>'
    totals = per_plan.groupby(level=0).sum()
    order = sorted(shared, key=lambda e: (-n_plans[e], -totals[e], entity_names.get(e, "")))
    narrow = len(plans) >= MANY_PLANS
    head = '<tr><th scope="col">Executor</th>' + "".join(p.header(narrow) for p in plans) + "</tr>"
    rows = []
    for entity in order:
        cells = "".join(
            f'<td class="n{" hit" if (entity, p.doc_id) in per_plan.index else " zero"}">'
            f'{per_plan.get((entity, p.doc_id), "") or "·"}</td>' for p in plans)
        rows.append(f'<tr><th scope="row" class="title">{_shortened(entity_names.get(entity, entity), 70)}</th>{cells}</tr>')
    return ('<h3>Executors named in more than one plan</h3><p class="muted">Measures per plan of each body or '
            "person linked across plans.</p>" + _scroll(_table(head, rows, "matrix")))


# --------------------------------------------------------------------------- 4. legal acts × plans


@dataclass(frozen=True, slots=True)
class ActRow:
    entity: str
    title: str
    details: str
    act_type: str
    url: str
    per_plan: dict[str, int]

    @property
    def n_plans(self) -> int:
        return sum(1 for n in self.per_plan.values() if n)

    @property
    def n_citations(self) -> int:
        return sum(self.per_plan.values())


def legal_act_rows(citations: pd.DataFrame, entities: pd.DataFrame) -> list[ActRow]:
    """One row per cited legal act: most plans first, then most citations."""
    if citations.empty:
        return []
    acts = {_text(row.entity): row for row in entities.itertuples(index=False)}
    counts = citations.groupby(["entity", "doc_id"]).size()
    first_text = citations.groupby("entity")["text"].first()
    rows = []
    for entity, per_doc in counts.groupby(level=0):
        act = acts.get(str(entity))
        title = _text(act.act_title) if act is not None else ""
        name = _text(act.name) if act is not None else ""
        label = f"«{title}»" if title else name or _text(first_text.get(entity))
        details = ""
        if act is not None:
            number = f"No {_text(act.act_number)}" if _text(act.act_number) else ""
            details = " · ".join(p for p in (number, _text(act.act_date), _text(act.act_issuer)) if p)
        rows.append(ActRow(
            entity=str(entity), title=_collapse(label), details=details,
            act_type=_humanise(act.act_type) if act is not None else "",
            url=_safe_url(act.act_url) if act is not None else "",
            per_plan={str(doc): int(n) for (_, doc), n in per_doc.items()},
        ))
    return sorted(rows, key=lambda r: (-r.n_plans, -r.n_citations, r.title))


def _acts_summary(plans: list[Plan], acts: list[ActRow]) -> str:
    head = ('<tr><th scope="col">Plan</th><th scope="col">Acts cited</th><th scope="col">Shared with other plans</th>'
            '<th scope="col">Cited by this plan only</th><th scope="col">Citations</th></tr>')
    rows = []
    for plan in plans:
        cited = [a for a in acts if a.per_plan.get(plan.doc_id)]
        shared = sum(1 for a in cited if a.n_plans >= 2)
        rows.append(
            f'<tr data-doc="{_esc(plan.doc_id)}"><th scope="row" title="{_esc(plan.title)}">{_esc(plan.doc_id)}</th>'
            f'<td class="n">{len(cited)}</td><td class="n shared-n">{shared}</td>'
            f'<td class="n unique-n">{len(cited) - shared}</td>'
            f'<td class="n">{sum(a.per_plan[plan.doc_id] for a in cited)}</td></tr>'
        )
    return _scroll(_table(head, rows, "acts-summary"))


def _acts_matrix(plans: list[Plan], acts: list[ActRow]) -> str:
    narrow = len(plans) >= MANY_PLANS
    head = ('<tr><th scope="col" class="act">Legal act</th><th scope="col">Type</th><th scope="col">Plans</th>'
            + "".join(p.header(narrow) for p in plans) + "</tr>")
    rows = []
    for act in acts:
        shared = act.n_plans >= 2
        name = html.escape(_truncate(act.title, 110))
        if act.url:
            name = f'<a href="{html.escape(act.url)}" rel="noreferrer">{name}</a>'
        details = f'<div class="muted">{html.escape(act.details)}</div>' if act.details else ""
        badge = f'<span class="badge {"shared" if shared else "unique"}">{"shared" if shared else "unique"}</span>'
        cells = "".join(
            f'<td class="n{" hit" if act.per_plan.get(p.doc_id) else " zero"}" data-doc="{_esc(p.doc_id)}">'
            f'{act.per_plan.get(p.doc_id) or "·"}</td>' for p in plans)
        rows.append(
            f'<tr class="{"shared" if shared else "unique"}" data-entity="{html.escape(act.entity)}" '
            f'data-plans="{act.n_plans}"><th scope="row" class="act" title="{html.escape(act.title)}">{name}{details}</th>'
            f'<td class="kind">{html.escape(act.act_type)}</td><td class="n">{act.n_plans}&nbsp;{badge}</td>{cells}</tr>'
        )
    return _scroll(_table(head, rows, "matrix acts-matrix"))


def _acts_part(plans: list[Plan], citations: pd.DataFrame, entities: pd.DataFrame) -> str:
    acts = legal_act_rows(citations, entities)
    if not acts:
        return '<p class="none">No plan cites a legal act that could be recognised.</p>'
    n_shared = sum(1 for a in acts if a.n_plans >= 2)
    return (
        f'<p>{len(acts)} legal acts are cited; <span class="badge shared">shared</span> {n_shared} by two or more '
        f'plans, <span class="badge unique">unique</span> {len(acts) - n_shared} by one plan only. Cells count '
        "citations (the plan’s own approving act included, where it is cited in the text). Links lead to the act on "
        "zakon.rada.gov.ua where the citation identifies it.</p>"
        + _acts_summary(plans, acts)
        + "<h3>Matrix</h3>"
        + _acts_matrix(plans, acts)
    )


# --------------------------------------------------------------------------- the page

CSS = """
:root { --ink:#1d2733; --muted:#5f6b78; --line:#d7dde3; --head:#eef2f6; --hit:#dcebf7; --shared:#2f7d4f; --unique:#8a8f96; }
* { box-sizing: border-box; }
body { font: 14px/1.45 "DejaVu Sans", "Segoe UI", system-ui, sans-serif; color: var(--ink); margin: 0 auto; padding: 24px 32px; max-width: 1500px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 36px 0 8px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 22px 0 6px; }
nav a { margin-right: 14px; } a { color: #1f5fa0; }
.muted, .none { color: var(--muted); } .none { font-style: italic; }
.stats { display: flex; gap: 28px; margin: 12px 0; } .stats div b { display: block; font-size: 20px; }
table { border-collapse: collapse; font-size: 12.5px; margin: 6px 0 10px; }
th, td { border: 1px solid var(--line); padding: 3px 7px; vertical-align: top; text-align: left; }
thead th { background: var(--head); position: sticky; top: 0; z-index: 1; }
td.n, th.n, td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.zero { color: #c4cbd2; text-align: center; } td.hit { background: var(--hit); font-weight: bold; text-align: center; }
td.total, tfoot td, tfoot th { font-weight: bold; background: #f7f9fb; }
.scroll { overflow: auto; max-height: 75vh; max-width: 100%; width: fit-content; border: 1px solid var(--line); margin: 6px 0 12px; }
.scroll table { margin: 0; }
.scroll th[scope=row] { position: sticky; left: 0; background: #fff; z-index: 1; }
table.deadlines th[scope=row], table.acts-summary th[scope=row] { white-space: nowrap; }
.scroll thead th:first-child { left: 0; z-index: 2; }
table.side-by-side td { min-width: 170px; max-width: 320px; }
table.side-by-side th[scope=row] { white-space: nowrap; background: var(--head); }
table.per-section td.title { max-width: 640px; }
td.bar, th.bar { width: 160px; } td.bar span { display: block; height: 10px; margin-top: 4px; background: #3b6ea8; border-radius: 2px; }
table.deadlines th.year { text-align: center; } table.deadlines th.undated, table.deadlines td.undated { background: #fbf3e6; }
table.deadlines td.q1, table.deadlines th.q1 { border-left: 2px solid #9aa7b4; }
table.matrix th.act { min-width: 320px; max-width: 520px; font-weight: normal; }
table.matrix tr.shared th.act { border-left: 4px solid var(--shared); }
th.rot { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: normal; padding: 6px 2px; }
.badge { display: inline-block; font-size: 10.5px; padding: 0 5px; border-radius: 8px; color: #fff; vertical-align: 1px; }
.badge.shared { background: var(--shared); } .badge.unique { background: var(--unique); }
details.plan { border: 1px solid var(--line); border-radius: 4px; padding: 4px 10px; margin: 8px 0; }
details.plan summary { cursor: pointer; padding: 3px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 10px 24px; }
figure { margin: 6px 0; } svg.chart { max-width: 100%; height: auto; }
.pair { display: flex; flex-wrap: wrap; gap: 8px 28px; align-items: flex-start; }
table.executors td:nth-child(2) { max-width: 420px; }
.nw { white-space: nowrap; }
table.matrix th.act .muted { font-size: 11px; }
footer { margin-top: 40px; font-size: 12px; color: var(--muted); }
@media print { .scroll { max-height: none; overflow: visible; } thead th, .scroll th[scope=row] { position: static; } }
"""


def _stats(items: list[tuple[str, int]]) -> str:
    return '<div class="stats">' + "".join(f"<div><b>{n}</b>{html.escape(label)}</div>" for label, n in items) + "</div>"


def compare_report(dataset: Dataset, title: str = "Comparison of plans") -> str:
    """A self-contained HTML page (inline CSS and inline SVG charts, no external resources, no JavaScript needed)."""
    documents = _columns(dataset.documents, [
        "doc_id", "title", "doc_type", "issuer", "territory", "period_start", "period_end",
        "approval_type", "approval_date", "approval_number", "n_sections", "n_measures", "n_mentions"])
    sections = _columns(dataset.sections, ["doc_id", "section_index", "number", "title"])
    measures = _columns(dataset.measures, ["doc_id", "measure_index", "section", "task",
                                           "deadline_kind", "deadline_start", "deadline_end"])
    executors = _columns(dataset.measure_executors, ["doc_id", "measure_index", "executor", "entity", "entity_label"])
    citations = _columns(dataset.citations, ["doc_id", "measure_index", "entity", "text"])
    citations = citations[citations["entity"].notna() & (citations["entity"].astype(str) != "")]
    entities = _columns(dataset.entities, ["entity", "label", "name", "act_type", "act_issuer", "act_date",
                                           "act_number", "act_title", "act_url"])

    plans = _plans(documents)
    entity_names = {_text(e): _text(n) for e, n in zip(entities["entity"], entities["name"])}
    measures_by_doc = _by_doc(measures)
    executors_by_doc = _by_doc(executors)
    n_acts = citations["entity"].nunique() if len(citations) else 0

    parts = [
        ("plans", "1. Plans side by side", _plans_side_by_side(documents, citations, executors, plans)),
        ("sections", "2. Measures per section",
         '<p class="muted">Each measure counts once, under the top-level section it belongs to; '
         "hover a shortened title to read it whole.</p>"
         + _sections_part(plans, measures_by_doc, _by_doc(sections), measures.iloc[0:0], sections.iloc[0:0])),
        ("deadlines", "3. Measures by deadline", _deadlines_part(plans, measures_by_doc, measures.iloc[0:0])),
        ("executors", "4. Executors’ load",
         f'<p class="muted">Measures naming each body or person (top {TOP_EXECUTORS} per plan). Spellings linked to '
         "one entity count together; executors not recognised as an entity are shown as written.</p>"
         + _executors_part(plans, executors_by_doc, measures_by_doc, entity_names, executors.iloc[0:0])
         + _shared_executors(plans, executors, entity_names)),
        ("acts", "5. Legal acts × plans", _acts_part(plans, citations, entities)),
    ]
    nav = "".join(f'<a href="#{anchor}">{html.escape(heading)}</a>' for anchor, heading, _ in parts)
    body = "".join(f'<section id="{anchor}"><h2>{html.escape(heading)}</h2>{content}</section>'
                   for anchor, heading, content in parts)
    stats = _stats([("plans", len(plans)), ("measures", len(measures)), ("legal acts cited", n_acts),
                    ("citations", len(citations))])
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{html.escape(title)}</h1>{stats}<nav>{nav}</nav></header>{body}"
        '<footer>Made by <code>plans compare</code> from the linked dataset. Everything here was extracted '
        "automatically from the plan documents; check a figure against the document before citing it.</footer>"
        "</body></html>\n"
    )


def write_report(dataset: Dataset, path: Path) -> Path:
    """Write :func:`compare_report` to ``path`` atomically (a reader never sees half a page)."""
    path = Path(path)
    page = compare_report(dataset)
    write_atomic(path, page)
    return path
