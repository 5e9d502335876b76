"""Accounts: sign-up, passwords, email tokens, roles."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import delete, func, select
from zxcvbn import zxcvbn

from app import mail
from app.audit import services as audit
from app.audit.models import AuditAction
from app.auth.models import Role, RoleGrant, SignIn, User
from app.dataspaces.models import DataSpace
from app.errors import DomainError
from app.extensions import db
from app.outbox import services as outbox
from app.timeutil import utcnow
from app.urls import external_url

_hasher = PasswordHasher()
# Verified against when no account matches, so that unknown emails take as long as known ones.
_DUMMY_HASH = _hasher.hash("not a real password")

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"
TOKEN_LIFETIMES = {VERIFY_EMAIL: timedelta(hours=48), RESET_PASSWORD: timedelta(hours=1)}


# --- passwords ---------------------------------------------------------------------------


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_strength(password: str, *, email: str = "", name: str = "") -> None:
    """Refuse short passwords and the ones people use most (zxcvbn's breached-password lists)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _l("Use at least %(count)d characters.", count=MIN_PASSWORD_LENGTH), field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(
            _l("Use at most %(count)d characters.", count=MAX_PASSWORD_LENGTH), field="password"
        )
    user_inputs = [part for part in (email, email.split("@")[0], name) if part]
    if zxcvbn(password, user_inputs=user_inputs)["score"] < 2:
        raise DomainError(
            _l(
                "This password is too easy to guess: it is one of the most used passwords or "
                "close to one. Try a few unrelated words."
            ),
            field="password",
        )


def check_password(user: User | None, password: str) -> bool:
    """True when ``password`` is the user's; takes the same time whether or not the user exists."""
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password[: MAX_PASSWORD_LENGTH * 4])
    except (VerificationError, InvalidHashError):
        return False
    if user is None or not user.password_hash:
        return False
    if _hasher.check_needs_rehash(stored):
        user.password_hash = hash_password(password)
    return True


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if check_password(user, password) and user.is_active:
        return user
    return None


# --- accounts ----------------------------------------------------------------------------


def create_user(
    email: str,
    password: str,
    *,
    display_name: str = "",
    preferred_language: str | None = None,
    verified_at=None,
) -> User:
    email = normalize_email(email)
    check_password_strength(password, email=email, name=display_name)
    if find_user(email) is not None:
        raise DomainError(_l("An account with this email already exists."), field="email")
    user = User(
        email=email,
        display_name=display_name,
        password_hash=hash_password(password),
        preferred_language=preferred_language,
        email_verified_at=verified_at,
    )
    user.grants.append(RoleGrant(role=Role.PARTICIPANT))
    db.session.add(user)
    db.session.flush()
    return user


def sign_up(email: str, password: str, *, display_name: str, language: str) -> User | None:
    """Create an unverified participant and email a verification link.

    When the email already has an account, nothing is created and its owner is told by email
    instead, so the page never reveals which addresses have accounts: both ways check and hash
    the password and queue one email for the sender, and so take the same time.
    """
    existing = find_user(email)
    if existing is not None:
        check_password_strength(password, email=existing.email, name=display_name)
        hash_password(password)  # the work a new account costs, thrown away
        outbox.enqueue(
            mail.render_mail(
                existing.email,
                "auth/email/already_registered",
                existing.preferred_language,
                user=existing,
                reset_url=external_url("auth.forgot_password"),
            ),
        )
        return None
    user = create_user(email, password, display_name=display_name, preferred_language=language)
    send_verification(user)
    return user


