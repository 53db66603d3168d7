"""Member portal: my points by component with each score's history, declaring with evidence,
following my declarations through the chain."""
import re
from collections import OrderedDict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

import scoring_engine
from ledger import scope
from ledger import services as ledger
from ledger import signs as ledger_signs
from members import roles
from schemes.models import SchemeVersion
from schemes.words import word
from workdays.wording import points_text
from workflow.forms import EMPTY_LABEL, WordedChoices, apply_error, error_messages

from .. import labels, privacy
from ..models import AuditEntry, Declaration, DeclarationStatus, Evidence, Objection, local_today
from ..services import declarations
from ..services.points import upheld_prefetch
from ..timeline import declaration_timeline


def _member_or_403(request):
    member = roles.member_of(request.user)
    if member is None:
        raise PermissionDenied(_("您的账号没有关联党员/成员档案，请联系支部管理员。"))
    return member


def can_see_declaration(user, declaration):
    """The author, the member, and anyone with a role over the member's organisation (reviews' rule)."""
    return declarations.can_view_declaration(user, declaration)


_REF = re.compile(r"(declaration|objection):(\d+)")


def declaration_for_entry(entry):
    """The declaration a ledger entry was posted from (``review-round:5/declaration:12``), if any.

    A correction points at the entry it corrects; an objection's entry at the objection.
    """
    refs = [entry.source_ref or ""]
    if entry.corrects_id:
        refs.append(entry.corrects.source_ref or "")
    for ref in refs:
        for kind, pk in reversed(_REF.findall(ref)):
            if kind == "declaration":
                found = Declaration.objects.filter(pk=int(pk), member=entry.member_id).first()
            else:
                found = Declaration.objects.filter(objections__pk=int(pk), member=entry.member_id).first()
            if found is not None:
                return found
    return None


def declarations_for_entries(entries, member_id):
    """``{entry pk: Declaration}`` for many entries of one member: :func:`declaration_for_entry` in
    two queries (the objections named, then the declarations), not two per entry."""
    refs = {}
    for entry in entries:
        texts = [entry.source_ref or ""]
        if entry.corrects_id:
            texts.append(entry.corrects.source_ref or "")
        refs[entry.pk] = [(kind, int(pk)) for text in texts for kind, pk in reversed(_REF.findall(text))]
    objection_ids = {pk for found in refs.values() for kind, pk in found if kind == "objection"}
    via_objection = dict(Objection.objects.filter(pk__in=objection_ids, declaration__member=member_id)
                         .values_list("pk", "declaration_id")) if objection_ids else {}
    wanted = {pk for found in refs.values() for kind, pk in found if kind == "declaration"} | set(via_objection.values())
    found_declarations = Declaration.objects.filter(pk__in=wanted, member=member_id).in_bulk() if wanted else {}
    result = {}
    for entry_pk, found in refs.items():
        for kind, pk in found:
            declaration = found_declarations.get(pk if kind == "declaration" else via_objection.get(pk))
            if declaration is not None:
                result[entry_pk] = declaration
                break
    return result


def _item(declaration, versions):
    """``reviews.labels.declaration_item`` of ``declaration`` (or ``""``), its scheme version taken
    from ``versions`` (``{pk: SchemeVersion}``, read once for the page)."""
    if declaration is None:
        return ""
    if declaration.scheme_version_id:
        declaration.scheme_version = versions.get(declaration.scheme_version_id)
    return labels.declaration_item(declaration)


def _component_label(versions, key):
    """``key`` as the first of ``versions`` (scheme versions or None) that has it names it; else the
    review chain's default label (``reviews.labels.component_label``), else the key."""
    for version in versions:
        label = labels.component_label(version, key) if version is not None else key
        if label != key:
            return label
    return labels.component_label(None, key)


