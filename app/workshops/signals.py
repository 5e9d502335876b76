"""Events of a programme that other domains answer for their own rows (blinker)."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A programme's capacity grew, inside the transaction that grew it (flushed). The sender is
#: the Programme. Enrollment offers the new seats to the people waiting, never to newcomers.
seats_added = _signals.signal("seats-added")

#: A programme has just completed (flushed, in the transaction that completed it). The sender
#: is the Programme. Attendance settles who reached the minimum.
programme_completed = _signals.signal("programme-completed")
