#!/usr/bin/env python3
"""Derive src/layout/dict/words.txt from jieba's dictionary (dict.txt of the jieba-rs crate).

    scripts/words.py PATH/TO/jieba-rs-0.11.0/src/data/dict.txt > src/layout/dict/words.txt

Each output line is `WORD COST`: the words made only of Han characters, in UTF-8 byte order (the
order an fst wants), and COST = round(1000 * ln(TOTAL / FREQ)), the word's negative log
probability in thousandths, so that segmentation adds integers and gives the same result on every
platform. Counts of a word listed twice are added; TOTAL is the sum of all counts in the file.
"""
import math
import re
import sys

HAN = re.compile(r"^[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+$")

counts = {}
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        word, count, *_ = line.split()
        counts[word] = counts.get(word, 0) + int(count)
total = sum(counts.values())
print(f"total {total}: a character seen once costs {round(1000 * math.log(total))}", file=sys.stderr)
for word, count in sorted(counts.items(), key=lambda kv: kv[0].encode("utf-8")):
    if HAN.match(word):
        print(f"{word} {round(1000 * math.log(total / count))}")
