#!/usr/bin/python
# -*- coding: utf-8 -*-

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ductor_service
short_description: Run a program as a per-user background service with ductor
version_added: 0.1.0
description:
  - Installs, updates, starts, stops, restarts or removes a per-user background service with
    C(ductor), which uses whatever service manager the host has — a systemd user unit, a launchd
    LaunchAgent, or ductor's own detached runner (the C(standalone) backend) where no manager runs,
    as in containers and WSL.
  - Whether anything changed comes from ductor's own comparison of the definition it would write
    with the one on disk, of its install record, and of the running state. When they match nothing
    is written and nothing is restarted, and the task reports C(ok).
  - The service belongs to the user the task runs as (C(remote_user) or C(become_user)). Its
    environment decides where ductor keeps its files, for example C(DUCTOR_HOME); set it with the
    task's C(environment) keyword.
options:
  name:
    description:
      - The service's name, as C(ductor service --name) takes it.
      - Letters, digits, C(.), C(_) and C(-); at most 64 characters.
    type: str
    required: true
  command:
    description:
      - The program and its arguments as a list (an argv, never a shell string). The program is
        looked up on the task's C(PATH) and recorded as an absolute path.
      - Needed to install or update the service. Without it, I(state) applies to the service as it
        was installed, which must exist unless I(state=absent).
    type: list
    elements: str
  env:
    description:
      - Environment variables for the program, added to ductor's defaults (C(PATH), C(HOME),
        C(DUCTOR_SUPERVISOR=1)); a key such as C(PATH) replaces the default. Values are turned
        into strings.
      - The whole set, applied in key order; a variable left out is removed from the service.
      - Values are part of the service definition and so of the diff; use C(no_log) on a task that
        passes secrets, or turn its diff off (the C(diff) keyword).
    type: dict
    default: {}
  workdir:
    description: The program's working directory; it must exist.
    type: path
  description:
    description: One line the service manager shows for the service.
    type: str
  restart:
    description: When the program is started again after it ended.
    type: str
    choices: [never, on-failure, always]
    default: on-failure
  restart_delay:
    description: Seconds to wait before a restart; the backend's default when omitted (systemd 5 s).
    type: int
  log_dir:
    description: Folder for the service's file logs (default C(~/.ductor/logs)).
    type: path
  enable_linger:
    description: On systemd, keep the user's services running after logout (C(loginctl enable-linger)).
    type: bool
    default: false
  state:
    description:
      - C(started) installs or updates the service when I(command) is given and makes sure it runs.
      - C(stopped) installs or updates it when I(command) is given and makes sure it does not run. A
        service that has to be installed or updated first runs for a moment, because an install
        starts it.
      - C(restarted) restarts it. With I(command), an update (which restarts it) counts as the
        restart. Always reports C(changed).
      - C(absent) stops the service and removes everything its install wrote.
    type: str
    choices: [started, stopped, restarted, absent]
    default: started
  backend:
    description:
      - The ductor backend to use (C(systemd), C(launchd), C(standalone), ...) instead of the
        automatic choice, which takes the host's native manager when it is usable.
      - A service stays with the backend it was installed with; installing it with another one fails
        until it is removed.
    type: str
  ductor:
    description: Path of the C(ductor) executable on the host; looked up on C(PATH) when omitted.
    type: path
extends_documentation_fragment:
  - action_common_attributes
attributes:
  check_mode:
    support: full
    details: ductor's C(--dry-run) tells what would change; nothing is written or run.
  diff_mode:
    support: full
    details: Shows each changed file of the service definition and a change of the running state.
  platform:
    platforms: posix
notes:
  - Needs C(ductor) on the managed host. Windows hosts are not supported by this module (it is
    written in Python); run C(ductor) there with M(ansible.windows.win_command).
requirements:
  - ductor 0.1 or later on the managed host
author:
  - ductor developers (!UNKNOWN)
'''

EXAMPLES = r'''
- name: Run the bot on every host, with whatever service manager the host has
  ductor.service.ductor_service:
    name: bot
    command: [/usr/bin/python3, -m, my_bot, --token-file, /home/bot/.token]
    env:
      BOT_MODE: production
    workdir: /home/bot/app
    restart: always
    restart_delay: 10

