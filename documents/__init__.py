"""documents: official documents (公文) laid out to GB/T 9704-2012.

Holds: the document kinds, rendering with docxtpl, gap-free numbering, immutable versioned
storage, bulk jobs, PDF conversion, and who may see a document.

May import: organisations, members. It knows no process: a kind's context builder reads the
records it is given, so reviews and appraisals import documents, never the other way round.
"""
