// A fork-join pool created once; the calling thread takes part in every parallel_for.
#pragma once

#include <cstdint>
#include <functional>

namespace recurrent {

/** Number of threads (caller included) that parallel_for uses; at least 1. */
int pool_size();
/** Sets the pool size (1 = no worker threads); clamped to [1, 256]. Not callable from a task. */
void set_pool_size(int n);
/** Default size: the machine's hardware threads. */
int hardware_threads();

/** Runs fn(task, thread) for task in [0, n_tasks), spread over the pool; thread is in
 *  [0, pool_size()). Returns when all tasks are done. Called from inside a task it runs inline. */
void parallel_for(int64_t n_tasks, const std::function<void(int64_t task, int thread)>& fn);

}  // namespace recurrent
