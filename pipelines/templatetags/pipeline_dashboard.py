"""The dashboard shown on the admin index: figures from pipelines.selectors drawn as SVG charts."""

from django import template

from .. import charts, selectors
from ..models import OPEN_STAGES, STAGE_ORDER, Stage

register = template.Library()


def _money(value) -> str:
    return f"{value:,.0f}"


@register.inclusion_tag("pipelines/dashboard.html", takes_context=True)
def pipeline_dashboard(context):
    dashboard = selectors.dashboard_cached()
    pillars = dashboard.pillars
    currencies = dashboard.currencies or ["GBP"]
    main_currency = max(currencies, key=lambda c: sum(m.fees.get(c, 0) for m in dashboard.months))
    month_labels = [m.month.strftime("%b %y") for m in dashboard.months]
    funnels = [
        {
            "pillar": stats.pillar,
            "rows": stats.funnel,
            "chart": charts.hbar_chart(
                [
                    (
                        row["label"],
                        [
                            (
                                row["reached"],
                                charts.STAGE_COLOURS[row["stage"]],
                                f"{row['label']}: {row['reached']} reached, {row['current']} there now",
                            )
                        ],
                        f"{row['reached']}" + (f" ({row['conversion']}%)" if row["conversion"] is not None else ""),
                    )
                    for row in stats.funnel
                ],
                width=380,
                label_width=130,
            ),
        }
        for stats in pillars
    ]
    return {
        "request": context.get("request"),
        "show_fees": context.get("show_fees", False),
        "dashboard": dashboard,
        "open_roles_chart": charts.hbar_chart(
            [
                (
                    str(s.pillar),
                    [(s.open_roles, charts.BAR_COLOUR, f"{s.pillar}: {s.open_roles} open")],
                    str(s.open_roles),
                )
                for s in pillars
            ]
        ),
        "monthly_chart": charts.bar_line_chart(
            month_labels,
            [m.placements for m in dashboard.months],
            [float(m.fees.get(main_currency, 0)) for m in dashboard.months],
            bar_name="placements",
            line_name=f"{main_currency} fees",
            line_format=_money,
        ),
        "main_currency": main_currency,
        "other_currencies": [c for c in currencies if c != main_currency],
        "time_to_fill_chart": charts.hbar_chart(
            [
                (
                    str(s.pillar),
                    [(s.median_days_to_fill or 0, charts.BAR_COLOUR, f"{s.pillar}: median over {s.fills} placements")],
                    "—" if s.median_days_to_fill is None else f"{s.median_days_to_fill:.0f} days",
                )
                for s in pillars
            ]
        ),
        "funnels": funnels,
        "open_stages": [(stage, Stage(stage).label) for stage in OPEN_STAGES],
        "stage_days": [
            {"pillar": s.pillar, "days": [s.median_days_in_stage.get(stage) for stage in OPEN_STAGES]} for s in pillars
        ],
        "recruiters_chart": charts.hbar_chart(
            [(r.name, charts.stage_segments(r.by_stage), str(r.total)) for r in dashboard.recruiters]
        ),
        "stage_legend": [(Stage(stage).label, charts.STAGE_COLOURS[stage]) for stage in STAGE_ORDER[:-1]],
    }
