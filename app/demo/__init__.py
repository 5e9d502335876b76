"""The demo data, as data: TOML files (standard library ``tomllib``) and Markdown, which each
domain's seeder (``app/<domain>/demo.py``) loads through that domain's services. Everything
is development data: invented people and generically described institutions. The files say
what they hold; slugs are explicit, upcoming dates are counted from the day of loading.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


@cache
def read(name: str) -> dict:
    """One of the TOML files here, by name (``"programmes"``). Read once per process."""
    with (HERE / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


@cache
def modules() -> tuple[dict, ...]:
    """The demo modules (``modules/<slug>.toml``), each with its text by language (``body``)
    from ``modules/<slug>.<language>.md``, in the order of their slugs."""
    found = []
    for path in sorted((HERE / "modules").glob("*.toml")):
        with path.open("rb") as file:
            module = tomllib.load(file)
        module["body"] = {text.suffixes[-2][1:]: text.read_text().strip()
                          for text in sorted(path.parent.glob(f"{path.stem}.*.md"))}
        found.append(module)
    return tuple(found)
