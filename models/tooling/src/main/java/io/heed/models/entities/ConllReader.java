/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CoNLL-style NER files: one token per line, whitespace-separated columns with the token first and the NER tag
 * last, a blank line between sentences, {@code -DOCSTART-} lines between documents. Tags may be IOB1 or IOB2; they are
 * returned as IOB2 (every entity starts with {@code B-}).
 */
public final class ConllReader {
    private ConllReader() {}

    /** One sentence: its tokens and their IOB2 tags, one per token. */
    public record Sentence(List<String> words, List<String> tags) {
        public Sentence {
            words = List.copyOf(words);
            tags = List.copyOf(tags);
            if (words.size() != tags.size()) {
                throw new IllegalArgumentException(words.size() + " words but " + tags.size() + " tags");
            }
        }
    }

    public static List<Sentence> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        List<Sentence> sentences = new ArrayList<>();
        List<String> words = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("-DOCSTART-")) {
                flush(sentences, words, tags);
                continue;
            }
            String[] columns = line.split("\\s+");
            if (columns.length < 2) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected a token and an NER tag"
                        + " separated by whitespace, got '" + line + "'");
            }
            String tag = columns[columns.length - 1];
            if (!isTag(tag)) {
                throw new IllegalArgumentException(
                        file + " line " + (i + 1) + ": '" + tag + "' is not an IOB tag (O, B-TYPE or I-TYPE)");
            }
            words.add(columns[0]);
            tags.add(toIob2(tag, tags.isEmpty() ? "O" : tags.get(tags.size() - 1)));
        }
        flush(sentences, words, tags);
        return sentences;
    }

    private static void flush(List<Sentence> sentences, List<String> words, List<String> tags) {
        if (!words.isEmpty()) {
            sentences.add(new Sentence(words, tags));
            words.clear();
            tags.clear();
        }
    }

    private static boolean isTag(String tag) {
        return tag.equals("O") || (tag.length() > 2 && (tag.startsWith("B-") || tag.startsWith("I-")));
    }

    /** IOB1 starts an entity with I- unless it follows one of the same type; IOB2 always uses B-. */
    private static String toIob2(String tag, String previousIob2) {
        String type = tag.substring(Math.min(2, tag.length()));
        boolean continues =
                !previousIob2.equals("O") && previousIob2.substring(2).equals(type);
        return tag.startsWith("I-") && !continues ? "B-" + type : tag;
    }
}
