#!/usr/bin/env python3
"""Build gold/<k>.jsonl from the two passes plus an adjudication file.

Usage: build_gold.py RESOLUTIONS.tsv K [K ...]
       (writes gold/K.jsonl for each K, and prints counts)

RESOLUTIONS.tsv (tab-separated, '#' comments) has two kinds of rows:
  D  id party issue polarity source decision reason [field=value ...]
     a triple found by one pass only (source A or B); decision keep/drop/fix.
     keep/fix take that pass's statement; fix applies the field=value edits
     (act=, red_line=true/false, speaker=, quote=).
  F  id party issue polarity field=value|A|B ... [# reason]
     an agreed triple: by default every field comes from pass A's first statement
     carrying the triple; F rows pick B's value (field=B) or set a value.
     Field `pick=N` chooses statement N (0-based) of pass A (or `pick=B:N`).
Agreed triples are kept once (gold holds one statement per triple).
"""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from adjudicate_diff import load, triples

# another profile's corpus (corpus/<profile>) with REDLINE_CORPUS_ROOT; this one by default
ROOT = os.environ.get("REDLINE_CORPUS_ROOT") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
ORDER = ("party", "issue", "polarity", "act", "red_line", "speaker", "quote")


def parse_edits(items):
    out = {}
    for it in items:
        if "=" not in it:
            continue
        k, v = it.split("=", 1)
        if k == "red_line" and v in ("true", "false"):
            v = v == "true"
        out[k] = v
    return out


def read_resolutions(path):
    D, F = {}, {}
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if cols[0] == "D":
            _, aid, p, i, pol, src, dec, reason, *rest = cols
            D[(aid, p, i, pol, src)] = (dec, reason, parse_edits(rest))
        elif cols[0] == "F":
            _, aid, p, i, pol, *rest = cols
            rest = [c for c in rest if not c.startswith("#")]
            F.setdefault((aid, p, i, pol), {}).update(parse_edits(rest))
        else:
            raise SystemExit(f"{path}:{n}: bad row kind {cols[0]!r}")
    return D, F


def norm(s):
    return {k: s[k] for k in ORDER}


def build(k, D, F, used):
    arts = load(os.path.join(ROOT, "articles", k + ".jsonl"))
    pa = load(os.path.join(ROOT, "pass_a", k + ".jsonl"))
    pb = load(os.path.join(ROOT, "pass_b", k + ".jsonl"))
    out, missing = [], []
    for aid in sorted(arts):
        if aid not in pa or aid not in pb:
            print(f"WARNING: {aid} missing from pass {'A' if aid not in pa else 'B'}; treated as no statements", file=sys.stderr)
        ta = triples(pa.get(aid, {}).get("statements", []))
        tb = triples(pb.get(aid, {}).get("statements", []))
        stmts = []
        for t in sorted(set(ta) | set(tb)):
            if t in ta and t in tb:
                ed = dict(F.get((aid,) + t, {}))
                used.add(("F", aid) + t)
                pick = ed.pop("pick", "0")
                if pick.startswith("B:"):
                    s = dict(tb[t][int(pick[2:])])
                else:
                    s = dict(ta[t][int(pick)])
                for f, v in ed.items():
                    if v == "B":
                        v = tb[t][0][f]
                    elif v == "A":
                        v = ta[t][0][f]
                    s[f] = v
                stmts.append(norm(s))
            else:
                src = "A" if t in ta else "B"
                key = (aid,) + t + (src,)
                if key not in D:
                    missing.append(key)
                    continue
                used.add(("D",) + key)
                dec, reason, ed = D[key]
                if dec == "drop":
                    continue
                s = dict((ta if src == "A" else tb)[t][0])
                s.update(ed)
                stmts.append(norm(s))
        out.append({"id": aid, "statements": stmts})
    if missing:
        for m in missing:
            print("UNRESOLVED", "\t".join(m), file=sys.stderr)
        raise SystemExit(f"{k}: {len(missing)} unresolved disagreements; gold not written")
    os.makedirs(os.path.join(ROOT, "gold"), exist_ok=True)
    with open(os.path.join(ROOT, "gold", k + ".jsonl"), "w", encoding="utf-8") as f:
        for d in out:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(f"{k}: {len(out)} articles, {sum(len(d['statements']) for d in out)} statements")


def main():
    res, ks = sys.argv[1], sys.argv[2:]
    D, F = read_resolutions(res)
    used = set()
    for k in ks:
        build(k, D, F, used)
    # rows that matched nothing (typos) for the files built
    for key in D:
        if key[0].split("-")[0] in ks and ("D",) + key not in used:
            print("UNUSED D row:", key, file=sys.stderr)
    for key in F:
        if key[0].split("-")[0] in ks and ("F",) + key not in used:
            print("UNUSED F row:", key, file=sys.stderr)


if __name__ == "__main__":
    main()
