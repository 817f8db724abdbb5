"""Panels: the body of a page drawn so that the wall (Layar dinding) can show it too.

Each module here defines `render(ctx, *, wall: bool = False) -> None`. With wall=True it
draws for a 1920x1080 / 3840x2160 screen read from three metres: no scrolling, big
figures, a freshness stamp; pages call the same function with wall=False.
"""
