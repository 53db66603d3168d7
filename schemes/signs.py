"""How recorded points move a member's total: the sign a scheme gives a component.

Declarations and ledger entries store points as recorded magnitudes per component; the scheme
decides the sign (:meth:`scoring_engine.Scheme.signed_points`: a 倒扣 component deducts
``|points|``, a component weighted below 0 counts them negatively). Every screen, export and API
output that shows a movement or a total reads it through here.
"""
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
    if scheme_version is not None:
        try:
            return scheme_version.engine_scheme().signed_points(component, points)
        except scoring_engine.DeclarationError:
            return points
        except scoring_engine.SchemeError:
            pass
    return -points if component == DEDUCTION else points
