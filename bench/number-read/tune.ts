/**
 * Fits number-choice.ts's width priors and picks its weights on the numbers of some seeds (7 and 11:
 * the test reads seed 28's), with the test's small model and the default ensemble. The slots are read
 * once per model (cached under --cache); each setting of the weights is then only a choice.
 *
 * With --eval, the numbers of other seeds are read too and scored with each setting, never fitted on.
 *
 *   nice -n 10 npx tsx bench/number-read/tune.ts [--seed 7,11] [--count 500] [--cache /tmp/number-read-cache] [--eval 28] [--fit default|both] [--count-model PATH|""]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { makeNumberFixtures } from "@inkwell/imaging";
import { createLogger } from "@inkwell/logger";
import { sha256Of } from "@inkwell/model-artifacts";
import { DigitCounter } from "../../apps/inference/src/read/digit-counter";
import {
  NUMBER_CHOICE_PARAMS as WITH_COUNTS,
  NUMBER_CHOICE_PARAMS_WITHOUT_COUNTS,
  type NumberChoiceParams,
  type ReadSlot,
  chooseNumber,
  optionContext,
  optionFeatures,
  typicalWidthOf,
} from "../../apps/inference/src/read/number-choice";
import { ensureTestModel } from "../../apps/inference/src/testing/test-model";
import {
  type Classify,
  confidentPool,
  ensembleMembers,
  loadClassifier,
} from "./classifier";
import { readOf, readSlots } from "./read-slots";

const { values: args } = parseArgs({
  options: {
    seed: { type: "string", default: "7,11" },
    count: { type: "string", default: "500" },
    models: { type: "string", default: "models" },
    cache: { type: "string", default: "/tmp/number-read-cache" },
    // Seeds only read and scored, never fitted on (the bench's and the test's 28).
    eval: { type: "string", default: "" },
    // Whose readings the weights are fitted on: "default" (the shipped ensemble's, as number-choice.ts ships) or "both" (with the test model's).
    fit: { type: "string", default: "default" },
    // The digit-count model's ONNX file, as the service loads it ("" for none: its features are then 0).
    "count-model": {
      type: "string",
      default: "models-aux/number-count-v1/model.onnx",
    },
  },
});
const seeds = args.seed.split(",").map(Number);
const evalSeeds = args.eval === "" ? [] : args.eval.split(",").map(Number);
if (evalSeeds.some((s) => seeds.includes(s)))
  throw new Error("an evaluation seed is also a fitting seed");
const count = Number(args.count);

interface Case {
  readonly label: string;
  readonly touching: boolean;
  readonly slots: readonly ReadSlot[];
}

async function cases(
  name: string,
  load: () => Promise<{ classify: Classify; pool?: number[] }>,
  of: readonly number[] = seeds,
): Promise<Case[]> {
  const out: Case[] = [];
  // Loaded once for all seeds not cached yet.
  let loaded: Promise<{ classify: Classify; pool?: number[] }> | null = null;
  const once = () => (loaded ??= load());
  for (const seed of of) out.push(...(await casesOf(name, seed, once)));
  return out;
}

async function casesOf(
  name: string,
  seed: number,
  load: () => Promise<{ classify: Classify; pool?: number[] }>,
): Promise<Case[]> {
  mkdirSync(args.cache, { recursive: true });
  // Readings with another count model are other readings.
  const tag =
    args["count-model"] === ""
      ? ""
      : `-count-${sha256Of(readFileSync(args["count-model"])).slice(0, 12)}`;
  const file = join(args.cache, `${name}-${seed}-${count}${tag}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Case[];
  const { classify, pool } = await load();
  const fixtures = await makeNumberFixtures({
    count,
    seed,
    ...(pool === undefined ? {} : { pool }),
  });
  const out = (await readSlots(classify, fixtures, await countModel())).map((r) => ({
    label: r.fixture.label,
    touching: r.fixture.touching,
    slots: r.slots,
  }));
  writeFileSync(file, JSON.stringify(out));
  return out;
}

let counter: DigitCounter | undefined;
const countModel = async (): Promise<DigitCounter | undefined> => {
  if (args["count-model"] === "") return undefined;
  counter ??= new DigitCounter(
    args["count-model"],
    createLogger("number-tune", "warn"),
  );
  if (!(await counter.ready()))
    throw new Error(`the digit-count model ${args["count-model"]} did not load`);
  return counter;
};

// What the service ships for this mode: the weights with the count features, or those without.
const NUMBER_CHOICE_PARAMS =
  args["count-model"] === "" ? NUMBER_CHOICE_PARAMS_WITHOUT_COUNTS : WITH_COUNTS;

const loadTest = async () => {
  const model = await ensureTestModel();
  const classify = await loadClassifier([
    {
      modelPath: join(model.modelDir, model.modelId, "model.onnx"),
      normalization: model.manifest.normalization,
    },
  ]);
  return { classify, pool: await confidentPool(classify, 3000, 0.9) };
};
const loadEnsemble = async () => ({
  classify: await loadClassifier((await ensembleMembers(args.models)).members),
});
const test = await cases("test", loadTest);
const ensemble = await cases("default", loadEnsemble);
const evalTest = await cases("test", loadTest, evalSeeds);
const evalEnsemble = await cases("default", loadEnsemble, evalSeeds);

// Width priors: each plain number's slots, when there is one per digit, are its digits whole.
const logs: number[][] = Array.from({ length: 10 }, () => []);
for (const c of [...test, ...ensemble]) {
  if (c.touching || c.slots.length !== c.label.length) continue;
  c.slots.forEach((slot, k) => {
    const whole = slot.options[0]?.[0];
    const a = whole === undefined ? 0 : whole.width / whole.height;
    if (a > 0) logs[Number(c.label[k])]?.push(Math.log(a));
  });
}
const mean = logs.map(
  (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length),
);
const std = logs.map((xs, d) =>
  Math.sqrt(
    xs.reduce((a, b) => a + (b - (mean[d] ?? 0)) ** 2, 0) /
      Math.max(1, xs.length - 1),
  ),
);
const r3 = (x: number): number => Math.round(x * 1000) / 1000;
console.log(
  `width priors from ${logs.reduce((n, xs) => n + xs.length, 0)} plain digits:\n  aspectLogMean: [${mean.map(r3).join(", ")}]\n  aspectLogStd: [${std.map(r3).join(", ")}]`,
);

function accuracy(
  cs: readonly Case[],
  params: NumberChoiceParams,
): { plain: number; touching: number } {
  const t = { plain: [0, 0], touching: [0, 0] };
  for (const c of cs) {
    const chosen = chooseNumber(c.slots, params);
    const right =
      c.slots.length > 0 &&
      chosen.map((o, s) => readOf(c.slots, s, o)).join("") === c.label;
    const g = c.touching ? t.touching : t.plain;
    g[0] = (g[0] ?? 0) + (right ? 1 : 0);
    g[1] = (g[1] ?? 0) + 1;
  }
  return {
    plain: (t.plain[0] ?? 0) / Math.max(1, t.plain[1] ?? 0),
    touching: (t.touching[0] ?? 0) / Math.max(1, t.touching[1] ?? 0),
  };
}

const fitted: NumberChoiceParams = {
  ...NUMBER_CHOICE_PARAMS,
  aspectLogMean: mean.map(r3),
  aspectLogStd: std.map(r3),
};
const pct = (x: number): string => `${(100 * x).toFixed(1)}`.padStart(5);
console.log(
  `now (shipped params): test ${JSON.stringify(accuracy(test, NUMBER_CHOICE_PARAMS))}, ensemble ${JSON.stringify(accuracy(ensemble, NUMBER_CHOICE_PARAMS))}`,
);

/** Per slot, the options on some path of options that reads the label (forward and backward reachability). */
function rightOptions(c: Case): Set<number>[] | null {
  const n = c.slots.length;
  const fwd: Set<number>[] = [new Set([0])];
  for (let s = 0; s < n; s++) {
    const next = new Set<number>();
    for (const pos of fwd[s] ?? [])
      c.slots[s]?.options.forEach((_, o) => {
        const r = readOf(c.slots, s, o);
        if (c.label.startsWith(r, pos)) next.add(pos + r.length);
      });
    fwd.push(next);
  }
  if (n === 0 || !(fwd[n]?.has(c.label.length) ?? false)) return null;
  const bwd: Set<number>[] = Array.from(
    { length: n + 1 },
    () => new Set<number>(),
  );
  bwd[n]?.add(c.label.length);
  const right: Set<number>[] = Array.from(
    { length: n },
    () => new Set<number>(),
  );
  for (let s = n - 1; s >= 0; s--) {
    for (const pos of fwd[s] ?? [])
      c.slots[s]?.options.forEach((_, o) => {
        const r = readOf(c.slots, s, o);
        if (
          c.label.startsWith(r, pos) &&
          (bwd[s + 1]?.has(pos + r.length) ?? false)
        ) {
          bwd[s]?.add(pos);
          right[s]?.add(o);
        }
      });
  }
  return right;
}

