import { type Dim, GraphBuilder } from '@inkwell/onnx';

/** How a test wants the tiny model bent (each option breaks or varies one import check). */
export interface TinyOptions {
  readonly inputName?: string;
  readonly inputShape?: readonly Dim[];
  readonly inputType?: 'float32' | 'float64';
  readonly outputClasses?: number;
  readonly declaredOutputShape?: readonly Dim[];
  readonly softmax?: boolean;
  readonly customOp?: boolean;
  readonly extraInput?: boolean;
  readonly extraOutput?: boolean;
  readonly nan?: boolean;
  readonly opset?: number;
}

/** A linear digit "classifier" (random weights) built with the platform's ONNX builder, bent one way per test. */
export function tinyModel(o: TinyOptions = {}): Uint8Array {
  const classes = o.outputClasses ?? 10;
  const g = new GraphBuilder('tiny');
  const inputShape = o.inputShape ?? ['N', 1, 28, 28];
  const x = g.input(o.inputName ?? 'pixels', o.inputType ?? 'float32', inputShape);
  const features = inputShape.slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
  let flat = inputShape.length === 2 ? x : g.node('Flatten', [x], { axis: 1 });
  if (o.inputType === 'float64') flat = g.node('Cast', [flat], { to: 1 });
  if (o.extraInput) {
    const y = g.input('mask', 'float32', ['N', features]);
    flat = g.node('Mul', [flat, y]);
  }
  const w = g.initializer('w', 'float32', [classes, features], Array.from({ length: classes * features }, (_, i) => Math.sin(i) * 0.01));
  const b = g.initializer('b', 'float32', [classes], new Array<number>(classes).fill(0));
  let logits = g.node('Gemm', [flat, w, b], { transB: 1 });
  if (o.customOp) logits = g.node('MagicDigits', [logits], {}, { domain: 'com.example' });
  if (o.nan) logits = g.node('Div', [g.node('Mul', [logits, g.constant('float32', [], [0])]), g.constant('float32', [], [0])]);
  const out = o.softmax === false ? g.rename(logits, 'scores') : g.node('Softmax', [logits], { axis: 1 }, { outputs: ['probs'] });
  g.output(out, 'float32', o.declaredOutputShape ?? ['N', classes]);
  if (o.extraOutput) g.output(logits, 'float32', ['N', classes]);
  const opsets: Record<string, number> = { '': o.opset ?? 17 };
  if (o.customOp) opsets['com.example'] = 1;
  return g.toModel({ opsets });
}