def send_verification(user: User) -> None:
    link = external_url("auth.verify_email", token=make_token(user, VERIFY_EMAIL))
    outbox.enqueue(
        mail.render_mail(
            user.email,
            "auth/email/verify",
            user.preferred_language,
            user=user,
            link=link,
            hours=int(TOKEN_LIFETIMES[VERIFY_EMAIL].total_seconds() // 3600),
        ),
    )


def verify_email(token: str) -> User:
    user = read_token(token, VERIFY_EMAIL)
    user.email_verified_at = utcnow()
    db.session.flush()
    return user


def request_password_reset(email: str) -> None:
    """Email a reset link when the account exists; otherwise do the same work and send
    nothing. The email leaves with the sender, so the answer takes as long either way."""
    user = find_user(email)
    known = user is not None and user.is_active
    someone = user if known else User(id=0, email=normalize_email(email), password_hash="")
    link = external_url("auth.reset_password", token=make_token(someone, RESET_PASSWORD))
    message = mail.render_mail(
        someone.email,
        "auth/email/reset_password",
        someone.preferred_language,
        user=someone,
        link=link,
        minutes=int(TOKEN_LIFETIMES[RESET_PASSWORD].total_seconds() // 60),
    )
    queued = outbox.enqueue(message)
    if not known:  # written and taken back: the same writes and commit, and nothing kept
        db.session.delete(queued)
        db.session.flush()


def reset_password(token: str, new_password: str) -> User:
    """A new password from an emailed link: every sign-in of the account ends."""
    user = read_token(token, RESET_PASSWORD)
    _set_password(user, new_password)
    end_sign_ins(user)
    if user.email_verified_at is None:  # the link reached their mailbox: that proves the address
        user.email_verified_at = utcnow()
    db.session.flush()
    return user


def change_password(user: User, current_password: str, new_password: str,
                    *, keep_sign_in: str | None = None) -> None:
    """A new password: every sign-in of the account ends but ``keep_sign_in`` (the token of
    the session that changed it)."""
    if not check_password(user, current_password):
        raise DomainError(_l("The current password is not correct."), field="current_password")
    _set_password(user, new_password)
    end_sign_ins(user, keep=keep_sign_in)
    db.session.flush()


def _set_password(user: User, new_password: str) -> None:
    check_password_strength(new_password, email=user.email, name=user.display_name)
    user.password_hash = hash_password(new_password)


def change_language(user: User, language: str) -> None:
    user.preferred_language = language
    db.session.flush()


# --- sign-ins: one per signed-in browser ---------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_sign_in(user: User, user_agent: str = "") -> str:
    """A new sign-in for ``user``; returns the token its session cookie keeps."""
    token = secrets.token_urlsafe(32)
    db.session.add(SignIn(user_id=user.id, token_hash=_token_hash(token),
                          user_agent=user_agent[:200]))
    db.session.flush()
    return token


def signed_in_user(user_id: int, token: str | None) -> User | None:
    """The account of a session, while its sign-in has not been ended."""
    if not token:
        return None
    return db.session.scalar(select(User).join(SignIn).where(
        User.id == user_id, SignIn.token_hash == _token_hash(token)))


def sign_in_id(token: str | None) -> int | None:
    if not token:
        return None
    return db.session.scalar(select(SignIn.id).where(SignIn.token_hash == _token_hash(token)))


def end_sign_in(token: str | None) -> None:
    if token:
        db.session.execute(delete(SignIn).where(SignIn.token_hash == _token_hash(token)))


def end_sign_ins(user: User, keep: str | None = None) -> None:
    """End every sign-in of ``user`` (but the one whose token is ``keep``)."""
    query = delete(SignIn).where(SignIn.user_id == user.id)
    if keep:
        query = query.where(SignIn.token_hash != _token_hash(keep))
    db.session.execute(query)


def erase_account(user: User, **_event) -> None:
    """``user_erased``: the account keeps its id (rows elsewhere point to it) and nothing else:
    no email, name, password, roles or sign-ins."""
    db.session.execute(delete(RoleGrant).where(RoleGrant.user_id == user.id))
    db.session.expire(user, ["grants"])
    end_sign_ins(user)
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.display_name, user.password_hash, user.preferred_language = "", None, None
    user.active = False


def sign_ins_of(user: User) -> list[SignIn]:
    """The browsers signed in to the account, the latest first."""
    return list(db.session.scalars(select(SignIn).where(SignIn.user_id == user.id)
                                   .order_by(SignIn.created_at.desc(), SignIn.id.desc())))


# --- signed, expiring, single-use links --------------------------------------------------


class _AppClockSigner(TimestampSigner):
    """Signs and checks ages with the app's clock, so that tests can move time."""

    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=purpose, signer=_AppClockSigner
    )


def _fingerprint(user: User, purpose: str) -> str:
    """What the token is bound to: once the link has done its job this changes, so a link can
    be used only once (verifying sets the date; resetting changes the password hash)."""
    state = (user.email, user.password_hash or "", str(user.email_verified_at or ""), purpose)
    return hashlib.sha256("|".join(state).encode()).hexdigest()[:24]


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"user": user.id, "state": _fingerprint(user, purpose)})


