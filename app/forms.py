"""Form pieces shared by every domain."""

from __future__ import annotations

from collections.abc import Mapping

import wtforms
from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import StopValidation, ValidationError

from app.i18n import country_codes, country_name, language_name, time_zone_names
from app.multilingual import CONTENT_LANGUAGES, MultilingualText, current_language


def options(pairs, blank: str | None = None) -> list[SelectChoice]:
    """Choices for a select field from ``(value, label)`` pairs, optionally after a blank one."""
    choices = [SelectChoice(value, label) for value, label in pairs]
    return [SelectChoice("", blank), *choices] if blank is not None else choices


class MultilingualField(Field):
    """Edits a :class:`MultilingualText`: one input per content language, side by side.

    Each language posts as ``<name>-<lang>``. ``required_languages`` lists the languages that
    must be filled in; ``max_length`` applies to each language.
    """

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        languages: tuple[str, ...] = CONTENT_LANGUAGES,
        required_languages: tuple[str, ...] = (),
        max_length: int = 200,
        multiline: bool = False,
        **kwargs,
    ):
        super().__init__(label, validators, **kwargs)
        self.languages = languages
        self.required_languages = required_languages
        self.max_length = max_length
        self.multiline = multiline

    def input_name(self, language: str) -> str:
        return f"{self.name}-{language}"

    def input_id(self, language: str) -> str:
        return f"{self.id}-{language}"

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(None, data, extra_filters)
        self.data = MultilingualText(self.data if isinstance(self.data, Mapping | str) else None)
        if formdata is not None:
            raw = {lang: formdata.get(self.input_name(lang), "") for lang in self.languages}
            self.raw_data = list(raw.values())
            self.data = MultilingualText(raw)

    def pre_validate(self, form):
        ui_language = current_language()
        for lang in self.required_languages:
            if lang not in self.data:
                raise StopValidation(
                    _l(
                        "The %(language)s text is required.",
                        language=language_name(lang, ui_language),
                    )
                )
        for lang, text in self.data.items():
            if len(text) > self.max_length:
                raise StopValidation(
                    _l(
                        "The %(language)s text is longer than %(max)d characters.",
                        language=language_name(lang, ui_language),
                        max=self.max_length,
                    )
                )

    def value(self, language: str) -> str:
        return self.data.get(language, "")


class CountryField(SelectField):
    """An ISO 3166-1 alpha-2 country, listed by its name in the reader's language."""

    def __init__(self, label=None, validators=None, *, allow_blank: bool = False, **kwargs):
        super().__init__(label, validators, choices=[], **kwargs)
        self.allow_blank = allow_blank

    def pre_validate(self, form):
        if self.allow_blank and not self.data:
            self.data = None
            return
        if self.data not in set(country_codes()):
            raise ValidationError(_l("Choose a country from the list."))

    def iter_choices(self):
        self.choices = _country_choices(current_language())
        return super().iter_choices()


def _country_choices(language: str) -> list[tuple[str, str]]:
    names = [(code, country_name(code, language)) for code in country_codes()]
    return options(sorted(names, key=lambda item: item[1].casefold()), blank="—")


class TimeZoneField(StringField):
    """An IANA time zone name such as ``America/Bogota``."""

    def pre_validate(self, form):
        self.data = (self.data or "").strip()
        if self.data not in time_zone_names():
            raise ValidationError(
                _l(
                    "“%(zone)s” is not a known IANA time zone (for example America/Bogota).",
                    zone=self.data,
                )
            )


#: The years a date in a form may name: far enough either way for any real plan, near enough
#: that moving it between time zones never leaves the calendar ("date value out of range").
FIRST_YEAR, LAST_YEAR = 1900, 2200


class _WithinCalendar:
    def pre_validate(self, form):
        if self.data is not None and not FIRST_YEAR <= self.data.year <= LAST_YEAR:
            raise StopValidation(
                _l("Enter a date between %(first)s and %(last)s.", first=FIRST_YEAR,
                   last=LAST_YEAR)
            )


class DateField(_WithinCalendar, wtforms.DateField):
    """A day between :data:`FIRST_YEAR` and :data:`LAST_YEAR`."""


class DateTimeLocalField(_WithinCalendar, wtforms.DateTimeLocalField):
    """A wall-clock time between :data:`FIRST_YEAR` and :data:`LAST_YEAR`."""


class CheckboxListField(wtforms.SelectMultipleField):
    """Several choices as a list of checkboxes: easier than a multiple select on a phone."""

    widget = wtforms.widgets.ListWidget(prefix_label=False)
    option_widget = wtforms.widgets.CheckboxInput()


class TrapField(StringField):
    """A field hidden from people (and from screen readers): only software that fills in every
    field it finds writes in it. ``_forms.html`` renders it out of sight."""
