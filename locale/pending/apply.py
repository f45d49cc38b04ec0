import sys, json, polib
"""Fill zh_Hans translations from JSON files of {msgid: msgstr} (after `make
messages`), clearing fuzzy flags: python locale/pending/apply.py locale/pending/*.json"""
tr = {}
for path in sys.argv[1:]:
    tr.update(json.load(open(path)))
po = polib.pofile("locale/zh_Hans/LC_MESSAGES/django.po")
done = set()
for e in po:
    if e.msgid in tr:
        if e.msgid_plural:
            e.msgstr_plural = {0: tr[e.msgid]}
        else:
            e.msgstr = tr[e.msgid]
        if "fuzzy" in e.flags: e.flags.remove("fuzzy")
        e.previous_msgid = None; e.previous_msgctxt = None
        done.add(e.msgid)
po.save()
print("missing:", [k for k in tr if k not in done])
print("untranslated:", [e.msgid for e in po.untranslated_entries()], "fuzzy:", [e.msgid for e in po.fuzzy_entries()])
