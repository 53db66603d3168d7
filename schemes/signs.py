"""How recorded points move a member's total: the sign a scheme gives a component.

Declarations and ledger entries store points as recorded magnitudes per component; the scheme
decides the sign (:meth:`scoring_engine.Scheme.signed_points`: a 倒扣 component deducts
``|points|``, a component weighted below 0 counts them negatively). Every screen, export and API
output that shows a movement or a total reads it through here.
"""
import operator

import scoring_engine

#: Without a scheme version, the component that counts negatively (the review chain's default 扣分).
DEDUCTION = "deduction"


def signed_points(scheme_version, component, points):
    """``points`` (Decimal) as they move a member's total under ``component``.

    Without a scheme version, or with one that no longer reads, the component named
    ``deduction`` counts negatively; a component the scheme does not have counts as written.
    """
    if points is None:
        return None
    return signing(scheme_version, component)(points)


def signing(scheme_version, component):
    """:func:`signed_points` of ``component`` under ``scheme_version`` as a function of the points
    (not None), worked out once: for a caller signing many totals (``ledger.signs.Signer``)."""
    if scheme_version is not None:
        try:
            return scheme_version.engine_scheme().signing(component)
        except scoring_engine.DeclarationError:
            return _as_written
        except scoring_engine.SchemeError:
            pass
    return operator.neg if component == DEDUCTION else _as_written


def _as_written(points):
    return points
