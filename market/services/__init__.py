"""Every step of the points supermarket, callable from views, commands and the shell.

One module per noun (``from market.services import redemption``):

* ``common`` — the village of an organisation, the scheme's ``[redemption]`` settings in force,
  parsing quantities and prices;
* ``catalogue`` — goods: add, change, restock or adjust stock (each change a ``StockMove``);
* ``bars`` — record and lift a flag that bars redemption (钟祥 违法违纪), which flags bar now;
* ``redemption`` — redeem goods: balance, stock and bars checked under the chain lock, one
  ``redemption`` ledger entry, the 兑换小票;
* ``year_end`` — reset or carry over the points left at a cycle's end, as ``reset`` entries;
* ``cards`` — the 户积分卡 from the ledger and the 家庭积分码 (a signed code and its QR image).

Each public function checks the organisation-tree permission for the user it is given
(``PermissionDenied``) and raises ``ValidationError`` keyed by field with a code from
``market.errors``.
"""
