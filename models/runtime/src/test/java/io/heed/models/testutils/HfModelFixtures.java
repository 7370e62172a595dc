/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.testutils;

import ai.onnx.proto.OnnxMl;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.heed.models.encoder.EncoderVariant;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes small Hugging Face-style classifier exports (config.json, tokenizer.json, model.onnx) for tests, built in
 * the build from the bundled MiniLM encoder: nothing is downloaded. Each model.onnx is the encoder graph with a
 * classification head appended, so it is a real transformer classifier with the inputs and {@code logits} output an
 * {@code optimum-cli} export has.
 *
 * <p>The heads are rigged, not trained: a small seeded random projection of the encoder states (so the encoder
 * really feeds the logits) plus a per-token lookup table that dominates it for a handful of words. That makes the
 * outputs predictable ("great" is positive, "paris" is B-LOC), so tests check the plumbing (tokenisation, batching,
 * truncation, label mapping, offsets, aggregation), not model quality. Used by this module's tests and, through the
 * test-jar, by the job's.
 */
public final class HfModelFixtures {
    /** dslim/bert-base-NER's label order, so the mapping is exercised on a realistic id2label. */
    public static final List<String> NER_LABELS =
            List.of("O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC");

    public static final List<String> SENTIMENT_LABELS = List.of("NEGATIVE", "POSITIVE");
    /** Words the sentiment fixture scores: each adds {@code WORD_WEIGHT} logits to its side, wherever it occurs. */
    public static final List<String> POSITIVE_WORDS = List.of("great", "wonderful", "love", "excellent", "happy");

    public static final List<String> NEGATIVE_WORDS = List.of("terrible", "awful", "hate", "horrible", "sad");
    private static final float WORD_WEIGHT = 4f;
    /** Scale of the random encoder projection: small next to the lookup, so it never flips a rigged word. */
    private static final float PROJECTION_SCALE = 0.01f;

    private static final EncoderVariant ENCODER = EncoderVariant.INT8;
    private static final Gson GSON = new Gson();

    private HfModelFixtures() {}

    /**
     * A sequence classifier: {@code logits[b, l] = mean_t(h[b,t]) . W[:, l] + bias[l] + sum_t T[id[b,t], l]}
     * over real tokens, labels NEGATIVE/POSITIVE; T gives the {@link #POSITIVE_WORDS} and {@link #NEGATIVE_WORDS}.
     *
     * @return {@code dir}
     */
    public static Path writeSequenceClassifier(Path dir) {
        Map<String, Integer> vocab = vocabulary();
        int labels = SENTIMENT_LABELS.size();
        float[] table = new float[vocab.size() * labels];
        for (String word : POSITIVE_WORDS) {
            table[id(vocab, word) * labels + 1] = WORD_WEIGHT;
        }
        for (String word : NEGATIVE_WORDS) {
            table[id(vocab, word) * labels] = WORD_WEIGHT;
        }
        return write(dir, "BertForSequenceClassification", SENTIMENT_LABELS, table, false);
    }

