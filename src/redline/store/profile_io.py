"""Writing a profile back to YAML files that ``redline.profile.load_profile`` reads back equal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from redline.errors import DataError


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def _plain(model: Any) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_defaults=True)


def write_profile(prof: Any, directory: Path, extra_files: dict[str, str], *,
                  overwrite: bool = False) -> Path:
    """Write ``prof`` (a ``Profile``) as a profile folder; refuses a non-empty folder unless
    ``overwrite``. Positions go to one ``positions.yaml`` in their stored order."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise DataError("exists and is not a folder", file=directory, fix="give a folder path")
    if directory.is_dir() and any(directory.iterdir()) and not overwrite:
        raise DataError("folder is not empty", file=directory,
                        fix="give a new or empty folder, or pass --force to overwrite")
    directory.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {
        "profile.yaml": _dump(_plain(prof.meta)),
        "issues.yaml": _dump({"issues": [_plain(i) for i in prof.issues.values()]}),
        "parties.yaml": _dump({"parties": [_plain(p) for p in prof.parties.values()]}),
        "positions.yaml": _dump({"positions": [_plain(p) for p in prof.positions]}),
    }
    if prof.cases:
        files["cases.yaml"] = _dump({"cases": [_plain(c) for c in prof.cases.values()]})
    for plan in prof.plans.values():
        files[f"plans/{plan.id}.yaml"] = _dump(_plain(plan))
    for name, text in extra_files.items():
        if name in files or ".." in Path(name).parts or Path(name).is_absolute():
            continue
        files[name] = text
    if overwrite and (directory / "plans").is_dir():
        for old in (directory / "plans").glob("*.y*ml"):
            old.unlink()
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return directory
