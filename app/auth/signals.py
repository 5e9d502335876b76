"""Events of an account that other domains answer for their own rows (blinker, which Flask
already uses): the domain that owns a row is the one that changes it."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: An account is being erased, inside the transaction that erases it. Each domain erases or
#: anonymizes what it holds about that person. Receivers get the User as the sender, and
#: ``email`` and ``names``: what the account was known by (it is anonymized meanwhile).
user_erased = _signals.signal("user-erased")
