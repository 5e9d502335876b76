from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import DateField, MultilingualField
from app.grants.models import DeliverableStatus, TargetBound, TargetMeasure
from app.workshops.models import ProgrammeKind


class GrantForm(FlaskForm):
    title = MultilingualField(_l("Title"), required_languages=("en",), max_length=200)
    description = MultilingualField(_l("Description"), max_length=5000, multiline=True)
    reference = StringField(_l("Funder's reference"), validators=[Optional(), Length(max=100)])
    starts_on = DateField(_l("Starts on"), validators=[InputRequired()])
    ends_on = DateField(_l("Ends on"), validators=[InputRequired()])
    amount = DecimalField(_l("Amount (optional)"), places=2, validators=[Optional()])
    currency = StringField(_l("Currency"), validators=[Optional(), Length(max=3)],
                           description=_l("Three letters: USD, EUR, COP…"))
    dataspace_ids = SelectMultipleField(_l("Data Spaces covered"), coerce=int)
    funder_ids = SelectMultipleField(_l("Funders"), coerce=int)
    partner_ids = SelectMultipleField(_l("Implementing partners"), coerce=int)
    public = BooleanField(_l("Publish a progress page (figures only) for funders and the public"))


class TargetForm(FlaskForm):
    measure = SelectField(_l("What is counted"), choices=TargetMeasure.choices,
                          coerce=TargetMeasure)
    bound = SelectField(_l("Target"), choices=TargetBound.choices, coerce=TargetBound)
    value = IntegerField(_l("Number"), validators=[Optional(), NumberRange(min=0)],
                         description=_l("A percentage for the share of women; not needed for a "
                                        "named deliverable."))
    programme_kind = SelectField(_l("Only programmes of this kind"),
                                 choices=lambda: [("", _l("Any kind")), *ProgrammeKind.choices()],
                                 validators=[Optional()])
    languages = SelectMultipleField(_l("Taught in all of these languages"),
                                    validators=[Optional()])
    label = MultilingualField(_l("Deliverable or note"), max_length=300)


class DeliverableStatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=DeliverableStatus.choices,
                         coerce=DeliverableStatus)


class FundModuleForm(FlaskForm):
    module = SelectField(_l("Knowledge module"), validate_choice=False,
                         validators=[DataRequired(_l("Choose a module."))])


class FundForm(FlaskForm):
    # Any id passes the form: the service says why a programme may not be funded.
    programme = SelectField(_l("Programme"), coerce=int, validate_choice=False,
                            validators=[DataRequired(_l("Choose a programme."))])
