"""The house rules of the package layout: Streamlit stays in warroom/ui, the process has one
store module outside it, and the page modules import each other without a cycle."""
from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

from warroom import store

PACKAGE = Path(__file__).resolve().parent.parent / "warroom"
STREAMLIT_OR_UI = re.compile(r"^\s*(from|import) streamlit|warroom\.ui", re.M)


def _modules(folder: Path):
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        yield name, path


def test_nothing_outside_warroom_ui_imports_streamlit_or_the_ui():
    offenders = [str(path.relative_to(PACKAGE.parent)) for name, path in _modules(PACKAGE)
                 if not name.startswith("warroom.ui") and STREAMLIT_OR_UI.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def _imports(path: Path) -> set[str]:
    """Every warroom module a file imports, at its top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return {name for name in found if name.startswith("warroom.")}


def test_the_ui_modules_import_each_other_without_a_cycle():
    graph = {name: _imports(path) for name, path in _modules(PACKAGE / "ui")}
    graph = {name: {d for d in deps if d in graph and d != name} for name, deps in graph.items()}
    cycles = []

    def visit(name, trail):
        for dep in sorted(graph[name]):
            if dep in trail:
                cycles.append(trail[trail.index(dep):] + [dep])
            elif len(trail) < len(graph):
                visit(dep, trail + [dep])

    for name in graph:
        visit(name, [name])
    assert cycles == []


def test_the_store_holds_one_connection_per_file_and_reopens_a_replaced_file(tmp_path):
    from warroom import db
    path = tmp_path / "w.duckdb"
    db.open_store(path, create=True).close()
    first = store.connection(path)
    assert store.connection(path) is first
    with store.cursor(path) as cur:
        assert cur.execute("SELECT count(*) FROM meta WHERE key = 'schema_version'").fetchone() == (1,)
    # a restore writes a new file in its place: a new inode, so a new connection
    copy = tmp_path / "copy.duckdb"
    first.execute("CHECKPOINT")
    shutil.copy(path, copy)
    path.unlink()
    shutil.move(copy, path)
    again = store.connection(path)
    assert again is not first
    assert store.connection(path) is again
    # released (an operator is about to move the file): closed, and the next use reopens it
    store.release(path)
    reopened = store.connection(path)
    assert reopened is not again
    assert reopened.execute("SELECT 1").fetchone() == (1,)


def test_a_missing_store_is_reported_not_created(tmp_path):
    from warroom import db
    missing = tmp_path / "nothing.duckdb"
    try:
        store.connection(missing)
    except db.DatabaseUnavailable as exc:
        assert (exc.reason, exc.path) == ("missing", missing)
    else:
        raise AssertionError("no DatabaseUnavailable")
    assert not missing.exists()


def test_server_options_come_from_the_getter_server_py_hands_over(monkeypatch):
    config = store.ServerConfig()
    assert config.get_option("server.port") is None
    config.use({"server.port": 8671, "server.baseUrlPath": "wr"}.get)
    assert (config.get_option("server.port"), config.get_option("server.baseUrlPath")) == (8671, "wr")


def test_pages_use_the_store_connection(monkeypatch, store_file):
    from warroom.ui import data
    assert data.connection() is store.connection(store_file)


def test_module_families_are_packages_and_test_servers_live_outside_the_product():
    flat = sorted(p.name for p in PACKAGE.glob("*.py") if p.name.startswith(("cctv_", "peta_")))
    assert flat == []
    assert (PACKAGE / "cctv" / "__init__.py").exists() and (PACKAGE / "peta" / "__init__.py").exists()
    assert not (PACKAGE / "devserver.py").exists()
    assert (PACKAGE.parent / "devtools" / "devserver.py").exists()


def test_pages_are_thin_set_up_title_and_one_render():
    """A page file sets the page up and hands over to warroom/ui: no functions, no forms of its own."""
    fat = {}
    for path in sorted((PACKAGE.parent / "pages").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defs = [n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if defs or lines > 100:
            fat[path.name] = (defs, lines)
    assert fat == {}


def test_url_options_are_read_and_written_by_one_module():
    """Pages and panels reach st.query_params only through warroom/ui/url.py (and the wall's
    playlist reader, which takes the whole query string)."""
    allowed = {"warroom/ui/url.py", "warroom/ui/wall.py", "warroom/ui/session.py", "warroom/ui/shell.py"}
    users = sorted(str(p.relative_to(PACKAGE.parent)) for p in [*PACKAGE.rglob("*.py"), *(PACKAGE.parent / "pages").glob("*.py")]
                   if re.search(r"\bst\.query_params", p.read_text(encoding="utf-8")))
    assert [u for u in users if u not in allowed] == []
