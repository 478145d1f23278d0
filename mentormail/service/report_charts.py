"""The report's charts: matplotlib (Agg, no display) drawn to SVG text for the HTML page,
so the PDF that Chromium prints from it keeps them sharp."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # before pyplot: never a display, never a GUI toolkit

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from mentormail.workflows.report import FIT_ANSWERS, Report

INK, MUTED = "#222222", "#6b6b6b"
SIDE_COLOURS = {"mentee": "#1f5c99", "mentor": "#d08c2a"}


def _figure(height: float = 2.6) -> tuple[Figure, plt.Axes]:
    """A chart of the report's width, plain: no top or right frame, muted grid."""
    figure, axes = plt.subplots(figsize=(6.4, height), dpi=100)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=INK, labelsize=9)
    axes.yaxis.grid(True, color="#e4e4de")
    axes.set_axisbelow(True)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: 1, 2, 3, never 2.5
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    return figure, axes


def _svg(figure: Figure, title: str) -> str:
    """The chart as an SVG document (its title for screen readers and the PDF's text)."""
    for axes in figure.axes:  # counts start at 0, and an empty chart still shows 0 to 1
        low, high = axes.get_ylim()
        axes.set_ylim(max(low, 0), max(high, 1))
    figure.tight_layout()
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Title": title, "Date": None})
    plt.close(figure)
    text = out.getvalue()
    return text[text.index("<svg") :]


def charts(report: Report, colour: str) -> dict[str, str]:
    """Every chart of the report, by name, as SVG."""
    return {
        "cohorts": _cohorts(report, colour),
        "answers": _answers(report, colour),
        "meetings": _meetings(report, colour),
        "ratings": _ratings(report),
        "fit": _fit(report),
        "endings": _endings(report, colour),
    }


def _cohorts(report: Report, colour: str) -> str:
    """Match rate and acceptance rate of each cohort, side by side."""
    names = list(report.cohorts) or ["everyone"]
    match = [report.cohorts[n].match_rate or 0 for n in report.cohorts] or [0]
    accept = [report.cohorts[n].acceptance_rate or 0 for n in report.cohorts] or [0]
    figure, axes = _figure()
    places = range(len(names))
    axes.bar([p - 0.2 for p in places], match, width=0.4, color=colour, label="matched")
    axes.bar(
        [p + 0.2 for p in places], accept, width=0.4, color="#9dbad8", label="requests accepted"
    )
    for p, value in zip(places, match, strict=True):
        axes.annotate(f"{value:.0f}%", (p - 0.2, value), ha="center", va="bottom", fontsize=8)
    axes.set_xticks(list(places), names)
    axes.set_ylim(0, 112)
    axes.set_yticks([0, 20, 40, 60, 80, 100])
    axes.set_ylabel("% of mentees / of answers", fontsize=9, color=MUTED)
    axes.legend(frameon=False, fontsize=8, loc="upper right", ncols=2)
    return _svg(figure, "Match rate and acceptance by cohort")


def _answers(report: Report, colour: str) -> str:
    """How fast mentors answered requests."""
    buckets = report.overall.answer_times
    figure, axes = _figure(2.3)
    axes.bar(list(buckets), list(buckets.values()), color=colour, width=0.6)
    axes.set_ylabel("requests", fontsize=9, color=MUTED)
    return _svg(figure, "Time to answer a request")


def _meetings(report: Report, colour: str) -> str:
    """How many times the pairs met."""
    histogram = report.overall.meetings_histogram or {0: 0}
    figure, axes = _figure(2.3)
    axes.bar(range(len(histogram)), list(histogram.values()), color=colour, width=0.6)
    axes.set_xticks(range(len(histogram)), [str(k) for k in histogram])
    axes.set_xlabel("meetings reported", fontsize=9, color=MUTED)
    axes.set_ylabel("pairs", fontsize=9, color=MUTED)
    return _svg(figure, "Meetings per pair")


def _ratings(report: Report) -> str:
    """The survey ratings each side gave, 1 to 5."""
    figure, axes = _figure()
    for shift, side in ((-0.2, "mentee"), (0.2, "mentor")):
        counts = report.overall.ratings[side]
        axes.bar(
            [v + shift for v in counts],
            list(counts.values()),
            width=0.4,
            color=SIDE_COLOURS[side],
            label=f"{side}s",
        )
    axes.set_xticks([1, 2, 3, 4, 5], ["1", "2", "3", "4", "5 (best)"])
    axes.set_ylabel("answers", fontsize=9, color=MUTED)
    axes.legend(frameon=False, fontsize=8)
    return _svg(figure, "Survey ratings")


def _fit(report: Report) -> str:
    """The fit check's answers of each side."""
    figure, axes = _figure(2.3)
    labels = [a.replace("_", " ") for a in FIT_ANSWERS]
    for shift, side in ((-0.2, "mentee"), (0.2, "mentor")):
        counts = report.overall.fit[side]
        axes.bar(
            [i + shift for i in range(len(FIT_ANSWERS))],
            [counts[a] for a in FIT_ANSWERS],
            width=0.4,
            color=SIDE_COLOURS[side],
            label=f"{side}s",
        )
    axes.set_xticks(range(len(FIT_ANSWERS)), labels)
    axes.set_ylabel("pairs", fontsize=9, color=MUTED)
    axes.legend(frameon=False, fontsize=8)
    return _svg(figure, "Is it a good fit?")


def _endings(report: Report, colour: str) -> str:
    """Why matches ended, most common first."""
    endings = sorted(report.overall.endings.items(), key=lambda kv: kv[1]) or [("none yet", 0)]
    figure, axes = _figure(max(1.6, 0.45 * len(endings) + 0.8))
    axes.barh([r.replace("_", " ") for r, _ in endings], [n for _, n in endings], color=colour)
    axes.xaxis.grid(True, color="#e4e4de")
    axes.yaxis.grid(False)
    axes.set_xlabel("matches", fontsize=9, color=MUTED)
    return _svg(figure, "Endings by reason")
