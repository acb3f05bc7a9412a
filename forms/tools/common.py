"""Helpers shared by the form generators: translations, fields, choice lists.

Every text is written in the four languages of campo's census forms, in the
order es (Spanish), ht (Haitian Creole), fr (French), en (English).
"""

import json
import os

LANGS = ["es", "ht", "fr", "en"]
HERE = os.path.dirname(os.path.abspath(__file__))
FORMS = os.path.dirname(HERE)


def T(es, ht, fr, en):
    """A text in the four languages."""
    return {"es": es, "ht": ht, "fr": fr, "en": en}


def same(text):
    """A proper name that is written the same in every language."""
    return T(text, text, text, text)


def field(type_, name, label=None, **kw):
    """One field; keyword arguments are the format's keys, in a stable order."""
    f = {"type": type_, "name": name}
    if label is not None:
        f["label"] = label
    order = ["hint", "list", "choice_filter", "appearance", "required",
             "required_message", "relevant", "constraint",
             "constraint_message", "calculation", "default", "read_only",
             "repeat_count", "children"]
    for k in order:
        if k in kw:
            f[k] = kw.pop(k)
    if kw:
        raise KeyError("unknown keys for %s: %s" % (name, sorted(kw)))
    return f


def calc(name, expr):
    return field("calculate", name, calculation=expr)


def note(name, label, **kw):
    return field("note", name, label, **kw)


def choice(name, label, **cols):
    c = {"name": name, "label": label}
    for k, v in cols.items():
        c[k] = str(v)
    return c


def choices(rows):
    """[(name, T(...)), ...] -> list of choices."""
    return [choice(n, l) for n, l in rows]


REQ_MSG = T("Esta pregunta es obligatoria.",
            "Ou dwe reponn kesyon sa a.",
            "Cette question est obligatoire.",
            "This question is required.")

YES_NO = choices([
    ("yes", T("Sí", "Wi", "Oui", "Yes")),
    ("no", T("No", "Non", "Non", "No")),
])

YES_NO_DK = YES_NO + choices([
    ("dont_know", T("No sabe", "Pa konnen", "Ne sait pas", "Don't know")),
])

YES_NO_PREF = YES_NO + choices([
    ("prefer_not", T("Prefiere no responder", "Li pito pa reponn",
                     "Préfère ne pas répondre", "Prefers not to answer")),
])

# The census sectors of Quilicura: enumeration zones, each named after a
# neighbourhood or avenue that bounds it. Adjust codes and names to the
# municipality's own sector map before fieldwork.
SECTOR_NAMES = [
    ("s01", "Quilicura Centro"),
    ("s02", "Lo Cruzat"),
    ("s03", "San Luis"),
    ("s04", "Parinacota"),
    ("s05", "Valle Lo Campino"),
    ("s06", "Lo Marcoleta"),
    ("s07", "El Mañío"),
    ("s08", "Las Torres"),
    ("s09", "Manuel Antonio Matta"),
    ("s10", "Lo Echevers"),
]


def sectors():
    out = []
    for code, place in SECTOR_NAMES:
        n = int(code[1:])
        out.append(choice(code, T("Sector %d: %s" % (n, place),
                                  "Sektè %d: %s" % (n, place),
                                  "Secteur %d : %s" % (n, place),
                                  "Sector %d: %s" % (n, place))))
    return out


def phone_constraint():
    # A Chilean mobile: 9 XXXX XXXX, optionally after +56 / 56.
    return r"regex(., '^(\+?56 ?)?9 ?[0-9]{4} ?[0-9]{4}$')"


PHONE_MSG = T("Debe ser un celular chileno: 9 1234 5678 o +56 9 1234 5678.",
              "Se pou l yon nimewo selilè chilyen: 9 1234 5678 oswa +56 9 1234 5678.",
              "Il faut un numéro de portable chilien : 9 1234 5678 ou +56 9 1234 5678.",
              "Must be a Chilean mobile number: 9 1234 5678 or +56 9 1234 5678.")


def write_form(filename, form):
    path = os.path.join(FORMS, filename)
    text = json.dumps(form, ensure_ascii=False, indent=2) + "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path
