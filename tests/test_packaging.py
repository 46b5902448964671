"""What `pip install convprop` puts on a user's machine: every package of the checkout.

An editable install (what `make venv` makes) imports straight from the folders, so a package
missing from pyproject.toml's list goes unnoticed here and breaks only a real install: the
course command once failed on a user's `pip install .` because `exercises/topics/layer` was not
listed. The list is held to the folders themselves.
"""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _declared():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    return setuptools["packages"], setuptools["package-dir"], setuptools.get("package-data", {})


def _folder(package: str, package_dir: dict) -> Path:
    """The folder a package name is installed from, by its longest mapped prefix."""
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in package_dir:
            return ROOT / package_dir[prefix] / Path(*parts[cut:])
    return ROOT / Path(*parts)


def test_every_package_folder_is_installed_and_every_listed_one_exists():
    packages, package_dir, _ = _declared()
    listed = {_folder(p, package_dir) for p in packages}
    tops = {ROOT / top for top in package_dir.values()}
    found = {init.parent for top in tops for init in top.rglob("__init__.py") if "__pycache__" not in init.parts}
    assert found - listed == set(), f"package folders not installed: {sorted(map(str, found - listed))}"
    assert listed - found == set(), f"listed packages with no folder: {sorted(map(str, listed - found))}"


def test_every_data_pattern_names_files_that_exist():
    packages, package_dir, data = _declared()
    for package, patterns in data.items():
        assert package in packages, package
        for pattern in patterns:
            assert list(_folder(package, package_dir).glob(pattern)), f"{package}: {pattern} matches nothing"
