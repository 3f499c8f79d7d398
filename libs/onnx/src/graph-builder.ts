import { type AttrValue, attributeProto } from './attributes';
import { onnx } from './proto';
import { type ElemType, type TensorValues, onnxDataType, tensorProto } from './tensor-proto';

/** A dimension: a fixed size, or a symbolic name such as 'N' for a batch whose size is chosen at run time. */
export type Dim = number | string;

export interface NodeOptions {
  /** Operator domain; '' (the default) is the standard ONNX domain, 'ai.onnx.ml' the classic-ML one. */
  readonly domain?: string;
  /** Node name (shown by Netron and in ORT profiles); a unique one is generated when omitted. */
  readonly name?: string;
  /** Names for the outputs; generated from the op type when omitted. */
  readonly outputs?: readonly string[];
}

export interface ModelOptions {
  /** Opset version per domain. Default: { '': 17 }; add 'ai.onnx.ml' (e.g. 3) when ML ops are used. */
  readonly opsets?: Readonly<Record<string, number>>;
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly docString?: string;
  /** Key/value strings stored in the model (e.g. a manifest hash). */
  readonly metadata?: Readonly<Record<string, string>>;
}

type NodeProto = InstanceType<typeof onnx.NodeProto>;
type TensorProto = InstanceType<typeof onnx.TensorProto>;
type ValueInfoProto = InstanceType<typeof onnx.ValueInfoProto>;

function valueInfo(name: string, type: ElemType, shape: readonly Dim[]): ValueInfoProto {
  return new onnx.ValueInfoProto({
    name,
    type: new onnx.TypeProto({
      tensorType: new onnx.TypeProto.Tensor({
        elemType: onnxDataType(type),
        shape: new onnx.TensorShapeProto({
          dim: shape.map((d) =>
            typeof d === 'number' ? new onnx.TensorShapeProto.Dimension({ dimValue: d }) : new onnx.TensorShapeProto.Dimension({ dimParam: d }),
          ),
        }),
      }),
    }),
  });
}

/**
 * Collects inputs, initializers, nodes and outputs of one ONNX graph, then serialises it as a model.
 * Every method returns tensor names, so graphs read like code:
 *
 *   const g = new GraphBuilder('affine');
 *   const x = g.input('x', 'float32', ['N', 4]);
 *   const w = g.initializer('w', 'float32', [3, 4], weights);
 *   const y = g.node('Gemm', [x, w], { transB: 1 });
 *   g.output(y, 'float32', ['N', 3]);
 *   const bytes = g.toModel();              // Uint8Array for InferenceSession.create
 */
export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly graphName: string = 'graph') {}

  /** A name not used so far in this graph, built from `base`. */
  fresh(base: string): string {
    let name = base;
    while (this.names.has(name)) name = `${base}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`tensor name ${name} is already used in graph ${this.graphName}`);
    this.names.add(name);
    return name;
  }

  /** Declares a graph input fed at run time. */
  input(name: string, type: ElemType, shape: readonly Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), type, shape));
    return name;
  }

  /** A constant stored in the model. */
  initializer(name: string, type: ElemType, dims: readonly number[], values: TensorValues): string {
    this.initializers.push(tensorProto(this.claim(name), type, dims, values));
    return name;
  }

  /** An initializer with a generated name; handy for small constants (axes, shapes, scalars). */
  constant(type: ElemType, dims: readonly number[], values: TensorValues, hint = 'const'): string {
    const name = this.fresh(hint);
    this.initializers.push(tensorProto(name, type, dims, values));
    return name;
  }

  /** Adds a node with one output and returns that output's name. Pass '' as an input to skip an optional one. */
  node(opType: string, inputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}, opts: NodeOptions = {}): string {
    const [out] = this.nodeN(opType, inputs, opts.outputs?.length ?? 1, attrs, opts);
    if (out === undefined) throw new Error(`${opType} produced no output`);
    return out;
  }

  /** Adds a node with `outputCount` outputs (e.g. MaxPool with Indices, TreeEnsembleClassifier's label and scores). */
  nodeN(
    opType: string,
    inputs: readonly string[],
    outputCount: number,
    attrs: Readonly<Record<string, AttrValue>> = {},
    opts: NodeOptions = {},
  ): string[] {
    const outputs =
      opts.outputs?.map((o) => this.claim(o)) ?? Array.from({ length: outputCount }, () => this.fresh(opType.toLowerCase()));
    const attribute = Object.entries(attrs).map(([k, v]) => attributeProto(k, v));
    this.nodes.push(
      new onnx.NodeProto({
        opType,
        input: [...inputs],
        output: outputs,
        name: opts.name ?? this.fresh(`${opType}_node`),
        domain: opts.domain ?? '',
        attribute,
      }),
    );
    return outputs;
  }

  /** Marks an existing tensor as a graph output (the name it already has is the name callers fetch). */
  output(name: string, type: ElemType, shape: readonly Dim[]): string {
    this.outputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** Gives tensor `from` a second name `to` (an Identity node), e.g. to expose an intermediate as `probs`. */
  rename(from: string, to: string): string {
    return this.node('Identity', [from], {}, { outputs: [to] });
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  /** Serialises the graph as an ONNX ModelProto. */
  toModel(opts: ModelOptions = {}): Uint8Array {
    const opsets = opts.opsets ?? { '': 17 };
    const model = new onnx.ModelProto({
      // IR version 8 is what onnx 1.10 (this proto's version) writes and what ORT reads for opset 17 models.
      irVersion: 8,
      producerName: opts.producerName ?? 'inkwell',
      producerVersion: opts.producerVersion ?? '0.1.0',
      docString: opts.docString ?? '',
      opsetImport: Object.entries(opsets).map(([domain, version]) => new onnx.OperatorSetIdProto({ domain, version })),
      metadataProps: Object.entries(opts.metadata ?? {}).map(([key, value]) => new onnx.StringStringEntryProto({ key, value })),
      graph: new onnx.GraphProto({
        name: this.graphName,
        node: this.nodes,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
      }),
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
