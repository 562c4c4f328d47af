"""Build the translation catalogues without GNU gettext.

Simplified Chinese is the source language, so every msgid is already the zh-hans text. This script
- derives `locale/zh_Hant/LC_MESSAGES/django.po` from the English catalogue's msgids with OpenCC (s2t), keeping
  any entry a translator has already written by hand (marked with the flag `manual`);
- compiles every `.po` under `locale/` to `.mo` with polib.
"""

from __future__ import annotations

import sys
from pathlib import Path

import opencc
import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"


def derive_traditional() -> None:
    english = LOCALE / "en" / "LC_MESSAGES" / "django.po"
    target = LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"
    if not english.exists():
        return
    converter = opencc.OpenCC("s2t")
    kept: dict[tuple[str, str], polib.POEntry] = {}
    if target.exists():
        for entry in polib.pofile(str(target)):
            if "manual" in entry.flags:
                kept[(entry.msgctxt or "", entry.msgid)] = entry
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "zh_Hant",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for source in polib.pofile(str(english)):
        if source.obsolete:
            continue
        manual = kept.get((source.msgctxt or "", source.msgid))
        if manual is not None:
            catalogue.append(manual)
            continue
        entry = polib.POEntry(msgid=source.msgid, msgctxt=source.msgctxt, occurrences=source.occurrences)
        if source.msgid_plural:
            entry.msgid_plural = source.msgid_plural
            entry.msgstr_plural = {0: converter.convert(source.msgid_plural)}
        else:
            entry.msgstr = converter.convert(source.msgid)
        catalogue.append(entry)
    target.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(target))


def compile_all() -> int:
    count = 0
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    return count


def main() -> int:
    derive_traditional()
    print(f"compiled {compile_all()} catalogue(s) under {LOCALE.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
