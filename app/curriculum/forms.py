from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DecimalField, SelectField, SelectMultipleField, StringField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from app.curriculum.models import LICENCES, Level
from app.forms import MultilingualField, options


def optional_id(value):
    return int(value) if value not in (None, "", "None") else None


def _dataspace_field():
    return SelectField(
        _l("Data Space"),
        coerce=optional_id,
        description=_l("Who publishes and curates it. Leave empty for the whole network."),
    )


class ModuleForm(FlaskForm):
    title = MultilingualField(_l("Title"), required_languages=("en",), max_length=200)
    summary = MultilingualField(_l("Summary"), max_length=1000, multiline=True)
    body = MultilingualField(
        _l("Content (Markdown)"),
        max_length=50_000,
        multiline=True,
        description=_l("Headings, lists, links, tables and code are kept; HTML is not."),
    )
    learning_outcomes = MultilingualField(
        _l("Learning outcomes (one per line)"), max_length=5000, multiline=True
    )
    level = SelectField(_l("Level"), choices=Level.choices, coerce=Level)
    duration_hours = DecimalField(
        _l("Duration in hours"),
        places=1,
        validators=[InputRequired(), NumberRange(min=0.5, max=500)],
    )
    licence = SelectField(_l("Licence"), choices=options(LICENCES.items()))
    topics = SelectMultipleField(_l("Topics"), validators=[Optional()])
    author_ids = SelectMultipleField(_l("Authors"), coerce=int, validators=[Optional()])
    dataspace_id = _dataspace_field()


class LinkForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    url = URLField(
        _l("Web address"),
        validators=[
            DataRequired(),
            Length(max=500),
            URL(require_tld=True, message=_l("Enter a full web address starting with https://")),
        ],
    )


class FileForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])
    file = FileField(_l("File"), validators=[FileRequired(_l("Choose a file."))])


class CollectionForm(FlaskForm):
    title = MultilingualField(_l("Title"), required_languages=("en",), max_length=200)
    description = MultilingualField(_l("Description"), max_length=3000, multiline=True)
    dataspace_id = _dataspace_field()


class CurriculumForm(CollectionForm):
    pass


class AddModuleForm(FlaskForm):
    module = SelectField(
        _l("Module"),
        validate_choice=False,
        validators=[DataRequired(_l("Choose a module from the list."))],
    )
