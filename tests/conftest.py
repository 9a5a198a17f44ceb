"""Shared fixtures: the shipped catalog, an engine, a matcher, and copies of the content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conseiller.catalog import Catalog, load_catalog
from conseiller.engine import Engine
from conseiller.matching import Matcher, matcher_for
from conseiller.paths import shipped_dir

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def matcher(catalog: Catalog) -> Matcher:
    return matcher_for(catalog)


@pytest.fixture
def engine(catalog: Catalog, matcher: Matcher) -> Engine:
    return Engine(catalog.default_flow, catalog, matcher)


@pytest.fixture
def content_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A writable copy of the shipped content and flows: (content_dir, flows_dir)."""
    content = tmp_path / "content"
    flows = tmp_path / "flows"
    shutil.copytree(shipped_dir("content"), content)
    shutil.copytree(shipped_dir("flows"), flows)
    return content, flows
