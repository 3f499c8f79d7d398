/**
 * The machine's speed right now, on a fixed piece of work: a multiply-add over 64 Ki floats (in
 * L2 on current CPUs). Measured before each fork, it tells a VM's own drift (its host's load, its
 * clock) apart from the benchmark's: when two benchmarks differ and their probes differ as much,
 * the machine changed, not the engine. Millions of elements per second.
 *
 * The loop runs for `warmupMs` unmeasured first: V8 runs a fresh function's first few hundred
 * milliseconds in its lower tiers (measured here: the first 0.5 s windows at 150-250, later ones
 * at 490-520), and the first probe of a process would report that. Then the best of `windows`
 * windows of `windowMs` is kept: a preemption or a GC pause only ever slows a window, so the
 * fastest one is what the machine could do.
 */
export function machineProbe(warmupMs = 300, windows = 5, windowMs = 40): number {
  const a = new Float32Array(1 << 16);
  for (let i = 0; i < a.length; i++) a[i] = (i % 251) / 251;
  spin(a, warmupMs);
  let best = 0;
  for (let w = 0; w < windows; w++) best = Math.max(best, spin(a, windowMs));
  return best;
}

/** Elements per microsecond over about `ms` of the loop. The accumulator stays a local (a captured one would live on the heap and time allocation instead). */
function spin(a: Float32Array, ms: number): number {
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
