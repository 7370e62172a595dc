/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sentiment-labelled texts read from TSV with a header naming a text column ({@code sentence} or {@code text}) and a
 * {@code label} column holding 0/1 or negative/positive (GLUE SST-2's layout, and what users' own files can use), or
 * neutral for three-class files (SemEval-2017, Financial PhraseBank).
 *
 * <p>Label indices are {@link #NEGATIVE} 0, {@link #POSITIVE} 1, {@link #NEUTRAL} 2: a binary head's labels are the
 * first two of {@link #LABELS}, a three-class head's all three, so binary files and heads read the same either way.
 */
public final class LabeledTexts {
    public static final int NEGATIVE = 0;
    public static final int POSITIVE = 1;
    public static final int NEUTRAL = 2;
    /** Label names by index. */
    public static final List<String> LABELS = List.of("negative", "positive", "neutral");

    private LabeledTexts() {}

    /** One text and its label index ({@link #NEGATIVE}, {@link #POSITIVE} or {@link #NEUTRAL}). */
    public record Example(String text, int label) {}

    /** Whether any example is neutral, i.e. the file is a three-class one. */
    public static boolean hasNeutral(List<Example> examples) {
        return examples.stream().anyMatch(e -> e.label() == NEUTRAL);
    }

    public static List<Example> readTsv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty: expected a header with text/sentence and label");
        }
        List<String> header = List.of(lines.get(0).split("\t", -1));
        int textColumn = header.indexOf("sentence") >= 0 ? header.indexOf("sentence") : header.indexOf("text");
        int labelColumn = header.indexOf("label");
        if (textColumn < 0 || labelColumn < 0) {
            throw new IllegalArgumentException(
                    file + ": header " + header + " must name a text column (sentence or text) and a label column");
        }
        List<Example> examples = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] columns = line.split("\t", -1);
            if (columns.length <= Math.max(textColumn, labelColumn)) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected " + header.size()
                        + " tab-separated columns, got " + columns.length);
            }
            examples.add(new Example(columns[textColumn], parseLabel(columns[labelColumn].trim(), file, i + 1)));
        }
        return examples;
    }

    private static int parseLabel(String label, Path file, int line) {
        switch (label.toLowerCase(Locale.ROOT)) {
            case "0":
            case "negative":
                return NEGATIVE;
            case "1":
            case "positive":
                return POSITIVE;
            case "neutral":
                return NEUTRAL;
            default:
                throw new IllegalArgumentException(
                        file + " line " + line + ": label '" + label + "' is not 0/1 or negative/neutral/positive");
        }
    }
}
