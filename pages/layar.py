"""Layar dinding: the wall display. Every setting comes from the URL (see warroom.wall), e.g.
/layar?embed=true&panels=ringkasan,peta,covid,kinerja&rotate=30&refresh=60&lang=id or /layar?playlist=NAME."""
from warroom.ui import wall as wall_ui

ctx, settings = wall_ui.setup()
wall_ui.admin_playlists(ctx)
wall_ui.show(ctx, settings)
