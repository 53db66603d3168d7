"""organisations: the organisation tree and who holds which role in it.

Holds: the tree (党委 → 党总支 → 党支部 → 党小组; 乡镇 → 村 → 网格) stored as a materialised path,
roles (书记, 支委, 记分员, 上级审核人, 网格员...) and the one subtree permission rule
(``permissions``: ``can_act_on``, ``can_review``, ``organisations_for``, ``require``).

May import: Django only. Every other app may import it.
"""
