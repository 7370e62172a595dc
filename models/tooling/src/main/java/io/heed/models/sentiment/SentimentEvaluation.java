/*
 * Copyright 2026 The Heed Authors
 * SPDX-License-Identifier: Apache-2.0
 */
package io.heed.models.sentiment;

import io.heed.models.ToolArguments;
import io.heed.models.encoder.EncoderVariant;
import io.heed.models.encoder.TokenStates;
import io.heed.models.encoder.TransformerEncoder;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints the accuracy of a sentiment head on a labelled TSV file (default: SST-2 dev).
 * {@code mvn -B -pl models/tooling -am test-compile exec:exec@eval-sentiment [-Deval.args="--file my.tsv --encoder fp32 --head my-head.bin"]}.
 */
public final class SentimentEvaluation {
    private SentimentEvaluation() {}

    /** Scores and speed of one evaluation run. */
    public record Result(SentimentScores scores, double examplesPerSecond) {
        public int examples() {
            return scores.examples();
        }

        /** Share of correct decisions (on a binary set: p(positive) against p(negative)). */
        public double accuracy() {
            return scores.accuracy();
        }
    }

    public static Result evaluate(TransformerEncoder encoder, SentimentHead head, List<LabeledTexts.Example> examples) {
        List<String> texts = new ArrayList<>(examples.size());
        examples.forEach(e -> texts.add(e.text()));
        long start = System.nanoTime();
        List<TokenStates> states = encoder.encodeSortedByLength(texts, 32, message -> {});
        SentimentScores scores = score(head, states, examples);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(scores, examples.size() / seconds);
    }

    /** The head's scores on texts already encoded. */
    public static SentimentScores score(
            SentimentHead head, List<TokenStates> states, List<LabeledTexts.Example> examples) {
        List<float[]> probabilities = new ArrayList<>(states.size());
        int[] gold = new int[examples.size()];
        for (int i = 0; i < states.size(); i++) {
            probabilities.add(head.probabilities(states.get(i)));
            gold[i] = examples.get(i).label();
        }
        return SentimentScores.of(head.labels(), probabilities, gold);
    }

    public static void main(String[] args) {
        Map<String, String> defaults = new LinkedHashMap<>();
        Path data = Paths.get(System.getProperty("heed.data.dir", "../shared/data"));
        defaults.put("file", data.resolve(Paths.get("sst2", "dev.tsv")).toString());
        defaults.put("encoder", "int8");
        defaults.put("head", ""); // the bundled head
        Map<String, String> options = ToolArguments.parse(args, defaults);
        Path file = Paths.get(options.get("file"));
        EncoderVariant variant = EncoderVariant.parse(options.get("encoder"));
        SentimentHead head = options.get("head").isEmpty()
                ? SentimentHead.bundled()
                : SentimentHead.read(Paths.get(options.get("head")));
        try (TransformerEncoder encoder = TransformerEncoder.load(variant, 256, 0)) {
            Result result = evaluate(encoder, head, LabeledTexts.readTsv(file));
            System.out.printf("| file | encoder | examples | accuracy | examples/s |%n|---|---|---|---|---|%n");
            System.out.printf(
                    "| %s | %s | %d | %.4f | %.1f |%n",
                    file.getFileName(),
                    variant.modelId(),
                    result.examples(),
                    result.accuracy(),
                    result.examplesPerSecond());
        }
    }
}
