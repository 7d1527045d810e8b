"""The house rules of the layout (docs/architecture.md): no import cycles at any depth, and the layer contract
in pyproject.toml (each stage imports only the stages below it), checked by import-linter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def test_no_module_imports_one_that_imports_it_back():
    graph = grimp.build_graph("presslens", include_external_packages=False)
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if graph.chain_exists(importer=imported, imported=importer):
                cycles.append(graph.find_shortest_chain(importer=imported, imported=importer))
    assert cycles == [], f"{len(cycles)} import cycles, e.g. {cycles[:3]}"


def test_no_cycle_is_found_where_one_exists(tmp_path, monkeypatch):
    # the check above can fail: a two-module cycle in a throwaway package is reported
    pkg = tmp_path / "cyclic_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from cyclic_pkg import b\n")
    (pkg / "b.py").write_text("from cyclic_pkg import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("cyclic_pkg", cache_dir=None)
    assert graph.chain_exists(importer="cyclic_pkg.a", imported="cyclic_pkg.b")
    assert graph.chain_exists(importer="cyclic_pkg.b", imported="cyclic_pkg.a")


def test_layer_contract_is_kept():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    assert exe, "import-linter is a test dependency (requirements.lock)"
    run = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "1 kept, 0 broken" in run.stdout


def test_no_module_is_much_over_600_lines():
    # "about 600 lines": a module that grows past 650 gets split along the seams it already has
    long = [
        str(p.relative_to(ROOT / "src" / "presslens"))
        for p in (ROOT / "src" / "presslens").rglob("*.py")
        if sum(1 for _ in p.open(encoding="utf-8")) > 650
    ]
    assert long == []
