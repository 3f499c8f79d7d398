/**
 * Number mode (issue 28, Done-when 3) on generated numbers: whole-number accuracy without and with
 * touching digits, and for each misread number the first cause (see diagnose.ts): a broken stroke
 * left apart, an extra mark, a touching pair read as one, a digit cut in two, a cut in the wrong
 * place, or one digit misread; and whether some choice among the cuts offered would have read it
 * right (the choice's fault) or none would (the cuts'). Both models: the test's small MLP on the
 * test's pool (digits it reads confidently on their own), and the shipped default ensemble
 * (models/) on every MNIST test digit. The reading is the service's: preprocessNumber, the mean of
 * the members' probabilities (TTA off, the default), the digit-count model (models-aux/), and
 * number-choice.ts's choice.
 *
 *   nice -n 10 npx tsx bench/number-read/main.ts [--seed 28] [--count 500] [--model test|default|both] [--count-model PATH|""] [--dump DIR] [--show 10]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type NumberFixture, makeNumberFixtures } from "@inkwell/imaging";
import { createLogger } from "@inkwell/logger";
import { DigitCounter } from "../../apps/inference/src/read/digit-counter";
import { chooseNumber } from "../../apps/inference/src/read/number-choice";
import { ensureTestModel } from "../../apps/inference/src/testing/test-model";
import {
  type Classify,
  confidentPool,
  ensembleMembers,
  loadClassifier,
} from "./classifier";
import { type Diagnosis, FAILURE_KINDS, diagnose } from "./diagnose";
import { readOf, readSlots } from "./read-slots";

const { values: args } = parseArgs({
  options: {
    seed: { type: "string", default: "28" },
    count: { type: "string", default: "500" },
    model: { type: "string", default: "both" },
    models: { type: "string", default: "models" },
    // Number mode's digit-count model, as the service loads it ("" reads without it).
    "count-model": {
      type: "string",
      default: "models-aux/number-count-v1/model.onnx",
    },
    dump: { type: "string" },
    show: { type: "string", default: "10" },
    verbose: { type: "boolean", default: false },
  },
});
const seed = Number(args.seed);
const count = Number(args.count);

interface Outcome {
  readonly fixture: NumberFixture;
  readonly read: string;
  readonly diagnosis: Diagnosis;
  readonly inputs: number;
  readonly ms: number;
  /** Each slot's aspect and options as read ("digit@confidence/aspect"), the chosen one marked: for --verbose. */
  readonly slots: string;
}

// As the service loads it (its manifest checked); "" reads without it, with the weights for that.
const counter =
  args["count-model"] === ""
    ? undefined
    : new DigitCounter(args["count-model"], createLogger("number-read", "warn"));
if (counter !== undefined && !(await counter.ready()))
  throw new Error(`the digit-count model ${args["count-model"]} did not load`);

async function readAll(
  classify: Classify,
  fixtures: readonly NumberFixture[],
): Promise<Outcome[]> {
  return (await readSlots(classify, fixtures, counter)).map((r) => {
    const f = r.fixture;
    if (r.pre === null)
      return {
        fixture: f,
        read: `(${r.refusal ?? "refused"})`,
        diagnosis: {
          kind: "refused",
          reachable: false,
          inTouchingSlot: false,
          cutsOffered: false,
        },
        inputs: 0,
        ms: r.ms,
        slots: "",
      };
    const { slots } = r;
    const chosen = chooseNumber(slots);
    const read = chosen.map((o, s) => readOf(slots, s, o)).join("");
    const shown = slots
      .map(
        (slot, s) =>
          `[${slot.aspect.toFixed(2)}: ${slot.options.map((o, k) => `${k === chosen[s] ? "*" : ""}${o.map((p) => `${p.digit}@${p.confidence.toFixed(2)}/${(p.width / p.height).toFixed(2)}`).join(" ")}`).join(" | ")}]`,
      )
      .join(" ");
    return {
      fixture: f,
      read,
      diagnosis: diagnose(f, r.pre, chosen, (s, o) => readOf(slots, s, o)),
      inputs: r.inputs,
      ms: r.ms,
      slots: shown,
    };
  });
}

