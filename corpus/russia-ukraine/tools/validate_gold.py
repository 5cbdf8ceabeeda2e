#!/usr/bin/env python3
"""Validate gold/<k>.jsonl against the articles and the profile.

Usage: validate_gold.py [--dir gold|pass_a|pass_b] K [K ...]     (exit status 1 on any error)
Checks: one JSON object per line; ids unique, sorted, equal to articles/K.jsonl ids;
every statement has exactly the 7 fields with valid types/values; issue is one of the
guideline's ids (profiles/<profile>/issues.yaml minus curated-only ids);
party is in profiles/<profile>/parties.yaml (or, reported separately, in the
profile's lexicon.yaml extra_parties / another ISO 3166 alpha-3 state code, which the
guidelines allow); quote is a verbatim substring of the article text; no repeated
(party, issue, polarity) triple within an article.
"""
import json, os, re, sys
import yaml

# another profile's corpus (corpus/<profile>) with REDLINE_CORPUS_ROOT; this one by default
ROOT = os.environ.get("REDLINE_CORPUS_ROOT") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
PROFILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "profiles",
                       os.path.basename(os.path.normpath(ROOT)))
ACTS = {"demand", "propose", "accept", "reject", "other"}
FIELDS = ["party", "issue", "polarity", "act", "red_line", "speaker", "quote"]
CURATED_ONLY = {"alliance.eu"}  # issues.yaml: "Not one of the annotation guideline's 18 ids"


def main():
    issues = {i["id"] for i in yaml.safe_load(open(os.path.join(PROFILE, "issues.yaml")))["issues"]}
    issues -= CURATED_ONLY
    parties = {p["id"] for p in yaml.safe_load(open(os.path.join(PROFILE, "parties.yaml")))["parties"]}
    extra = set((yaml.safe_load(open(os.path.join(PROFILE, "lexicon.yaml"))) or {}).get("extra_parties", {}))
    errors, notes = [], {}
    args = sys.argv[1:]
    folder = "gold"
    if args[:1] == ["--dir"]:
        folder, args = args[1], args[2:]
    for k in args:
        arts = [json.loads(l) for l in open(os.path.join(ROOT, "articles", k + ".jsonl"), encoding="utf-8")]
        text = {a["id"]: a["text"] for a in arts}
        gold_path = os.path.join(ROOT, folder, k + ".jsonl")
        ids, n = [], 0
        for ln, line in enumerate(open(gold_path, encoding="utf-8"), 1):
            where = f"{k}:{ln}"
            try:
                d = json.loads(line)
            except ValueError as e:
                errors.append(f"{where}: not JSON ({e})"); continue
            if set(d) != {"id", "statements"}:
                errors.append(f"{where}: keys {sorted(d)}")
            ids.append(d.get("id"))
            seen = set()
            for j, s in enumerate(d.get("statements", [])):
                w = f"{where} {d.get('id')} #{j}"
                n += 1
                if list(s) != FIELDS:
                    errors.append(f"{w}: fields {list(s)}"); continue
                if s["issue"] not in issues:
                    errors.append(f"{w}: unknown issue {s['issue']}")
                if s["polarity"] not in ("for", "against"):
                    errors.append(f"{w}: polarity {s['polarity']}")
                if s["act"] not in ACTS:
                    errors.append(f"{w}: act {s['act']}")
                if not isinstance(s["red_line"], bool):
                    errors.append(f"{w}: red_line {s['red_line']!r}")
                if not (isinstance(s["speaker"], str) and s["speaker"].strip()):
                    errors.append(f"{w}: empty speaker")
                if s["party"] not in parties:
                    if s["party"] in extra:
                        notes.setdefault("in lexicon.yaml extra_parties", set()).add(s["party"])
                    elif re.fullmatch(r"[A-Z]{3}", s["party"]):
                        notes.setdefault("ISO alpha-3 state, not in the profile", set()).add(s["party"])
                    else:
                        errors.append(f"{w}: unknown party {s['party']}")
                q = s["quote"]
                if not (isinstance(q, str) and q.strip() and q in text.get(d.get("id"), "")):
                    errors.append(f"{w}: quote not verbatim in article text")
                t = (s["party"], s["issue"], s["polarity"])
                if t in seen:
                    errors.append(f"{w}: repeated triple {t}")
                seen.add(t)
        want = [a["id"] for a in arts]
        if len(ids) != len(set(ids)):
            errors.append(f"{k}: duplicate ids")
        if ids != sorted(ids):
            errors.append(f"{k}: ids not sorted")
        if sorted(ids) != sorted(want):
            errors.append(f"{k}: ids differ from articles (missing {sorted(set(want)-set(ids))[:5]}, extra {sorted(set(ids)-set(want))[:5]})")
        print(f"{k}: {len(ids)} lines, {n} statements checked")
    for kind, ps in sorted(notes.items()):
        print(f"note: parties {kind}: {' '.join(sorted(ps))}")
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} errors")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
