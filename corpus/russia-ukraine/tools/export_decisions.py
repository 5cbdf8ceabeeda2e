#!/usr/bin/env python3
"""Write gold/decisions_k1k2.tsv (triple-level decisions) and gold/field_choices_k1k2.tsv
(act/red_line/speaker/quote choices on agreed triples) from the resolutions file and the built gold.

Usage: export_decisions.py RESOLUTIONS.tsv OUT_DECISIONS.tsv OUT_FIELDS.tsv K [K ...]
"""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from adjudicate_diff import load, diff_article
from build_gold import read_resolutions, ROOT


def clean(v):
    return str(v).replace("\t", " ").replace("\n", " ")


def main():
    res, out_d, out_f, ks = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    D, F = read_resolutions(res)
    with open(out_d, "w", encoding="utf-8") as f:
        f.write("id\tparty\tissue\tpolarity\tsource\tdecision\treason\n")
        for key in sorted(D):
            if key[0].split("-")[0] in ks:
                dec, reason, _ = D[key]
                f.write("\t".join(key) + f"\t{dec}\t{clean(reason)}\n")
    reasons = {}
    for line in open(res, encoding="utf-8"):
        cols = line.rstrip("\n").split("\t")
        if cols[0] == "F":
            r = [c for c in cols if c.startswith("#")]
            reasons[tuple(cols[1:5])] = r[0].lstrip("# ").strip() if r else ""
    with open(out_f, "w", encoding="utf-8") as f:
        f.write("id\tparty\tissue\tpolarity\tfield\tvalue_A\tvalue_B\tgold\treason\n")
        for k in ks:
            pa = load(os.path.join(ROOT, "pass_a", k + ".jsonl"))
            pb = load(os.path.join(ROOT, "pass_b", k + ".jsonl"))
            gold = load(os.path.join(ROOT, "gold", k + ".jsonl"))
            for aid in sorted(gold):
                g = {(s["party"], s["issue"], s["polarity"]): s for s in gold[aid]["statements"]}
                agreed, _, _ = diff_article(pa.get(aid, {}).get("statements", []),
                                             pb.get(aid, {}).get("statements", []))
                for x in agreed:
                    for fld, (va, vb) in x["diffs"].items():
                        f.write("\t".join([aid, *x["triple"], fld, clean(" || ".join(map(str, va))),
                                           clean(" || ".join(map(str, vb))), clean(g[x["triple"]][fld]),
                                           clean(reasons.get((aid, *x["triple"]), "default: pass A"))]) + "\n")


if __name__ == "__main__":
    main()
