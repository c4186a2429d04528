#!/usr/bin/env python3
"""Every relative link in README.md and docs/ names a file that exists and,
with a #fragment, a heading or an anchor in it.

    check_links.py ROOT         check ROOT/README.md and ROOT/docs/*.md, *.adoc
    check_links.py --self-test  show that a broken file and a broken anchor fail

Markdown links are [text](target) (outside code); AsciiDoc links are
link:target[text] and <<id>>. Markdown anchors are GitHub's heading slugs;
AsciiDoc anchors are [[id]] and [#id] and the ids asciidoctor gives headings.
"""
import re
import sys
import tempfile
from pathlib import Path

MD_LINK = re.compile(r"(?<!!)\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)\)")
ADOC_LINK = re.compile(r"link:([^\s\[]+)\[")
ADOC_XREF = re.compile(r"<<([^,>]+)(?:,[^>]*)?>>")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def without_code(text, adoc, inline=True):
    """The text with fenced/listing blocks (and inline code) blanked out."""
    fence = re.compile(r"^(```|~~~|----)\s*$") if adoc else re.compile(r"^(```|~~~)")
    lines, inside = [], False
    for line in text.split("\n"):
        if fence.match(line.strip() if not adoc else line):
            inside = not inside
            lines.append("")
            continue
        lines.append("" if inside else re.sub(r"`[^`]*`", "``", line) if inline else line)
    return lines


def github_slug(heading):
    text = re.sub(r"`|\*\*|__", "", heading.strip()).lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def asciidoctor_id(title):
    text = re.sub(r"[*_`+]", "", title).lower()
    text = re.sub(r"&[a-z]+;|<[^>]*>", "", text)
    text = re.sub(r"[^\w]+", "_", text).strip("_")
    return "_" + text


def anchors(path, cache={}):
    if path in cache:
        return cache[path]
    found = set()
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".adoc":
        found.update(re.findall(r"\[\[([^\],]+)(?:,[^\]]*)?\]\]", text))
        found.update(re.findall(r"^\[#([\w-]+)", text, re.M))
        for line in without_code(text, True, inline=False):
            m = re.match(r"^=+ (.+)$", line)
            if m:
                found.add(asciidoctor_id(m.group(1)))
    else:
        seen = {}
        for line in without_code(text, False, inline=False):
            m = re.match(r"^#{1,6} (.+?)\s*#*$", line)
            if not m:
                continue
            slug = github_slug(m.group(1))
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            found.add(slug if n == 0 else f"{slug}-{n}")
        found.update(re.findall(r"<a\s+(?:name|id)=\"([^\"]+)\"", text))
    cache[path] = found
    return found


def links(path):
    adoc = path.suffix == ".adoc"
    for number, line in enumerate(without_code(path.read_text(encoding="utf-8"), adoc), 1):
        targets = ADOC_LINK.findall(line) + ["#" + x for x in ADOC_XREF.findall(line)] if adoc else MD_LINK.findall(line)
        for target in targets:
            yield number, target


def check(root):
    files = [root / "README.md"] + sorted((root / "docs").glob("*.md")) + sorted((root / "docs").glob("*.adoc"))
    problems, count = [], 0
    for path in files:
        for number, target in links(path):
            if EXTERNAL.match(target):
                continue
            count += 1
            where = f"{path.relative_to(root)}:{number}: {target}"
            file_part, _, fragment = target.partition("#")
            linked = (path.parent / file_part).resolve() if file_part else path
            if not linked.exists():
                problems.append(f"{where}: no such file")
            elif fragment and linked.is_file() and linked.suffix in (".md", ".adoc"):
                if fragment not in anchors(linked):
                    problems.append(f"{where}: no heading or anchor '{fragment}' in {linked.name}")
    return count, problems


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "docs").mkdir()
        (root / "README.md").write_text(
            "# Top\n\n[ok](docs/a.md#a-heading) [ok](docs/g.adoc#files) [gone](docs/missing.md)\n"
            "`[code](docs/nothere.md)`\n```\n[code](docs/nothere.md)\n```\n")
        (root / "docs" / "a.md").write_text("## A `heading`\n\n[bad anchor](../README.md#nowhere) [ok](#a-heading)\n")
        (root / "docs" / "g.adoc").write_text("= g(1)\n\n[[files]]\n== FILES\n\nlink:a.md[] link:b.md[] <<files>> <<_files>>\n")
        _, problems = check(root)
        expected = {"README.md:3: docs/missing.md: no such file",
                    "docs/a.md:3: ../README.md#nowhere: no heading or anchor 'nowhere' in README.md",
                    "docs/g.adoc:6: b.md: no such file"}
        if set(problems) != expected:
            print("FAILED: the checker found", problems, "instead of", sorted(expected))
            return 1
        print("the checker finds exactly the three broken links it was given")
        return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__)
        return 2
    count, problems = check(Path(argv[1]).resolve())
    for p in problems:
        print(p)
    if problems:
        print(f"FAILED: {len(problems)} of {count} relative links do not resolve")
        return 1
    print(f"{count} relative links resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
