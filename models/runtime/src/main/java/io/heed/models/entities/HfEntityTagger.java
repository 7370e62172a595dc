/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import io.heed.models.InferenceDevice;
import io.heed.models.encoder.HfOnnxModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Named entities from a user's Hugging Face token-classification export (e.g. dslim/bert-base-NER) instead of the
 * bundled head: its own tokenizer and ONNX session, logits [batch, tokens, labels] -> whole entities with UTF-16 char
 * offsets into the original text, the same {@link Entity} the bundled head gives.
 *
 * <p>From tokens to entities, the way the bundled head does it: the text is split into {@link Words}; each word takes
 * the tag probabilities of its first word piece (Hugging Face's "first" aggregation), summed per IOB2 tag; the same
 * constrained Viterbi and chunking as the bundled head ({@link BioTags#entities}) joins B-/I- words into entities, so a
 * stray I- never starts an entity and continuation pieces never split a word. An entity's score is the mean
 * probability of its words' tags.
 *
 * <p>Labels: config.json's id2label names are {@code O}, or a type with an optional IOB/IOBES prefix ({@code B-},
 * {@code I-}, {@code S-}, {@code E-}; {@code _} also accepted); bare types count as both B- and I-. Types map, ignoring
 * case, to Heed's PER (PER, PERSON), ORG (ORG, ORGANIZATION, ORGANISATION), LOC (LOC, LOCATION, GPE) and MISC (MISC,
 * MISCELLANEOUS). Any other label fails at load. Words past the model's maximum length get no entities (the text is
 * truncated for the model). Not thread-safe (one ONNX predictor).
 */
public final class HfEntityTagger implements AutoCloseable {
    private static final Map<String, String> TYPES = Map.of(
            "PER",
            "PER",
            "PERSON",
            "PER",
            "ORG",
            "ORG",
            "ORGANIZATION",
            "ORG",
            "ORGANISATION",
            "ORG",
            "LOC",
            "LOC",
            "LOCATION",
            "LOC",
            "GPE",
            "LOC",
            "MISC",
            "MISC",
            "MISCELLANEOUS",
            "MISC");
    private static final Pattern PREFIXED = Pattern.compile("([BIES])[-_](.+)");
    /** Floor for a tag no model label maps to, so log-probabilities stay finite in Viterbi. */
    private static final double MIN_PROBABILITY = 1e-12;

    private final HfOnnxModel model;
    /** The IOB2 tags decoding works over: O, then B-/I- of each Heed type. */
    private final List<String> tags;
    /** For each model label, the indices in {@link #tags} its probability counts towards. */
    private final int[][] tagsOfLabel;

    private HfEntityTagger(HfOnnxModel model, List<String> tags, int[][] tagsOfLabel) {
        this.model = model;
        this.tags = tags;
        this.tagsOfLabel = tagsOfLabel;
    }

    /** Loads an export directory; fails here, naming the file, if anything is missing or a label cannot be mapped. */
    public static HfEntityTagger load(Path directory, int intraOpThreads) {
        return load(directory, intraOpThreads, InferenceDevice.cpu());
    }

    /** As {@link #load(Path, int)}, on {@code device}. */
    public static HfEntityTagger load(Path directory, int intraOpThreads, InferenceDevice device) {
        HfOnnxModel model = HfOnnxModel.load(directory, "entities", intraOpThreads, device);
        try {
            Path configFile = directory.resolve(HfOnnxModel.CONFIG);
            List<String> tags = new ArrayList<>(BioTags.CONLL_LABELS);
            int[][] tagsOfLabel = new int[model.labels().size()][];
            for (int id = 0; id < tagsOfLabel.length; id++) {
                tagsOfLabel[id] = tagIndices(model.labels().get(id), id, configFile, tags);
            }
            return new HfEntityTagger(model, List.copyOf(tags), tagsOfLabel);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Where a model label's probability goes among the IOB2 tags (Heed's CoNLL tag set). */
    static int[] tagIndices(String label, int id, Path configFile, List<String> tags) {
        String name = label.trim().toUpperCase(Locale.ROOT);
        if (name.equals("O")) {
            return new int[] {tags.indexOf("O")};
        }
        Matcher prefixed = PREFIXED.matcher(name);
        String prefix = prefixed.matches() ? prefixed.group(1) : "";
        String type = TYPES.get(prefixed.matches() ? prefixed.group(2) : name);
        if (type == null) {
            throw new IllegalArgumentException(configFile + ": id2label label '" + label + "' (id " + id + ") cannot "
                    + "be mapped to a Heed entity type; expected O or [B-|I-|S-|E-] followed by PER, ORG, LOC or MISC "
                    + "(also PERSON, ORGANIZATION, LOCATION, GPE, MISCELLANEOUS)");
        }
        int begin = tags.indexOf("B-" + type);
        int inside = tags.indexOf("I-" + type);
        return switch (prefix) {
            case "B", "S" -> new int[] {begin};
            case "I", "E" -> new int[] {inside};
            default -> new int[] {begin, inside};
        };
    }

    /** Entities of each text, in input order, from one batched model call; in text order, never overlapping. */
    public List<List<Entity>> predict(List<String> texts) {
        List<HfOnnxModel.Logits> logits = model.run(texts);
        List<List<Entity>> result = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            result.add(entities(texts.get(i), logits.get(i)));
        }
        return result;
    }

    private List<Entity> entities(String text, HfOnnxModel.Logits logits) {
        Words words = Words.segment(text);
        if (words.count() == 0) {
            return List.of();
        }
        int tagCount = tags.size();
        int oTag = tags.indexOf("O");
        int[] firstTokens = WordInputs.firstTokens(words, logits.charStarts(), logits.charEnds());
        float[] emissions = new float[words.count() * tagCount];
        for (int w = 0; w < words.count(); w++) {
            double[] tagProbabilities = new double[tagCount];
            int token = firstTokens[w];
            if (token < 0) {
                // No word piece: dropped by the tokenizer or cut off by truncation. Nothing to tag.
                tagProbabilities[oTag] = 1;
            } else {
                float[] probabilities = softmax(logits, token);
                for (int label = 0; label < probabilities.length; label++) {
                    for (int tag : tagsOfLabel[label]) {
                        tagProbabilities[tag] += probabilities[label];
                    }
                }
            }
            for (int tag = 0; tag < tagCount; tag++) {
                emissions[w * tagCount + tag] = (float) Math.log(Math.max(MIN_PROBABILITY, tagProbabilities[tag]));
            }
        }
        float[] noTransitions = new float[tagCount * tagCount];
        float[] noEdges = new float[tagCount];
        return BioTags.entities(words, emissions, tags, noTransitions, noEdges, noEdges);
    }

    private static float[] softmax(HfOnnxModel.Logits logits, int row) {
        int labels = logits.labels();
        float[] scores = new float[labels];
        System.arraycopy(logits.values(), row * labels, scores, 0, labels);
        return BioTags.softmaxRows(scores, labels);
    }

    /** For provenance, e.g. {@code hf:ner-export}. */
    public String modelId() {
        return "hf:" + model.name();
    }

    /** SHA-256 of model.onnx. */
    public String sha256() {
        return model.sha256();
    }

    public int maxLength() {
        return model.maxLength();
    }

    @Override
    public void close() {
        model.close();
    }
}
