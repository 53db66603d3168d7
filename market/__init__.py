"""market: households' points at the points supermarket (积分超市), 篇十六 (浆水乡, 杨梅山镇, 钟祥).

Holds: each village's catalogue of goods (price in points, stock, active), stock movements,
redemptions (兑换) written as ``redemption`` entries of the village's ledger chain under the
chain lock (balance, stock and the scheme's bars checked there), the bars that stop a
household redeeming without stopping its accrual (钟祥 违法违纪), the year-end reset or
carry-over as ``reset`` entries, the 兑换小票 and 户积分卡 documents, the 家庭积分码 (a QR
code opening a read-only page for the cashier), the grid worker's recording page for the
households of their grid (declarations go into the review chain unchanged), and the
village's reports with their .xlsx export.

May import: organisations, members, schemes, ledger, reviews, workdays, documents, workflow, safeguards.
Nothing below it imports it (ledger and reviews know nothing of goods).
"""
