"""The England map: each council area coloured by its latest grade in a theme, as at a date.

``selectors`` reads (themes, each council's judgement), ``drawing`` draws and caches the SVG
(``england_map_chart``), ``forms`` and ``views`` serve /map/; templates/maps/_map.html embeds a map
in any page.
"""
