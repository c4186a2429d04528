#!/usr/bin/env bash
# ansible-test sanity for the collection, offline.
#
# ansible-test runs every sanity test that needs no Python package of its own: those it runs in a
# virtual environment without requirements. The tests whose requirements ansible-test would fetch
# from PyPI into their own virtual environments (validate-modules, pep8, pylint, yamllint,
# ansible-doc) run here the same way ansible-test runs them — its own scripts, configuration and
# plugins — with Debian's packages instead (python3-voluptuous, python3-pycodestyle, pylint,
# yamllint; ansible-doc comes with ansible-core). Entries of tests/sanity/ignore-X.Y.txt hold for
# both.
#
# usage: sanity.sh
# Without ansible-test (Debian: ansible-core) or the packages above it prints SKIPPED and exits 77,
# except with CI=true, where a skip is a failure.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8

skip() {
    if [ "${CI:-}" = "true" ]; then
        echo "FAILED: CI=true and the sanity test cannot run: $1"
        exit 1
    fi
    echo "SKIPPED: $1"
    exit 77
}

HERE=$(cd "$(dirname "$0")" && pwd)
COLLECTION=$(cd "$HERE/.." && pwd)
command -v ansible-test >/dev/null || skip "ansible-test is not installed (Debian package ansible-core)"
PYTHON=/usr/bin/python3
for module in voluptuous pycodestyle pylint yamllint; do
    "$PYTHON" -c "import $module" 2>/dev/null || skip "the Python module $module is not installed (see scripts/install-deps.sh)"
done
ANSIBLE_TEST=$("$PYTHON" -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')
SANITY="$ANSIBLE_TEST/_util/controller/sanity"
VERSION=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
ANSIBLE_VERSION=$("$PYTHON" -c 'from ansible.release import __version__; print(".".join(__version__.split(".")[:2]))')

WORK=$(mktemp -d /tmp/ductor-sanity.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/ansible_collections/ductor/service"
mkdir -p "$ROOT" && cp -r "$COLLECTION/." "$ROOT/" && cd "$ROOT" || exit 1
export ANSIBLE_COLLECTIONS_PATH="$WORK" ANSIBLE_HOME="$WORK/ansible-home" HOME="$WORK/home"
mkdir -p "$HOME"

failures=0
run() {
    local name=$1
    shift
    if "$@" >"$WORK/out" 2>&1; then
        echo "ok   $name"
    else
        echo "FAIL $name"
        cat "$WORK/out"
        failures=$((failures + 1))
    fi
}

offline_tests=(action-plugin-docs compile empty-init future-import-boilerplate ignores line-endings
    metaclass-boilerplate no-assert no-basestring no-dict-iteritems no-dict-iterkeys no-dict-itervalues
    no-get-exception no-illegal-filenames no-main-display no-smart-quotes no-unicode-literals replace-urlopen
    shebang symlinks use-argspec-type-path use-compat-six)
command -v shellcheck >/dev/null && offline_tests+=(shellcheck)
args=()
for test in "${offline_tests[@]}"; do args+=(--test "$test"); done
run "ansible-test sanity (${offline_tests[*]})" \
    ansible-test sanity --python "$VERSION" --python-interpreter "$PYTHON" --color no "${args[@]}"

# validate-modules, with the codes the ignore file names for it taken out.
ignores="tests/sanity/ignore-$ANSIBLE_VERSION.txt"
validate_modules() {
    "$PYTHON" "$SANITY/validate-modules/validate.py" --format json --arg-spec \
        --collection ansible_collections/ductor/service --collection-version "$(sed -n 's/^version: //p' galaxy.yml)" \
        plugins/modules/*.py >"$WORK/validate.json"
    [ $? -le 3 ] || return 1
    "$PYTHON" - "$WORK/validate.json" "$ignores" <<'EOF'
import json, os, sys
ignored = set()
if os.path.exists(sys.argv[2]):
    for line in open(sys.argv[2]):
        path, _, test = line.split('#')[0].strip().partition(' ')
        if test.startswith('validate-modules:'):
            ignored.add((path, test.split(':', 1)[1]))
errors = [(path, e) for path, found in json.load(open(sys.argv[1])).items() for e in found['errors']
          if (path, e['code']) not in ignored]
for path, e in errors:
    print('%s:%s:%s: %s %s' % (path, e.get('line', 0), e.get('column', 0), e['code'], e['msg']))
sys.exit(1 if errors else 0)
EOF
}
run "validate-modules (Debian's voluptuous)" validate_modules

python_files=$(find plugins tests -name '*.py' | sort)
# shellcheck disable=SC2086
run "pep8 (Debian's pycodestyle)" "$PYTHON" -m pycodestyle --max-line-length 160 --config /dev/null \
    --ignore "$(paste -sd, "$SANITY/pep8/current-ignore.txt")" $python_files

pylint_check() {
    local output
    # shellcheck disable=SC2086
    output=$(env ANSIBLE_TEST_MODULES_PATH="$ROOT/plugins/modules/" ANSIBLE_TEST_MODULE_UTILS_PATH="$ROOT/plugins/module_utils/" \
        PYTHONPATH="$SANITY/pylint/plugins:$WORK" PYLINTHOME="$WORK/pylint" \
        "$PYTHON" -m pylint --jobs 0 --reports n --max-line-length 160 --max-complexity 20 \
        --rcfile "$SANITY/pylint/config/collection.cfg" --output-format parseable \
        --load-plugins deprecated,pylint.extensions.mccabe,string_format,unwanted \
        --collection-name ductor.service --collection-version 0.1.0 $python_files 2>&1)
    local status=$?
    echo "$output"
    [ $status -eq 0 ]
}
run "pylint (Debian's pylint, ansible-test's configuration and plugins)" pylint_check

yaml_check() {
    find . -name '*.yml' -o -name '*.yaml' | sed 's|^\./||' | sort >"$WORK/yaml-files"
    find plugins -name '*.py' >>"$WORK/yaml-files"  # their DOCUMENTATION, EXAMPLES and RETURN
    "$PYTHON" "$SANITY/yamllint/yamllinter.py" <"$WORK/yaml-files" >"$WORK/yamllint.json" || return 1
    "$PYTHON" -c 'import json, sys; m = json.load(open(sys.argv[1]))["messages"]; [print(x) for x in m]; sys.exit(1 if m else 0)' \
        "$WORK/yamllint.json"
}
run "yamllint (Debian's yamllint)" yaml_check

ansible_doc_check() {
    ansible-doc -t module ductor.service.ductor_service >/dev/null &&
        ansible-doc --json -t module ductor.service.ductor_service >"$WORK/doc.json" &&
        "$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1]))["ductor.service.ductor_service"]; sys.exit(0 if d["doc"] and d["examples"] and d["return"] else 1)' \
            "$WORK/doc.json"
}
run "ansible-doc" ansible_doc_check

[ "$failures" -eq 0 ] || { echo "FAILED: $failures sanity check(s)"; exit 1; }
echo "PASSED: ansible-test sanity ${#offline_tests[@]} tests, validate-modules, pep8, pylint, yamllint, ansible-doc"
