"""Page views, one module per part of the service: pages, maps, briefings, reports, editing, health."""
