// Writes small ONNX graphs from TypeScript, so tests can build real models that onnxruntime loads and runs
// without any downloaded weights. Only the subset of onnx.proto the tests need is declared; the field
// numbers are those of onnx/onnx.proto (IR version 8).
import protobuf from 'protobufjs';

const SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: { fields: { tensorType: { type: 'TensorTypeProto', id: 1 } } },
        TensorTypeProto: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        Dimension: { fields: { dimValue: { type: 'int64', id: 1 }, dimParam: { type: 'string', id: 2 } } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(SCHEMA);
const ModelProto = root.lookupType('onnx.ModelProto');

/** onnx.TensorProto.DataType values. */
export const DType = { float: 1, int64: 7 } as const;
type DTypeName = keyof typeof DType;
/** onnx.AttributeProto.AttributeType values. */
const ATTR = { float: 1, int: 2, ints: 7 } as const;

/** A dimension: a fixed size, or a symbolic name such as "batch". */
export type Dim = number | string;

export interface ValueInfo {
  readonly name: string;
  readonly type: DTypeName;
  readonly shape: readonly Dim[];
}

export interface Node {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: Readonly<Record<string, number | readonly number[]>>;
  /** Attributes that hold a float, for ops where an int would be read wrongly (e.g. Mul alpha). */
  readonly floatAttrs?: Readonly<Record<string, number>>;
}

export interface Initializer {
  readonly name: string;
  readonly type: DTypeName;
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

export interface Graph {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly nodes: readonly Node[];
  readonly initializers?: readonly Initializer[];
}

function valueInfo(v: ValueInfo) {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: DType[v.type],
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function tensor(t: Initializer) {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.values.length) throw new Error(`initializer ${t.name}: dims ${t.dims.join('x')} need ${count} values, got ${t.values.length}`);
  const raw = t.type === 'float' ? new Float32Array(t.values) : BigInt64Array.from(t.values.map((v) => BigInt(v)));
  return { name: t.name, dims: t.dims, dataType: DType[t.type], rawData: new Uint8Array(raw.buffer) };
}

function attribute(name: string, value: number | readonly number[], asFloat: boolean) {
  if (typeof value !== 'number') return { name, ints: value, type: ATTR.ints };
  return asFloat ? { name, f: value, type: ATTR.float } : { name, i: value, type: ATTR.int };
}

/** The serialised ModelProto (opset 17), ready to write as model.onnx. */
export function encodeModel(graph: Graph): Uint8Array {
  const message = {
    irVersion: 8,
    producerName: 'leaf-tests',
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'tiny',
      node: graph.nodes.map((n, i) => ({
        name: `${n.op}_${i}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: [
          ...Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v, false)),
          ...Object.entries(n.floatAttrs ?? {}).map(([k, v]) => attribute(k, v, true)),
        ],
      })),
      initializer: (graph.initializers ?? []).map(tensor),
      input: graph.inputs.map(valueInfo),
      output: graph.outputs.map(valueInfo),
    },
  };
  const err = ModelProto.verify(message);
  if (err) throw new Error(`invalid ONNX model: ${err}`);
  return ModelProto.encode(ModelProto.fromObject(message)).finish();
}
