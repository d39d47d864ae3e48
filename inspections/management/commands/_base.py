"""Shared reporting for import commands: a summary line on success, every row's error on failure."""

from django.core.management.base import BaseCommand, CommandError

from inspections.services import ImportFailed


class ImportCommand(BaseCommand):
    noun = "rows"

    def run_import(self, func, **kwargs):
        """Call an importer; print its summary, or each row's error and fail with nothing changed."""
        try:
            summary = func(**kwargs)
        except ImportFailed as failed:
            for error in failed.errors:
                where = f"line {error.row}" if error.row else "file"
                self.stderr.write(f"{failed.source}, {where}: {error.message}")
            raise CommandError(f"{failed.source}: {len(failed.errors)} error(s) found; nothing was changed.") from None
        for warning in summary.warnings:
            self.stdout.write(self.style.WARNING(f"Warning, line {warning.row}: {warning.message}"))
        self.stdout.write(summary.describe(self.noun))
        return summary