def read_token(token: str, purpose: str) -> User:
    max_age = int(TOKEN_LIFETIMES[purpose].total_seconds())
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise DomainError(_l("This link has expired. Please ask for a new one.")) from error
    except BadSignature as error:
        raise DomainError(
            _l("This link is not valid. Please check that you copied it whole.")
        ) from error
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or data.get("state") != _fingerprint(user, purpose):
        raise DomainError(_l("This link has already been used or is no longer valid."))
    return user


# --- roles -------------------------------------------------------------------------------


def grant_role(
    user: User, role: Role, dataspace_id: int | None = None, *, actor: User | None = None
) -> RoleGrant:
    """Give ``role`` (coordinators: scoped to ``dataspace_id``); granting twice is a no-op."""
    if role == Role.COORDINATOR and dataspace_id is None:
        raise DomainError(_l("A coordinator role needs a Data Space."), field="dataspace_id")
    if role != Role.COORDINATOR:
        dataspace_id = None
    if dataspace_id is not None and db.session.get(DataSpace, dataspace_id) is None:
        raise DomainError(_l("Choose a Data Space from the list."), field="dataspace_id")
    for grant in user.grants:
        if grant.role == role and grant.dataspace_id == dataspace_id:
            return grant
    grant = RoleGrant(role=role, dataspace_id=dataspace_id)
    user.grants.append(grant)
    db.session.flush()
    audit.record(
        actor.id if actor else None,
        AuditAction.ROLE_GRANTED,
        "user",
        user.id,
        dataspace_id=dataspace_id,
        role=role.value,
        email=user.email,
    )
    return grant


def revoke_role(user: User, grant_id: int, *, actor: User) -> None:
    grant = next((g for g in user.grants if g.id == grant_id), None)
    if grant is None:
        raise DomainError(_l("This role does not exist."))
    if grant.role == Role.ADMIN and user.id == actor.id:
        raise DomainError(_l("You cannot remove your own administrator role."))
    user.grants.remove(grant)
    end_sign_ins(user)  # they sign in again, with what they may still do
    db.session.flush()
    audit.record(
        actor.id,
        AuditAction.ROLE_REVOKED,
        "user",
        user.id,
        dataspace_id=grant.dataspace_id,
        role=grant.role.value,
        email=user.email,
    )


def list_users(search: str = "") -> list[User]:
    query = select(User).order_by(User.email).limit(200)
    if search:
        query = query.where(User.email.contains(normalize_email(search)))
    return list(db.session.scalars(query))


def instructors() -> list[User]:
    """Accounts holding the instructor role, by name."""
    return list(db.session.scalars(
        select(User).join(RoleGrant).where(RoleGrant.role == Role.INSTRUCTOR, User.active)
        .order_by(User.display_name)).unique())


def coordinators_of(dataspace_id: int | None) -> list[User]:
    """The active coordinators of a Data Space (whom its notices go to); for ``None``, the
    network's: its admins."""
    if dataspace_id is None:
        query = select(User).join(RoleGrant).where(RoleGrant.role == Role.ADMIN)
    else:
        query = select(User).join(RoleGrant).where(RoleGrant.role == Role.COORDINATOR,
                                                   RoleGrant.dataspace_id == dataspace_id)
    return list(db.session.scalars(query.where(User.active.is_(True)).order_by(User.id)).unique())
