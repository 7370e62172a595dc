/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps the initializers of a BERT encoder graph to their roles by following the nodes that use them, not by their
 * names: the exporter gives the 36 weight matrices generated names ({@code onnx::MatMul_787}), and another export of
 * the same model may name everything differently. What is relied on is the computation itself: embedding Gathers,
 * decomposed LayerNorms (Mul by gamma, Add of beta, after a Div by a Sqrt), MatMuls by 2-D initializers each followed
 * by an Add of a 1-D bias, and the attention pattern (query and key meet in one MatMul, whose Softmax output meets
 * value in the next).
 */
final class RoleMapper {
    private final Map<String, TensorProto> initializers = new HashMap<>();
    private final Map<String, NodeProto> producers = new HashMap<>();
    private final Map<String, List<NodeProto>> consumers = new HashMap<>();
    private final List<NodeProto> nodes;
    private final Map<String, String> roles = new LinkedHashMap<>();

    private RoleMapper(GraphProto graph) {
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        nodes = graph.getNodeList();
        for (NodeProto node : nodes) {
            node.getOutputList().forEach(out -> producers.put(out, node));
            node.getInputList()
                    .forEach(in -> consumers
                            .computeIfAbsent(in, k -> new ArrayList<>())
                            .add(node));
        }
    }

    /** Role name to initializer name, for every float initializer of the graph. */
    static Map<String, String> map(GraphProto graph) {
        RoleMapper mapper = new RoleMapper(graph);
        mapper.mapEmbeddings();
        List<NodeProto> norms = mapper.layerNorms();
        if (norms.size() % 2 != 1) {
            throw new IllegalArgumentException(
                    "expected one LayerNorm after the embeddings and two per layer, found " + norms.size());
        }
        mapper.put(Norm.EMBEDDINGS_GAMMA, mapper.initializerInput(norms.get(0)));
        mapper.put(Norm.EMBEDDINGS_BETA, mapper.initializerInput(mapper.onlyConsumer(norms.get(0), "Add")));
        for (int layer = 0; layer < norms.size() / 2; layer++) {
            mapper.mapLayer(layer, norms.get(2 * layer), norms.get(2 * layer + 1), norms.get(2 * layer + 2));
        }
        mapper.checkComplete();
        return mapper.roles;
    }

    private void mapEmbeddings() {
        for (NodeProto node : nodes) {
            if (node.getOpType().equals("Gather") && isFloatInitializer(node.getInput(0), 2)) {
                String role = switch (node.getInput(1)) {
                    case "input_ids" -> EncoderGraph.WORD_EMBEDDINGS;
                    case "token_type_ids" -> EncoderGraph.TOKEN_TYPE_EMBEDDINGS;
                    default -> EncoderGraph.POSITION_EMBEDDINGS; // indices computed in the graph (a Slice of ids)
                };
                put(role, node.getInput(0));
            }
        }
    }

    /** The {@code Mul(normalised, gamma)} node of every decomposed LayerNorm, in graph order. */
    private List<NodeProto> layerNorms() {
        List<NodeProto> norms = new ArrayList<>();
        for (NodeProto node : nodes) {
            if (node.getOpType().equals("Mul") && initializerInputOrNull(node, 1) != null) {
                NodeProto div = producers.get(node.getInput(0));
                NodeProto sqrt = div == null || !div.getOpType().equals("Div") ? null : producers.get(div.getInput(1));
                if (sqrt != null && sqrt.getOpType().equals("Sqrt")) {
                    norms.add(node);
                }
            }
        }
        return norms;
    }

    /**
     * One layer, between the LayerNorm that produces its input, the one after attention, and the one after the
     * feed-forward block.
     */
    private void mapLayer(int layer, NodeProto inputNorm, NodeProto attentionNorm, NodeProto outputNorm) {
        String input = normOutput(inputNorm);
        String middle = normOutput(attentionNorm);
        List<NodeProto> attentionInputs = new ArrayList<>();
        NodeProto intermediate = null;
        for (NodeProto node : nodes) {
            if (isWeightMatMul(node) && node.getInput(0).equals(input)) {
                attentionInputs.add(node);
            } else if (isWeightMatMul(node) && node.getInput(0).equals(middle)) {
                intermediate = node;
            }
        }
        if (attentionInputs.size() != 3 || intermediate == null) {
            throw new IllegalArgumentException(
                    "layer " + layer + ": expected query, key and value MatMuls on the layer "
                            + "input and one feed-forward MatMul after attention, found " + attentionInputs.size());
        }
        for (NodeProto matMul : attentionInputs) {
            putProjection(layer, attentionRole(matMul), matMul);
        }
        putProjection(layer, Projection.INTERMEDIATE, intermediate);
        putProjection(layer, Projection.ATTENTION_OUTPUT, denseBeforeResidual(attentionNorm));
        putProjection(layer, Projection.OUTPUT, denseBeforeResidual(outputNorm));
        put(Norm.ATTENTION.gamma(layer), initializerInput(attentionNorm));
        put(Norm.ATTENTION.beta(layer), initializerInput(onlyConsumer(attentionNorm, "Add")));
        put(Norm.OUTPUT.gamma(layer), initializerInput(outputNorm));
        put(Norm.OUTPUT.beta(layer), initializerInput(onlyConsumer(outputNorm, "Add")));
    }

