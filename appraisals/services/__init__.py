"""Year-end evaluation services (年终评定), one module per stage; import the stage module you need.

- ``evaluations``: opening, the democratic appraisal, the branch's proposal, the higher
  committee's approval or return, publicity (``open_evaluation`` … ``flow_close_publicity``);
- ``compute``: results from the ledger by the evaluation's stored scheme version
  (``compute_results``, ``verify_results``, ``engine_inputs``);
- ``uses``: use of results — one Disposition per engine action, result notices,
  commendation, star certificates (``flow_use_results``);
- ``dispositions``: talks, rectification, the disposal decision and its approval, the
  rectification outcome (``issue_talk_notice`` … ``record_rectification_outcome``).

Every transition checks the organisation-tree permission (``organisations.permissions``),
validates (``ValidationError`` keyed by input, code from ``appraisals.errors``), runs
atomically under the workflow lock (``workflow.steps.locked_process``), writes the audit
trail (``reviews.audit.AuditAction``) and requests the step's document. The nodes of
``appraisals.flows`` only call these functions; ``appraisals.views`` only parses forms.
"""
