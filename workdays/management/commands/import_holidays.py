"""``manage.py import_holidays YEAR FILE.csv [--source TEXT]``: import a year's published schedule."""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from workdays.schedules import import_schedule


class Command(BaseCommand):
    help = "Import the State Council's holiday schedule of a year (CSV: 日期,类型,说明), replacing provisional days."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="the notice it comes from")

    def handle(self, year, file, source, **options):
        try:
            change = import_schedule(year, file.read_text(encoding="utf-8-sig"), source=source)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError("; ".join(m for ms in error.message_dict.values() for m in ms)) from None
        self.stdout.write(f"{year}: {len(change.days)} day(s) changed, {len(change.moved)} deadline(s) moved")
        for row in change.moved:
            self.stdout.write(f"  {row['what']}: {row['before']} -> {row['after']}")
