"""Fixtures for the feedback tests: a scripted AI model installed as the app's only provider."""

from __future__ import annotations

import pytest

from tests.support.providers import FakeModel
from tests.support.router import install_router


@pytest.fixture
def fake(app) -> FakeModel:
    """The app's AI: one scripted model that grades every answer 70."""
    model = FakeModel()
    install_router(app, model)
    return model
