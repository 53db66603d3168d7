"""Declarations (申报), evidence, review rounds, branch meetings, filing, publicity and objections."""
