#!/usr/bin/env python3
"""Counts the words of the corrected sentences of the train split of
ECSpell's official-document set (odw.train, MIT licence): how often each
word of 2-4 Han characters occurs in 公文 as it should be written
(`word<TAB>count`), and how often each pair of adjacent Han characters
does (`ab<TAB>p<TAB>count`), into crates/proof/data/train/domain.tsv. The
typo check uses the counts to tell an official-document word (征收, 巩固)
from a same-sounding word of other registers (正手, 肱骨), and the share of
a line's character pairs found there to tell whether a line reads like
official writing at all.

Only the train split is read; the test splits are never used. Sentences
are segmented with the PyPI package jieba (MIT), without its HMM.

    pip install jieba
    python3 crates/proof/scripts/gen_domain.py ../shared/eval/ecspell/odw.train \
        > crates/proof/data/train/domain.tsv

`--fold K/N` skips the sentences whose line number is K modulo N (counts
for tuning on the held-out fold K, as scripts/gen_pairs.py does).
"""

import re
import sys
from collections import Counter

import jieba


def main():
    args = sys.argv[1:]
    fold = None
    if args and args[0] == "--fold":
        fold = tuple(map(int, args[1].split("/")))
        args = args[2:]
    jieba.setLogLevel(60)
    counts = Counter()
    pairs = Counter()
    for i, line in enumerate(open(args[0], encoding="utf-8").read().splitlines()):
        if fold and i % fold[1] == fold[0]:
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            continue
        for a, b in zip(cols[2], cols[2][1:]):
            if re.fullmatch(r"[\u4e00-\u9fff]{2}", a + b):
                pairs[a + b] += 1
        for w in jieba.cut(cols[2], HMM=False):
            if 2 <= len(w) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", w):
                counts[w] += 1
    print("# word\tcount in the corrected sentences (ECSpell odw.train, MIT; scripts/gen_domain.py)")
    for w, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{w}\t{n}")
    for w, n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{w}\tp\t{n}")


main()