    /**
     * A token classifier: {@code logits[b, t, l] = h[b,t] . W[:, l] + bias[l] + T[id[b,t], l]} with
     * dslim/bert-base-NER's labels. T makes every token O except: paris, london, berlin, zurich -> B-LOC;
     * barack, angela -> B-PER; obama, smith -> I-PER (B-PER second, so alone they start a PER); google -> B-ORG; and
     * every continuation piece ("##...") -> I-MISC, a trap for decoders that tag word pieces instead of words.
     *
     * @return {@code dir}
     */
    public static Path writeTokenClassifier(Path dir) {
        Map<String, Integer> vocab = vocabulary();
        int labels = NER_LABELS.size();
        float[] table = new float[vocab.size() * labels];
        for (int id = 0; id < vocab.size(); id++) {
            table[id * labels + NER_LABELS.indexOf("O")] = 3f;
        }
        for (Map.Entry<String, Integer> entry : vocab.entrySet()) {
            if (entry.getKey().startsWith("##")) {
                table[entry.getValue() * labels + NER_LABELS.indexOf("I-MISC")] = 4f;
            }
        }
        for (String word : List.of("paris", "london", "berlin", "zurich")) {
            table[id(vocab, word) * labels + NER_LABELS.indexOf("B-LOC")] = 8f;
        }
        for (String word : List.of("barack", "angela")) {
            table[id(vocab, word) * labels + NER_LABELS.indexOf("B-PER")] = 8f;
        }
        for (String word : List.of("obama", "smith")) {
            table[id(vocab, word) * labels + NER_LABELS.indexOf("I-PER")] = 8f;
            table[id(vocab, word) * labels + NER_LABELS.indexOf("B-PER")] = 7f;
        }
        table[id(vocab, "google") * labels + NER_LABELS.indexOf("B-ORG")] = 8f;
        return write(dir, "BertForTokenClassification", NER_LABELS, table, true);
    }

