"""Every error code the points supermarket raises, and the one way to raise them.

As in ``reviews.errors``: a ``ValidationError`` keyed by the field it concerns (or
``NON_FIELD_ERRORS`` for the whole step), with a code from :class:`MarketErrorCode` and the
message's ``params``. Screens place each error by its field; tests check the code.
"""
from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

__all__ = ["NON_FIELD_ERRORS", "MarketErrorCode", "error"]


class MarketErrorCode(StrEnum):
    # -- catalogue (field: name, price, stock, quantity) --------------------------------------
    NOT_A_VILLAGE = "not_a_village"
    """The organisation is not a 行政村: catalogues and redemptions belong to villages."""
    NAME_MISSING = "name_missing"
    """A goods item has no name."""
    NAME_TAKEN = "name_taken"
    """The village already has goods of that name."""
    CASH_NOT_ALLOWED = "cash_not_allowed"
    """The goods item names cash or a cash equivalent: points are never paid out as cash."""
    PRICE_INVALID = "price_invalid"
    """A points price that is not a positive number with at most two decimals."""
    QUANTITY_INVALID = "quantity_invalid"
    """A quantity that is not a whole number of at least 1 (at most 999)."""
    STOCK_NEGATIVE = "stock_negative"
    """An adjustment would leave less than nothing in stock."""
    # -- redemption (field: household, goods, quantity, key; __all__) ----------------------------
    HOUSEHOLD_OUTSIDE_VILLAGE = "household_outside_village"
    """The household does not belong to the goods' village."""
    HOUSEHOLD_INACTIVE = "household_inactive"
    """The household is no longer on the roll."""
    GOODS_INACTIVE = "goods_inactive"
    """The goods item is off the shelf."""
    OUT_OF_STOCK = "out_of_stock"
    """Fewer items in stock than asked for."""
    NO_SCHEME_IN_FORCE = "no_scheme_in_force"
    """No scheme is in force for the village today."""
    SCHEME_DOES_NOT_REDEEM = "scheme_does_not_redeem"
    """The scheme in force has no ``[redemption]`` section."""
    BARRED = "barred"
    """A flag the scheme names in ``barred_by`` is in force for the household (accrual goes on)."""
    INSUFFICIENT_BALANCE = "insufficient_balance"
    """The household's redeemable balance is below the price × quantity."""
    KEY_INVALID = "key_invalid"
    """The idempotency key is not a UUID."""
    KEY_REUSED = "key_reused"
    """The idempotency key was used for a different exchange."""
    CYCLE_CLOSED = "cycle_closed"
    """The cycle's points were already reset or carried over."""
    # -- bars (field: reason, start_on, end_on, lifted_on) ---------------------------------------
    REASON_MISSING = "reason_missing"
    """A bar without its reason."""
    PERIOD_INVALID = "period_invalid"
    """A bar ending before it starts, or lifted before it started."""
    BAR_ALREADY_LIFTED = "bar_already_lifted"
    """The bar was lifted already."""
    # -- year end (field: cycle_start; __all__) --------------------------------------------------
    CYCLE_NOT_OVER = "cycle_not_over"
    """The cycle has not ended yet."""
    CYCLE_ALREADY_CLOSED = "cycle_already_closed"
    """The cycle's year end was done already."""
    ROUNDS_OPEN = "rounds_open"
    """Review rounds of the cycle have not reached the ledger yet."""


def error(field, code, message, **params):
    """``ValidationError({field: ValidationError(message, code=code, params=params)})``."""
    return ValidationError({field: ValidationError(message, code=MarketErrorCode(code).value, params=params or None)})
