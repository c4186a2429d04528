#pragma once
// Real launchctl output, for the parser tests. Whitespace matters: print
// output is tab-indented.
//
// Source of the `launchctl print gui/501/<label>` samples: fixtures captured on
// macOS by the sglavoie/dev-helpers project,
// swift/heartbeat/Tests/HeartbeatCoreTests/LaunchctlFixtures.swift
// (abridged here: some environment lines dropped; the nested blocks that
// repeat "state = active" are kept on purpose).
// Source of the `launchctl list <label>` sample: the README of
// mikecarlton/bluekvm ("There should be an entry PID in the output").

namespace ductor::test::launchd {

// A KeepAlive agent on its first run: pid, "last exit code = (never exited)",
// an LWCR block whose array closes on a "0 = \t\t\t\t]" line.
inline constexpr const char* k_print_running = R"(gui/501/com.sglavoie.ddc-brightnessd = {
	active count = 1
	path = /Users/sglavoie/scripts/launchagents/Library/LaunchAgents/com.sglavoie.ddc-brightnessd.plist
	type = LaunchAgent
	state = running

	program = /Users/sglavoie/.local/bin/ddc-brightnessd
	arguments = {
		/Users/sglavoie/.local/bin/ddc-brightnessd
	}

	stdout path = /Users/sglavoie/Library/Logs/ddc-brightnessd.log
	stderr path = /Users/sglavoie/Library/Logs/ddc-brightnessd.log
	default environment = {
		PATH => /usr/bin:/bin:/usr/sbin:/sbin
	}

	environment = {
		OSLogRateLimit => 64
		XPC_SERVICE_NAME => com.sglavoie.ddc-brightnessd
	}

	LWCR = {
		"reqs" => {
			"cdhash" => {
				"$in" => [
					0 = 				]
			}
		}
		"vers" => 1
	}

	domain = gui/501 [100020]
	asid = 100020
	minimum runtime = 10
	exit timeout = 5
	runs = 1
	pid = 1076
	immediate reason = speculative
	forks = 0
	execs = 1
	last exit code = (never exited)

	resource coalition = {
		ID = 1140
		type = resource
		state = active
		active count = 1
		name = com.sglavoie.ddc-brightnessd
	}

	spawn type = interactive (4)
	jetsam priority = 40
	job state = running
	sanitizer flags = 0x0

	properties = keepalive | runatload | inferred program | managed LWCR | has LWCR
}
)";

// A WatchPaths agent whose last run exited 1; coalitions say "state = active".
inline constexpr const char* k_print_exited = R"(gui/501/com.sglavoie.sync-legacy = {
	active count = 0
	path = /Users/sglavoie/scripts/launchagents/Library/LaunchAgents/com.sglavoie.sync-legacy.plist
	type = LaunchAgent
	state = not running

	program = /Users/sglavoie/.local/bin/sync-legacy.sh
	arguments = {
		/Users/sglavoie/.local/bin/sync-legacy.sh
	}

	domain = gui/501 [100020]
	asid = 100020
	minimum runtime = 30
	exit timeout = 5
	runs = 4
	last exit code = 1

	event triggers = {
		com.apple.launchd.WatchPaths => {
			keepalive = 0
			service = com.sglavoie.sync-legacy
			descriptor = {
				"WatchPaths" => [
					0 = "/Users/sglavoie/1_dev_projects/sglavoie_life-trail/legacy.env"
				]
			}
		}
	}

	resource coalition = {
		ID = 1262
		type = resource
		state = active
		active count = 1
		name = com.sglavoie.sync-legacy
	}

	spawn type = daemon (3)
	job state = exited
	sanitizer flags = 0x0

	properties = inferred program | managed LWCR
}
)";

// A calendar agent that is loaded but never ran.
inline constexpr const char* k_print_never_ran = R"(gui/501/com.sglavoie.brew-maintain = {
	active count = 0
	path = /Users/sglavoie/scripts/launchagents/Library/LaunchAgents/com.sglavoie.brew-maintain.plist
	type = LaunchAgent
	state = not running

	program = /Users/sglavoie/.local/bin/brew-maintain.sh
	domain = gui/501 [100020]
	asid = 100020
	minimum runtime = 10
	exit timeout = 5
	runs = 0
	last exit code = (never exited)

	spawn type = daemon (3)
	job state = uninitialized
	sanitizer flags = 0x0

	properties = inferred program | needs LWCR update | managed LWCR
}
)";

// The same source's constructed case of a run ended by SIGTERM.
inline constexpr const char* k_print_signaled = R"(gui/501/com.sglavoie.forgejo-sync = {
	active count = 0
	state = not running
	runs = 18
	last terminating signal = Terminated: 15
	job state = exited
}
)";

// stderr of `launchctl print gui/501/com.sglavoie.nope`, exit status 113.
inline constexpr const char* k_print_not_found_stderr =
    "Bad request.\nCould not find service \"com.sglavoie.nope\" in domain for user gui: 501\n";

// `launchctl list bluekvm` while it runs.
inline constexpr const char* k_list_running = R"({
	"LimitLoadToSessionType" = "Aqua";
	"Label" = "bluekvm";
	"OnDemand" = false;
	"LastExitStatus" = 0;
	"PID" = 31317;
	"Program" = "/usr/local/bin/bluekvm.sh";
};
)";

}  // namespace ductor::test::launchd