    /**
     * Query, key or value, told apart by where the projection flows: query is the left operand of the score MatMul,
     * key its right operand, value the right operand of the MatMul that takes the Softmax.
     */
    private Projection attentionRole(NodeProto projection) {
        Deque<String> pending = new ArrayDeque<>(List.of(projection.getOutput(0)));
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            String tensor = pending.pop();
            if (!seen.add(tensor)) {
                continue;
            }
            for (NodeProto consumer : consumers.getOrDefault(tensor, List.of())) {
                if (consumer.getOpType().equals("Shape")) {
                    continue; // shape bookkeeping, not data flow
                }
                if (consumer.getOpType().equals("MatMul") && !isWeightMatMul(consumer)) {
                    int slot = consumer.getInput(0).equals(tensor) ? 0 : 1;
                    NodeProto left = producers.get(consumer.getInput(0));
                    if (slot == 1 && left != null && left.getOpType().equals("Softmax")) {
                        return Projection.VALUE;
                    }
                    return slot == 0 ? Projection.QUERY : Projection.KEY;
                }
                pending.addAll(consumer.getOutputList());
            }
        }
        throw new IllegalArgumentException("projection " + projection.getName() + " never reaches an attention MatMul");
    }

    /** The dense MatMul whose biased output is added to the residual stream just before this LayerNorm. */
    private NodeProto denseBeforeResidual(NodeProto normMul) {
        // Mul(gamma) <- Div <- Sub(x, mean): x is the LayerNorm's input, the residual sum.
        NodeProto sub = producers.get(producers.get(normMul.getInput(0)).getInput(0));
        NodeProto residual = sub == null || !sub.getOpType().equals("Sub") ? null : producers.get(sub.getInput(0));
        if (residual == null || !residual.getOpType().equals("Add")) {
            throw new IllegalArgumentException("LayerNorm " + normMul.getName() + " does not follow a residual Add");
        }
        for (String operand : residual.getInputList()) {
            NodeProto biasAdd = producers.get(operand);
            if (biasAdd != null && biasAdd.getOpType().equals("Add")) {
                for (String biasOperand : biasAdd.getInputList()) {
                    NodeProto matMul = producers.get(biasOperand);
                    if (matMul != null && isWeightMatMul(matMul)) {
                        return matMul;
                    }
                }
            }
        }
        throw new IllegalArgumentException("no dense layer feeds the residual add before " + normMul.getName());
    }

    private void putProjection(int layer, Projection projection, NodeProto matMul) {
        put(projection.weight(layer), matMul.getInput(1));
        put(projection.bias(layer), initializerInput(onlyConsumer(matMul, "Add")));
    }

    private String normOutput(NodeProto normMul) {
        return onlyConsumer(normMul, "Add").getOutput(0);
    }

    private NodeProto onlyConsumer(NodeProto node, String opType) {
        List<NodeProto> next = consumers.getOrDefault(node.getOutput(0), List.of());
        if (next.size() != 1 || !next.get(0).getOpType().equals(opType)) {
            throw new IllegalArgumentException(node.getName() + " should feed exactly one " + opType);
        }
        return next.get(0);
    }

    private boolean isWeightMatMul(NodeProto node) {
        return node.getOpType().equals("MatMul") && isFloatInitializer(node.getInput(1), 2);
    }

    /** The node's only 1-D float initializer input. */
    private String initializerInput(NodeProto node) {
        for (String input : node.getInputList()) {
            if (isFloatInitializer(input, 1)) {
                return input;
            }
        }
        throw new IllegalArgumentException(node.getName() + " has no 1-D initializer input");
    }

    private String initializerInputOrNull(NodeProto node, int slot) {
        return node.getInputCount() > slot && isFloatInitializer(node.getInput(slot), 1) ? node.getInput(slot) : null;
    }

    private boolean isFloatInitializer(String name, int rank) {
        TensorProto tensor = initializers.get(name);
        return tensor != null
                && tensor.getDataType() == TensorProto.DataType.FLOAT_VALUE
                && tensor.getDimsCount() == rank;
    }

    private void put(String role, String initializer) {
        if (roles.containsValue(initializer) || roles.containsKey(role)) {
            throw new IllegalArgumentException("initializer " + initializer + " or role " + role + " mapped twice");
        }
        roles.put(role, initializer);
    }

    private void checkComplete() {
        for (TensorProto tensor : initializers.values()) {
            if (tensor.getDataType() == TensorProto.DataType.FLOAT_VALUE && !roles.containsValue(tensor.getName())) {
                throw new IllegalArgumentException("float initializer " + tensor.getName() + " has no BERT role");
            }
        }
    }
}
