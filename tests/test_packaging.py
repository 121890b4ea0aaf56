"""The wheel carries the built-in templates, stretch definitions, images and samples."""

from __future__ import annotations

import json
from importlib import metadata

import pytest


def test_installed_wheel_ships_templates_and_images() -> None:
    """A non-editable install has every section, stretch and picture inside the package."""
    try:
        dist = metadata.distribution("psoas-handouts")
    except metadata.PackageNotFoundError:
        pytest.skip("not installed")
    direct = dist.read_text("direct_url.json")
    if direct and json.loads(direct).get("dir_info", {}).get("editable"):
        pytest.skip("editable install: files live in the source tree")
    names = {str(f) for f in dist.files or ()}
    assert "handouts/templates/lang/en/sections/safety.md.j2" in names
    assert "handouts/templates/lang/en/strings.toml" in names
    assert "handouts/templates/lang/en/stretches/bridge.toml" in names
    assert "handouts/templates/stretches/bridge.toml" in names
    assert "handouts/images/anatomy.svg" in names
    assert "handouts/samples/clinic.toml" in names
    assert sum(n.startswith("handouts/images/") and n.endswith(".svg") for n in names) >= 12