const pct = (n: number, of: number): string =>
  `${((100 * n) / Math.max(1, of)).toFixed(1)} % (${n}/${of})`;

function report(title: string, outcomes: readonly Outcome[]): void {
  console.log(`\n== ${title}`);
  for (const [name, keep] of [
    ["without touching digits", (o: Outcome) => !o.fixture.touching],
    ["with touching digits", (o: Outcome) => o.fixture.touching],
    ["  of which strokes meet", (o: Outcome) => o.fixture.connected],
  ] as const) {
    const set = outcomes.filter(keep);
    const wrong = set.filter((o) => o.diagnosis.kind !== null);
    console.log(
      `${name.padEnd(26)} ${pct(set.length - wrong.length, set.length)}; misread ${wrong.length}, of which reachable by another choice ${wrong.filter((o) => o.diagnosis.reachable).length}`,
    );
    for (const kind of FAILURE_KINDS) {
      const k = wrong.filter((o) => o.diagnosis.kind === kind);
      if (k.length === 0) continue;
      console.log(
        `    ${kind.padEnd(18)} ${String(k.length).padStart(4)}  (in a touching slot ${k.filter((o) => o.diagnosis.inTouchingSlot).length}, reachable ${k.filter((o) => o.diagnosis.reachable).length}, slot offered cuts ${k.filter((o) => o.diagnosis.cutsOffered).length})`,
      );
    }
  }
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const q = (p: number): number =>
    ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? NaN;
  const inputs =
    outcomes.reduce((n, o) => n + o.inputs, 0) / Math.max(1, outcomes.length);
  console.log(
    `cost per number (preprocess + model, one at a time): p50 ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, mean ${(ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length)).toFixed(1)} ms; ${inputs.toFixed(1)} model inputs per number`,
  );
  const show = outcomes
    .filter((o) => o.fixture.touching && o.diagnosis.kind !== null)
    .slice(0, Number(args.show));
  if (show.length > 0)
    console.log(
      `first touching misreads:\n  ${show.map((o) => `${o.fixture.name}: read ${o.read} (${o.diagnosis.kind}${o.diagnosis.reachable ? ", reachable" : ""})${args.verbose ? `\n      ${o.slots}` : ""}`).join("\n  ")}`,
    );
  if (args.dump !== undefined) {
    const dir = join(args.dump, title.replace(/[^a-z0-9]+/gi, "-"));
    mkdirSync(dir, { recursive: true });
    for (const o of outcomes.filter((x) => x.diagnosis.kind !== null)) {
      writeFileSync(
        join(
          dir,
          `${o.fixture.name}-read-${o.read}-${(o.diagnosis.kind ?? "").replace(/ /g, "_")}.${o.fixture.contentType === "image/png" ? "png" : "jpg"}`,
        ),
        o.fixture.bytes,
      );
    }
  }
}

if (args.model === "test" || args.model === "both") {
  const model = await ensureTestModel();
  const name = model.modelId;
  const classify = await loadClassifier([
    {
      modelPath: join(model.modelDir, model.modelId, "model.onnx"),
      normalization: model.manifest.normalization,
    },
  ]);
  const pool = await confidentPool(classify, 3000, 0.9);
  const fixtures = await makeNumberFixtures({ count, seed, pool });
  report(
    `test model ${name}, pool of ${pool.length} confidently read digits, seed ${seed}`,
    await readAll(classify, fixtures),
  );
}
if (args.model === "default" || args.model === "both") {
  const { members, name } = await ensembleMembers(args.models);
  const classify = await loadClassifier(members);
  const fixtures = await makeNumberFixtures({ count, seed });
  report(
    `default ensemble ${name}, every MNIST test digit, seed ${seed}`,
    await readAll(classify, fixtures),
  );
}
