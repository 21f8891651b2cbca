"""Geometry for the dashboard's SVG charts.

The numbers are laid out here and drawn by templates (pipelines/charts/*.svg.html), so every label is
escaped by the template engine and nothing is fetched from a CDN.
"""

from dataclasses import dataclass, field

from .models import OPEN_STAGES, Stage

# One colour per open stage, light to dark along the pipeline.
STAGE_COLOURS: dict[str, str] = {
    Stage.SOURCED: "#c6dbef",
    Stage.SCREENED: "#9ecae1",
    Stage.SHORTLISTED: "#6baed6",
    Stage.SUBMITTED: "#4292c6",
    Stage.INTERVIEW: "#2171b5",
    Stage.OFFER: "#08519c",
    Stage.PLACED: "#08306b",
}
BAR_COLOUR = "#417690"  # the admin's own blue
LINE_COLOUR = "#ba2121"


@dataclass
class Segment:
    x: float
    width: float
    colour: str
    title: str


@dataclass
class Bar:
    label: str
    value_label: str
    y: float
    segments: list[Segment] = field(default_factory=list)

    @property
    def end(self) -> float:
        return max((s.x + s.width for s in self.segments), default=0)


@dataclass
class HBarChart:
    """Horizontal bars, one per row, optionally stacked."""

    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int = 18


def hbar_chart(
    rows: list[tuple[str, list[tuple[float, str, str]], str]], *, width: int = 520, label_width: int = 170
) -> HBarChart:
    """`rows`: (label, [(value, colour, tooltip), ...] stacked left to right, value label)."""
    row_height, bar_height = 26, 18
    largest = max((sum(max(v, 0) for v, _, _ in segments) for _, segments, _ in rows), default=0) or 1
    plot = width - label_width - 60
    bars = []
    for index, (label, segments, value_label) in enumerate(rows):
        bar = Bar(label=label, value_label=value_label, y=index * row_height + 4)
        x = float(label_width)
        for value, colour, title in segments:
            span = plot * max(value, 0) / largest  # a bar cannot be drawn with a negative width
            bar.segments.append(Segment(x=x, width=span, colour=colour, title=title))
            x += span
        bars.append(bar)
    return HBarChart(
        bars=bars,
        width=width,
        height=max(len(rows), 1) * row_height + 8,
        label_width=label_width,
        bar_height=bar_height,
    )


def stage_segments(by_stage: dict[str, int]) -> list[tuple[float, str, str]]:
    return [
        (by_stage.get(stage, 0), STAGE_COLOURS[stage], f"{Stage(stage).label}: {by_stage.get(stage, 0)}")
        for stage in OPEN_STAGES
        if by_stage.get(stage, 0)
    ]


@dataclass
class Column:
    label: str
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass
class BarLineChart:
    """Vertical bars (left scale) with a line over them (right scale), one point per category."""

    columns: list[Column]
    points: str  # an SVG polyline "x,y x,y ..."
    dots: list[tuple[float, float, str]]
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    bar_max_label: str
    line_max_label: str


def bar_line_chart(
    categories: list[str],
    bars: list[float],
    line: list[float],
    *,
    bar_name: str,
    line_name: str,
    line_format=str,
    width: int = 640,
    height: int = 220,
) -> BarLineChart:
    top, bottom, left, right = 16, height - 28, 40, width - 70
    step = (right - left) / max(len(categories), 1)
    bar_max = max(bars, default=0) or 1
    line_max = max(line, default=0) or 1
    columns, coordinates, dots = [], [], []
    for index, label in enumerate(categories):
        bar_height = (bottom - top) * bars[index] / bar_max
        x = left + index * step
        columns.append(
            Column(
                label=label,
                x=x + step * 0.15,
                y=bottom - bar_height,
                width=step * 0.7,
                height=bar_height,
                title=f"{label}: {bars[index]:g} {bar_name}",
            )
        )
        cx, cy = x + step / 2, bottom - (bottom - top) * line[index] / line_max
        coordinates.append(f"{cx:.1f},{cy:.1f}")
        dots.append((cx, cy, f"{label}: {line_format(line[index])} {line_name}"))
    return BarLineChart(
        columns=columns,
        points=" ".join(coordinates),
        dots=dots,
        width=width,
        height=height,
        plot_top=top,
        plot_bottom=bottom,
        bar_max_label=f"{bar_max:g}",
        line_max_label=line_format(line_max),
    )
