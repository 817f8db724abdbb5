"""The wall's chart size from the browser's viewport and devicePixelRatio (issue 19)."""
from __future__ import annotations

import pytest

from warroom.ui.wall import Viewport, chart_height_px, parse_viewport


@pytest.mark.parametrize("raw, expected", [
    ("1920x1080@1", Viewport(1920, 1080, 1.0)),
    ("1920x1080@2", Viewport(1920, 1080, 2.0)),
    ("3840x2160@1", Viewport(3840, 2160, 1.0)),
    ("1440x900@1.25", Viewport(1440, 900, 1.25)),
    ("", None), (None, None), ("1920x1080", None), ("1920x1080@abc", None), ("99999x1080@1", None),
    ("1920x1080@0", None), ("<script>x1@1", None), ("1920x1080@1 ", None),
])
def test_parse_viewport(raw, expected):
    assert parse_viewport(raw) == expected


@pytest.mark.parametrize("size, viewport, expected", [
    ("auto", None, 720), ("hd", None, 720), ("4k", None, 1440),            # nothing reported yet: the hint
    ("auto", Viewport(1920, 1080, 1), 720),                                 # 1080p
    ("auto", Viewport(3840, 2160, 1), 1440),                                # 4K at 100 %
    ("auto", Viewport(1920, 1080, 2), 720),                                 # 4K at 200 %
    ("4k", Viewport(1920, 1080, 2), 720),                                   # the TV: not twice too tall
    ("4k", Viewport(3840, 2160, 1), 1440),
    ("4k", Viewport(1920, 1080, 1), 720),                                   # never taller than the screen
    ("hd", Viewport(3840, 2160, 1), 720),                                   # the override: drawn for HD
    ("auto", Viewport(1440, 900, 1), 600),
])
def test_chart_height_follows_the_screen(size, viewport, expected):
    assert chart_height_px(size, viewport) == expected
