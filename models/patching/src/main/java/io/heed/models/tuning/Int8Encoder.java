/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.tuning;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.heed.models.Sha256;
import io.heed.models.ToolArguments;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.EncoderWeights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Derives the int8 variant of a tuned encoder: the bundled int8 graph (ONNX Runtime's dynamic quantisation of the
 * same fp32 model) with every quantised weight re-quantised from the tuned fp32 weight of the same role, by the scheme
 * the bundled file was made with ({@link QuantScheme}), and every float it keeps (biases, LayerNorms) replaced by the
 * tuned value. ONNX Runtime's quantiser is a Python tool; this keeps the build in Java. The activations are then
 * quantised per token row ({@link RowwiseActivations}), so that a text's result does not depend on its batch.
 */
public final class Int8Encoder {
    private Int8Encoder() {}

    /**
     * Writes both tuned models from a patch: {@code --patch encoder-patch.bin --fp32 tuned.onnx --int8
     * tuned-int8.onnx [--weights tuned|bge-small]}. The bases are the published fp32 and int8 graphs those weights
     * start from (the langchain4j Maven artifacts on the classpath; default: all-MiniLM-L6-v2).
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> options = ToolArguments.parse(
                args, new LinkedHashMap<>(Map.of("patch", "", "fp32", "", "int8", "", "weights", "tuned")));
        if (options.values().stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(
                    "usage: --patch encoder-patch.bin --fp32 tuned.onnx --int8 tuned-int8.onnx [--weights tuned]");
        }
        EncoderWeights weights = EncoderWeights.parse(options.get("weights"));
        if (weights == EncoderWeights.FROZEN) {
            throw new IllegalArgumentException("the frozen weights are the published graph itself: nothing to derive");
        }
        Path baseFp32 = weights.baseOnnxFile(EncoderVariant.FP32);
        Path baseInt8 = weights.baseOnnxFile(EncoderVariant.INT8);
        Path fp32 = Path.of(options.get("fp32"));
        Path int8 = Path.of(options.get("int8"));
        // Every build runs this; derive again only when the patch or the base model changed (about 15 s saved).
        String inputs = Sha256.hex(Path.of(options.get("patch"))) + " " + Sha256.hex(baseFp32) + " "
                + Sha256.hex(baseInt8) + " rowwise-activations\n";
        Path stamp = fp32.resolveSibling(fp32.getFileName() + ".inputs");
        if (Files.exists(fp32)
                && Files.exists(int8)
                && Files.exists(stamp)
                && Files.readString(stamp).equals(inputs)) {
            return;
        }
        write(baseFp32, baseInt8, EncoderPatch.read(Path.of(options.get("patch"))), fp32, int8);
        Files.writeString(stamp, inputs);
    }

    /**
     * Writes the tuned fp32 model ({@code baseFp32} with the patch) and its int8 variant ({@code baseInt8}, the
     * quantised export of the same base model, re-quantised from the tuned weights, activations per token row).
     */
    public static void write(Path baseFp32, Path baseInt8, EncoderPatch patch, Path fp32Out, Path int8Out)
            throws IOException {
        EncoderGraph tuned = EncoderGraph.of(PatchedEncoder.derive(EncoderGraph.read(baseFp32), patch));
        for (Path out : new Path[] {
            PatchedEncoder.writeModel(tuned.model(), fp32Out),
            PatchedEncoder.writeModel(RowwiseActivations.apply(derive(read(baseInt8), tuned)), int8Out)
        }) {
            System.out.println("Wrote " + out + " (sha256 " + Sha256.hex(out) + ")");
        }
    }

    /** The int8 model with the tuned fp32 encoder's weights quantised into it. */
    public static ModelProto derive(ModelProto int8, EncoderGraph tunedFp32) {
        QuantizedGraph graph = QuantizedGraph.of(int8);
        if (!graph.roles().equals(tunedFp32.roles())) {
            throw new IllegalArgumentException("the int8 and fp32 graphs have different roles");
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        for (String role : graph.roles()) {
            if (!Arrays.equals(graph.shape(role), tunedFp32.shape(role))) {
                throw new IllegalArgumentException(role + " is " + Arrays.toString(graph.shape(role))
                        + " in the int8 graph, " + Arrays.toString(tunedFp32.shape(role)) + " in the fp32 one");
            }
            values.put(role, tunedFp32.values(role));
        }
        return graph.withValues(values);
    }

    static ModelProto read(Path onnx) throws IOException {
        try (InputStream in = Files.newInputStream(onnx)) {
            return ModelProto.parseFrom(in);
        }
    }
}
