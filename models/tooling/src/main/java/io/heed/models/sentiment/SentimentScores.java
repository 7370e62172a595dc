/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Quality of sentiment probabilities against gold labels, for binary and three-class sets alike.
 *
 * <p>On a <b>binary</b> set (no neutral gold label) the decision is p(positive) against p(negative), whatever a
 * three-class head gives neutral, and the confidence is the larger of the two renormalised over both
 * ({@code max(p+, p-) / (p+ + p-)}); the share of texts whose most probable label is neutral is reported beside it.
 * On a <b>three-class</b> set the decision is the most probable label and the confidence its probability. Calibration
 * is the expected calibration error over {@value #BINS} equal-width confidence bins: the mean, weighted by bin size,
 * of |accuracy − mean confidence|.
 *
 * @param examples     texts scored
 * @param threeClass   whether the set has neutral gold labels
 * @param accuracy     share of correct decisions
 * @param macroRecall  mean recall over the set's classes (SemEval-2017's official metric on three classes)
 * @param neutralShare share of texts whose most probable label is neutral
 * @param classes      precision, recall and F1 per gold class present in the set
 * @param ece          expected calibration error of the decision's confidence
 * @param reliability  the calibration bins that hold examples
 */
public record SentimentScores(
        int examples,
        boolean threeClass,
        double accuracy,
        double macroRecall,
        double neutralShare,
        List<ClassScores> classes,
        double ece,
        List<Bin> reliability) {
    static final int BINS = 10;

    public SentimentScores {
        classes = List.copyOf(classes);
        reliability = List.copyOf(reliability);
    }

    /** Precision, recall and F1 of one label; {@code support} is its number of gold examples. */
    public record ClassScores(String label, int support, double precision, double recall, double f1) {}

    /** One calibration bin: confidences in [{@code from}, {@code to}). */
    public record Bin(double from, double to, int count, double meanConfidence, double accuracy) {}

    /**
     * Scores {@code probabilities} (one row per example, in {@code headLabels} order) against {@code gold} label indices
     * ({@link LabeledTexts#NEGATIVE}, {@link LabeledTexts#POSITIVE}, {@link LabeledTexts#NEUTRAL}).
     */
    public static SentimentScores of(List<String> headLabels, List<float[]> probabilities, int[] gold) {
        if (probabilities.size() != gold.length || gold.length == 0) {
            throw new IllegalArgumentException("need one probability row per gold label, and at least one");
        }
        int[] column = new int[LabeledTexts.LABELS.size()];
        for (int label = 0; label < column.length; label++) {
            column[label] = headLabels.indexOf(LabeledTexts.LABELS.get(label));
        }
        if (column[LabeledTexts.NEGATIVE] < 0 || column[LabeledTexts.POSITIVE] < 0) {
            throw new IllegalArgumentException("head labels " + headLabels + " lack negative or positive");
        }
        boolean threeClass = false;
        for (int g : gold) {
            threeClass |= g == LabeledTexts.NEUTRAL;
        }
        int labelCount = threeClass ? 3 : 2;
        int[] predicted = new int[gold.length];
        double[] confidence = new double[gold.length];
        int neutral = 0;
        for (int i = 0; i < gold.length; i++) {
            float[] p = probabilities.get(i);
            double negative = p[column[LabeledTexts.NEGATIVE]];
            double positive = p[column[LabeledTexts.POSITIVE]];
            double neutralP = column[LabeledTexts.NEUTRAL] < 0 ? 0 : p[column[LabeledTexts.NEUTRAL]];
            if (neutralP > negative && neutralP > positive) {
                neutral++;
            }
            if (threeClass && neutralP > negative && neutralP > positive) {
                predicted[i] = LabeledTexts.NEUTRAL;
                confidence[i] = neutralP;
            } else {
                predicted[i] = positive > negative ? LabeledTexts.POSITIVE : LabeledTexts.NEGATIVE;
                double top = Math.max(positive, negative);
                confidence[i] = threeClass ? top : top / (positive + negative);
            }
        }
        int correct = 0;
        for (int i = 0; i < gold.length; i++) {
            correct += predicted[i] == gold[i] ? 1 : 0;
        }
        List<ClassScores> classes = new ArrayList<>();
        double recallSum = 0;
        for (int label = 0; label < labelCount; label++) {
            int truePositives = 0;
            int support = 0;
            int predictedCount = 0;
            for (int i = 0; i < gold.length; i++) {
                support += gold[i] == label ? 1 : 0;
                predictedCount += predicted[i] == label ? 1 : 0;
                truePositives += gold[i] == label && predicted[i] == label ? 1 : 0;
            }
            double precision = predictedCount == 0 ? 0 : (double) truePositives / predictedCount;
            double recall = support == 0 ? 0 : (double) truePositives / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            recallSum += recall;
            classes.add(new ClassScores(LabeledTexts.LABELS.get(label), support, precision, recall, f1));
        }
        List<Bin> reliability = new ArrayList<>();
        double ece = 0;
        for (int b = 0; b < BINS; b++) {
            double from = (double) b / BINS;
            double to = (double) (b + 1) / BINS;
            int count = 0;
            double confidenceSum = 0;
            int right = 0;
            for (int i = 0; i < gold.length; i++) {
                if (confidence[i] >= from && (confidence[i] < to || b == BINS - 1)) {
                    count++;
                    confidenceSum += confidence[i];
                    right += predicted[i] == gold[i] ? 1 : 0;
                }
            }
            if (count > 0) {
                Bin bin = new Bin(from, to, count, confidenceSum / count, (double) right / count);
                reliability.add(bin);
                ece += (double) count / gold.length * Math.abs(bin.accuracy() - bin.meanConfidence());
            }
        }
        return new SentimentScores(
                gold.length,
                threeClass,
                (double) correct / gold.length,
                recallSum / labelCount,
                (double) neutral / gold.length,
                classes,
                ece,
                reliability);
    }

    /** The headline figure of the set: macro-recall on three classes (SemEval's metric), accuracy on two. */
    public double headline() {
        return threeClass ? macroRecall : accuracy;
    }

    /** The reliability bins as a markdown table. */
    public String reliabilityMarkdown() {
        StringBuilder table =
                new StringBuilder("| confidence | examples | mean confidence | accuracy |\n|---|---|---|---|\n");
        for (Bin bin : reliability) {
            table.append(String.format(
                    Locale.ROOT,
                    "| %.1f–%.1f | %d | %.3f | %.3f |%n",
                    bin.from(),
                    bin.to(),
                    bin.count(),
                    bin.meanConfidence(),
                    bin.accuracy()));
        }
        return table.toString();
    }
}
