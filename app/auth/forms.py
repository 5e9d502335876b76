from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from app.auth.models import Role
from app.forms import options
from app.i18n import UI_LANGUAGES

EMAIL_RULES = [
    DataRequired(),
    Length(max=254),
    Email(message=_l("Enter a valid email address."), check_deliverability=False),
]


def _new_password(label):
    return PasswordField(
        label,
        validators=[DataRequired(), Length(max=256)],
        description=_l("At least 10 characters; a few unrelated words work well."),
    )


def _confirmation(field_name: str):
    return PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo(field_name, message=_l("The two passwords differ."))],
    )


def _language_choices():
    return options(UI_LANGUAGES.items())


class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])


class SignUpForm(FlaskForm):
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=EMAIL_RULES)
    password = _new_password(_l("Password"))
    confirm = _confirmation("password")
    preferred_language = SelectField(_l("Preferred language"), choices=_language_choices)


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=EMAIL_RULES)


class ResetPasswordForm(FlaskForm):
    password = _new_password(_l("New password"))
    confirm = _confirmation("password")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = _new_password(_l("New password"))
    confirm = _confirmation("password")


class LanguageForm(FlaskForm):
    preferred_language = SelectField(_l("Preferred language"), choices=_language_choices)


class GrantRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=Role.choices, coerce=Role)
    dataspace_id = SelectField(
        _l("Data Space (coordinators only)"),
        coerce=lambda value: int(value) if value not in (None, "", "None") else None,
        validate_choice=False,
        validators=[Optional()],
    )
