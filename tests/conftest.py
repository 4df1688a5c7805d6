"""Shared fixtures. Tests needing real services skip with a reason."""

import os

import pytest
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.roles import DEPARTMENT_APPROVER, DEPARTMENT_STAFF, KOUCHOU
from tests.accounts.factories import DepartmentFactory, StaffUserFactory, UserFactory
from tests.consultations.factories import ConsultationFactory, DraftSectionFactory

# The fuzz tests (tests/*/test_fuzz_*.py) run the same examples on every run,
# so a red CI always reproduces; HYPOTHESIS_PROFILE=explore draws new ones,
# ten times as many, to look for what the fixed ones miss.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", max_examples=1000, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
USES_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
# A NER model a developer trained into var/nlp-models must not change what
# the tests see; tests that need one pass it explicitly.
os.environ.setdefault("KOE_NER_MODEL", "0")


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="DATABASE_URL (PostgreSQL) が未設定のためスキップ")
    skip_redis = pytest.mark.skip(reason="REDIS_URL が未設定のためスキップ")
    for item in items:
        if "postgres" in item.keywords and not USES_POSTGRES:
            item.add_marker(skip_pg)
        if ("redis" in item.keywords or "worker" in item.keywords) and not REDIS_URL:
            item.add_marker(skip_redis)
        if "worker" in item.keywords and not USES_POSTGRES:
            item.add_marker(skip_pg)


@pytest.fixture(autouse=True)
def _media_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters must not leak from one test into the next, nor an outage
    seen by an earlier test (tests/faults stop Redis): a process that saw Redis fail
    counts in its own memory for KOE_CACHE_RETRY_SECONDS, and a limit counted half
    there and half in Redis never trips (the CI run of d1d4ef2 failed on this)."""
    from django.core.cache import cache

    from core.cache import cache_outage_reset

    cache_outage_reset()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_topic_engine():
    """The topic engine is cached per process (nlp.engine, 5 minutes): a test must not
    judge with a classifier built from an earlier test's 施策. The CI run of stop 20
    failed on this: test_csv_import_worker waited for analyses under the version of
    an engine cached by an earlier test while the worker wrote them under its own."""
    from nlp.engine import engine_reset

    engine_reset()
    yield


@pytest.fixture(scope="session")
def browser():
    """The one Chromium of the run (skips the test when there is none)."""
    from tests.support.browser import (
        CHROMIUM_ARGS,
        CHROMIUM_PATH,
        chromium_missing_reason,
    )

    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, timeout=60_000)
        yield launched
        launched.close()


@pytest.fixture
def roles(transactional_db):
    """Role groups come from a data migration that a transactional flush removes."""
    from django.contrib.auth.models import Group

    from accounts.roles import ROLE_LABELS

    for name in ROLE_LABELS:
        Group.objects.get_or_create(name=name)


# ---- The city: 道路課・公園課 under 建設部, 保育課 under 子ども部, 広聴課; and its staff ----
# (letters/ and results/ narrow these with fixtures of their own.)


@pytest.fixture
def org(db):
    bu = DepartmentFactory(code="kensetsu", name="建設部")
    other_bu = DepartmentFactory(code="kodomo", name="子ども部")
    return {
        "road": DepartmentFactory(code="doro", name="道路課", parent=bu),
        "park": DepartmentFactory(code="koen", name="公園課", parent=bu),
        "child": DepartmentFactory(code="hoiku", name="保育課", parent=other_bu),
        "kocho": DepartmentFactory(code="kocho", name="広聴課"),
    }


@pytest.fixture
def people(org):
    return {
        "staff": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=org["road"]),
        "kacho": StaffUserFactory(roles=[DEPARTMENT_APPROVER], department=org["road"]),
        "kouchou": StaffUserFactory(roles=[KOUCHOU], department=org["kocho"]),
        "outsider": StaffUserFactory(roles=[DEPARTMENT_STAFF], department=org["child"]),
        "outsider_kacho": StaffUserFactory(roles=[DEPARTMENT_APPROVER], department=org["child"]),
    }


@pytest.fixture
def case(org):
    consultation = ConsultationFactory(department=org["road"], title="川口市道路整備計画（案）")
    sections = [
        DraftSectionFactory(consultation=consultation, number="2-1", heading="歩道の整備", order=1),
        DraftSectionFactory(consultation=consultation, number="3-1", heading="自転車通行空間", order=2),
    ]
    return consultation, sections


# ---- API clients ----


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def resident(db):
    return UserFactory()


@pytest.fixture
def token_client(resident):
    """A client that authenticates as ``resident`` with a DRF token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=resident).key}")
    return client
