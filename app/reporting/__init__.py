"""Reports: where each grant stands against its targets, and what the network delivered, per
Data Space, per grant, network-wide and for a period; as pages, charts and exports."""

from flask import Flask


def init_app(app: Flask) -> None:
    from app.reporting import charts, models  # noqa: F401 - its table
    from app.reporting.views import bp
    from app.workshops.models import ProgrammeKind

    app.register_blueprint(bp)
    app.jinja_env.globals.update(bar_chart=charts.bars, quarter_chart=charts.quarters,
                                  progress_bar=charts.progress_bar)
    app.jinja_env.filters["programme_kind"] = lambda value: ProgrammeKind(value).label
