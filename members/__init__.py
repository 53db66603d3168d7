"""Members (党员, 预备党员, 积极分子, 农户, 教师), categories, exclusions (不纳入), transfers and the roster import."""
