"""The layers: each app imports only the ones below it, and no app the project package.

`core` → `accounts` → `activities` → `targets` → `meetings` → `coaching`; `salesteam/`
only wires them together. Imports are read from the source (inside functions too), so a
deferred import that climbs a layer is caught as well.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "core",
    "accounts",
    "activities",
    "targets",
    "meetings",
    "coaching",
    "integrations",
]
PROJECT_PACKAGE = "salesteam"
MAX_MODULE_LINES = 400


def modules_of(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported_top_level_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def upward_imports(package: str) -> list[str]:
    """'module imports name' for each import of a higher layer or the project package."""
    allowed = set(LAYERS[: LAYERS.index(package) + 1])
    forbidden = (set(LAYERS) - allowed) | {PROJECT_PACKAGE}
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in modules_of(package)
        for name in sorted(imported_top_level_names(path) & forbidden)
    ]


@pytest.mark.parametrize("package", LAYERS)
def test_a_layer_imports_only_the_layers_below_it_and_never_the_project(package):
    assert upward_imports(package) == []


def test_the_check_catches_an_upward_import(tmp_path):
    # Given a module that imports the project package and a higher layer
    module = tmp_path / "bad.py"
    module.write_text(
        "import salesteam.settings\n\ndef f():\n    from coaching import x\n"
    )

    # Then both names are found, the deferred one as well
    assert imported_top_level_names(module) >= {"salesteam", "coaching"}


def oversized_modules() -> list[str]:
    return [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for package in LAYERS
        for path in modules_of(package)
        if "migrations" not in path.parts
        and (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    ]


def test_no_module_of_the_apps_or_core_is_over_400_lines():
    assert oversized_modules() == []


def test_every_layer_is_an_installed_app_in_layer_order(settings):
    ours = [app for app in settings.INSTALLED_APPS if app in LAYERS]
    # core is a plain package (no models), the apps follow in their layer order.
    assert ours == LAYERS[1:]
