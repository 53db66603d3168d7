"""What an objection is about, in words, whether a declaration or a member's entry in another record.

``reviews.Objection`` mixes this in: a declaration's objection reads its round, member and item;
one against another record (a year-end evaluation, ``subject``) reads ``member`` and the
record's ``objection_item``.
"""
from django.utils.translation import gettext as _

from workdays.wording import signed_points_text


class ObjectionSubject:
    @property
    def review_round(self):
        """The round of the declaration objected to (None for another record)."""
        return self.declaration.review_round if self.declaration_id is not None else None

    @property
    def objected_member(self):
        """The member whose score or result is objected to."""
        return self.declaration.member if self.declaration_id is not None else self.member

    @property
    def member_name(self):
        """Whose score or result is objected to."""
        if self.declaration_id is not None:
            return self.declaration.member.name
        return self.member.name

    @property
    def item_text(self):
        """The item objected to: the declaration's item, or the record's own words (``objection_item``)."""
        if self.declaration_id is not None:
            from .labels import declaration_item  # labels reads the models, which import this module

            return declaration_item(self.declaration)
        return str(self.subject.objection_item)

    @property
    def subject_label(self):
        """What the objection is about, for task lists (the 事项): the declaration, or the member and
        their result in the other record (``objection_item_for(member)``, else ``objection_item``)."""
        if self.declaration_id is not None:
            return declaration_subject(self.declaration)
        item_for = getattr(self.subject, "objection_item_for", None)
        item = item_for(self.member) if item_for is not None else self.subject.objection_item
        return _("%(member)s：%(item)s") % {"member": self.member.name, "item": item}


def declaration_subject(declaration):
    """``张红梅 · 志愿服务 · +2``: the member, the item and the points as the branch decided and
    published them, signed as they move the total (a deduction ``-2``; a refused item 不予认定)."""
    from .labels import declaration_item  # labels reads the models, which import this module
    from .services.points import signed_points

    if declaration.status == "rejected":
        points = declaration.get_status_display()
    else:
        decided = declaration.decided_points if declaration.decided_points is not None else declaration.points
        points = signed_points_text(signed_points(declaration, decided))
    return f"{declaration.member.name} · {declaration_item(declaration)} · {points}"
