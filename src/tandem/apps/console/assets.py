"""Vendored static assets: served only if listed in the manifest, with a matching checksum."""

from __future__ import annotations

import hashlib
import json
import mimetypes
from dataclasses import dataclass
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web" / "console"
STATIC = WEB / "static"
TEMPLATES = WEB / "templates"


@dataclass(frozen=True)
class Asset:
    """One file the console serves, with where it came from."""

    path: str
    package: str
    version: str
    sha256: str
    body: bytes
    media_type: str


class AssetError(RuntimeError):
    """A vendored file is missing or does not match its manifest checksum."""


def load_assets(root: Path = STATIC) -> dict[str, Asset]:
    """Every asset of the manifest, read and checked once (the console refuses to start on a
    file changed behind the manifest's back)."""
    manifest = json.loads((root / "manifest.json").read_text())
    assets: dict[str, Asset] = {}
    for rel, entry in manifest["assets"].items():
        body = (root / rel).read_bytes()
        digest = hashlib.sha256(body).hexdigest()
        if digest != entry["sha256"]:
            raise AssetError(f"{rel}: sha256 {digest} does not match the manifest")
        media_type = mimetypes.guess_type(rel)[0] or "application/octet-stream"
        if rel.endswith(".js"):
            media_type = "text/javascript"
        assets[rel] = Asset(rel, entry["package"], entry["version"], digest, body, media_type)
    return assets
