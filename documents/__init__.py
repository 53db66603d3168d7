"""Official documents (公文): one module per kind in ``documents/kinds/`` (spec, sample, template
builder, context builder), the GB/T 9704 page builder (``gbt9704``, ``manage.py build_templates``),
numbering, rendering, immutable storage, bulk jobs and PDF.

Below the domain apps: may import ``organisations`` and ``members`` only. Context builders read
the records of the apps above (review rounds, objections, evaluation results…) by duck typing.
"""
