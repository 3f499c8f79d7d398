import type { Ctx } from './ctx';

export interface Window {
  readonly k: number;
  readonly stride: number;
  readonly pad: number;
  /** Input spatial size (square inputs only: MNIST and everything derived from it is square). */
  readonly size: number;
  readonly out: number;
}

export function window(size: number, k: number, stride: number, pad: number): Window {
  const out = Math.floor((size + 2 * pad - k) / stride) + 1;
  if (out < 1) throw new Error(`window k=${k} stride=${stride} pad=${pad} does not fit input ${size}`);
  return { k, stride, pad, size, out };
}

/**
 * im2col as ONNX ops. `x` is [A, B, H, W]; returns the K*K shifted, strided views stacked at `axis`
 * (2 -> [A, B, K*K, OH, OW], 1 -> [A, K*K, B, OH, OW]), ordered kh-major like a [.., K, K] weight.
 */
export function patches(ctx: Ctx, x: string, win: Window, axis: 1 | 2): string {
  const { k, stride, pad, out } = win;
  const xp = pad > 0 ? ctx.op('Pad', [x, ctx.ints([0, 0, pad, pad, 0, 0, pad, pad])]) : x;
  const views: string[] = [];
  for (let kh = 0; kh < k; kh++) {
    for (let kw = 0; kw < k; kw++) {
      const span = (out - 1) * stride + 1;
      const v = ctx.op('Slice', [xp, ctx.ints([kh, kw]), ctx.ints([kh + span, kw + span]), ctx.ints([2, 3]), ctx.ints([stride, stride])]);
      views.push(ctx.op('Unsqueeze', [v, ctx.ints([axis])]));
    }
  }
  return views.length === 1 ? (views[0] as string) : ctx.op('Concat', views, { axis });
}

/**
 * col2im: the adjoint of `patches(.., axis 2)`. `cols` is [N, C, K*K, OH, OW]; each view is
 * spread back to its input positions (zero-inserted for stride > 1) and the K*K views are summed.
 * Returns [N, C, H, W].
 */
export function unpatches(ctx: Ctx, cols: string, channels: number, win: Window): string {
  const { k, stride, pad, out, size } = win;
  const big = k - 1 + out * stride; // covers every padded position any view can reach
  const parts: string[] = [];
  for (let kh = 0; kh < k; kh++) {
    for (let kw = 0; kw < k; kw++) {
      const idx = kh * k + kw;
      let v = ctx.op('Reshape', [ctx.op('Slice', [cols, ctx.ints([idx]), ctx.ints([idx + 1]), ctx.ints([2])]), ctx.ints([-1, channels, out, out])]);
      if (stride > 1) {
        // Interleave zeros: [N,C,OH,OW] -> [N,C,OH,1,OW,1] -> pad to [N,C,OH,s,OW,s] -> [N,C,OH*s,OW*s].
        v = ctx.op('Reshape', [v, ctx.ints([-1, channels, out, 1, out, 1])]);
        v = ctx.op('Pad', [v, ctx.ints([0, 0, 0, 0, 0, 0, 0, 0, 0, stride - 1, 0, stride - 1])]);
        v = ctx.op('Reshape', [v, ctx.ints([-1, channels, out * stride, out * stride])]);
      }
      const endH = big - kh - out * stride;
      const endW = big - kw - out * stride;
      parts.push(ctx.op('Pad', [v, ctx.ints([0, 0, kh, kw, 0, 0, endH, endW])]));
    }
  }
  const sum = parts.length === 1 ? (parts[0] as string) : ctx.op('Sum', parts);
  return ctx.op('Slice', [sum, ctx.ints([pad, pad]), ctx.ints([pad + size, pad + size]), ctx.ints([2, 3])]);
}
