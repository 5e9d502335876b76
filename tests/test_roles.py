"""Administrators grant and revoke roles and scopes; every change is in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth import permissions
from app.auth.models import Role, RoleGrant
from app.extensions import db
from tests import factories


@pytest.fixture
def admin(sign_in_as):
    return sign_in_as(Role.ADMIN, email="root@example.org")


def test_admin_grants_a_scoped_coordinator_role_and_it_is_audited(app, client, post_form, admin):
    space = factories.dataspace("andes")
    person = factories.user("ana@example.org")
    response = post_form(
        f"/admin/users/{person.id}", {"role": "coordinator", "dataspace_id": str(space.id)}
    )
    assert response.status_code == 302
    db.session.refresh(person)
    assert permissions.can_manage_dataspace(person, space.id)
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id == admin.id)).all()
    assert (entry.actor_id, entry.action, entry.subject_id, entry.dataspace_id) == (
        admin.id,
        "role.granted",
        person.id,
        space.id,
    )
    page = client.get("/admin/audit?lang=es").get_data(as_text=True)
    assert "root@example.org" in page and "ana@example.org" in page


def test_coordinator_role_without_a_data_space_is_refused(app, client, post_form, admin):
    person = factories.user("ana@example.org")
    response = post_form(
        f"/admin/users/{person.id}?lang=fr", {"role": "coordinator", "dataspace_id": ""}
    )
    assert response.status_code == 422
    assert "Data Space" in response.get_data(as_text=True)
    assert db.session.scalar(select(RoleGrant).where(RoleGrant.role == Role.COORDINATOR)) is None
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id == admin.id)).all() == []


def test_admin_revokes_a_role_and_it_is_audited(app, client, post_form, admin):
    space = factories.dataspace("andes")
    person = factories.user("ana@example.org", role=Role.COORDINATOR, dataspace=space)
    grant = next(g for g in person.grants if g.role == Role.COORDINATOR)
    response = post_form(
        f"/admin/users/{person.id}/roles/{grant.id}/revoke", {}, page=f"/admin/users/{person.id}"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert not permissions.can_manage_dataspace(person, space.id)
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.actor_id == admin.id))
    assert list(actions) == ["role.revoked"]


def test_admin_cannot_remove_their_own_admin_role(app, client, post_form, admin):
    grant = next(g for g in admin.grants if g.role == Role.ADMIN)
    response = post_form(
        f"/admin/users/{admin.id}/roles/{grant.id}/revoke", {}, page=f"/admin/users/{admin.id}"
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert admin.is_admin


def test_coordinator_scope_is_enforced_by_the_permission_layer(app):
    own, other = factories.dataspace("own"), factories.dataspace("other")
    coordinator = factories.user(role=Role.COORDINATOR, dataspace=own)
    assert permissions.can_manage_dataspace(coordinator, own.id)
    assert not permissions.can_manage_dataspace(coordinator, other.id)
    assert not permissions.can_create_dataspace(coordinator)


def test_instructors_teach_only_what_they_are_assigned_to(app):
    space = factories.dataspace("own")
    instructor = factories.user(role=Role.INSTRUCTOR)
    colleague = factories.user(role=Role.INSTRUCTOR)

    class Teaching:  # the shape a programme or session will have
        dataspace_id = space.id
        instructor_ids = {instructor.id}

    assert permissions.can_teach(instructor, Teaching)
    assert not permissions.can_teach(colleague, Teaching)
    assert permissions.can_teach(factories.user(role=Role.COORDINATOR, dataspace=space), Teaching)


def test_demo_data_has_one_account_per_role(app, runner):
    assert runner.invoke(args=["seed", "demo", "--without-history"]).exit_code == 0
    from app.auth.services import authenticate

    for email, role in [
        ("admin@example.org", Role.ADMIN),
        ("coordinator@example.org", Role.COORDINATOR),
        ("instructor@example.org", Role.INSTRUCTOR),
        ("participant@example.org", Role.PARTICIPANT),
    ]:
        user = authenticate(email, "demo-training-2026")
        assert user is not None and user.has_role(role), email


def test_every_audited_action_has_a_label(app, client, admin):
    from app.audit.models import AuditAction
    from app.audit.services import record

    assert set(AuditAction.LABELS) == {action.value for action in AuditAction}
    record(admin.id, AuditAction.CERTIFICATE_TEMPLATE_SAVED, "dataspace", None)
    page = client.get("/admin/audit?lang=es").get_data(as_text=True)
    assert "Diseño de certificado guardado" in page
