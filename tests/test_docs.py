"""The documentation is complete and its references are real (like datasette's doc tests):
every link in the README and docs/ points at a file that exists, every queries/*.sql named
in them exists, and every page in docs/ is listed in docs/index.md."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [ROOT / "README.md", ROOT / "bench" / "README.md", *DOCS]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
QUERY = re.compile(r"queries/([a-z0-9_*]+)\.sql")


def local_links(page: Path) -> list[str]:
    return [target for target in LINK.findall(page.read_text(encoding="utf-8"))
            if not re.match(r"[a-z]+:", target)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_local_link_and_picture_exists(page):
    missing = [t for t in local_links(page) if not (page.parent / t).exists()]
    assert missing == [], f"{page.relative_to(ROOT)} links to missing files: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_query_named_exists(page):
    named = QUERY.findall(page.read_text(encoding="utf-8"))
    missing = [n for n in named if not list((ROOT / "queries").glob(f"{n}.sql"))]
    assert missing == [], f"{page.relative_to(ROOT)} names queries that do not exist: {missing}"


def test_every_doc_page_is_in_the_index():
    listed = set(local_links(ROOT / "docs" / "index.md"))
    unlisted = [p.name for p in DOCS if p.name != "index.md" and p.name not in listed]
    assert unlisted == []


def test_the_readme_stays_short_and_keeps_its_quick_start():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 250
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [line for line in quick.splitlines() if line.startswith("make ")]
    assert [c.split()[1] for c in commands] == ["run", "test"]
