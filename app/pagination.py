"""Long lists a page at a time, one way: Flask-SQLAlchemy's ``db.paginate``, and one macro
that shows the pages (``templates/_pagination.html``)."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination

from app.extensions import db


def page_of(statement, page: int, per_page: int) -> Pagination:
    """Page ``page`` of what ``statement`` selects (items, then a count: two statements). A page
    past the end shows the last one: a link kept from a longer list still shows something."""
    result = db.paginate(statement, page=max(page, 1), per_page=per_page,
                         max_per_page=per_page, error_out=False)
    if not result.items and result.page > 1 and result.total:
        result = db.paginate(statement, page=result.pages, per_page=per_page,
                             max_per_page=per_page, error_out=False)
    return result


class CountedPage(Pagination):
    """A page whose items and total one statement already gave (a search that counts its
    matches with a window function, so that it runs once)."""

    def _query_items(self) -> list:
        return self._query_args["items"]

    def _query_count(self) -> int:
        return self._query_args["total"]
