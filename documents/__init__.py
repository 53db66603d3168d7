"""documents: official documents (公文) laid out to GB/T 9704-2012.

Holds: one module per kind in ``documents/kinds/`` (spec, sample, template builder, context
builder), the GB/T 9704 page builder (``gbt9704``, ``manage.py build_templates``) and the
finishing rules applied after rendering (``finishing``), gap-free numbering, rendering with
docxtpl, immutable versioned storage, bulk jobs, supervised PDF conversion, seals and their
use log (``seals``), the document hash chain (``chain``) and the public verification page
(``verify``), the public links printed in QR codes (``links``), and who may see a document.

May import: organisations, members. It knows no process: a kind's context builder reads the
records it is given (review rounds, objections, evaluation results...) by duck typing, so
reviews and appraisals import documents, never the other way round.
"""
