"""The one place that decides who may do what.

Rules are plain functions of a user and a target (``can_*``), usable from views, services and
templates alike. Views enforce them with the decorators below or with :func:`require`, so no
template or view writes a role check of its own.

Roles:
- participant: every account; enrols, sees their own things;
- instructor: authors modules and teaches the programmes they are assigned to;
- coordinator: manages the Data Spaces their grants name (and only those);
- admin: everything, including granting roles.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user, login_required

from app.auth.models import Role, User
from app.extensions import limiter


def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_verified(user) -> bool:
    return is_signed_in(user) and user.email_verified_at is not None


def is_admin(user) -> bool:
    return is_verified(user) and user.is_admin


def is_staff(user) -> bool:
    """Admins and coordinators of any Data Space (they share the institutions registry)."""
    return is_admin(user) or (is_verified(user) and bool(user.coordinated_dataspace_ids()))


def is_instructor(user) -> bool:
    return is_verified(user) and (user.has_role(Role.INSTRUCTOR) or user.is_admin)


def can_manage_dataspace(user, dataspace_id: int | None) -> bool:
    """Coordinators of this Data Space, and admins."""
    if is_admin(user):
        return True
    return is_verified(user) and dataspace_id in user.coordinated_dataspace_ids()


def can_create_dataspace(user) -> bool:
    return is_admin(user)


def can_teach(user, teaching) -> bool:
    """Instructors assigned to ``teaching`` (anything with ``instructor_ids``), its Data
    Space's coordinators, and admins."""
    if can_manage_dataspace(user, getattr(teaching, "dataspace_id", None)):
        return True
    return is_instructor(user) and user.id in teaching.instructor_ids


def can_grant_roles(user) -> bool:
    return is_admin(user)


# --- teaching content ----------------------------------------------------------------------


def can_author_modules(user) -> bool:
    """Instructors write modules; staff may too."""
    return is_instructor(user) or is_staff(user)


def can_edit_module(user, module) -> bool:
    """Its authors, the coordinators of its Data Space, and admins."""
    if can_manage_dataspace(user, module.dataspace_id):
        return True
    return is_verified(user) and user.id in module.author_ids


def can_publish_module(user, module) -> bool:
    """Coordinators publish for their Data Space; network-wide modules are the admins'."""
    return can_manage_dataspace(user, module.dataspace_id)


def can_view_module(user, module) -> bool:
    """Published modules are public; drafts only for those who may edit them."""
    return module.is_published or can_edit_module(user, module)


def can_view_programme(user, programme) -> bool:
    """Published programmes are public; drafts only for their Data Space's staff."""
    return programme.is_public or can_manage_dataspace(user, programme.dataspace_id)


def can_manage_programmes(user) -> bool:
    """Coordinators (of any Data Space) and admins plan programmes."""
    return is_staff(user)


def can_curate(user, dataspace_id: int | None) -> bool:
    """Collections and curricula of a Data Space: its coordinators; network-wide: admins."""
    return can_manage_dataspace(user, dataspace_id)


# --- enforcing them in views -------------------------------------------------------------


def require(allowed: bool) -> None:
    """Stop the request with 403 unless ``allowed``."""
    if not allowed:
        abort(403)


def verified_required(view: Callable) -> Callable:
    """Signed in with a verified email; unverified accounts are asked to verify first."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not is_verified(current_user):
            return redirect(url_for("auth.verify_needed", next=request.full_path))
        return view(*args, **kwargs)

    return wrapper


def permission_required(rule: Callable[[User], bool]) -> Callable:
    """Signed in, verified, and ``rule(current_user)`` holds; otherwise 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @verified_required
        def wrapper(*args, **kwargs):
            require(rule(current_user))
            return view(*args, **kwargs)

        return wrapper

    return decorator


staff_required = permission_required(is_staff)
admin_required = permission_required(is_admin)


#: Pages that ask for the account's password again (changing it, deleting the account) share
#: one limit per account, counted on wrong passwords only: guessing it through them is as slow
#: as through the sign-in page.
password_attempts_limited = limiter.shared_limit(
    lambda: current_app.config["PASSWORD_CHECK_LIMIT"],
    scope="password-check",
    key_func=lambda: f"password-check:{current_user.get_id()}",
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 422,
)
