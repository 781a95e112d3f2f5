"""The layering rules of the architecture page, checked on the source (imports, not runtime)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(package: str) -> dict[Path, set[str]]:
    found: dict[Path, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[path] = names
    return found


def offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for path, names in imported_modules(package).items():
        for name in names:
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return sorted(bad)


def test_widgets_do_not_import_the_console() -> None:
    assert offenders("widgets", ("console", "server")) == []


def test_domain_imports_no_qt_and_no_io() -> None:
    forbidden = ("PySide6", "shiboken6", "pyqtgraph", "qasync", "httpx", "websockets", "server")
    assert offenders("console/domain", forbidden) == []


def test_only_console_fhir_speaks_http_or_websocket() -> None:
    network = ("httpx", "websockets", "urllib.request", "http.client", "socket")
    for package in ("console/domain", "console/state", "console/ui", "console/services", "widgets"):
        assert offenders(package, network) == [], package


def test_fhir_layer_imports_no_qt() -> None:
    assert (
        offenders("console/fhir", ("PySide6", "shiboken6", "qasync", "console.ui", "console.state"))
        == []
    )


def test_services_import_no_widgets() -> None:
    assert offenders("console/services", ("PySide6.QtWidgets", "console.ui", "widgets")) == []


def test_console_and_server_are_separate() -> None:
    assert offenders("console", ("server",)) == []
    assert offenders("server", ("console", "widgets", "PySide6")) == []


def test_the_checker_sees_imports() -> None:
    """Guard against a checker that silently finds nothing."""
    assert any("PySide6.QtCore" in names for names in imported_modules("console/state").values())


def test_import_linter_contracts_are_kept() -> None:
    """The layers contract in pyproject.toml, with indirect imports followed (napari's way)."""
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


#: The composition root of a signed-in console: the session makes the client and the centre's
#: list service, the workbench every other service; views are handed theirs.
COMPOSITION_ROOT = ("console/ui/session.py", "console/ui/workbench.py")


def constructed_services(path: Path) -> set[str]:
    """Names of console.services / console.fhir classes that a module calls."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    provided: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith(("console.services", "console.fhir")):
                provided.update(a.asname or a.name for a in node.names if a.name[:1].isupper())
    called = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in provided and node.func.id.endswith(
                ("Service", "Store", "Client", "Raiser", "Session")
            ):
                called.add(node.func.id)
    return called


def test_views_get_their_services_from_the_composition_root() -> None:
    bad = {}
    for path in sorted((ROOT / "console" / "ui").rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        if rel in COMPOSITION_ROOT:
            continue
        made = constructed_services(path)
        if made:
            bad[rel] = sorted(made)
    assert bad == {}
    # The checker sees what the root builds.
    assert "AlertService" in constructed_services(ROOT / "console/ui/workbench.py")
