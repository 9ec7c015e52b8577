#!/usr/bin/env python3
"""Derives the character-pair confusion prior of the typo check
(crates/proof/data/train/pairs.tsv) from the train split of ECSpell's
official-document set (odw.train, MIT licence): for every wrong character
of a sentence, the pair (written, meant), how often it occurs, and how
often the written character occurs in the source sentences at all (so the
typo check can tell a character that is often a slip, 冶 for 治, from a
common one that only sometimes is, 不 for 部).

Only the train split is read; the test splits are never used.

    python3 crates/proof/scripts/gen_pairs.py ../shared/eval/ecspell/odw.train \
        > crates/proof/data/train/pairs.tsv

`--fold K/N` keeps only the sentences whose line number is not K modulo N
(the pairs for tuning on the held-out fold K, see docs/proofreading.md);
`--held-out K/N` writes those held-out sentences instead (a CSC file).
"""

import sys
from collections import Counter


def main():
    args = sys.argv[1:]
    fold = held = None
    if args and args[0] in ("--fold", "--held-out"):
        k, n = map(int, args[1].split("/"))
        if args[0] == "--fold":
            fold = (k, n)
        else:
            held = (k, n)
        args = args[2:]
    lines = open(args[0], encoding="utf-8").read().splitlines()
    if held:
        for i, line in enumerate(lines):
            if i % held[1] == held[0]:
                print(line)
        return
    pairs = Counter()
    seen = Counter()
    for i, line in enumerate(lines):
        if fold and i % fold[1] == fold[0]:
            continue
        cols = line.split("\t")
        if len(cols) < 3 or len(cols[1]) != len(cols[2]):
            continue
        seen.update(cols[1])
        for a, b in zip(cols[1], cols[2]):
            if a != b:
                pairs[(a, b)] += 1
    print("# written\tmeant\tcount\twritten in all (ECSpell odw.train, MIT; scripts/gen_pairs.py)")
    for (a, b), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{a}\t{b}\t{n}\t{seen[a]}")


main()
