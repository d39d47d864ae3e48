"""PDF briefings for a council, a region and England: the builder page, the PDF addresses and the zip command.

A briefing is built in three steps that each test on their own:

1. ``council.council_briefing`` / ``area.area_briefing`` read the data (selectors only, a fixed
   number of queries) and shape it into a ``document.Briefing``: a title, a date, and the context
   its template needs;
2. ``printing.render_html`` turns it into HTML, either a whole document for WeasyPrint or the
   body alone for the builder's preview;
3. ``printing.render_pdf`` prints that HTML on A4 with ``static/css/briefing.css``.

``printing.council_briefing_pdf`` / ``area_briefing_pdf`` cache the finished bytes until any data
changes; ``bulk.write_briefings_zip`` writes a region's (or England's) as one zip.
"""
