"""The one place that decides who may do what.

Views use the decorators; services and templates use the ``can_*`` helpers, so that a rule is
written once. Real Data Space scopes arrive with the accounts issue; until then "staff" means an
administrator or any coordinator.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from app.auth.models import Role, User


def is_staff(user: User) -> bool:
    return bool(user.is_authenticated) and (user.is_admin or user.has_role(Role.COORDINATOR))


def staff_required(view: Callable) -> Callable:
    """Signed-in staff only: anonymous visitors are sent to sign in, others get 403."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not is_staff(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapper
