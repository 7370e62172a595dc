/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes a dynamically quantised graph batch-invariant: every activation is quantised per token row instead of per
 * tensor. ONNX Runtime's {@code quantize_dynamic} puts a {@code DynamicQuantizeLinear} before each group of weight
 * {@code MatMulInteger}s; its scale and zero point come from the minimum and maximum of the whole activation tensor,
 * that is of every text in the batch (padding included), so a text's result depends on what it was batched with.
 *
 * <p>Each {@code DynamicQuantizeLinear(x)} becomes a symmetric quantisation over the last axis only: scale = max|x| /
 * 127 per row, values = round(x / scale) + 128 as uint8 with the zero point 128 for every row. A constant zero point
 * is what ONNX Runtime's {@code MatMulInteger} accepts (it takes no per-row zero point for its first input); the
 * per-row scale (shape {@code [..., 1]}) flows into the graph's existing {@code x_scale * w_scale} product by
 * broadcasting. Integer products are exact and every other op works row by row, so a row's result no longer depends on
 * the other rows. The weights and the rest of the graph are untouched.
 *
 * <p>Per-row scales follow each token's own range, so the result is also closer to the fp32 encoder; the price is a
 * few more element-wise passes over each activation (ONNX Runtime can no longer fuse the quantisation into its
 * integer matrix product). The benchmark shows the cost in records per second.
 */
public final class RowwiseActivations {
    private static final String ZERO_POINT = "heed_rowwise_zero_point";
    private static final String LEVELS = "heed_rowwise_127";
    private static final String SHIFT = "heed_rowwise_128_5";
    private static final String TINY = "heed_rowwise_tiny";

    private RowwiseActivations() {}

    /** True when {@code model} was already rewritten (it carries this class's constants). */
    public static boolean isRowwise(ModelProto model) {
        return model.getGraph().getInitializerList().stream()
                .anyMatch(t -> t.getName().equals(ZERO_POINT));
    }

    public static ModelProto apply(ModelProto model) {
        if (isRowwise(model)) {
            return model;
        }
        GraphProto graph = model.getGraph();
        GraphProto.Builder out = graph.toBuilder().clearNode();
        Set<String> zeroPoints = new HashSet<>();
        for (NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("DynamicQuantizeLinear")) {
                quantizePerRow(out, node);
                zeroPoints.add(node.getOutput(2));
            } else if (node.getOpType().equals("MatMulInteger")
                    && node.getInputCount() > 2
                    && zeroPoints.contains(node.getInput(2))) {
                out.addNode(node.toBuilder().setInput(2, ZERO_POINT));
            } else {
                for (String input : node.getInputList()) {
                    if (zeroPoints.contains(input)) {
                        throw new IllegalArgumentException(node.getOpType() + " " + node.getName()
                                + " reads the activation zero point " + input + ": only MatMulInteger can");
                    }
                }
                out.addNode(node);
            }
        }
        if (zeroPoints.isEmpty()) {
            throw new IllegalArgumentException(
                    "no DynamicQuantizeLinear in the graph: not a dynamically quantised model");
        }
        out.addAllInitializer(List.of(
                floatScalar(LEVELS, 127f),
                floatScalar(SHIFT, 128.5f),
                floatScalar(TINY, Float.MIN_NORMAL),
                TensorProto.newBuilder()
                        .setName(ZERO_POINT)
                        .setDataType(TensorProto.DataType.UINT8_VALUE)
                        .setRawData(ByteString.copyFrom(new byte[] {(byte) 128}))
                        .build()));
        return model.toBuilder().setGraph(out).build();
    }

    /** The nodes replacing {@code dql}: the same quantised output and scale names, the scale now one per row. */
    private static void quantizePerRow(GraphProto.Builder out, NodeProto dql) {
        String x = dql.getInput(0);
        String quantized = dql.getOutput(0);
        String scale = dql.getOutput(1);
        String p = dql.getName() + "_rowwise";
        out.addNode(op("Abs", p + "/abs", x));
        out.addNode(op("ReduceMax", p + "/absmax", p + "/abs").toBuilder()
                .addAttribute(AttributeProto.newBuilder()
                        .setName("axes")
                        .setType(AttributeProto.AttributeType.INTS)
                        .addInts(-1))
                .addAttribute(intAttribute("keepdims", 1)));
        out.addNode(op("Div", p + "/scale_raw", p + "/absmax", LEVELS));
        // An all-zero row has max 0; any positive scale quantises it to the zero point.
        out.addNode(op("Max", scale, p + "/scale_raw", TINY));
        out.addNode(op("Reciprocal", p + "/inverse", scale));
        out.addNode(op("Mul", p + "/scaled", x, p + "/inverse"));
        // |scaled| <= 127, so scaled + 128.5 is positive and Cast's truncation rounds it half up to 1..255.
        out.addNode(op("Add", p + "/shifted", p + "/scaled", SHIFT));
        out.addNode(op("Cast", quantized, p + "/shifted").toBuilder()
                .addAttribute(intAttribute("to", TensorProto.DataType.UINT8_VALUE)));
    }

    private static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeProto.AttributeType.INT)
                .setI(value)
                .build();
    }

    private static NodeProto op(String type, String output, String... inputs) {
        NodeProto.Builder node =
                NodeProto.newBuilder().setOpType(type).setName(output).addOutput(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        return node.build();
    }

    private static TensorProto floatScalar(String name, float value) {
        return TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addFloatData(value)
                .build();
    }
}
