"""accounts.access: the one rule for who sees which department's items and personal data.

People: a citizen; 所管課職員 and 課長 of 課A (道路課); a member of the 部
above it (建設部); 広聴; an admin. 課B (保育課) sits under another 部.
"""

import pytest
from django.db.models import Q

from accounts.access import (
    approves_for_department,
    can_view_personal_data,
    department_scope,
    may_work_for_department,
    scope_to_departments,
    sees_every_department,
)
from accounts.models import User
from accounts.roles import (
    ADMIN,
    APPROVER_ROLES,
    CITYWIDE_ROLES,
    DEPARTMENT_APPROVER,
    DEPARTMENT_ROLES,
    DEPARTMENT_STAFF,
    KOUCHOU,
    LETTER_ROLES,
    MAYOR,
    STAFF_ROLES,
    STAFF_WORKING_ROLES,
)

from .factories import DepartmentFactory, StaffUserFactory, UserFactory


@pytest.fixture
def city(db):
    bu = DepartmentFactory(code="kensetsu-a", name="建設部")
    ka_a = DepartmentFactory(code="doro-a", name="道路課", parent=bu)
    ka_a2 = DepartmentFactory(code="koen-a", name="公園課", parent=bu)
    other_bu = DepartmentFactory(code="kodomo-a", name="子ども部")
    ka_b = DepartmentFactory(code="hoiku-a", name="保育課", parent=other_bu)
    kouhou = DepartmentFactory(code="koucho-a", name="広聴課")
    return {
        "bu": bu,
        "ka_a": ka_a,
        "ka_a2": ka_a2,
        "other_bu": other_bu,
        "ka_b": ka_b,
        "citizen": UserFactory(),
        "staff": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=ka_a),
        "kacho": StaffUserFactory(roles=[DEPARTMENT_APPROVER], department=ka_a),
        "bu_staff": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=bu),
        "bu_approver": StaffUserFactory(roles=[DEPARTMENT_APPROVER], department=bu),
        "kouchou": StaffUserFactory(roles=[KOUCHOU], department=kouhou),
        "admin": StaffUserFactory(roles=[ADMIN], department=None),
    }


def test_role_groups_are_the_staff_roles_that_work_on_submissions():
    assert set(DEPARTMENT_ROLES) == {DEPARTMENT_STAFF, DEPARTMENT_APPROVER}
    assert set(CITYWIDE_ROLES) == {KOUCHOU, ADMIN}
    assert set(STAFF_WORKING_ROLES) == set(DEPARTMENT_ROLES) | set(CITYWIDE_ROLES)
    assert set(APPROVER_ROLES) == {DEPARTMENT_APPROVER, KOUCHOU, MAYOR}
    # 市長・秘書課 approve marked letters only: they work on no other item.
    assert MAYOR not in STAFF_WORKING_ROLES and set(LETTER_ROLES) == set(STAFF_WORKING_ROLES) | {MAYOR}
    assert set(STAFF_WORKING_ROLES) <= STAFF_ROLES


def test_department_scope_is_own_ka_or_a_bu_and_its_ka(city):
    ka_a = city["ka_a"].pk
    assert department_scope(city["staff"]) == [ka_a]
    assert department_scope(city["kacho"]) == [ka_a]
    assert set(department_scope(city["bu_staff"])) == {
        city["bu"].pk,
        ka_a,
        city["ka_a2"].pk,
    }
    assert city["ka_b"].pk not in department_scope(city["bu_staff"])
    assert department_scope(city["admin"]) == []
    assert department_scope(city["citizen"]) == []


def test_only_kouchou_and_admins_see_every_department(city):
    assert sees_every_department(city["kouchou"])
    assert sees_every_department(city["admin"])
    for name in ("citizen", "staff", "kacho", "bu_staff", "bu_approver"):
        assert not sees_every_department(city[name]), name


def test_may_work_for_department_follows_the_scope(city):
    ka_a, ka_b, bu = city["ka_a"].pk, city["ka_b"].pk, city["bu"].pk
    for name in ("staff", "kacho"):
        assert may_work_for_department(city[name], ka_a), name
        assert not may_work_for_department(city[name], ka_b), name
        assert not may_work_for_department(city[name], bu), name  # not the 部's own
    assert may_work_for_department(city["bu_staff"], ka_a)
    assert may_work_for_department(city["bu_staff"], bu)
    assert not may_work_for_department(city["bu_staff"], ka_b)
    for name in ("kouchou", "admin"):
        assert may_work_for_department(city[name], ka_a), name
        assert may_work_for_department(city[name], ka_b), name
        assert may_work_for_department(city[name], None), name
    # An item with no department is no department's.
    assert not may_work_for_department(city["staff"], None)
    assert not may_work_for_department(city["bu_staff"], None)
    assert not may_work_for_department(city["citizen"], ka_a)


def test_approves_for_department_only_an_approver_within_scope(city):
    ka_a, ka_b = city["ka_a"].pk, city["ka_b"].pk
    assert approves_for_department(city["kacho"], ka_a)
    assert not approves_for_department(city["kacho"], ka_b)
    assert approves_for_department(city["bu_approver"], ka_a)
    assert not approves_for_department(city["kacho"], None)
    for name in ("citizen", "staff", "bu_staff", "kouchou", "admin"):
        assert not approves_for_department(city[name], ka_a), name


def test_only_kouchou_and_admins_may_view_personal_data(city):
    assert can_view_personal_data(user=city["kouchou"])
    assert can_view_personal_data(user=city["admin"])
    for name in ("citizen", "staff", "kacho", "bu_staff", "bu_approver"):
        assert not can_view_personal_data(user=city[name]), name


def test_scope_to_departments_filters_a_real_queryset(city):
    people = User.objects.all()
    everyone = set(people)

    def seen(user, **kwargs):
        return set(scope_to_departments(people, user, department_field="department_id", **kwargs))

    in_ka_a = {city["staff"], city["kacho"]}
    in_bu = {city["bu_staff"], city["bu_approver"]}
    assert seen(city["kouchou"]) == everyone
    assert seen(city["admin"]) == everyone
    assert seen(city["staff"]) == in_ka_a
    assert seen(city["kacho"]) == in_ka_a
    assert seen(city["bu_staff"]) == in_ka_a | in_bu
    assert seen(city["citizen"]) == set()

    # ``also`` widens a department member's view (a Q, or a function of the scope).
    extra = Q(pk=city["admin"].pk)
    assert seen(city["staff"], also=extra) == in_ka_a | {city["admin"]}
    scopes = []
    assert seen(city["bu_staff"], also=lambda scope: scopes.append(scope) or Q(pk__in=[])) == (in_ka_a | in_bu)
    assert set(scopes[0]) == set(department_scope(city["bu_staff"]))
    # ... but never a citizen's, and citywide roles need no widening.
    assert seen(city["citizen"], also=extra) == set()
    assert seen(city["kouchou"], also=extra) == everyone
