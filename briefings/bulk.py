"""Every briefing of a region (or of England) and of its councils, written as one zip."""

import functools
from pathlib import Path

from inspections import selectors

from .area import area_briefing
from .council import council_briefing
from .document import COUNCIL_SECTIONS, BriefingOptions, default_options
from .printing import build_and_print


def write_briefings_zip(*, region=None, out, options=None, progress=None):
    """Write the area briefing and every active council's briefing (of `region`, or England) to a zip at `out`.

    `progress(done, total, name, seconds)` is called after each PDF. The zip is written to a
    temporary file and moved into place at the end, so a failure leaves no half-made file.
    Returns the number of PDFs written.
    """
    import os
    import tempfile
    import time
    import zipfile

    area_options = options or default_options("region" if region is not None else "national")
    council_options = BriefingOptions(
        sections=tuple(COUNCIL_SECTIONS), date_from=area_options.date_from, date_to=area_options.date_to
    )
    councils = selectors.area_record(region=region).councils
    total = len(councils) + 1
    out = Path(out)
    handle, temp = tempfile.mkstemp(dir=out.parent, suffix=".part")
    os.close(handle)
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_STORED) as archive:
            jobs = [(region.name if region else "England", lambda: area_briefing(region=region, options=area_options))]
            jobs += [
                (c.name, functools.partial(council_briefing, slug=c.slug, options=council_options)) for c in councils
            ]
            for done, (name, build) in enumerate(jobs, 1):
                start = time.perf_counter()
                briefing, pdf = build_and_print(build)
                archive.writestr(briefing.filename, pdf)
                if progress:
                    progress(done, total, name, time.perf_counter() - start)
        os.replace(temp, out)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(out, 0o666 & ~umask)  # mkstemp made it private; give it the usual permissions
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return total