@login_required
def my_points(request):
    member = _member_or_403(request)
    cycle = scope.chosen_cycle(request, member=member)
    signer = ledger_signs.Signer()  # shown signed: a deduction recorded as 2 reads -2
    totals = ledger_signs.signed_component_totals(member, cycle, signer)
    entries = list(ledger.entries_for(member, cycle))
    components = OrderedDict((name, {"name": name, "total": total, "entries": []}) for name, total in totals.items())
    # A constant number of queries however many entries: declarations and their audit trail in bulk.
    declaration_of = declarations_for_entries(entries, member.pk)
    histories = {}
    for audit_entry in AuditEntry.objects.filter(declaration__in={d.pk for d in declaration_of.values()}).order_by(
            "at", "pk").select_related("declaration__scheme_version", "declaration__review_round__organisation"):
        histories.setdefault(audit_entry.declaration_id, []).append(audit_entry)
    # The components as the scheme in force for the cycle names them (else the scheme an entry's
    # declaration was checked against, else the review chain's defaults), in the page's language.
    in_force = SchemeVersion.objects.in_force(member.organisation, cycle)
    used = SchemeVersion.objects.in_bulk({d.scheme_version_id for d in declaration_of.values() if d.scheme_version_id})
    versions = [in_force, *sorted(used.values(), key=lambda v: v.pk)]
    for entry in entries:
        row = components.setdefault(entry.component, {"name": entry.component, "total": 0, "entries": []})
        declaration = declaration_of.get(entry.pk)
        history = []
        if declaration is not None:  # as this user may read it: never who objected (reviews.privacy)
            history = privacy.history_for(declaration, request.user, entries=histories.get(declaration.pk, []))
        row["entries"].append({"entry": entry, "signed": ledger_signs.signed_entry_points(entry, signer),
                               "declaration": declaration, "history": history,
                               "item": _item(declaration, used)})
    for row in components.values():
        row["label"] = _component_label(versions, row["name"])
    return render(
        request,
        "reviews/my_points.html",
        {
            "member": member,
            "cycle": cycle,
            "cycles": scope.cycle_choices(member=member),
            "components": list(components.values()),
            "total": ledger_signs.signed_balance(member, cycle_start=cycle, signer=signer),
            "chart": [(c["label"], c["total"]) for c in components.values()],
        },
    )


@login_required
def my_declarations(request):
    member = _member_or_403(request)
    mine = (
        Declaration.objects.filter(member=member)
        .select_related("review_round", "scheme_version")
        .prefetch_related("evidence", "objections")
        .order_by("-occurred_on", "-pk")
    )
    rows = [{"d": d, "timeline": declaration_timeline(d)} for d in mine]
    return render(request, "reviews/my_declarations.html", {"member": member, "rows": rows})


