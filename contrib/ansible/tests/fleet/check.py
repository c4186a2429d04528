"""Checks one phase of the fleet test against what ansible-playbook reported.

usage: check.py PHASE RESULTS_DIR PLAYBOOK_OUTPUT FLEET_JSON

RESULTS_DIR holds each host's result of the bot task as JSON (Ansible's tree callback), and
PLAYBOOK_OUTPUT is what ansible-playbook printed, with its recap.

FLEET_JSON describes the hosts ({"hosts": {NAME: {"home": ..., "backend": ...}}}) and keeps,
between phases, the program's PID on each host ("pids"). Prints one line per check and exits 1
when one fails.
"""

from __future__ import absolute_import, division, print_function

import json
import os
import re
import subprocess
import sys
import time

__metaclass__ = type

# What each phase must show: which hosts report changed, and the state each is left in.
PHASES = {
    'install': dict(changed='all', state='running', pids='new'),
    'again': dict(changed='none', state='running', pids='same'),
    'check-diff': dict(changed='all', state='running', pids='same', diff='--new-flag'),
    'one-host': dict(changed=['beta'], state='running', pids='new-on-changed'),
    'stopped': dict(changed='all', state='stopped', pids='none'),
    'stopped-again': dict(changed='none', state='stopped', pids='none'),
    'restarted': dict(changed='all', state='running', pids='new'),
    'absent': dict(changed='all', state='not-installed', pids='none', left='nothing'),
    'absent-again': dict(changed='none', state='not-installed', pids='none', left='nothing'),
}


class Checks(object):
    def __init__(self, phase):
        self.phase = phase
        self.failures = 0

    def check(self, ok, what, detail=''):
        print('%s %s: %s%s' % ('ok  ' if ok else 'FAIL', self.phase, what, '' if ok else ' -- %s' % detail))
        self.failures += 0 if ok else 1
        return ok


def task_results(folder):
    """The bot task's result per host."""
    results = {}
    for name in os.listdir(folder) if os.path.isdir(folder) else []:
        with open(os.path.join(folder, name)) as handle:
            results[name] = json.load(handle)
    return results


def host_diffs(output):
    """What the default callback printed before each host's "changed: [host]" line (its --diff)."""
    diffs, block = {}, []
    for line in output.splitlines(True):
        match = re.match(r'^(?:changed|ok): \[([^]]+)\]', line)
        if match:
            diffs[match.group(1)] = ''.join(block)
            block = []
        elif line.startswith('TASK ['):
            block = []
        else:
            block.append(line)
    return diffs


def recap(output):
    """The PLAY RECAP counts per host: {'alpha': {'ok': 1, 'changed': 0, ...}}."""
    stats = {}
    for line in output.splitlines():
        match = re.match(r'^(\S+)\s+:\s+((?:\w+=\d+\s*)+)$', line.strip())
        if match:
            stats[match.group(1)] = dict((key, int(value)) for key, value in re.findall(r'(\w+)=(\d+)', match.group(2)))
    return stats


def files_under(folder):
    found = []
    for root, _dirs, files in os.walk(folder):
        found.extend(os.path.join(root, name) for name in files)
    return found


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def program_pid(host, limit=30):
    """The program's PID from `ductor service status --json` on the host, once it is known (None after `limit` s)."""
    argv = host['ductor'] + ['service', 'status', '--json', '--name', 'fleet-bot']
    env = dict(os.environ, HOME=host['home'], DUCTOR_HOME=os.path.join(host['home'], '.ductor'), **host.get('env', {}))
    deadline = time.time() + limit
    while time.time() < deadline:
        run = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        pid = json.loads(run.stdout or b'{}').get('pid')
        if pid is not None:
            return pid
        time.sleep(0.1)
    return None


def check_host(t, expect, name, host, result, old_pid, diffs):
    """Checks one host's result; returns the program's PID now."""
    should_change = expect['changed'] == 'all' or name in (expect['changed'] if isinstance(expect['changed'], list) else [])
    t.check(not result.get('failed'), '%s: the task succeeded' % name, result.get('msg', ''))
    t.check(result.get('changed') == should_change, '%s: changed is %s' % (name, should_change), result.get('changed'))
    status = result.get('status') or {}
    t.check(status.get('state') == expect['state'], '%s: state %s' % (name, expect['state']), status.get('state'))
    t.check(result.get('backend') == host['backend'], '%s: backend %s' % (name, host['backend']), result.get('backend'))
    pid = status.get('pid')
    rule = expect['pids']
    if rule == 'none':
        t.check(pid is None, '%s: no program runs' % name, pid)
        if old_pid:
            t.check(not pid_alive(old_pid), '%s: the old program %s is gone' % (name, old_pid))
    elif rule == 'same' or (rule == 'new-on-changed' and not should_change):
        t.check(pid == old_pid, '%s: the same program runs (pid %s)' % (name, old_pid), pid)
    else:
        if pid is None and status.get('state') == 'running':
            pid = program_pid(host)  # the runner is up; its program may not be recorded yet
        t.check(pid is not None and pid != old_pid, '%s: a new program runs' % name, '%s -> %s' % (old_pid, pid))
    if 'diff' in expect:
        shown = diffs.get(name, '')
        added = [line for line in shown.splitlines() if line.startswith('+') and not line.startswith('+++')]
        t.check(any(expect['diff'] in line for line in added) and '+++ after: ' + host['home'] + '/' in shown,
                '%s: --diff shows the new argument in the definition' % name, shown)
    if expect.get('left') == 'nothing':
        left = files_under(os.path.join(host['home'], '.ductor'))
        left += [path for path in host.get('definitions', []) if os.path.exists(path)]
        t.check(not left, '%s: nothing is left behind' % name, left)
    if status.get('state') == 'running' and result.get('definition'):
        host['definitions'] = [item['path'] for item in result['definition']]
    return pid


def main():
    phase, results_dir, output_path, fleet_path = sys.argv[1:5]
    expect = PHASES[phase]
    t = Checks(phase)
    with open(output_path) as handle:
        output = handle.read()
    stats, diffs = recap(output), host_diffs(output)
    with open(fleet_path) as handle:
        fleet = json.load(handle)
    results = task_results(results_dir)
    pids = fleet.setdefault('pids', {})
    for name in sorted(fleet['hosts']):
        host = fleet['hosts'][name]
        result = results.get(name)
        if not t.check(result is not None, '%s: the play reached the host' % name, json.dumps(stats.get(name))):
            continue
        pids[name] = check_host(t, expect, name, host, result, pids.get(name), diffs)
        host_stats = stats.get(name, {})
        changed = 1 if expect['changed'] == 'all' or name in (expect['changed'] if isinstance(expect['changed'], list) else []) else 0
        t.check(host_stats.get('failed', 1) == 0 and host_stats.get('unreachable', 1) == 0
                and host_stats.get('changed') == changed, '%s: the recap says changed=%d, no failure' % (name, changed),
                host_stats)
    with open(fleet_path, 'w') as handle:
        json.dump(fleet, handle, indent=2)
    return 1 if t.failures else 0


if __name__ == '__main__':
    sys.exit(main())
