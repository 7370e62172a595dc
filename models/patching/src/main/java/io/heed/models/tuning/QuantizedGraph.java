/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dynamically quantised BERT graph (ONNX Runtime's {@code quantize_dynamic} output, like the bundled int8 MiniLM)
 * with each weight known by its role, so that tuned fp32 weights can be quantised into it.
 *
 * <p>Roles come from {@link RoleMapper}, run on a float view of the graph: every quantised chain collapsed back into
 * the float op it replaced. That is {@code DynamicQuantizeLinear(x) -> MatMulInteger(xq, Wq, xzp, Wzp) -> Cast ->
 * Mul(by x_scale * W_scale)} back into {@code MatMul(x, W)}, and {@code Gather(Tq, ids) -> DequantizeLinear(T_scale,
 * T_zp)} back into {@code Gather(T, ids)}, with a data-less float stand-in for {@code W} or {@code T} under the quantised
 * initializer's name. The rest of the graph (biases, decomposed LayerNorms, attention) is what the fp32 graph has, so
 * the roles are found by the same code, not by names.
 */
final class QuantizedGraph {
    /** A quantised initializer and the initializers that dequantise it. */
    record Quantized(String values, String scale, String zeroPoint, QuantScheme scheme) {}

    private final ModelProto model;
    private final Map<String, TensorProto> initializers = new HashMap<>();
    /** Quantised initializers by the name of their values. */
    private final Map<String, Quantized> quantized = new LinkedHashMap<>();
    /** Role to initializer name: the quantised values' name, or a float initializer kept as it was. */
    private final Map<String, String> roles;

    private QuantizedGraph(ModelProto model) {
        this.model = model;
        model.getGraph().getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        this.roles = Map.copyOf(RoleMapper.map(new FloatView(model.getGraph()).graph()));
        quantized.values().forEach(this::checkScheme);
    }

    static QuantizedGraph of(ModelProto model) {
        return new QuantizedGraph(model);
    }

    Set<String> roles() {
        return roles.keySet();
    }

    /** The role's quantised initializer, or null where the role's initializer is a float kept as it was. */
    Quantized quantized(String role) {
        return quantized.get(initializerName(role));
    }

    String initializerName(String role) {
        String name = roles.get(role);
        if (name == null) {
            throw new IllegalArgumentException("no initializer has role " + role);
        }
        return name;
    }

    /** Shape of the role's initializer, {@code [in, out]} for matrices as in the fp32 graph. */
    int[] shape(String role) {
        return initializers.get(initializerName(role)).getDimsList().stream()
                .mapToInt(Long::intValue)
                .toArray();
    }

    /**
     * A copy of the model in which the given roles hold new float values: quantised roles re-quantised (values and
     * scales; the zero points stay, as the schemes are symmetric), float roles replaced. Every other byte is kept.
     */
    ModelProto withValues(Map<String, float[]> replacements) {
        Map<String, TensorProto> replaced = new HashMap<>();
        replacements.forEach((role, values) -> {
            TensorProto tensor = initializers.get(initializerName(role));
            Quantized q = quantized(role);
            if (q == null) {
                replaced.put(tensor.getName(), EncoderGraph.withFloats(tensor, values));
                return;
            }
            TensorProto scale = initializers.get(q.scale());
            QuantScheme.Output result = q.scheme().quantize(values, columns(tensor), EncoderGraph.size(scale));
            if (result.values().length != EncoderGraph.size(tensor)) {
                throw new IllegalArgumentException(
                        role + " holds " + EncoderGraph.size(tensor) + " values, replacement " + values.length);
            }
            replaced.put(
                    tensor.getName(),
                    tensor.toBuilder()
                            .setRawData(ByteString.copyFrom(result.values()))
                            .build());
            replaced.put(scale.getName(), EncoderGraph.withFloats(scale, result.scales()));
        });
        ModelProto.Builder builder = model.toBuilder();
        GraphProto.Builder graph = builder.getGraphBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto tensor = replaced.get(graph.getInitializer(i).getName());
            if (tensor != null) {
                graph.setInitializer(i, tensor);
            }
        }
        return builder.build();
    }

    private static int columns(TensorProto tensor) {
        return (int) tensor.getDims(tensor.getDimsCount() - 1);
    }

    /**
     * The quantisation parameters must be what {@link QuantScheme} reproduces: the scheme's type and zero point, one
     * scale per tensor or per column, and stored values that fit its range.
     */
    private void checkScheme(Quantized q) {
        TensorProto values = initializers.get(q.values());
        TensorProto scale = initializers.get(q.scale());
        TensorProto zeroPoint = initializers.get(q.zeroPoint());
        QuantScheme scheme = q.scheme();
        int groups = EncoderGraph.size(scale);
        if (values.getDataType() != scheme.type().getNumber()
                || zeroPoint.getDataType() != scheme.type().getNumber()
                || scale.getDataType() != TensorProto.DataType.FLOAT_VALUE
                || values.getDimsCount() != 2
                || (groups != 1 && groups != columns(values))
                || EncoderGraph.size(zeroPoint) != groups) {
            throw new IllegalArgumentException(q.values() + ": not quantised as " + scheme + " per tensor or column");
        }
        for (int z : zeroPoints(zeroPoint, scheme)) {
            if (z != scheme.zeroPoint()) {
                throw new IllegalArgumentException(
                        q.zeroPoint() + " holds " + z + ", " + scheme + " uses " + scheme.zeroPoint());
            }
        }
        if (!scheme.fits(values.getRawData().toByteArray(), columns(values), groups)) {
            throw new IllegalArgumentException(q.values() + " does not use the range of " + scheme);
        }
    }

    /** Zero points as integers: raw bytes, or {@code int32_data} where the quantiser wrote scalars that way. */
    private static int[] zeroPoints(TensorProto tensor, QuantScheme scheme) {
        if (!tensor.hasRawData()) {
            return tensor.getInt32DataList().stream()
                    .mapToInt(Integer::intValue)
                    .toArray();
        }
        byte[] raw = tensor.getRawData().toByteArray();
        int[] result = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            result[i] = scheme.integer(raw[i]);
        }
        return result;
    }

    /** The graph with quantised chains collapsed back into float ops, recording what it collapses. */
    private final class FloatView {
        private final GraphProto graph;
        private final Map<String, NodeProto> producers = new HashMap<>();
        private final Map<String, List<NodeProto>> consumers = new HashMap<>();
        /** Node to drop, or to replace by the collapsed float node, keyed by identity of the original node. */
        private final Map<NodeProto, NodeProto> replacements = new java.util.IdentityHashMap<>();

        private final Set<String> dequantisation = new HashSet<>();

        FloatView(GraphProto graph) {
            this.graph = graph;
            for (NodeProto node : graph.getNodeList()) {
                node.getOutputList().forEach(out -> producers.put(out, node));
                node.getInputList()
                        .forEach(in -> consumers
                                .computeIfAbsent(in, k -> new ArrayList<>())
                                .add(node));
            }
            for (NodeProto node : graph.getNodeList()) {
                if (node.getOpType().equals("MatMulInteger")) {
                    collapseMatMul(node);
                } else if (node.getOpType().equals("DequantizeLinear")) {
                    collapseGather(node);
                }
            }
        }

        /** DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul(scales) becomes MatMul(x, W) at the last Mul. */
        private void collapseMatMul(NodeProto matMul) {
            NodeProto quantizeInput = producer(matMul.getInput(0), "DynamicQuantizeLinear");
            NodeProto cast = onlyConsumer(matMul, "Cast");
            NodeProto rescale = onlyConsumer(cast, "Mul");
            String scales = rescale.getInput(0).equals(cast.getOutput(0)) ? rescale.getInput(1) : rescale.getInput(0);
            NodeProto scalesMul = producer(scales, "Mul");
            String weightScale = null;
            for (String operand : scalesMul.getInputList()) {
                if (!operand.equals(quantizeInput.getOutput(1))) {
                    weightScale = operand;
                }
            }
            record(new Quantized(matMul.getInput(1), weightScale, matMul.getInput(3), QuantScheme.MATMUL_WEIGHT));
            drop(matMul, cast, scalesMul, quantizeInput);
            replacements.put(
                    rescale,
                    NodeProto.newBuilder()
                            .setName(matMul.getName())
                            .setOpType("MatMul")
                            .addInput(quantizeInput.getInput(0))
                            .addInput(matMul.getInput(1))
                            .addOutput(rescale.getOutput(0))
                            .build());
        }

        /** Gather(Tq, ids) -> DequantizeLinear becomes Gather(T, ids) at the DequantizeLinear. */
        private void collapseGather(NodeProto dequantize) {
            NodeProto gather = producer(dequantize.getInput(0), "Gather");
            if (!initializers.containsKey(gather.getInput(0)) || dequantize.getInputCount() != 3) {
                throw new IllegalArgumentException(dequantize.getName() + " does not dequantise a gathered table");
            }
            record(new Quantized(
                    gather.getInput(0), dequantize.getInput(1), dequantize.getInput(2), QuantScheme.GATHER_TABLE));
            drop(gather);
            replacements.put(
                    dequantize,
                    gather.toBuilder().setOutput(0, dequantize.getOutput(0)).build());
        }

        private void record(Quantized q) {
            if (q.scale() == null
                    || !initializers.containsKey(q.scale())
                    || !initializers.containsKey(q.values())
                    || !initializers.containsKey(q.zeroPoint())) {
                throw new IllegalArgumentException("quantised " + q.values() + " lacks an initializer: " + q);
            }
            quantized.put(q.values(), q);
            dequantisation.addAll(List.of(q.scale(), q.zeroPoint()));
        }

        private void drop(NodeProto... nodes) {
            for (NodeProto node : nodes) {
                replacements.put(node, null);
            }
        }

        GraphProto graph() {
            GraphProto.Builder view = graph.toBuilder().clearNode().clearInitializer();
            for (NodeProto node : graph.getNodeList()) {
                if (!replacements.containsKey(node)) {
                    view.addNode(node);
                } else if (replacements.get(node) != null) {
                    view.addNode(replacements.get(node));
                }
            }
            for (TensorProto tensor : graph.getInitializerList()) {
                if (quantized.containsKey(tensor.getName())) {
                    // A stand-in: RoleMapper only looks at the type and rank of a weight, never its values.
                    view.addInitializer(TensorProto.newBuilder()
                            .setName(tensor.getName())
                            .setDataType(TensorProto.DataType.FLOAT_VALUE)
                            .addAllDims(tensor.getDimsList()));
                } else if (!dequantisation.contains(tensor.getName())) {
                    view.addInitializer(tensor);
                }
            }
            checkNoQuantisedOps(view);
            return view.build();
        }

        /** Every quantised op must have been collapsed, or a role would silently be missing. */
        private void checkNoQuantisedOps(GraphProto.Builder view) {
            Set<String> produced = new HashSet<>();
            view.getNodeList().forEach(n -> produced.addAll(n.getOutputList()));
            for (NodeProto node : view.getNodeList()) {
                for (String input : node.getInputList()) {
                    NodeProto original = producers.get(input);
                    if (original != null && !produced.contains(input)) {
                        throw new IllegalArgumentException(node.getName() + " reads " + input
                                + ", which only a collapsed quantisation node produced");
                    }
                }
                if (Set.of("MatMulInteger", "DynamicQuantizeLinear", "DequantizeLinear", "QuantizeLinear")
                        .contains(node.getOpType())) {
                    throw new IllegalArgumentException("quantised node " + node.getName() + " left in the float view");
                }
            }
        }

        private NodeProto producer(String tensor, String opType) {
            NodeProto node = producers.get(tensor);
            if (node == null || !node.getOpType().equals(opType)) {
                throw new IllegalArgumentException(tensor + " should come from a " + opType);
            }
            return node;
        }

        private NodeProto onlyConsumer(NodeProto node, String opType) {
            List<NodeProto> next = consumers.getOrDefault(node.getOutput(0), List.of());
            if (next.size() != 1 || !next.get(0).getOpType().equals(opType)) {
                throw new IllegalArgumentException(node.getName() + " should feed exactly one " + opType);
            }
            return next.get(0);
        }
    }
}