- name: Keep the worker installed but not running
  ductor.service.ductor_service:
    name: worker
    command: [/usr/local/bin/worker]
    state: stopped

- name: Restart the bot after a configuration change
  ductor.service.ductor_service:
    name: bot
    state: restarted

- name: Use ductor's own runner even where systemd runs, with its files in another folder
  ductor.service.ductor_service:
    name: agent
    command: [/opt/agent/run]
    backend: standalone
  environment:
    DUCTOR_HOME: /srv/agent/ductor

- name: Remove the bot and everything its install wrote
  ductor.service.ductor_service:
    name: bot
    state: absent
'''

RETURN = r'''
backend:
  description: The ductor backend that runs the service.
  returned: success
  type: str
  sample: systemd
status:
  description:
    - The service's status after the task (in check mode, its status now), as
      C(ductor service status --json) prints it.
  returned: success
  type: dict
  contains:
    name:
      description: The service's name.
      type: str
      returned: success
      sample: bot
    backend:
      description: The backend that runs it.
      type: str
      returned: success
      sample: systemd
    state:
      description: One of C(running), C(starting), C(stopped), C(not-installed), C(unknown).
      type: str
      returned: success
      sample: running
    installed:
      description: Whether the service is installed.
      type: bool
      returned: success
      sample: true
    running:
      description: Whether it runs.
      type: bool
      returned: success
      sample: true
    pid:
      description: The program's process ID, when it runs and the backend knows it.
      type: int
      returned: success
      sample: 4242
    last_exit_code:
      description: The exit code of its last run, when known.
      type: int
      returned: success
      sample: 0
    detail:
      description: The backend's own facts (for example systemd's C(ActiveState) and C(SubState)).
      type: dict
      returned: success
      sample: {"ActiveState": "active", "SubState": "running"}
    error:
      description: Why the state is unknown, or null.
      type: str
      returned: success
      sample: null
reasons:
  description:
    - Why ductor changed something, or would in check mode; empty when nothing changed.
    - C(definition) a file of the definition is new or differs, C(record) ductor's install record is
      missing or differs, C(problem) the manager disagrees with the definition, C(not-running),
      C(stopped) stopped on purpose before, C(running), C(enabled) wanted running before,
      C(restart), C(installed), C(recorded).
  returned: success
  type: list
  elements: str
  sample: [definition, record]
definition:
  description: Every file of the service definition and how the install left it (or would).
  returned: when I(command) is given and I(state) is not C(absent)
  type: list
  elements: dict
  contains:
    path:
      description: Where the file is on the host.
      type: str
      returned: always
      sample: /home/bot/.config/systemd/user/bot.service
    change:
      description: C(created), C(updated) or C(unchanged).
      type: str
      returned: always
      sample: updated
