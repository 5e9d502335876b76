"""Command-line tools."""

from __future__ import annotations

from app.auth import services
from app.auth.models import Role


def test_create_admin_reads_the_password_from_stdin(app, runner):
    result = runner.invoke(
        args=["users", "create-admin", "Boss@Example.org", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = services.find_user("boss@example.org")
    assert user.is_admin
    assert services.authenticate("boss@example.org", "a long enough password") is not None


def test_create_admin_prompts_twice_for_the_password(app, runner):
    result = runner.invoke(
        args=["users", "create-admin", "ops@example.org"],
        input="another long password\nanother long password\n",
    )
    assert result.exit_code == 0, result.output
    assert services.find_user("ops@example.org").has_role(Role.ADMIN)


def test_create_admin_refuses_a_short_password_and_writes_nothing(app, runner):
    result = runner.invoke(
        args=["users", "create-admin", "ops@example.org", "--password-stdin"], input="short\n"
    )
    assert result.exit_code != 0
    assert services.find_user("ops@example.org") is None
