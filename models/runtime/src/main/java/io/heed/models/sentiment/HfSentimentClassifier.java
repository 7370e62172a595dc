/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import io.heed.models.InferenceDevice;
import io.heed.models.encoder.HfOnnxModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sentiment from a user's Hugging Face sequence-classification export (e.g. distilbert-base-uncased-finetuned-sst-2)
 * instead of the bundled head: its own tokenizer and ONNX session, logits [batch, labels] -> softmax -> the same
 * {@link Sentiment} the bundled head gives.
 *
 * <p>Labels: config.json's id2label names are mapped, ignoring case, to Heed's {@code negative} / {@code positive} /
 * {@code neutral} (NEGATIVE, NEG, POSITIVE, POS, NEUTRAL, NEU; for a two-label model also LABEL_0 = negative and
 * LABEL_1 = positive, the SST-2 convention). Any other name fails at load. Probabilities are the softmax over all
 * labels (they sum to 1); {@link Sentiment#topTokens()} is empty because the model exposes no attention weights.
 * Texts longer than the model's maximum length are truncated to it. Not thread-safe (one ONNX predictor).
 */
public final class HfSentimentClassifier implements AutoCloseable {
    private static final Map<String, String> NAMES = Map.of(
            "negative",
            "negative",
            "neg",
            "negative",
            "positive",
            "positive",
            "pos",
            "positive",
            "neutral",
            "neutral",
            "neu",
            "neutral");

    private final HfOnnxModel model;
    /** Heed label of each model label id. */
    private final List<String> labels;

    private HfSentimentClassifier(HfOnnxModel model, List<String> labels) {
        this.model = model;
        this.labels = labels;
    }

    /** Loads an export directory; fails here, naming the file, if anything is missing or a label cannot be mapped. */
    public static HfSentimentClassifier load(Path directory, int intraOpThreads) {
        return load(directory, intraOpThreads, InferenceDevice.cpu());
    }

    /** As {@link #load(Path, int)}, on {@code device}. */
    public static HfSentimentClassifier load(Path directory, int intraOpThreads, InferenceDevice device) {
        HfOnnxModel model = HfOnnxModel.load(directory, "sentiment", intraOpThreads, device);
        try {
            return new HfSentimentClassifier(model, heedLabels(model.labels(), directory.resolve(HfOnnxModel.CONFIG)));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Heed's sentiment label for each id2label name, in id order. */
    static List<String> heedLabels(List<String> modelLabels, Path configFile) {
        if (modelLabels.size() < 2) {
            throw new IllegalArgumentException(configFile + " has " + modelLabels.size() + " label in id2label: "
                    + "a sentiment classifier needs at least two (e.g. NEGATIVE and POSITIVE)");
        }
        List<String> mapped = new ArrayList<>(modelLabels.size());
        for (int id = 0; id < modelLabels.size(); id++) {
            String name = modelLabels.get(id).trim().toLowerCase(Locale.ROOT);
            String heed = NAMES.get(name);
            if (heed == null && modelLabels.size() == 2 && name.equals("label_" + id)) {
                heed = id == 0 ? "negative" : "positive";
            }
            if (heed == null) {
                throw new IllegalArgumentException(configFile + ": id2label label '" + modelLabels.get(id) + "' (id "
                        + id + ") cannot be mapped to a Heed sentiment; expected NEGATIVE, POSITIVE or NEUTRAL (any "
                        + "case, or NEG/POS/NEU), or LABEL_0/LABEL_1 for a two-label model");
            }
            if (mapped.contains(heed)) {
                throw new IllegalArgumentException(
                        configFile + ": id2label maps two ids to '" + heed + "' (" + modelLabels + ")");
            }
            mapped.add(heed);
        }
        return List.copyOf(mapped);
    }

    /** Sentiment of each text, in input order, from one batched model call. */
    public List<Sentiment> predict(List<String> texts) {
        List<HfOnnxModel.Logits> logits = model.run(texts);
        List<Sentiment> result = new ArrayList<>(logits.size());
        for (HfOnnxModel.Logits row : logits) {
            result.add(sentiment(row.values()));
        }
        return result;
    }

    private Sentiment sentiment(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        double[] exp = new double[logits.length];
        for (int l = 0; l < logits.length; l++) {
            exp[l] = Math.exp(logits[l] - max);
            sum += exp[l];
        }
        Map<String, Float> probabilities = new LinkedHashMap<>();
        int best = 0;
        for (int l = 0; l < logits.length; l++) {
            probabilities.put(labels.get(l), (float) (exp[l] / sum));
            if (exp[l] > exp[best]) {
                best = l;
            }
        }
        return new Sentiment(labels.get(best), (float) (exp[best] / sum), probabilities, List.of());
    }

    /** Heed labels in the model's id order. */
    public List<String> labels() {
        return labels;
    }

    /** For provenance, e.g. {@code hf:sst2-export}. */
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
