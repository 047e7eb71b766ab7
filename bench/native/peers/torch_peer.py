"""PyTorch on the CPU, one thread: the peer of recurrent's native backend (issue 3).

Modes (the shapes come from run.mjs, which reads them from lib/problems.mjs):
  suite          training steps of LSTM/GRU/RNN (large shape), LSTM inference latency and the
                 small-model training step; prints one JSON line with every run's time in ms.
  mem            only the large LSTM training step, then prints this process's VmHWM.
  mem-baseline   only imports torch, then prints VmHWM.

A training step is what the native side does: forward over the whole sequence, then backward of
sum(y) (dy = ones), giving the gradients of all weights, of x and of the initial states.
Usage: python3 torch_peer.py MODE 'JSON-CONFIG'
"""
import json
import re
import sys
import time


def peak_rss_kib():
    with open('/proc/self/status') as f:
        return int(re.search(r'VmHWM:\s+(\d+)\s+kB', f.read()).group(1))


def loaded_blas():
    """Paths of the BLAS libraries mapped into this process (to report which BLAS torch ran)."""
    with open('/proc/self/maps') as f:
        names = {line.split()[-1] for line in f if re.search(r'(blas|mkl|dnnl)[^/]*\.so', line)}
    return sorted(names)


mode, config = sys.argv[1], json.loads(sys.argv[2])

import torch  # noqa: E402  (imported after argument parsing so a bad call fails fast)

torch.set_num_threads(1)
torch.manual_seed(0)

CLASSES = {'lstm': torch.nn.LSTM, 'gru': torch.nn.GRU, 'rnn': torch.nn.RNN}


def training_step(model, T, B, I, H):
    """Returns a closure running one training step; the layer is nn.LSTM/GRU/RNN(I, H)."""
    layer = CLASSES[model](I, H)  # RNN: tanh by default; GRU: reset after (as native's resetAfter true)
    x = torch.rand(T, B, I).mul_(2).sub_(1).requires_grad_(True)  # [T, B, I]
    h0 = torch.zeros(1, B, H, requires_grad=True)  # [1, B, H]
    c0 = torch.zeros(1, B, H, requires_grad=True)  # [1, B, H]
    state = (h0, c0) if model == 'lstm' else h0
    dy = torch.ones(T, B, H)  # [T, B, H]

    def step():
        layer.zero_grad(set_to_none=True)
        x.grad = h0.grad = c0.grad = None
        y, _ = layer(x, state)
        y.backward(dy)
        if layer.weight_hh_l0.grad is None or x.grad is None:
            raise RuntimeError('torch_peer: backward produced no gradient')

    return step


def inference(T, B, I, H):
    layer = torch.nn.LSTM(I, H)
    x = torch.rand(T, B, I).mul_(2).sub_(1)  # [T, B, I]

    def step():
        with torch.no_grad():
            layer(x)

    return step


def single_row_products(H):
    """The recurrent product of one batch-1 step, h [1, H] times W_hh^T [H, 4H], as nn.LSTM
    computes it (mm, a GEMM with one row) and as a matrix-vector product: a diagnostic of how
    much of the inference time is the BLAS's handling of one-row GEMMs."""
    w = torch.rand(4 * H, H)  # [4H, H]
    h = torch.rand(1, H)  # [1, H]
    hv = h[0]  # [H]
    return (lambda: torch.mm(h, w.t())), (lambda: torch.mv(w, hv))


def measure(step, warmup, reps):
    """Each run's wall time and CPU time in ms (the CPU time of a one-thread run is not
    inflated by the time the process waits for a core on a shared machine)."""
    for _ in range(warmup):
        step()
    wall, cpu = [], []
    for _ in range(reps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        step()
        wall.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    return wall, cpu


if mode == 'suite':
    reps = config['reps']
    out = {'peer': 'pytorch', 'torch': torch.__version__, 'threads': torch.get_num_threads(), 'cases': {}, 'cpu': {}}

    def keep(name, times):
        out['cases'][name], out['cpu'][name] = times

    tr = config['train']
    for model in tr['models']:
        keep(f'train-{model}', measure(training_step(model, tr['T'], tr['B'], tr['I'], tr['H']), **reps['train']))
    inf = config['infer']
    keep('infer-lstm', measure(inference(inf['T'], inf['B'], inf['I'], inf['H']), **reps['infer']))
    st = config['step']
    keep('step-lstm', measure(inference(st['T'], st['B'], st['I'], st['H']), **reps['infer']))
    sm = config['small']
    keep('small-lstm', measure(training_step('lstm', sm['T'], sm['B'], sm['I'], sm['H']), **reps['small']))
    as_mm, as_mv = single_row_products(inf['H'])
    keep('diag-step-product-mm', measure(as_mm, 100, 1000))
    keep('diag-step-product-mv', measure(as_mv, 100, 1000))
    out['blas'] = loaded_blas()  # after the GEMMs: torch loads its BLAS lazily
    print(json.dumps(out))
elif mode == 'mem':
    tr = config['train']
    step = training_step('lstm', tr['T'], tr['B'], tr['I'], tr['H'])
    for _ in range(config['reps']['memSteps']):
        step()
    print(json.dumps({'peer': 'pytorch', 'vmhwmKiB': peak_rss_kib()}))
elif mode == 'mem-baseline':
    print(json.dumps({'peer': 'pytorch', 'vmhwmKiB': peak_rss_kib()}))
else:
    raise SystemExit(f'torch_peer: unknown mode {mode!r}, expected suite, mem or mem-baseline')
