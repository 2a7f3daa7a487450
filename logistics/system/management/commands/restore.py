"""``manage.py restore ARCHIVE``: restore a backup into an empty database (after ``migrate`` or none)."""

from django.core.management.base import BaseCommand, CommandError

from logistics.system.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and MEDIA_ROOT, then compare row counts."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--force-media", action="store_true", help="restore into a MEDIA_ROOT that has files")

    def handle(self, *args, archive, force_media, **options):
        try:
            manifest, differences = restore(archive, force_media=force_media)
        except BackupError as exc:
            raise CommandError(f"restore failed: {exc}") from exc
        if differences:
            for table, (expected, got) in differences.items():
                self.stderr.write(f"{table}: {expected} rows in the backup, {got} restored")
            raise CommandError("restore incomplete: row counts differ")
        self.stdout.write(
            f"restored the backup of {manifest['created']}: {len(manifest['tables'])} tables, "
            f"{manifest['files']} files; every table's row count matches"
        )
