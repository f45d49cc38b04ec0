"""Fill zh_Hans translations from JSON files of {msgid: msgstr} after
`make messages`, clearing fuzzy flags:

    python locale/pending/apply.py locale/pending/*.json

Put new strings here as JSON while writing code; once applied, the
catalogue holds them and the JSON files are deleted.
"""

import json
import sys

import polib

translations = {}
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        translations.update(json.load(f))
po = polib.pofile("locale/zh_Hans/LC_MESSAGES/django.po")
done = set()
for entry in po:
    if entry.msgid in translations:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: translations[entry.msgid]}
        else:
            entry.msgstr = translations[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
        done.add(entry.msgid)
po.save()
print("not in the catalogue:", [k for k in translations if k not in done])
print("untranslated:", [e.msgid for e in po.untranslated_entries()], "fuzzy:", [e.msgid for e in po.fuzzy_entries()])
