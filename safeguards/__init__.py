"""safeguards: what every app uses to take untrusted input and write spreadsheets safely (issue 13).

Holds: ``xlsx`` (the one .xlsx writer every export uses: user text is always a text cell, never a
formula, and control characters are replaced); ``text`` (the control-character validator every
form's ``CharField`` carries, installed by ``apps.SafeguardsConfig.ready``, and the normalisation
of names and ID numbers: NFKC, zero-width characters removed); ``params`` (reading integer query
parameters: a bad or huge value is ignored, never a 500).

May import: Django and openpyxl only (the lowest toolkit; every app may import it).
"""
