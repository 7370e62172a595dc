/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.heed.models.HeadFile;
import io.heed.models.Sha256;
import io.heed.models.ToolArguments;
import io.heed.models.encoder.EncoderWeights;
import io.heed.models.encoder.HeadsGraph;
import io.heed.models.entities.EntityHead;
import io.heed.models.sentiment.SentimentHead;
import io.heed.models.tuning.PatchedEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the {@link HeadsGraph} from the heads' files: the sentiment head's per-token network and the entity head's
 * per-word network as ONNX nodes, with the heads' weights as initializers. The z-scoring of the encoder states is
 * folded into the first layers' weights ({@code W' = diag(1/std) W}, {@code b' = b - (mean/std) W}), one product
 * fewer per token.
 *
 * <pre>
 *   token.sentiment_projection = tanh(h W1' + b1')                 [rows, width, P]
 *   token.sentiment_score      = token.sentiment_projection q      [rows, width, 1]
 *   item.entity_partials       = mask * (h[gather_index] Ws' + cs) + flags Wf + concat_k E[ids_k] We
 *                                                                    [words, 3P]: one P-block per w1 row block
 * </pre>
 */
public final class HeadsGraphBuilder {
    private static final int OPSET = 13;
    private static final int IR_VERSION = 7;

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("heed-heads");
    private final StringBuilder itemInputs = new StringBuilder();

    private HeadsGraphBuilder() {}

    /**
     * Writes the heads graph of the bundled heads of some weights: {@code --weights tuned|frozen|bge-small --out heads.onnx}.
     * Skipped when the output exists and was made from the same head files.
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = ToolArguments.parse(args, new LinkedHashMap<>(Map.of("weights", "", "out", "")));
        if (options.get("weights").isBlank() || options.get("out").isBlank()) {
            throw new IllegalArgumentException("usage: --weights tuned|frozen|bge-small --out heads.onnx");
        }
        EncoderWeights weights = EncoderWeights.parse(options.get("weights"));
        HeadFile sentiment = bundled(weights, SentimentHead.BUNDLED_FILE, "sentiment head");
        HeadFile entities = bundled(weights, EntityHead.BUNDLED_FILE, "entity head");
        Path out = Path.of(options.get("out"));
        String inputs = Sha256.hex(sentiment.toBytes()) + " " + Sha256.hex(entities.toBytes()) + " heads-graph-v1\n";
        Path stamp = out.resolveSibling(out.getFileName() + ".inputs");
        if (Files.exists(out) && Files.exists(stamp) && Files.readString(stamp).equals(inputs)) {
            return;
        }
        PatchedEncoder.writeModel(build(sentiment, entities), out);
        Files.writeString(stamp, inputs);
        System.out.println("Wrote " + out + " (sha256 " + Sha256.hex(out) + ")");
    }

    private static HeadFile bundled(EncoderWeights weights, String frozenResource, String kind) {
        return HeadFile.loadResource(
                HeadsGraphBuilder.class, weights.headResource(frozenResource), kind, (file, sha) -> file);
    }

    /** The graph of both heads; either may be null (its inputs and outputs are then absent). */
    public static ModelProto build(HeadFile sentiment, HeadFile entities) {
        HeadsGraphBuilder builder = new HeadsGraphBuilder();
        int hidden =
                (sentiment != null ? sentiment : entities).tensors().get("mean").shape()[0];
        builder.input(HeadsGraph.STATES, TensorProto.DataType.FLOAT, "rows", "width", hidden);
        if (sentiment != null) {
            builder.addSentiment(sentiment, hidden);
        }
        if (entities != null) {
            builder.addEntities(entities, hidden);
        }
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("heed")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .addMetadataProps(StringStringEntryProto.newBuilder()
                        .setKey(HeadsGraph.ITEM_INPUTS_METADATA)
                        .setValue(builder.itemInputs.toString()))
                .setGraph(builder.graph)
                .build();
    }

    private void addSentiment(HeadFile head, int hidden) {
        int projection = head.tensors().get("b1").shape()[0];
        float[][] folded =
                foldZScore(head, head.tensor("w1", hidden, projection).values(), hidden, projection);
        float[] b1 = head.tensor("b1", projection).values().clone();
        for (int p = 0; p < projection; p++) {
            b1[p] += folded[1][p];
        }
        initializer("sentiment/w1", folded[0], hidden, projection);
        initializer("sentiment/b1", b1, projection);
        initializer("sentiment/query", head.tensor("query", projection).values(), projection, 1);
        node("MatMul", "sentiment/xw", HeadsGraph.STATES, "sentiment/w1");
        node("Add", "sentiment/pre", "sentiment/xw", "sentiment/b1");
        node("Tanh", SentimentHead.GRAPH_PROJECTION, "sentiment/pre");
        node("MatMul", SentimentHead.GRAPH_SCORE, SentimentHead.GRAPH_PROJECTION, "sentiment/query");
        output(SentimentHead.GRAPH_PROJECTION, "rows", "width", projection);
        output(SentimentHead.GRAPH_SCORE, "rows", "width", 1);
    }

    private void addEntities(HeadFile head, int hidden) {
        int flags = EntityHead.GRAPH_FLAG_WIDTH;
        int ids = EntityHead.GRAPH_ID_WIDTH;
        int[] table = head.tensors().get("embeddings").shape();
        int dim = table[1];
        int projection = head.tensors().get("b1").shape()[0];
        int wordWidth = hidden + flags + ids * dim;
        int blocks = head.tensors().get("w1").shape()[0] / wordWidth;
        float[] w1 = head.tensor("w1", blocks * wordWidth, projection).values();
        int out = blocks * projection;
        // Column block b of each matrix holds the rows of w1's block b (the previous, current or next word's part).
        float[] state = rows(w1, wordWidth, projection, blocks, 0, hidden);
        float[][] folded = foldZScore(head, state, hidden, out);
        initializer("entities/w_state", folded[0], hidden, out);
        initializer("entities/c_state", folded[1], out);
        initializer("entities/w_flags", rows(w1, wordWidth, projection, blocks, hidden, flags), flags, out);
        initializer(
                "entities/w_ids", rows(w1, wordWidth, projection, blocks, hidden + flags, ids * dim), ids * dim, out);
        initializer(
                "entities/embeddings", head.tensor("embeddings", table[0], dim).values(), table[0], dim);
        initializer("entities/flat_shape", new long[] {-1, hidden});
        initializer("entities/ids_shape", new long[] {-1, (long) ids * dim});

        input(HeadsGraph.GATHER_INDEX, TensorProto.DataType.INT64, "items");
        input(HeadsGraph.GATHER_MASK, TensorProto.DataType.FLOAT, "items", 1);
        input(EntityHead.GRAPH_FLAGS, TensorProto.DataType.FLOAT, "items", flags);
        input(EntityHead.GRAPH_IDS, TensorProto.DataType.INT64, "items", ids);
        itemInputs.append(EntityHead.GRAPH_FLAGS).append(':').append(flags).append(":float,");
        itemInputs.append(EntityHead.GRAPH_IDS).append(':').append(ids).append(":int64");

        node("Reshape", "entities/flat", HeadsGraph.STATES, "entities/flat_shape");
        gather("entities/word_states", "entities/flat", HeadsGraph.GATHER_INDEX);
        node("MatMul", "entities/state_product", "entities/word_states", "entities/w_state");
        node("Add", "entities/state_shifted", "entities/state_product", "entities/c_state");
        node("Mul", "entities/state_part", "entities/state_shifted", HeadsGraph.GATHER_MASK);
        node("MatMul", "entities/flag_part", EntityHead.GRAPH_FLAGS, "entities/w_flags");
        gather("entities/id_vectors", "entities/embeddings", EntityHead.GRAPH_IDS);
        node("Reshape", "entities/id_row", "entities/id_vectors", "entities/ids_shape");
        node("MatMul", "entities/id_part", "entities/id_row", "entities/w_ids");
        node("Sum", EntityHead.GRAPH_PARTIALS, "entities/state_part", "entities/flag_part", "entities/id_part");
        output(EntityHead.GRAPH_PARTIALS, "items", out);
    }

    /**
     * Rows {@code [first, first + count)} of every row block of {@code w1} ({@code blocks} blocks of {@code wordWidth}
     * rows, {@code projection} columns), side by side: a {@code count x (blocks * projection)} matrix.
     */
    static float[] rows(float[] w1, int wordWidth, int projection, int blocks, int first, int count) {
        int width = blocks * projection;
        float[] out = new float[count * width];
        for (int b = 0; b < blocks; b++) {
            for (int r = 0; r < count; r++) {
                System.arraycopy(
                        w1, ((b * wordWidth) + first + r) * projection, out, r * width + b * projection, projection);
            }
        }
        return out;
    }

    /**
     * {@code ((h - mean) / std) W} as {@code h W' + c}: returns {@code {W', c}} for a {@code hidden x width} matrix
     * {@code w} applied to the z-scored states of the head's statistics.
     */
    static float[][] foldZScore(HeadFile head, float[] w, int hidden, int width) {
        float[] mean = head.tensor("mean", hidden).values();
        float[] std = head.tensor("std", hidden).values();
        float[] scaled = new float[w.length];
        double[] shift = new double[width];
        for (int d = 0; d < hidden; d++) {
            float inverse = 1f / std[d];
            for (int c = 0; c < width; c++) {
                float value = w[d * width + c] * inverse;
                scaled[d * width + c] = value;
                shift[c] -= (double) mean[d] * value;
            }
        }
        float[] c = new float[width];
        for (int i = 0; i < width; i++) {
            c[i] = (float) shift[i];
        }
        return new float[][] {scaled, c};
    }

    private void node(String type, String output, String... inputs) {
        graph.addNode(nodeBuilder(type, output, inputs));
    }

    /** Rows {@code indices} of {@code table} (Gather on axis 0). */
    private void gather(String output, String table, String indices) {
        graph.addNode(nodeBuilder("Gather", output, table, indices)
                .addAttribute(AttributeProto.newBuilder()
                        .setName("axis")
                        .setType(AttributeProto.AttributeType.INT)
                        .setI(0)));
    }

    private static NodeProto.Builder nodeBuilder(String type, String output, String... inputs) {
        NodeProto.Builder node =
                NodeProto.newBuilder().setOpType(type).setName(output).addOutput(output);
        for (String input : inputs) {
            node.addInput(input);
        }
        return node;
    }

    private void initializer(String name, float[] values, int... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (int dim : dims) {
            tensor.addDims(dim);
        }
        graph.addInitializer(tensor);
    }

    private void initializer(String name, long[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        graph.addInitializer(TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(values.length)
                .setRawData(ByteString.copyFrom(bytes.array())));
    }

    private void input(String name, TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
    }

    private void output(String name, Object... dims) {
        graph.addOutput(valueInfo(name, TensorProto.DataType.FLOAT, dims));
    }

    /** A tensor's name, type and shape; a String dim is symbolic, an Integer fixed. */
    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object dim : dims) {
            shape.addDim(
                    dim instanceof String symbol
                            ? TensorShapeProto.Dimension.newBuilder().setDimParam(symbol)
                            : TensorShapeProto.Dimension.newBuilder().setDimValue((Integer) dim));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(type.getNumber())
                                .setShape(shape)))
                .build();
    }
}
