"""Notices per second: the full pipeline against plain docxtpl on the same template.

    .venv/bin/python benchmarks/bench_documents.py [--count 200] [--kind result_notice]

Full pipeline = ``request_document`` (validation, 发文字号 under a lock, the record) →
commit → Celery task (eager, in-process) → render → file in private storage with sha256.
Baseline = ``DocxTemplate(path).render(context, jinja_env, autoescape=True)`` and ``save``
to memory, with the same, already prepared context and a plain Jinja environment carrying
the filters the template uses. Runs on a throw-away SQLite database and storage
folder; prints both rates and their ratio (target ≥ 0.8).
"""
import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--kind", default="result_notice")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--dir", default=None,
        help="where the SQLite file and stored documents go (default: the system temp folder; "
             "/dev/shm measures CPU cost without disk fsync latency)",
    )
    parser.add_argument(
        "--wal", action="store_true",
        help="put the benchmark's SQLite file in WAL mode (synchronous=NORMAL), as a deployment "
             "on SQLite would; the project default (rollback journal) pays several fsyncs per commit",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="jifen-bench-", dir=args.dir))
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["JIFEN_MEDIA_ROOT"] = str(workdir / "private")
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jifen.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    from documents import services
    from documents.kinds import get_kind
    from documents.models import DocumentStatus, GeneratedDocument
    from jinja2 import Environment

    from documents.rendering import TEMPLATE_DIR, make_environment, prepare_context, qr_png, sample_context
    from organisations.models import Organisation

    if args.wal:
        from django.db.backends.signals import connection_created

        def wal(sender, connection, **kwargs):
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")

        connection_created.connect(wal)
    call_command("migrate", verbosity=0, skip_checks=True)
    org = Organisation.objects.create(name="中共城关镇东街社区支部委员会", short_name="东街党支",
                                      kind="branch", code="bench")
    kind = get_kind(args.kind)
    base = sample_context(args.kind)
    for key in ("doc_number", "org_name"):
        base.pop(key, None)

    def pipeline(i):
        ctx = dict(base, member_name=f"党员{i}") if "member_name" in base else dict(base)
        with transaction.atomic():
            doc = services.request_document(args.kind, organisation=org, context=ctx)
        return doc

    # The plain docxtpl baseline renders the same template with the same prepared context.
    prepared, _ = prepare_context(args.kind, {**base, "org_name": org.name, "doc_number": "东街党支〔2026〕1号"})
    template_path = TEMPLATE_DIR / kind.template
    # Plain docxtpl as a template author would call it: the template read from disk and a
    # standard Jinja environment (with our filters, which the template needs), no caching.
    plain_env = make_environment(cls=Environment)

    def plain(i):
        tpl = DocxTemplate(template_path)
        ctx = dict(prepared, member_name=f"党员{i}") if "member_name" in prepared else dict(prepared)
        if ctx.get("board_url"):  # the publicity notice's QR code, made the same way
            ctx["qr_code"] = InlineImage(tpl, io.BytesIO(qr_png(ctx["board_url"])), width=Mm(30))
        tpl.render(ctx, jinja_env=plain_env, autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()

    for i in range(args.warmup):
        plain(i)
        pipeline(-i - 1)

    def rate(fn):
        start = time.perf_counter()
        for i in range(args.count):
            fn(i)
        return args.count / (time.perf_counter() - start)

    # Interleave the rounds of each so a noisy neighbour hurts both sides alike.
    plain_rates, pipeline_rates = [], []
    for _ in range(args.rounds):
        plain_rates.append(rate(plain))
        pipeline_rates.append(rate(pipeline))
    plain_rate, pipeline_rate = max(plain_rates), max(pipeline_rates)

    stored = GeneratedDocument.objects.filter(status=DocumentStatus.DONE).exclude(sha256="")
    expected = args.warmup + args.rounds * args.count
    assert stored.count() == expected, f"{stored.count()} of {expected} documents stored"
    numbers = sorted(stored.values_list("number_seq", flat=True))
    assert numbers == list(range(1, expected + 1)), "numbering has gaps"

    print(f"kind: {args.kind}, {args.count} documents per round, best of {args.rounds} rounds, "
          f"SQLite{' (WAL)' if args.wal else ''} in {workdir}, eager Celery")
    print(f"plain docxtpl render:      {plain_rate:8.1f} notices/s")
    print(f"full pipeline (stored):    {pipeline_rate:8.1f} notices/s")
    print(f"ratio pipeline / plain:    {pipeline_rate / plain_rate:8.2f}  (target >= 0.8)")


if __name__ == "__main__":
    main()
