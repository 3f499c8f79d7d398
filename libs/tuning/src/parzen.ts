import type { Rng } from '@inkwell/ml-data';

/**
 * A 1-D Parzen estimator on [low, high]: a mixture of truncated Gaussians, one per observation
 * plus a wide prior component at the centre (so a region never seen keeps some density).
 * Bandwidths follow the TPE paper: each point's sigma is the larger gap to its sorted neighbours,
 * clipped to [(high - low) / min(100, n + 1), high - low].
 */
export class ParzenEstimator {
  private readonly mus: number[];
  private readonly sigmas: number[];
  private readonly masses: number[];

  constructor(
    observations: readonly number[],
    private readonly low: number,
    private readonly high: number,
  ) {
    const width = high - low;
    const centre = (low + high) / 2;
    const points = [...observations.map((x) => Math.min(high, Math.max(low, x))), centre].sort((a, b) => a - b);
    const minSigma = width / Math.min(100, points.length + 1);
    this.mus = points;
    this.sigmas = points.map((mu, i) => {
      const left = i > 0 ? mu - (points[i - 1] as number) : mu - low;
      const right = i < points.length - 1 ? (points[i + 1] as number) - mu : high - mu;
      return Math.min(width, Math.max(minSigma, left, right));
    });
    // The prior keeps the full width whatever its neighbours say.
    const priorAt = points.indexOf(centre);
    if (priorAt >= 0) this.sigmas[priorAt] = width;
    this.masses = this.mus.map((mu, i) => {
      const s = this.sigmas[i] as number;
      return Math.max(1e-12, normalCdf((high - mu) / s) - normalCdf((low - mu) / s));
    });
  }

  /** One draw: pick a component uniformly, then its Gaussian, redrawn until inside [low, high]. */
  sample(rng: Rng): number {
    const k = rng.int(this.mus.length);
    const mu = this.mus[k] as number;
    const s = this.sigmas[k] as number;
    for (let tries = 0; tries < 64; tries++) {
      const x = mu + s * rng.normal();
      if (x >= this.low && x <= this.high) return x;
    }
    return Math.min(this.high, Math.max(this.low, mu));
  }

  logDensity(x: number): number {
    let p = 0;
    for (let i = 0; i < this.mus.length; i++) {
      const s = this.sigmas[i] as number;
      const z = (x - (this.mus[i] as number)) / s;
      p += Math.exp(-0.5 * z * z) / (s * Math.sqrt(2 * Math.PI) * (this.masses[i] as number));
    }
    return Math.log(p / this.mus.length + 1e-300);
  }
}

/** A categorical estimator: each observation adds 1 to its value, the prior 1 spread evenly. */
export class CategoricalEstimator {
  private readonly weights: number[];
  private readonly total: number;

  constructor(observations: readonly number[], count: number) {
    this.weights = Array.from({ length: count }, () => 1 / count);
    for (const i of observations) if (i >= 0 && i < count) this.weights[i] = (this.weights[i] as number) + 1;
    this.total = this.weights.reduce((a, b) => a + b, 0);
  }

  sample(rng: Rng): number {
    let u = rng.next() * this.total;
    for (let i = 0; i < this.weights.length; i++) {
      u -= this.weights[i] as number;
      if (u < 0) return i;
    }
    return this.weights.length - 1;
  }

  logDensity(i: number): number {
    return Math.log((this.weights[i] ?? 0) / this.total + 1e-300);
  }
}

// Abramowitz & Stegun 7.1.26 erf: error below 1.5e-7, plenty for mixture weights.
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}
