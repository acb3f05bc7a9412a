#!/usr/bin/env python3
"""Writes the bundled questionnaires from their Python description.

    python3 forms/tools/gen.py

rewrites forms/quilicura-census.json and forms/household-listing.json
(pretty-printed, 2-space indent). The JSON files are the source of truth the
collector loads; this script is a convenience for editing the many
translations and the country list (forms/tools/countries.tsv) consistently.
Check the result with `campo-collector check forms/*.json`.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import census  # noqa: E402
import listing  # noqa: E402
from common import write_form  # noqa: E402


def main():
    for filename, form in (("quilicura-census.json", census.build()),
                           ("household-listing.json", listing.build())):
        print(write_form(filename, form))


if __name__ == "__main__":
    main()
