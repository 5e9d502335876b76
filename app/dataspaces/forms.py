from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, URLField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, Regexp

from app.dataspaces.models import DataSpaceStatus, InstitutionKind, PartnerRole, Region
from app.forms import CountryField, DateField, MultilingualField, TimeZoneField

SLUG_RULE = Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    message=_l("Use lowercase letters, digits and hyphens only (for example latin-america)."),
)


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


class DataSpaceForm(FlaskForm):
    name = MultilingualField(_l("Name"), required_languages=("en",), max_length=120)
    slug = StringField(_l("Web address"), validators=[DataRequired(), Length(max=64), SLUG_RULE])
    region = SelectField(_l("Region"), choices=Region.choices, coerce=Region)
    status = SelectField(_l("Status"), choices=DataSpaceStatus.choices, coerce=DataSpaceStatus)
    description = MultilingualField(_l("Description"), max_length=5000, multiline=True)


class NodeForm(FlaskForm):
    city = MultilingualField(_l("City"), required_languages=("en",), max_length=120)
    slug = StringField(_l("Web address"), validators=[DataRequired(), Length(max=64), SLUG_RULE])
    country_code = CountryField(_l("Country"))
    time_zone = TimeZoneField(
        _l("Time zone"),
        validators=[DataRequired(), Length(max=64)],
        description=_l("IANA name, for example America/Bogota or Africa/Dakar."),
    )
    is_anchor = BooleanField(_l("Anchor node (where the Data Space is coordinated from)"))
    host_id = SelectField(_l("Host institution"), coerce=_optional_id, validate_choice=False)


class InstitutionForm(FlaskForm):
    name = MultilingualField(_l("Name"), required_languages=("en",), max_length=200)
    kind = SelectField(_l("Kind"), choices=InstitutionKind.choices, coerce=InstitutionKind)
    country_code = CountryField(_l("Country"), allow_blank=True)
    website = URLField(
        _l("Website"),
        validators=[Optional(), Length(max=300), URL(message=_l("Enter a full web address."))],
    )


class PartnershipForm(FlaskForm):
    institution_id = SelectField(_l("Institution"), coerce=_optional_id, validate_choice=False)
    role = SelectField(_l("Role"), choices=PartnerRole.choices, coerce=PartnerRole)
    starts_on = DateField(_l("Partner since"), validators=[Optional()])
    agreement_reference = StringField(_l("Agreement reference"),
                                      validators=[Optional(), Length(max=100)])


class TeamMemberForm(FlaskForm):
    person_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    title = MultilingualField(_l("Role in the team"), max_length=120)
    email = EmailField(
        _l("Email"),
        validators=[Optional(), Length(max=254), Email(message=_l("Enter a valid email address."))],
    )
    node_id = SelectField(_l("Node"), coerce=_optional_id, validate_choice=False)


class DeleteForm(FlaskForm):
    """An empty form: a CSRF-protected button."""
