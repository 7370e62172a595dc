/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.entities;

import io.heed.models.ToolArguments;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Entity precision, recall and F1 on CoNLL-style sentences: a predicted entity is correct when its span and type
 * both match a gold chunk exactly (conlleval's rule); micro-averaged over all types.
 * {@link #main} prints the table for a file (default: CoNLL-2003 test under {@code heed.data.dir}); options
 * {@code --file my.conll --encoder fp32 --head my-head.bin}.
 */
public final class EntityEvaluation {
    private EntityEvaluation() {}

    /** Counts of predicted, gold and correct entities. */
    public record Scores(int predicted, int gold, int correct) {
        public double precision() {
            return predicted == 0 ? 0 : (double) correct / predicted;
        }

        public double recall() {
            return gold == 0 ? 0 : (double) correct / gold;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        Scores plus(Scores other) {
            return new Scores(predicted + other.predicted, gold + other.gold, correct + other.correct);
        }
    }

    /** Scores of one evaluation run, per entity type and micro-averaged, and its speed (encoder included). */
    public record Result(int sentences, Map<String, Scores> perType, Scores micro, double examplesPerSecond) {
        public Result {
            perType = java.util.Collections.unmodifiableMap(new TreeMap<>(perType));
        }

        /** A Markdown table: type | precision | recall | F1 | gold, then the micro average in bold. */
        public String toMarkdown() {
            StringBuilder table =
                    new StringBuilder("| type | precision | recall | F1 | gold |\n|---|---|---|---|---|\n");
            perType.forEach((type, scores) -> table.append(String.format(
                    "| %s | %.4f | %.4f | %.4f | %d |%n",
                    type, scores.precision(), scores.recall(), scores.f1(), scores.gold())));
            table.append(String.format(
                    "| **micro** | **%.4f** | **%.4f** | **%.4f** | **%d** |%n",
                    micro.precision(), micro.recall(), micro.f1(), micro.gold()));
            return table.toString();
        }
    }

    public static Result evaluate(TransformerEncoder encoder, EntityHead head, List<ConllReader.Sentence> sentences) {
        List<Words> words = new ArrayList<>(sentences.size());
        List<String> texts = new ArrayList<>(sentences.size());
        for (ConllReader.Sentence sentence : sentences) {
            Words joined = Words.joined(sentence.words());
            words.add(joined);
            texts.add(joined.text());
        }
        long start = System.nanoTime();
        List<TokenStates> states = encoder.encodeSortedByLength(texts, 32, message -> {});
        List<List<Entity>> predictions = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            predictions.add(head.predict(words.get(i), states.get(i)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return score(sentences, words, predictions, sentences.size() / seconds);
    }

    /** Scores predictions (entities over {@code words}, the sentences joined by spaces) against the gold tags. */
    static Result score(
            List<ConllReader.Sentence> sentences,
            List<Words> words,
            List<List<Entity>> predictions,
            double examplesPerSecond) {
        Map<String, Scores> perType = new TreeMap<>();
        for (int i = 0; i < sentences.size(); i++) {
            Set<TypedSpan> gold = new HashSet<>();
            for (BioTags.Chunk chunk : BioTags.chunks(sentences.get(i).tags())) {
                gold.add(new TypedSpan(
                        chunk.type(),
                        words.get(i).starts()[chunk.first()],
                        words.get(i).ends()[chunk.end() - 1]));
            }
            for (TypedSpan entity : gold) {
                perType.merge(entity.type(), new Scores(0, 1, 0), Scores::plus);
            }
            for (Entity predicted : predictions.get(i)) {
                boolean correct = gold.contains(new TypedSpan(predicted.type(), predicted.start(), predicted.end()));
                perType.merge(predicted.type(), new Scores(1, 0, correct ? 1 : 0), Scores::plus);
            }
        }
        Scores micro = new Scores(0, 0, 0);
        for (Scores scores : perType.values()) {
            micro = micro.plus(scores);
        }
        return new Result(sentences.size(), perType, micro, examplesPerSecond);
    }

    /** Type and char span only: what conlleval compares. */
    private record TypedSpan(String type, int start, int end) {}

    public static void main(String[] args) {
        Map<String, String> defaults = new LinkedHashMap<>();
        Path data = Paths.get(System.getProperty("heed.data.dir", "../shared/data"));
        defaults.put("file", data.resolve(Paths.get("conll2003", "test.txt")).toString());
        defaults.put("encoder", "int8");
        defaults.put("head", ""); // the bundled head
        Map<String, String> options = ToolArguments.parse(args, defaults);
        Path file = Paths.get(options.get("file"));
        EncoderVariant variant = EncoderVariant.parse(options.get("encoder"));
        EntityHead head =
                options.get("head").isEmpty() ? EntityHead.bundled() : EntityHead.read(Paths.get(options.get("head")));
        try (TransformerEncoder encoder = TransformerEncoder.load(variant, 256, 0)) {
            Result result = evaluate(encoder, head, ConllReader.read(file));
            System.out.printf(
                    "%s, %s, %d sentences, %.1f sentences/s%n%n",
                    file.getFileName(), variant.modelId(), result.sentences(), result.examplesPerSecond());
            System.out.print(result.toMarkdown());
        }
    }
}
