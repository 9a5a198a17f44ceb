"""Shared fixtures: a private home per test, the shipped catalog, an engine, a matcher."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conseiller.catalog import Catalog, load_catalog
from conseiller.engine import Engine
from conseiller.matching import Matcher, matcher_for
from conseiller.paths import shipped_dir

DATA = Path(__file__).parent / "data"
# A throwaway PostgreSQL cluster for the store tests (fixtures postgres_server, pg_url, db).
pytest_plugins = ["tests.pg_fixture"]


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One cache folder for the whole run, set before any session fixture builds a matcher
    (the learned reading keeps its weights there): never the real home's."""
    cache = tmp_path_factory.getbasetemp() / "xdg-cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache))
        yield cache


@pytest.fixture(autouse=True)
def private_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, private_cache: Path
) -> Path:
    """Every test gets its own home and data folder; subprocesses inherit them.

    Nothing a test runs (the app, a `conseiller` subprocess, Chromium, which writes
    ~/.config whatever --user-data-dir says) may write into the real home folder.
    """
    home = tmp_path_factory.mktemp("home")
    # pip's download cache (packaging tests): one per test run, never the real home's.
    monkeypatch.setenv("PIP_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "pip-cache"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    # The caches (the learned reading's weights): one per test run, never the real home's,
    # so that the model is learned once per run, not once per test.
    monkeypatch.setenv("XDG_CACHE_HOME", str(private_cache))
    monkeypatch.setenv("CONSEILLER_DATA", str(home / "conseiller-data"))
    for name in ("CONSEILLER_DB", "CONSEILLER_SITE"):  # "" is unset; restored after the test
        monkeypatch.setenv(name, "")
    return home


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def matcher(catalog: Catalog) -> Matcher:
    return matcher_for(catalog)


@pytest.fixture
def engine(catalog: Catalog, matcher: Matcher) -> Engine:
    return Engine(catalog.default_flow, catalog, matcher)


FIXTURE = DATA / "fixture"


@pytest.fixture(scope="session")
def fixture_catalog() -> Catalog:
    """Small fixture content and flow (tests/data/fixture): the app and engine tests run on
    it, so the shipped texts can change without breaking them."""
    return load_catalog(FIXTURE / "content", FIXTURE / "flows")


@pytest.fixture
def fixture_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A writable copy of the fixture content and flows: (content_dir, flows_dir)."""
    content = tmp_path / "fixture-content"
    flows = tmp_path / "fixture-flows"
    shutil.copytree(FIXTURE / "content", content)
    shutil.copytree(FIXTURE / "flows", flows)
    return content, flows


@pytest.fixture
def content_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A writable copy of the shipped content and flows: (content_dir, flows_dir)."""
    content = tmp_path / "content"
    flows = tmp_path / "flows"
    shutil.copytree(shipped_dir("content"), content)
    shutil.copytree(shipped_dir("flows"), flows)
    return content, flows
