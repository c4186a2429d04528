// Exports the taskscheduler backend (see <ductor/sdk/plugin.hpp>).
#include <ductor/taskscheduler/backend.hpp>

#include <ductor/sdk/plugin.hpp>

DUCTOR_PLUGIN(ductor::taskscheduler::TaskSchedulerBackend, "taskscheduler", "0.1.0", 100,
              "Task Scheduler logon task (Windows)")
