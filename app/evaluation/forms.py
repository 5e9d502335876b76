from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from app.curriculum.forms import optional_id
from app.evaluation.models import QuestionKind
from app.forms import MultilingualField


class SurveySettingsForm(FlaskForm):
    anonymous = BooleanField(_l("Anonymous: no answer can be traced to a person, not even by "
                                "an admin (each person still answers once)"))
    required_for_certificate = BooleanField(
        _l("Participants answer it before they can download their certificate"))


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind of question"), choices=QuestionKind.choices, coerce=QuestionKind)
    text = MultilingualField(_l("Question"), required_languages=("en",), max_length=500)
    options = MultilingualField(
        _l("Options (one per line, in the same order in every language)"), max_length=3000,
        multiline=True)
    scale_min = IntegerField(_l("Scale from"), default=1,
                             validators=[InputRequired(), NumberRange(min=0, max=10)])
    scale_max = IntegerField(_l("Scale to"), default=5,
                             validators=[InputRequired(), NumberRange(min=0, max=10)])
    correct_option = IntegerField(_l("Number of the correct option (knowledge items)"),
                                  validators=[Optional(), NumberRange(min=1, max=50)])
    module_id = SelectField(_l("Learning outcome of module"), coerce=optional_id,
                            validators=[Optional()])
