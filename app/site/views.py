from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from app.dataspaces.services import list_dataspaces
from app.extensions import csrf, limiter
from app.site.services import database_problem

bp = Blueprint("site", __name__, template_folder="templates")


@bp.get("/")
def index():
    return render_template("site/index.html", dataspaces=list_dataspaces())


@bp.get("/healthz")
@csrf.exempt
@limiter.exempt
def healthz():
    problem = database_problem()
    if problem:
        return jsonify(status="error", database=problem), 503
    return jsonify(status="ok", database="ok")
