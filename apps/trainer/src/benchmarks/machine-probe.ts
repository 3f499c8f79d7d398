/**
 * The machine's speed right now, on a fixed piece of work: a multiply-add over 64 Ki floats (in
 * L2 on current CPUs), repeated for about `ms`. Measured before each fork, it tells a VM's own
 * drift (its host's load, its clock) apart from the benchmark's: when two benchmarks differ and
 * their probes differ as much, the machine changed, not the engine. Millions of elements per second.
 */
export function machineProbe(ms = 100): number {
  const a = new Float32Array(1 << 16);
  for (let i = 0; i < a.length; i++) a[i] = (i % 251) / 251;
  let acc = 0;
  let elements = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < a.length; i++) acc = acc * 0.999 + (a[i] as number) * 1.0001;
    elements += a.length;
    elapsed = performance.now() - t0;
  } while (elapsed < ms);
  // `acc` is used so the loop cannot be dropped; it is finite and never negative.
  return elements / (elapsed * 1000) + (acc < 0 ? 1 : 0);
}