'''

import json

from ansible.module_utils.basic import AnsibleModule

# Reasons of `ductor service install` that mean the installed definition is not the wanted one;
# the others (not-running, stopped) are about whether it runs.
DEFINITION_REASONS = frozenset(['definition', 'record', 'problem'])

# The running state each state leads to, for the diff.
SETTLED = {'started': 'running', 'restarted': 'running', 'stopped': 'stopped', 'absent': 'not-installed'}


class Ductor(object):
    """Runs `ductor service ACTION --json` on the host and keeps every report it printed."""

    def __init__(self, module):
        self.module = module
        self.executable = module.params['ductor'] or module.get_bin_path('ductor', required=True)
        self.reports = []

    def arguments(self, action):
        params = self.module.params
        argv = [self.executable]
        if params['backend']:
            argv.append('--backend=' + params['backend'])
        return argv + ['service', action, '--name=' + params['name']]

    def run(self, argv, accept=(0,)):
        rc, out, err = self.module.run_command(argv)
        if rc not in accept:
            self.module.fail_json(msg='%s failed (exit %d): %s' % (' '.join(argv[1:4]), rc, (err or out).strip()),
                                  rc=rc, stdout=out, stderr=err, cmd=argv)
        try:
            return json.loads(out)
        except ValueError:
            self.module.fail_json(msg='ductor printed no JSON: %s' % (err or out).strip(), rc=rc, stdout=out,
                                  stderr=err, cmd=argv)

    def call(self, action, dry_run, extra=None):
        argv = self.arguments(action) + ['--json'] + (['--dry-run'] if dry_run else []) + (extra or [])
        report = self.run(argv)
        self.reports.append(report)
        return report

    def install(self, dry_run):
        return self.call('install', dry_run, install_arguments(self.module.params))

    def state(self):
        # status exits 3 (not running), 4 (not installed) or 1 (unknown, or a problem) with its JSON too.
        return self.run(self.arguments('status') + ['--json'], accept=(0, 1, 3, 4)).get('state')


def install_arguments(params):
    argv = []
    if params['description'] is not None:
        argv.append('--description=' + params['description'])
    if params['workdir']:
        argv.append('--workdir=' + params['workdir'])
    for key in sorted(params['env']):
        argv.append('--env=%s=%s' % (key, params['env'][key]))
    argv.append('--restart=' + params['restart'])
    if params['restart_delay'] is not None:
        argv.append('--restart-delay=%d' % params['restart_delay'])
    if params['log_dir']:
        argv.append('--log-dir=' + params['log_dir'])
    if params['enable_linger']:
        argv.append('--enable-linger')
    return argv + ['--'] + params['command']


def converge(ductor, state, has_command, check):
    """Brings the service to `state`; returns whether that changed (or, in check mode, would change) it."""
    if state == 'absent':
        return ductor.call('uninstall', check)['changed']
    if state == 'started':
        return ductor.install(check)['changed'] if has_command else ductor.call('start', check)['changed']
    if state == 'restarted':
        if has_command and ductor.install(check)['changed']:
            return True  # the update restarted (or started) it
        ductor.call('restart', check)
        return True
    # stopped: install only when the definition differs, then stop.
    if has_command:
        plan = ductor.install(True)
        if DEFINITION_REASONS.intersection(plan['reasons']):
            if not check:
                ductor.install(False)
                ductor.call('stop', False)
            return True
    return ductor.call('stop', check)['changed']


def definition_diffs(report):
    return [{'before_header': item['path'], 'after_header': item['path'], 'before': item['before'] or '',
             'after': item['after']}
            for item in report.get('definition', []) if item['change'] != 'unchanged']


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            command=dict(type='list', elements='str'),
            env=dict(type='dict', default={}),
            workdir=dict(type='path'),
            description=dict(type='str'),
            restart=dict(type='str', default='on-failure', choices=['never', 'on-failure', 'always']),
            restart_delay=dict(type='int'),
            log_dir=dict(type='path'),
            enable_linger=dict(type='bool', default=False),
            state=dict(type='str', default='started', choices=['started', 'stopped', 'restarted', 'absent']),
            backend=dict(type='str'),
            ductor=dict(type='path'),
        ),
        supports_check_mode=True,
    )
    params = module.params
    if params['command'] is not None and not params['command']:
        module.fail_json(msg='command must name a program: a list of at least one string')
    params['env'] = dict((str(key), str(value)) for key, value in params['env'].items())

    ductor = Ductor(module)
    before = ductor.state() if module._diff else None
    changed = converge(ductor, params['state'], bool(params['command']), module.check_mode)

    last = ductor.reports[-1]
    installs = [report for report in ductor.reports if report['action'] == 'install']
    reasons = []
    for report in ductor.reports:
        reasons.extend(reason for reason in report['reasons'] if reason not in reasons)
    result = dict(changed=changed, backend=last['backend'], status=last['status'], reasons=reasons if changed else [])
    if installs:
        result['definition'] = [dict(path=item['path'], change=item['change']) for item in installs[-1]['definition']]
    if module._diff:
        diffs = definition_diffs(installs[-1]) if installs else []
        after = last['status']['state'] if not module.check_mode else (SETTLED[params['state']] if changed else before)
        if changed and after != before:
            label = '%s (state)' % params['name']
            diffs.append({'before_header': label, 'after_header': label, 'before': '%s\n' % before,
                          'after': '%s\n' % after})
        result['diff'] = diffs
    module.exit_json(**result)


if __name__ == '__main__':
    main()