// Listwise: in each slot with options on and off the right path, the softmax of the scores should put its mass on the right ones.
const lists: { feats: number[][]; good: boolean[] }[] = [];
for (const c of args.fit === "both" ? [...test, ...ensemble] : ensemble) {
  const right = rightOptions(c);
  if (right === null) continue;
  const typical = typicalWidthOf(c.slots);
  c.slots.forEach((slot, s) => {
    const good = right[s] ?? new Set<number>();
    if (good.size === 0 || good.size === slot.options.length) return;
    const kept = slot.options.flatMap((o, k) => (o.length === 0 ? [] : [k]));
    lists.push({
      feats: kept.map((k) =>
        optionFeatures(
          slot.options[k] ?? [],
          optionContext(slot, k, typical),
          fitted,
        ),
      ),
      good: kept.map((k) => good.has(k)),
    });
  });
}
const dims = lists[0]?.feats[0]?.length ?? 0;
// From the shipped weights (features added since start at 0), by Adam: the features' scales differ by orders of magnitude.
const w = Array.from(
  { length: dims },
  (_, i) => NUMBER_CHOICE_PARAMS.weights[i] ?? 0,
);
const lambda = 1e-3;
const m1 = new Array<number>(dims).fill(0);
const m2 = new Array<number>(dims).fill(0);
for (let it = 1; it <= 3000; it++) {
  const grad = new Array<number>(dims).fill(0);
  for (const { feats, good } of lists) {
    const scores = feats.map((f) =>
      f.reduce((s, v, i) => s + v * (w[i] ?? 0), 0),
    );
    const top = Math.max(...scores);
    const e = scores.map((x) => Math.exp(x - top));
    const z = e.reduce((a, b) => a + b, 0);
    const zg = e.reduce((a, b, k) => a + (good[k] ? b : 0), 0);
    // d/dw of -log(sum_good e / sum_all e) = E_all[f] - E_good[f]
    feats.forEach((f, k) =>
      f.forEach(
        (v, i) =>
          (grad[i] =
            (grad[i] ?? 0) +
            (v * ((e[k] ?? 0) / z - (good[k] ? (e[k] ?? 0) / zg : 0))) /
              lists.length),
      ),
    );
  }
  for (let i = 0; i < dims; i++) {
    const g = (grad[i] ?? 0) + lambda * (w[i] ?? 0);
    m1[i] = 0.9 * (m1[i] ?? 0) + 0.1 * g;
    m2[i] = 0.999 * (m2[i] ?? 0) + 0.001 * g * g;
    const step =
      (m1[i] ?? 0) /
      (1 - 0.9 ** it) /
      (Math.sqrt((m2[i] ?? 0) / (1 - 0.999 ** it)) + 1e-8);
    w[i] = (w[i] ?? 0) - 0.02 * step;
  }
}
const pairs = lists;
const learned = { ...fitted, weights: w.map(r3) };
console.log(
  `${pairs.length} slots; learned weights [${learned.weights.join(", ")}]`,
);
const show = (name: string, p: NumberChoiceParams): void => {
  const a = accuracy(test, p);
  const b = accuracy(ensemble, p);
  console.log(
    `${name.padEnd(40)} test plain ${pct(a.plain)} touching ${pct(a.touching)} | ensemble plain ${pct(b.plain)} touching ${pct(b.touching)}`,
  );
};
const showEval = (name: string, p: NumberChoiceParams): void => {
  if (evalSeeds.length === 0) return;
  const a = accuracy(evalTest, p);
  const b = accuracy(evalEnsemble, p);
  console.log(
    `${`  eval ${evalSeeds.join(",")}: ${name}`.padEnd(40)} test plain ${pct(a.plain)} touching ${pct(a.touching)} | ensemble plain ${pct(b.plain)} touching ${pct(b.touching)}`,
  );
};
showEval("shipped", NUMBER_CHOICE_PARAMS);
show("learned", learned);
showEval("learned", learned);
// The extra-digit weight moves the balance between splitting too little and too much.
for (const dx of [-1, -0.5, -0.25, 0.25, 0.5, 0.75, 1]) {
  const moved = {
    ...learned,
    weights: learned.weights.map((v, i) => (i === 2 ? r3(v + dx) : v)),
  };
  show(`learned, extra ${dx > 0 ? "+" : ""}${dx}`, moved);
  showEval(`extra ${dx > 0 ? "+" : ""}${dx}`, moved);
}
