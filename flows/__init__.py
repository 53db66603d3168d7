"""viewflow processes: the approval chain, one node per step."""
