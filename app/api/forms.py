from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from app.api.models import TokenScope
from app.api.tokens import LIFETIMES
from app.forms import options


def _lifetimes():
    return options((str(days), _l("%(num)s days", num=days)) for days in LIFETIMES)


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("What the token is for, e.g. \u201cour website\u201d."))
    scope = RadioField(_l("What it may do"), choices=TokenScope.choices(), default="read",
                       validators=[InputRequired()])
    days = SelectField(_l("Expires after"), choices=_lifetimes(), default="90",
                       validators=[InputRequired()])
