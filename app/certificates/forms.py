"""The form coordinators use to shape their Data Space's certificates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, Regexp

from app.certificates.design import COLOUR
from app.forms import MultilingualField


class CertificateTemplateForm(FlaskForm):
    colour = StringField(
        _l("Colour"), validators=[Regexp(COLOUR,
                                         message=_l("Enter a colour as # and six hexadecimal "
                                                    "digits."))],
        render_kw={"type": "color"})
    logo = FileField(_l("Logo (PNG or JPEG, up to 1 MB)"))
    remove_logo = BooleanField(_l("Remove the logo"))
    wording = MultilingualField(
        _l("Sentence before the programme's title (default: “completed the programme”)"),
        max_length=200)
    signatory_name = StringField(_l("Signed by"), validators=[Length(max=200)])
    signatory_title = MultilingualField(_l("Signatory's title"), max_length=200)
    signature = FileField(_l("Signature image (PNG or JPEG, up to 1 MB)"))
    remove_signature = BooleanField(_l("Remove the signature image"))
    html = TextAreaField(
        _l("Layout (HTML; leave empty for the network's layout)"), validators=[Length(max=50000)],
        render_kw={"rows": 12, "spellcheck": "false", "dir": "ltr"})
    css = TextAreaField(
        _l("Styles (CSS, added after the network's stylesheet)"),
        validators=[Length(max=50000)], render_kw={"rows": 8, "spellcheck": "false",
                                                   "dir": "ltr"})
