"""The public expression-of-interest form and the coordinators' triage forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Email, InputRequired, Length, Optional

from app.dataspaces.models import InstitutionKind, PartnerRole
from app.forms import CheckboxListField, CountryField, DateField, TrapField
from app.partners.models import InterestOffer, InterestStatus

MESSAGE_LENGTH = 4000
NOTE_LENGTH = 4000


def optional_id(value):
    if value in (None, "", "None"):
        return None
    return int(value) if str(value).isascii() and str(value).isdigit() else -1


class InterestForm(FlaskForm):
    """What an institution tells a Data Space about itself. ``dataspace_id`` is shown on the
    network's form only; ``homepage`` and ``started`` are the spam checks."""

    dataspace_id = SelectField(_l("Data Space"), coerce=optional_id, validate_choice=False,
                               description=_l("Leave blank if you are not sure: the network's "
                                              "coordination will pass it on."))
    organisation_name = StringField(_l("Organisation"),
                                    validators=[DataRequired(), Length(max=200)])
    organisation_kind = SelectField(_l("Kind of organisation"), choices=InstitutionKind.choices,
                                    coerce=InstitutionKind)
    country_code = CountryField(_l("Country"))
    website = URLField(_l("Website"), validators=[
        Optional(), Length(max=300), URL(message=_l("Enter a full web address."))])
    contact_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    contact_role = StringField(_l("Your role in the organisation"),
                               validators=[Optional(), Length(max=120)])
    contact_email = EmailField(_l("Your email"), validators=[
        DataRequired(), Length(max=254), Email(message=_l("Enter a valid email address."))])
    offers = CheckboxListField(
        _l("What would you like to do with us?"), choices=InterestOffer.choices,
        validators=[DataRequired(_l("Choose at least one way of working with us."))])
    partner_dataspace_id = SelectField(
        _l("The other Data Space (for a joint project)"), coerce=optional_id,
        validate_choice=False)
    message = TextAreaField(_l("Your message"), validators=[
        DataRequired(), Length(max=MESSAGE_LENGTH)])
    languages = CheckboxListField(
        _l("Languages you can work in"), choices=[],
        validators=[DataRequired(_l("Choose at least one language."))])
    consent = BooleanField(
        _l("I agree to be contacted about this request. My contact details are erased if it "
           "does not lead to a partnership, and I can ask for that at any time."),
        validators=[InputRequired(_l("We can only answer if you agree to be contacted."))])
    homepage = TrapField(_l("Leave this field empty"), validators=[Length(max=300)])
    started = HiddenField()


class StatusForm(FlaskForm):
    status = SelectField(_l("Move to"), choices=InterestStatus.choices, coerce=InterestStatus,
                         validators=[InputRequired(_l("Choose a status."))])


class AssignForm(FlaskForm):
    assignee_id = SelectField(_l("Assigned to"), coerce=optional_id, validate_choice=False)


class PassForm(FlaskForm):
    dataspace_id = SelectField(_l("Pass to"), coerce=optional_id, validate_choice=False,
                               validators=[InputRequired(_l("Choose a Data Space."))])


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Internal note"), validators=[
        DataRequired(), Length(max=NOTE_LENGTH)])


class ConvertForm(FlaskForm):
    """Everything comes from the interest; the coordinator confirms and completes it."""

    institution_id = RadioField(_l("Institution"), coerce=optional_id, validate_choice=False)
    role = SelectField(_l("Role"), choices=PartnerRole.choices, coerce=PartnerRole)
    starts_on = DateField(_l("Partner since"), validators=[InputRequired()])
    agreement_reference = StringField(_l("Agreement reference"),
                                      validators=[Optional(), Length(max=100)])


class EraseForm(FlaskForm):
    """The submitter's confirmation that their contact details should go."""
