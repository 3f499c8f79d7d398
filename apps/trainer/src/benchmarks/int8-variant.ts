import type { z } from 'zod';
import type { QuantizationSummary } from '@inkwell/contracts';
import { sha256Of } from '@inkwell/model-artifacts';
import { quantizeDynamicInt8 } from '@inkwell/onnx';
import type { MemberModel } from './engine-sessions';

type Json = z.core.util.JSONType;

/**
 * Every member's int8 dynamically quantized copy (@inkwell/onnx: Conv, Gemm and MatMul weights
 * int8 per output channel, activations quantized at run time), and what was quantized. The
 * quantizer's report is kept whole per member, so a report can say which nodes stayed float and why.
 */
export function int8Members(members: readonly MemberModel[]): { members: MemberModel[]; summary: QuantizationSummary } {
  const out: MemberModel[] = [];
  const reports: Record<string, Json>[] = [];
  const shas: string[] = [];
  const ops = new Set<string>();
  let before = 0;
  let after = 0;
  for (const m of members) {
    const { bytes, report } = quantizeDynamicInt8(m.bytes);
    for (const q of report.quantized) ops.add(q.opType);
    before += report.modelBytes.before;
    after += report.modelBytes.after;
    // The report is plain data (zod-parsed by its own schema); JSON round trip makes that explicit for the record.
    reports.push({ member: m.name, ...(JSON.parse(JSON.stringify(report)) as Record<string, Json>) });
    shas.push(sha256Of(bytes));
    out.push({ ...m, bytes });
  }
  return { members: out, summary: { method: 'dynamic-int8', quantized_ops: [...ops].sort(), size_bytes_before: before, size_bytes_after: after, member_sha256: shas, members: reports } };
}