@login_required
def declaration_detail(request, pk):
    declaration = get_object_or_404(
        Declaration.objects.select_related("member", "organisation", "review_round"), pk=pk
    )
    if not can_see_declaration(request.user, declaration):
        raise PermissionDenied(_("您无权查看这项申报。"))
    prefetch_related_objects([declaration], upheld_prefetch())  # the timeline and the page read it
    return render(
        request,
        "reviews/declaration_detail.html",
        {
            "d": declaration,
            "timeline": declaration_timeline(declaration),
            "history": privacy.history_for(declaration, request.user),
            "evidence": declaration.evidence.all(),
            "objections": declaration.objections.order_by("received_on", "pk"),
            "can_withdraw": declaration.member.user_id == request.user.pk
            and declaration.status == DeclarationStatus.SUBMITTED
            and (declaration.review_round is None or not declaration.review_round.meetings.exists()),
        },
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def scheme_for(member, on_date=None):
    """The engine scheme in force for the member's organisation (None without one).

    ``SchemeVersion.objects.in_force``; a version that no longer reads gives None (declaring
    goes on; the service checks the declaration against the version again).
    """
    version = SchemeVersion.objects.in_force(member.organisation, on_date or local_today())
    try:
        return version.engine_scheme() if version is not None else None
    except scoring_engine.SchemeError:
        return None


def _points_text(value):
    return points_text(value)


def item_choices(scheme):
    """Grouped choices ``component::item`` for the declare form; ``component::`` means a free item.

    Each listed item's label says what the scheme allows (``Scheme.item_rule``): its fixed
    points, or the range its points are chosen in.
    """
    groups = []
    for comp in scheme.components:
        if not comp.accepts_events:
            continue
        options = []
        for key in comp.items:
            rule = scheme.item_rule(comp.name, key)
            item_label = word(rule.label, scheme)
            if rule.fixed:  # "1 point", "2 points", "-2 points", "0.5 points" in English
                label = ngettext("%(l)s（%(p)s 分）", "%(l)s（%(p)s 分）", 1 if abs(rule.points) == 1 else 2) % {
                    "l": item_label, "p": _points_text(rule.points)}
            elif rule.ranged:
                label = _("%(l)s（%(min)s–%(max)s 分）") % {
                    "l": item_label, "min": _points_text(rule.minimum), "max": _points_text(rule.maximum)}
            else:
                label = item_label
            options.append((f"{comp.name}::{key}", label))
        if not comp.items:
            options.append((f"{comp.name}::", _("%(c)s（自填条目和分值）") % {"c": word(comp.label, scheme)}))
        groups.append((word(comp.label, scheme), options))
    return groups


class DeclarationForm(WordedChoices, forms.Form):
    component = forms.CharField(
        label=_lazy("积分项目"), max_length=60,
        help_text=_lazy("例如：组织生活、发挥作用、奖励加分。"),
    )
    rule_item = forms.CharField(label=_lazy("积分细则条目"), max_length=200)
    points = forms.DecimalField(
        label=_lazy("申报分值"), max_digits=8, decimal_places=2, required=False,
        help_text=_lazy("加分填正数，扣分填负数。细则规定了固定分值的条目不用填写。"),
    )
    quantity = forms.IntegerField(label=_lazy("数量"), min_value=1, max_value=100, initial=1)
    occurred_on = forms.DateField(label=_lazy("发生日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_lazy("地点"), max_length=100, required=False)
    description = forms.CharField(label=_lazy("事由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    evidence = EvidenceField(
        label=_lazy("佐证材料（照片或 PDF）"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*,application/pdf", "capture": "environment"}),
        help_text=_lazy("可直接用手机拍照上传；支持 JPEG、PNG、WebP、HEIC 图片和 PDF。"),
    )

    def __init__(self, *args, scheme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        if scheme is not None:
            # With a scheme in force: pick the item from the scheme; free text only where it lists none.
            self.fields["item"] = forms.ChoiceField(
                label=_lazy("积分项目和细则条目"), choices=[("", EMPTY_LABEL)] + item_choices(scheme),
            )
            self.fields["rule_item"].required = False
            self.fields["rule_item"].label = _lazy("条目说明（仅“自填条目”时填写）")
            del self.fields["component"]
            self.order_fields(["item", "rule_item", "points", "quantity"])

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > local_today():
            raise ValidationError(_("发生日期不能晚于今天。"))
        return value

    def clean_description(self):
        value = self.cleaned_data["description"].strip()
        if not value:
            raise ValidationError(_("请写明事由。"))
        return value

    def clean(self):
        data = super().clean()
        if self.scheme is not None and data.get("item"):
            component, _sep, key = data["item"].partition("::")
            data["component"] = component
            if key:
                data["rule_item"] = key
                data["rule_item_label"] = ""
            elif not (data.get("rule_item") or "").strip():
                self.add_error("rule_item", _("所选积分项目没有细则条目，请写明条目。"))
            else:
                data["rule_item_label"] = data["rule_item"]
        else:
            data["rule_item_label"] = data.get("rule_item", "")
        return data


def _on_item_field(form, exc):
    """With a scheme in force the form picks component and item in one field, ``item``:
    the service's ``component`` and ``rule_item`` errors belong there."""
    if "item" not in form.fields or not hasattr(exc, "error_dict"):
        return exc
    moved = {}
    for field, errors in exc.error_dict.items():
        moved.setdefault("item" if field in ("component", "rule_item") else field, []).extend(errors)
    return ValidationError(moved)


@login_required
def declare(request):
    member = _member_or_403(request)
    form = DeclarationForm(request.POST or None, request.FILES or None, scheme=scheme_for(member))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            declaration = declarations.create_declaration(
                by=request.user,
                member=member,
                reporter_kind="self",
                component=data["component"],
                rule_item=data["rule_item"],
                rule_item_label=data.get("rule_item_label", ""),
                points=data["points"],
                quantity=data["quantity"],
                occurred_on=data["occurred_on"],
                place=data["place"],
                description=data["description"],
                evidence=data["evidence"],
            )
        except (ValidationError, PermissionDenied) as exc:
            apply_error(form, _on_item_field(form, exc))
        else:
            messages.success(request, _("申报已提交，等待支部会议审核。"))
            return redirect("reviews:declaration_detail", pk=declaration.pk)
    return render(request, "reviews/declare.html", {"form": form, "member": member})


@login_required
@require_POST
def withdraw(request, pk):
    declaration = get_object_or_404(Declaration, pk=pk)
    try:
        declarations.withdraw_declaration(declaration, request.user)
    except (ValidationError, PermissionDenied) as exc:
        for m in error_messages(exc):
            messages.error(request, m)
    else:
        messages.success(request, _("申报已撤回。"))
    return redirect("reviews:declaration_detail", pk=pk)


@login_required
def evidence_file(request, pk):
    """Serve one evidence file to those allowed to see its declaration; never cached publicly."""
    evidence = get_object_or_404(Evidence.objects.select_related("declaration__member", "declaration__organisation"), pk=pk)
    if not can_see_declaration(request.user, evidence.declaration):
        raise PermissionDenied(_("您无权查看这份佐证材料。"))
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("佐证材料文件不存在。")) from None
    response = FileResponse(handle, content_type=evidence.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