    private static Path write(Path dir, String architecture, List<String> labels, float[] table, boolean perToken) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("tokenizer.json"), resource(ENCODER.tokenizerResource()));
            Files.writeString(dir.resolve("config.json"), config(architecture, labels));
            OnnxMl.ModelProto encoder = OnnxMl.ModelProto.parseFrom(resource(ENCODER.onnxResource()));
            Files.write(
                    dir.resolve("model.onnx"),
                    withHead(encoder, labels.size(), table, perToken).toByteArray());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write fixture model to " + dir, e);
        }
    }

    private static String config(String architecture, List<String> labels) {
        JsonObject config = new JsonObject();
        config.add("architectures", GSON.toJsonTree(List.of(architecture)));
        config.addProperty("model_type", "bert");
        Map<String, String> id2label = new LinkedHashMap<>();
        Map<String, Integer> label2id = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            id2label.put(Integer.toString(i), labels.get(i));
            label2id.put(labels.get(i), i);
        }
        config.add("id2label", GSON.toJsonTree(id2label));
        config.add("label2id", GSON.toJsonTree(label2id));
        config.addProperty("max_position_embeddings", 512);
        config.addProperty("pad_token_id", 0);
        config.addProperty("hidden_size", 384);
        config.addProperty("_comment", "Heed test fixture: bundled MiniLM encoder + rigged head (HfModelFixtures)");
        return GSON.toJson(config);
    }

    /**
     * The encoder graph with its {@code last_hidden_state} output replaced by {@code logits}. Only ops whose form is
     * the same in every opset since 9 (Cast, Reshape, MatMul, Div, Add, Gather), so the head fits whatever opset the
     * encoder file declares.
     */
    private static OnnxMl.ModelProto withHead(OnnxMl.ModelProto encoder, int labels, float[] table, boolean perToken) {
        OnnxMl.GraphProto.Builder graph = encoder.getGraph().toBuilder();
        String states = graph.getOutput(0).getName();
        int hidden = 384;
        Random random = new Random(42);
        float[] projection = new float[hidden * labels];
        for (int i = 0; i < projection.length; i++) {
            projection[i] = (float) random.nextGaussian() * PROJECTION_SCALE;
        }
        graph.addInitializer(floats("fixture_W", projection, hidden, labels));
        graph.addInitializer(floats("fixture_b", new float[labels], labels));
        graph.addInitializer(floats("fixture_T", table, table.length / labels, labels));
        graph.addNode(node("Gather", List.of("fixture_T", "input_ids"), "fixture_lookup"));
        if (perToken) {
            graph.addNode(node("MatMul", List.of(states, "fixture_W"), "fixture_projected"));
            graph.addNode(node("Add", List.of("fixture_projected", "fixture_b"), "fixture_encoder_logits"));
            graph.addNode(node("Add", List.of("fixture_encoder_logits", "fixture_lookup"), "logits"));
        } else {
            // Masked sums as batched matrix products: mask [b,1,s] x states [b,s,h] sums the real tokens' states.
            graph.addInitializer(longs("fixture_row_shape", 0, 1, -1));
            graph.addInitializer(longs("fixture_column_shape", 0, -1, 1));
            graph.addInitializer(longs("fixture_out_shape", 0, -1));
            graph.addNode(node("Cast", List.of("attention_mask"), "fixture_mask")
                    .addAttribute(OnnxMl.AttributeProto.newBuilder()
                            .setName("to")
                            .setType(OnnxMl.AttributeProto.AttributeType.INT)
                            .setI(OnnxMl.TensorProto.DataType.FLOAT.getNumber())));
            graph.addNode(node("Reshape", List.of("fixture_mask", "fixture_row_shape"), "fixture_mask_row"));
            graph.addNode(node("Reshape", List.of("fixture_mask", "fixture_column_shape"), "fixture_mask_column"));
            graph.addNode(node("MatMul", List.of("fixture_mask_row", states), "fixture_state_sum"));
            graph.addNode(node("MatMul", List.of("fixture_mask_row", "fixture_mask_column"), "fixture_count"));
            graph.addNode(node("Div", List.of("fixture_state_sum", "fixture_count"), "fixture_mean"));
            graph.addNode(node("MatMul", List.of("fixture_mean", "fixture_W"), "fixture_projected"));
            graph.addNode(node("Add", List.of("fixture_projected", "fixture_b"), "fixture_encoder_logits"));
            graph.addNode(node("MatMul", List.of("fixture_mask_row", "fixture_lookup"), "fixture_lookup_sum"));
            graph.addNode(node("Add", List.of("fixture_encoder_logits", "fixture_lookup_sum"), "fixture_logits3"));
            graph.addNode(node("Reshape", List.of("fixture_logits3", "fixture_out_shape"), "logits"));
        }
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch_size"));
        if (perToken) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("sequence_length"));
        }
        shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(labels));
        graph.clearOutput()
                .addOutput(OnnxMl.ValueInfoProto.newBuilder()
                        .setName("logits")
                        .setType(OnnxMl.TypeProto.newBuilder()
                                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                                        .setShape(shape))));
        return encoder.toBuilder().setGraph(graph).build();
    }

    private static OnnxMl.NodeProto.Builder node(String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder()
                .setOpType(op)
                .setName(output + "_node")
                .addAllInput(inputs)
                .addOutput(output);
    }

    private static OnnxMl.TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .addAllDims(java.util.Arrays.stream(dims).boxed().toList())
                .setRawData(ByteString.copyFrom(bytes.array()))
                .build();
    }

    private static OnnxMl.TensorProto longs(String name, long... values) {
        return OnnxMl.TensorProto.newBuilder()
                .setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
                .addDims(values.length)
                .addAllInt64Data(java.util.Arrays.stream(values).boxed().toList())
                .build();
    }

    private static Map<String, Integer> vocabulary() {
        JsonObject tokenizer = JsonParser.parseString(
                        new String(resource(ENCODER.tokenizerResource()), StandardCharsets.UTF_8))
                .getAsJsonObject();
        Map<String, Integer> vocab = new LinkedHashMap<>();
        tokenizer
                .getAsJsonObject("model")
                .getAsJsonObject("vocab")
                .entrySet()
                .forEach(entry -> vocab.put(entry.getKey(), entry.getValue().getAsInt()));
        return vocab;
    }

    private static int id(Map<String, Integer> vocab, String word) {
        Integer id = vocab.get(word);
        if (id == null) {
            throw new IllegalStateException("'" + word + "' is not one word piece of the bundled vocabulary");
        }
        return id;
    }

    private static byte[] resource(String name) {
        try (InputStream in = HfModelFixtures.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Bundled model file " + name + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read bundled model file " + name, e);
        }
    }
}
