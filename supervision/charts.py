"""What static/js/charts.js draws: a chart's configuration as plain data, passed to the page
through json_script (the strict Content Security Policy allows no inline script).

Every chart of the application is drawn from such a configuration, and every page that shows
one also gives its numbers in a table, for screen readers and for printing.
"""

from collections.abc import Iterable
from decimal import Decimal

# Colours of the series in turn (Okabe–Ito, told apart with colour blindness); every series
# also differs by its point style or dash, and every chart has its table.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
# Point styles told apart without colour, one per series in turn.
POINT_STYLES = ("circle", "rect", "triangle", "rectRot", "star", "crossRot")


def _number(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)


def series(
    label: str, values: Iterable[Decimal | float | int | None], color: str, *, dashed: bool = False
) -> dict:
    """One line or set of bars; None leaves a gap."""
    return {
        "label": str(label),
        "values": [_number(value) for value in values],
        "color": color,
        "dashed": dashed,
    }


def chart(
    kind: str,
    labels: Iterable[str],
    datasets: list[dict],
    *,
    stacked: bool = False,
    y_title: str = "",
    y_max: float | None = None,
) -> dict:
    """A line or bar chart over the labels, its vertical axis from 0."""
    for position, dataset in enumerate(datasets):
        dataset.setdefault("pointStyle", POINT_STYLES[position % len(POINT_STYLES)])
    return {
        "type": kind,
        "labels": [str(label) for label in labels],
        "series": datasets,
        "stacked": stacked,
        "yTitle": str(y_title),
        "yMax": y_max,
    }
