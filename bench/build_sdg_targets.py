"""Dev tool, run by hand: rebuild charter_service/data/sdg_targets.json (not part of the app).

Reads the official French and English titles of the 169 SDG targets from the open-sdg
translation files (MIT licence) and writes {"1.1": {"goal": 1, "fr": ..., "en": ...}, ...}
in the official order (numbered targets first, then the lettered means of implementation),
in Unicode NFC.

    git clone https://github.com/open-sdg/sdg-translations /tmp/sdg-translations
    python bench/build_sdg_targets.py /tmp/sdg-translations/translations/fr/global_targets.yml \
        /tmp/sdg-translations/translations/en/global_targets.yml
"""

import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "charter_service" / "data"
KEY = re.compile(r"(\d+)-(\d+|[a-z])-title")
SPACES = re.compile(r"\s+")


def _titles(path: str) -> dict[str, str]:
    titles = {}
    for key, title in yaml.safe_load(Path(path).read_text(encoding="utf-8")).items():
        match = KEY.fullmatch(key)
        if match:
            # Some titles are stored decomposed (« e » + combining accent): composed here.
            text = unicodedata.normalize("NFC", str(title))
            titles[f"{match[1]}.{match[2]}"] = SPACES.sub(" ", text).strip()
    return titles


def _order(code: str) -> tuple[int, int, str]:
    goal, target = code.split(".")
    return (int(goal), 0, f"{int(target):03d}") if target.isdigit() else (int(goal), 1, target)


def main(french: str, english: str) -> None:
    fr, en = _titles(french), _titles(english)
    if fr.keys() != en.keys() or len(fr) != 169:
        sys.exit(f"expected the same 169 targets, got {len(fr)} French and {len(en)} English")
    targets = {code: {"goal": int(code.split(".")[0]), "fr": fr[code], "en": en[code]}
               for code in sorted(fr, key=_order)}
    (DATA / "sdg_targets.json").write_text(
        json.dumps(targets, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
