"""Benchmarks run on the configured database when it holds data, else on a throwaway demo copy."""

import os


def open_demo_database():
    """Use the configured database if it holds councils; otherwise create a throwaway test database
    loaded with the demo data. Returns what close_demo_database needs (None when nothing was made)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.utils import DatabaseError

    from inspections.models import Council

    try:
        if Council.objects.exists():
            return None
    except DatabaseError:
        pass
    print("(no councils in the database: loading the demo data into a throwaway test database)")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", verbosity=0, stdout=devnull)
    return old_name


def close_demo_database(old_name):
    """Clear the cache and drop the throwaway database, if open_demo_database made one."""
    from django.core.cache import cache
    from django.db import connection

    cache.clear()
    if old_name is not None:
        connection.creation.destroy_test_db(old_name, verbosity=0)
