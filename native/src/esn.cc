#include "esn.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <vector>

#include "env.h"
#include "kernels.h"
#include "thread_pool.h"

namespace recurrent {

const EsnKernelTable& esn_kernels() {
#if defined(RECURRENT_X86)
  const Isa isa = kernels().isa;  // one switch (setIsa, RECURRENT_ISA) for every kernel
  if (isa == Isa::avx512) return esn_avx512_kernels();
  if (isa == Isa::avx2) return esn_avx2_kernels();
#endif
  return esn_scalar_kernels();
}

namespace {

/** W as SELL-C (see SellMatrix), built from the CSR arrays once per call (O(nnz)). */
struct Sell {
  std::vector<int64_t> start;  // [chunks + 1]
  std::vector<int32_t> cols;   // [slots, C]
  std::vector<double> vals;    // [slots, C]
};

Sell pack_sell(const HarvestJob& job, int64_t C, int64_t chunks, int32_t zero_col) {
  Sell s;
  s.start.assign(chunks + 1, 0);
  for (int64_t c = 0; c < chunks; ++c) {
    int64_t len = 0;
    for (int64_t i = c * C; i < std::min(job.n, (c + 1) * C); ++i) len = std::max<int64_t>(len, job.row_start[i + 1] - job.row_start[i]);
    s.start[c + 1] = s.start[c] + len;
  }
  const int64_t slots = s.start[chunks];
  s.cols.assign(slots * C, zero_col);
  s.vals.assign(slots * C, 0.0);
  for (int64_t i = 0; i < job.n; ++i) {
    const int64_t c = i / C, lane = i % C;
    int64_t slot = s.start[c];
    for (int64_t k = job.row_start[i]; k < job.row_start[i + 1]; ++k, ++slot) {
      s.cols[slot * C + lane] = job.col_index[k];
      s.vals[slot * C + lane] = job.values.at(k);
    }
  }
  return s;
}

/** Work of one step, in multiply-adds plus ~20 per activation; the split needs ≥ this per thread. */
constexpr double kMinSplitWork = 10000;
constexpr int64_t kSplitSegment = 512;  // steps per parallel_for of a split harvest

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
std::atomic<int64_t> split_paused_until{0};  // steady_clock ns

}  // namespace

/**
 * T steps. The state lives in two float64 buffers [n_pad + 1] used in turn (step t reads one and
 * writes the other), so threads that own disjoint chunks need one barrier per step. When a
 * barrier wait shows a partner descheduled (the cores busy elsewhere), thread 0 finishes the
 * segment alone and the split pauses for 20 ms (as in lstm_by_units.cc, over shorter spans).
 */
void esn_harvest(const HarvestJob& job) {
  const EsnKernelTable& table = esn_kernels();
  const int64_t C = table.lanes, n = job.n, T = job.steps;
  if (T == 0 || n == 0) return;
  const int64_t chunks = (n + C - 1) / C, n_pad = chunks * C;
  const Sell W = pack_sell(job, C, chunks, static_cast<int32_t>(n_pad));
  std::vector<double> bias(n_pad, 0.0);                  // [n_pad]
  std::vector<double> win_t(job.ni * n_pad, 0.0);        // [I, n_pad]
  std::vector<double> wfb_t(job.no * n_pad, 0.0);        // [O, n_pad]
  std::vector<double> u(T * job.ni), y(T * job.no);      // [T, I], [T, O]
  for (int64_t i = 0; i < n; ++i) {
    bias[i] = job.bias.at(i);
    for (int64_t j = 0; j < job.ni; ++j) win_t[j * n_pad + i] = job.win.at(i * job.ni + j);
    for (int64_t j = 0; j < job.no; ++j) wfb_t[j * n_pad + i] = job.wfb.at(i * job.no + j);
  }
  for (int64_t k = 0; k < T * job.ni; ++k) u[k] = job.inputs.at(k);
  for (int64_t k = 0; k < T * job.no; ++k) y[k] = job.feedback.at(k);
  std::vector<double> xa(n_pad + 1, 0.0), xb(n_pad + 1, 0.0);  // [n_pad + 1], slot n_pad stays 0
  for (int64_t i = 0; i < n; ++i) xa[i] = job.state64 != nullptr ? job.state64[i] : job.state32[i];
  std::vector<double> pre(n_pad);  // [n_pad]
  std::vector<double> noise_row(job.noise.f32 != nullptr ? n : 0);  // [n] float32 noise widened

  EsnStep base{};
  base.n = n;
  base.n_pad = n_pad;
  base.W = SellMatrix{W.start.data(), W.cols.data(), W.vals.data()};
  base.ni = job.ni;
  base.win_t = win_t.data();
  base.bias = bias.data();
  base.no = job.no;
  base.wfb_t = job.no > 0 ? wfb_t.data() : nullptr;
  base.keep = 1.0 - job.leak;
  base.leak = job.leak;
  base.act = job.act;
  base.pre = pre.data();

  // Runs steps [t0, t1) on chunks [c0, c1); returns the step after the last one it finished.
  auto run = [&](int64_t t0, int64_t c0, int64_t c1, SpinBarrier* barrier, int64_t t1) -> int64_t {
    EsnStep s = base;
    s.chunk_begin = c0;
    s.chunk_end = c1;
    for (int64_t t = t0; t < t1; ++t) {
      s.u = u.data() + t * job.ni;
      s.y = job.no > 0 ? y.data() + t * job.no : nullptr;
      if (job.noise.f64 != nullptr) {
        s.noise = job.noise.f64 + t * n;
      } else if (job.noise.f32 != nullptr) {
        for (int64_t i = c0 * C; i < std::min(n, c1 * C); ++i) noise_row[i] = job.noise.f32[t * n + i];
        s.noise = noise_row.data();
      }
      const bool even = (t % 2) == 0;
      s.x_old = even ? xa.data() : xb.data();
      s.x_new = even ? xb.data() : xa.data();
      s.states64 = job.states64 != nullptr ? job.states64 + t * n : nullptr;
      s.states32 = job.states32 != nullptr ? job.states32 + t * n : nullptr;
      table.step(s);
      if (barrier != nullptr && !barrier->wait(t > t0)) return t + 1;
    }
    return t1;
  };

  const double work = static_cast<double>(W.start[chunks] * C) + static_cast<double>(n) * (job.ni + job.no + 20);
  int64_t threads = std::min<int64_t>({static_cast<int64_t>(concurrent_threads()), chunks,
                                       static_cast<int64_t>(work / kMinSplitWork)});
  if (static_cast<double>(T) * work < kMinParallelFlops) threads = 1;  // waking workers costs more (generate: T = 1)
  if (threads <= 1) {
    run(0, 0, chunks, nullptr, T);
  } else {
    // Segments of kSplitSegment steps, each one parallel_for: a descheduled partner then costs
    // the rest of one segment on one thread and a 20 ms pause, not the rest of a long call.
    // A wait longer than 50 µs plus a step's own work (~0.3 ns per unit) counts as slow.
    const int patience_us = split_patience_us(50 + static_cast<int>(work * 0.3e-3));
    for (int64_t t0 = 0; t0 < T; t0 += kSplitSegment) {
      const int64_t t1 = std::min(T, t0 + kSplitSegment);
      if (now_ns() < split_paused_until.load(std::memory_order_relaxed)) {
        run(t0, 0, chunks, nullptr, t1);
        continue;
      }
      SpinBarrier barrier(static_cast<int>(threads), patience_us);
      parallel_for(threads, [&](int64_t task, int) {
        const int64_t c0 = chunks * task / threads, c1 = chunks * (task + 1) / threads;
        const int64_t stopped = run(t0, c0, c1, &barrier, t1);
        if (stopped < t1 && task == 0) {
          split_paused_until.store(now_ns() + 20000000, std::memory_order_relaxed);
          run(stopped, 0, chunks, nullptr, t1);  // every chunk of step `stopped - 1` is done
        }
      });
    }
  }
  const double* x = (T % 2) == 1 ? xb.data() : xa.data();
  for (int64_t i = 0; i < n; ++i) {
    if (job.state64 != nullptr) job.state64[i] = x[i];
    else job.state32[i] = static_cast<float>(x[i]);
  }
}

namespace {
constexpr int64_t kGramRows = 256;  // rows packed at a time: the packed block and one tile's panels stay in L2
}

/**
 * The symmetric rank-k update, blocked: each block of rows is packed once into lane-wide panels
 * [panels, kc, C]; a task owns the columns of one group of kGramGroup panels and runs the tiles of
 * every row panel above the diagonal there, so no two tasks write the same entry. Tasks are taken
 * largest first (a group's work grows with its column index) for balance.
 */
void esn_accumulate_gram(const GramJob& job) {
  const EsnKernelTable& table = esn_kernels();
  const int64_t C = table.lanes, d = job.d, no = job.no;
  if (job.rows == 0 || d == 0) return;
  const int64_t panels = (d + C - 1) / C, groups = (panels + kGramGroup - 1) / kGramGroup;
  std::vector<double> packed(panels * kGramRows * C);  // [panels, kc, C]
  std::vector<double> yb(kGramRows * no);              // [kc, O]
  for (int64_t r0 = 0; r0 < job.rows; r0 += kGramRows) {
    const int64_t kc = std::min(kGramRows, job.rows - r0);
    for (int64_t r = 0; r < kc; ++r) {  // row by row: X is read contiguously
      const int64_t src = (r0 + r) * d;
      for (int64_t p = 0; p < panels; ++p) {
        double* dst = packed.data() + p * kc * C + r * C;
        const int64_t width = std::min<int64_t>(C, d - p * C);
        if (job.X.f64 != nullptr) std::copy(job.X.f64 + src + p * C, job.X.f64 + src + p * C + width, dst);
        else std::copy(job.X.f32 + src + p * C, job.X.f32 + src + p * C + width, dst);
        if (job.shift.present())  // the ridge readout's centring, applied as the block is packed
          for (int64_t l = 0; l < width; ++l) dst[l] -= job.shift.at(p * C + l);
        std::fill(dst + width, dst + C, 0.0);
      }
    }
    for (int64_t k = 0; k < kc * no; ++k) yb[k] = job.Y.at(r0 * no + k);
    const double flops = static_cast<double>(kc) * d * d;
    parallel_for(
        groups + 1,
        [&](int64_t task, int) {
          if (task == groups) {  // XᵀY: small (kc · D · O)
            for (int64_t p = 0; p < panels; ++p) table.xty_panel(packed.data(), kc, p, d, yb.data(), no, job.xty);
            return;
          }
          table.gram_group(packed.data(), kc, panels, d, groups - 1 - task, job.gram);
        },
        flops >= kMinParallelFlops);
  }
}

}  // namespace recurrent
