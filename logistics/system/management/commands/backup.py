"""``manage.py backup [--output DIR] [--keep N]``: one dated archive of the database, uploads and reports."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from logistics.system.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database, the uploaded files and the generated reports into one dated archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(settings.VAR_DIR / "backups"))
        parser.add_argument("--keep", type=int, default=0, help="keep only the newest N archives (0: all)")

    def handle(self, *args, output, keep, **options):
        try:
            path = backup(output)
        except BackupError as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        self.stdout.write(f"{path} ({path.stat().st_size // 1024} KB)")
        if keep:
            archives = sorted(path.parent.glob("houqin-backup-*.tar.gz"))
            for old in archives[:-keep]:
                old.unlink()
