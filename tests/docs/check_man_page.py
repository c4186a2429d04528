#!/usr/bin/env python3
"""The man page ductor(1) keeps up with the program.

    check_man_page.py options DUCTOR MAN_PAGE EXIT_CODE_HPP
        every command, service action and option that the program's own --help
        texts list, and every DUCTOR_* variable they name, appears in the
        rendered page; every exit code that EXIT_CODE_HPP defines is a term of
        its EXIT STATUS section.
    check_man_page.py renders MAN_PAGE
        `man --warnings -l` and `groff -ww -z` render it without a warning.

The options are read from the program: `ductor --help` lists the commands,
`ductor service --help` the actions, and each `--help` its options; where the
program has its option listing (`ductor __complete options`: one line per
command and option, tab-separated), every option it lists is checked too. When the
man page was not built (asciidoctor missing) this prints SKIPPED and exits 77,
or fails when CI=true.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

ENV = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="200", MAN_KEEP_FORMATTING="", COLUMNS="200")


def skip_or_fail(reason):
    if os.environ.get("CI") == "true":
        print(f"FAILED: {reason} (CI=true: a skip is a failure)")
        return 1
    print(f"SKIPPED: {reason}")
    return 77


def run(argv):
    result = subprocess.run(argv, capture_output=True, text=True, env=ENV, timeout=60)
    return result


def help_text(ductor, *words):
    result = run([ductor, *words, "--help"])
    if result.returncode != 0:
        raise SystemExit(f"FAILED: {' '.join(['ductor', *words, '--help'])} exited {result.returncode}: {result.stderr}")
    return result.stdout


def commands(top_help):
    """The commands the top help's Usage block lists: '  ductor [OPTIONS] NAME ...'."""
    return re.findall(r"^\s+ductor \[OPTIONS\] ([a-z][a-z-]*)", top_help, re.M)


def actions(service_help):
    """The actions of 'ductor service --help': the words before the description of each line
    of its Actions block ('  start | stop | restart   control ...')."""
    block = service_help.split("Actions:", 1)[1].split("\n\n", 1)[0]
    found = []
    for line in block.split("\n"):
        m = re.match(r"^  ([a-z][a-z| -]*?)(?:\s--|\s\[|\s{2,})", line)
        if m:
            found += [w for w in re.split(r"\s*\|\s*", m.group(1).strip()) if w]
    return found


def options(help_text):
    """Every option of the option tables (boost lines such as '  -n [ --lines ] N   show ...')."""
    found = set()
    for line in help_text.split("\n"):
        m = re.match(r"^\s+(-[A-Za-z] \[ )?(--[a-z][a-z0-9-]*)", line)
        if m:
            found.add(m.group(2))
            if m.group(1):
                found.add(m.group(1)[:2])
    return found


def listed_options(ductor):
    """{command words: options} from `ductor __complete options`, or {} without it."""
    result = run([ductor, "__complete", "options"])
    listed = {}
    if result.returncode != 0:
        return listed
    for line in result.stdout.split("\n"):
        if "\t" in line:
            where, option = line.split("\t", 1)
            listed.setdefault(where, set()).add(option.strip())
    return listed


def rendered(man_page):
    result = run(["man", "-l", str(man_page)])
    if result.returncode != 0:
        raise SystemExit(f"FAILED: man -l {man_page} exited {result.returncode}: {result.stderr}")
    # groff may print a minus or a hyphen as U+2212 or U+2010.
    return result.stdout.replace("\u2212", "-").replace("\u2010", "-")


def section(text, title):
    m = re.search(rf"^{re.escape(title)}\n(.*?)(?=^[A-Z][A-Z ]+\n|\Z)", text, re.M | re.S)
    return m.group(1) if m else ""


def has_word(text, word):
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def check_options(ductor, man_page, exit_code_hpp):
    page = rendered(man_page)
    top = help_text(ductor)
    texts = {"ductor": top}
    names = commands(top)
    if not names:
        return fail("ductor --help lists no command")
    for name in names:
        texts[f"ductor {name}"] = help_text(ductor, name)
    service_actions = actions(texts.get("ductor service", ""))
    if "service" in names and not service_actions:
        return fail("ductor service --help lists no action")
    for action in service_actions:
        texts[f"ductor service {action}"] = help_text(ductor, "service", action)

    missing = []
    for name in names:
        if not re.search(rf"^\s+ductor {name}\b", page, re.M):
            missing.append(f"the command 'ductor {name}' has no section")
    service_part = section(page, "SERVICE COMMANDS")
    for action in service_actions:
        if not has_word(service_part, action):
            missing.append(f"the action 'service {action}' is not in SERVICE COMMANDS")
    found = {f"'{where} --help'": options(text) for where, text in texts.items()}
    for where, listed in listed_options(ductor).items():
        found[f"'ductor __complete options' ({where})"] = listed
    all_options = set()
    for where, listed in found.items():
        for option in sorted(listed):
            all_options.add(option)
            if not has_word(page, option):
                missing.append(f"{option} (from {where}) is not in the page")
    variables = set()
    for text in texts.values():
        variables.update(re.findall(r"\b(DUCTOR_[A-Z_]+|INVOCATION_ID)\b", text))
    environment = section(page, "ENVIRONMENT")
    for variable in sorted(variables):
        if not has_word(environment, variable):
            missing.append(f"the variable {variable} (named by --help) is not in ENVIRONMENT")

    codes = re.findall(r"^\s*[a-z_]+\s*=\s*(\d+)\s*,", Path(exit_code_hpp).read_text(), re.M)
    if not codes:
        return fail(f"no exit code found in {exit_code_hpp}")
    exit_status = section(page, "EXIT STATUS")
    for code in codes:
        if not re.search(rf"^\s+{code}\s*$", exit_status, re.M):
            missing.append(f"exit code {code} ({exit_code_hpp}) is not a term of EXIT STATUS")

    for m in missing:
        print(f"missing: {m}")
    if missing:
        return fail(f"the man page lacks {len(missing)} things the program has")
    print(f"{len(names)} commands, {len(service_actions)} service actions, {len(all_options)} options, "
          f"{len(variables)} variables and {len(codes)} exit codes: all in the man page")
    return 0


def check_renders(man_page):
    problems = []
    result = run(["man", "--warnings", "-l", str(man_page)])
    if result.returncode != 0 or result.stderr.strip():
        problems.append(f"man --warnings -l exited {result.returncode}: {result.stderr.strip()}")
    result = run(["groff", "-ww", "-z", "-t", "-man", str(man_page)])
    if result.returncode != 0 or result.stderr.strip():
        problems.append(f"groff -ww -z exited {result.returncode}: {result.stderr.strip()}")
    for p in problems:
        print(p)
    if problems:
        return fail("the man page does not render cleanly")
    print("man and groff render the man page without a warning")
    return 0


def fail(message):
    print(f"FAILED: {message}")
    return 1


def main(argv):
    if len(argv) == 5 and argv[1] == "options":
        man_page = Path(argv[3])
    elif len(argv) == 3 and argv[1] == "renders":
        man_page = Path(argv[2])
    else:
        print(__doc__)
        return 2
    if not man_page.is_file():
        return skip_or_fail(f"{man_page} was not built (asciidoctor was not found when configuring)")
    for tool in ("man", "groff"):
        if subprocess.run(["sh", "-c", f"command -v {tool}"], capture_output=True).returncode != 0:
            return skip_or_fail(f"{tool} is missing (scripts/install-deps.sh installs it)")
    if argv[1] == "options":
        return check_options(argv[2], man_page, argv[4])
    return check_renders(man_page)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
