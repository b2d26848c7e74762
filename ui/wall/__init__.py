"""The camera wall: tiles, overlays, layouts, camera tree, route map, status bar."""
