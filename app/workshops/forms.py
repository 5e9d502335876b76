from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import DateField, DateTimeLocalField, MultilingualField, options
from app.i18n import language_name
from app.multilingual import CONTENT_LANGUAGES, current_language
from app.workshops.models import DeliveryMode, EnrollmentMode, ProgrammeKind


def optional_id(value):
    return int(value) if value not in (None, "", "None") else None


LOCAL_TIME = "%Y-%m-%dT%H:%M"


class ProgrammeForm(FlaskForm):
    title = MultilingualField(_l("Title"), required_languages=("en",), max_length=200)
    summary = MultilingualField(_l("Summary"), max_length=3000, multiline=True)
    kind = SelectField(_l("Kind"), choices=ProgrammeKind.choices, coerce=ProgrammeKind)
    dataspace_id = SelectField(
        _l("Data Space"), coerce=optional_id, validators=[InputRequired(_l("Choose a Data Space."))]
    )
    node_id = SelectField(
        _l("City"), coerce=optional_id, validators=[InputRequired(_l("Choose a city."))]
    )
    host_id = SelectField(_l("Host institution"), coerce=optional_id, validators=[Optional()])
    languages = SelectMultipleField(
        _l("Languages of instruction"),
        choices=[],
        validators=[DataRequired(_l("Choose one or more languages of instruction."))],
    )
    delivery_mode = SelectField(_l("Delivery"), choices=DeliveryMode.choices, coerce=DeliveryMode)
    meeting_url = URLField(
        _l("Meeting link (shown only to confirmed participants)"),
        validators=[Optional(), Length(max=500), URL(message=_l("Enter a full web address."))],
    )
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=300)])
    start_date = DateField(_l("First day"), validators=[InputRequired()])
    end_date = DateField(_l("Last day"), validators=[InputRequired()])
    time_zone = StringField(
        _l("Time zone"),
        validators=[Optional(), Length(max=64)],
        description=_l("Leave empty to use the city's time zone."),
    )
    capacity = IntegerField(
        _l("Seats"),
        validators=[
            InputRequired(),
            NumberRange(min=1, max=100_000, message=_l("The capacity must be at least one seat.")),
        ],
    )
    registration_opens_local = DateTimeLocalField(
        _l("Registration opens (local time)"), format=LOCAL_TIME, validators=[Optional()]
    )
    registration_closes_local = DateTimeLocalField(
        _l("Registration closes (local time)"), format=LOCAL_TIME, validators=[Optional()]
    )
    enrollment_mode = SelectField(
        _l("Enrollment"), choices=EnrollmentMode.choices, coerce=EnrollmentMode
    )
    min_attendance_percent = IntegerField(
        _l("Minimum attendance for a certificate (%)"),
        default=80,
        validators=[InputRequired(), NumberRange(min=0, max=100)],
    )
    curriculum_id = SelectField(
        _l("Curriculum (the programme gets its own copy)"),
        coerce=optional_id,
        validators=[Optional()],
    )
    instructor_ids = SelectMultipleField(_l("Instructors"), coerce=int, validators=[Optional()])
    co_organiser_ids = SelectMultipleField(_l("Co-organised with other Data Spaces"), coerce=int,
                                           validators=[Optional()])
    funder_ids = SelectMultipleField(_l("Funders"), coerce=int, validators=[Optional()])
    grant = StringField(_l("Grant"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reader = current_language()
        self.languages.choices = options(
            (code, language_name(code, reader)) for code in CONTENT_LANGUAGES
        )


class SessionForm(FlaskForm):
    title = MultilingualField(_l("Title"), required_languages=("en",), max_length=200)
    module_id = SelectField(_l("Module"), coerce=optional_id, validators=[Optional()])
    starts_local = DateTimeLocalField(
        _l("Starts (local time)"), format=LOCAL_TIME, validators=[InputRequired()]
    )
    ends_local = DateTimeLocalField(
        _l("Ends (local time)"), format=LOCAL_TIME, validators=[InputRequired()]
    )
    room = StringField(_l("Room"), validators=[Optional(), Length(max=120)])
    materials = TextAreaField(_l("Materials and notes"), validators=[Optional(), Length(max=5000)])
    instructor_ids = SelectMultipleField(_l("Instructors"), coerce=int, validators=[Optional()])


class SessionLogisticsForm(FlaskForm):
    room = StringField(_l("Room"), validators=[Optional(), Length(max=120)])
    materials = TextAreaField(_l("Materials and notes"), validators=[Optional(), Length(max=5000)])
