from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.enrollment.models import Gender, Sector
from app.forms import CountryField, options


def _optional_gender(value):
    return Gender(value) if value else None


class ProfileForm(FlaskForm):
    given_name = StringField(_l("Given name(s)"), validators=[DataRequired(), Length(max=120)],
                             description=_l("If you have a single name, write it here."))
    family_name = StringField(_l("Family name(s)"), validators=[Optional(), Length(max=120)])
    certificate_name = StringField(
        _l("Your name as it should appear on a certificate"),
        validators=[Optional(), Length(max=200)],
        description=_l("In any script. Leave empty to use your names as written above."))
    organization = StringField(_l("Organization"), validators=[Optional(), Length(max=200)])
    sector = SelectField(_l("Sector"), choices=Sector.choices, coerce=Sector)
    country_code = CountryField(_l("Country"))
    gender = SelectField(_l("Gender (optional; only reported in aggregate)"),
                         coerce=_optional_gender, validators=[Optional()])
    gender_self_described = StringField(_l("If you describe yourself"),
                                        validators=[Optional(), Length(max=100)])
    accessibility_needs = TextAreaField(_l("Accessibility needs"),
                                        validators=[Optional(), Length(max=2000)])
    consent = BooleanField(_l("I agree that the Data Space network processes these data to run "
                              "its training programme, as its privacy notice describes."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.gender.choices = options(((g.value, g.label) for g in Gender), blank="—")


class ApplicationForm(FlaskForm):
    motivation = TextAreaField(_l("Why do you want to take part?"),
                               validators=[DataRequired(), Length(max=5000)])


class NoteForm(FlaskForm):
    internal_note = TextAreaField(_l("Internal note (only coordinators see it)"),
                                  validators=[Optional(), Length(max=5000)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a file."))])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    confirm = BooleanField(_l("I understand that my account and personal data will be erased."),
                           validators=[DataRequired()])
