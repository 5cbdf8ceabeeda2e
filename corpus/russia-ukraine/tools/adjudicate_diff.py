#!/usr/bin/env python3
"""Compare two annotation passes per article on (party, issue, polarity) triples.

Usage: adjudicate_diff.py K [--root corpus/russia-ukraine] [--json] [--summary]
  K = file stem (k1, k2, k3...). Reads articles/K.jsonl, pass_a/K.jsonl, pass_b/K.jsonl.
Prints per article: agreed triples (with act/red_line/speaker/quote diffs), only-A, only-B.
--summary prints only micro P/R/F1 of B against A.
--json writes a machine-readable diff (one line per article) to stdout.
"""
import argparse, json, os, sys

FIELDS = ("act", "red_line", "speaker", "quote")


def load(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                d = json.loads(line)
                out[d["id"]] = d
    return out


def triples(stmts):
    """triple -> list of statements carrying it (a pass may repeat a triple)."""
    t = {}
    for s in stmts:
        t.setdefault((s["party"], s["issue"], s["polarity"]), []).append(s)
    return t


def diff_article(a_stmts, b_stmts):
    ta, tb = triples(a_stmts), triples(b_stmts)
    agreed, only_a, only_b = [], [], []
    for k in sorted(set(ta) | set(tb)):
        if k in ta and k in tb:
            diffs = {}
            for f in FIELDS:
                va = sorted({json.dumps(s.get(f)) for s in ta[k]})
                vb = sorted({json.dumps(s.get(f)) for s in tb[k]})
                if va != vb:
                    diffs[f] = ([json.loads(v) for v in va], [json.loads(v) for v in vb])
            agreed.append({"triple": k, "a": ta[k], "b": tb[k], "diffs": diffs})
        elif k in ta:
            only_a.append({"triple": k, "a": ta[k]})
        else:
            only_b.append({"triple": k, "b": tb[k]})
    return agreed, only_a, only_b


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("k")
    ap.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--text", action="store_true", help="also print quotes in full")
    args = ap.parse_args()
    arts = load(os.path.join(args.root, "articles", args.k + ".jsonl"))
    pa = load(os.path.join(args.root, "pass_a", args.k + ".jsonl"))
    pb = load(os.path.join(args.root, "pass_b", args.k + ".jsonl"))
    missing = [(n, set(arts) - set(p)) for n, p in (("A", pa), ("B", pb)) if set(arts) - set(p)]
    for n, m in missing:
        print(f"WARNING: pass {n} lacks {len(m)} articles: {sorted(m)[:10]}", file=sys.stderr)
    tp = fp = fn = 0
    n_field = {f: 0 for f in FIELDS}
    for aid in sorted(arts):
        agreed, only_a, only_b = diff_article(pa.get(aid, {}).get("statements", []),
                                              pb.get(aid, {}).get("statements", []))
        tp += len(agreed); fn += len(only_a); fp += len(only_b)
        for x in agreed:
            for f in x["diffs"]:
                n_field[f] += 1
        if args.summary:
            continue
        if args.json:
            print(json.dumps({"id": aid, "agreed": agreed, "only_a": only_a, "only_b": only_b},
                             ensure_ascii=False))
            continue
        if not (only_a or only_b or any(x["diffs"] for x in agreed)):
            continue
        print(f"== {aid}")
        for x in agreed:
            print("  AGREED", " ".join(x["triple"]))
            for f, (va, vb) in x["diffs"].items():
                if f == "quote" and not args.text:
                    va = [v[:90] for v in va]; vb = [v[:90] for v in vb]
                print(f"     {f}: A={va} B={vb}")
        for x in only_a:
            s = x["a"][0]
            print("  ONLY_A", " ".join(x["triple"]), s["act"], s["red_line"], "|", s["speaker"], "|", s["quote"])
        for x in only_b:
            s = x["b"][0]
            print("  ONLY_B", " ".join(x["triple"]), s["act"], s["red_line"], "|", s["speaker"], "|", s["quote"])
    p, r, f = prf(tp, fp, fn)
    if not args.json:
        print(f"# {args.k}: agreed={tp} only_A={fn} only_B={fp}  B vs A: P={p:.3f} R={r:.3f} F1={f:.3f}"
              f"  field diffs on agreed: {n_field}")


if __name__ == "__main__":
    main()
