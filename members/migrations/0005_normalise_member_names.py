"""Names and ID numbers stored before issue 13 normalised the way imports now store them.

"姜　杰" (ideographic space) or "姜\u200b杰" becomes 姜杰, so a roster row "姜杰" finds that member
instead of creating a second one. The rule is copied here (NFKC, zero-width characters removed,
spaces removed between CJK characters) so that this migration never changes with the code. An ID
number whose normalised form another member already holds is left as it is.
"""
import re
import unicodedata

from django.db import migrations

ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e]")
SPACES = re.compile(r"\s+")


def _name(value):
    text = ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", value or "")).strip()
    words = SPACES.split(text) if text else []
    return " ".join(words) if all(w.isascii() for w in words) else "".join(words)


def _code(value):
    return SPACES.sub("", ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", value))).upper()


def normalise(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    taken = set(Member.objects.exclude(id_number=None).values_list("id_number", flat=True))
    for member in Member.objects.only("pk", "name", "id_number").iterator():
        fields = {}
        name = _name(member.name)
        if name and name != member.name:
            fields["name"] = name
        if member.id_number:
            code = _code(member.id_number)
            if code != member.id_number and code not in taken:
                fields["id_number"] = code
                taken.add(code)
        if fields:
            Member.objects.filter(pk=member.pk).update(**fields)


class Migration(migrations.Migration):
    dependencies = [("members", "0004_member_date_precision")]
    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
