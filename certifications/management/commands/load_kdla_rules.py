from django.core.management.base import BaseCommand

from certifications.kdla_rules import load_kdla_rules


class Command(BaseCommand):
    help = "Create KDLA's credential types, courses and approved providers where missing."

    def handle(self, *args: object, **options: object) -> None:
        load_kdla_rules()
        self.stdout.write(self.style.SUCCESS("KDLA rules and catalogue are loaded."))
