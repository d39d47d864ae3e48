"""Copy report files kept on this machine's disk into the configured storage (run once per server)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from dbstorage.moving import files_move_to_storage


class Command(BaseCommand):
    help = (
        "Copy every report file the database refers to from local disk (MEDIA_ROOT, or --source) into "
        "the storage FILE_STORAGE selects, under the same names. Safe to run again; files on disk are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", default=str(settings.MEDIA_ROOT), help="Folder the files are in now.")

    def handle(self, *args, source, **options):
        counts = files_move_to_storage(source_root=source)
        for name in counts.missing:
            self.stderr.write(f"Not on disk, so not moved: {name}")
        self.stdout.write(
            f"Moved {counts.moved} file(s); {counts.already} already in storage; "
            f"{len(counts.missing)} missing from {source}."
        )
