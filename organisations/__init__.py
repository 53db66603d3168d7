"""Organisation tree (党委 → 党总支 → 党支部 → 党小组; 乡镇 → 村 → 网格), roles and the subtree permission rule."""
