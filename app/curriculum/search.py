"""Full-text search of published modules, behind one interface for SQLite and PostgreSQL.

The index is one row per module and language the module is written in, kept in a table that
the migrations create per database (it is not an ORM model):

- SQLite: an FTS5 virtual table with the ``unicode61`` tokenizer, accents folded, ranked by bm25;
- PostgreSQL: ``tsvector`` columns built with the language's text search configuration
  (stemming) from the text with accents removed (``unaccent``): ``document`` (everything, GIN
  index) for matching, ``head`` (title and summary) for ranking with ``ts_rank``.

A query matches every language (people search in the words they know) and rows in the reader's
language rank first. Words are matched as prefixes ("statist" finds "statistics").

Arabic is written with or without its short vowels and other marks (تَعَلُّم, تعلم), and with
or without hamza on alef (أ, إ, آ or a bare alef). Neither engine folds those (``unicode61``
folds Latin diacritics only; ``unaccent`` has no Arabic rules), so :func:`fold` removes them
from the text before it is indexed and from the query before it is matched, on both engines.
"""

from __future__ import annotations

import re

from sqlalchemy import Float, Integer, text
from sqlalchemy.sql import Subquery

from app.extensions import db
from app.multilingual import MultilingualText

TABLE = "module_search"
POSTGRES_CONFIGS = {"en": "english", "es": "spanish", "fr": "french", "pt": "portuguese",
                    "ar": "arabic"}
_WORD = re.compile(r"\w+", re.UNICODE)
# Harakat, superscript alef, Quranic annotation marks, and tatweel (the stretching stroke).
_ARABIC_MARKS = re.compile("[\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")
_ARABIC_ALEFS = str.maketrans("\u0623\u0625\u0622\u0671", "\u0627" * 4)  # أ إ آ ٱ: bare alef


def fold(text: str) -> str:
    """Text as the index holds it: Arabic without its optional marks, every alef plain."""
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_ALEFS)
MAX_TERMS = 8


def terms(query: str) -> list[str]:
    """The words of a query, lowercased; punctuation and operators are dropped."""
    return [word.lower() for word in _WORD.findall(fold(query))][:MAX_TERMS]


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def index_module(module_id: int, fields: dict[str, MultilingualText]) -> None:
    """Replace the module's rows with one per language of its title."""
    remove_module(module_id)
    title = fields["title"]
    for language in title.languages:
        values = {name: fold(value.get(language, "")) for name, value in fields.items()}
        values.update(module_id=module_id, language=language)
        if _dialect() == "postgresql":
            db.session.execute(
                text(
                    f"INSERT INTO {TABLE} (module_id, language, config, head, document) "
                    "SELECT :module_id, :language, config, head, "
                    "head || setweight(to_tsvector(config, unaccent(:body)), 'C') FROM ("
                    "SELECT config, "
                    "setweight(to_tsvector(config, unaccent(:title)), 'A') || "
                    "setweight(to_tsvector(config, unaccent(:summary)), 'B') AS head "
                    "FROM (SELECT CAST(:config AS regconfig) AS config) AS chosen) AS parts"
                ),
                {**values, "config": POSTGRES_CONFIGS.get(language, "simple")},
            )
        else:
            db.session.execute(
                text(
                    f"INSERT INTO {TABLE} (module_id, language, title, summary, body) "
                    "VALUES (:module_id, :language, :title, :summary, :body)"
                ),
                values,
            )


def remove_module(module_id: int) -> None:
    db.session.execute(text(f"DELETE FROM {TABLE} WHERE module_id = :id"), {"id": module_id})


def matches(query: str, language: str) -> Subquery | None:
    """``(module_id, score)`` of the modules matching ``query``, higher score first;
    ``None`` when the query has no words."""
    words = terms(query)
    if not words:
        return None
    boost = "CASE WHEN language = :language THEN 1.0 ELSE 0.0 END"
    if _dialect() == "postgresql":
        tsquery = " & ".join(f"{word}:*" for word in words)
        # One query for every language's stemming, OR-ed: a constant, so the GIN index serves it
        # (a per-row configuration would force reading every row).
        combined = " || ".join(
            f"to_tsquery('{config}', unaccent(:q))"
            for config in (*POSTGRES_CONFIGS.values(), "simple")
        )
        # Ranking reads only the small title-and-summary vector; matching uses the full one
        # through the index. A match in the body alone ranks after matches in titles.
        sql = (
            f"SELECT module_id, MAX(ts_rank(head, query) + {boost}) AS score "
            f"FROM {TABLE}, (SELECT {combined} AS query) AS parsed "
            "WHERE document @@ query GROUP BY module_id"
        )
    else:
        tsquery = " ".join(f'"{word}"*' for word in words)
        # bm25() cannot sit inside an aggregate, but FTS5's rank column (configured to be
        # bm25 with title > summary > body weights) can.
        sql = (
            f"SELECT module_id, MAX(-rank + {boost}) AS score FROM {TABLE} "
            f"WHERE {TABLE} MATCH :q AND rank MATCH 'bm25(0, 0, 10.0, 4.0, 1.0)' "
            "GROUP BY module_id"
        )
    statement = text(sql).bindparams(q=tsquery, language=language.split("_")[0])
    return statement.columns(module_id=Integer, score=Float).subquery("search")


def available_in(language: str):
    """A condition: modules written (at least their title) in ``language``."""
    return text(f"SELECT module_id FROM {TABLE} WHERE language = :available_language").bindparams(
        available_language=language
    )
